// The bank's answer to a batch (DESIGN.md §3): a camt.054 debit notification, a camt.053 statement
// or a 代发 result CSV, applied to the payouts its lines name.
//
// - The file is read whole first (src/bank/results); a malformed, truncated or unreadable
//   file is refused with the line and the reason, before anything is written.
// - It must be about the programme's payout account, in CNY.
// - The same file again (same SHA-256, or same camt message id) changes nothing: the earlier import
//   is answered.
// - Each line is matched to its payout by reference only, and applies only for exactly the payout's
//   amount (src/domain/payouts.ts judgeResultLine): settled → Dr in_transit / Cr bank; failed or
//   returned before settling → Dr in_transit / Cr payable; returned after settling → Dr bank /
//   Cr payable. The instalment is then payable again (a later batch retries it, to the account the
//   student has then) — or, when its grant has ended meanwhile, cancelled with its money back to the
//   fund (Dr payable / Cr fund).
// - Lines that match nothing, differ in amount, or would settle or return a payout a second time are
//   exceptions. By default any exception refuses the whole file (422, every exception listed);
//   `acceptExceptions` applies the clean lines and keeps the exceptions on record for follow-up.
//   `dryRun` answers the same report and writes nothing.
// - One transaction, under the programme's row lock: a file is applied whole or not at all, and two
//   imports never apply the same line twice.
import { z } from 'zod';
import { Uuid } from '../fields.ts';
import { parseInput } from '../validation.ts';
import { RuleViolationError } from '../../domain/errors.ts';
import { CURRENCY, formatMoney, money } from '../../domain/money.ts';
import { APPLYING_OUTCOMES, type LineOutcome, type PayoutState, judgeResultLine } from '../../domain/payouts.ts';
import { postPairs } from '../../ledger/post-many.ts';
import { readBankResults } from '../../bank/node/read-bank-results.ts';
import { BankResultFileError, type BankResultFile } from '../../bank/results/index.ts';
import { recordAudit } from '../audit.ts';
import { BATCH_TRANSACTION_TIMEOUT_MS, type Tx, type UseCaseCall, inTransaction } from '../context.ts';
import { requirePermission } from '../scope.ts';
import { type BankResultImportView, importView } from './bank-result-views.ts';
import { lockProgramme } from './programme-lock.ts';
import { type JudgedLine, type PayoutRow, applyOutcomes } from './apply-bank-lines.ts';

export type { JudgedLine } from './apply-bank-lines.ts';

export const BankResultFormat = z.enum(['camt.054', 'camt.053', 'csv', 'auto']);
export type BankResultFormat = z.infer<typeof BankResultFormat>;

/** The file's bytes as they arrive (an upload, a file read in chunks): never held whole. */
const FileContent = z.custom<AsyncIterable<Uint8Array | string>>(
  (value) => typeof value === 'object' && value !== null && Symbol.asyncIterator in value,
  'must be the file’s content',
);

export const ImportBankResultsInput = z.strictObject({
  programmeId: Uuid,
  content: FileContent,
  format: BankResultFormat.default('auto'),
  encoding: z.enum(['auto', 'utf-8', 'gbk']).default('auto').meta({ description: 'For a result CSV' }),
  fileName: z
    .string()
    .max(200)
    .regex(/^[^/\\]+$/, 'a file name, not a path')
    .optional(),
  acceptExceptions: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});
export type ImportBankResultsInput = z.input<typeof ImportBankResultsInput>;

export interface ImportResult {
  import: BankResultImportView;
  /** True when this exact file had been imported before: nothing was changed this time. */
  replayed: boolean;
  dryRun: boolean;
}

const EXCEPTIONS: readonly LineOutcome[] = ['unmatched', 'amount_mismatch', 'duplicate', 'not_sent'];
const MAX_LISTED = 200;

async function readFile(input: ImportBankResultsInput): Promise<BankResultFile> {
  try {
    return await readBankResults(input.content, { format: input.format, encoding: input.encoding ?? 'auto' });
  } catch (error) {
    if (error instanceof BankResultFileError) {
      throw new RuleViolationError('bank_file_invalid', { file: input.fileName ?? null, line: error.line ?? null, reason: error.message });
    }
    throw error;
  }
}

/** Account numbers compare without spaces and hyphens, as banks print them either way. */
const normaliseAccount = (account: string) => account.replace(/[\s-]/g, '');

function lockPayouts(tx: Tx, programmeId: string, references: string[]) {
  return tx.$queryRaw<PayoutRow[]>`
    SELECT p."id"::text AS id, p."reference", p."status"::text AS status, p."amount"::text AS amount, p."grant_id"::text AS grant_id,
           p."instalment_id"::text AS instalment_id, p."bank_reference", p."outcome_bank_reference", p."settled_transaction_id"::text AS settled_transaction_id,
           g."status"::text AS grant_status
    FROM "payout" p JOIN "grant" g ON g."id" = p."grant_id"
    WHERE p."programme_id" = ${programmeId}::uuid AND p."reference" = ANY(${references}::text[])
    ORDER BY p."id"
    FOR UPDATE OF p`;
}

/** Judges every line in file order against the payouts' states as earlier lines leave them. */
function judgeLines(file: BankResultFile, rows: PayoutRow[]): JudgedLine[] {
  const byReference = new Map<string, PayoutState>();
  for (const r of rows) {
    byReference.set(r.reference, {
      id: r.id,
      status: r.status,
      amount: money(r.amount),
      settledBankReference: r.status === 'settled' || r.status === 'returned' ? r.bank_reference : null,
      outcomeBankReference: r.status === 'failed' || r.status === 'returned' ? r.outcome_bank_reference : null,
    });
  }
  return file.lines.map((line, i) => {
    const payout = line.reference ? byReference.get(line.reference) : undefined;
    const judged = judgeResultLine({ reference: line.reference, amount: money(line.amount), kind: line.kind, bankReference: line.bankReference }, payout);
    return { position: i + 1, line, outcome: judged.outcome, explanation: judged.explanation ?? null, payoutId: payout?.id ?? null };
  });
}

export async function importBankResults({ ctx, input: raw }: UseCaseCall<ImportBankResultsInput>): Promise<ImportResult> {
  const input = parseInput(ImportBankResultsInput, raw);
  requirePermission(ctx.actor, 'bank_result.import');
  const file = await readFile(input);
  return inTransaction(
    ctx,
    async (tx) => {
      const programme = await lockProgramme(tx, ctx.actor, input.programmeId);
      if (!programme.payoutAccountNumber) {
        throw new RuleViolationError('programme_payout_account_missing');
      }
      if (file.account && normaliseAccount(file.account) !== normaliseAccount(programme.payoutAccountNumber)) {
        throw new RuleViolationError('bank_file_other_account', { file: input.fileName ?? null });
      }
      const otherCurrency = [file.currency, ...file.lines.map((l) => l.currency)].find((c) => c && c !== CURRENCY);
      if (otherCurrency) throw new RuleViolationError('bank_file_currency', { currency: otherCurrency, file: input.fileName ?? null });

      const earlier = await tx.bankResultImport.findFirst({
        where: { programmeId: programme.id, OR: [{ sha256: file.sha256 }, ...(file.messageId ? [{ format: file.format, messageId: file.messageId }] : [])] },
        select: { id: true },
      });
      if (earlier) return { import: await importView(tx, earlier.id, 'exceptions'), replayed: true, dryRun: Boolean(input.dryRun) };

      const references = [...new Set(file.lines.flatMap((l) => (l.reference ? [l.reference] : [])))];
      const rows = await lockPayouts(tx, programme.id, references);
      const judged = judgeLines(file, rows);
      const exceptions = judged.filter((j) => EXCEPTIONS.includes(j.outcome));
      if (exceptions.length > 0 && !input.acceptExceptions) {
        throw new RuleViolationError('bank_file_exceptions', {
          file: input.fileName ?? null,
          exceptions: exceptions
            .slice(0, MAX_LISTED)
            .map((e) => ({ line: e.line.line, reference: e.line.reference, amount: e.line.amount, outcome: e.outcome, explanation: e.explanation })),
          exceptionCount: exceptions.length,
        });
      }
      const importId = crypto.randomUUID();
      if (input.dryRun) return { import: previewView(importId, programme.id, file, input, judged, ctx.actor.userId), replayed: false, dryRun: true };

      await tx.bankResultImport.create({ data: { ...importRecord(importId, programme.id, file, input, judged), createdById: ctx.actor.userId } });
      await writeLines(tx, importId, judged);
      const posts = await applyOutcomes(tx, ctx, importId, judged, new Map(rows.map((r) => [r.id, r])), programme.id);
      await recordAudit(tx, ctx, {
        action: 'bank_result.import',
        recordType: 'bank_result_import',
        recordId: importId,
        after: {
          programmeId: programme.id,
          format: file.format,
          messageId: file.messageId,
          sha256: file.sha256,
          lines: judged.length,
          outcomes: countOutcomes(judged),
          acceptedExceptions: exceptions.length,
        },
      });
      // Last: the ledger's append lock is then held only to commit.
      await postPairs(tx, posts);
      return { import: await importView(tx, importId, 'exceptions'), replayed: false, dryRun: false };
    },
    { timeoutMs: BATCH_TRANSACTION_TIMEOUT_MS },
  );
}

function countOutcomes(judged: JudgedLine[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const j of judged) counts[j.outcome] = (counts[j.outcome] ?? 0) + 1;
  return counts;
}

async function writeLines(tx: Tx, importId: string, judged: JudgedLine[]): Promise<void> {
  const col = <T>(pick: (j: JudgedLine) => T) => judged.map(pick);
  await tx.$executeRaw`
    INSERT INTO "bank_result_line" ("import_id", "position", "line", "reference", "amount", "kind", "outcome", "payout_id", "reason", "booking_date", "bank_reference")
    SELECT ${importId}::uuid, w.position, w.line, w.reference, w.amount, w.kind, w.outcome, w.payout_id, w.reason, w.booking_date, w.bank_reference
    FROM unnest(${col((j) => j.position)}::int[], ${col((j) => j.line.line)}::int[], ${col((j) => j.line.reference)}::text[],
                ${col((j) => formatMoney(j.line.amount))}::numeric[], ${col((j) => j.line.kind)}::text[], ${col((j) => j.outcome)}::text[],
                ${col((j) => j.payoutId)}::uuid[], ${col((j) => j.explanation ?? j.line.reason)}::text[],
                ${col((j) => j.line.bookingDate)}::date[], ${col((j) => j.line.bankReference)}::text[])
         AS w(position, line, reference, amount, kind, outcome, payout_id, reason, booking_date, bank_reference)`;
}

/** What an import records of the file and of its lines' outcomes, as stored and as a dry run shows it. */
function importRecord(id: string, programmeId: string, file: BankResultFile, input: ImportBankResultsInput, judged: JudgedLine[]) {
  return {
    id,
    programmeId,
    format: file.format,
    messageId: file.messageId,
    sha256: file.sha256,
    fileName: input.fileName ?? null,
    lineCount: judged.length,
    appliedCount: judged.filter((j) => APPLYING_OUTCOMES.includes(j.outcome)).length,
    exceptionCount: judged.filter((j) => EXCEPTIONS.includes(j.outcome)).length,
  };
}

function previewView(
  id: string,
  programmeId: string,
  file: BankResultFile,
  input: ImportBankResultsInput,
  judged: JudgedLine[],
  userId: string,
): BankResultImportView {
  return {
    ...importRecord(id, programmeId, file, input, judged),
    outcomes: countOutcomes(judged),
    createdById: userId,
    createdAt: new Date().toISOString(),
    lines: judged
      .filter((j) => EXCEPTIONS.includes(j.outcome))
      .map((j) => ({
        position: j.position,
        line: j.line.line,
        reference: j.line.reference,
        amount: formatMoney(j.line.amount),
        kind: j.line.kind,
        outcome: j.outcome,
        payoutId: j.payoutId,
        reason: j.explanation ?? j.line.reason,
        bookingDate: j.line.bookingDate,
        bankReference: j.line.bankReference,
      })),
  };
}
