// "label：value" pairs in the lines around the table: title lines above the header
// (账号：6222…, 户名：…, 币种：人民币, 起始日期：… 终止日期：…) and summary/trailer lines below it
// (合计, 总笔数：5, 期末余额：…, 打印日期：…). Banks write them in one cell ("账号：6222 户名：某某"),
// or label and value in neighbouring cells ("账号", "6222…"), or a label cell ending in a colon.
import { normalizeName, type CsvLabelKey, type CsvMapping } from './mapping.ts';
import { cleanCell } from './values.ts';

export interface LabelPair {
  label: string;
  value: string;
}

/** A label starts with a Han character or a letter (so "10" of "10:15:30" is never one). */
const LABEL = /([\p{Script=Han}A-Za-z][\p{Script=Han}A-Za-z0-9()（）/_-]*)\s*[:：]/gu;

export class LabelTable {
  private readonly keys = new Map<string, CsvLabelKey>();

  constructor(mapping: CsvMapping) {
    for (const [key, names] of Object.entries(mapping.labels) as [CsvLabelKey, readonly string[]][]) {
      for (const name of names) if (!this.keys.has(normalizeName(name))) this.keys.set(normalizeName(name), key);
    }
  }

  keyOf(label: string): CsvLabelKey | undefined {
    return this.keys.get(normalizeName(label));
  }

  /** Every pair in the line's cells, in order. Text that is no pair is skipped. */
  pairsIn(rawCells: readonly string[]): LabelPair[] {
    const cells = rawCells.map((c) => cleanCell(c)).filter((c) => c !== '');
    const pairs: LabelPair[] = [];
    for (let k = 0; k < cells.length; k++) {
      const cell = cells[k] as string;
      const matches = cell.includes(':') || cell.includes('：') ? [...cell.matchAll(LABEL)] : [];
      if (matches.length > 0) {
        for (let j = 0; j < matches.length; j++) {
          const m = matches[j] as RegExpExecArray;
          const next = matches[j + 1];
          let value = trimValue(cell.slice(m.index + m[0].length, next === undefined ? undefined : next.index));
          // "账号：" with the value in the next cell.
          if (value === '' && next === undefined && k + 1 < cells.length && !this.isLabelCell(cells[k + 1] as string)) {
            value = trimValue(cells[++k] as string);
          }
          if (next === undefined) ({ value, k } = rejoinNumber(cells, k, value));
          pairs.push({ label: m[1] as string, value });
        }
        continue;
      }
      // "账号", "6222…": a known label alone in its cell, the value in the next.
      if (this.keyOf(cell) !== undefined && k + 1 < cells.length && !this.isLabelCell(cells[k + 1] as string)) {
        const joined = rejoinNumber(cells, k + 1, trimValue(cells[k + 1] as string));
        k = joined.k;
        pairs.push({ label: cell, value: joined.value });
      }
    }
    return pairs;
  }

  private isLabelCell(cell: string): boolean {
    return this.keyOf(cell) !== undefined || /^[\p{Script=Han}A-Za-z][^:：]*[:：]/u.test(cell);
  }
}

/**
 * An unquoted "期初余额：540,000.00" in a comma-separated file arrives as "期初余额：540" and
 * "000.00": put such a number back together. `k` is the value's cell; returns the last cell used.
 */
function rejoinNumber(cells: readonly string[], k: number, value: string): { value: string; k: number } {
  let joined = value;
  let i = k;
  while (/^[-+(（¥￥]*\d{1,3}$|,\d{3}$/.test(joined) && /^\d{3}(?:\.\d+)?[)）]?$/.test(cells[i + 1] ?? '')) {
    joined = `${joined},${cells[++i] as string}`;
  }
  return { value: joined, k: i };
}

function trimValue(text: string): string {
  return text.replace(/^[\s,，;；]+|[\s,，;；]+$/g, '');
}
