// One raw write per database rule, each breaking that rule and nothing else, on a small world built
// through the services: a funded programme with approved grants (one paid in a sent batch, one
// ended by revocation), a proposed grant, a correction in the ledger. Each attempt must be refused
// with the rule's code (the HINT of the trigger's RAISE, or the constraint's name), which is what
// databaseRuleOf reads. Shared by the embedded (test/integration) and PostgreSQL (test/pg) suites.
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { type DatabaseRefusal, databaseRuleOf } from '../../src/db/errors.ts';
import { DATABASE_RULES, type DatabaseRuleCode, type ErrorCode } from '../../src/domain/error-catalogue.ts';
import { revokeEligibility } from '../../src/services/eligibility.ts';
import { reverseFundingReceipt } from '../../src/services/funding-receipts.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { TEST_TODAY } from './business-clock.ts';
import { makeProgramme, makeWorld } from './fixtures.ts';
import { fundProgramme, makeApprovedStudent, makeProposedGrant } from './grants.ts';
import { makeApprovedGrants, makePayoutProgramme, exportAndSendBatch } from './payouts.ts';

export interface RuleCase {
  rule: DatabaseRuleCode;
  /** What the attempt does, for the test's name. */
  how: string;
  attempt(): Promise<unknown>;
}

const hex64 = () => randomBytes(32).toString('hex');

export async function databaseRuleCases(db: Database): Promise<RuleCase[]> {
  const prisma = db.prisma;
  const world = await makeWorld(prisma);
  const actor = world.users.finance.actor.userId;
  const programme = await makePayoutProgramme(world);
  const [paid, revoked] = await makeApprovedGrants(prisma, world, programme.id, ['4000.00', '5000.00']);
  const proposed = await makeProposedGrant(prisma, world, programme.id, '4000.00');
  const ending = await makeProposedGrant(prisma, world, programme.id, '4000.00');
  const otherStudent = await makeApprovedStudent(prisma, world, programme.id);
  const batch = await createPayoutBatch({ ctx: world.users.finance.ctx, input: { programmeId: programme.id, cutoffOn: TEST_TODAY } });
  await exportAndSendBatch(world.users.finance.ctx, batch.id);
  await revokeEligibility({ ctx: world.users.approver.ctx, input: { id: revoked!.eligibility.id, reason: '已被收养', effectiveOn: TEST_TODAY } });
  await prisma.enrolment.update({ where: { id: ending.enrolment.id }, data: { status: 'withdrawn' } });
  const receipt = await fundProgramme(world, programme.id, '10.00');
  await reverseFundingReceipt({ ctx: world.users.finance.ctx, input: { programmeId: programme.id, receiptId: receipt.id, reason: '重复登记的到账' } });
  const other = await makeProgramme(world);
  await fundProgramme(world, other.id, '10.00');

  const payout = await prisma.payout.findFirstOrThrow({ where: { batchId: batch.id }, orderBy: { sequence: 'asc' } });
  const account = async (programmeId: string, code: string) => (await prisma.ledgerAccount.findFirstOrThrow({ where: { programmeId, code } })).id;
  const fund = await account(programme.id, 'fund');
  const bank = await account(programme.id, 'bank');
  const payable = await account(programme.id, `payable:${paid!.grant.id}`);
  const otherFund = await account(other.id, 'fund');
  const correction = await prisma.ledgerTransaction.findFirstOrThrow({ where: { programmeId: programme.id, kind: 'correction' } });
  const otherTransaction = await prisma.ledgerTransaction.findFirstOrThrow({ where: { programmeId: other.id } });
  const older = await prisma.ledgerTransaction.findFirstOrThrow({ where: { programmeId: programme.id }, orderBy: { seq: 'asc' } });
  const engagement = world.engagement;

  const sql = (text: string, ...params: unknown[]) => prisma.$executeRawUnsafe(text, ...params);
  const inOneTransaction = (...statements: (() => [string, ...unknown[]])[]) =>
    prisma.$transaction(async (tx) => {
      for (const statement of statements) await tx.$executeRawUnsafe(...statement());
    });
  const head = async () => (await prisma.ledgerTransaction.findFirstOrThrow({ orderBy: { seq: 'desc' } })) as { id: string; seq: bigint; hash: string };
  /** A ledger transaction row; by default the valid next one of the chain (kind funding_received). */
  const transaction = async (
    o: { id?: string; seq?: (head: bigint) => bigint; prevHash?: string; kind?: string; reverses?: string | null; programmeId?: string } = {},
  ): Promise<[string, ...unknown[]]> => {
    const h = await head();
    return [
      `INSERT INTO "ledger_transaction" ("id", "seq", "programme_id", "kind", "event_date", "recorded_at", "description", "source_type", "source_id", "actor_id", "reverses_id", "prev_hash", "hash")
       VALUES ($1::uuid, $2::bigint, $3::uuid, $4::"LedgerTransactionKind", current_date, now(), 'rule test', 'test', gen_random_uuid(), $5::uuid, $6::uuid, $7, $8)`,
      o.id ?? randomUUID(),
      String((o.seq ?? ((s) => s + 1n))(h.seq)),
      o.programmeId ?? programme.id,
      o.kind ?? 'funding_received',
      actor,
      o.reverses ?? null,
      o.prevHash ?? h.hash,
      hex64(),
    ];
  };
  /** An entry of the new transaction `id` (seq: the head's next unless given). */
  const entry = async (
    id: string,
    o: { line: number; accountId: string; direction: 'debit' | 'credit'; amount: string; seq?: bigint },
  ): Promise<[string, ...unknown[]]> => {
    const h = await head();
    return [
      `INSERT INTO "ledger_entry" ("transaction_id", "line", "seq", "account_id", "direction", "amount", "currency", "balance_after")
       VALUES ($1::uuid, $2::int, $3::bigint, $4::uuid, $5::"EntryDirection", $6::numeric, 'CNY', 0)`,
      id,
      o.line,
      String(o.seq ?? h.seq + 1n),
      o.accountId,
      o.direction,
      o.amount,
    ];
  };
  /** A new transaction and its entries in one database transaction (entries are written with their transaction). */
  const withEntries = async (entries: { accountId: string; direction: 'debit' | 'credit'; amount: string; seq?: bigint }[], programmeId = programme.id) => {
    const id = randomUUID();
    const first = await transaction({ id, programmeId });
    const rows = await Promise.all(entries.map((e, i) => entry(id, { line: i + 1, ...e })));
    return inOneTransaction(() => first, ...rows.map((r) => () => r));
  };
  const ledgerPost = (segments: string[], amount: string) =>
    prisma.$queryRawUnsafe(
      `SELECT * FROM ledger_post(gen_random_uuid(), $1::uuid, 'grant_approved'::"LedgerTransactionKind", current_date, now(), 'rule test', 'test', gen_random_uuid(), $2::uuid, NULL,
         $3::text[], ARRAY[1, 2]::int[], ARRAY[$4::uuid, $5::uuid], ARRAY['debit', 'credit']::"EntryDirection"[], ARRAY[$6::numeric, $6::numeric])`,
      programme.id,
      actor,
      segments,
      fund,
      payable,
      amount,
    );
  const grantInsert = (o: { amount?: string; level?: string; eligibilityId?: string; student?: typeof otherStudent } = {}) => {
    const s = o.student ?? otherStudent;
    return sql(
      `INSERT INTO "grant" ("id", "student_id", "programme_id", "academic_year", "eligibility_id", "level", "amount", "status", "proposed_by_id")
       VALUES (gen_random_uuid(), $1::uuid, $2::uuid, 2026, $3::uuid, $4::"EnrolmentLevel", $5::numeric, 'proposed', $6::uuid)`,
      s.student.id,
      programme.id,
      o.eligibilityId ?? s.eligibility.id,
      o.level ?? 'undergraduate',
      o.amount ?? '4000.00',
      world.users.caseworker.actor.userId,
    );
  };
  const paidId = paid!.grant.id;
  const revokedId = revoked!.grant.id;

  return [
    // grant_guard
    { rule: 'grant_history', how: 'deleting a grant', attempt: () => sql(`DELETE FROM "grant" WHERE "id" = $1::uuid`, paidId) },
    {
      rule: 'grant_status_transition',
      how: 'an approved grant back to proposed',
      attempt: () => sql(`UPDATE "grant" SET "status" = 'proposed' WHERE "id" = $1::uuid`, paidId),
    },
    {
      rule: 'grant_amount_locked',
      how: 'changing an approved grant’s amount',
      attempt: () => sql(`UPDATE "grant" SET "amount" = 4500 WHERE "id" = $1::uuid`, paidId),
    },
    {
      rule: 'grant_amount_locked',
      how: 'changing an approved grant’s amount through the Prisma model API (P2039)',
      attempt: () => prisma.grant.update({ where: { id: paidId }, data: { amount: '4500.00' } }),
    },
    {
      rule: 'grant_eligibility_not_approved',
      how: 'a grant on an eligibility that does not exist',
      attempt: () => grantInsert({ eligibilityId: randomUUID() }),
    },
    { rule: 'grant_level_mismatch', how: 'a grant at another level than the enrolment', attempt: () => grantInsert({ level: 'junior_college' }) },
    { rule: 'grant_amount_outside_band', how: 'a grant below its band', attempt: () => grantInsert({ amount: '2999.99' }) },
    {
      rule: 'grant_enrolment_ended',
      how: 'approving a grant whose enrolment was withdrawn',
      attempt: () =>
        sql(
          `UPDATE "grant" SET "status" = 'approved', "decided_by_id" = $2::uuid, "decided_at" = now() WHERE "id" = $1::uuid`,
          ending.grant.id,
          world.users.approver.actor.userId,
        ),
    },
    // CHECK constraints and unique indexes
    {
      rule: 'grant_maker_is_not_checker',
      how: 'the proposer rejecting its own grant',
      attempt: () =>
        sql(
          `UPDATE "grant" SET "status" = 'rejected', "decided_by_id" = "proposed_by_id", "decided_at" = now(), "decision_reason" = 'x' WHERE "id" = $1::uuid`,
          proposed.grant.id,
        ),
    },
    {
      rule: 'eligibility_maker_is_not_checker',
      how: 'an eligibility decided by its proposer',
      attempt: () => sql(`UPDATE "eligibility_determination" SET "decided_by_id" = "proposed_by_id" WHERE "id" = $1::uuid`, otherStudent.eligibility.id),
    },
    { rule: 'grant_one_per_year', how: 'a second grant for the same student, programme and year', attempt: () => grantInsert({ student: proposed }) },
    {
      rule: 'eligibility_one_open_per_year',
      how: 'a second open eligibility for the same student, programme and year (model API, P2002)',
      attempt: async () => prisma.eligibilityDetermination.create({ data: { ...(await eligibilityCopy(otherStudent.eligibility.id)), id: randomUUID() } }),
    },
    // programme_band_check_unlocked
    {
      rule: 'programme_band_locked',
      how: 'changing a band of a year with approved grants',
      attempt: () => sql(`UPDATE "programme_band" SET "max_amount" = 9000 WHERE "programme_id" = $1::uuid AND "academic_year" = 2026`, programme.id),
    },
    // instalments
    { rule: 'instalment_history', how: 'deleting an instalment', attempt: () => sql(`DELETE FROM "instalment" WHERE "grant_id" = $1::uuid`, paidId) },
    {
      rule: 'instalment_amount_locked',
      how: 'changing an instalment’s amount',
      attempt: () => sql(`UPDATE "instalment" SET "amount" = "amount" + 1 WHERE "grant_id" = $1::uuid`, paidId),
    },
    {
      rule: 'instalment_status_transition',
      how: 'a cancelled instalment scheduled again',
      attempt: () => sql(`UPDATE "instalment" SET "status" = 'scheduled' WHERE "grant_id" = $1::uuid AND "status" = 'cancelled'`, revokedId),
    },
    {
      rule: 'grant_instalments_do_not_add_up',
      how: 'an extra instalment of an approved grant',
      attempt: () =>
        sql(`INSERT INTO "instalment" ("id", "grant_id", "sequence", "due_on", "amount") VALUES (gen_random_uuid(), $1::uuid, 99, current_date, 1)`, paidId),
    },
    {
      rule: 'grant_instalments_before_approval',
      how: 'an instalment of a proposed grant',
      attempt: () =>
        sql(
          `INSERT INTO "instalment" ("id", "grant_id", "sequence", "due_on", "amount") VALUES (gen_random_uuid(), $1::uuid, 1, current_date, 4000)`,
          proposed.grant.id,
        ),
    },
    // grant endings
    {
      rule: 'grant_end_locked',
      how: 'changing how a grant ended',
      attempt: () => sql(`UPDATE "grant" SET "end_reason" = 'something else' WHERE "id" = $1::uuid`, revokedId),
    },
    {
      rule: 'grant_ended_with_open_instalments',
      how: 'ending a grant with scheduled instalments',
      attempt: () => sql(`UPDATE "grant" SET "status" = 'ended', "ended_on" = current_date, "end_reason" = 'rule test' WHERE "id" = $1::uuid`, paidId),
    },
    {
      rule: 'grant_remainder_not_returned',
      how: 'ending a grant and cancelling its instalments without returning the money',
      attempt: () =>
        inOneTransaction(
          () => [`UPDATE "grant" SET "status" = 'ended', "ended_on" = current_date, "end_reason" = 'rule test' WHERE "id" = $1::uuid`, paidId],
          () => [
            `UPDATE "instalment" SET "status" = 'cancelled', "status_reason" = 'rule test', "status_effective_on" = current_date WHERE "grant_id" = $1::uuid AND "status" = 'scheduled'`,
            paidId,
          ],
        ),
    },
    // payouts and batches
    { rule: 'payout_history', how: 'deleting a payout', attempt: () => sql(`DELETE FROM "payout" WHERE "id" = $1::uuid`, payout.id) },
    {
      rule: 'payout_snapshot_locked',
      how: 'changing a payout’s amount',
      attempt: () => sql(`UPDATE "payout" SET "amount" = "amount" + 1 WHERE "id" = $1::uuid`, payout.id),
    },
    {
      rule: 'payout_status_transition',
      how: 'a sent payout back to pending',
      attempt: () => sql(`UPDATE "payout" SET "status" = 'pending' WHERE "id" = $1::uuid`, payout.id),
    },
    {
      rule: 'payout_postings_locked',
      how: 'pointing a sent payout at another ledger transaction',
      attempt: () => sql(`UPDATE "payout" SET "sent_transaction_id" = $2::uuid WHERE "id" = $1::uuid`, payout.id, older.id),
    },
    { rule: 'payout_batch_history', how: 'deleting a batch', attempt: () => sql(`DELETE FROM "payout_batch" WHERE "id" = $1::uuid`, batch.id) },
    {
      rule: 'payout_batch_locked',
      how: 'changing a batch’s total',
      attempt: () => sql(`UPDATE "payout_batch" SET "total" = "total" + 1 WHERE "id" = $1::uuid`, batch.id),
    },
    {
      rule: 'payout_batch_status_transition',
      how: 'a sent batch opened again',
      attempt: () => sql(`UPDATE "payout_batch" SET "status" = 'open' WHERE "id" = $1::uuid`, batch.id),
    },
    {
      rule: 'payout_batch_totals',
      how: 'a batch whose payouts do not add up to its totals',
      attempt: () =>
        sql(
          `INSERT INTO "payout_batch" ("id", "code", "programme_id", "cutoff_on", "requested_execution_on", "payout_count", "total", "created_by_id")
           VALUES (gen_random_uuid(), $1, $2::uuid, current_date, current_date, 1, 100, $3::uuid)`,
          `RULE-${randomBytes(4).toString('hex').toUpperCase()}`,
          programme.id,
          actor,
        ),
    },
    // the ledger
    {
      rule: 'append_only',
      how: 'changing a ledger transaction',
      attempt: () => sql(`UPDATE "ledger_transaction" SET "description" = 'x' WHERE "id" = $1::uuid`, older.id),
    },
    { rule: 'ledger_sequence_gap', how: 'a transaction after a gap in the sequence', attempt: async () => sql(...(await transaction({ seq: (s) => s + 2n }))) },
    { rule: 'ledger_chain_broken', how: 'a transaction not linked to the head', attempt: async () => sql(...(await transaction({ prevHash: hex64() }))) },
    {
      rule: 'ledger_reversal_not_correction',
      how: 'a reversal that is not a correction',
      attempt: async () => sql(...(await transaction({ reverses: older.id }))),
    },
    {
      rule: 'ledger_reversed_missing',
      how: 'a correction of a transaction that does not exist',
      attempt: async () => sql(...(await transaction({ kind: 'correction', reverses: randomUUID() }))),
    },
    {
      rule: 'ledger_correction_reversed',
      how: 'a correction of a correction',
      attempt: async () => sql(...(await transaction({ kind: 'correction', reverses: correction.id }))),
    },
    {
      rule: 'ledger_correction_other_programme',
      how: 'a correction in another programme than what it reverses',
      attempt: async () => sql(...(await transaction({ kind: 'correction', reverses: otherTransaction.id }))),
    },
    { rule: 'ledger_correction_unnamed', how: 'a correction that reverses nothing', attempt: async () => sql(...(await transaction({ kind: 'correction' }))) },
    { rule: 'ledger_too_few_entries', how: 'a transaction without entries (at commit)', attempt: async () => sql(...(await transaction())) },
    {
      rule: 'ledger_unbalanced',
      how: 'debits unequal to credits (at commit)',
      attempt: () =>
        withEntries([
          { accountId: bank, direction: 'debit', amount: '5.00' },
          { accountId: fund, direction: 'credit', amount: '3.00' },
        ]),
    },
    {
      rule: 'ledger_entry_unknown_transaction',
      how: 'an entry of a transaction that does not exist',
      attempt: async () => sql(...(await entry(randomUUID(), { line: 1, accountId: fund, direction: 'credit', amount: '1.00' }))),
    },
    {
      rule: 'ledger_entry_not_newest',
      how: 'an entry added to an older transaction',
      attempt: async () => sql(...(await entry(older.id, { line: 9, accountId: fund, direction: 'credit', amount: '1.00', seq: older.seq }))),
    },
    {
      rule: 'ledger_transaction_closed',
      how: 'an entry added to the committed head',
      attempt: async () => {
        const h = await head();
        return sql(...(await entry(h.id, { line: 9, accountId: fund, direction: 'credit', amount: '1.00', seq: h.seq })));
      },
    },
    {
      rule: 'ledger_entry_seq_mismatch',
      how: 'an entry whose seq is not its transaction’s',
      attempt: async () => withEntries([{ accountId: fund, direction: 'credit', amount: '1.00', seq: (await head()).seq + 5n }]),
    },
    {
      rule: 'ledger_entry_other_programme',
      how: 'an entry on another programme’s account',
      attempt: () => withEntries([{ accountId: otherFund, direction: 'credit', amount: '1.00' }]),
    },
    {
      rule: 'ledger_balance_negative',
      how: 'an entry taking fund below zero',
      attempt: () => withEntries([{ accountId: fund, direction: 'debit', amount: '99999999.00' }]),
    },
    { rule: 'ledger_post_segments', how: 'ledger_post without its three segments', attempt: () => ledgerPost(['a', 'b'], '1.00') },
    { rule: 'ledger_insufficient_balance', how: 'ledger_post taking fund below zero', attempt: () => ledgerPost(['a', 'b', 'c'], '99999999.00') },
    // the audit trail
    { rule: 'audit_chain_head_fixed', how: 'deleting the audit chain head', attempt: () => sql(`DELETE FROM "audit_chain_head"`) },
    {
      rule: 'audit_chain_head_skips',
      how: 'moving the audit chain head back',
      attempt: () => sql(`UPDATE "audit_chain_head" SET "seq" = 1, "hash" = (SELECT "hash" FROM "audit_chain" WHERE "seq" = 1)`),
    },
    {
      rule: 'audit_engagement_history',
      how: 'changing an engagement’s scope',
      attempt: () => sql(`UPDATE "audit_engagement" SET "scope" = 'programmes' WHERE "id" = $1::uuid`, engagement.id),
    },
  ];

  async function eligibilityCopy(id: string) {
    const { id: _id, ruleResults, decisionRuleResults, ...rest } = await prisma.eligibilityDetermination.findUniqueOrThrow({ where: { id } });
    return { ...rest, ruleResults: ruleResults as object, decisionRuleResults: (decisionRuleResults ?? undefined) as object | undefined };
  }
}

/** The database rules no raw write can reach without first breaking another rule (the audit chain's head is always there). */
export const UNREACHABLE_RULES: readonly DatabaseRuleCode[] = ['audit_chain_head_missing'];

/**
 * Runs every case on `db` and checks that databaseRuleOf reads each refusal's rule, the API code
 * the catalogue gives it, and the figures of a refused negative balance; and that every database
 * rule but the unreachable ones has a case.
 */
export async function expectEachRuleRefusedWithItsCode(db: Database): Promise<void> {
  const cases = await databaseRuleCases(db);
  expect(new Set(cases.map((c) => c.rule))).toEqual(new Set(Object.keys(DATABASE_RULES).filter((r) => !UNREACHABLE_RULES.includes(r as DatabaseRuleCode))));
  const seen: [string, DatabaseRuleCode | null][] = [];
  const answers: [string, ErrorCode | null | undefined][] = [];
  let shortfall: DatabaseRefusal | null = null;
  for (const c of cases) {
    const error = await c.attempt().then(
      () => null,
      (e: unknown) => e,
    );
    const refusal = databaseRuleOf(error);
    seen.push([c.how, refusal?.rule ?? (error === null ? null : (String(error).slice(0, 300) as never))]);
    answers.push([c.rule, refusal?.answer]);
    if (c.rule === 'ledger_insufficient_balance') shortfall = refusal;
  }
  expect(seen).toEqual(cases.map((c) => [c.how, c.rule]));
  expect(answers).toEqual(cases.map((c) => [c.rule, DATABASE_RULES[c.rule]]));
  expect(shortfall?.facts).toEqual({ account: 'fund', available: expect.stringMatching(/^\d+\.\d{2}$/), needed: '99999999.00' });
}
