// A programme with N students, each with an approved grant whose first instalment is due on
// SEED_TODAY, seeded with set-based SQL rather than through the services (≈35 ms a student there):
// real vault ciphertexts for names, identity numbers and accounts, recognition, enrolment (with its
// status event and verification), approved eligibility, a grant inserted proposed and approved by
// another user (the database's triggers check band, eligibility, level, maker ≠ checker,
// instalments adding up), two instalments a grant, and the approvals' ledger transactions
// (Dr fund / Cr payable:<grant>) through postPairs, after one funding receipt through the service.
// For the payout benchmark (scripts/bench-payouts.ts) and the tests that need a batch of thousands.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '#prisma';
import { makeIdentityNumber } from '../../src/domain/identity-number.ts';
import { maskBankAccount, maskChineseName, maskIdentityNumber } from '../../src/domain/masking.ts';
import { type Money, formatMoney, money } from '../../src/domain/money.ts';
import { postPairs } from '../../src/ledger/post-many.ts';
import type { PiiVault } from '../../src/privacy/pii-vault.ts';
import type { Actor, ServiceContext } from '../../src/services/context.ts';
import { recordFundingReceipt } from '../../src/services/funding-receipts.ts';
import { createProgramme } from '../../src/services/programmes.ts';
import { normaliseName } from '../../src/services/student-pii.ts';
import { createUser } from '../../src/services/tokens.ts';

/** The business day the seeded instalments fall due (the tests' and the benchmark's pinned day). */
export const SEED_TODAY = '2026-11-26';
const ACADEMIC_YEAR = 2026;
export const PROGRAMME_ACCOUNT = '105858000123456789';
/** Students sealed and inserted per statement while seeding. */
const SEED_CHUNK = 2_000;

export interface BulkPayoutWorld {
  programmeId: string;
  finance: ServiceContext;
  approverId: string;
  caseworkerId: string;
  departmentId: string;
  fundTotal: Money;
}

const SURNAMES = ['张', '王', '李', '马', '才让', '韩', '赵', '祁', '冶', '马'];
const GIVEN = ['卓玛', '建国', '小燕', '文清', '德吉', '海英', '永福', '秀兰', '措毛', '志强', '玉梅', '明'];
const BANKS = ['中国建设银行西宁城中支行', '中国农业银行西宁城东支行', '青海银行城北支行', '中国工商银行西宁城西支行'];

/** A student's amount, 3,000.00–5,000.00 with varied fen (inside the seeded band). */
const grantFenOf = (i: number) => 300_000 + ((i * 7919) % 200_001);

export async function makeBulkPayoutWorld(prisma: PrismaClient, vault: PiiVault, n: number): Promise<BulkPayoutWorld> {
  const org = (kind: 'civil_affairs' | 'foundation' | 'platform', name: string) =>
    prisma.organisation.create({ data: { id: randomUUID(), code: `${kind}-${randomUUID().slice(0, 8)}`, name, kind } });
  const department = await org('civil_affairs', '青海省民政厅');
  const foundation = await org('foundation', '青山慈善基金会');
  const platform = await org('platform', '平台运营');
  const actorOf = async (organisation: { id: string; kind: Actor['organisationKind'] }, role: Actor['role']): Promise<ServiceContext> => {
    const { id } = await createUser(prisma, { organisationId: organisation.id, displayName: `bench ${role}`, role });
    return { db: prisma, vault, actor: { userId: id, organisationId: organisation.id, organisationKind: organisation.kind, role } };
  };
  const admin = await actorOf(platform as { id: string; kind: 'platform' }, 'admin');
  const caseworker = await actorOf(department as { id: string; kind: 'civil_affairs' }, 'caseworker');
  const approver = await actorOf(department as { id: string; kind: 'civil_affairs' }, 'approver');
  const finance = await actorOf(department as { id: string; kind: 'civil_affairs' }, 'finance');
  let fen = 0n;
  for (let i = 0; i < n; i++) fen += BigInt(grantFenOf(i));
  const fundTotal = money(fen.toString()).dividedBy(100);
  const programme = await createProgramme({
    ctx: admin,
    input: {
      code: `BENCH-PAY-${randomUUID().slice(0, 6).toUpperCase()}`,
      name: '青山陪伴·事实无人抚养儿童助学工程',
      funderId: foundation.id,
      administratorId: department.id,
      firstAcademicYear: '2025-2026',
      lastAcademicYear: '2026-2027',
      instalmentPlan: 'semesters',
      budget: formatMoney(fundTotal),
      bands: (['higher_vocational', 'junior_college', 'undergraduate'] as const).map((level) => ({
        academicYear: '2026-2027',
        level,
        minAmount: '3000.00',
        maxAmount: '5000.00',
      })),
      payoutAccount: { accountNumber: PROGRAMME_ACCOUNT, accountName: '青海省民政厅', bankName: '中国建设银行西宁城西支行', bankCode: '105851000123' },
    },
  });
  await recordFundingReceipt({
    ctx: finance,
    input: {
      programmeId: programme.id,
      remitterId: foundation.id,
      amount: formatMoney(fundTotal),
      receivedOn: '2026-09-01',
      bankReference: `BENCH-FUND-${randomUUID()}`,
    },
  });
  return {
    programmeId: programme.id,
    finance,
    approverId: approver.actor.userId,
    caseworkerId: caseworker.actor.userId,
    departmentId: department.id,
    fundTotal,
  };
}

/** Students with sealed personal data: sealed in JS (AES-GCM, Web Crypto), inserted a chunk at a time. */
export async function seedStudents(prisma: PrismaClient, vault: PiiVault, world: BulkPayoutWorld, n: number): Promise<void> {
  for (let start = 0; start < n; start += SEED_CHUNK) {
    const rows = await Promise.all(
      Array.from({ length: Math.min(SEED_CHUNK, n - start) }, async (_, k) => {
        const i = start + k;
        // Distinct identity numbers: 1,000 sequence numbers per birth day, days counted from 2006-01-01.
        const birth = new Date(Date.UTC(2006, 0, 1) + Math.floor(i / 1000) * 86_400_000).toISOString().slice(0, 10);
        const seq = i % 1000;
        const identity = makeIdentityNumber('630102', birth, seq);
        const name = `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]}`;
        const account = `6217${String(i).padStart(15, '0')}`;
        return {
          id: randomUUID(),
          birth,
          gender: seq % 2 === 1 ? 'male' : 'female',
          identityHash: await vault.lookupHash('identity_number', identity),
          identitySealed: await vault.seal('identity_number', identity),
          identityMasked: maskIdentityNumber(identity),
          nameHash: await vault.lookupHash('name', normaliseName(name)),
          nameSealed: await vault.seal('name', name),
          nameMasked: maskChineseName(normaliseName(name)),
          bankName: BANKS[i % BANKS.length]!,
          accountHash: await vault.lookupHash('bank_account', account),
          accountSealed: await vault.seal('bank_account', account),
          accountMasked: maskBankAccount(account),
        };
      }),
    );
    const col = <T>(pick: (r: (typeof rows)[number]) => T) => rows.map(pick);
    await prisma.$executeRaw`
      INSERT INTO "student" ("id", "department_id", "identity_number_hash", "identity_number_sealed", "identity_number_masked", "birth_date",
                             "region_code", "gender", "name_hash", "name_sealed", "name_masked", "bank_name", "bank_account_hash",
                             "bank_account_sealed", "bank_account_masked", "created_by_id")
      SELECT s.id, ${world.departmentId}::uuid, s.identity_hash, s.identity_sealed, s.identity_masked, s.birth, '630102', s.gender::"Gender",
             s.name_hash, s.name_sealed, s.name_masked, s.bank_name, s.account_hash, s.account_sealed, s.account_masked, ${world.caseworkerId}::uuid
      FROM unnest(${col((r) => r.id)}::uuid[], ${col((r) => r.identityHash)}::text[], ${col((r) => r.identitySealed)}::text[],
                  ${col((r) => r.identityMasked)}::text[], ${col((r) => r.birth)}::date[], ${col((r) => r.gender)}::text[],
                  ${col((r) => r.nameHash)}::text[], ${col((r) => r.nameSealed)}::text[], ${col((r) => r.nameMasked)}::text[],
                  ${col((r) => r.bankName)}::text[], ${col((r) => r.accountHash)}::text[], ${col((r) => r.accountSealed)}::text[],
                  ${col((r) => r.accountMasked)}::text[])
           AS s(id, identity_hash, identity_sealed, identity_masked, birth, gender, name_hash, name_sealed, name_masked, bank_name,
                account_hash, account_sealed, account_masked)`;
  }
}

const RULES_PASSED = JSON.stringify(
  [
    'age_18_at_year_start',
    'recognised_before_18',
    'not_adopted',
    'level_funded',
    'enrolment_active',
    'enrolment_verified_for_year',
    'enrolment_covers_year',
  ].map((rule) => ({
    rule,
    passed: true,
    detail_zh: '符合 (bench)',
    detail_en: 'passed (bench)',
  })),
);

/** Recognition, enrolment (event, verification) and approved eligibility for every student of the department: set-based. */
export async function seedEligibility(prisma: PrismaClient, world: BulkPayoutWorld): Promise<void> {
  await prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`
        INSERT INTO "recognition" ("id", "student_id", "recognised_on", "authority", "father_situation", "mother_situation", "adopted", "qualifies", "reasons", "recorded_by_id")
        SELECT gen_random_uuid(), s."id", '2018-03-01', '西宁市城中区民政局', 'deceased', 'serving_sentence', false, true, '[]'::jsonb, ${world.caseworkerId}::uuid
        FROM "student" s WHERE s."department_id" = ${world.departmentId}::uuid`;
      await tx.$executeRaw`
        INSERT INTO "enrolment" ("id", "student_id", "institution_name", "institution_code", "level", "admission_date", "expected_graduation", "status", "status_effective_on", "created_by_id")
        SELECT gen_random_uuid(), s."id", '青海大学', '10743', 'undergraduate', '2025-09-01', '2029-06-30', 'enrolled', '2025-09-01', ${world.caseworkerId}::uuid
        FROM "student" s WHERE s."department_id" = ${world.departmentId}::uuid`;
      await tx.$executeRaw`
        INSERT INTO "enrolment_status_event" ("id", "enrolment_id", "status", "effective_on", "recorded_by_id")
        SELECT gen_random_uuid(), e."id", 'enrolled', e."admission_date", ${world.caseworkerId}::uuid
        FROM "enrolment" e JOIN "student" s ON s."id" = e."student_id" WHERE s."department_id" = ${world.departmentId}::uuid`;
      await tx.$executeRaw`
        INSERT INTO "enrolment_verification" ("id", "enrolment_id", "verified_on", "source", "reference", "verified_by_id")
        SELECT gen_random_uuid(), e."id", '2026-09-15', '学信网学籍在线验证', 'XJ-' || substr(md5(e."id"::text), 1, 8), ${world.caseworkerId}::uuid
        FROM "enrolment" e JOIN "student" s ON s."id" = e."student_id" WHERE s."department_id" = ${world.departmentId}::uuid`;
      await tx.$executeRaw`
        INSERT INTO "eligibility_determination" ("id", "student_id", "programme_id", "academic_year", "status", "cohort", "eligible", "rule_results",
                                                 "decision_rule_results", "enrolment_id", "recognition_id", "proposed_by_id", "decided_by_id", "decided_at")
        SELECT gen_random_uuid(), s."id", ${world.programmeId}::uuid, ${ACADEMIC_YEAR}, 'approved', 'continuing', true, ${RULES_PASSED}::jsonb,
               ${RULES_PASSED}::jsonb, e."id", r."id", ${world.caseworkerId}::uuid, ${world.approverId}::uuid, now()
        FROM "student" s JOIN "enrolment" e ON e."student_id" = s."id" JOIN "recognition" r ON r."student_id" = s."id"
        WHERE s."department_id" = ${world.departmentId}::uuid`;
    },
    { timeout: 600_000 },
  );
}

/**
 * Grants proposed by the caseworker and approved by the approver (the triggers check every rule),
 * two instalments each (the first due today, as a late approval's catch-up), and the approvals'
 * ledger transactions, all in one database transaction (the instalment and ledger checks run at commit).
 */
export async function seedGrants(prisma: PrismaClient, world: BulkPayoutWorld): Promise<void> {
  await prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`
        INSERT INTO "grant" ("id", "student_id", "programme_id", "academic_year", "eligibility_id", "level", "amount", "status", "proposed_by_id")
        SELECT gen_random_uuid(), d."student_id", d."programme_id", d."academic_year", d."id", 'undergraduate',
               (300000 + ((d.n - 1) * 7919) % 200001) / 100.0, 'proposed', ${world.caseworkerId}::uuid
        FROM (SELECT e.*, row_number() OVER (ORDER BY s."identity_number_masked", s."birth_date", s."id") AS n
              FROM "eligibility_determination" e JOIN "student" s ON s."id" = e."student_id"
              WHERE e."programme_id" = ${world.programmeId}::uuid AND e."status" = 'approved') d`;
      await tx.$executeRaw`
        UPDATE "grant" SET "status" = 'approved', "decided_by_id" = ${world.approverId}::uuid, "decided_at" = now(),
                           "approved_on" = ${SEED_TODAY}::date, "ledger_transaction_id" = gen_random_uuid()
        WHERE "programme_id" = ${world.programmeId}::uuid AND "status" = 'proposed'`;
      // Semesters: 1 September (merged into a catch-up due on the approval day) and 1 March; the
      // first carries the odd fen, as splitIntoInstalments does.
      await tx.$executeRaw`
        INSERT INTO "instalment" ("id", "grant_id", "sequence", "due_on", "amount", "status", "catch_up")
        SELECT gen_random_uuid(), g."id", 1, ${SEED_TODAY}::date, g."amount" - floor(g."amount" * 100 / 2) / 100, 'scheduled'::"InstalmentStatus", true
        FROM "grant" g WHERE g."programme_id" = ${world.programmeId}::uuid
        UNION ALL
        SELECT gen_random_uuid(), g."id", 2, '2027-03-01'::date, floor(g."amount" * 100 / 2) / 100, 'scheduled'::"InstalmentStatus", false
        FROM "grant" g WHERE g."programme_id" = ${world.programmeId}::uuid`;
      const grants = await tx.$queryRaw<{ id: string; amount: string; ledger_transaction_id: string }[]>`
        SELECT "id"::text AS id, "amount"::text AS amount, "ledger_transaction_id"::text AS ledger_transaction_id
        FROM "grant" WHERE "programme_id" = ${world.programmeId}::uuid ORDER BY "id"`;
      await postPairs(
        tx,
        grants.map((g) => ({
          id: g.ledger_transaction_id,
          programmeId: world.programmeId,
          kind: 'grant_approved' as const,
          eventDate: SEED_TODAY,
          description: 'Grant approved for academic year 2026-2027',
          sourceType: 'grant',
          sourceId: g.id,
          actorId: world.approverId,
          debit: { kind: 'fund' as const },
          credit: { kind: 'payable' as const, grantId: g.id },
          amount: money(g.amount),
        })),
      );
    },
    { timeout: 600_000 },
  );
}

/** All of the above: a funded programme with `n` approved grants, each with a payout due on SEED_TODAY. */
export async function seedPayoutProgramme(prisma: PrismaClient, vault: PiiVault, n: number): Promise<BulkPayoutWorld> {
  const world = await makeBulkPayoutWorld(prisma, vault, n);
  await seedStudents(prisma, vault, world, n);
  await seedEligibility(prisma, world);
  await seedGrants(prisma, world);
  return world;
}
