// Decoded text → statement events, line by line, holding only the line being read and the
// statement's running totals, so memory stays flat however long the file is.
//
// A file is read in three phases:
//   title   — lines before the header. Each non-blank line is tried as the header (for each
//             candidate delimiter); otherwise its "label：value" pairs are statement metadata.
//   body    — entry lines. Blank lines and a repeated header (multi-page exports) are skipped;
//             a page subtotal (小计, 本页合计) is recognised and skipped; a total (合计, 总计,
//             总笔数 …) or another line that is not an entry (a note, 期末余额：…) ends the body.
//   trailer — after that: summary and note lines, read for their pairs. A line that looks like
//             an entry here is an error: entries are never dropped silently.
import type { CreditDebit } from '../camt/types.ts';
import { formatMoney, money } from '../../domain/money.ts';
import { CsvStatementError, type CsvStatementErrorCode } from './errors.ts';
import { describeMissing, matchHeader, type AmountMode, type ColumnLayout, type HeaderMatch } from './header.ts';
import { LabelTable, type LabelPair } from './labels.ts';
import { LineSplitter } from './line-splitter.ts';
import { normalizeName, type CsvColumnField, type CsvMapping } from './mapping.ts';
import { RecordJoiner, splitRecord } from './records.ts';
import type { CsvBalance, CsvDecodedAs, CsvEntryEvent, CsvEvent, CsvFooter, CsvMetaPair, CsvStatementEvent } from './types.ts';
import {
  cleanCell,
  currencyCode,
  datesIn,
  parseAmount,
  parseDateTime,
  parseTime,
  PLACEHOLDERS,
  signedText,
  type AmountValue,
  type DateTimeValue,
  type Parsed,
} from './values.ts';

/** A physical line longer than this is not a bank statement line (or the line breaks are not \n / \r\n). */
export const MAX_LINE_CHARS = 1 << 20;
/** A quoted cell may span lines, but not more than this many. */
export const MAX_RECORD_LINES = 100;

const AUTO_DELIMITERS = [',', '\t', ';', '|'] as const;

export interface MachineOptions {
  fileName?: string;
  statementId?: string;
}

type Phase = 'title' | 'body' | 'trailer';
type SingleField = Exclude<CsvColumnField, 'references'>;

interface BalanceDraft {
  type: 'OPBD' | 'CLBD';
  amount: AmountValue;
  line: number;
}

export class CsvStatementMachine {
  /** Events produced since the caller last drained them. */
  readonly events: CsvEvent[] = [];

  private phase: Phase = 'title';
  private readonly splitter = new LineSplitter(
    MAX_LINE_CHARS,
    (line, n) => this.onLine(line, n),
    (n) => this.fail('syntax', `the line is longer than ${MAX_LINE_CHARS} characters: not a bank statement line (are its line breaks \\n or \\r\\n?)`, n),
  );
  private sawText = false;
  private readonly joiner = new RecordJoiner({ maxLines: MAX_RECORD_LINES, maxChars: MAX_LINE_CHARS }, (line, maxLines) =>
    this.fail('syntax', `a quoted cell opened on this line is not closed within ${maxLines} lines`, line),
  );

  // Title
  private readonly labels: LabelTable;
  private titleLines = 0;
  private best: { line: number; match: HeaderMatch } | undefined;
  private readonly meta: CsvMetaPair[] = [];
  private account: string | null = null;
  private accountName: string | undefined;
  private bank: string | undefined;
  private periodFrom: string | null = null;
  private periodTo: string | null = null;
  private readonly titleBalances: BalanceDraft[] = [];

  // Body
  private layout: ColumnLayout | undefined;
  private delimiter = ',';
  private headerLine = 0;
  private mode: AmountMode = 'debit-credit';
  private readonly col: Record<SingleField, number> = {
    bookingDate: -1,
    valueDate: -1,
    transactionTime: -1,
    debit: -1,
    credit: -1,
    amount: -1,
    direction: -1,
    balance: -1,
    currency: -1,
    account: -1,
    counterpartyAccount: -1,
    counterpartyName: -1,
    counterpartyBank: -1,
    payerAccount: -1,
    payerName: -1,
    payeeAccount: -1,
    payeeName: -1,
    transactionId: -1,
  };
  private referenceCols: number[] = [];
  private readonly debitFlags: Set<string>;
  private readonly creditFlags: Set<string>;
  private readonly fullWidth = /[\uFF01-\uFF5E]/;
  private statement: CsvStatementEvent | undefined;
  private entryCount = 0;
  private debitCount = 0;
  private creditCount = 0;
  // Totals in fen, as BigInt: exact integers (amounts have at most two decimals), and a fifth of
  // the cost of a Decimal addition per line. They become decimals through money.ts at the end.
  private debitFen = 0n;
  private creditFen = 0n;

  // Trailer
  private firstTrailerLine = 0;
  private footer: CsvFooter | undefined;
  private readonly endBalances: BalanceDraft[] = [];
  private readonly endMeta: CsvMetaPair[] = [];

  constructor(
    private readonly mapping: CsvMapping,
    private readonly options: MachineOptions,
    /** How the bytes are being decoded, asked when an event or an error needs it. */
    private readonly decodedAs: () => { encoding: CsvDecodedAs; explicit: boolean },
  ) {
    this.labels = new LabelTable(mapping);
    this.debitFlags = new Set(mapping.directionValues.debit.map((v) => normalizeName(v)));
    this.creditFlags = new Set(mapping.directionValues.credit.map((v) => normalizeName(v)));
  }

  /** Takes the next piece of decoded text (any length, cut anywhere). */
  push(text: string): void {
    this.checkText(text);
    this.splitter.push(text);
  }

  /** After the last chunk: the last line, then the checks that need the whole file. */
  finish(): void {
    this.splitter.finish();
    const unclosed = this.joiner.openSince;
    if (unclosed !== undefined) this.fail('syntax', 'a quoted cell opened on this line is never closed', unclosed);
    if (this.phase === 'title') {
      if (!this.sawText) this.fail('empty', 'the file is empty');
      this.failNoHeader();
    }
    if (this.statement === undefined) this.emitStatement();
    this.checkFooter();
    const statement = this.statement as CsvStatementEvent;
    const end = {
      type: 'statement-end' as const,
      statementId: statement.id,
      entryCount: this.entryCount,
      totals: {
        debitCount: this.debitCount,
        creditCount: this.creditCount,
        debitTotal: fenToMoney(this.debitFen),
        creditTotal: fenToMoney(this.creditFen),
      },
      balances: this.endBalances.map((b) => this.balance(b)),
      meta: this.endMeta,
      lineCount: this.splitter.lineCount,
      encoding: this.decodedAs().encoding,
    };
    this.events.push(this.footer === undefined ? end : { ...end, footer: this.footer });
  }

  // --- lines -------------------------------------------------------------------------------

  private checkText(text: string): void {
    const bad = text.indexOf('\uFFFD');
    if (bad >= 0) this.fail('encoding', this.undecodableReason(), this.splitter.lineAt(text, bad));
    const nul = text.indexOf('\u0000');
    if (nul >= 0) this.fail('not-csv', 'the file holds binary data (NUL bytes): it is not a CSV text file', this.splitter.lineAt(text, nul));
  }

  private undecodableReason(): string {
    const { encoding, explicit } = this.decodedAs();
    if (encoding === 'text') return 'a U+FFFD replacement character: the text was already damaged when it was decoded';
    const tail = ' (or a U+FFFD replacement character, which means the file was damaged before)';
    if (explicit) return `bytes that are not valid ${encoding === 'utf-8' ? 'UTF-8' : 'GBK/GB18030'}, the encoding given${tail}`;
    return encoding === 'utf-8'
      ? `bytes that are not valid UTF-8, although the file began as UTF-8: it mixes encodings${tail}`
      : `bytes that are neither valid UTF-8 nor valid GBK/GB18030${tail}`;
  }

  private onLine(line: string, n: number): void {
    if (this.phase === 'title') {
      this.onTitleLine(line, n);
      return;
    }
    if (!this.joiner.open && line.length === 0) return;
    const record = this.joiner.take(line, n, this.delimiter);
    if (record === null) return;
    this.onRecord(record.cells, record.line);
  }

  // --- title -------------------------------------------------------------------------------

  private onTitleLine(line: string, n: number): void {
    const trimmed = line.trim();
    if (trimmed.length === 0 || /^[,;|\t\s]*$/.test(trimmed)) return;
    this.sawText = true;
    this.titleLines++;
    if (this.titleLines === 1 && trimmed.charCodeAt(trimmed.charCodeAt(0) === 0xfeff ? 1 : 0) === 60) {
      this.fail('not-csv', 'the file is XML or HTML (a camt.053? an .xls that is really a web page?), not CSV', n);
    }
    const delimiters = this.mapping.delimiter === 'auto' ? AUTO_DELIMITERS : [this.mapping.delimiter];
    for (const delimiter of delimiters) {
      if (delimiters.length > 1 && !line.includes(delimiter)) continue;
      const cells = splitRecord(line, delimiter) ?? line.split(delimiter);
      const match = matchHeader(cells, this.mapping);
      if (match.layout !== undefined) {
        this.startBody(match.layout, delimiter, n);
        return;
      }
      if (match.score >= 2 && (this.best === undefined || match.score > this.best.match.score)) this.best = { line: n, match };
    }
    const delimiter = this.mapping.delimiter !== 'auto' ? this.mapping.delimiter : line.includes(',') ? ',' : line.includes('\t') ? '\t' : ',';
    this.onTitlePairs(this.labels.pairsIn(splitRecord(line, delimiter) ?? line.split(delimiter)), n);
    if (this.titleLines > this.mapping.headerSearchLines) this.failNoHeader();
  }

  private failNoHeader(): never {
    const best = this.best;
    if (best !== undefined) {
      this.fail('missing-column', `the header lacks required columns: ${describeMissing(best.match.missing)} (mapping "${this.mapping.name}")`, best.line);
    }
    const date = this.mapping.columns.bookingDate?.slice(0, 2).join(' / ') ?? '';
    this.fail(
      'no-header',
      `no header row: none of the first ${Math.min(this.titleLines, this.mapping.headerSearchLines + 1)} non-blank lines names the columns of mapping "${this.mapping.name}" (such as ${date}, and the amounts)`,
      this.splitter.lineCount > 0 ? 1 : undefined,
    );
  }

  private onTitlePairs(pairs: LabelPair[], n: number): void {
    for (const { label, value } of pairs) {
      this.meta.push({ line: n, label, value });
      if (value === '') continue;
      const key = this.labels.keyOf(label);
      switch (key) {
        case 'account':
          this.account ??= compact(value);
          break;
        case 'accountName':
          this.accountName ??= value;
          break;
        case 'bank':
          this.bank ??= value;
          break;
        case 'currency':
          this.checkCurrency(value, n, label);
          break;
        case 'periodFrom':
          this.periodFrom = this.titleDate(value, n, label, 1)[0] ?? this.periodFrom;
          break;
        case 'periodTo':
          this.periodTo = this.titleDate(value, n, label, 1)[0] ?? this.periodTo;
          break;
        case 'period': {
          const [from, to] = this.titleDate(value, n, label, 2);
          if (from !== undefined && to !== undefined) {
            this.periodFrom = from;
            this.periodTo = to;
          }
          break;
        }
        case 'openingBalance':
        case 'closingBalance': {
          const amount = this.amountOf(value, n, label);
          if (amount !== undefined) this.titleBalances.push({ type: key === 'openingBalance' ? 'OPBD' : 'CLBD', amount, line: n });
          break;
        }
        // Some exports state their counts and totals above the table.
        case 'totalCount':
        case 'debitCount':
        case 'creditCount':
        case 'debitTotal':
        case 'creditTotal':
          this.declare(key, label, value, n);
          break;
        default:
          break;
      }
    }
    if (this.periodFrom !== null && this.periodTo !== null && this.periodFrom > this.periodTo) {
      this.fail('period', `the statement period ends (${this.periodTo}) before it starts (${this.periodFrom})`, n);
    }
  }

  /** The dates of a title value; with `count` 2, fewer than two dates give none (not a period). */
  private titleDate(value: string, n: number, label: string, count: 1 | 2): (string | undefined)[] {
    const dates = datesIn(value);
    if (dates.length < count) return [];
    return dates.slice(0, count).map((d) => (d.ok ? d.value : this.fail('date', `${label}: ${d.problem}`, n)));
  }

  private amountOf(value: string, n: number, label: string): AmountValue | undefined {
    const parsed = parseAmount(value.replace(/\s+/g, ''));
    if (parsed === undefined) return undefined;
    if (!parsed.ok) this.fail('amount', `${label}: ${parsed.problem}`, n);
    return parsed.value;
  }

  private checkCurrency(text: string, n: number, column: string): void {
    const code = currencyCode(text);
    if (code === undefined) this.fail('currency', `"${text}" is not a currency this reader recognises`, n, column);
    if (code !== this.mapping.currency) {
      this.fail('currency', `the currency is ${code} ("${text}"), the mapping expects ${this.mapping.currency}`, n, column);
    }
  }

  private startBody(layout: ColumnLayout, delimiter: string, n: number): void {
    this.phase = 'body';
    this.layout = layout;
    this.delimiter = delimiter;
    this.headerLine = n;
    this.mode = layout.amountMode;
    for (const [field, i] of Object.entries(layout.index) as [SingleField, number][]) this.col[field] = i;
    // In debit/credit mode an amount column is not read (and vice versa).
    if (this.mode === 'debit-credit') this.col.amount = -1;
    else this.col.debit = this.col.credit = -1;
    if (this.mode === 'signed-amount') this.col.direction = -1;
    this.referenceCols = layout.references;
  }

  // --- body --------------------------------------------------------------------------------

  private onRecord(cells: string[], n: number): void {
    const dateCell = cleanCell(cells[this.col.bookingDate]);
    const date = dateCell === '' ? undefined : parseDateTime(dateCell);
    if (date === undefined || !date.ok) {
      this.onNonEntry(cells, n, dateCell, date);
      return;
    }
    if (this.phase === 'trailer') {
      this.fail('footer', `an entry (dated ${date.value.date}) after the summary line ${this.firstTrailerLine}: entries must all come before the totals`, n);
    }
    const layout = this.layout as ColumnLayout;
    if (cells.length > layout.names.length) {
      for (let i = layout.names.length; i < cells.length; i++) {
        if (cleanCell(cells[i]) !== '') {
          this.fail(
            'columns',
            `the line has ${cells.length} cells, the header ${layout.names.length}: is a value with "${this.delimiter}" (e.g. 1,234.50) not quoted?`,
            n,
          );
        }
      }
    }
    this.onEntry(cells, n, date.value);
  }

  /**
   * A line whose booking-date cell is empty or not a date: the header again, a summary (合计 …),
   * a trailer line (期末余额：…, a one-cell note), or a bad entry. Only lines without an amount in
   * the amount columns can be trailer lines, and only a summary word in the first columns makes a
   * total line: an entry is never taken for a note.
   */
  private onNonEntry(cells: string[], n: number, dateCell: string, date: Parsed<DateTimeValue> | undefined): void {
    const layout = this.layout as ColumnLayout;
    const col = this.col;
    let filled = 0;
    let first = '';
    let firstAt = -1;
    for (let i = 0; i < cells.length; i++) {
      const v = cleanCell(cells[i]);
      if (v === '') continue;
      if (filled++ === 0) {
        first = v;
        firstAt = i;
      }
    }
    if (filled === 0) return;
    if (normalizeName(dateCell) === layout.normalized[col.bookingDate]) {
      // The header repeated (a new page): skip it if it is the same header.
      if (cells.every((c, i) => normalizeName(c) === (layout.normalized[i] ?? ''))) return;
    }
    const kind = firstAt <= Math.max(1, col.bookingDate) ? this.summaryKind(first) : undefined;
    if (kind === 'subtotal') return;
    const amountCols = this.mode === 'debit-credit' ? [col.debit, col.credit] : [col.amount];
    const hasAmount = amountCols.some((i) => parseAmount(cleanCell(cells[i])) !== undefined);
    const pairs = this.labels.pairsIn(cells);
    const known = pairs.some((p) => this.labels.keyOf(p.label) !== undefined);
    const note = filled === 1 && !/^\d{4}/.test(dateCell);
    if (kind === 'total' || (!hasAmount && (known || note || this.phase === 'trailer'))) {
      if (this.phase !== 'trailer') {
        this.phase = 'trailer';
        this.firstTrailerLine = n;
      }
      this.onTrailerLine(cells, pairs, n, kind === 'total');
      return;
    }
    const column = layout.names[col.bookingDate];
    if (date === undefined) this.fail('date', 'the booking date is empty', n, column);
    if (!date.ok) this.fail('date', `booking date ${date.problem}`, n, column);
  }

  private summaryKind(first: string): 'total' | 'subtotal' | undefined {
    const text = normalizeName(first);
    if (this.mapping.summaryWords.subtotal.some((w) => text.startsWith(normalizeName(w)))) return 'subtotal';
    if (this.mapping.summaryWords.total.some((w) => text.startsWith(normalizeName(w)))) return 'total';
    if (/^共\d+笔/.test(text)) return 'total';
    return undefined;
  }

  private onTrailerLine(cells: string[], pairs: LabelPair[], n: number, total: boolean): void {
    const footer = total ? (this.footer ??= { line: n }) : undefined;
    for (const { label, value } of pairs) {
      this.endMeta.push({ line: n, label, value });
      const key = this.labels.keyOf(label);
      if (value === '' || key === undefined) continue;
      switch (key) {
        case 'closingBalance': {
          const amount = this.amountOf(value, n, label);
          if (amount !== undefined) this.endBalances.push({ type: 'CLBD', amount, line: n });
          break;
        }
        case 'totalCount':
        case 'debitCount':
        case 'creditCount':
        case 'debitTotal':
        case 'creditTotal':
          this.declare(key, label, value, n);
          break;
        case 'currency':
          this.checkCurrency(value, n, label);
          break;
        default:
          break;
      }
    }
    if (footer === undefined) return;
    // A 合计 line with the sums in the amount columns, and maybe "共5笔" somewhere.
    if (this.mode === 'debit-credit') {
      for (const [key, i] of [
        ['debitTotal', this.col.debit],
        ['creditTotal', this.col.credit],
      ] as const) {
        const cell = cleanCell(cells[i]);
        const amount = parseAmount(cell);
        if (amount?.ok && footer[key] === undefined) footer[key] = signedText(amount.value);
      }
    }
    if (footer.totalCount === undefined) {
      for (const c of cells) {
        const m = /(\d+)\s*笔/.exec(c);
        if (m !== null) {
          footer.totalCount = Number(m[1]);
          break;
        }
      }
    }
  }

  /** A count or total the file states (in a summary line, or in the title), to check at the end. */
  private declare(key: 'totalCount' | 'debitCount' | 'creditCount' | 'debitTotal' | 'creditTotal', label: string, value: string, n: number): void {
    const footer = (this.footer ??= { line: n });
    if (key === 'debitTotal' || key === 'creditTotal') {
      const amount = this.amountOf(value, n, label);
      if (amount !== undefined) footer[key] ??= signedText(amount);
      return;
    }
    const m = /^\D{0,2}(\d+)\s*笔?$/.exec(value.replace(/,/g, ''));
    if (m === null) this.fail('footer', `${label} "${value}" is not a number of lines`, n);
    footer[key] ??= Number(m[1]);
  }

  private onEntry(cells: string[], n: number, when: DateTimeValue): void {
    const col = this.col;
    const layout = this.layout as ColumnLayout;
    const bookingDate = when.date;
    if ((this.periodFrom !== null && bookingDate < this.periodFrom) || (this.periodTo !== null && bookingDate > this.periodTo)) {
      this.fail(
        'period',
        `booking date ${bookingDate} is outside the statement period ${this.periodFrom ?? '…'} – ${this.periodTo ?? '…'}`,
        n,
        layout.names[col.bookingDate],
      );
    }

    // Amount and side.
    let amount: AmountValue;
    let side: CreditDebit;
    let reversal = false;
    if (this.mode === 'debit-credit') {
      const debit = this.cellAmount(cells, col.debit, n);
      const credit = this.cellAmount(cells, col.credit, n);
      const debitUsed = debit !== undefined && !debit.zero;
      const creditUsed = credit !== undefined && !credit.zero;
      let fromDebit: boolean;
      if (debitUsed && creditUsed) {
        this.fail('amount', `both a debit (${debit.text}) and a credit (${credit.text}) on one line`, n);
      } else if (debitUsed || creditUsed) {
        fromDebit = debitUsed;
      } else if ((debit === undefined) !== (credit === undefined)) {
        fromDebit = debit !== undefined; // a zero amount in one column only
      } else {
        this.fail('amount', `no amount: "${layout.names[col.debit]}" and "${layout.names[col.credit]}" are both ${debit === undefined ? 'empty' : 'zero'}`, n);
      }
      amount = (fromDebit ? debit : credit) as AmountValue;
      side = fromDebit ? 'DBIT' : 'CRDT';
      if (amount.negative && !amount.zero) {
        if (!this.mapping.negativeIsReversal) {
          this.fail(
            'amount',
            `a negative amount (${amount.text}) in "${layout.names[fromDebit ? col.debit : col.credit]}"; the mapping does not allow reversals`,
            n,
          );
        }
        reversal = true;
        side = fromDebit ? 'CRDT' : 'DBIT';
      }
    } else {
      const value = this.cellAmount(cells, col.amount, n);
      if (value === undefined) this.fail('amount', 'the amount is empty', n, layout.names[col.amount]);
      amount = value;
      if (this.mode === 'signed-amount') {
        side = amount.negative ? 'DBIT' : 'CRDT';
      } else {
        const flag = cleanCell(cells[col.direction]);
        const key = normalizeName(flag);
        const debit = this.debitFlags.has(key);
        if (!debit && !this.creditFlags.has(key)) {
          this.fail(
            'direction',
            `"${flag}" is not a debit/credit flag (debit: ${this.mapping.directionValues.debit.join(' ')}; credit: ${this.mapping.directionValues.credit.join(' ')})`,
            n,
            layout.names[col.direction],
          );
        }
        if (amount.negative && !debit && !amount.zero) {
          this.fail('direction', `a negative amount (-${amount.text}) flagged as a credit ("${flag}")`, n, layout.names[col.direction]);
        }
        side = debit ? 'DBIT' : 'CRDT';
      }
    }

    // Currency, own account.
    if (col.currency >= 0) {
      const text = cleanCell(cells[col.currency]);
      if (text !== '') this.checkCurrency(text, n, layout.names[col.currency] as string);
    }
    let ownAccount: string | undefined;
    if (col.account >= 0) {
      ownAccount = compact(cleanCell(cells[col.account]));
      if (ownAccount !== '' && this.account !== null && ownAccount !== this.account) {
        this.fail('account', `the line is for account ${ownAccount}, the statement for ${this.account}`, n, layout.names[col.account]);
      }
    }
    if (this.statement === undefined) {
      if (this.account === null && ownAccount) this.account = ownAccount;
      this.emitStatement();
    }

    // Dates and time.
    let valueDate: string | null = null;
    if (col.valueDate >= 0) {
      const text = cleanCell(cells[col.valueDate]);
      if (text !== '' && !PLACEHOLDERS.has(text)) {
        const parsed = parseDateTime(text);
        if (!parsed.ok) this.fail('date', `value date ${parsed.problem}`, n, layout.names[col.valueDate]);
        valueDate = parsed.value.date;
      }
    }
    let transactionTime: string | undefined;
    if (when.time !== undefined) transactionTime = `${bookingDate}T${when.time}`;
    else if (col.transactionTime >= 0) {
      const text = cleanCell(cells[col.transactionTime]);
      if (text !== '' && !PLACEHOLDERS.has(text)) {
        const time = parseTime(text);
        if (time.ok) transactionTime = `${bookingDate}T${time.value}`;
        else {
          const dt = parseDateTime(text);
          if (!dt.ok) this.fail('date', `transaction time ${time.problem}`, n, layout.names[col.transactionTime]);
          if (dt.value.time !== undefined) transactionTime = `${dt.value.date}T${dt.value.time}`;
        }
      }
    }

    // Counterparty: 对方…, else the payee of a debit / the payer of a credit (as written: a
    // reversed debit still names the payee).
    const writtenDebit = reversal ? side === 'CRDT' : side === 'DBIT';
    const counterparty: CsvEntryEvent['counterparty'] = {};
    const cpName = this.text(cells, col.counterpartyName) || this.text(cells, writtenDebit ? col.payeeName : col.payerName);
    const cpAccount = compact(this.text(cells, col.counterpartyAccount) || this.text(cells, writtenDebit ? col.payeeAccount : col.payerAccount));
    if (cpName !== '') counterparty.name = cpName;
    if (cpAccount !== '') counterparty.account = cpAccount;

    // References.
    const remittanceInfo: string[] = [];
    const references: string[] = [];
    for (const i of this.referenceCols) {
      const text = cleanCell(cells[i]);
      if (text === '') continue;
      remittanceInfo.push(text);
      const tokens = (this.fullWidth.test(text) ? text.normalize('NFKC') : text).match(this.mapping.referencePattern);
      if (tokens !== null) for (const t of tokens) if (!references.includes(t)) references.push(t);
    }

    const transactionId = this.text(cells, col.transactionId);
    const entry: CsvEntryEvent = {
      type: 'entry',
      statementId: (this.statement as CsvStatementEvent).id,
      index: ++this.entryCount,
      line: n,
      amount: amount.text,
      currency: this.mapping.currency,
      creditDebit: side,
      reversal,
      status: 'BOOK',
      bookingDate,
      valueDate,
      accountServicerReference: transactionId === '' ? null : transactionId,
      counterparty,
      references,
      remittanceInfo,
    };
    if (transactionTime !== undefined) entry.transactionTime = transactionTime;
    const bank = this.text(cells, col.counterpartyBank);
    if (bank !== '') entry.counterpartyBank = bank;
    if (col.balance >= 0) {
      const balance = this.cellAmount(cells, col.balance, n);
      if (balance !== undefined) entry.balanceAfter = signedText(balance);
    }

    // Totals as the bank's columns add them: a reversal counts negative on its written side.
    if (writtenDebit) {
      this.debitCount++;
      this.debitFen += reversal ? -fenOf(amount.text) : fenOf(amount.text);
    } else {
      this.creditCount++;
      this.creditFen += reversal ? -fenOf(amount.text) : fenOf(amount.text);
    }
    this.events.push(entry);
  }

  private cellAmount(cells: string[], i: number, n: number): AmountValue | undefined {
    const parsed = parseAmount(cleanCell(cells[i]));
    if (parsed === undefined) return undefined;
    if (!parsed.ok) this.fail('amount', parsed.problem, n, (this.layout as ColumnLayout).names[i]);
    return parsed.value;
  }

  private text(cells: string[], i: number): string {
    return i < 0 ? '' : cleanCell(cells[i]);
  }

  // --- statement and end --------------------------------------------------------------------

  private emitStatement(): void {
    const layout = this.layout as ColumnLayout;
    const columns: CsvStatementEvent['source']['columns'] = {};
    for (const [field, i] of Object.entries(this.col) as [SingleField, number][]) {
      if (i >= 0) columns[field] = layout.names[i] as string;
    }
    if (this.referenceCols.length > 0) columns.references = this.referenceCols.map((i) => layout.names[i] as string);
    const statement: CsvStatementEvent = {
      type: 'statement',
      index: 1,
      id: this.options.statementId ?? 'csv',
      account: this.account,
      currency: this.mapping.currency,
      period: { from: this.periodFrom, to: this.periodTo },
      balances: this.titleBalances.map((b) => this.balance(b)),
      meta: this.meta,
      source: {
        mapping: this.mapping.name,
        encoding: this.decodedAs().encoding,
        delimiter: this.delimiter,
        headerLine: this.headerLine,
        columns,
        amountMode: this.mode,
      },
    };
    if (this.accountName !== undefined) statement.accountName = this.accountName;
    if (this.bank !== undefined) statement.bank = this.bank;
    this.statement = statement;
    this.events.push(statement);
  }

  private balance(b: BalanceDraft): CsvBalance {
    return {
      type: b.type,
      amount: b.amount.text,
      currency: this.mapping.currency,
      creditDebit: b.amount.negative && !b.amount.zero ? 'DBIT' : 'CRDT',
      date: b.type === 'OPBD' ? this.periodFrom : this.periodTo,
      line: b.line,
    };
  }

  private checkFooter(): void {
    const f = this.footer;
    if (f === undefined || !this.mapping.checkFooter) return;
    const differ = (what: string, stated: string | number, actual: string | number): never =>
      this.fail('footer', `the ${what} stated here is ${stated}, the entries give ${actual}`, f.line);
    if (f.totalCount !== undefined && f.totalCount !== this.entryCount) differ('count of lines', f.totalCount, this.entryCount);
    if (f.debitCount !== undefined && f.debitCount !== this.debitCount) differ('count of debits', f.debitCount, this.debitCount);
    if (f.creditCount !== undefined && f.creditCount !== this.creditCount) differ('count of credits', f.creditCount, this.creditCount);
    const debit = fenToMoney(this.debitFen);
    const credit = fenToMoney(this.creditFen);
    if (f.debitTotal !== undefined && !money(f.debitTotal).equals(debit)) differ('debit total', f.debitTotal, debit);
    if (f.creditTotal !== undefined && !money(f.creditTotal).equals(credit)) differ('credit total', f.creditTotal, credit);
  }

  private fail(code: CsvStatementErrorCode, reason: string, line?: number, column?: string): never {
    const where: { line?: number; column?: string; fileName?: string } = {};
    if (line !== undefined) where.line = line;
    if (column !== undefined) where.column = column;
    if (this.options.fileName !== undefined) where.fileName = this.options.fileName;
    throw new CsvStatementError(code, reason, where);
  }
}

/** Account numbers without the spaces some exports group them with. */
function compact(text: string): string {
  return text.includes(' ') || text.includes('\u3000') ? text.replace(/[\s\u3000]+/g, '') : text;
}

/** "1234.5" → 123450n: an amount of at most two decimals (parseAmount's text) in fen. */
function fenOf(text: string): bigint {
  const point = text.indexOf('.');
  if (point < 0) return BigInt(text) * 100n;
  const fraction = text.slice(point + 1);
  return BigInt(text.slice(0, point) + (fraction.length === 1 ? `${fraction}0` : fraction));
}

/** Fen back to the wire form "1234.50", through the money module. */
function fenToMoney(fen: bigint): string {
  return formatMoney(money(fen.toString()).dividedBy(100));
}
