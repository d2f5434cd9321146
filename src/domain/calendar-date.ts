// Calendar dates as ISO strings ('YYYY-MM-DD'), with no time and no time zone.
// Birth dates, recognition dates and academic-year boundaries are civil dates: turning them into
// instants (Date objects) would let the server's time zone move a birthday by a day.
// Zero-padded ISO dates sort as strings, so comparison is plain string comparison.

export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True when year/month/day name a day that exists in the (proleptic) Gregorian calendar. */
export function isRealDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

/** Splits a 'YYYY-MM-DD' string; undefined when it is not of that form or not a real day. */
export function parseIsoDate(text: unknown): DateParts | undefined {
  if (typeof text !== 'string') return undefined;
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return isRealDate(year, month, day) ? { year, month, day } : undefined;
}

export function isIsoDate(text: unknown): text is IsoDate {
  return parseIsoDate(text) !== undefined;
}

export function formatIsoDate({ year, month, day }: DateParts): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** -1, 0 or 1. Both arguments must be valid ISO dates (zero-padded strings order like dates). */
export function compareIsoDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}
