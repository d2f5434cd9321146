// Checks and conversions for the few value types a camt file carries: amounts, dates, the
// credit/debit indicator and booleans. Pure functions; the caller adds the file location to errors.
import { Decimal } from 'decimal.js';
import type { CreditDebit } from './types.ts';

// ISO 20022 ActiveOrHistoricCurrencyAndAmount: non-negative, at most 18 digits, at most 5 of them
// decimals. The sign is never in the amount: it is CdtDbtInd's job.
const AMOUNT = /^(\d+)(?:\.(\d+))?$/;
const MAX_TOTAL_DIGITS = 18;
const MAX_FRACTION_DIGITS = 5;

/** Why `text` is not a valid camt amount, or undefined when it is one. */
export function amountProblem(text: string): string | undefined {
  const m = AMOUNT.exec(text);
  if (m === null) return `amount "${text}" is not a plain non-negative decimal (digits, optional "." and digits)`;
  const fraction = m[2] ?? '';
  if (fraction.length > MAX_FRACTION_DIGITS) return `amount "${text}" has more than ${MAX_FRACTION_DIGITS} decimals`;
  if ((m[1] ?? '').length + fraction.length > MAX_TOTAL_DIGITS) return `amount "${text}" has more than ${MAX_TOTAL_DIGITS} digits`;
  return undefined;
}

/** The amount with the sign of the booking: credits positive, debits negative. */
export function signedAmount(amount: string, creditDebit: CreditDebit): Decimal {
  const value = new Decimal(amount);
  return creditDebit === 'DBIT' ? value.negated() : value;
}

export function parseCreditDebit(text: string): CreditDebit | undefined {
  return text === 'CRDT' || text === 'DBIT' ? text : undefined;
}

/** xs:boolean: "true", "false", "1", "0". */
export function parseXmlBoolean(text: string): boolean | undefined {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return undefined;
}

// xs:date may carry a zone ("2014-12-31+01:00"); xs:dateTime may have fractions and a zone or none.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)?$/;

/**
 * The calendar date of an ISODate or ISODateTime, "YYYY-MM-DD", or undefined when malformed.
 * For a date-time it is the date as the bank wrote it, in the bank's own offset, not converted to
 * UTC: "2014-12-31T00:30:00+01:00" was booked on the 31st in the bank's books, and that is the
 * date a statement line is matched on.
 */
export function calendarDateOf(text: string): string | undefined {
  const m = ISO_DATE.exec(text) ?? ISO_DATE_TIME.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return text.slice(0, 10);
}

export function isDateTime(text: string): boolean {
  return text.includes('T');
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}
