// Payouts as finance, foundations and auditors look for them: per batch, per student, everything
// in transit for more than N days, and the failures and returns still to act on. Identities and
// accounts are masked for every role; the whole account is only ever in the bank file.
import { z } from 'zod';
import { PageInput, Uuid } from '../fields.ts';
import { parseInput } from '../validation.ts';
import { todayInChina, toIsoDate, dateFromIso } from '../../domain/dates.ts';
import { CURRENCY, formatMoney } from '../../domain/money.ts';
import { describeReturnReason } from '../../domain/return-reasons.ts';
import type { PayoutStatus as PayoutStatusValue } from '../../domain/payouts.ts';
import type { Prisma } from '#prisma';
import type { ServiceContext, UseCaseCall } from '../context.ts';
import { DEFAULT_PAGE_SIZE, type Page, decodeCursor, pageOf } from '../pagination.ts';
import { programmeScope, requirePermission } from '../scope.ts';

export interface PayoutView {
  id: string;
  reference: string;
  batch: { id: string; code: string };
  programmeId: string;
  grantId: string;
  instalmentId: string;
  student: { id: string; nameMasked: string; identityNumberMasked: string };
  amount: string;
  currency: typeof CURRENCY;
  payee: { nameMasked: string; accountMasked: string; bankName: string };
  status: PayoutStatusValue;
  sentOn: string | null;
  settledOn: string | null;
  outcome: { on: string | null; reason: string | null; reasonText: string | null; bankReference: string | null } | null;
  /** The bank's reference of the line that settled it. */
  bankReference: string | null;
  retryOfId: string | null;
  /** For a failed or returned payout: whether it was retried or its instalment cancelled. */
  resolved: boolean;
}

export const PayoutStatus = z.enum(['pending', 'sent', 'settled', 'failed', 'returned', 'cancelled']).meta({
  description:
    'pending (in an open batch) · sent (Dr payable / Cr in_transit) · settled (Dr in_transit / Cr bank) · failed (refused or returned before settling: Dr in_transit / Cr payable) · returned (came back after settling: Dr bank / Cr payable) · cancelled (its batch was cancelled before sending)',
});

/** Which payouts: each filter narrows the list. */
export const PayoutFilters = z.object({
  programmeId: Uuid.optional(),
  batchId: Uuid.optional(),
  studentId: Uuid.optional(),
  status: PayoutStatus.optional(),
  /** Sent and not yet settled or failed, sent at least this many days ago. */
  inTransitForDays: z.number().int('must be a whole number').min(0).max(3650).optional(),
  /** Failed or returned, and neither retried nor cancelled yet. */
  toActOn: z.boolean().optional(),
});

export const ListPayoutsInput = PageInput.extend(PayoutFilters.shape);
export type ListPayoutsInput = z.input<typeof ListPayoutsInput>;

const include = {
  batch: { select: { id: true, code: true, sentOn: true } },
} as const;

type Row = Prisma.PayoutGetPayload<{ include: typeof include }>;

function where(ctx: ServiceContext, input: ListPayoutsInput): Prisma.PayoutWhereInput {
  const filters: Prisma.PayoutWhereInput[] = [{ batch: { programme: programmeScope(ctx.actor) } }];
  if (input.programmeId) filters.push({ programmeId: input.programmeId });
  if (input.batchId) filters.push({ batchId: input.batchId });
  if (input.studentId) filters.push({ studentId: input.studentId });
  if (input.status) filters.push({ status: input.status });
  if (input.inTransitForDays !== undefined) {
    const sentBy = new Date(dateFromIso(todayInChina()).getTime() - input.inTransitForDays * 86_400_000);
    filters.push({ status: 'sent', batch: { sentOn: { lte: sentBy } } });
  }
  if (input.toActOn) filters.push({ status: { in: ['failed', 'returned'] }, resolvedAt: null });
  return { AND: filters };
}

async function views(ctx: ServiceContext, rows: Row[]): Promise<PayoutView[]> {
  const students = await ctx.db.student.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.studentId))] } },
    select: { id: true, nameMasked: true, identityNumberMasked: true },
  });
  const byId = new Map(students.map((s) => [s.id, s]));
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    batch: { id: r.batch.id, code: r.batch.code },
    programmeId: r.programmeId,
    grantId: r.grantId,
    instalmentId: r.instalmentId,
    student: byId.get(r.studentId) as PayoutView['student'],
    amount: formatMoney(r.amount.toString()),
    currency: CURRENCY,
    payee: { nameMasked: r.payeeNameMasked, accountMasked: r.payeeAccountMasked, bankName: r.payeeBankName },
    status: r.status,
    sentOn: r.status !== 'pending' && r.status !== 'cancelled' && r.batch.sentOn ? toIsoDate(r.batch.sentOn) : null,
    settledOn: r.settledOn ? toIsoDate(r.settledOn) : null,
    outcome:
      r.status === 'failed' || r.status === 'returned'
        ? {
            on: r.outcomeOn ? toIsoDate(r.outcomeOn) : null,
            reason: r.outcomeReason,
            reasonText: describeReturnReason(r.outcomeReason),
            bankReference: r.outcomeBankReference,
          }
        : null,
    bankReference: r.bankReference,
    retryOfId: r.retryOfId,
    resolved: r.resolvedAt !== null,
  }));
}

/** Ordered by reference: batches in the order they were made, payouts in sequence. */
export async function listPayouts({ ctx, input: raw }: UseCaseCall<ListPayoutsInput>): Promise<Page<PayoutView>> {
  const input = parseInput(ListPayoutsInput, raw);
  requirePermission(ctx.actor, 'payout.read');
  const limit = input.limit ?? DEFAULT_PAGE_SIZE;
  const after = decodeCursor(input.cursor, ['reference']);
  const rows = await ctx.db.payout.findMany({
    where: { AND: [where(ctx, input), ...(after ? [{ reference: { gt: after.reference } }] : [])] },
    include,
    orderBy: { reference: 'asc' },
    take: limit + 1,
  });
  const page = pageOf(rows, limit, (r) => ({ reference: r.reference }));
  return { items: await views(ctx, page.items), nextCursor: page.nextCursor };
}

/** Every matching payout, a page at a time: for the CSV export. */
export async function* allPayouts(ctx: ServiceContext, input: ListPayoutsInput): AsyncGenerator<PayoutView> {
  let cursor: string | undefined;
  do {
    const page = await listPayouts({ ctx, input: { ...input, limit: 200, cursor } });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
