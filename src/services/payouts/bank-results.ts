// The bank's answer to a batch (DESIGN.md §3): a camt.054 debit notification, a camt.053 statement,
// a 代发 result CSV or an account-history CSV (with its preset), applied to the payouts its lines name.
//
// - The file is read whole first (src/bank/results); a malformed, truncated or unreadable
//   file is refused with the line and the reason, before anything is written. So is a file with a
//   line booked after today (Beijing): never re-dated.
// - It must be about the programme's payout account, in CNY. A file that names no account is
//   about the account the uploader declares, else the programme's payout account (assumed, and
//   the import says so).
// - The same file again (same SHA-256) changes nothing: the earlier import is answered. Another
//   file reusing an earlier camt message id is refused (409, both hashes named).
// - A line is matched to its payout by reference, and applies only for exactly the payout's
//   amount (src/domain/payouts.ts judgeResultLine); a line without a usable reference is matched by
//   amount, payee and date (./match-without-reference.ts) when exactly one sent payout fits:
//   settled → Dr in_transit / Cr bank; failed or
//   returned before settling → Dr in_transit / Cr payable; returned after settling → Dr bank /
//   Cr payable. The instalment is then payable again (a later batch retries it, to the account the
//   student has then) — or, when its grant has ended meanwhile, cancelled with its money back to the
//   fund (Dr payable / Cr fund).
// - A booking is identified by what it is, not by the file: the same settlement told by a notice
//   and by the statement is already_recorded; only a second booking on statements is a duplicate.
// - Lines that match nothing (or several payouts), differ in amount, or would settle or return a
//   payout a second time are exceptions. By default any exception refuses the whole file (422, every exception listed);
//   `acceptExceptions` applies the clean lines and keeps the exceptions on record for follow-up.
//   `dryRun` answers the same report and writes nothing.
// - One transaction, under the programme's row lock: a file is applied whole or not at all, and two
//   imports never apply the same line twice.
import { z } from 'zod';
import { Uuid } from '../fields.ts';
import { parseInput } from '../validation.ts';
import { RuleViolationError } from '../../domain/errors.ts';
import { ConflictError, ValidationError } from '../../domain/errors.ts';
import { todayInChina } from '../../domain/dates.ts';
import { CURRENCY, formatMoney, money } from '../../domain/money.ts';
import {
  type AnswerSource,
  APPLYING_OUTCOMES,
  EXCEPTION_OUTCOMES,
  type PayoutState,
  type SeenReferences,
  answerSourceOf,
  judgeResultLine,
} from '../../domain/payouts.ts';
import { postPairs } from '../../ledger/post-many.ts';
import { readBankResults } from '../../bank/node/read-bank-results.ts';
import { parsePayoutReference } from '../../bank/outgoing/payout-reference.ts';
import { BankResultFileError, type BankResultFile } from '../../bank/results/index.ts';
import { CSV_PRESET_NAMES } from '../../bank/statement-csv/index.ts';
import type { PiiVault } from '../../privacy/pii-vault.ts';
import { recordAudit } from '../audit.ts';
import { BATCH_TRANSACTION_TIMEOUT_MS, type Tx, type UseCaseCall, inTransaction } from '../context.ts';
import { requirePermission } from '../scope.ts';
import { type BankResultImportView, QUIET_OUTCOMES, importView, reasonTextOf } from './bank-result-views.ts';
import { lockProgramme } from './programme-lock.ts';
import { type JudgedLine, type PayoutRow, applyOutcomes } from './apply-bank-lines.ts';
import { type CandidatePayout, matchLinesWithoutReference } from './match-without-reference.ts';
import { seenReferences } from './seen-references.ts';
import { reportOperation } from '../../telemetry/operations.ts';

export type { JudgedLine } from './apply-bank-lines.ts';

export const BankResultFormat = z.enum(['camt.054', 'camt.053', 'csv', 'statement-csv', 'auto']);
export const StatementCsvPreset = z.enum(CSV_PRESET_NAMES as [string, ...string[]]);
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
  preset: StatementCsvPreset.optional().meta({ description: 'For an account-history CSV (format statement-csv): its layout' }),
  account: z
    .string()
    .trim()
    .regex(/^[0-9][0-9 -]{5,38}[0-9]$/, 'an account number (digits, spaces or hyphens)')
    .optional()
    .meta({ description: 'The account the file is about, when the file names none (default: the programme’s payout account)' }),
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

const EXCEPTIONS = EXCEPTION_OUTCOMES;
const MAX_LISTED = 200;

/** A judged line with what the import stores beside it. */
export interface ImportedLine extends JudgedLine {
  /** The payouts the line may be about (matched without a reference, ambiguous, or unmatched without one). */
  candidates: CandidatePayout[] | null;
  /** For a line matched without a reference: the outcome it applies as. */
  appliesAs?: 'settled' | 'failed' | null;
}

async function readFile(input: ImportBankResultsInput): Promise<BankResultFile> {
  if (input.format === 'statement-csv' && input.preset === undefined) {
    throw new ValidationError([{ path: 'preset', message: `an account-history CSV needs its layout: one of ${CSV_PRESET_NAMES.join(', ')}` }]);
  }
  try {
    return await readBankResults(input.content, {
      format: input.format,
      encoding: input.encoding ?? 'auto',
      ...(input.preset ? { preset: input.preset } : {}),
    });
  } catch (error) {
    if (error instanceof BankResultFileError) {
      throw new RuleViolationError('bank_file_invalid', { file: input.fileName ?? null, line: error.line ?? null, reason: error.message });
    }
    throw error;
  }
}

/** Account numbers compare without spaces and hyphens, as banks print them either way. */
const normaliseAccount = (account: string) => account.replace(/[\s-]/g, '');

/** The payout as the import locks it, with the dates recorded for its settlement and outcome. */
interface LockedPayout extends PayoutRow {
  settled_on: string | null;
  outcome_on: string | null;
}

function lockPayouts(tx: Tx, programmeId: string, references: string[]) {
  return tx.$queryRaw<LockedPayout[]>`
    SELECT p."id"::text AS id, p."reference", p."status"::text AS status, p."amount"::text AS amount, p."grant_id"::text AS grant_id,
           p."instalment_id"::text AS instalment_id, p."bank_reference", p."outcome_bank_reference", p."settled_transaction_id"::text AS settled_transaction_id,
           g."status"::text AS grant_status, p."settled_on"::text AS settled_on, p."outcome_on"::text AS outcome_on
    FROM "payout" p JOIN "grant" g ON g."id" = p."grant_id"
    WHERE p."programme_id" = ${programmeId}::uuid AND p."reference" = ANY(${references}::text[])
    ORDER BY p."id"
    FOR UPDATE OF p`;
}

function statesOf(rows: LockedPayout[], seen: Map<string, { debit: SeenReferences; return: SeenReferences }>): Map<string, PayoutState> {
  const byReference = new Map<string, PayoutState>();
  for (const r of rows) {
    byReference.set(r.reference, {
      id: r.id,
      status: r.status,
      amount: money(r.amount),
      settledBankReference: r.status === 'settled' || r.status === 'returned' ? r.bank_reference : null,
      outcomeBankReference: r.status === 'failed' || r.status === 'returned' ? r.outcome_bank_reference : null,
      settledOn: r.settled_on,
      outcomeOn: r.outcome_on,
      seen: seen.get(r.id) ?? { debit: { statement: [], notice: [] }, return: { statement: [], notice: [] } },
    });
  }
  return byReference;
}

/**
 * A reference the matcher can rely on: one a payout has, or one shaped as payout references are (a
 * well-formed reference that names no payout is unmatched, never matched by amount). Anything else
 * (none, NOTPROVIDED, a bank's own id in EndToEndId) is no reference.
 */
const usableReference = (reference: string | null, byReference: Map<string, PayoutState>) =>
  reference !== null && (byReference.has(reference) || parsePayoutReference(reference) !== undefined);

/**
 * Judges every line in file order against the payouts' states as earlier lines leave them; then the
 * lines without a usable reference, against the sent payouts no line took.
 */
async function judgeLines(
  tx: Tx,
  ctx: { vault?: PiiVault },
  programmeId: string,
  transitBusinessDays: number,
  file: BankResultFile,
  rows: LockedPayout[],
  payouts: Map<string, PayoutRow>,
): Promise<ImportedLine[]> {
  const source: AnswerSource = answerSourceOf(file.format);
  const byReference = statesOf(
    rows,
    await seenReferences(
      tx,
      rows.map((r) => r.id),
    ),
  );
  const judged: (ImportedLine | null)[] = file.lines.map((line, i) => {
    if (!usableReference(line.reference, byReference)) return null;
    const payout = byReference.get(line.reference as string);
    const judgedLine = judgeResultLine(
      { reference: line.reference, amount: money(line.amount), kind: line.kind, bankReference: line.bankReference, bookingDate: line.bookingDate, source },
      payout,
    );
    return { position: i + 1, line, outcome: judgedLine.outcome, explanation: judgedLine.explanation ?? null, payoutId: payout?.id ?? null, candidates: null };
  });
  const without = file.lines.flatMap((line, i) => (judged[i] === null ? [{ line, i }] : []));
  const matched = await matchLinesWithoutReference(
    tx,
    ctx.vault,
    programmeId,
    transitBusinessDays,
    source,
    without.map((w) => w.line),
    new Map([...byReference.values()].map((s) => [s.id, s])),
    payouts,
  );
  without.forEach(({ line, i }, k) => {
    const m = matched[k] as (typeof matched)[number];
    judged[i] = {
      position: i + 1,
      line,
      outcome: m.outcome,
      explanation: m.explanation,
      payoutId: m.payoutId,
      candidates: m.candidates,
      appliesAs: m.appliesAs,
    };
  });
  return judged as ImportedLine[];
}

/** Where the account the file is about comes from: the file, the uploader, or (neither) the programme. */
function accountOf(
  file: BankResultFile,
  declared: string | undefined,
  programmeAccount: string,
  fileName: string | null,
): BankResultImportView['accountStatedBy'] {
  const stated = file.account ?? declared;
  if (file.account && declared && normaliseAccount(declared) !== normaliseAccount(file.account)) {
    throw new RuleViolationError('bank_file_other_account', { file: fileName });
  }
  if (stated && normaliseAccount(stated) !== normaliseAccount(programmeAccount)) throw new RuleViolationError('bank_file_other_account', { file: fileName });
  return file.account ? 'file' : declared ? 'declared' : 'assumed';
}

/** A bank books nothing after today: such a line means a wrong file, which is refused, never re-dated. */
function refuseFutureBookings(file: BankResultFile, fileName: string | null): void {
  const today = todayInChina();
  const future = file.lines.find((l) => l.bookingDate !== null && l.bookingDate > today);
  if (future) throw new RuleViolationError('bank_file_future_booking', { file: fileName, line: future.line, bookingDate: future.bookingDate as string, today });
}

export async function importBankResults({ ctx, input: raw }: UseCaseCall<ImportBankResultsInput>): Promise<ImportResult> {
  const input = parseInput(ImportBankResultsInput, raw);
  requirePermission(ctx.actor, 'bank_result.import');
  const file = await readFile(input);
  const fileName = input.fileName ?? null;
  refuseFutureBookings(file, fileName);
  const result = await inTransaction(
    ctx,
    async (tx) => {
      const programme = await lockProgramme(tx, ctx.actor, input.programmeId);
      if (!programme.payoutAccountNumber) {
        throw new RuleViolationError('programme_payout_account_missing');
      }
      const accountStatedBy = accountOf(file, input.account, programme.payoutAccountNumber, fileName);
      const otherCurrency = [file.currency, ...file.lines.map((l) => l.currency)].find((c) => c && c !== CURRENCY);
      if (otherCurrency) throw new RuleViolationError('bank_file_currency', { currency: otherCurrency, file: fileName });

      const earlier = await tx.bankResultImport.findFirst({
        where: { programmeId: programme.id, OR: [{ sha256: file.sha256 }, ...(file.messageId ? [{ format: file.format, messageId: file.messageId }] : [])] },
        orderBy: { createdAt: 'asc' },
        select: { id: true, sha256: true },
      });
      if (earlier && earlier.sha256 === file.sha256) {
        return { import: await importView(tx, earlier.id, 'exceptions'), replayed: true, dryRun: Boolean(input.dryRun) };
      }
      if (earlier) {
        // A bank never reissues a message id with other content: one of the two files is not what it says.
        throw new ConflictError('bank_file_message_id_reused', {
          messageId: file.messageId as string,
          earlierSha256: earlier.sha256,
          sha256: file.sha256,
          earlierImportId: earlier.id,
          file: fileName,
        });
      }

      const { transitBusinessDays } = await tx.programme.findUniqueOrThrow({ where: { id: programme.id }, select: { transitBusinessDays: true } });
      const references = [...new Set(file.lines.flatMap((l) => (l.reference ? [l.reference] : [])))];
      const rows = await lockPayouts(tx, programme.id, references);
      const payouts = new Map<string, PayoutRow>(rows.map((r) => [r.id, r]));
      const judged = await judgeLines(tx, ctx, programme.id, transitBusinessDays, file, rows, payouts);
      const exceptions = judged.filter((j) => EXCEPTIONS.includes(j.outcome));
      if (exceptions.length > 0 && !input.acceptExceptions) {
        throw new RuleViolationError('bank_file_exceptions', {
          file: fileName,
          exceptions: exceptions.slice(0, MAX_LISTED).map((e) => ({
            line: e.line.line,
            reference: e.line.reference,
            amount: e.line.amount,
            outcome: e.outcome,
            explanation: e.explanation,
            ...(e.candidates ? { candidates: e.candidates } : {}),
          })),
          exceptionCount: exceptions.length,
        });
      }
      const importId = crypto.randomUUID();
      const record = { ...importRecord(importId, programme.id, file, input, judged), accountStatedBy };
      if (input.dryRun) return { import: previewView(record, judged, ctx.actor.userId), replayed: false, dryRun: true };

      await tx.bankResultImport.create({ data: { ...record, createdById: ctx.actor.userId } });
      await writeLines(tx, importId, judged);
      // A line matched without a reference applies as the settlement or failure it is.
      const applying = judged.map((j) => (j.outcome === 'matched_without_reference' && j.appliesAs ? { ...j, outcome: j.appliesAs } : j));
      const posts = await applyOutcomes(tx, ctx, importId, applying, payouts, programme.id);
      await recordAudit(tx, ctx, {
        action: 'bank_result.import',
        recordType: 'bank_result_import',
        recordId: importId,
        after: {
          programmeId: programme.id,
          format: file.format,
          preset: input.preset ?? null,
          accountStatedBy,
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
  reportOperation({ kind: 'bank_answer_imported', format: file.format, outcome: result.replayed ? 'replayed' : result.dryRun ? 'dry_run' : 'applied' });
  return result;
}

function countOutcomes(judged: ImportedLine[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const j of judged) counts[j.outcome] = (counts[j.outcome] ?? 0) + 1;
  return counts;
}

async function writeLines(tx: Tx, importId: string, judged: ImportedLine[]): Promise<void> {
  const col = <T>(pick: (j: ImportedLine) => T) => judged.map(pick);
  await tx.$executeRaw`
    INSERT INTO "bank_result_line" ("import_id", "position", "line", "reference", "amount", "kind", "outcome", "payout_id", "reason", "explanation", "booking_date", "bank_reference", "candidates")
    SELECT ${importId}::uuid, w.position, w.line, w.reference, w.amount, w.kind, w.outcome, w.payout_id, w.reason, w.explanation, w.booking_date, w.bank_reference, w.candidates::jsonb
    FROM unnest(${col((j) => j.position)}::int[], ${col((j) => j.line.line)}::int[], ${col((j) => j.line.reference)}::text[],
                ${col((j) => formatMoney(j.line.amount))}::numeric[], ${col((j) => j.line.kind)}::text[], ${col((j) => j.outcome)}::text[],
                ${col((j) => j.payoutId)}::uuid[], ${col((j) => j.line.reason)}::text[], ${col((j) => j.explanation)}::text[],
                ${col((j) => j.line.bookingDate)}::date[], ${col((j) => j.line.bankReference)}::text[],
                ${col((j) => (j.candidates ? JSON.stringify(j.candidates) : null))}::text[])
         AS w(position, line, reference, amount, kind, outcome, payout_id, reason, explanation, booking_date, bank_reference, candidates)`;
}

/** What an import records of the file and of its lines' outcomes, as stored and as a dry run shows it. */
function importRecord(id: string, programmeId: string, file: BankResultFile, input: ImportBankResultsInput, judged: ImportedLine[]) {
  return {
    id,
    programmeId,
    format: file.format,
    preset: file.format === 'statement-csv' ? (input.preset ?? null) : null,
    messageId: file.messageId,
    sha256: file.sha256,
    fileName: input.fileName ?? null,
    lineCount: judged.length,
    appliedCount: judged.filter((j) => APPLYING_OUTCOMES.includes(j.outcome)).length,
    exceptionCount: judged.filter((j) => EXCEPTIONS.includes(j.outcome)).length,
  };
}

function previewView(
  record: ReturnType<typeof importRecord> & { accountStatedBy: BankResultImportView['accountStatedBy'] },
  judged: ImportedLine[],
  userId: string,
): BankResultImportView {
  return {
    ...record,
    outcomes: countOutcomes(judged),
    createdById: userId,
    createdAt: new Date().toISOString(),
    lines: judged
      .filter((j) => !QUIET_OUTCOMES.includes(j.outcome))
      .map((j) => {
        return {
          position: j.position,
          line: j.line.line,
          reference: j.line.reference,
          amount: formatMoney(j.line.amount),
          kind: j.line.kind,
          outcome: j.outcome,
          payoutId: j.payoutId,
          reason: j.line.reason,
          explanation: j.explanation,
          reasonText: reasonTextOf(j.line.kind, j.line.reason),
          bookingDate: j.line.bookingDate,
          bankReference: j.line.bankReference,
          candidates: j.candidates,
        };
      }),
  };
}
