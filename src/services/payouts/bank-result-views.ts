// Bank answers as they were applied: the file's identity (format, message id, SHA-256) and every
// line with what was done with it. Lines carry references and amounts only, no personal data.
import { z } from 'zod';
import { PageInput, Uuid } from '../fields.ts';
import { parseInput } from '../validation.ts';
import { toIsoDate } from '../../domain/dates.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { formatMoney } from '../../domain/money.ts';
import { describeReturnReason } from '../../domain/return-reasons.ts';
import type { ServiceContext, Tx, UseCaseCall } from '../context.ts';
import { type Page, mapPage, newestFirst } from '../pagination.ts';
import { programmeScope, requirePermission } from '../scope.ts';

export const GetBankResultImportInput = z.strictObject({ importId: Uuid });

export const ListBankResultImportsInput = PageInput.extend({ programmeId: Uuid.optional() });
export type ListBankResultImportsInput = z.input<typeof ListBankResultImportsInput>;

export interface BankResultLineView {
  position: number;
  line: number;
  reference: string | null;
  amount: string;
  kind: string;
  outcome: string;
  payoutId: string | null;
  /** The bank's own reason for a refusal or return, as it gave it (ISO code and text). */
  reason: string | null;
  /** Why the import did not apply the line (exceptions), in English; null for lines that applied. */
  explanation: string | null;
  /** The bank's reason of a refusal or return, its ISO code named in Chinese and English (describeReturnReason). */
  reasonText: string | null;
  bookingDate: string | null;
  bankReference: string | null;
  /** The payouts the line may be about: the one matched without a reference, or those to pick from by hand. */
  candidates: CandidateView[] | null;
}

/** A payout as a line's candidate: masked account, never a name. */
export interface CandidateView {
  payoutId: string;
  reference: string;
  amount: string;
  accountMasked: string;
  batchId: string;
  batchCode: string;
}

/** The bank's reason, named: only for lines whose reason is the bank's (a refusal or a return that was applied or recorded). */
export function reasonTextOf(kind: string, bankReason: string | null): string | null {
  return kind === 'debit' ? null : describeReturnReason(bankReason);
}

export interface BankResultImportView {
  id: string;
  programmeId: string;
  format: string;
  messageId: string | null;
  sha256: string;
  fileName: string | null;
  /** The account-history CSV layout (format statement-csv), else null. */
  preset: string | null;
  /** file, declared (by the uploader) or assumed (the programme's payout account: the file named none). */
  accountStatedBy: 'file' | 'declared' | 'assumed';
  lineCount: number;
  appliedCount: number;
  exceptionCount: number;
  outcomes: Record<string, number>;
  createdById: string;
  createdAt: string;
  /** Every line, in file order (detail views only). */
  lines?: BankResultLineView[];
}

type ImportRow = Awaited<ReturnType<Tx['bankResultImport']['findUniqueOrThrow']>>;

async function outcomeCounts(db: Tx, ids: string[]): Promise<Map<string, Record<string, number>>> {
  const rows = await db.bankResultLine.groupBy({ by: ['importId', 'outcome'], where: { importId: { in: ids } }, _count: { _all: true } });
  const result = new Map<string, Record<string, number>>(ids.map((id) => [id, {}]));
  for (const r of rows) (result.get(r.importId) as Record<string, number>)[r.outcome] = r._count._all;
  return result;
}

function shape(r: ImportRow, outcomes: Record<string, number>): BankResultImportView {
  return {
    id: r.id,
    programmeId: r.programmeId,
    format: r.format,
    messageId: r.messageId,
    sha256: r.sha256,
    fileName: r.fileName,
    preset: r.preset,
    accountStatedBy: r.accountStatedBy as BankResultImportView['accountStatedBy'],
    lineCount: r.lineCount,
    appliedCount: r.appliedCount,
    exceptionCount: r.exceptionCount,
    outcomes,
    createdById: r.createdById,
    createdAt: r.createdAt.toISOString(),
  };
}

/**
 * The bank's reason and the import's explanation of a stored line. Lines imported before the two
 * were kept apart (explanation null) stored the explanation in `reason` for the outcomes below
 * BANK_REASON_OUTCOMES: read as an explanation, with the bank's reason unknown.
 */
export function reasonsOf(l: { kind: string; outcome: string; reason: string | null; explanation: string | null }) {
  const legacyExplanation = l.explanation === null && !BANK_REASON_OUTCOMES.includes(l.outcome) ? l.reason : null;
  const reason = legacyExplanation === null ? l.reason : null;
  return { reason, explanation: l.explanation ?? legacyExplanation, reasonText: reasonTextOf(l.kind, reason) };
}

/** Outcomes whose stored reason was the bank's own before explanations had their column. */
const BANK_REASON_OUTCOMES: readonly string[] = ['settled', 'failed', 'returned', 'already_recorded', 'matched_without_reference', 'matched_by_hand'];

/** Outcomes that changed nothing and need nobody's attention: left out of the import's answer. */
export const QUIET_OUTCOMES: readonly string[] = ['settled', 'failed', 'returned', 'already_recorded', 'matched_by_hand'];

/**
 * The import with its lines, inside the caller's transaction (the caller checked the scope). The
 * answer to an import lists only the exceptions (a 10,000-line file need not come back whole);
 * the detail view lists every line.
 */
export async function importView(db: Tx, id: string, lines: 'all' | 'exceptions' = 'all'): Promise<BankResultImportView> {
  const row = await db.bankResultImport.findUniqueOrThrow({ where: { id } });
  const listed = await db.bankResultLine.findMany({
    where: { importId: id, ...(lines === 'exceptions' ? { outcome: { notIn: [...QUIET_OUTCOMES] } } : {}) },
    orderBy: { position: 'asc' },
  });
  const outcomes = (await outcomeCounts(db, [id])).get(id) ?? {};
  return {
    ...shape(row, outcomes),
    lines: listed.map((l) => ({
      position: l.position,
      line: l.line,
      reference: l.reference,
      amount: formatMoney(l.amount.toString()),
      kind: l.kind,
      outcome: l.outcome,
      payoutId: l.payoutId,
      ...reasonsOf(l),
      bookingDate: l.bookingDate ? toIsoDate(l.bookingDate) : null,
      bankReference: l.bankReference,
      candidates: (l.candidates as CandidateView[] | null) ?? null,
    })),
  };
}

/** Programme ids the actor may see, for the scope of a query on imports (which hold no relation). */
async function visibleProgrammeIds(ctx: ServiceContext): Promise<string[]> {
  const rows = await ctx.db.programme.findMany({ where: programmeScope(ctx.actor), select: { id: true } });
  return rows.map((r) => r.id);
}

export async function getBankResultImport({ ctx, input: raw }: UseCaseCall<z.input<typeof GetBankResultImportInput>>): Promise<BankResultImportView> {
  const input = parseInput(GetBankResultImportInput, raw);
  requirePermission(ctx.actor, 'payout.read');
  const row = await ctx.db.bankResultImport.findFirst({
    where: { id: input.importId, programmeId: { in: await visibleProgrammeIds(ctx) } },
    select: { id: true },
  });
  if (!row) throw new NotFoundError('bank_result_import');
  return importView(ctx.db, row.id);
}

export async function listBankResultImports({ ctx, input: raw }: UseCaseCall<ListBankResultImportsInput>): Promise<Page<BankResultImportView>> {
  const input = parseInput(ListBankResultImportsInput, raw);
  requirePermission(ctx.actor, 'payout.read');
  const keyset = newestFirst('createdAt', 'moment', input);
  const visible = await visibleProgrammeIds(ctx);
  const rows = await ctx.db.bankResultImport.findMany({
    where: { programmeId: { in: input.programmeId ? visible.filter((id) => id === input.programmeId) : visible }, ...keyset.after },
    ...keyset.order,
  });
  const page = keyset.page(rows);
  const counts = await outcomeCounts(
    ctx.db,
    page.items.map((r) => r.id),
  );
  return mapPage(page, (r) => shape(r, counts.get(r.id) ?? {}));
}
