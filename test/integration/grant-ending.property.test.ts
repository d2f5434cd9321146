// Property: no sequence of receipts, grant approvals and rejections, payouts sent, enrolment
// suspensions, resumptions and endings, and eligibility revocations breaks the ledger's invariants —
// the chain verifies, no account goes below zero, every balance is what a simple model says, every
// instalment has the status the model says, and each ended grant returned exactly what it cancelled.
// (Embedded database, one programme per run; everything dated today.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { todayInChina } from '../../src/domain/dates.ts';
import { type EnrolmentStatus, statusChangeRefusal } from '../../src/domain/enrolment-status.ts';
import { postings } from '../../src/domain/ledger-postings.ts';
import { type Money, ZERO, formatMoney, money } from '../../src/domain/money.ts';
import { programmeBalances } from '../../src/ledger/balances.ts';
import { postTransaction } from '../../src/ledger/journal.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { revokeEligibility } from '../../src/services/eligibility.ts';
import { changeEnrolmentStatus } from '../../src/services/enrolments.ts';
import { approveGrant, rejectGrant } from '../../src/services/grants.ts';
import { makeProgramme } from '../support/fixtures.ts';
import { fundProgramme, makeProposedGrant } from '../support/grants.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

const TODAY = todayInChina();

type Op =
  | { kind: 'receipt'; fen: number }
  | { kind: 'grant'; fen: number; decide: 'approve' | 'reject' }
  | { kind: 'send'; pick: number }
  | { kind: 'enrolment'; pick: number; to: EnrolmentStatus }
  | { kind: 'revoke'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('receipt' as const), fen: fc.integer({ min: 1, max: 1_200_000 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('grant' as const),
      fen: fc.integer({ min: 300_000, max: 500_000 }),
      decide: fc.constantFrom('approve' as const, 'approve' as const, 'reject' as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('send' as const), pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('enrolment' as const),
      pick: fc.nat(),
      to: fc.constantFrom<EnrolmentStatus>('suspended', 'enrolled', 'graduated', 'withdrawn'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('revoke' as const), pick: fc.nat() }) },
);

const fromFen = (fen: number): Money => money(fen).dividedBy(100);

interface ModelGrant {
  id: string;
  studentId: string;
  enrolmentId: string;
  eligibilityId: string;
  enrolment: EnrolmentStatus;
  revoked: boolean;
  ended: boolean;
  instalments: { sequence: number; amount: Money; status: string }[];
}

describe('cancellations and revocations keep the ledger invariants', () => {
  it('for random sequences: verifyLedger ok, balances and instalment statuses as modelled', { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 10 }), async (ops) => {
        const programme = await makeProgramme(t.world, { instalmentPlan: 'quarterly' });
        let fund = ZERO;
        let payable = ZERO;
        let inTransit = ZERO;
        const grants: ModelGrant[] = [];
        /** Ends a modelled grant: its open instalments are cancelled and their sum goes back to the fund. */
        const endModel = (g: ModelGrant) => {
          if (g.ended) return;
          let back = ZERO;
          for (const i of g.instalments) {
            if (i.status === 'scheduled' || i.status === 'held') {
              back = back.plus(i.amount);
              i.status = 'cancelled';
            }
          }
          fund = fund.plus(back);
          payable = payable.minus(back);
          g.ended = true;
        };

        for (const op of ops) {
          if (op.kind === 'receipt') {
            await fundProgramme(t.world, programme.id, formatMoney(fromFen(op.fen)));
            fund = fund.plus(fromFen(op.fen));
          } else if (op.kind === 'grant') {
            const made = await makeProposedGrant(t.db.prisma, t.world, programme.id, formatMoney(fromFen(op.fen)));
            if (op.decide === 'reject') {
              await rejectGrant({ ctx: t.world.users.approver.ctx, input: { id: made.grant.id, reason: '金额需重新核定' } });
              continue;
            }
            const amount = fromFen(op.fen);
            const attempt = approveGrant({ ctx: t.world.users.approver.ctx, input: { id: made.grant.id } });
            if (fund.lessThan(amount)) {
              await expect(attempt).rejects.toMatchObject({ code: 'insufficient_fund' });
              continue;
            }
            const approved = await attempt;
            fund = fund.minus(amount);
            payable = payable.plus(amount);
            grants.push({
              id: approved.id,
              studentId: made.student.id,
              enrolmentId: made.enrolment.id,
              eligibilityId: made.eligibility.id,
              enrolment: 'enrolled',
              revoked: false,
              ended: false,
              instalments: approved.instalments.map((i) => ({ sequence: i.sequence, amount: money(i.amount), status: i.status })),
            });
          } else if (op.kind === 'send') {
            if (grants.length === 0) continue;
            const g = grants[op.pick % grants.length]!;
            const next = g.instalments.find((i) => i.status === 'scheduled');
            if (!next) continue;
            // What a payout batch will do (payouts are another issue).
            await t.db.prisma.$transaction(async (tx) => {
              await tx.instalment.update({ where: { grantId_sequence: { grantId: g.id, sequence: next.sequence } }, data: { status: 'sent' } });
              await postTransaction(tx, {
                programmeId: programme.id,
                kind: 'payout_sent',
                eventDate: TODAY,
                description: 'property test payout',
                sourceType: 'grant',
                sourceId: g.id,
                actorId: t.world.users.finance.actor.userId,
                postings: postings.payoutSent(g.id, next.amount),
              });
            });
            next.status = 'sent';
            payable = payable.minus(next.amount);
            inTransit = inTransit.plus(next.amount);
          } else if (op.kind === 'enrolment') {
            if (grants.length === 0) continue;
            const g = grants[op.pick % grants.length]!;
            const attempt = changeEnrolmentStatus({
              ctx: t.world.users.caseworker.ctx,
              input: { studentId: g.studentId, enrolmentId: g.enrolmentId, status: op.to, effectiveOn: TODAY, reason: '状态变更（测试）' },
            });
            const refusal = statusChangeRefusal(g.enrolment, op.to);
            if (refusal) {
              await expect(attempt).rejects.toMatchObject({ code: refusal });
              continue;
            }
            await attempt;
            const from = g.enrolment;
            g.enrolment = op.to;
            if (g.ended) continue;
            if (op.to === 'graduated' || op.to === 'withdrawn') endModel(g);
            else if (op.to === 'suspended') for (const i of g.instalments) i.status = i.status === 'scheduled' ? 'held' : i.status;
            else if (from === 'suspended') for (const i of g.instalments) i.status = i.status === 'held' ? 'scheduled' : i.status;
          } else {
            if (grants.length === 0) continue;
            const g = grants[op.pick % grants.length]!;
            const attempt = revokeEligibility({
              ctx: t.world.users.approver.ctx,
              input: { id: g.eligibilityId, reason: '经核查不再符合条件', effectiveOn: TODAY },
            });
            if (g.revoked) {
              await expect(attempt).rejects.toMatchObject({ code: 'already_revoked' });
              continue;
            }
            await attempt;
            g.revoked = true;
            endModel(g);
          }
        }

        const balances = (await programmeBalances(t.db.prisma, [programme.id])).get(programme.id)!;
        expect(formatMoney(balances.fund)).toBe(formatMoney(fund));
        expect(formatMoney(balances.payable)).toBe(formatMoney(payable));
        expect(formatMoney(balances.inTransit)).toBe(formatMoney(inTransit));
        expect(formatMoney(balances.bank)).toBe(formatMoney(fund.plus(payable).plus(inTransit)));
        for (const g of grants) {
          const row = await t.db.prisma.grant.findUniqueOrThrow({ where: { id: g.id }, include: { instalments: { orderBy: { sequence: 'asc' } } } });
          expect(row.status).toBe(g.ended ? 'ended' : 'approved');
          expect(row.instalments.map((i) => i.status)).toEqual(g.instalments.map((i) => i.status));
          expect(formatMoney(row.instalments.reduce((s, i) => s.plus(i.amount.toString()), ZERO))).toBe(formatMoney(row.amount.toString()));
          const cancelled = g.instalments.filter((i) => i.status === 'cancelled').reduce((s, i) => s.plus(i.amount), ZERO);
          const [returned] = await t.db.prisma.$queryRaw<{ total: string | null }[]>`
            SELECT sum(e."amount")::text AS total FROM "ledger_entry" e
            JOIN "ledger_transaction" t ON t."id" = e."transaction_id" JOIN "ledger_account" a ON a."id" = e."account_id"
            WHERE t."kind" = 'remainder_cancelled' AND a."grant_id" = ${g.id}::uuid AND e."direction" = 'debit'`;
          expect(formatMoney(returned?.total ?? '0')).toBe(formatMoney(cancelled));
        }
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
