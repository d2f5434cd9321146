// The 合计 / 总计 lines of a 代发 result file: what the bank says the file holds, checked against
// the lines read, so that a file cut short (or a line our reading lost) is an error rather than a
// shorter list. Forms read, in any cells of the line:
//   合计,3,10500.00            — a whole number is the count, an amount the total;
//   合计,,,10500.00,,          — an amount under the 金额 column is the total;
//   合计：共3笔，10500.00元     — "N笔" is a count;
//   总笔数,3,总金额,10500.00    — labelled values (also 总笔数：3), as daifa-csv.ts writes its summary line;
//   成功笔数/成功金额, 失败笔数/失败金额, 退汇笔数/退汇金额 — checked against those lines only.
// Counts and totals are of every result line in the file, whatever its status.
import type { Decimal } from 'decimal.js';
import { money, ZERO } from '../../domain/money.ts';
import { cleanCell, parseAmount } from '../statement-csv/values.ts';
import { BankResultFileError } from './errors.ts';
import type { BankResultKind } from './types.ts';

/** Words that open a summary line. */
const SUMMARY_WORDS = ['合计', '总计', '共计', '汇总', '总笔数', '总金额'];
/** Words that open a page subtotal: not checked (a page's lines are not known as such), skipped. */
const SUBTOTAL_WORDS = ['小计', '本页合计', '本页小计', '本页'];

type Scope = 'all' | BankResultKind;

interface Declared {
  line: number;
  counts: Partial<Record<Scope, number>>;
  totals: Partial<Record<Scope, string>>;
}

const LABELS: readonly [label: string, scope: Scope, what: 'count' | 'total'][] = [
  ['总笔数', 'all', 'count'],
  ['合计笔数', 'all', 'count'],
  ['总计笔数', 'all', 'count'],
  ['笔数合计', 'all', 'count'],
  ['交易笔数', 'all', 'count'],
  ['笔数', 'all', 'count'],
  ['总金额', 'all', 'total'],
  ['合计金额', 'all', 'total'],
  ['总计金额', 'all', 'total'],
  ['金额合计', 'all', 'total'],
  ['交易金额', 'all', 'total'],
  ['金额', 'all', 'total'],
  ['成功笔数', 'debit', 'count'],
  ['成功金额', 'debit', 'total'],
  ['失败笔数', 'failed', 'count'],
  ['失败金额', 'failed', 'total'],
  ['退汇笔数', 'return', 'count'],
  ['退汇金额', 'return', 'total'],
  ['退票笔数', 'return', 'count'],
  ['退票金额', 'return', 'total'],
];
// Longest first, so that "成功笔数" is never read as "笔数".
const LABEL_RE = new RegExp(
  `^(${[...LABELS]
    .sort((a, b) => b[0].length - a[0].length)
    .map((l) => l[0])
    .join('|')})[:：]?(.*)$`,
  'u',
);
const COUNT_RE = /^共?(\d{1,9})笔?$/u;
/** Between values in one cell: spaces, semicolons, 、, and commas that are not thousands separators. */
const SEPARATORS = /[\s;；、]+|[，,](?!\d{3}(?:\D|$))/u;

export type SummaryKind = 'summary' | 'subtotal' | undefined;

/** Whether the record is a summary line, a page subtotal, or neither, from its first non-empty cell. */
export function summaryKindOf(cells: readonly string[]): SummaryKind {
  const raw = cells.find((c) => cleanCell(c) !== '');
  if (raw === undefined) return undefined;
  const first = fold(cleanCell(raw));
  if (SUBTOTAL_WORDS.some((w) => first.startsWith(w))) return 'subtotal';
  return SUMMARY_WORDS.some((w) => first.startsWith(w)) ? 'summary' : undefined;
}

export class SummaryCheck {
  private readonly declared: Declared[] = [];
  private readonly counts: Record<Scope, number> = { all: 0, debit: 0, failed: 0, return: 0 };
  private readonly totals: Record<Scope, Decimal> = { all: ZERO, debit: ZERO, failed: ZERO, return: ZERO };

  /** Reads a summary line's declarations. `amountColumn`: the 金额 column's index, if any. */
  declare(cells: readonly string[], line: number, amountColumn: number | undefined): void {
    const d: Declared = { line, counts: {}, totals: {} };
    const tokens: { text: string; column: number }[] = [];
    let first = true;
    cells.forEach((cell, column) => {
      let text = fold(cleanCell(cell));
      if (text === '') return;
      if (first) {
        // "合计：3笔" → "3笔"; 总笔数 / 总金额 stay, they are labels.
        const word = ['合计', '总计', '共计', '汇总'].find((w) => text.startsWith(w));
        if (word !== undefined) text = text.slice(word.length).replace(/^[:：]/u, '');
        first = false;
      }
      for (const part of text.split(SEPARATORS)) if (part !== '') tokens.push({ text: part, column });
    });

    const set = (scope: Scope, what: 'count' | 'total', value: string, label: string): void => {
      if (what === 'count') {
        const m = COUNT_RE.exec(value);
        if (m === null) throw new BankResultFileError(`the summary's ${label} "${value}" is not a number of lines`, line);
        d.counts[scope] = Number(m[1]);
      } else {
        const amount = parseAmount(value.replace(/元$/u, ''));
        if (amount === undefined || !amount.ok || amount.value.negative) {
          throw new BankResultFileError(`the summary's ${label} "${value}" is not an amount`, line);
        }
        d.totals[scope] = amount.value.text;
      }
    };

    for (let i = 0; i < tokens.length; i++) {
      const { text, column } = tokens[i] as { text: string; column: number };
      const labelled = LABEL_RE.exec(text);
      if (labelled !== null) {
        const label = labelled[1] as string;
        const [, scope, what] = LABELS.find((l) => l[0] === label) as (typeof LABELS)[number];
        let value = (labelled[2] ?? '').trim();
        if (value === '') value = tokens[++i]?.text ?? '';
        if (value === '') throw new BankResultFileError(`the summary names ${label} but gives no value`, line);
        set(scope, what, value, label);
        continue;
      }
      // Unlabelled: "3笔" or a whole number is the count (the first one), an amount the total.
      const count = COUNT_RE.exec(text);
      const isWhole = count !== null && !text.endsWith('笔') && !text.startsWith('共');
      if (count !== null && !isWhole) set('all', 'count', text, 'count');
      else if (isWhole && column !== amountColumn && d.counts.all === undefined) set('all', 'count', text, 'count');
      else {
        const amount = parseAmount(text.replace(/元$/u, ''));
        if (amount?.ok && d.totals.all === undefined) set('all', 'total', text, 'total');
      }
    }
    this.declared.push(d);
  }

  /** Counts one result line (every line, whatever its status; `kind` undefined for a not-final one). */
  add(amount: string, kind: BankResultKind | undefined): void {
    this.counts.all++;
    this.totals.all = this.totals.all.plus(money(amount));
    if (kind !== undefined) {
      this.counts[kind]++;
      this.totals[kind] = this.totals[kind].plus(money(amount));
    }
  }

  /** Throws at the first summary line that disagrees with the lines read. */
  finish(): void {
    for (const d of this.declared) {
      for (const [scope, count] of Object.entries(d.counts) as [Scope, number][]) {
        if (count !== this.counts[scope]) {
          throw new BankResultFileError(
            `the summary declares ${count} ${scopeName(scope)} line(s), but the file has ${this.counts[scope]} (is the file complete?)`,
            d.line,
          );
        }
      }
      for (const [scope, total] of Object.entries(d.totals) as [Scope, string][]) {
        if (!money(total).equals(this.totals[scope])) {
          throw new BankResultFileError(
            `the summary declares a ${scopeName(scope)} total of ${total}, but the lines add up to ${this.totals[scope].toFixed(2)}`,
            d.line,
          );
        }
      }
    }
  }
}

function scopeName(scope: Scope): string {
  return { all: 'result', debit: 'successful (成功)', failed: 'failed (失败)', return: 'returned (退汇)' }[scope];
}

/** Full-width forms folded, spaces inside kept only as separators. */
function fold(text: string): string {
  return text.normalize('NFKC').trim();
}
