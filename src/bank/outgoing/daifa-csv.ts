// The CSV Chinese banks take for batch payments to individuals (代发), streaming: one row per payout,
// encoded chunk by chunk, never the whole file in memory.
//
// Lines, in order:
//   [summary line, option `summaryLine`]  总笔数,<count>,总金额,<sum>   — many banks' upload tools
//                                          want the batch totals first and compare them to the rows;
//   [column header, option `columnHeader`, default on]
//                                          序号,收款账号,收款户名,金额,用途[,收款行][,备注]
//   one row per payout                     1,6222020200112233445,张晓梅,3500.00,助学金 2025-2026 第1期[,…][,QS2025T1-000001]
// 收款行 (payee bank name) is off by default (same-bank 代发 does not need it; a missing name is an
// empty field); 备注 (the payout reference) is on by default, so the bank's result file can be
// matched back to the payouts.
//
// Line ends are CRLF, the last line included: the banks' upload tools are Windows programs and
// several refuse bare LF. Fields are quoted only when needed (a comma, a quote, leading or trailing
// space) by papaparse's unparse, with quotes doubled; amounts have two decimals and are never quoted.
// Encodings: UTF-8 (optionally with a BOM, which Excel needs to show Chinese text), GBK (what most
// banks' tools expect), or GB18030 (GBK's superset: covers rare characters in names that GBK lacks).
// A name GBK cannot encode is refused with the payout's position, never written as "?".
//
// Warning for users: opening the file in Excel and saving it again turns 19-digit account numbers
// into 6.22202E+18. Upload the file as written.
//
// Count and sum are declared (the summary line needs them first) and checked as the rows stream; on a
// mismatch the writer throws before handing out the last chunk, so the file is never complete.
// Deterministic: the same input and options give the same bytes.
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { ChunkBuffer, encodeUtf8 } from './chunks.ts';
import { BankFileError, type BankFileErrorLocation } from './errors.ts';
import { type Reveal, checkAccount, checkAmount, checkDeclaredCount, checkOptionalText, checkText } from './fields.ts';
import { isValidPayoutReference } from './payout-reference.ts';
import { DeclaredTotalsCheck } from './totals.ts';
import type { BankPayout, DeclaredTotals, PayoutSource, WriterOptions } from './types.ts';

export type DaifaCsvEncoding = 'utf-8' | 'gbk' | 'gb18030';

export interface DaifaCsvBatch {
  /** 用途 for payouts without their own remittance text, e.g. "助学金 2025-2026 第1期". */
  purpose: string;
  /** Declared count and sum, written in the summary line when asked and always verified. */
  totals: DeclaredTotals;
}

export interface DaifaCsvOptions extends WriterOptions {
  /** Default "utf-8". */
  encoding?: DaifaCsvEncoding;
  /** Start a UTF-8 file with a byte-order mark (for Excel). Default false; refused for GBK/GB18030. */
  bom?: boolean;
  /** Write the 总笔数/总金额 line before the column header. Default false. */
  summaryLine?: boolean;
  /** Write the column header line. Default true. */
  columnHeader?: boolean;
  /** Add the 收款行 column (the payee bank's name). Default false. */
  bankNameColumn?: boolean;
  /** Add the 备注 column (the payout reference). Default true. */
  referenceColumn?: boolean;
}

const CRLF = '\r\n';

/**
 * Text fields must not start with what a spreadsheet takes for a formula (CSV injection). Refused, not
 * escaped with a leading "'": an escape would change the name the bank compares with its 户名.
 */
export const FORMULA_START = /^[=+\-@]/;

function textField(value: unknown, max: number, where: BankFileErrorLocation, reveal: Reveal): string {
  const text = checkText(value, max, where, reveal);
  if (FORMULA_START.test(text)) throw new BankFileError('a text field may not start with =, +, - or @', where);
  return text;
}

function line(fields: string[]): string {
  return Papa.unparse([fields], { delimiter: ',', quoteChar: '"', newline: CRLF }) + CRLF;
}

/** Throws when `text` has a character the encoding cannot represent (iconv-lite would write "?"). */
class EncodabilityCheck {
  private readonly known = new Map<string, boolean>();

  constructor(private readonly encoding: DaifaCsvEncoding) {}

  check(text: string, where: BankFileErrorLocation): void {
    if (this.encoding === 'utf-8' || /^[\x20-\x7e]*$/.test(text)) return;
    let ok = this.known.get(text);
    if (ok === undefined) {
      ok = iconv.decode(iconv.encode(text, this.encoding), this.encoding) === text;
      // Purposes and bank names repeat across a batch; names rarely do. A small cache is enough.
      if (this.known.size < 1024) this.known.set(text, ok);
    }
    if (!ok) {
      throw new BankFileError(`the text has a character ${this.encoding.toUpperCase()} cannot encode; write the file as GB18030 or UTF-8`, where);
    }
  }
}

function encoderFor(encoding: DaifaCsvEncoding): (text: string) => Uint8Array {
  return encoding === 'utf-8' ? encodeUtf8 : (text) => iconv.encode(text, encoding);
}

/**
 * Writes the 代发 CSV for `payouts`, as encoded chunks. Lazy: nothing is checked or read until the
 * first chunk is asked for. Throws BankFileError for bad input, a character the encoding lacks, a
 * repeated reference (unless `checkUniqueReferences` is false), or payouts that do not match
 * `batch.totals`, in every case before the last chunk is handed out.
 */
export async function* writeDaifaCsv(batch: DaifaCsvBatch, payouts: PayoutSource, options: DaifaCsvOptions = {}): AsyncGenerator<Uint8Array, void, undefined> {
  const encoding = options.encoding ?? 'utf-8';
  if (!['utf-8', 'gbk', 'gb18030'].includes(encoding)) throw new BankFileError(`unknown encoding ${JSON.stringify(encoding)}`, { field: 'options.encoding' });
  if (options.bom === true && encoding !== 'utf-8') throw new BankFileError('a byte-order mark is for UTF-8 files only', { field: 'options.bom' });
  if (batch === null || typeof batch !== 'object') throw new BankFileError('the batch header is missing');
  const encodable = new EncodabilityCheck(encoding);
  const purpose = textField(batch.purpose, 140, { field: 'batch.purpose' }, 'plain');
  encodable.check(purpose, { field: 'batch.purpose' });
  const count = checkDeclaredCount(batch.totals?.count, { field: 'batch.totals.count' });
  const sum = checkAmount(batch.totals?.controlSum, { field: 'batch.totals.controlSum' });
  const withBank = options.bankNameColumn ?? false;
  const withReference = options.referenceColumn ?? true;

  const totals = new DeclaredTotalsCheck(count, sum.value, options.checkUniqueReferences ?? true);
  const out = new ChunkBuffer(encoderFor(encoding), options.chunkChars);
  if (options.bom === true) out.push('\ufeff');
  if (options.summaryLine === true) out.push(line(['总笔数', String(count), '总金额', sum.text]));
  if (options.columnHeader ?? true) {
    const names = ['序号', '收款账号', '收款户名', '金额', '用途'];
    if (withBank) names.push('收款行');
    if (withReference) names.push('备注');
    out.push(line(names));
  }

  for await (const payout of payouts) {
    // A full chunk goes out only when another row follows it, so the last row always waits for the
    // totals check below: a batch that does not add up never reaches its caller complete.
    if (out.full) yield out.take() as Uint8Array;
    out.push(row(payout));
  }
  totals.finish();
  const last = out.take();
  if (last !== undefined) yield last;

  function row(payout: BankPayout): string {
    const index = totals.nextIndex;
    if (payout === null || typeof payout !== 'object') throw new BankFileError('the payout is not an object', { index });
    const reference = payout.reference;
    if (!isValidPayoutReference(reference)) {
      throw new BankFileError(`reference ${JSON.stringify(reference)} must be 1-35 of A-Z a-z 0-9 and inner "-"`, { index, field: 'reference' });
    }
    const where = (field: string): BankFileErrorLocation => ({ index, reference, field });
    const amount = checkAmount(payout.amount, where('amount'));
    const name = textField(payout.payeeName, 140, where('payeeName'), 'name');
    encodable.check(name, where('payeeName'));
    const account = checkAccount(payout.payeeAccount, where('payeeAccount'));
    const ownPurpose = payout.remittanceInfo === undefined ? undefined : textField(payout.remittanceInfo, 140, where('remittanceInfo'), 'plain');
    if (ownPurpose !== undefined) encodable.check(ownPurpose, where('remittanceInfo'));
    let bankName = '';
    if (withBank) {
      bankName = checkOptionalText(payout.payeeBank?.name, 140, where('payeeBank.name')) ?? '';
      if (bankName !== '') {
        if (FORMULA_START.test(bankName)) throw new BankFileError('a text field may not start with =, +, - or @', where('payeeBank.name'));
        encodable.check(bankName, where('payeeBank.name'));
      }
    }
    totals.add(reference, amount.value);

    const fields = [String(index), account, name, amount.text, ownPurpose ?? purpose];
    if (withBank) fields.push(bankName);
    if (withReference) fields.push(reference);
    return line(fields);
  }
}
