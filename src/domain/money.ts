// All money goes through this module: exact decimals (decimal.js), CNY, two decimals on the wire.
// Amounts are never JS numbers: a number cannot hold 0.1 exactly, and a ledger must.
import { Decimal } from 'decimal.js';

export const CURRENCY = 'CNY' as const;

/** Largest amount a NUMERIC(14,2) column holds. */
export const MAX_AMOUNT = new Decimal('999999999999.99');

const MONEY_PATTERN = /^-?(0|[1-9]\d{0,11})(\.\d{1,2})?$/;

export type Money = Decimal;

export type MoneyParseFailure = 'format' | 'scale' | 'range';

/**
 * Parses an amount written as a string ("3500", "3500.5", "3500.00").
 * More than two decimals is refused, not rounded: a fen that is silently dropped is a lost fen.
 */
export function parseMoney(text: string): { ok: true; value: Money } | { ok: false; reason: MoneyParseFailure } {
  if (typeof text !== 'string') return { ok: false, reason: 'format' };
  if (/^-?\d+\.\d{3,}$/.test(text)) return { ok: false, reason: 'scale' };
  if (!MONEY_PATTERN.test(text)) return { ok: false, reason: /^-?\d{13,}/.test(text) ? 'range' : 'format' };
  const value = new Decimal(text);
  if (value.abs().greaterThan(MAX_AMOUNT)) return { ok: false, reason: 'range' };
  return { ok: true, value };
}

export function money(value: Decimal.Value): Money {
  return new Decimal(value);
}

export const ZERO: Money = new Decimal(0);

/** The wire form: a string with exactly two decimals ("3500.00"). */
export function formatMoney(value: Decimal.Value): string {
  const amount = new Decimal(value);
  // Formatting must never round: an amount with fractions of a fen is a bug upstream.
  if (amount.decimalPlaces() > 2) throw new RangeError('amount has more than two decimals');
  return amount.toFixed(2);
}

export function sumMoney(values: Iterable<Decimal.Value>): Money {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}

export function isPositive(value: Money): boolean {
  return value.greaterThan(0);
}

/** True when the value has at most two decimals, i.e. fits NUMERIC(14,2) without rounding. */
export function hasFenPrecision(value: Money): boolean {
  return value.decimalPlaces() <= 2;
}

/** Money as people read it on a page: `¥540,000.00` (thousands grouped, two decimals, minus first). */
export function formatYuan(value: Decimal.Value): string {
  const fixed = formatMoney(value);
  const negative = fixed.startsWith('-');
  const [whole, fen] = (negative ? fixed.slice(1) : fixed).split('.') as [string, string];
  return `${negative ? '-' : ''}¥${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fen}`;
}
