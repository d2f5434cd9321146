// Statement files → statement lines for the matcher, streamed: camt.053 through src/bank/camt's
// readCamt, bank CSV through src/bank/statement-csv's readCsvStatement. Nothing of a file is held
// but the chunk being read and the line being built. Every way a file cannot be used becomes CheckCouldNotRun naming the
// file (by its source's name), the line (when there is one) and the problem, with account numbers masked.
//
// What a camt entry becomes (the rules of src/bank/results/camt-entry.ts, which reads the
// bank's answers to payout batches, so that both read a bank line the same way):
// - only booked entries (Sts BOOK) are lines; PDNG/INFO entries are counted as skipped;
// - one line per TxDtls with its own amount; a batch entry whose TxDtls carry no amounts is one
//   line naming all its EndToEndIds (the matcher then wants the sum of those payouts);
// - DBIT → payment; DBIT with RvslInd → return (red-ink reversal); DBIT with RtrInf → other_debit
//   (the return of a payment received); CRDT with RvslInd or RtrInf → return; other CRDT → credit.
import type { CamtBalance, CamtEntryEvent, CamtTransaction } from '../../bank/camt/index.ts';
import { CamtFormatError, readCamt } from '../../bank/camt/index.ts';
import { CsvMappingError, CsvStatementError, readCsvStatement, type CsvMapping } from '../../bank/statement-csv/index.ts';
import { DEFAULT_REFERENCE_PATTERN } from '../../bank/statement-csv/mapping.ts';
import { CheckCouldNotRun, type Progress } from '../check-types.ts';
import { sniffSource } from '../../bank/results/sniff.ts';
import type { ByteSource } from '../sources.ts';
import { dayCache, maskAccount, normaliseAccount, toFen } from './units.ts';
import type { LineKind, StatementLine } from './types.ts';

export const CURRENCY = 'CNY';

/** Years a booking date may have; outside them a date is a placeholder or a damaged file. */
const MIN_YEAR = 1990;
const MAX_YEAR = 2099;

export interface StatementBalance {
  /** OPBD (opening), PRCD (previous closing, used as the opening), CLBD (closing). */
  type: 'OPBD' | 'PRCD' | 'CLBD';
  /** Signed decimal, as written ("-12.00" for a debit balance). */
  amount: string;
  date: string | null;
  /** Where the file states it (CSV), when known. */
  line: number | null;
  /** True when taken from the running balance of the last line (a CSV without 期末余额). */
  fromLastLine?: boolean;
}

export interface StatementSummary {
  /** Input file index. */
  file: number;
  /** 1-based position in its file. */
  index: number;
  /** camt Stmt/Id; "csv" for a CSV export. */
  id: string;
  /** As written: personal data rules apply (show masked). A CSV naming none gets the account declared or assumed (`accountAssumed`). */
  account: string | null;
  /** A CSV that names no account: the account it was taken to be about, from `--account` (or a mapping's `account`), or the programme's payout account. */
  accountAssumed?: 'declared' | 'programme';
  /** camt ElctrncSeqNb and LglSeqNb (digits), when the bank numbers its statements. */
  electronicSequence: string | null;
  legalSequence: string | null;
  /** camt pagination: StmtPgntn, else the message's MsgPgntn (a statement split over several files). */
  page: number | null;
  lastPage: boolean | null;
  opening: StatementBalance | null;
  closing: StatementBalance | null;
  /** The period the file states: camt from its opening and closing balances' dates, CSV from its title. */
  statedFrom: string | null;
  statedTo: string | null;
  /** Booking dates of its lines. */
  firstDate: string | null;
  lastDate: string | null;
  lines: number;
}

export interface ReadStatementsResult {
  /** What the check made of the file, e.g. "camt.053 (001.08)", "csv (mapping ccb, gbk)". */
  kind: string;
  messageId: string | null;
  statements: StatementSummary[];
  /** Entries that are not booked (PDNG, INFO) or of zero amount: not lines. */
  skipped: number;
  /** Set when onMessageId asked to stop: the file repeats a message already read. */
  stopped: boolean;
}

export interface ReadStatementsOptions {
  source: ByteSource;
  /** Index of the file among the check's inputs (goes into every line). */
  file: number;
  /** The programme's payout account: every statement must be about it. */
  programmeAccount: string;
  /**
   * The account of a CSV that names none: declared (`--account`, a mapping's `account`) or, by
   * default, the programme's payout account. Null: leave it unstated (only while peeking).
   */
  csvAccount?: { account: string; from: 'declared' | 'programme' } | null;
  /** How to read the file when it is a bank CSV export. */
  mapping: CsvMapping;
  onLine(line: StatementLine): void;
  /** Called with a camt message id as soon as it is read; true stops reading the file (a repeat). */
  onMessageId?(messageId: string): boolean;
  /** Called with each statement's account (null: not stated) before it is checked. */
  onStatement?(account: string | null): void;
  progress?: Progress;
}

/** Reads one statement file. Throws CheckCouldNotRun for every way the file cannot be used. */
export async function readStatementFile(options: ReadStatementsOptions): Promise<ReadStatementsResult> {
  const { source } = options;
  try {
    const sniffed = await sniffSource(counted(source, options.progress));
    if (sniffed.kind === 'empty') throw new CheckCouldNotRun(`${source.name}: the file is empty`, { file: source.name, line: null });
    return sniffed.kind === 'xml' ? await readCamtStatements(sniffed.source, options) : await readCsvStatements(sniffed.source, options);
  } catch (error) {
    throw await asCouldNotRun(error, source);
  } finally {
    options.progress?.stop();
  }
}

/** SHA-256 of a whole source (remembered by the source when it was just read to its end). */
export async function hashSource(source: ByteSource): Promise<string> {
  try {
    return await source.sha256();
  } catch (error) {
    throw await asCouldNotRun(error, source);
  }
}

/** A source's bytes, counted for the progress bar as they pass. */
async function* counted(source: ByteSource, progress: Progress | undefined): AsyncGenerator<Uint8Array> {
  for await (const bytes of source.open()) {
    progress?.tick(bytes.length);
    yield bytes;
  }
}

// --- camt.053 --------------------------------------------------------------------------------

interface CamtState {
  summary: StatementSummary;
  openingDate: string | null;
  closingDate: string | null;
}

async function readCamtStatements(source: AsyncIterable<Uint8Array | string>, o: ReadStatementsOptions): Promise<ReadStatementsResult> {
  const statements: StatementSummary[] = [];
  let kind = 'camt.053';
  let messageId: string | null = null;
  let skipped = 0;
  let current: CamtState | undefined;
  let messagePage: { number: number; last: boolean } | undefined;
  const day = dayCache();
  for await (const event of readCamt(source)) {
    switch (event.type) {
      case 'header':
        if (event.messageType !== 'camt.053') {
          const line = await locate(o.source, 0, 'BkToCstmrDbtCdtNtfctn');
          fail(
            o.source.name,
            line,
            `a ${event.messageType} is a notification of single bookings, not an account statement: give the camt.053 statement (or a bank CSV export) for the bank check`,
          );
        }
        kind = `camt.053 (${event.version})`;
        messageId = event.messageId;
        messagePage = event.page;
        if (o.onMessageId?.(event.messageId) === true) return { kind, messageId, statements, skipped, stopped: true };
        break;
      case 'statement': {
        o.onStatement?.(event.account);
        await checkCamtStatement(event, o);
        const { opening, closing } = camtOpeningAndClosing(event.balances);
        const page = event.page ?? messagePage;
        const summary: StatementSummary = {
          file: o.file,
          index: event.index,
          id: event.id,
          account: event.account,
          electronicSequence: event.electronicSequence ?? null,
          legalSequence: event.legalSequence ?? null,
          page: page?.number ?? null,
          lastPage: page?.last ?? null,
          opening: opening === undefined ? null : camtBalance(opening, opening.type === 'PRCD' ? 'PRCD' : 'OPBD'),
          closing: closing === undefined ? null : camtBalance(closing, 'CLBD'),
          statedFrom: opening?.date ?? null,
          statedTo: closing?.date ?? null,
          firstDate: null,
          lastDate: null,
          lines: 0,
        };
        if (summary.statedFrom !== null && summary.statedTo !== null && summary.statedFrom > summary.statedTo) {
          fail(
            o.source.name,
            await locate(o.source, event.index, 'CLBD'),
            `the closing balance is dated ${summary.statedTo}, before the opening balance (${summary.statedFrom})`,
          );
        }
        current = { summary, openingDate: summary.statedFrom, closingDate: summary.statedTo };
        statements.push(summary);
        break;
      }
      case 'entry': {
        const state = current as CamtState;
        const lines = camtLines(event, o, state, day);
        if (lines === undefined) {
          skipped++;
          break;
        }
        for (const line of lines) {
          state.summary.lines++;
          if (state.summary.firstDate === null || line.date < state.summary.firstDate) state.summary.firstDate = line.date;
          if (state.summary.lastDate === null || line.date > state.summary.lastDate) state.summary.lastDate = line.date;
          o.onLine(line);
        }
        break;
      }
      case 'statement-end':
        current = undefined;
        break;
    }
  }
  return { kind, messageId, statements, skipped, stopped: false };
}

async function checkCamtStatement(
  event: { index: number; account: string; currency: string | null; balances: CamtBalance[] },
  o: ReadStatementsOptions,
): Promise<void> {
  if (normaliseAccount(event.account) !== normaliseAccount(o.programmeAccount)) {
    const line = await locate(o.source, event.index, event.account);
    fail(
      o.source.name,
      line,
      `statement ${event.index} is for account ${maskAccount(event.account)}, not the programme's payout account ${maskAccount(o.programmeAccount)}`,
    );
  }
  if (event.currency !== null && event.currency !== CURRENCY) {
    const line = await locate(o.source, event.index, `>${event.currency}<`);
    fail(o.source.name, line, `statement ${event.index} is in ${event.currency}; the programme's account is in ${CURRENCY}`);
  }
  for (const b of event.balances) {
    if (b.currency !== CURRENCY) {
      const line = await locate(o.source, event.index, `Ccy="${b.currency}"`);
      fail(o.source.name, line, `statement ${event.index}: balance ${b.type} is in ${b.currency}; the programme's account is in ${CURRENCY}`);
    }
    checkYear(b.date, o.source.name, null, `balance ${b.type}`);
  }
}

/**
 * The opening and closing balances of a camt statement. OPBD (or PRCD) opens and CLBD closes; a
 * page of a paginated statement carries interim booked balances (ITBD) instead where the day goes
 * on in the next page: the first ITBD opens a page that has no OPBD/PRCD but a closing after it,
 * the last ITBD closes a page that has no CLBD.
 */
function camtOpeningAndClosing(balances: CamtBalance[]): { opening: CamtBalance | undefined; closing: CamtBalance | undefined } {
  const interim = balances.filter((b) => b.type === 'ITBD');
  let opening = balances.find((b) => b.type === 'OPBD') ?? balances.find((b) => b.type === 'PRCD');
  let closing = balances.find((b) => b.type === 'CLBD');
  if (opening === undefined && interim.length > 0 && (closing !== undefined || interim.length > 1)) opening = interim[0];
  if (closing === undefined && interim.length > 0 && interim.at(-1) !== opening) closing = interim.at(-1);
  return { opening, closing };
}

function camtBalance(b: CamtBalance, type: StatementBalance['type']): StatementBalance {
  const zero = /^0*(\.0*)?$/.test(b.amount);
  return { type, amount: b.creditDebit === 'DBIT' && !zero ? `-${b.amount}` : b.amount, date: b.date, line: null };
}

const NOT_PROVIDED = 'NOTPROVIDED';
const NO_REFERENCES: readonly string[] = Object.freeze([]);
const REFERENCE_TOKENS = new RegExp(DEFAULT_REFERENCE_PATTERN, 'gu');

/** The lines of one booked entry, or undefined when it is not a line (not booked, zero). */
function camtLines(e: CamtEntryEvent, o: ReadStatementsOptions, state: CamtState, dayOfDate: (iso: string) => number): StatementLine[] | undefined {
  if (e.status !== 'BOOK') return undefined;
  if (e.currency !== CURRENCY) fail(o.source.name, e.line, `the entry is in ${e.currency}; the programme's account is in ${CURRENCY}`);
  const date = e.bookingDate ?? e.valueDate;
  if (date === null) fail(o.source.name, e.line, 'a booked entry (Sts BOOK) without a booking date (BookgDt)');
  checkYear(date, o.source.name, e.line, 'the booking date');
  if ((state.openingDate !== null && date < state.openingDate) || (state.closingDate !== null && date > state.closingDate)) {
    fail(
      o.source.name,
      e.line,
      `booking date ${date} is outside the statement's period (opening balance dated ${state.openingDate ?? '…'}, closing balance dated ${state.closingDate ?? '…'})`,
    );
  }
  const day = dayOfDate(date);
  const txs = e.transactions;
  let unsplittable = false;
  if (txs.length > 1) for (const t of txs) if (t.amount === undefined) unsplittable = true;
  const parts: (CamtTransaction | undefined)[] = txs.length === 0 ? [undefined] : unsplittable ? [undefined] : txs;
  const out: StatementLine[] = [];
  for (const tx of parts) {
    const own = tx?.amount !== undefined && tx.currency !== undefined;
    if (own && tx.currency !== CURRENCY)
      fail(o.source.name, e.line, `a transaction of the entry is in ${tx.currency}; the programme's account is in ${CURRENCY}`);
    const amount = own ? (tx.amount as string) : e.amount;
    const fen = toFen(amount);
    if (fen === 0 || (fen === null && /^0*(?:\.0*)?$/.test(amount))) continue;
    const returned = tx !== undefined && (tx.returnReason !== undefined || (tx.returnInfo?.length ?? 0) > 0);
    const kind: LineKind =
      e.creditDebit === 'DBIT' ? (e.reversal ? 'return' : returned ? 'other_debit' : 'payment') : e.reversal || returned ? 'return' : 'credit';
    const id = tx?.endToEndId;
    const references = unsplittable ? e.endToEndIds.filter(usableReference) : usableReference(id) ? [id] : NO_REFERENCES;
    const line: StatementLine = {
      file: o.file,
      line: e.line,
      kind,
      side: e.creditDebit,
      amount,
      fen,
      date,
      day,
      references,
      bankReference: tx?.accountServicerReference ?? e.accountServicerReference,
      counterpartyAccount: counterpartyOf(kind, tx),
      // Every line has every field (one object shape for the matcher's hot path).
      receiptReferences: kind === 'credit' ? receiptCandidates(e, tx) : undefined,
      returnReason: kind === 'return' && tx !== undefined ? returnReasonOf(tx) : undefined,
    };
    out.push(line);
  }
  return out.length === 0 ? undefined : out;
}

/** An EndToEndId that names something: not empty, not ISO 20022's "NOTPROVIDED" (the reader trims values). */
function usableReference(id: string | undefined): id is string {
  if (id === undefined || id === '') return false;
  return id.length !== NOT_PROVIDED.length || id.toUpperCase() !== NOT_PROVIDED;
}

/** A payout's account: the creditor of a debit; on money coming back, the creditor of the original payment, else the debtor. */
function counterpartyOf(kind: LineKind, tx: CamtTransaction | undefined): string | null {
  if (tx === undefined) return null;
  if (kind === 'payment' || kind === 'other_debit') return tx.creditor?.account ?? null;
  if (kind === 'return') return tx.creditor?.account ?? tx.debtor?.account ?? null;
  return tx.debtor?.account ?? null;
}

function receiptCandidates(e: CamtEntryEvent, tx: CamtTransaction | undefined): string[] {
  const out: string[] = [];
  const add = (v: string | undefined | null): void => {
    const t = v?.trim();
    if (t && t.toUpperCase() !== NOT_PROVIDED && !out.includes(t)) out.push(t);
  };
  add(e.accountServicerReference);
  add(e.entryReference);
  if (tx !== undefined) {
    add(tx.accountServicerReference);
    add(tx.instructionId);
    add(tx.transactionId);
    add(tx.endToEndId);
    for (const r of tx.creditorReferences) add(r);
    for (const text of tx.remittanceLines) for (const token of text.normalize('NFKC').match(REFERENCE_TOKENS) ?? []) add(token);
  }
  return out;
}

function returnReasonOf(tx: CamtTransaction): string | undefined {
  const code = tx.returnReason?.trim() || undefined;
  const info =
    (tx.returnInfo ?? [])
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .join(' ') || undefined;
  if (code !== undefined && info !== undefined) return `${code}: ${info}`;
  return code ?? info;
}

function checkYear(date: string | null, path: string, line: number | null, what: string): void {
  if (date === null) return;
  const year = Number(date.slice(0, 4));
  if (year < MIN_YEAR || year > MAX_YEAR) fail(path, line, `${what} ${date} is out of range (years ${MIN_YEAR}–${MAX_YEAR})`);
}

// --- bank CSV --------------------------------------------------------------------------------

const RETURN_WORDS = /退汇|退票|退回|退款|冲正/;

async function readCsvStatements(source: AsyncIterable<Uint8Array | string>, o: ReadStatementsOptions): Promise<ReadStatementsResult> {
  const { mapping } = o;
  if (mapping.currency !== CURRENCY) {
    fail(o.source.name, null, `the CSV mapping "${mapping.name}" reads statements in ${mapping.currency}; the programme's account is in ${CURRENCY}`);
  }
  let summary: StatementSummary | undefined;
  let skipped = 0;
  const day = dayCache();
  // Running balances of the first and last lines, for a file that states no closing balance.
  let first: { date: string; balance: string | undefined; line: number } | undefined;
  let lastDate = '';
  let lastBalance: string | undefined;
  let lastLine = 0;
  let kind = `csv (mapping ${mapping.name})`;
  for await (const event of readCsvStatement(source, { mapping, fileName: o.source.name })) {
    switch (event.type) {
      case 'statement': {
        o.onStatement?.(event.account);
        const assumed = event.account === null ? (o.csvAccount ?? null) : null;
        if (event.account !== null && normaliseAccount(event.account) !== normaliseAccount(o.programmeAccount)) {
          const line = event.meta.find((m) => m.value.includes(event.account as string))?.line ?? event.source.headerLine + 1;
          fail(
            o.source.name,
            line,
            `the statement is for account ${maskAccount(event.account)}, not the programme's payout account ${maskAccount(o.programmeAccount)}`,
          );
        }
        const opening = event.balances.find((b) => b.type === 'OPBD');
        const closing = event.balances.find((b) => b.type === 'CLBD');
        summary = {
          file: o.file,
          index: 1,
          id: event.id,
          account: event.account ?? assumed?.account ?? null,
          ...(assumed !== null ? { accountAssumed: assumed.from } : {}),
          electronicSequence: null,
          legalSequence: null,
          page: null,
          lastPage: null,
          opening: opening === undefined ? null : csvBalance(opening),
          closing: closing === undefined ? null : csvBalance(closing),
          statedFrom: event.period.from,
          statedTo: event.period.to,
          firstDate: null,
          lastDate: null,
          lines: 0,
        };
        break;
      }
      case 'entry': {
        const s = summary as StatementSummary;
        if (/^0*(?:\.0*)?$/.test(event.amount)) {
          skipped++;
          break;
        }
        checkYear(event.bookingDate, o.source.name, event.line, 'the booking date');
        const returned = event.creditDebit === 'CRDT' && (event.reversal || event.remittanceInfo.some((t) => RETURN_WORDS.test(t)));
        const kind: LineKind = event.creditDebit === 'DBIT' ? (event.reversal ? 'other_debit' : 'payment') : returned ? 'return' : 'credit';
        const line: StatementLine = {
          file: o.file,
          line: event.line,
          kind,
          side: event.creditDebit,
          amount: event.amount,
          fen: toFen(event.amount),
          date: event.bookingDate,
          day: day(event.bookingDate),
          references: event.references,
          bankReference: event.accountServicerReference,
          counterpartyAccount: event.counterparty.account ?? null,
          receiptReferences: kind === 'credit' ? event.references : undefined,
          returnReason: undefined,
        };
        s.lines++;
        if (s.firstDate === null || line.date < s.firstDate) s.firstDate = line.date;
        if (s.lastDate === null || line.date > s.lastDate) s.lastDate = line.date;
        first ??= { date: line.date, balance: event.balanceAfter, line: event.line };
        lastDate = line.date;
        lastBalance = event.balanceAfter;
        lastLine = event.line;
        o.onLine(line);
        break;
      }
      case 'statement-end': {
        const s = summary as StatementSummary;
        const closing = event.balances.find((b) => b.type === 'CLBD');
        if (closing !== undefined) s.closing = csvBalance(closing);
        if (s.closing === null && first !== undefined) {
          // Exports list lines oldest-first or newest-first: the running balance of the latest one.
          const latest = lastDate >= first.date ? { date: lastDate, balance: lastBalance, line: lastLine } : first;
          if (latest.balance !== undefined) {
            s.closing = { type: 'CLBD', amount: latest.balance, date: s.statedTo ?? s.lastDate, line: latest.line, fromLastLine: true };
          }
        }
        if (s.closing !== null && s.closing.date === null) s.closing.date = s.statedTo ?? s.lastDate;
        kind = `csv (mapping ${mapping.name}, ${event.encoding === 'gb18030' ? 'gbk' : event.encoding})`;
        break;
      }
    }
  }
  return { kind, messageId: null, statements: summary === undefined ? [] : [summary], skipped, stopped: false };
}

function csvBalance(b: { type: 'OPBD' | 'CLBD'; amount: string; creditDebit: 'CRDT' | 'DBIT'; date: string | null; line: number }): StatementBalance {
  const zero = /^0*(\.0*)?$/.test(b.amount);
  return { type: b.type, amount: b.creditDebit === 'DBIT' && !zero ? `-${b.amount}` : b.amount, date: b.date, line: b.line };
}

// --- errors ----------------------------------------------------------------------------------

function fail(path: string, line: number | null | undefined, problem: string): never {
  throw new CheckCouldNotRun(`${path}${line ? `, line ${line}` : ''}: ${scrub(problem)}`, { file: path, line: line ?? null });
}

/** Long digit runs in a message from a reader (account numbers) shown masked. */
export function scrub(text: string): string {
  return text.replace(/\d{12,}/g, (digits) => maskAccount(digits));
}

async function asCouldNotRun(error: unknown, source: ByteSource): Promise<unknown> {
  if (error instanceof CheckCouldNotRun) return error;
  const path = source.name;
  if (error instanceof CamtFormatError) {
    // The reader's message names the element and line; the file goes in front. A problem found
    // only at the end (no statement at all, no group header) is at the file's last line.
    const line = error.line ?? (/the input is empty/.test(error.message) ? null : await lineCount(source));
    return new CheckCouldNotRun(`${path}${error.line === undefined && line !== null ? `, line ${line} (end of the document)` : ''}: ${scrub(error.message)}`, {
      file: path,
      line,
    });
  }
  if (error instanceof CsvStatementError) {
    const column = error.column !== undefined ? `, column "${error.column}"` : '';
    return new CheckCouldNotRun(`${path}${error.line !== undefined ? `, line ${error.line}` : ''}${column}: ${scrub(error.reason)}`, {
      file: path,
      line: error.line ?? null,
    });
  }
  if (error instanceof CsvMappingError) return new CheckCouldNotRun(`CSV mapping: ${error.message}`, {});
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
    return new CheckCouldNotRun(`${path}: cannot read the file (${String(code)})`, { file: path, line: null });
  }
  return error;
}

/** The number of the file's last line (a final line break does not start another). */
async function lineCount(source: ByteSource): Promise<number | null> {
  let lines = 0;
  let last = 10;
  try {
    for await (const bytes of source.open()) {
      for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lines++;
      if (bytes.length > 0) last = bytes[bytes.length - 1] as number;
    }
  } catch {
    return null;
  }
  return last === 10 ? lines : lines + 1;
}

/**
 * The line of a statement-level problem, found again only when there is one (the camt reader
 * reports statements without line numbers): the first line, after the `statementIndex`-th <Stmt>
 * start tag (0: from the top), that contains `needle`. Null when not found.
 */
export async function locate(source: ByteSource, statementIndex: number, needle: string): Promise<number | null> {
  const stmt = /<(?:[A-Za-z_][\w.-]*:)?Stmt[\s>]/g;
  let seen = 0;
  let lineNo = 0;
  let carry = '';
  const decoder = new TextDecoder('utf-8');
  const scan = (text: string): number | null => {
    for (const line of text.split('\n')) {
      lineNo++;
      let from = 0;
      if (seen < statementIndex) {
        stmt.lastIndex = 0;
        for (let m = stmt.exec(line); m !== null; m = stmt.exec(line)) {
          seen++;
          from = m.index + m[0].length;
          if (seen === statementIndex) break;
        }
        if (seen < statementIndex) continue;
      }
      if (line.indexOf(needle, from) >= 0) return lineNo;
    }
    return null;
  };
  try {
    for await (const chunk of source.open()) {
      const text = carry + decoder.decode(chunk, { stream: true });
      const cut = text.lastIndexOf('\n');
      if (cut < 0) {
        carry = text;
        continue;
      }
      carry = text.slice(cut + 1);
      const found = scan(text.slice(0, cut));
      if (found !== null) return found;
    }
    return carry.length > 0 ? scan(carry) : null;
  } catch {
    return null;
  }
}
