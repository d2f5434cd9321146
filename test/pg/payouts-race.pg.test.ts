// Payout batches under concurrency, on a real PostgreSQL server (PGlite runs one transaction at a
// time and hides races). 16 clients race to create a batch for the same instalments, to mark it
// sent, and to import the bank's answer (the same file again and again, and other files carrying the
// same debits): every instalment ends paid at most once, never more than its grant, each payout
// settles exactly once, and the ledger verifies.
import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, RuleViolationError } from '../../src/domain/errors.ts';
import { type Money, ZERO, formatMoney, money } from '../../src/domain/money.ts';
import { programmeBalances } from '../../src/ledger/balances.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { type ImportResult, importBankResults } from '../../src/services/payouts/bank-results.ts';
import type { BatchView } from '../../src/services/payouts/batch-views.ts';
import { cancelPayoutBatch, createPayoutBatch, sendPayoutBatch } from '../../src/services/payouts/batches.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { type AnsweredPayout, camt054Text, chunksOf } from '../support/bank-answers.ts';
import { TEST_TODAY } from '../support/business-clock.ts';
import { makeUser, type TestUser } from '../support/fixtures.ts';
import { PROGRAMME_ACCOUNT, exportBankFile, makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { fulfilled, race, rejected } from './support/concurrency.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';

const CLIENTS = 16;
const GRANTS = 20;
const FUND = '200000.00';
/** 20 different amounts inside the 3,000–5,000 band, some with odd fen so the semester split leaves a remainder. */
const AMOUNTS = Array.from({ length: GRANTS }, (_, i) => formatMoney(money(3000).plus(money(i * 97).plus(money(i % 3).dividedBy(100)))));

describe.skipIf(!process.env.TEST_DATABASE_URL)('payout batches under concurrency (PostgreSQL)', () => {
  const t = usePgTestDatabase(20, { perTest: true });
  let programme: ProgrammeView;
  /** Finance users of the department: one per racing client, so no client reuses another's actor. */
  let finance: TestUser[];

  beforeEach(async () => {
    programme = await makePayoutProgramme(t.world, FUND);
    await makeApprovedGrants(t.db.prisma, t.world, programme.id, AMOUNTS);
    finance = [t.world.users.finance];
    for (let i = 1; i < CLIENTS; i++) finance.push(await makeUser(t.db.prisma, t.world.department, 'finance'));
  });

  const balances = async () => (await programmeBalances(t.db.prisma, [programme.id])).get(programme.id)!;

  /** Instalments due by today (the catch-up of each grant), with their amounts. */
  async function dueInstalments() {
    return t.db.prisma.instalment.findMany({
      where: { grant: { programmeId: programme.id }, dueOn: { lte: new Date(`${TEST_TODAY}T00:00:00.000Z`) } },
      select: { id: true, grantId: true, amount: true },
    });
  }

  /** Instalments held by more than one live (pending, sent or settled) payout: must always be none. */
  async function doublyLiveInstalments() {
    return t.db.prisma.$queryRaw<{ instalment_id: string; live: bigint }[]>`
      SELECT "instalment_id"::text AS instalment_id, count(*) AS live FROM "payout"
      WHERE "programme_id" = ${programme.id}::uuid AND "status" IN ('pending', 'sent', 'settled')
      GROUP BY "instalment_id" HAVING count(*) > 1`;
  }

  /** Per grant: the instalments paid (settled payouts) against the grant's amount. Never over. */
  async function overpaidGrants() {
    return t.db.prisma.$queryRaw<{ grant_id: string; paid: string; amount: string }[]>`
      SELECT g."id"::text AS grant_id, coalesce(sum(p."amount"), 0)::text AS paid, g."amount"::text AS amount
      FROM "grant" g LEFT JOIN "payout" p ON p."grant_id" = g."id" AND p."status" = 'settled'
      WHERE g."programme_id" = ${programme.id}::uuid
      GROUP BY g."id", g."amount"
      HAVING coalesce(sum(p."amount"), 0) > g."amount"`;
  }

  const sum = (values: { amount: { toString(): string } }[]): Money => values.reduce<Money>((s, v) => s.plus(v.amount.toString()), ZERO);

  function expectAllRejectedWith(failures: unknown[], type: typeof RuleViolationError | typeof ConflictError, code: string) {
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(type);
      expect(failure).toMatchObject({ code });
    }
  }

  it(`${CLIENTS} clients create, send and import at once: one batch, sent once, every payout settled exactly once`, { timeout: 240_000 }, async () => {
    const due = await dueInstalments();
    expect(due).toHaveLength(GRANTS);
    const dueTotal = sum(due);
    const before = await balances();
    expect(formatMoney(before.bank)).toBe(FUND);

    // (a) 16 creations for the same cut-off: one takes every due instalment, the others find nothing due.
    const creations = await race(CLIENTS, (i) => createPayoutBatch({ ctx: finance[i]!.ctx, input: { programmeId: programme.id, cutoffOn: TEST_TODAY } }));
    const created = fulfilled(creations);
    expect(created).toHaveLength(1);
    expect(rejected(creations)).toHaveLength(CLIENTS - 1);
    expectAllRejectedWith(rejected(creations), RuleViolationError, 'nothing_due');
    const batch = created[0] as BatchView;
    expect(batch).toMatchObject({ status: 'open', payoutCount: GRANTS, total: formatMoney(dueTotal) });
    expect(await t.db.prisma.payoutBatch.count({ where: { programmeId: programme.id } })).toBe(1);
    expect(await doublyLiveInstalments()).toEqual([]);
    const payouts = await t.db.prisma.payout.findMany({ where: { batchId: batch.id }, orderBy: { sequence: 'asc' } });
    expect(payouts).toHaveLength(GRANTS);
    expect(payouts.map((p) => p.instalmentId).sort()).toEqual(due.map((d) => d.id).sort());
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'payout_batch.create' } })).toBe(1);

    // (b) 16 sends of that batch (its file downloaded first): one posts Dr payable / Cr in_transit per payout, the others are refused.
    await exportBankFile(finance[0]!.ctx, batch.id);
    const sends = await race(CLIENTS, (i) => sendPayoutBatch({ ctx: finance[i]!.ctx, input: { batchId: batch.id } }));
    expect(fulfilled(sends)).toHaveLength(1);
    expect(fulfilled(sends)[0]).toMatchObject({ id: batch.id, status: 'sent' });
    expect(rejected(sends)).toHaveLength(CLIENTS - 1);
    expectAllRejectedWith(rejected(sends), ConflictError, 'batch_already_sent');
    const afterSend = await balances();
    expect(formatMoney(afterSend.inTransit)).toBe(formatMoney(dueTotal));
    expect(formatMoney(afterSend.payable)).toBe(formatMoney(before.payable.minus(dueTotal)));
    expect(await t.db.prisma.ledgerTransaction.count({ where: { kind: 'payout_sent' } })).toBe(GRANTS);
    expect(await t.db.prisma.payout.count({ where: { batchId: batch.id, status: 'sent' } })).toBe(GRANTS);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'payout_batch.send' } })).toBe(1);

    // (c) The bank's answer, imported by 16 clients at once, racing 3 other files (other message
    // ids, entries in another order) that carry the same debits with the same bank references.
    const answered: AnsweredPayout[] = payouts.map((p) => ({
      reference: p.reference,
      amount: formatMoney(p.amount.toString()),
      kind: 'debit',
      bankReference: `BK-${p.reference}`,
    }));
    const same = await camt054Text({ messageId: 'CAMT054-RACE-1', account: PROGRAMME_ACCOUNT }, answered);
    const others = await Promise.all(
      [2, 3, 4].map((n) =>
        camt054Text(
          { messageId: `CAMT054-RACE-${n}`, account: PROGRAMME_ACCOUNT, createdAt: `2026-11-26T18:0${n}:00+08:00` },
          n % 2 === 0 ? answered.slice().reverse() : answered,
        ),
      ),
    );
    const files = [...Array.from({ length: CLIENTS }, () => same), ...others];
    const imports = await race(files.length, (i) =>
      importBankResults({
        ctx: finance[i % CLIENTS]!.ctx,
        input: { programmeId: programme.id, content: chunksOf(files[i]!), format: 'camt.054', fileName: `answer-${i}.xml` },
      }),
    );
    expect(rejected(imports)).toEqual([]);
    const results = fulfilled(imports) as ImportResult[];
    expect(results).toHaveLength(CLIENTS + others.length);
    // Whichever file came first settled everything; each other distinct file was recorded once with
    // every line already recorded; the 15 repeats of the same file were answered as replays.
    const applying = results.filter((r) => !r.replayed && r.import.appliedCount > 0);
    expect(applying).toHaveLength(1);
    expect(applying[0]!.import).toMatchObject({ lineCount: GRANTS, appliedCount: GRANTS, exceptionCount: 0, outcomes: { settled: GRANTS } });
    const recordedAgain = results.filter((r) => !r.replayed && r.import.appliedCount === 0);
    expect(recordedAgain).toHaveLength(others.length);
    for (const r of recordedAgain) expect(r.import).toMatchObject({ lineCount: GRANTS, exceptionCount: 0, outcomes: { already_recorded: GRANTS } });
    expect(results.filter((r) => r.replayed)).toHaveLength(CLIENTS - 1);
    expect(await t.db.prisma.bankResultImport.count({ where: { programmeId: programme.id } })).toBe(1 + others.length);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'bank_result.import' } })).toBe(1 + others.length);

    // Every payout settled exactly once: one payout_settled ledger transaction each.
    const settledPerPayout = await t.db.prisma.$queryRaw<{ source_id: string; n: bigint }[]>`
      SELECT "source_id"::text AS source_id, count(*) AS n FROM "ledger_transaction" WHERE "kind" = 'payout_settled' GROUP BY "source_id"`;
    expect(settledPerPayout).toHaveLength(GRANTS);
    expect(settledPerPayout.every((r) => Number(r.n) === 1)).toBe(true);
    expect(settledPerPayout.map((r) => r.source_id).sort()).toEqual(payouts.map((p) => p.id).sort());
    const stored = await t.db.prisma.payout.findMany({ where: { batchId: batch.id } });
    expect(stored.every((p) => p.status === 'settled' && p.bankReference === `BK-${p.reference}`)).toBe(true);
    expect(await t.db.prisma.instalment.count({ where: { id: { in: due.map((d) => d.id) }, status: 'paid' } })).toBe(GRANTS);

    const after = await balances();
    expect(formatMoney(before.bank.minus(after.bank))).toBe(formatMoney(dueTotal));
    expect(formatMoney(after.inTransit)).toBe('0.00');
    expect(formatMoney(after.fund)).toBe(formatMoney(before.fund));
    expect(await overpaidGrants()).toEqual([]);
    expect(await doublyLiveInstalments()).toEqual([]);
    const verification = await verifyLedger(t.db.prisma);
    expect(verification.firstProblem).toBeNull();
    // 1 funding receipt, 20 approvals, 20 sends, 20 settlements.
    expect(verification).toMatchObject({ ok: true, transactionsChecked: 1 + 3 * GRANTS });
  });

  it('cancelling a batch while 8 clients try to create one: one cancel, at most one new batch, never two live payouts of an instalment', {
    timeout: 240_000,
  }, async () => {
    const due = await dueInstalments();
    const first = await createPayoutBatch({ ctx: finance[0]!.ctx, input: { programmeId: programme.id, cutoffOn: TEST_TODAY } });
    expect(first.payoutCount).toBe(GRANTS);

    // 8 cancels and 8 creations at once: creations queued before the cancel commits find nothing
    // due; after it, exactly one takes every instalment again.
    const results = await race<BatchView>(CLIENTS, (i) =>
      i % 2 === 0
        ? cancelPayoutBatch({ ctx: finance[i]!.ctx, input: { batchId: first.id, reason: 'race test' } })
        : createPayoutBatch({ ctx: finance[i]!.ctx, input: { programmeId: programme.id, cutoffOn: TEST_TODAY } }),
    );
    const cancels = results.filter((_, i) => i % 2 === 0);
    const creations = results.filter((_, i) => i % 2 === 1);
    expect(fulfilled(cancels)).toHaveLength(1);
    expect(fulfilled(cancels)[0]).toMatchObject({ id: first.id, status: 'cancelled' });
    expectAllRejectedWith(rejected(cancels), ConflictError, 'batch_cancelled');
    expect(rejected(cancels)).toHaveLength(CLIENTS / 2 - 1);
    const made = fulfilled(creations);
    expect(made.length).toBeLessThanOrEqual(1);
    expectAllRejectedWith(rejected(creations), RuleViolationError, 'nothing_due');
    expect(rejected(creations)).toHaveLength(CLIENTS / 2 - made.length);
    expect(await doublyLiveInstalments()).toEqual([]);

    // If every creation ran before the cancel committed, a creation now takes them all.
    const second = made[0] ?? (await createPayoutBatch({ ctx: finance[0]!.ctx, input: { programmeId: programme.id, cutoffOn: TEST_TODAY } }));
    expect(second).toMatchObject({ status: 'open', payoutCount: GRANTS, total: formatMoney(sum(due)) });
    await expect(createPayoutBatch({ ctx: finance[1]!.ctx, input: { programmeId: programme.id, cutoffOn: TEST_TODAY } })).rejects.toMatchObject({
      code: 'nothing_due',
    });
    expect(await t.db.prisma.payoutBatch.count({ where: { programmeId: programme.id } })).toBe(2);
    expect(await t.db.prisma.payout.count({ where: { programmeId: programme.id, status: 'cancelled' } })).toBe(GRANTS);
    expect(await t.db.prisma.payout.count({ where: { programmeId: programme.id, status: 'pending' } })).toBe(GRANTS);
    expect(await doublyLiveInstalments()).toEqual([]);
    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
  });

  it('8 sends racing 8 cancels of the same open batch: exactly one wins; the ledger holds the batch in transit only if the send won', {
    timeout: 240_000,
  }, async () => {
    const due = await dueInstalments();
    const batch = await createPayoutBatch({ ctx: finance[0]!.ctx, input: { programmeId: programme.id, cutoffOn: TEST_TODAY } });
    await exportBankFile(finance[0]!.ctx, batch.id);
    const before = await balances();

    const results = await race<BatchView>(CLIENTS, (i) =>
      i % 2 === 0
        ? sendPayoutBatch({ ctx: finance[i]!.ctx, input: { batchId: batch.id } })
        : cancelPayoutBatch({ ctx: finance[i]!.ctx, input: { batchId: batch.id, reason: 'race test' } }),
    );
    const winners = fulfilled(results);
    expect(winners).toHaveLength(1);
    const won = winners[0]!.status;
    expect(['sent', 'cancelled']).toContain(won);
    expectAllRejectedWith(rejected(results), ConflictError, won === 'sent' ? 'batch_already_sent' : 'batch_cancelled');
    expect(rejected(results)).toHaveLength(CLIENTS - 1);

    const after = await balances();
    const sentCount = await t.db.prisma.ledgerTransaction.count({ where: { kind: 'payout_sent' } });
    if (won === 'sent') {
      expect(formatMoney(after.inTransit)).toBe(formatMoney(sum(due)));
      expect(sentCount).toBe(GRANTS);
      expect(await t.db.prisma.payout.count({ where: { batchId: batch.id, status: 'sent' } })).toBe(GRANTS);
    } else {
      expect(formatMoney(after.inTransit)).toBe('0.00');
      expect(formatMoney(after.payable)).toBe(formatMoney(before.payable));
      expect(sentCount).toBe(0);
      expect(await t.db.prisma.payout.count({ where: { batchId: batch.id, status: 'cancelled' } })).toBe(GRANTS);
    }
    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
  });
});
