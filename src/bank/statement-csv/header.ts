// Finding the columns: which header cell feeds which field. Names are compared normalised
// (normalizeName: full-width folded, spaces and brackets removed). Fields claim cells in the order
// of COLUMN_FIELDS, each taking the first of its aliases present (in the order the mapping lists
// them), a cell going to one field only; "references" takes every alias present.
//
// A second pass, for fields still without a cell, ignores a trailing parenthesis in the header
// ("借方发生额(元)" → "借方发生额"), but only when that leaves a name no other cell also has:
// "记账金额(收入)" and "记账金额(支出)" must never both become "记账金额".
import { COLUMN_FIELDS, normalizeName, type CsvColumnField, type CsvMapping } from './mapping.ts';

export type AmountMode = 'debit-credit' | 'amount-and-flag' | 'signed-amount';

export interface ColumnLayout {
  /** Cell index of each single-cell field present. */
  index: Partial<Record<Exclude<CsvColumnField, 'references'>, number>>;
  /** Cell indexes of the reference columns, in file order. */
  references: number[];
  /** Header text of each used cell, for messages and the statement event. */
  names: string[];
  /** Normalised header cells, to recognise a header repeated on a later page. */
  normalized: string[];
  amountMode: AmountMode;
}

export interface HeaderMatch {
  /** Set when every required field has a cell. */
  layout?: ColumnLayout;
  /** How many fields found a cell: the best partial match is the one an error names. */
  score: number;
  /** Required fields without a cell, each with the names that were looked for. */
  missing: { field: CsvColumnField; aliases: readonly string[] }[];
}

export function matchHeader(cells: readonly string[], mapping: CsvMapping): HeaderMatch {
  const normalized = cells.map((c) => normalizeName(c));
  const stripped = normalized.map((c) => c.replace(/\([^()]*\)$/, ''));
  const strippedCount = new Map<string, number>();
  for (const s of stripped) strippedCount.set(s, (strippedCount.get(s) ?? 0) + 1);

  const claimed = new Set<number>();
  const index: ColumnLayout['index'] = {};
  const references: number[] = [];
  let score = 0;

  const find = (aliases: readonly string[], loose: boolean): number => {
    for (const alias of aliases) {
      const want = normalizeName(alias);
      for (let i = 0; i < normalized.length; i++) {
        if (claimed.has(i) || normalized[i] === '') continue;
        if (normalized[i] === want) return i;
        if (loose && stripped[i] === want && stripped[i] !== normalized[i] && strippedCount.get(want) === 1) return i;
      }
    }
    return -1;
  };

  for (const loose of [false, true]) {
    for (const field of COLUMN_FIELDS) {
      const aliases = mapping.columns[field];
      if (aliases === undefined) continue;
      if (field === 'references') {
        for (const alias of aliases) {
          const i = find([alias], loose);
          if (i >= 0) {
            claimed.add(i);
            references.push(i);
          }
        }
        continue;
      }
      if (index[field] !== undefined) continue;
      const i = find(aliases, loose);
      if (i >= 0) {
        claimed.add(i);
        index[field] = i;
        score++;
      }
    }
  }
  if (references.length > 0) score++;

  const missing: HeaderMatch['missing'] = [];
  const need = (field: CsvColumnField): void => {
    const present = field === 'references' ? references.length > 0 : index[field as Exclude<CsvColumnField, 'references'>] !== undefined;
    if (!present) missing.push({ field, aliases: mapping.columns[field] ?? [] });
  };
  need('bookingDate');
  let amountMode: AmountMode;
  if (index.debit !== undefined && index.credit !== undefined) amountMode = 'debit-credit';
  else if (index.amount !== undefined) amountMode = index.direction !== undefined ? 'amount-and-flag' : 'signed-amount';
  else {
    amountMode = 'debit-credit';
    if (mapping.columns.debit !== undefined && mapping.columns.credit !== undefined) {
      need('debit');
      need('credit');
    }
    if (mapping.columns.amount !== undefined) need('amount');
  }
  for (const field of mapping.required) need(field);

  const result: HeaderMatch = { score, missing };
  if (missing.length === 0) {
    // References in file order: the order a reader of the file would read them.
    references.sort((a, b) => a - b);
    result.layout = { index, references, names: cells.map((c) => c.trim()), normalized, amountMode };
  }
  return result;
}

/** "交易日期 or 记账日期" — the names a missing field was looked for under, for error messages. */
export function describeMissing(missing: HeaderMatch['missing']): string {
  return missing.map((m) => `${m.field} (${m.aliases.slice(0, 6).join(' / ')}${m.aliases.length > 6 ? ' / …' : ''})`).join(', ');
}
