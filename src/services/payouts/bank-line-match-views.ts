// Hand matches of bank lines as they are read: a programme's matches (by default those waiting for
// a checker), one match with its line and payout, and the payouts a line could be matched to, for
// the page's choice. References, amounts and statuses only: no personal data.
import { z } from 'zod';
import { Uuid } from '../fields.ts';
import { parseInput } from '../validation.ts';
import { toIsoDate } from '../../domain/dates.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { formatMoney } from '../../domain/money.ts';
import type { PayoutStatus } from '../../domain/payouts.ts';
import type { Tx, UseCaseCall } from '../context.ts';
import { programmeScope, requirePermission } from '../scope.ts';

export const ListBankLineMatchesInput = z.strictObject({
  programmeId: Uuid,
  importId: Uuid.optional(),
  status: z.enum(['proposed', 'confirmed', 'rejected']).default('proposed'),
});
export type ListBankLineMatchesInput = z.input<typeof ListBankLineMatchesInput>;

export interface BankLineMatchView {
  id: string;
  programmeId: string;
  importId: string;
  position: number;
  /** The line as the bank wrote it: no personal data. */
  line: { line: number; reference: string | null; amount: string; kind: string; outcome: string; bookingDate: string | null; bankReference: string | null };
  payout: { id: string; reference: string; amount: string; status: string };
  reason: string;
  status: 'proposed' | 'confirmed' | 'rejected';
  proposedById: string;
  proposedAt: string;
  confirmedById: string | null;
  confirmedAt: string | null;
  rejectedById: string | null;
  rejectedAt: string | null;
  rejectionReason: string | null;
}

/** The proposals of a programme (by default those waiting for a checker), oldest first. */
export async function listBankLineMatches({ ctx, input: raw }: UseCaseCall<ListBankLineMatchesInput>): Promise<{ items: BankLineMatchView[] }> {
  const input = parseInput(ListBankLineMatchesInput, raw);
  requirePermission(ctx.actor, 'payout.read');
  const programme = await ctx.db.programme.findFirst({ where: { AND: [{ id: input.programmeId }, programmeScope(ctx.actor)] }, select: { id: true } });
  if (!programme) throw new NotFoundError('programme');
  const rows = await ctx.db.bankLineMatch.findMany({
    where: { programmeId: programme.id, status: input.status, ...(input.importId ? { importId: input.importId } : {}) },
    orderBy: [{ proposedAt: 'asc' }, { id: 'asc' }],
    take: 500,
    select: { id: true },
  });
  const items = [];
  for (const r of rows) items.push(await matchView(ctx.db, r.id));
  return { items };
}

/** One match with its line and payout, inside the caller's transaction (the caller checked the scope). */
export async function matchView(db: Tx, id: string): Promise<BankLineMatchView> {
  const m = await db.bankLineMatch.findUniqueOrThrow({ where: { id } });
  const line = await db.bankResultLine.findUniqueOrThrow({ where: { importId_position: { importId: m.importId, position: m.position } } });
  const payout = await db.payout.findUniqueOrThrow({ where: { id: m.payoutId }, select: { id: true, reference: true, amount: true, status: true } });
  return {
    id: m.id,
    programmeId: m.programmeId,
    importId: m.importId,
    position: m.position,
    line: {
      line: line.line,
      reference: line.reference,
      amount: formatMoney(line.amount.toString()),
      kind: line.kind,
      outcome: line.outcome,
      bookingDate: line.bookingDate ? toIsoDate(line.bookingDate) : null,
      bankReference: line.bankReference,
    },
    payout: { id: payout.id, reference: payout.reference, amount: formatMoney(payout.amount.toString()), status: payout.status },
    reason: m.reason,
    status: m.status,
    proposedById: m.proposedById,
    proposedAt: m.proposedAt.toISOString(),
    confirmedById: m.confirmedById,
    confirmedAt: m.confirmedAt?.toISOString() ?? null,
    rejectedById: m.rejectedById,
    rejectedAt: m.rejectedAt?.toISOString() ?? null,
    rejectionReason: m.rejectionReason,
  };
}

export const ListMatchablePayoutsInput = z.strictObject({
  programmeId: Uuid,
  amounts: z.array(z.string().regex(/^\d{1,12}\.\d{2}$/, 'must be an amount with two decimals')).max(200),
});

/** A payout a line could be matched to: reference, amount and status only, no personal data. */
export interface MatchablePayout {
  id: string;
  reference: string;
  amount: string;
  status: PayoutStatus;
}

/** At most this many payouts per amount: beyond, the page asks for the reference instead of listing them. */
export const MATCHABLE_PER_AMOUNT = 50;

/**
 * The programme's payouts that a line of one of these amounts could be matched to (in transit, or
 * settled for a return), at most MATCHABLE_PER_AMOUNT + 1 per amount, for the page's choice.
 */
export async function listMatchablePayouts({ ctx, input: raw }: UseCaseCall<z.input<typeof ListMatchablePayoutsInput>>): Promise<MatchablePayout[]> {
  const input = parseInput(ListMatchablePayoutsInput, raw);
  requirePermission(ctx.actor, 'bank_line_match.propose');
  const programme = await ctx.db.programme.findFirst({ where: { AND: [{ id: input.programmeId }, programmeScope(ctx.actor)] }, select: { id: true } });
  if (!programme) throw new NotFoundError('programme');
  if (input.amounts.length === 0) return [];
  return ctx.db.$queryRaw<MatchablePayout[]>`
    SELECT w."id", w."reference", w."amount", w."status" FROM (
      SELECT p."id"::text AS "id", p."reference", p."amount"::text AS "amount", p."status"::text AS "status",
             row_number() OVER (PARTITION BY p."amount" ORDER BY p."reference") AS n
      FROM "payout" p
      WHERE p."programme_id" = ${programme.id}::uuid AND p."status" IN ('sent', 'settled') AND p."amount" = ANY(${input.amounts}::numeric[])
    ) w
    WHERE w.n <= ${MATCHABLE_PER_AMOUNT + 1}
    ORDER BY w."amount", w."reference"`;
}
