// Use cases that read, decide and then write, raced on a real PostgreSQL server (PGlite runs one
// transaction at a time and hides races). Each test makes TRIES subjects and starts RACERS calls on
// every subject at the same moment, all of them at once through CLIENTS database connections. After
// the race the database must hold no anomaly (the rule the check stands for), every refusal must be
// a typed domain error with an expected code (never a raw database error), and the ledger and audit
// trail must verify. The list of every check-then-act and what serialises it is
// the README's "Check-then-act" section.
import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { endAuditEngagement } from '../../src/services/audit-engagements.ts';
import { verifyAuditTrail } from '../../src/services/audit-events.ts';
import { setProgrammeBands } from '../../src/services/bands.ts';
import { revokeEligibility } from '../../src/services/eligibility.ts';
import { recordEnrolment, verifyEnrolment } from '../../src/services/enrolments.ts';
import { approveGrant, proposeGrant, rejectGrant } from '../../src/services/grants.ts';
import { createOrganisation } from '../../src/services/organisations.ts';
import { updateProgrammeSettings } from '../../src/services/programmes.ts';
import { recordRecognition } from '../../src/services/recognitions.ts';
import { changeBankAccount, registerStudent } from '../../src/services/students.ts';
import { makeEngagement, makeOrganisation, makeProgramme } from '../support/fixtures.ts';
import { TEST_TODAY } from '../support/business-clock.ts';
import { GRANT_YEAR, makeApprovedStudent, makeProposedGrant } from '../support/grants.ts';
import { makePayoutProgramme } from '../support/payouts.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';
import { enrolmentInput, fictionalAccountNumber, makeStudent, recognitionInput, registrationInput } from '../support/students.ts';
import { outcomes, race } from './support/concurrency.ts';

const CLIENTS = 24;
const TRIES = 50;
/** Calls started at once on each subject. */
const RACERS = 3;

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `racers` calls on every subject at the same moment; results grouped per subject, in subject order. */
async function raceOn<S>(subjects: S[], racers: number, call: (subject: S, racer: number) => Promise<unknown>) {
  const results = await race(subjects.length * racers, (i) => call(subjects[Math.floor(i / racers)]!, i % racers));
  return subjects.map((subject, s) => ({ subject, results: results.slice(s * racers, (s + 1) * racers) }));
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('checks that precede writes, raced (PostgreSQL)', () => {
  const t = usePgTestDatabase(CLIENTS);

  async function expectVerifies(): Promise<void> {
    const ledger = await verifyLedger(t.db.prisma);
    expect(ledger.firstProblem).toBeNull();
    expect(ledger.commitmentProblems).toEqual([]);
    const trail = await verifyAuditTrail({ ctx: t.world.users.auditor.ctx });
    expect(trail.ok).toBe(true);
  }

  async function students(count: number) {
    const made = [];
    for (let i = 0; i < count; i++) made.push(await makeStudent(t.world, { gender: i % 2 === 0 ? 'female' : 'male' }));
    return made;
  }

  it(`the same enrolment recorded ${RACERS} times at once, ${TRIES} tries: one enrolment each, the others duplicate_enrolment`, {
    timeout: 120_000,
  }, async () => {
    const made = await students(TRIES);
    const tries = await raceOn(made, RACERS, (m) => recordEnrolment({ ctx: t.world.users.caseworker.ctx, input: enrolmentInput(m.student.id) }));
    for (const { subject, results } of tries) {
      expect(outcomes(results, ['duplicate_enrolment'])).toEqual({ ok: 1, refused: { duplicate_enrolment: RACERS - 1 } });
      expect(await t.db.prisma.enrolment.count({ where: { studentId: subject.student.id } })).toBe(1);
    }
    expect(
      await t.db.prisma.auditEvent.count({
        where: {
          action: 'enrolment.record',
          recordId: { in: (await t.db.prisma.enrolment.findMany({ where: { studentId: { in: made.map((m) => m.student.id) } } })).map((e) => e.id) },
        },
      }),
    ).toBe(TRIES);
    await expectVerifies();
  });

  it(`the same verification recorded ${RACERS} times at once, ${TRIES} tries: one verification each, the others duplicate_verification`, {
    timeout: 120_000,
  }, async () => {
    const made = [];
    for (const m of await students(TRIES)) {
      made.push({ ...m, enrolment: await recordEnrolment({ ctx: t.world.users.caseworker.ctx, input: enrolmentInput(m.student.id) }) });
    }
    const tries = await raceOn(made, RACERS, (m) =>
      verifyEnrolment({
        ctx: t.world.users.caseworker.ctx,
        input: { studentId: m.student.id, enrolmentId: m.enrolment.id, verifiedOn: '2026-11-20', source: '学信网 CHSI', reference: 'CHSI-RACE' },
      }),
    );
    for (const { subject, results } of tries) {
      expect(outcomes(results, ['duplicate_verification'])).toEqual({ ok: 1, refused: { duplicate_verification: RACERS - 1 } });
      expect(await t.db.prisma.enrolmentVerification.count({ where: { enrolmentId: subject.enrolment.id } })).toBe(1);
    }
    await expectVerifies();
  });

  it(`the same recognition recorded ${RACERS} times at once, ${TRIES} tries: one recognition each, the others duplicate_recognition`, {
    timeout: 120_000,
  }, async () => {
    const made = await students(TRIES);
    const tries = await raceOn(made, RACERS, (m) => recordRecognition({ ctx: t.world.users.caseworker.ctx, input: recognitionInput(m.student.id) }));
    for (const { subject, results } of tries) {
      expect(outcomes(results, ['duplicate_recognition'])).toEqual({ ok: 1, refused: { duplicate_recognition: RACERS - 1 } });
      expect(await t.db.prisma.recognition.count({ where: { studentId: subject.student.id } })).toBe(1);
    }
    await expectVerifies();
  });

  it(`the same grant proposed ${RACERS} times at once, ${TRIES} tries: one proposal each, the others duplicate_grant`, { timeout: 180_000 }, async () => {
    const programme = await makeProgramme(t.world);
    const made = [];
    for (let i = 0; i < TRIES; i++) made.push(await makeApprovedStudent(t.db.prisma, t.world, programme.id));
    const tries = await raceOn(made, RACERS, (m) =>
      proposeGrant({
        ctx: t.world.users.caseworker.ctx,
        input: { studentId: m.student.id, programmeId: programme.id, academicYear: GRANT_YEAR, amount: '4000.00' },
      }),
    );
    for (const { subject, results } of tries) {
      expect(outcomes(results, ['duplicate_grant'])).toEqual({ ok: 1, refused: { duplicate_grant: RACERS - 1 } });
      expect(await t.db.prisma.grant.count({ where: { studentId: subject.student.id, programmeId: programme.id } })).toBe(1);
    }
    await expectVerifies();
  });

  it(`a grant proposal raced by the revocation of its eligibility, ${TRIES} tries: proposed only on an eligibility approved when it was written`, {
    timeout: 180_000,
  }, async () => {
    const programme = await makeProgramme(t.world);
    const made: Awaited<ReturnType<typeof makeApprovedStudent>>[] = [];
    for (let i = 0; i < TRIES; i++) made.push(await makeApprovedStudent(t.db.prisma, t.world, programme.id));
    const tries = await raceOn(made, 2, (m, racer) =>
      racer === 0
        ? proposeGrant({
            ctx: t.world.users.caseworker.ctx,
            input: { studentId: m.student.id, programmeId: programme.id, academicYear: GRANT_YEAR, amount: '4000.00' },
          })
        : // Every other one started a millisecond later, so that both orders happen.
          (made.indexOf(m) % 2 === 0 ? Promise.resolve() : later(1)).then(() =>
            revokeEligibility({ ctx: t.world.users.approver.ctx, input: { id: m.eligibility.id, reason: '查实已被收养 (adopted)', effectiveOn: TEST_TODAY } }),
          ),
    );
    let proposed = 0;
    for (const { subject, results } of tries) {
      const [proposal, revocation] = results;
      expect(revocation!.status).toBe('fulfilled');
      proposed += outcomes([proposal!], ['eligibility_not_approved']).ok;
      // A proposal that was written rests on an eligibility that was approved when it was: its
      // audit event is chained before the revocation's.
      const grant = await t.db.prisma.grant.findFirst({ where: { studentId: subject.student.id, programmeId: programme.id } });
      if (grant) {
        const [proposedAt, revokedAt] = await Promise.all(
          ['grant.propose', 'eligibility.revoke'].map(async (action) => {
            const e = await t.db.prisma.auditEvent.findFirstOrThrow({
              where: { action, recordId: action === 'grant.propose' ? grant.id : subject.eligibility.id },
              include: { chain: true },
            });
            return e.chain!.seq;
          }),
        );
        expect(proposedAt! < revokedAt!).toBe(true);
        expect(grant.status).toBe('proposed');
      }
    }
    console.info(`[check-then-act] proposals raced by revocations: ${proposed} written before the revocation, ${TRIES - proposed} refused after it`);
    await expectVerifies();
  });

  it(`a grant's approval raced by its rejection, ${TRIES} tries: exactly one decision, the other already_decided, money committed only for approvals`, {
    timeout: 180_000,
  }, async () => {
    const programme = await makePayoutProgramme(t.world, `${4000 * TRIES}.00`);
    const made = [];
    for (let i = 0; i < TRIES; i++) made.push(await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00'));
    const tries = await raceOn(made, 2, (m, racer) =>
      racer === 0
        ? approveGrant({ ctx: t.world.users.approver.ctx, input: { id: m.grant.id } })
        : rejectGrant({ ctx: t.world.users.approver.ctx, input: { id: m.grant.id, reason: '金额有误 (wrong amount)' } }),
    );
    let approved = 0;
    for (const { subject, results } of tries) {
      expect(outcomes(results, ['already_decided'])).toEqual({ ok: 1, refused: { already_decided: 1 } });
      const grant = await t.db.prisma.grant.findUniqueOrThrow({ where: { id: subject.grant.id } });
      expect(grant.status).toBe(results[0]!.status === 'fulfilled' ? 'approved' : 'rejected');
      expect(grant.ledgerTransactionId !== null).toBe(grant.status === 'approved');
      if (grant.status === 'approved') approved++;
    }
    const [fund] = await t.db.prisma.$queryRaw<{ balance: string }[]>`
      SELECT coalesce(sum(CASE WHEN e."direction" = 'credit' THEN e."amount" ELSE -e."amount" END), 0)::text AS balance
        FROM "ledger_entry" e JOIN "ledger_account" a ON a."id" = e."account_id" WHERE a."programme_id" = ${programme.id}::uuid AND a."code" = 'fund'`;
    expect(fund!.balance).toBe(`${4000 * (TRIES - approved)}.00`);
    console.info(`[check-then-act] approval against rejection: ${approved} approved, ${TRIES - approved} rejected`);
    await expectVerifies();
  });

  it(`the same identity number registered ${RACERS} times at once, ${TRIES} tries: one student, the others duplicate_student`, {
    timeout: 120_000,
  }, async () => {
    const inputs = Array.from({ length: TRIES }, (_, i) => registrationInput({ gender: i % 2 === 0 ? 'female' : 'male' }));
    const tries = await raceOn(inputs, RACERS, (input) =>
      registerStudent({
        ctx: t.world.users.caseworker.ctx,
        input: { ...input, bankAccount: { ...input.bankAccount, accountNumber: fictionalAccountNumber() } },
      }),
    );
    for (const { results } of tries) expect(outcomes(results, ['duplicate_student'])).toEqual({ ok: 1, refused: { duplicate_student: RACERS - 1 } });
    expect(await t.db.prisma.$queryRaw<unknown[]>`SELECT 1 FROM "student" GROUP BY "identity_number_hash" HAVING count(*) > 1`).toEqual([]);
    await expectVerifies();
  });

  it(`${RACERS} different students registered at once with the same bank account, ${TRIES} tries: one holds it, the others bank_account_in_use`, {
    timeout: 120_000,
  }, async () => {
    const accounts = Array.from({ length: TRIES }, () => fictionalAccountNumber());
    const tries = await raceOn(accounts, RACERS, (accountNumber, racer) =>
      registerStudent({ ctx: t.world.users.caseworker.ctx, input: registrationInput({ accountNumber, gender: racer % 2 === 0 ? 'female' : 'male' }) }),
    );
    for (const { results } of tries) expect(outcomes(results, ['bank_account_in_use'])).toEqual({ ok: 1, refused: { bank_account_in_use: RACERS - 1 } });
    expect(await sharedAccounts()).toEqual([]);
    await expectVerifies();
  });

  it(`${RACERS} students changing to the same new bank account at once, ${TRIES} tries: one holds it, the others bank_account_in_use`, {
    timeout: 120_000,
  }, async () => {
    const groups = [];
    for (let i = 0; i < TRIES; i++) groups.push({ accountNumber: fictionalAccountNumber(), students: await students(RACERS) });
    const tries = await raceOn(groups, RACERS, (g, racer) =>
      changeBankAccount({
        ctx: t.world.users.caseworker.ctx,
        input: {
          studentId: g.students[racer]!.student.id,
          bankName: '中国农业银行西宁分行',
          accountNumber: g.accountNumber,
          holderName: g.students[racer]!.plain.name,
          reason: '原银行卡挂失 (card lost)',
        },
      }),
    );
    for (const { results } of tries) expect(outcomes(results, ['bank_account_in_use'])).toEqual({ ok: 1, refused: { bank_account_in_use: RACERS - 1 } });
    expect(await sharedAccounts()).toEqual([]);
    await expectVerifies();
  });

  /** Bank accounts held by more than one student (the rule registration and changes check). */
  function sharedAccounts() {
    return t.db.prisma.$queryRaw<{ hash: string; n: bigint }[]>`
      SELECT "bank_account_hash" AS hash, count(*) AS n FROM "student" GROUP BY 1 HAVING count(*) > 1`;
  }

  it(`${RACERS} band changes of one programme year at once, ${TRIES} tries: each replaces the last, and the audit trail says so in order`, {
    timeout: 120_000,
  }, async () => {
    const years = [];
    for (let p = 0; p < Math.ceil(TRIES / 3); p++) {
      const programme = await makeProgramme(t.world);
      for (const academicYear of ['2024-2025', '2025-2026', '2026-2027']) years.push({ programmeId: programme.id, academicYear });
    }
    const tries = await raceOn(years.slice(0, TRIES), RACERS, (y, racer) =>
      setProgrammeBands({
        ctx: t.world.users.admin.ctx,
        input: { ...y, bands: [{ level: 'undergraduate', minAmount: `${3000 + racer * 100}.00`, maxAmount: '5000.00' }] },
      }),
    );
    for (const { subject, results } of tries) {
      expect(outcomes(results, [])).toEqual({ ok: RACERS, refused: {} });
      // Each change saw the bands the one before it left: the trail is one chain of replacements.
      const events = await t.db.prisma.auditEvent.findMany({
        where: { action: 'programme.set_bands', recordId: subject.programmeId, after: { path: ['academicYear'], equals: subject.academicYear } },
        orderBy: { chain: { seq: 'asc' } },
      });
      expect(events).toHaveLength(RACERS);
      const bandsOf = (v: unknown) => (v as { bands: unknown[] }).bands;
      for (let i = 1; i < events.length; i++) expect(bandsOf(events[i]!.before)).toEqual(bandsOf(events[i - 1]!.after));
      const stored = await t.db.prisma.programmeBand.findMany({
        where: { programmeId: subject.programmeId, academicYear: Number(subject.academicYear.slice(0, 4)) },
      });
      expect(stored).toHaveLength(1);
      expect(stored[0]!.minAmount.toFixed(2)).toBe((bandsOf(events.at(-1)!.after)[0] as { minAmount: string }).minAmount.replace(/[¥,]/g, ''));
    }
    await expectVerifies();
  });

  it(`the same organisation code created ${RACERS} times at once, ${TRIES} tries: one organisation, the others duplicate_organisation_code`, {
    timeout: 120_000,
  }, async () => {
    const codes = Array.from({ length: TRIES }, (_, i) => `RACE-${Date.now().toString(36)}-${i}`.toUpperCase());
    const tries = await raceOn(codes, RACERS, (code, racer) =>
      createOrganisation({ ctx: t.world.users.admin.ctx, input: { code, name: `赛跑基金会 ${racer}`, kind: 'foundation' } }),
    );
    for (const { subject, results } of tries) {
      expect(outcomes(results, ['duplicate_organisation_code'])).toEqual({ ok: 1, refused: { duplicate_organisation_code: RACERS - 1 } });
      expect(await t.db.prisma.organisation.count({ where: { code: subject } })).toBe(1);
    }
    await expectVerifies();
  });

  it(`the same programme code created ${RACERS} times at once, ${TRIES} tries: one programme, the others duplicate_programme_code`, {
    timeout: 120_000,
  }, async () => {
    const codes = Array.from({ length: TRIES }, (_, i) => `PRG-RACE-${Date.now().toString(36)}-${i}`.toUpperCase());
    const tries = await raceOn(codes, RACERS, (code) => makeProgramme(t.world, { code }));
    for (const { subject, results } of tries) {
      expect(outcomes(results, ['duplicate_programme_code'])).toEqual({ ok: 1, refused: { duplicate_programme_code: RACERS - 1 } });
      expect(await t.db.prisma.programme.count({ where: { code: subject } })).toBe(1);
    }
    await expectVerifies();
  });

  it(`${RACERS} changes of one programme's settings at once, ${TRIES} tries: each recorded against what the last one left`, { timeout: 120_000 }, async () => {
    const programmes = [];
    for (let i = 0; i < TRIES; i++) programmes.push(await makeProgramme(t.world));
    const tries = await raceOn(programmes, RACERS, (p, racer) =>
      updateProgrammeSettings({ ctx: t.world.users.admin.ctx, input: { id: p.id, transitBusinessDays: 4 + racer } }),
    );
    for (const { subject, results } of tries) {
      expect(outcomes(results, [])).toEqual({ ok: RACERS, refused: {} });
      const events = await t.db.prisma.auditEvent.findMany({ where: { action: 'programme.update', recordId: subject.id }, orderBy: { chain: { seq: 'asc' } } });
      expect(events).toHaveLength(RACERS);
      let days = subject.transitBusinessDays;
      for (const e of events) {
        expect((e.before as { transitBusinessDays: number }).transitBusinessDays).toBe(days);
        days = (e.after as { transitBusinessDays: number }).transitBusinessDays;
      }
      expect((await t.db.prisma.programme.findUniqueOrThrow({ where: { id: subject.id } })).transitBusinessDays).toBe(days);
    }
    await expectVerifies();
  });

  it(`one audit engagement ended ${RACERS} times at once, ${TRIES} tries: ended once, the others engagement_already_ended`, { timeout: 120_000 }, async () => {
    const engagements = [];
    for (let i = 0; i < TRIES; i++) {
      const office = await makeOrganisation(t.db.prisma, 'audit');
      engagements.push(
        await makeEngagement(t.db.prisma, { auditorOrganisationId: office.id, createdById: t.world.users.admin.actor.userId, startsOn: '2026-01-01' }),
      );
    }
    const tries = await raceOn(engagements, RACERS, (e) => endAuditEngagement({ ctx: t.world.users.admin.ctx, input: { id: e.id } }));
    for (const { subject, results } of tries) {
      expect(outcomes(results, ['engagement_already_ended'])).toEqual({ ok: 1, refused: { engagement_already_ended: RACERS - 1 } });
      expect(await t.db.prisma.auditEvent.count({ where: { action: 'audit_engagement.end', recordId: subject.id } })).toBe(1);
    }
    await expectVerifies();
  });
});
