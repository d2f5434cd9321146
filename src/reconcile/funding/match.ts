// The funding check's matcher: pure, no I/O. The foundation's remittances against the programme's
// funding receipts. Each remittance is matched first by its bank reference (the receipt's
// bank_reference), then, for those left, by amount and date within the window (closest date, then
// bank reference). A receipt that a correction reversed counts as not received. Receipts dated in
// the list's period that no remittance matched were received but not remitted, by the list.
import type { ReceiptRecord } from '../bank/types.ts';
import { inRanges, isoOfDay, type DayRange } from '../bank/units.ts';
import type { Remittance } from './remittances.ts';

/**
 * - remitted_not_received: in the foundation's list, no receipt in the ledger (or only a reversed one);
 * - received_not_remitted: a receipt in the ledger, dated in the list's period, not in the list;
 * - amount_differs: the list and the receipt with the same bank reference disagree on the amount;
 * - duplicate: the same bank reference twice in the list.
 */
export const FUNDING_CODES = ['remitted_not_received', 'received_not_remitted', 'amount_differs', 'duplicate'] as const;
export type FundingCode = (typeof FUNDING_CODES)[number];

export interface FundingFinding {
  code: FundingCode;
  /** The list's side. */
  line?: number;
  date?: string;
  amount?: string;
  reference?: string | null;
  /** The ledger's side. */
  receiptId?: string;
  receiptReference?: string;
  receiptFen?: number;
  receiptDate?: string;
  reason?: 'no_receipt' | 'receipt_reversed' | 'same_reference_twice';
  firstLine?: number;
}

export interface FundingSummary {
  matched: number;
  matchedByReference: number;
  matchedByAmountDate: number;
  matchedFen: bigint;
  remittanceFen: bigint;
  /** Receipts dated in the period (not reversed), and reversed ones in it. */
  receiptsInPeriod: number;
  receiptsInPeriodFen: bigint;
  reversedInPeriod: number;
  findings: FundingFinding[];
  findingFen: Record<FundingCode, bigint>;
}

export function matchRemittances(
  remittances: readonly Remittance[],
  receipts: readonly ReceiptRecord[],
  options: { window: number; period: DayRange[] },
): FundingSummary {
  const byReference = new Map<string, number>();
  for (const [i, r] of receipts.entries()) byReference.set(normalise(r.bankReference), i);
  const taken = new Array<boolean>(receipts.length).fill(false);
  const seenReference = new Map<string, number>();
  const waiting: Remittance[] = [];
  const findings: FundingFinding[] = [];
  const s: FundingSummary = {
    matched: 0,
    matchedByReference: 0,
    matchedByAmountDate: 0,
    matchedFen: 0n,
    remittanceFen: 0n,
    receiptsInPeriod: 0,
    receiptsInPeriodFen: 0n,
    reversedInPeriod: 0,
    findings,
    findingFen: { remitted_not_received: 0n, received_not_remitted: 0n, amount_differs: 0n, duplicate: 0n },
  };
  const fen = (x: Remittance): bigint => (x.fen === null ? 0n : BigInt(x.fen));
  const listSide = (x: Remittance): FundingFinding => ({ code: 'remitted_not_received', line: x.line, date: x.date, amount: x.amount, reference: x.reference });
  const add = (f: FundingFinding, amount: bigint): void => {
    findings.push(f);
    s.findingFen[f.code] += amount;
  };
  const match = (x: Remittance, i: number, by: 'reference' | 'amount_date'): void => {
    const r = receipts[i] as ReceiptRecord;
    taken[i] = true;
    if (r.reversed) {
      add({ ...listSide(x), reason: 'receipt_reversed', receiptId: r.id, receiptReference: r.bankReference, receiptDate: isoOfDay(r.day) }, fen(x));
    } else if (x.fen !== r.fen) {
      add(
        { ...listSide(x), code: 'amount_differs', receiptId: r.id, receiptReference: r.bankReference, receiptFen: r.fen, receiptDate: isoOfDay(r.day) },
        fen(x),
      );
    } else {
      s.matched++;
      s.matchedFen += BigInt(r.fen);
      if (by === 'reference') s.matchedByReference++;
      else s.matchedByAmountDate++;
    }
  };

  for (const x of remittances) {
    s.remittanceFen += fen(x);
    const ref = x.reference === null ? '' : normalise(x.reference);
    if (ref !== '') {
      const first = seenReference.get(ref);
      if (first !== undefined) {
        add({ ...listSide(x), code: 'duplicate', reason: 'same_reference_twice', firstLine: first }, fen(x));
        continue;
      }
      seenReference.set(ref, x.line);
      const i = byReference.get(ref);
      if (i !== undefined && !taken[i]) {
        match(x, i, 'reference');
        continue;
      }
    }
    waiting.push(x);
  }
  for (const x of waiting) {
    const i = closest(x, receipts, taken, options.window);
    if (i === undefined) add({ ...listSide(x), reason: 'no_receipt' }, fen(x));
    else match(x, i, 'amount_date');
  }
  receipts.forEach((r, i) => {
    if (!inRanges(r.day, options.period)) return;
    if (r.reversed) {
      s.reversedInPeriod++;
      return;
    }
    s.receiptsInPeriod++;
    s.receiptsInPeriodFen += BigInt(r.fen);
    if (!taken[i]) {
      add(
        { code: 'received_not_remitted', receiptId: r.id, receiptReference: r.bankReference, receiptFen: r.fen, receiptDate: isoOfDay(r.day) },
        BigInt(r.fen),
      );
    }
  });
  findings.sort(
    (a, b) =>
      FUNDING_CODES.indexOf(a.code) - FUNDING_CODES.indexOf(b.code) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      cmp(a.receiptDate, b.receiptDate) ||
      cmp(a.receiptReference, b.receiptReference),
  );
  return s;
}

/** Not reversed before reversed, then the closest date, then the bank reference. */
function closest(x: Remittance, receipts: readonly ReceiptRecord[], taken: boolean[], window: number): number | undefined {
  if (x.fen === null) return undefined;
  let best: number | undefined;
  let rank: [number, number, string] | undefined;
  receipts.forEach((r, i) => {
    if (taken[i] || r.fen !== x.fen) return;
    const distance = Math.abs(r.day - x.day);
    if (distance > window) return;
    const mine: [number, number, string] = [r.reversed ? 1 : 0, distance, r.bankReference];
    if (isBetter(mine, rank)) {
      best = i;
      rank = mine;
    }
  });
  return best;
}

function isBetter(a: [number, number, string], b: [number, number, string] | undefined): boolean {
  if (b === undefined) return true;
  return a[0] - b[0] < 0 || (a[0] === b[0] && (a[1] - b[1] < 0 || (a[1] === b[1] && a[2] < b[2])));
}

function cmp(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

/** Bank references compare without spaces, full-width forms folded, upper case. */
function normalise(reference: string): string {
  return reference.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}
