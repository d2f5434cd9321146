// What finance, foundations and auditors see of a batch: its totals by payout status, the
// instalments it held back and why, the files exported. Masked references only; sums computed by
// the database from the payouts, never stored twice.
import { z } from 'zod';
import { PageInput, Uuid } from '../fields.ts';
import { parseInput } from '../validation.ts';
import { toIsoDate } from '../../domain/dates.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { CURRENCY, formatMoney } from '../../domain/money.ts';
import type { PayoutStatus } from '../../domain/payouts.ts';
import { Prisma } from '#prisma';
import type { BankFileFormat, PayoutBatchStatus } from '#prisma/enums';
import type { ServiceContext, Tx, UseCaseCall } from '../context.ts';
import { type Page, newestFirst, withItems } from '../pagination.ts';
import { programmeScope, programmeScopeSql, requirePermission } from '../scope.ts';

export const PAYOUT_STATUSES: readonly PayoutStatus[] = ['pending', 'sent', 'settled', 'failed', 'returned', 'cancelled'];

export interface StatusTotal {
  count: number;
  amount: string;
}

export interface BatchView {
  id: string;
  code: string;
  programme: { id: string; code: string; name: string };
  status: PayoutBatchStatus;
  cutoffOn: string;
  requestedExecutionOn: string;
  payoutCount: number;
  total: string;
  currency: typeof CURRENCY;
  byStatus: Record<PayoutStatus, StatusTotal>;
  heldCount: number;
  createdById: string;
  createdAt: string;
  sent: { sentById: string; sentAt: string; sentOn: string } | null;
  cancelled: { cancelledById: string; cancelledAt: string; reason: string } | null;
  exports: { format: BankFileFormat; sha256: string; bytes: number; createdAt: string }[];
}

export interface BatchDetailView extends BatchView {
  held: { instalmentId: string; student: { id: string; nameMasked: string; identityNumberMasked: string }; amount: string; reason: string }[];
}

const include = {
  programme: { select: { id: true, code: true, name: true } },
  exports: { orderBy: { format: 'asc' as const } },
  _count: { select: { holds: true } },
} as const;

type Row = Prisma.PayoutBatchGetPayload<{ include: typeof include }>;

async function totalsByStatus(db: Tx, batchIds: string[]): Promise<Map<string, Record<PayoutStatus, StatusTotal>>> {
  const rows = await db.$queryRaw<{ batch_id: string; status: PayoutStatus; n: bigint; amount: string }[]>`
    SELECT "batch_id"::text AS batch_id, "status"::text AS status, count(*) AS n, sum("amount")::text AS amount
    FROM "payout" WHERE "batch_id" = ANY(${batchIds}::uuid[]) GROUP BY "batch_id", "status"`;
  const result = new Map<string, Record<PayoutStatus, StatusTotal>>();
  for (const id of batchIds) {
    result.set(id, Object.fromEntries(PAYOUT_STATUSES.map((s) => [s, { count: 0, amount: '0.00' }])) as Record<PayoutStatus, StatusTotal>);
  }
  for (const r of rows) (result.get(r.batch_id) as Record<PayoutStatus, StatusTotal>)[r.status] = { count: Number(r.n), amount: formatMoney(r.amount) };
  return result;
}

async function views(db: Tx, rows: Row[]): Promise<BatchView[]> {
  const totals = await totalsByStatus(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    programme: r.programme,
    status: r.status,
    cutoffOn: toIsoDate(r.cutoffOn),
    requestedExecutionOn: toIsoDate(r.requestedExecutionOn),
    payoutCount: r.payoutCount,
    total: formatMoney(r.total.toString()),
    currency: CURRENCY,
    byStatus: totals.get(r.id) as Record<PayoutStatus, StatusTotal>,
    heldCount: r._count.holds,
    createdById: r.createdById,
    createdAt: r.createdAt.toISOString(),
    sent: r.sentAt && r.sentById && r.sentOn ? { sentById: r.sentById, sentAt: r.sentAt.toISOString(), sentOn: toIsoDate(r.sentOn) } : null,
    cancelled:
      r.cancelledAt && r.cancelledById && r.cancelReason
        ? { cancelledById: r.cancelledById, cancelledAt: r.cancelledAt.toISOString(), reason: r.cancelReason }
        : null,
    exports: r.exports.map((e) => ({ format: e.format, sha256: e.sha256, bytes: Number(e.bytes), createdAt: e.createdAt.toISOString() })),
  }));
}

/** The batch as it stands inside the caller's transaction (no scope check: the caller made or locked it). */
export async function batchView(db: Tx, id: string): Promise<BatchView> {
  const row = await db.payoutBatch.findUniqueOrThrow({ where: { id }, include });
  return (await views(db, [row]))[0] as BatchView;
}

export async function getPayoutBatch({ ctx, input: raw }: UseCaseCall<z.input<typeof GetPayoutBatchInput>>): Promise<BatchDetailView> {
  const input = parseInput(GetPayoutBatchInput, raw);
  requirePermission(ctx.actor, 'payout.read');
  const db = ctx.db;
  const row = await db.payoutBatch.findFirst({ where: { id: input.batchId, programme: programmeScope(ctx.actor) }, include });
  if (!row) throw new NotFoundError('payout_batch');
  const [view] = (await views(db, [row])) as [BatchView];
  const holds = await db.$queryRaw<
    { instalment_id: string; student_id: string; name_masked: string; identity_number_masked: string; amount: string; reason: string }[]
  >`
    SELECT h."instalment_id"::text AS instalment_id, s."id"::text AS student_id, s."name_masked", s."identity_number_masked",
           h."amount"::text AS amount, h."reason"
    FROM "payout_batch_hold" h JOIN "student" s ON s."id" = h."student_id"
    WHERE h."batch_id" = ${row.id}::uuid ORDER BY s."id", h."instalment_id"`;
  return {
    ...view,
    held: holds.map((h) => ({
      instalmentId: h.instalment_id,
      student: { id: h.student_id, nameMasked: h.name_masked, identityNumberMasked: h.identity_number_masked },
      amount: formatMoney(h.amount),
      reason: h.reason,
    })),
  };
}

export const BatchStatus = z.enum(['open', 'sent', 'cancelled']);

export const ListBatchesInput = PageInput.extend({ programmeId: Uuid.optional(), status: BatchStatus.optional() });
export type ListBatchesInput = z.input<typeof ListBatchesInput>;

export const GetPayoutBatchInput = z.strictObject({ batchId: Uuid });

export async function listPayoutBatches({ ctx, input: raw }: UseCaseCall<ListBatchesInput>): Promise<Page<BatchView>> {
  const input = parseInput(ListBatchesInput, raw);
  requirePermission(ctx.actor, 'payout.read');
  const keyset = newestFirst('createdAt', 'moment', input);
  const rows = await ctx.db.payoutBatch.findMany({
    where: {
      programme: programmeScope(ctx.actor),
      ...(input.programmeId ? { programmeId: input.programmeId } : {}),
      ...(input.status ? { status: input.status } : {}),
      ...keyset.after,
    },
    include,
    ...keyset.order,
  });
  const page = keyset.page(rows);
  return withItems(page, await views(ctx.db, page.items));
}

/** The batch's programme when the actor may see it (for routes that stream files). */
export async function batchInScope(
  db: Tx,
  ctx: ServiceContext,
  batchId: string,
): Promise<{ id: string; programmeId: string; code: string; status: PayoutBatchStatus }> {
  const [row] = await db.$queryRaw<{ id: string; programme_id: string; code: string; status: PayoutBatchStatus }[]>(Prisma.sql`
    SELECT b."id"::text AS id, b."programme_id"::text AS programme_id, b."code", b."status"::text AS status
    FROM "payout_batch" b JOIN "programme" p ON p."id" = b."programme_id"
    WHERE b."id" = ${batchId}::uuid AND ${programmeScopeSql(ctx.actor)}`);
  if (!row) throw new NotFoundError('payout_batch');
  return { id: row.id, programmeId: row.programme_id, code: row.code, status: row.status };
}
