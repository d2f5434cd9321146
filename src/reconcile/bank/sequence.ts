// Statements in sequence, per account: a bank sends one statement a day, or splits a day over
// several statements or pages (camt ElctrncSeqNb, LglSeqNb, pagination). Ordered by their period,
// then by the bank's own numbers, each statement must open with the balance the previous one
// closed with; a statement missing between them, or two covering the same days, breaks that.
// And only the last statement of a booking day closes that day: an earlier one's closing balance
// is a balance in the middle of the day, which the ledger (one balance a day) cannot be compared with.
// Pure: no I/O.
import { Decimal } from 'decimal.js';
import type { SequenceReason } from './types.ts';
import { normaliseAccount } from './units.ts';

export interface SequenceItem {
  account: string | null;
  /** The period the check uses ("YYYY-MM-DD"), null when unknown. */
  from: string | null;
  to: string | null;
  /** Signed decimal amounts, null when the statement states none. */
  opening: string | null;
  closing: string | null;
  closingDate: string | null;
  electronicSequence: string | null;
  legalSequence: string | null;
  page: number | null;
  /** Input order, the last tie-breakers. */
  file: number;
  index: number;
}

export interface SequenceBreak {
  /** Indexes into the items given. */
  statement: number;
  previous: number;
  reason: SequenceReason;
}

export interface Sequenced {
  /** Indexes of the items in sequence (account, then period, then the bank's numbers). */
  order: number[];
  breaks: SequenceBreak[];
  /** Per item: true when it is its account's last statement closing on its closing date. */
  closesDay: boolean[];
}

export function sequenceStatements(items: readonly SequenceItem[]): Sequenced {
  const order = items.map((_, i) => i).sort((a, b) => compare(items[a] as SequenceItem, items[b] as SequenceItem));
  const breaks: SequenceBreak[] = [];
  const closesDay = items.map(() => false);
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    const cur = items[i] as SequenceItem;
    const nextIndex = order[k + 1];
    const next = nextIndex === undefined ? undefined : (items[nextIndex] as SequenceItem);
    if (next === undefined || accountOf(next) !== accountOf(cur) || next.closingDate !== cur.closingDate) closesDay[i] = true;
    if (k === 0) continue;
    const p = order[k - 1] as number;
    const prev = items[p] as SequenceItem;
    if (accountOf(prev) !== accountOf(cur)) continue;
    if (prev.to !== null && cur.from !== null && cur.from < prev.to) breaks.push({ statement: i, previous: p, reason: 'periods_overlap' });
    else if (prev.closing !== null && cur.opening !== null && !new Decimal(prev.closing).equals(cur.opening))
      breaks.push({ statement: i, previous: p, reason: 'opening_not_previous_closing' });
  }
  return { order, breaks, closesDay };
}

const accountOf = (s: SequenceItem): string => normaliseAccount(s.account ?? '');

function compare(a: SequenceItem, b: SequenceItem): number {
  return (
    text(accountOf(a), accountOf(b)) ||
    text(a.from, b.from) ||
    text(a.to, b.to) ||
    number(a.electronicSequence, b.electronicSequence) ||
    number(a.legalSequence, b.legalSequence) ||
    (a.page ?? 0) - (b.page ?? 0) ||
    a.file - b.file ||
    a.index - b.index
  );
}

function text(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** Sequence numbers as digit strings without leading zeros: the shorter is the smaller. */
function number(a: string | null, b: string | null): number {
  if (a === null || b === null) return 0;
  return a.length - b.length || text(a, b);
}
