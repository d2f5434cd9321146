// Money in fen and dates as day numbers, for the matchers' in-memory indexes only.
//
// Why numbers are exact here (and only here): every ledger amount is NUMERIC(14,2), so in fen it is
// an integer below 10^14; a statement amount is accepted into this form only when it has at most
// two non-zero decimals and at most 13 integer digits, so in fen it is an integer below 10^15.
// Every such integer is below Number.MAX_SAFE_INTEGER (2^53 − 1 ≈ 9.007·10^15) and is parsed from
// its digit string in one step (no multiplication, no binary fractions), so a fen number compares
// exactly. Sums are BigInt (a million amounts can pass 2^53); output goes back to strings with two
// decimals through money.ts. Anything that is not a whole number of fen (camt allows five
// decimals) gets `null`: it cannot equal any ledger amount, and it is compared as a Decimal.
import { Decimal } from 'decimal.js';
import { maskBankAccount } from '../../domain/masking.ts';
import { formatMoney } from '../../domain/money.ts';
import { normaliseAccountNumber } from '../../services/student-pii.ts';

const AMOUNT = /^(\d+)(?:\.(\d+))?$/;
/** 13 integer digits and two decimals: 15 digits, below 2^53. */
const MAX_INTEGER_DIGITS = 13;

/** "1234.5" → 123450; null when not a whole number of fen or too large to be exact (see above). */
export function toFen(text: string): number | null {
  // The common case, "1234.56", by character codes; anything else through the general path.
  const n = text.length;
  if (n >= 4 && n <= 16 && text.charCodeAt(n - 3) === 46) {
    let fen = 0;
    for (let i = 0; i < n; i++) {
      if (i === n - 3) continue;
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return toFenSlow(text);
      fen = fen * 10 + d;
    }
    return fen;
  }
  return toFenSlow(text);
}

function toFenSlow(text: string): number | null {
  const m = AMOUNT.exec(text);
  if (m === null) return null;
  const integer = (m[1] as string).replace(/^0+(?=\d)/, '');
  if (integer.length > MAX_INTEGER_DIGITS) return null;
  const fraction = m[2] ?? '';
  if (fraction.length > 2 && !/^0+$/.test(fraction.slice(2))) return null;
  const fen = integer + `${fraction}00`.slice(0, 2);
  return Number(fen);
}

/** A fen integer (number or BigInt) → "1234.50", through the money module. */
export function fenToMoney(fen: number | bigint): string {
  return formatMoney(new Decimal(fen.toString()).dividedBy(100));
}

/** A plain decimal text ("8.850", "3500") → "8.85" / "3500.00" when exact in fen, else as a Decimal string. */
export function moneyText(amount: string): string {
  const value = new Decimal(amount);
  return value.decimalPlaces() <= 2 ? value.toFixed(2) : value.toString();
}

const MS_PER_DAY = 86_400_000;

/** "2026-11-26" → days since 1970-01-01. The text must be a valid ISO date (callers check). */
export function dayOf(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / MS_PER_DAY;
}

/** Days since 1970-01-01 → "2026-11-26". */
export function isoOfDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** A day number that is never a real date: "no date". */
export const NO_DAY = -2_147_483_648;

/** Inclusive day ranges (statement periods). */
export interface DayRange {
  from: number;
  to: number;
}

export function inRanges(day: number, ranges: readonly DayRange[]): boolean {
  if (day === NO_DAY) return false;
  for (const r of ranges) if (day >= r.from && day <= r.to) return true;
  return false;
}

/** Account numbers compare without spaces and hyphens: the very form the vault hashes them in. */
export function normaliseAccount(text: string): string {
  return normaliseAccountNumber(text);
}

/** An account number as anyone may see it: all but the last four characters hidden. */
export function maskAccount(text: string): string {
  return maskBankAccount(normaliseAccountNumber(text));
}

/** 32-bit FNV-1a, fed string by string (each followed by a separator): fnvAdd(fnvAdd(FNV_START, a), b) >>> 0. */
export const FNV_START = 0x811c9dc5;

export function fnvAdd(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= 0x1f;
  return Math.imul(h, 0x01000193);
}

/**
 * A sum of fen amounts, exact: numbers while the running total stays far below 2^53 (each amount
 * added is below 10^15, see toFen; the number part is flushed into a BigInt past 4·10^15, so it
 * never exceeds 5·10^15 < 2^53), a BigInt beyond. A BigInt addition per line costs several times a
 * number addition, and the matcher adds a million of them.
 */
export class FenSum {
  private small = 0;
  private big = 0n;

  add(fen: number): void {
    this.small += fen;
    if (this.small > 4e15) {
      this.big += BigInt(this.small);
      this.small = 0;
    }
  }

  get value(): bigint {
    return this.big + BigInt(this.small);
  }
}

/** dayOf with a one-entry memory: statement lines come in runs of the same date. */
export function dayCache(): (iso: string) => number {
  let lastIso = '';
  let lastDay = 0;
  return (iso) => {
    if (iso !== lastIso) {
      lastIso = iso;
      lastDay = dayOf(iso);
    }
    return lastDay;
  };
}
