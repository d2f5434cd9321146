// The database keeps the payout rules whatever path writes (migration *_payouts): one live payout
// per instalment, payout and batch status transitions, the snapshot and the postings never change,
// a batch adds up, bank answers are append-only, an approved grant's instalment is cancelled only
// after its payout failed.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { importBankResults } from '../../src/services/payouts/bank-results.ts';
import { formatMoney, money } from '../../src/domain/money.ts';
import { InsufficientBalanceError } from '../../src/ledger/journal.ts';
import { postPairs } from '../../src/ledger/post-many.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { camt054Text, chunksOf } from '../support/bank-answers.ts';
import { PROGRAMME_ACCOUNT, TODAY, makeApprovedGrants, makePayoutProgramme, exportAndSendBatch } from '../support/payouts.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

/** The error message of a statement, or null when it went through. */
const sql = (text: string) =>
  t.db.prisma.$executeRawUnsafe(text).then(
    () => null,
    (e: Error) => e.message,
  );

async function openBatch() {
  const programme = await makePayoutProgramme(t.world);
  await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['4000.00', '5000.00']);
  const batch = await createPayoutBatch({ ctx: t.world.users.finance.ctx, input: { programmeId: programme.id, cutoffOn: TODAY() } });
  const payouts = await t.db.prisma.payout.findMany({ where: { batchId: batch.id }, orderBy: { sequence: 'asc' } });
  return { programme, batch, payouts };
}

/** A copy of `payoutId` in the same batch under a new reference and sequence. */
const copyPayout = (payoutId: string, status = 'pending') => `
  INSERT INTO "payout" ("id", "batch_id", "sequence", "reference", "programme_id", "grant_id", "instalment_id", "student_id", "amount",
                        "payee_name_sealed", "payee_name_masked", "payee_account_hash", "payee_account_sealed", "payee_account_masked", "payee_bank_name", "status")
  SELECT '${randomUUID()}', "batch_id", "sequence" + 100, "reference" || '9', "programme_id", "grant_id", "instalment_id", "student_id", "amount",
         "payee_name_sealed", "payee_name_masked", "payee_account_hash", "payee_account_sealed", "payee_account_masked", "payee_bank_name", '${status}'
  FROM "payout" WHERE "id" = '${payoutId}'`;

describe('postPairs', () => {
  it('refuses a set of postings that would take an account below zero, before writing any, naming the account', async () => {
    const { programme, payouts } = await openBatch();
    const before = await t.db.prisma.ledgerTransaction.count();
    const post = (amount: string) => ({
      programmeId: programme.id,
      kind: 'payout_sent' as const,
      eventDate: TODAY(),
      description: 'test',
      sourceType: 'payout',
      sourceId: payouts[0]!.id,
      actorId: t.world.users.finance.actor.userId,
      debit: { kind: 'payable' as const, grantId: payouts[0]!.grantId },
      credit: { kind: 'in_transit' as const },
      amount: money(amount),
    });
    // Each alone fits the grant's payable (4,000.00 or 5,000.00); together they do not.
    const grant = await t.db.prisma.grant.findUniqueOrThrow({ where: { id: payouts[0]!.grantId } });
    const available = formatMoney(grant.amount.toString());
    const refused = await t.db.prisma.$transaction((tx) => postPairs(tx, [post('3000.00'), post('3000.00')])).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InsufficientBalanceError);
    expect(refused).toMatchObject({ details: { account: 'payable', available, needed: '6000.00' } });
    expect(await t.db.prisma.ledgerTransaction.count()).toBe(before);
    const posted = await t.db.prisma.$transaction((tx) => postPairs(tx, [post('1000.00'), post('500.00')]));
    expect(posted.map((t) => t.seq)).toEqual([BigInt(before + 1), BigInt(before + 2)]);
    expect(posted[1]!.entries.map((e) => formatMoney(e.balanceAfter))).toEqual([formatMoney(money(available).minus(1500)), '1500.00']);
    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
  });
});

describe('payout rules in the database', () => {
  it('an instalment is in at most one live payout', async () => {
    const { payouts } = await openBatch();
    expect(await sql(copyPayout(payouts[0]!.id))).toMatch(/payout_one_live_per_instalment/);
    // A cancelled copy holds no instalment, but it would make the batch say less than it holds.
    expect(await sql(copyPayout(payouts[0]!.id, 'cancelled'))).toMatch(/payout_batch_totals/);
  });

  it('status moves only forward, with the postings each status needs; the snapshot never changes; never deleted', async () => {
    const { payouts } = await openBatch();
    const id = payouts[0]!.id;
    expect(
      await sql(
        `UPDATE "payout" SET "status" = 'settled', "sent_transaction_id" = '${randomUUID()}', "settled_transaction_id" = '${randomUUID()}' WHERE "id" = '${id}'`,
      ),
    ).toMatch(/payout_status_transition/);
    expect(await sql(`UPDATE "payout" SET "status" = 'sent' WHERE "id" = '${id}'`)).toMatch(/payout_status_postings/);
    expect(await sql(`UPDATE "payout" SET "amount" = 1 WHERE "id" = '${id}'`)).toMatch(/payout_snapshot_locked/);
    expect(await sql(`UPDATE "payout" SET "payee_account_sealed" = 'x' WHERE "id" = '${id}'`)).toMatch(/payout_snapshot_locked/);
    expect(await sql(`UPDATE "payout" SET "reference" = 'OTHER-000001' WHERE "id" = '${id}'`)).toMatch(/payout_snapshot_locked/);
    expect(await sql(`DELETE FROM "payout" WHERE "id" = '${id}'`)).toMatch(/payout_history/);
    expect(await sql(`UPDATE "payout" SET "reference" = 'bad reference' WHERE "id" = '${id}'`)).toMatch(/payout_snapshot_locked|payout_reference_form/);
  });

  it('a sent payout’s ledger transaction never changes, and it settles only once', async () => {
    const { programme, batch, payouts } = await openBatch();
    await exportAndSendBatch(t.world.users.finance.ctx, batch.id);
    const id = payouts[0]!.id;
    expect(await sql(`UPDATE "payout" SET "sent_transaction_id" = '${randomUUID()}' WHERE "id" = '${id}'`)).toMatch(/payout_postings_locked/);
    expect(await sql(`UPDATE "payout" SET "status" = 'pending', "sent_transaction_id" = NULL WHERE "id" = '${id}'`)).toMatch(
      /payout_status_transition|payout_postings_locked/,
    );
    const answer = await camt054Text({ messageId: 'RULES-1', account: PROGRAMME_ACCOUNT }, [
      { reference: payouts[0]!.reference, amount: payouts[0]!.amount.toFixed(2), kind: 'debit' },
    ]);
    await importBankResults({ ctx: t.world.users.finance.ctx, input: { programmeId: programme.id, content: chunksOf(answer), format: 'auto' } });
    const settled = await t.db.prisma.payout.findUniqueOrThrow({ where: { id } });
    expect(settled.status).toBe('settled');
    expect(await sql(`UPDATE "payout" SET "settled_transaction_id" = '${randomUUID()}' WHERE "id" = '${id}'`)).toMatch(/payout_postings_locked/);
    expect(await sql(`UPDATE "payout" SET "status" = 'failed', "outcome_transaction_id" = '${randomUUID()}' WHERE "id" = '${id}'`)).toMatch(
      /payout_status_transition|payout_status_postings/,
    );
    // Bank answers are records: never edited, never deleted.
    const imported = await t.db.prisma.bankResultImport.findFirstOrThrow({ where: { programmeId: programme.id } });
    expect(await sql(`UPDATE "bank_result_import" SET "sha256" = repeat('0', 64) WHERE "id" = '${imported.id}'`)).toMatch(/append-only/);
    expect(await sql(`DELETE FROM "bank_result_line" WHERE "import_id" = '${imported.id}'`)).toMatch(/append-only/);
  });

  it('a batch states what its payouts add up to, and its totals and cut-off never change', async () => {
    const { batch } = await openBatch();
    expect(await sql(`UPDATE "payout_batch" SET "total" = "total" + 1 WHERE "id" = '${batch.id}'`)).toMatch(/payout_batch_locked/);
    expect(await sql(`UPDATE "payout_batch" SET "status" = 'sent' WHERE "id" = '${batch.id}'`)).toMatch(/payout_batch_sent_fields/);
    expect(await sql(`DELETE FROM "payout_batch" WHERE "id" = '${batch.id}'`)).toMatch(/payout_batch_history/);
    const row = await t.db.prisma.payoutBatch.findUniqueOrThrow({ where: { id: batch.id } });
    const lying = await sql(`
      INSERT INTO "payout_batch" ("id", "code", "programme_id", "cutoff_on", "requested_execution_on", "payout_count", "total", "created_by_id")
      VALUES ('${randomUUID()}', 'PB20261126-99999', '${row.programmeId}', '${TODAY()}', '${TODAY()}', 3, 100.00, '${row.createdById}')`);
    expect(lying).toMatch(/payout_batch_totals/);
  });

  it('an approved grant’s instalment is cancelled only after its payout failed', async () => {
    const { payouts } = await openBatch();
    const instalment = payouts[0]!.instalmentId;
    expect(
      await sql(`UPDATE "instalment" SET "status" = 'cancelled', "status_reason" = 'x', "status_effective_on" = '${TODAY()}' WHERE "id" = '${instalment}'`),
    ).toMatch(/instalment_status_transition/);
  });
});
