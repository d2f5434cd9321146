// A 代发 result CSV → result lines, streaming: text is cut into physical lines as it arrives, only
// the line being read and the result lines (small objects) are held. Layout:
//
//   付款账号：6222…,户名：…        ← optional title lines: 账号 / 付款账号 and 币种 are read
//   总笔数,3,总金额,10500.00        ← optional summary before the header (daifa-csv.ts's summaryLine)
//   序号,收款账号,收款户名,金额,用途,备注,状态,失败原因   ← header: amount, status and a reference column required
//   1,6222…,张晓梅,3500.00,助学金,QS2026A-000001,成功,
//   合计,3,10500.00                 ← optional summary: checked against the lines
//
// Decoding (UTF-8 with or without BOM, GBK) is the statement reader's StatementDecoder; an
// undecodable byte becomes U+FFFD there and is refused here with the line it is on.
import { StatementDecoder } from '../statement-csv/decode.ts';
import { LabelTable } from '../statement-csv/labels.ts';
import { LineSplitter } from '../statement-csv/line-splitter.ts';
import { resolveCsvMapping } from '../statement-csv/config.ts';
import { normalizeName } from '../statement-csv/mapping.ts';
import { RecordJoiner, splitRecord } from '../statement-csv/records.ts';
import { cleanCell, currencyCode } from '../statement-csv/values.ts';
import { matchResultHeader, type HeaderMatch, type ResultLayout } from './csv-columns.ts';
import { hasResultData, readResultRow } from './csv-row.ts';
import { SummaryCheck, summaryKindOf } from './csv-summary.ts';
import { BankResultFileError } from './errors.ts';
import type { BankResultEncoding, BankResultFile, BankResultLine, SkippedBankLine } from './types.ts';

export type CsvResults = Omit<BankResultFile, 'sha256'>;

/** A physical line longer than this is not a result line (or the line breaks are not \n / \r\n). */
const MAX_LINE_CHARS = 1 << 20;
/** A quoted cell may span lines (an address, a note), but not the rest of the file. */
const MAX_RECORD_LINES = 20;
/** Non-blank lines looked at for the header. */
const HEADER_SEARCH_LINES = 30;
const DELIMITERS = [',', '\t', ';', '|'] as const;

/**
 * Title labels: the programme's (paying) account and the file's currency. The statement reader's
 * LabelTable reads "label：value" pairs in all the forms banks write them; it takes a statement
 * mapping, so one is made from the generic preset with these labels laid over it.
 */
const TITLE_LABELS = new LabelTable(
  resolveCsvMapping(
    {
      extends: 'generic-cn',
      labels: {
        account: ['付款账号', '付款人账号', '付方账号', '付款账户', '出账账号', '代发账号', '企业账号', '单位账号', '账号', '帐号', '账户'],
        currency: ['币种', '货币', '币别'],
      },
    },
    'bank result file title labels',
  ),
);

export async function readCsvResults(source: AsyncIterable<Uint8Array | string>, encoding: BankResultEncoding): Promise<CsvResults> {
  const decoder = new StatementDecoder(encoding);
  let input: 'bytes' | 'text' | undefined;
  const reader = new CsvResultReader(() => undecodableReason(input === 'text', decoder));
  for await (const chunk of source) {
    const kind = typeof chunk === 'string' ? 'text' : 'bytes';
    if (input !== undefined && input !== kind) throw new TypeError('readBankResults: the source mixes strings and bytes');
    input = kind;
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text.length > 0) reader.push(text);
  }
  if (input === 'bytes') reader.push(decoder.end());
  return reader.finish();
}

function undecodableReason(text: boolean, decoder: StatementDecoder): string {
  if (text) return 'a U+FFFD replacement character: the text was already damaged when it was decoded';
  const tail = ' (or a U+FFFD replacement character, which means the file was damaged before)';
  if (decoder.explicit) return `bytes that are not valid ${decoder.encoding === 'utf-8' ? 'UTF-8' : 'GBK'}, the encoding given${tail}`;
  return decoder.encoding === 'utf-8'
    ? `bytes that are not valid UTF-8, although the file began as UTF-8: it mixes encodings${tail}`
    : `bytes that are neither valid UTF-8 nor valid GBK${tail}`;
}

class CsvResultReader {
  private readonly splitter = new LineSplitter(
    MAX_LINE_CHARS,
    (line, n) => this.onLine(line, n),
    (n) => {
      throw new BankResultFileError(`the line is longer than ${MAX_LINE_CHARS} characters: not a result line (are its line breaks \\n or \\r\\n?)`, n);
    },
  );
  private phase: 'title' | 'body' | 'trailer' = 'title';
  private titleLines = 0;
  private best: { line: number; match: HeaderMatch } | undefined;
  private layout: ResultLayout | undefined;
  private layoutLine = 0;
  private delimiter = ',';
  private readonly joiner = new RecordJoiner({ maxLines: MAX_RECORD_LINES, maxChars: MAX_LINE_CHARS }, (line, maxLines) => {
    throw new BankResultFileError(`a quoted cell opened on this line is not closed within ${maxLines} lines`, line);
  });
  private account: string | null = null;
  private titleCurrency: string | undefined;
  private currency: string | undefined;
  private records = 0;
  private readonly lines: BankResultLine[] = [];
  private readonly skipped: SkippedBankLine[] = [];
  private readonly summary = new SummaryCheck();

  constructor(private readonly undecodable: () => string) {}

  push(text: string): void {
    this.checkText(text);
    this.splitter.push(text);
  }

  finish(): CsvResults {
    this.splitter.finish();
    const unclosed = this.joiner.openSince;
    if (unclosed !== undefined) throw new BankResultFileError('a quoted cell opened on this line is never closed', unclosed);
    if (this.phase === 'title') this.failNoHeader();
    if (this.records === 0) {
      throw new BankResultFileError('the file has a header but no result lines (is it complete?)', this.layoutLine);
    }
    this.summary.finish();
    return {
      format: 'csv',
      messageId: null,
      account: this.account,
      currency: this.currency ?? this.titleCurrency ?? 'CNY',
      lines: this.lines,
      skipped: this.skipped,
    };
  }

  private checkText(text: string): void {
    const bad = text.indexOf('\uFFFD');
    if (bad >= 0) throw new BankResultFileError(this.undecodable(), this.splitter.lineAt(text, bad));
    const nul = text.indexOf('\u0000');
    if (nul >= 0) throw new BankResultFileError('the file holds binary data (NUL bytes): it is not a CSV text file', this.splitter.lineAt(text, nul));
  }

  private onLine(line: string, n: number): void {
    if (this.phase === 'title') {
      this.onTitleLine(n === 1 ? line.replace(/^\uFEFF/, '') : line, n);
      return;
    }
    if (!this.joiner.open && line.trim().length === 0) return;
    const record = this.joiner.take(line, n, this.delimiter);
    if (record === null) return;
    this.onRecord(record.cells, record.line);
  }

  private onTitleLine(line: string, n: number): void {
    if (line.trim().length === 0 || /^[,;|\t\s]*$/.test(line)) return;
    this.titleLines++;
    for (const delimiter of DELIMITERS) {
      if (!line.includes(delimiter)) continue;
      const cells = splitRecord(line, delimiter) ?? line.split(delimiter);
      const match = matchResultHeader(cells);
      if (match.layout !== undefined) {
        this.layout = match.layout;
        this.delimiter = delimiter;
        this.layoutLine = n;
        this.phase = 'body';
        return;
      }
      if (match.score >= 2 && (this.best === undefined || match.score > this.best.match.score)) this.best = { line: n, match };
    }
    const delimiter = line.includes(',') ? ',' : line.includes('\t') ? '\t' : ',';
    const cells = splitRecord(line, delimiter) ?? line.split(delimiter);
    if (summaryKindOf(cells) === 'summary') this.summary.declare(cells, n, undefined);
    else this.onTitlePairs(cells, n);
    if (this.titleLines > HEADER_SEARCH_LINES) this.failNoHeader();
  }

  private onTitlePairs(cells: string[], n: number): void {
    for (const pair of TITLE_LABELS.pairsIn(cells)) {
      const key = TITLE_LABELS.keyOf(pair.label);
      if (key === 'account' && this.account === null && pair.value !== '') this.account = pair.value;
      if (key === 'currency' && pair.value !== '') {
        const code = currencyCode(pair.value);
        if (code === undefined) throw new BankResultFileError(`${pair.label} "${pair.value}" is not a currency we know`, n);
        this.titleCurrency = code;
      }
    }
  }

  private failNoHeader(): never {
    if (this.titleLines === 0) throw new BankResultFileError('the file is empty', null);
    const best = this.best;
    if (best !== undefined) {
      throw new BankResultFileError(`the header lacks ${best.match.missing.join(' and ')}: not a 代发 result file this reader knows`, best.line);
    }
    throw new BankResultFileError(
      `no header row: none of the first ${Math.min(this.titleLines, HEADER_SEARCH_LINES + 1)} non-blank lines names an amount (金额), a status (状态 / 处理结果) and a reference column (备注 / 用途)`,
      null,
    );
  }

  private onRecord(cells: string[], n: number): void {
    const layout = this.layout as ResultLayout;
    if (cells.every((c) => cleanCell(c) === '')) return;
    if (isHeaderAgain(cells, layout)) return;
    const summary = summaryKindOf(cells);
    if (summary === 'subtotal') return;
    if (summary === 'summary') {
      this.summary.declare(cells, n, layout.index.amount);
      this.phase = 'trailer';
      return;
    }
    // Notes under the table (打印日期：…, 经办人：…) are not result lines.
    if (!hasResultData(cells, layout)) return;
    if (this.phase === 'trailer') throw new BankResultFileError('a result line after the summary line (合计): the summary must come last', n);

    this.currency ??= this.titleCurrency ?? currencyOfCell(cells, layout) ?? 'CNY';
    const reading = readResultRow(cells, n, layout, this.currency);
    this.records++;
    if ('line' in reading) {
      this.lines.push(reading.line);
      this.summary.add(reading.line.amount, reading.line.kind);
    } else {
      this.skipped.push({ line: reading.pending.line, why: reading.pending.why });
      this.summary.add(reading.pending.amount, undefined);
    }
  }
}

/** The header repeated (on each printed page, by some exports). */
function isHeaderAgain(cells: readonly string[], layout: ResultLayout): boolean {
  // Cheap test first: a repeated header has the amount column's name in the amount column.
  const amount = layout.index.amount as number;
  if (normalizeName(cells[amount] ?? '') !== layout.normalized[amount]) return false;
  const normalized = cells.map((c) => normalizeName(c));
  while (normalized.length > 0 && normalized[normalized.length - 1] === '') normalized.pop();
  const header = [...layout.normalized];
  while (header.length > 0 && header[header.length - 1] === '') header.pop();
  return normalized.length === header.length && normalized.every((c, i) => c === header[i]);
}

/** The first line's currency cell, when the file has a currency column and no title 币种. */
function currencyOfCell(cells: readonly string[], layout: ResultLayout): string | undefined {
  const i = layout.index.currency;
  return i === undefined ? undefined : currencyCode(cleanCell(cells[i]));
}
