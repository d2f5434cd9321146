// Funding receipts: money the foundation transfers into the programme's bank account.
// Recording one posts Dr bank / Cr fund in the same transaction as the receipt and its audit event.
import { z } from 'zod';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../domain/errors.ts';
import { CURRENCY, formatMoney, money } from '../domain/money.ts';
import { dateFromIso, toIsoDate, todayInChina } from '../domain/dates.ts';
import { reverseTransaction } from '../ledger/reversal.ts';
import { recordAudit } from './audit.ts';
import { type ServiceContext, type Tx, type UseCaseCall, inTransaction } from './context.ts';
import { type Page, newestFirst, withItems } from './pagination.ts';
import { findProgrammeInScope } from './programmes.ts';
import { ReceiptNotWritten, type ReceiptWrite, writeReceipt } from './funding-receipt-writer.ts';
import { requirePermission } from './scope.ts';
import { IsoDate, PageInput, PositiveMoney, Uuid } from './fields.ts';
import { parseInput } from './validation.ts';
import { may } from '../domain/roles.ts';
import { isNumericOverflow } from '../db/errors.ts';
import { academicYearStartingIn } from '../domain/academic-year.ts';
import { isInReceiptWindow, receiptWindow } from '../domain/receipt-window.ts';

/** A programme's year as stored (its first calendar year) → the academic year. */
function academicYearOf(startYear: number) {
  const year = academicYearStartingIn(startYear);
  if (!year) throw new Error(`programme year ${startYear} out of range`);
  return year;
}

export const RecordFundingReceiptInput = z.strictObject({
  programmeId: Uuid,
  remitterId: Uuid.meta({ description: 'The foundation that sent the money: the programme’s funder' }),
  amount: PositiveMoney,
  receivedOn: IsoDate.meta({ description: 'Value date on the bank statement (Beijing date)' }),
  bankReference: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  note: z.string().max(500).optional(),
});
export type RecordFundingReceiptInput = z.input<typeof RecordFundingReceiptInput>;

export const ReverseFundingReceiptInput = z.strictObject({
  programmeId: Uuid,
  receiptId: Uuid,
  reason: z.string().trim().min(5, 'state the reason (at least 5 characters)').max(500),
  eventDate: IsoDate.optional(),
});
export type ReverseFundingReceiptInput = z.input<typeof ReverseFundingReceiptInput>;

export const ListFundingReceiptsInput = PageInput.extend({ programmeId: Uuid, from: IsoDate.optional(), to: IsoDate.optional() });
export type ListFundingReceiptsInput = z.input<typeof ListFundingReceiptsInput>;

export const GetFundingReceiptInput = z.strictObject({ programmeId: Uuid, receiptId: Uuid });

export interface LedgerLink {
  id: string;
  seq: string;
  hash: string;
}

export interface FundingReceiptView {
  id: string;
  programmeId: string;
  remitter: { id: string; name: string };
  amount: string;
  currency: typeof CURRENCY;
  receivedOn: string;
  bankReference: string;
  note: string | null;
  status: 'recorded' | 'reversed';
  ledgerTransaction: LedgerLink;
  reversal: (LedgerLink & { reason: string; eventDate: string }) | null;
  recordedById: string;
  createdAt: string;
}

const include = {
  remitter: { select: { id: true, name: true } },
};

type ReceiptRow = Awaited<ReturnType<typeof loadReceipts>>[number];

async function loadReceipts(
  db: Tx,
  where: Parameters<Tx['fundingReceipt']['findMany']>[0] extends infer A ? (A extends { where?: infer W } ? W : never) : never,
  take?: number,
) {
  return db.fundingReceipt.findMany({ where, include, orderBy: [{ receivedOn: 'desc' }, { id: 'desc' }], ...(take ? { take } : {}) });
}

async function views(db: Tx, rows: ReceiptRow[]): Promise<FundingReceiptView[]> {
  const txIds = rows.map((r) => r.ledgerTransactionId);
  const ledger = await db.ledgerTransaction.findMany({
    where: { OR: [{ id: { in: txIds } }, { reversesId: { in: txIds } }] },
    select: { id: true, seq: true, hash: true, reversesId: true, description: true, eventDate: true },
  });
  const byId = new Map(ledger.map((t) => [t.id, t]));
  const reversalOf = new Map(ledger.filter((t) => t.reversesId).map((t) => [t.reversesId as string, t]));
  return rows.map((r) => {
    const original = byId.get(r.ledgerTransactionId);
    const reversal = reversalOf.get(r.ledgerTransactionId);
    return {
      id: r.id,
      programmeId: r.programmeId,
      remitter: r.remitter,
      amount: formatMoney(r.amount.toString()),
      currency: CURRENCY,
      receivedOn: toIsoDate(r.receivedOn),
      bankReference: r.bankReference,
      note: r.note,
      status: reversal ? 'reversed' : 'recorded',
      ledgerTransaction: { id: r.ledgerTransactionId, seq: String(original?.seq ?? ''), hash: original?.hash ?? '' },
      reversal: reversal
        ? { id: reversal.id, seq: String(reversal.seq), hash: reversal.hash, reason: reversal.description, eventDate: toIsoDate(reversal.eventDate) }
        : null,
      recordedById: r.recordedById,
      createdAt: r.createdAt.toISOString(),
    };
  });
}

/**
 * Recording a receipt is the ledger's busiest write (a foundation's year-start transfers, a
 * bank's batch files): the receipt, its audit row and its posting are one SQL statement, and
 * concurrent requests share it (funding-receipt-writer.ts). When nothing is written, a second
 * look finds out why.
 */
export async function recordFundingReceipt({ ctx, input: raw }: UseCaseCall<RecordFundingReceiptInput>): Promise<FundingReceiptView> {
  const input = parseInput(RecordFundingReceiptInput, raw);
  if (!may(ctx.actor.role, 'funding_receipt.record')) {
    // Out of scope answers 404 before the role is judged, so the role check does not leak existence.
    await findProgrammeInScope(ctx.tx ?? ctx.db, ctx, input.programmeId);
    requirePermission(ctx.actor, 'funding_receipt.record');
  }
  if (input.receivedOn > todayInChina()) {
    await findProgrammeInScope(ctx.tx ?? ctx.db, ctx, input.programmeId);
    throw new RuleViolationError('date_in_future', { field: 'receivedOn' });
  }
  const write: ReceiptWrite = {
    id: crypto.randomUUID(),
    programmeId: input.programmeId,
    remitterId: input.remitterId,
    amount: money(input.amount),
    receivedOn: input.receivedOn,
    bankReference: input.bankReference,
    note: input.note ?? null,
    createdAt: new Date(),
    actor: ctx.actor,
    requestId: ctx.requestId ?? null,
  };
  const posted = await writeReceipt(ctx.db, ctx.tx, write).catch(async (error: unknown) => {
    if (error instanceof ReceiptNotWritten) await explainRefusedReceipt(ctx.tx ?? ctx.db, ctx, input);
    if (isNumericOverflow(error)) throw new RuleViolationError('amount_out_of_range', { field: 'amount' });
    throw error;
  });
  const { id, amount, note, createdAt } = write;
  return {
    id,
    programmeId: input.programmeId,
    remitter: { id: input.remitterId, name: posted.funderName },
    amount: formatMoney(amount),
    currency: CURRENCY,
    receivedOn: input.receivedOn,
    bankReference: input.bankReference,
    note,
    status: 'recorded',
    ledgerTransaction: { id: posted.transaction.id, seq: posted.transaction.seq.toString(), hash: posted.transaction.hash },
    reversal: null,
    recordedById: ctx.actor.userId,
    createdAt: createdAt.toISOString(),
  };
}

/** The receipt statement wrote nothing: say why, in the order a person would check. Always throws. */
async function explainRefusedReceipt(tx: Tx, ctx: ServiceContext, input: RecordFundingReceiptInput): Promise<never> {
  const programme = await findProgrammeInScope(tx, ctx, input.programmeId);
  const window = receiptWindow(academicYearOf(programme.firstAcademicYear), academicYearOf(programme.lastAcademicYear));
  if (!isInReceiptWindow(input.receivedOn, window)) {
    throw new RuleViolationError('receipt_outside_programme', { field: 'receivedOn', from: window.from, to: window.to });
  }
  if (input.remitterId !== programme.funderId) {
    const remitter = await tx.organisation.findUnique({ where: { id: input.remitterId }, select: { id: true } });
    if (!remitter) throw new ValidationError([{ path: 'remitterId', message: 'no such organisation' }]);
    throw new RuleViolationError('remitter_not_funder', { field: 'remitterId' });
  }
  const duplicate = await tx.fundingReceipt.findUnique({
    where: { programmeId_bankReference: { programmeId: programme.id, bankReference: input.bankReference } },
    select: { id: true },
  });
  if (duplicate) {
    throw new ConflictError('duplicate_bank_reference', { existingId: duplicate.id });
  }
  throw new Error('funding receipt was not recorded for an unknown reason');
}

export async function reverseFundingReceipt({ ctx, input: raw }: UseCaseCall<ReverseFundingReceiptInput>): Promise<FundingReceiptView> {
  const input = parseInput(ReverseFundingReceiptInput, raw);
  return inTransaction(ctx, async (tx) => {
    await findProgrammeInScope(tx, ctx, input.programmeId);
    const receipt = await tx.fundingReceipt.findFirst({ where: { id: input.receiptId, programmeId: input.programmeId } });
    if (!receipt) throw new NotFoundError('funding_receipt');
    requirePermission(ctx.actor, 'funding_receipt.reverse');
    const eventDate = input.eventDate ?? todayInChina();
    if (eventDate > todayInChina()) {
      throw new RuleViolationError('date_in_future', { field: 'eventDate' });
    }
    const [before] = await views(tx, await loadReceipts(tx, { id: receipt.id }));
    await recordAudit(tx, ctx, {
      action: 'funding_receipt.reverse',
      recordType: 'funding_receipt',
      recordId: receipt.id,
      before: { status: before?.status },
      after: { status: 'reversed', reason: input.reason, eventDate },
    });
    await reverseTransaction(tx, {
      transactionId: receipt.ledgerTransactionId,
      eventDate,
      reason: input.reason,
      actorId: ctx.actor.userId,
    });
    const [view] = await views(tx, await loadReceipts(tx, { id: receipt.id }));
    return view as FundingReceiptView;
  });
}

export async function listFundingReceipts({ ctx, input: raw }: UseCaseCall<ListFundingReceiptsInput>): Promise<Page<FundingReceiptView>> {
  const input = parseInput(ListFundingReceiptsInput, raw);
  await findProgrammeInScope(ctx.db, ctx, input.programmeId);
  requirePermission(ctx.actor, 'funding_receipt.read');
  const keyset = newestFirst('receivedOn', 'date', input);
  const rows = await loadReceipts(
    ctx.db,
    {
      AND: [
        { programmeId: input.programmeId },
        input.from ? { receivedOn: { gte: dateFromIso(input.from) } } : {},
        input.to ? { receivedOn: { lte: dateFromIso(input.to) } } : {},
        keyset.after,
      ],
    },
    keyset.order.take,
  );
  const page = keyset.page(rows);
  return withItems(page, await views(ctx.db, page.items));
}

export async function getFundingReceipt({ ctx, input: raw }: UseCaseCall<z.input<typeof GetFundingReceiptInput>>): Promise<FundingReceiptView> {
  const input = parseInput(GetFundingReceiptInput, raw);
  await findProgrammeInScope(ctx.db, ctx, input.programmeId);
  requirePermission(ctx.actor, 'funding_receipt.read');
  const rows = await loadReceipts(ctx.db, { id: input.receiptId, programmeId: input.programmeId });
  if (rows.length === 0) throw new NotFoundError('funding_receipt');
  const [view] = await views(ctx.db, rows);
  return view as FundingReceiptView;
}

export const FundingTotalInput = z.strictObject({ programmeId: Uuid });

/** What the funder has put into the programme: every receipt that was not reversed, in CNY. */
export async function programmeFundingTotal({
  ctx,
  input: raw,
}: UseCaseCall<z.input<typeof FundingTotalInput>>): Promise<{ received: string; receipts: number }> {
  const input = parseInput(FundingTotalInput, raw);
  await findProgrammeInScope(ctx.db, ctx, input.programmeId);
  requirePermission(ctx.actor, 'funding_receipt.read');
  const [row] = await ctx.db.$queryRaw<{ received: string; receipts: bigint }[]>`
    SELECT coalesce(sum(r."amount"), 0)::text AS received, count(*) AS receipts
    FROM "funding_receipt" r
    WHERE r."programme_id" = ${input.programmeId}::uuid
      AND NOT EXISTS (SELECT 1 FROM "ledger_transaction" t WHERE t."reverses_id" = r."ledger_transaction_id")`;
  return { received: formatMoney(row?.received ?? '0'), receipts: Number(row?.receipts ?? 0) };
}
