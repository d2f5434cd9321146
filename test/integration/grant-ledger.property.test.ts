// Property: no sequence of funding receipts, receipt reversals, grant approvals and rejections
// breaks the ledger's invariants — the chain verifies, `fund` never goes below zero, and every
// balance is what a simple model of the programme says (embedded database, one programme per run).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.ts';
import { type Money, ZERO, formatMoney, money } from '../../src/domain/money.ts';
import { programmeBalances } from '../../src/ledger/balances.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { reverseFundingReceipt } from '../../src/services/funding-receipts.ts';
import { approveGrant, rejectGrant } from '../../src/services/grants.ts';
import { makeProgramme } from '../support/fixtures.ts';
import { fundProgramme, makeProposedGrant } from '../support/grants.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

type Op = { kind: 'receipt'; fen: number } | { kind: 'reverse'; pick: number } | { kind: 'grant'; fen: number; decide: 'approve' | 'reject' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('receipt' as const), fen: fc.integer({ min: 1, max: 1_200_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('grant' as const),
      fen: fc.integer({ min: 300_000, max: 500_000 }),
      decide: fc.constantFrom('approve' as const, 'approve' as const, 'reject' as const),
    }),
  },
);

const fromFen = (fen: number): Money => money(fen).dividedBy(100);

describe('grant approvals and receipts keep the ledger invariants', () => {
  it('for random sequences: verifyLedger ok, fund never negative, balances as modelled', { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 7 }), async (ops) => {
        const programme = await makeProgramme(t.world);
        let fund = ZERO;
        let payable = ZERO;
        const receipts: { id: string; amount: Money; reversed: boolean }[] = [];
        for (const op of ops) {
          if (op.kind === 'receipt') {
            const r = await fundProgramme(t.world, programme.id, formatMoney(fromFen(op.fen)));
            receipts.push({ id: r.id, amount: fromFen(op.fen), reversed: false });
            fund = fund.plus(fromFen(op.fen));
          } else if (op.kind === 'reverse') {
            if (receipts.length === 0) continue;
            const r = receipts[op.pick % receipts.length]!;
            const attempt = reverseFundingReceipt({
              ctx: t.world.users.finance.ctx,
              input: { programmeId: programme.id, receiptId: r.id, reason: 'entered in error' },
            });
            if (r.reversed) await expect(attempt).rejects.toMatchObject({ code: 'already_reversed' });
            else if (fund.lessThan(r.amount)) await expect(attempt).rejects.toMatchObject({ code: 'insufficient_balance' });
            else {
              await attempt;
              r.reversed = true;
              fund = fund.minus(r.amount);
            }
          } else {
            const { grant } = await makeProposedGrant(t.db.prisma, t.world, programme.id, formatMoney(fromFen(op.fen)));
            if (op.decide === 'reject') {
              await rejectGrant({ ctx: t.world.users.approver.ctx, input: { id: grant.id, reason: '金额需重新核定' } });
              continue;
            }
            const amount = fromFen(op.fen);
            const attempt = approveGrant({ ctx: t.world.users.approver.ctx, input: { id: grant.id } });
            if (fund.lessThan(amount)) {
              const error = await attempt.then(
                () => null,
                (e: unknown) => e,
              );
              expect(error).toBeInstanceOf(DomainError);
              expect(error).toMatchObject({ code: 'insufficient_fund' });
              expect(await t.db.prisma.grant.findUniqueOrThrow({ where: { id: grant.id } })).toMatchObject({ status: 'proposed', ledgerTransactionId: null });
            } else {
              const approved = await attempt;
              expect(approved.status).toBe('approved');
              const sum = approved.instalments.reduce((s, i) => s.plus(i.amount), ZERO);
              expect(formatMoney(sum)).toBe(formatMoney(amount));
              fund = fund.minus(amount);
              payable = payable.plus(amount);
            }
          }
        }
        const balances = (await programmeBalances(t.db.prisma, [programme.id])).get(programme.id)!;
        expect(formatMoney(balances.fund)).toBe(formatMoney(fund));
        expect(formatMoney(balances.payable)).toBe(formatMoney(payable));
        expect(formatMoney(balances.bank)).toBe(formatMoney(fund.plus(payable)));
        const [row] = await t.db.prisma.$queryRaw<{ min_balance: string | null }[]>`
          SELECT min(e."balance_after")::text AS min_balance FROM "ledger_entry" e JOIN "ledger_account" a ON a."id" = e."account_id"
          WHERE a."programme_id" = ${programme.id}::uuid AND a."kind" <> 'bank'`;
        if (row?.min_balance) expect(money(row.min_balance).isNegative()).toBe(false);
        const verification = await verifyLedger(t.db.prisma);
        expect(verification.firstProblem).toBeNull();
        expect(verification.ok).toBe(true);
      }),
      { numRuns: 20, endOnFailure: true },
    );
  });
});
