// The bank check: the ledger's payouts and receipts against the bank's statements (camt.053 or a
// bank CSV export) for the statements' period. Reads the database and the files; writes nothing.
//
//   1. the files: each must be there to read (a statement is a ByteSource: a file on the command
//      line, an upload through the service);
//   2. the programme: the one given, else the one whose payout account the first statement is about;
//   3. the ledger side, as compact indexes (ledger.ts): every payout of the programme, its receipts;
//      meanwhile the SHA-256 of files of equal size: a file given twice (same SHA-256, or for camt the same
//      message id, found as it is read) is read once and marked duplicateOf the first;
//   4. the statements, streamed line by line into the matcher (statements.ts → match.ts);
//   5. lines without a usable reference: their counterparty accounts hashed with the vault, the
//      payouts to those hashes looked up, and matched on amount + account + date window;
//   6. the period of each statement, the ledger items in it that no line showed, and each
//      statement's closing balance against the ledger's bank balance at its date;
//   7. the result (result.ts): figures, exceptions, the statements table, the input files.
// One date comes from outside the files and the ledger: the day payouts in transit are aged as of
// (`today`, default today in China). The report states it in its scope, so the same inputs on the
// same day give the same bytes, and a run on another day says why it differs.
import type { PrismaClient } from '#prisma';
import { money } from '../../domain/money.ts';
import type { PiiVault } from '../../privacy/pii-vault.ts';
import { CheckCouldNotRun, type CheckResult, type InputFile, type Progress } from '../check-types.ts';
import { csvPreset, type CsvMapping } from '../../bank/statement-csv/index.ts';
import { type ByteSource, UnreadableSource } from '../sources.ts';
import {
  bankBalanceAt,
  loadPayoutIndex,
  loadReceipts,
  payoutsByAccountHash,
  programmeById,
  programmeCount,
  programmesWithAccount,
  type ProgrammeInfo,
  type Reader,
} from './ledger.ts';
import { BankMatcher, type AccountLookup } from './match.ts';
import type { ReferenceLookup } from './reference-index.ts';
import { buildBankResult, type StatementCheck } from './result.ts';
import { CURRENCY, hashSource, readStatementFile, scrub, type StatementSummary } from './statements.ts';
import { sequenceStatements } from './sequence.ts';
import { todayInChina } from '../../domain/dates.ts';
import { dayOf, isoOfDay, maskAccount, normaliseAccount, type DayRange } from './units.ts';
import type { SequenceReason, StatementLine } from './types.ts';

export interface BankCheckOptions {
  /** Statement files: camt.053 (XML) or bank CSV exports, in any mix. */
  statements: ByteSource[];
  /**
   * How to read a bank CSV export: a preset (csvPreset: generic-cn, icbc, ccb, boc, abc) or a
   * mapping loaded from a config file (src/reconcile/node/load-mapping.ts). Default generic-cn.
   */
  mapping?: CsvMapping;
  /** The programme; default: the one whose payout account the first statement is about. */
  programmeId?: string;
  /** Days either side within which a line without a reference may match on amount and account. Default 3. */
  window?: number;
  /** Hashes counterparty accounts for matching without a reference; without it such lines stay unmatched. */
  vault?: PiiVault;
  progress?: Progress;
  /** Exceptions listed per code (figures always count all). Default 10,000. */
  maxListed?: number;
  /**
   * The account of a bank CSV that names none (`--account`); else the mapping's `account`; else
   * the programme's payout account is assumed (the report says which). A CSV naming another
   * account is refused all the same.
   */
  account?: string;
  /** The check's "today" in China, for ageing payouts in transit. Default todayInChina(). */
  today?: string;
}

export const DEFAULT_WINDOW_DAYS = 3;
const MAX_WINDOW_DAYS = 31;

export async function runBankCheck(db: PrismaClient, options: BankCheckOptions): Promise<CheckResult> {
  const window = options.window ?? DEFAULT_WINDOW_DAYS;
  if (!Number.isInteger(window) || window < 0 || window > MAX_WINDOW_DAYS) {
    throw new CheckCouldNotRun(`the matching window must be a whole number of days from 0 to ${MAX_WINDOW_DAYS}, not ${window}`);
  }
  if (options.statements.length === 0) throw new CheckCouldNotRun('the bank check needs at least one statement file (--statement FILE)');

  // 1. The files: each must be a readable file (copies are found by their SHA-256 in step 3).
  const files = await describeFiles(options.statements);
  const mapping = options.mapping ?? csvPreset('generic-cn');
  const declared = options.account ?? mapping.account;
  if (declared !== undefined && !/^[0-9][0-9 -]*[0-9]$/.test(declared.trim()))
    throw new CheckCouldNotRun(`the account declared for CSV statements must be an account number, not "${scrub(declared)}"`);

  // 2. The programme.
  const programme = await chooseProgramme(db, options, files, mapping, declared);
  if (programme.currency !== CURRENCY)
    throw new CheckCouldNotRun(`programme ${programme.code} is in ${programme.currency}; the bank check reads ${CURRENCY} accounts only`);
  const account = programme.payoutAccountNumber;
  if (account === null || account.trim() === '') {
    throw new CheckCouldNotRun(`programme ${programme.code} has no payout account recorded: the statements cannot be checked to be about its account`);
  }
  if (declared !== undefined && normaliseAccount(declared) !== normaliseAccount(account)) {
    throw new CheckCouldNotRun(
      `the account declared for CSV statements, ${maskAccount(declared)}, is not programme ${programme.code}'s payout account ${maskAccount(account)}`,
    );
  }
  const csvAccount = declared !== undefined ? { account: declared, from: 'declared' as const } : { account, from: 'programme' as const };
  const transit = { businessDays: programme.transitBusinessDays, today: options.today ?? todayInChina() };

  // 3. The ledger side; meanwhile the SHA-256 of files of equal size (only those can be the same
  // bytes: the others are hashed as they are read). The statements are read only once the matcher
  // is ready: lines read earlier would have to wait in memory, and a million short-lived objects
  // that survive a while make the garbage collector move them to the old generation, where they
  // pile up (measured: 3.5× the peak heap).
  const [{ payouts, receipts, matcher }] = await Promise.all([
    loadLedger(db, programme.id, window, transit, options.maxListed, options.progress),
    hashSameSized(files),
  ]);

  // 4. The statements.
  const statements: StatementSummary[] = [];
  const messageIds = new Map<string, number>();
  let skipped = 0;
  for (const f of files) {
    if (f.duplicateOf !== undefined) continue;
    options.progress?.start(`bank: ${f.source.name}`, f.size);
    const read = await readStatementFile({
      source: f.source,
      file: f.index,
      programmeAccount: account,
      csvAccount,
      mapping,
      onLine: (line: StatementLine) => matcher.add(line),
      onMessageId: (id) => {
        const first = messageIds.get(id);
        if (first === undefined) {
          messageIds.set(id, f.index);
          return false;
        }
        f.duplicateOf = first;
        return true;
      },
      ...(options.progress !== undefined ? { progress: options.progress } : {}),
    });
    f.kind = read.kind;
    f.messageId = read.messageId;
    if (read.stopped) {
      f.sha256 ??= await hashSource(f.source);
      const first = files[messageIds.get(read.messageId as string) as number] as FileInfo;
      if (first.sha256 !== f.sha256) f.differsFromFirst = true;
      continue;
    }
    // Read to its end just now: the source hashed it on the way (a file), or hashes it now (an upload).
    f.sha256 ??= await hashSource(f.source);
    skipped += read.skipped;
    statements.push(...read.statements);
  }

  // 5. Lines without a reference: on amount + counterparty account + date.
  const lookup = await accountLookup(db, programme.id, options.vault, matcher.waitingAccounts(), payouts.references);

  // 6. Periods and balances; the statements in sequence, each day's last closing against the ledger.
  const read: StatementCheck[] = [];
  const periods: DayRange[] = [];
  for (const s of statements) {
    const check = await checkStatement(db, programme.id, s);
    read.push(check);
    if (check.from !== null && check.to !== null) periods.push({ from: dayOf(check.from), to: dayOf(check.to) });
  }
  const { checks, sequenceBreaks } = inSequence(read);
  const summary = matcher.finish(lookup, periods);

  // 7. The result.
  const inputs: InputFile[] = files.map((f) => {
    const first = f.duplicateOf === undefined ? f : (files[f.duplicateOf] as FileInfo);
    const input: InputFile = { path: f.source.name, sha256: f.sha256 ?? '', messageId: f.messageId ?? first.messageId, kind: first.kind };
    if (f.duplicateOf !== undefined) input.duplicateOf = first.source.name;
    return input;
  });
  return buildBankResult({
    programmeCode: programme.code,
    files: files.map((f) => ({ path: f.source.name, duplicateOf: f.duplicateOf ?? null, differsFromFirst: f.differsFromFirst === true })),
    inputs,
    statements: checks,
    sequenceBreaks,
    summary,
    skipped,
    payoutCount: payouts.size,
    receiptCount: receipts.length,
    window,
    accountMatching: options.vault !== undefined,
    transit,
  });
}

/** The ledger side: the payout index and the receipts, and the matcher over them. */
async function loadLedger(
  db: Reader,
  programmeId: string,
  window: number,
  transit: { businessDays: number; today: string },
  maxListed: number | undefined,
  progress: Progress | undefined,
) {
  const payouts = await loadPayoutIndex(db, programmeId, progress);
  const receipts = await loadReceipts(db, programmeId);
  const matcher = new BankMatcher(payouts, receipts, { window, transit, ...(maxListed !== undefined ? { maxListed } : {}) });
  return { payouts, receipts, matcher };
}

interface FileInfo {
  index: number;
  source: ByteSource;
  size: number;
  sha256: string | null;
  messageId: string | null;
  kind: string;
  duplicateOf?: number;
  differsFromFirst?: boolean;
}

/** Each file's size (and that it is a readable file). */
async function describeFiles(sources: ByteSource[]): Promise<FileInfo[]> {
  const files: FileInfo[] = [];
  for (const [index, source] of sources.entries()) {
    let size: number;
    try {
      size = await source.size();
    } catch (error) {
      const where = { file: source.name, line: null };
      if (error instanceof UnreadableSource) throw new CheckCouldNotRun(error.message, where);
      throw new CheckCouldNotRun(`${source.name}: cannot read the file (${String((error as { code?: unknown }).code ?? error)})`, where);
    }
    files.push({ index, source, size, sha256: null, messageId: null, kind: 'unread' });
  }
  return files;
}

/** The SHA-256 of every file that has the size of another (a source given twice is hashed once); marks copies duplicateOf the first. */
async function hashSameSized(files: FileInfo[]): Promise<void> {
  const bySize = new Map<number, FileInfo[]>();
  for (const f of files) bySize.set(f.size, [...(bySize.get(f.size) ?? []), f]);
  const bySource = new Map<ByteSource, string>();
  for (const group of bySize.values()) {
    if (group.length < 2) continue;
    for (const f of group) {
      f.sha256 = bySource.get(f.source) ?? (await hashSource(f.source));
      bySource.set(f.source, f.sha256);
      const first = group.find((g) => g.index < f.index && g.sha256 === f.sha256);
      if (first !== undefined) f.duplicateOf = first.index;
    }
  }
}

async function chooseProgramme(
  db: Reader,
  options: BankCheckOptions,
  files: FileInfo[],
  mapping: CsvMapping,
  declared: string | undefined,
): Promise<ProgrammeInfo> {
  if (options.programmeId !== undefined) return programmeById(db, options.programmeId);
  const first = files[0] as FileInfo;
  const account = (await peekAccount(first.source, mapping)) ?? declared ?? null;
  if (account !== null) {
    const found = await programmesWithAccount(db, account);
    if (found.length === 1) return found[0] as ProgrammeInfo;
    if (found.length > 1) {
      throw new CheckCouldNotRun(
        `${found.length} programmes (${found.map((p) => p.code).join(', ')}) pay from account ${maskAccount(account)}: name the programme`,
        { file: first.source.name },
      );
    }
    throw new CheckCouldNotRun(
      `${first.source.name}: no programme pays from account ${maskAccount(account)}, the account this statement is about: name the programme`,
      { file: first.source.name, line: null },
    );
  }
  const { count, only } = await programmeCount(db);
  if (count === 1 && only !== undefined) return only;
  throw new CheckCouldNotRun(
    `${first.source.name} does not say which account it is about, and there are ${count === 0 ? 'no programmes' : 'several programmes'}: name the programme`,
    { file: first.source.name },
  );
}

/** The account the first statement of a file is about, reading no further than that; null when it states none. */
async function peekAccount(source: ByteSource, mapping: CsvMapping): Promise<string | null> {
  let account: string | null = null;
  const stop = new Error('peeked');
  try {
    await readStatementFile({
      source,
      file: 0,
      // Any account passes here: the real check comes with the real read.
      programmeAccount: '',
      csvAccount: null,
      mapping,
      onLine: () => {
        throw stop;
      },
      onStatement: (a) => {
        account = a;
        throw stop;
      },
    });
  } catch (error) {
    if (error !== stop) throw error;
  }
  return account;
}

async function accountLookup(
  db: Reader,
  programmeId: string,
  vault: PiiVault | undefined,
  accounts: string[],
  byReference: ReferenceLookup,
): Promise<AccountLookup | null> {
  if (vault === undefined) return null;
  const hashes = new Map<string, string>();
  for (const a of accounts) hashes.set(a, await vault.lookupHash('bank_account', normaliseAccount(a)));
  const references = await payoutsByAccountHash(db, programmeId, [...new Set(hashes.values())]);
  const indexes = new Map<string, number[]>();
  for (const [hash, refs] of references) {
    indexes.set(
      hash,
      refs.map((r) => byReference.get(r)).filter((i): i is number => i !== undefined),
    );
  }
  return { hashOf: (account) => hashes.get(account), payoutsWith: (hash) => indexes.get(hash) };
}

/**
 * The statements in sequence (sequence.ts): sorted, the breaks in their chain of balances, and the
 * ledger's balance kept only for the statement that closes its booking day (the others' closings
 * are balances in the middle of a day: not compared).
 */
function inSequence(read: StatementCheck[]): { checks: StatementCheck[]; sequenceBreaks: { statement: number; previous: number; reason: SequenceReason }[] } {
  const sequenced = sequenceStatements(
    read.map((c) => ({
      account: c.statement.account,
      from: c.from,
      to: c.to,
      opening: c.statement.opening?.amount ?? null,
      closing: c.statement.closing?.amount ?? null,
      closingDate: c.statement.closing?.date ?? null,
      electronicSequence: c.statement.electronicSequence,
      legalSequence: c.statement.legalSequence,
      page: c.statement.page,
      file: c.statement.file,
      index: c.statement.index,
    })),
  );
  const position = new Map(sequenced.order.map((i, k) => [i, k]));
  const checks = sequenced.order.map((i) => {
    const c = read[i] as StatementCheck;
    return sequenced.closesDay[i] ? c : { ...c, closingLedger: null };
  });
  const sequenceBreaks = sequenced.breaks.map((b) => ({
    statement: position.get(b.statement) as number,
    previous: position.get(b.previous) as number,
    reason: b.reason,
  }));
  return { checks, sequenceBreaks };
}

/**
 * A statement's period, and its closing balance against the ledger. The period runs from the
 * opening balance's date (ISO 20022: the balance at the start of that day; PRCD, the previous
 * closing, means the day after) to the closing balance's date; without balances, from its first
 * to its last booking date. Some banks date OPBD with the previous day's date: when the opening
 * balance equals the ledger's balance at the end of that day (and not at its start), the period
 * starts the day after.
 */
async function checkStatement(db: Reader, programmeId: string, s: StatementSummary): Promise<StatementCheck> {
  let from = s.statedFrom ?? s.firstDate;
  const to = s.statedTo ?? s.lastDate;
  let openingLedger: string | null = null;
  if (s.opening !== null && s.opening.date !== null) {
    const d = s.opening.date;
    if (s.opening.type === 'PRCD') {
      from = isoOfDay(dayOf(d) + 1);
      openingLedger = await bankBalanceAt(db, programmeId, d);
    } else {
      const before = await bankBalanceAt(db, programmeId, isoOfDay(dayOf(d) - 1));
      openingLedger = before;
      if (!money(before).equals(money(s.opening.amount)) && to !== null && d < to) {
        const endOfDay = await bankBalanceAt(db, programmeId, d);
        if (money(endOfDay).equals(money(s.opening.amount))) {
          from = isoOfDay(dayOf(d) + 1);
          openingLedger = endOfDay;
        }
      }
    }
  }
  let closingLedger: string | null = null;
  const closingDate = s.closing?.date ?? null;
  if (s.closing !== null && closingDate !== null) closingLedger = await bankBalanceAt(db, programmeId, closingDate);
  return { statement: s, from, to, openingLedger, closingLedger };
}
