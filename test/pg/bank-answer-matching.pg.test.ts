// Lines without a payout reference under concurrency, on a real PostgreSQL server: 8 clients import
// 8 different statements at once, each carrying a debit without a reference for every payout of a
// sent batch (matched by the payee's account). Whichever import runs first matches and settles them
// all; the others find no sent payout left and keep their lines as unmatched. Each payout settles
// exactly once, a matched payout is never claimed by a second line, and the ledger verifies.
import { beforeEach, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/domain/money.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { type ImportResult, importBankResults } from '../../src/services/payouts/bank-results.ts';
import { createPayoutBatch, sendPayoutBatch } from '../../src/services/payouts/batches.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { chunksOf } from '../support/bank-answers.ts';
import { camt053 } from '../support/bank-statements.ts';
import { TEST_TODAY } from '../support/business-clock.ts';
import { makeUser, type TestUser } from '../support/fixtures.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';
import { PROGRAMME_ACCOUNT, exportBankFile, makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { testVault } from '../support/vault.ts';
import { fulfilled, race, rejected } from './support/concurrency.ts';

const CLIENTS = 8;

describe.skipIf(!process.env.TEST_DATABASE_URL)('bank lines without a reference under concurrency (PostgreSQL)', () => {
  const t = usePgTestDatabase(CLIENTS + 2, { perTest: true });
  let programme: ProgrammeView;
  let finance: TestUser[];

  beforeEach(async () => {
    programme = await makePayoutProgramme(t.world, '100000.00');
    await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['3000.00', '3300.00', '3600.00', '3900.00', '4200.00']);
    finance = [t.world.users.finance];
    for (let i = 1; i < CLIENTS; i++) finance.push(await makeUser(t.db.prisma, t.world.department, 'finance'));
  });

  it('8 statements matching the same payouts by account at once: one settles them, the others leave their lines unmatched', async () => {
    const ctx = finance[0]!.ctx;
    const batch = await createPayoutBatch({ ctx, input: { programmeId: programme.id, cutoffOn: TEST_TODAY } });
    await exportBankFile(ctx, batch.id);
    await sendPayoutBatch({ ctx, input: { batchId: batch.id } });
    const vault = await testVault();
    const payouts = await t.db.prisma.payout.findMany({ where: { batchId: batch.id }, orderBy: { sequence: 'asc' } });
    const entries = await Promise.all(
      payouts.map(async (p) => ({
        kind: 'debit' as const,
        amount: p.amount.toFixed(2),
        bookingDate: TEST_TODAY,
        counterpartyAccount: await vault.open('bank_account', p.payeeAccountSealed),
      })),
    );
    const files: string[] = [];
    for (let n = 0; n < CLIENTS; n++) {
      let text = '';
      for await (const c of camt053({ messageId: `STMT-RACE-${n}`, account: PROGRAMME_ACCOUNT }, entries)) text += c;
      files.push(text);
    }
    const imports = await race(CLIENTS, (i) =>
      importBankResults({
        ctx: finance[i]!.ctx,
        input: { programmeId: programme.id, content: chunksOf(files[i]!), format: 'camt.053', acceptExceptions: true },
      }),
    );
    expect(rejected(imports)).toEqual([]);
    const results = fulfilled(imports) as ImportResult[];
    const applying = results.filter((r) => r.import.appliedCount > 0);
    expect(applying).toHaveLength(1);
    expect(applying[0]!.import.outcomes).toEqual({ matched_without_reference: payouts.length });
    for (const r of results.filter((x) => x !== applying[0])) expect(r.import.outcomes).toEqual({ unmatched: payouts.length });

    const settledPerPayout = await t.db.prisma.$queryRaw<{ source_id: string; n: bigint }[]>`
      SELECT "source_id"::text AS source_id, count(*) AS n FROM "ledger_transaction" WHERE "kind" = 'payout_settled' GROUP BY "source_id"`;
    expect(settledPerPayout).toHaveLength(payouts.length);
    expect(settledPerPayout.every((r) => Number(r.n) === 1)).toBe(true);
    const claimed = await t.db.prisma.$queryRaw<{ payout_id: string; n: bigint }[]>`
      SELECT "payout_id"::text AS payout_id, count(*) AS n FROM "bank_result_line" WHERE "outcome" = 'matched_without_reference' GROUP BY "payout_id"`;
    expect(claimed).toHaveLength(payouts.length);
    expect(claimed.every((r) => Number(r.n) === 1)).toBe(true);
    const stored = await t.db.prisma.bankResultLine.findFirstOrThrow({ where: { outcome: 'matched_without_reference' } });
    expect(stored.candidates).toEqual([expect.objectContaining({ payoutId: stored.payoutId, amount: formatMoney(stored.amount.toString()) })]);
    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
  });
});
