// Property: no sequence of batches made, sent and cancelled, bank answers (settlements, returns
// before and after settling, the same file again) and cancelled failed instalments pays an
// instalment twice or more than its grant, or breaks the ledger: the chain verifies, and `bank`,
// `in_transit`, `payable` and `fund` are what the payouts' statuses say they must be.
// (Embedded database, one programme with three grants per run.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.ts';
import { type Money, ZERO, formatMoney, money } from '../../src/domain/money.ts';
import { programmeBalances } from '../../src/ledger/balances.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { importBankResults } from '../../src/services/payouts/bank-results.ts';
import { cancelPayoutBatch, createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { cancelInstalmentAfterFailure } from '../../src/services/payouts/instalment-cancel.ts';
import { type AnsweredPayout, camt054Text, chunksOf } from '../support/bank-answers.ts';
import { PROGRAMME_ACCOUNT, TODAY, exportAndSendBatch, makeApprovedGrants } from '../support/payouts.ts';
import { makeProgramme } from '../support/fixtures.ts';
import { fundProgramme } from '../support/grants.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

type Op =
  | { kind: 'batch'; late: boolean }
  | { kind: 'send'; pick: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'answer'; picks: number[]; answer: AnsweredPayout['kind'] }
  | { kind: 'again' }
  | { kind: 'give_up'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('batch' as const), late: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('send' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      answer: fc.constantFrom<AnsweredPayout['kind']>('debit', 'debit', 'return'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('again' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('give_up' as const), pick: fc.nat() }) },
);

const pick = <T>(items: T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);

/** Runs a use case; a refusal by a rule is a legitimate outcome, anything else fails the property. */
async function attempt(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
}

async function run(ops: Op[]): Promise<void> {
  const ctx = t.world.users.finance.ctx;
  const programme = await makeProgramme(t.world, {
    instalmentPlan: 'quarterly',
    payoutAccount: { accountNumber: PROGRAMME_ACCOUNT, accountName: '青海省民政厅', bankName: '中国建设银行西宁城西支行' },
  });
  await fundProgramme(t.world, programme.id, '20000.00');
  const grants = await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['3000.00', '4000.01', '5000.00']);
  const files: string[] = [];
  let fileNo = 0;

  for (const op of ops) {
    const payouts = await t.db.prisma.payout.findMany({ where: { programmeId: programme.id }, orderBy: { reference: 'asc' } });
    const batches = await t.db.prisma.payoutBatch.findMany({ where: { programmeId: programme.id, status: 'open' }, orderBy: { code: 'asc' } });
    switch (op.kind) {
      case 'batch':
        await attempt(() => createPayoutBatch({ ctx, input: { programmeId: programme.id, cutoffOn: op.late ? '2027-08-31' : TODAY() } }));
        break;
      case 'send': {
        const batch = pick(batches, op.pick);
        if (batch) await attempt(() => exportAndSendBatch(ctx, batch.id));
        break;
      }
      case 'cancel': {
        const batch = pick(batches, op.pick);
        if (batch) await attempt(() => cancelPayoutBatch({ ctx, input: { batchId: batch.id, reason: '属性测试' } }));
        break;
      }
      case 'answer': {
        const answerable = payouts.filter((p) => p.status === 'sent' || p.status === 'settled');
        const chosen = [...new Set(op.picks.map((n) => pick(answerable, n)).filter((p) => p !== undefined))];
        if (chosen.length === 0) break;
        const xml = await camt054Text(
          { messageId: `PROP-${++fileNo}`, account: PROGRAMME_ACCOUNT },
          chosen.map((p) => ({ reference: p.reference, amount: p.amount.toFixed(2), kind: op.answer, bankReference: `${op.answer}-${p.reference}` })),
        );
        files.push(xml);
        await attempt(() => importBankResults({ ctx, input: { programmeId: programme.id, content: chunksOf(xml), format: 'auto', acceptExceptions: true } }));
        break;
      }
      case 'again': {
        const xml = files[files.length - 1];
        if (!xml) break;
        const before = await t.db.prisma.ledgerTransaction.count();
        const result = await importBankResults({ ctx, input: { programmeId: programme.id, content: chunksOf(xml), format: 'auto', acceptExceptions: true } });
        expect(result.replayed).toBe(true);
        expect(await t.db.prisma.ledgerTransaction.count()).toBe(before);
        break;
      }
      case 'give_up': {
        const failed = pick(
          payouts.filter((p) => (p.status === 'failed' || p.status === 'returned') && p.resolvedAt === null),
          op.pick,
        );
        if (failed) await attempt(() => cancelInstalmentAfterFailure({ ctx, input: { instalmentId: failed.instalmentId, reason: '属性测试' } }));
        break;
      }
    }
  }

  // What the payouts' statuses say the balances must be.
  const payouts = await t.db.prisma.payout.findMany({ where: { programmeId: programme.id } });
  const instalments = await t.db.prisma.instalment.findMany({ where: { grantId: { in: grants.map((g) => g.grant.id) } } });
  const sum = (items: { amount: { toString(): string } }[]): Money => items.reduce((s, i) => s.plus(i.amount.toString()), ZERO);
  const settled = payouts.filter((p) => p.status === 'settled');
  const sent = payouts.filter((p) => p.status === 'sent');
  const cancelled = instalments.filter((i) => i.status === 'cancelled');
  const granted = money('12000.01');
  const b = (await programmeBalances(t.db.prisma, [programme.id])).get(programme.id)!;
  expect(formatMoney(b.bank)).toBe(formatMoney(money('20000.00').minus(sum(settled))));
  expect(formatMoney(b.inTransit)).toBe(formatMoney(sum(sent)));
  expect(formatMoney(b.payable)).toBe(formatMoney(granted.minus(sum(sent)).minus(sum(settled)).minus(sum(cancelled))));
  expect(formatMoney(b.fund)).toBe(formatMoney(money('20000.00').minus(granted).plus(sum(cancelled))));

  for (const instalment of instalments) {
    const mine = payouts.filter((p) => p.instalmentId === instalment.id);
    // At most one live payout; paid exactly when one settled; sent exactly when one is in transit.
    expect(mine.filter((p) => ['pending', 'sent', 'settled'].includes(p.status)).length).toBeLessThanOrEqual(1);
    expect(instalment.status === 'paid').toBe(mine.some((p) => p.status === 'settled'));
    expect(instalment.status === 'sent').toBe(mine.some((p) => p.status === 'sent'));
  }
  for (const g of grants) {
    const paid = sum(settled.filter((p) => p.grantId === g.grant.id));
    expect(paid.lessThanOrEqualTo(g.grant.amount)).toBe(true);
  }
  const settlements = await t.db.prisma.ledgerTransaction.groupBy({
    by: ['sourceId'],
    where: { programmeId: programme.id, kind: 'payout_settled' },
    _count: { _all: true },
  });
  expect(settlements.every((s) => s._count._all === 1)).toBe(true);
  expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
}

describe('payouts property', () => {
  it('keeps every instalment paid at most once and the ledger what the payouts say', async () => {
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 6, maxLength: 20 }), run), {
      numRuns: 20,
      // FC_SEED=<seed> replays a failure fast-check reported.
      ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
    });
  }, 600_000);
});
