// Cell values as Chinese bank exports write them: dates, times, amounts, currencies. Pure
// functions returning a value or a problem (a sentence naming the text); the reader adds the line.
// Amounts are checked as the money module checks them (two decimals at most, NUMERIC(14,2) range)
// and kept as strings; arithmetic happens only through src/domain/money.ts.
import { formatIsoDate, isRealDate } from '../../domain/calendar-date.ts';

/** Years a statement line may carry. Outside this, a date is a placeholder or a damaged cell. */
export const MIN_YEAR = 1990;
export const MAX_YEAR = 2099;

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const problem = (text: string): { ok: false; problem: string } => ({ ok: false, problem: text });

/** A cell as read: surrounding whitespace (tabs, U+3000) and Excel's ="…" text guard removed. */
export function cleanCell(cell: string | undefined): string {
  if (cell === undefined) return '';
  let s = cell.trim();
  // ="6222…" keeps Excel from turning a long account number into 6.222E+18; some banks write it.
  if (s.length >= 2 && s.charCodeAt(0) === 61 && s.charCodeAt(1) === 34) {
    s = s.slice(2, s.endsWith('"') && s.length > 2 ? -1 : undefined).trim();
  }
  return s;
}

const ISO_FAST = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_SEPARATED = /^(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})$/;
const DATE_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const DATE_CHINESE = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$/;
const DATE_FORMS = 'YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD or YYYY年M月D日';

/** A calendar date "YYYY-MM-DD" from YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYYMMDD or YYYY年M月D日. */
export function parseDate(text: string): Parsed<string> {
  const fast = isoDateFast(text);
  if (fast !== undefined) return fast;
  let parts: (string | undefined)[];
  const iso = ISO_FAST.exec(text);
  if (iso !== null) parts = [iso[1], iso[2], iso[3]];
  else {
    const separated = DATE_SEPARATED.exec(text);
    const other = separated === null ? (DATE_COMPACT.exec(text) ?? DATE_CHINESE.exec(text)) : null;
    if (separated !== null) parts = [separated[1], separated[3], separated[4]];
    else if (other !== null) parts = [other[1], other[2], other[3]];
    else return problem(`"${text}" is not a date (expected ${DATE_FORMS})`);
  }
  const year = Number(parts[0]);
  const month = Number(parts[1]);
  const day = Number(parts[2]);
  if (!isRealDate(year, month, day)) return problem(`"${text}" is not a date that exists`);
  if (year < MIN_YEAR || year > MAX_YEAR) return problem(`"${text}" is out of range (years ${MIN_YEAR}–${MAX_YEAR})`);
  return ok(iso !== null ? text : formatIsoDate({ year, month, day }));
}

/** "YYYY-MM-DD", by character codes: the common case, without regular expressions. */
function isoDateFast(text: string): Parsed<string> | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  if (year < 0 || month < 0 || day < 0) return undefined;
  if (!isRealDate(year, month, day)) return problem(`"${text}" is not a date that exists`);
  if (year < MIN_YEAR || year > MAX_YEAR) return problem(`"${text}" is out of range (years ${MIN_YEAR}–${MAX_YEAR})`);
  return ok(text);
}

/** The number written by the ASCII digits text[from, to), or -1 when one is not a digit. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const TIME_SEPARATED = /^([01]?\d|2[0-3])[:：.]([0-5]\d)(?:[:：.]([0-5]\d)(?:\.\d{1,6})?)?$/;
const TIME_COMPACT = /^([01]\d|2[0-3])([0-5]\d)([0-5]\d)$/;

/** "HH:MM:SS" from 10:15:30, 10:15, 9:05:00, 101530 (fractions of a second are dropped). */
export function parseTime(text: string): Parsed<string> {
  if (text.length === 8 && text.charCodeAt(2) === 58 && text.charCodeAt(5) === 58) {
    const h = digits(text, 0, 2);
    const mi = digits(text, 3, 5);
    const se = digits(text, 6, 8);
    if (h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && se >= 0 && se <= 59) return ok(text);
  }
  const m = TIME_SEPARATED.exec(text) ?? TIME_COMPACT.exec(text);
  if (m === null) return problem(`"${text}" is not a time of day (expected HH:MM:SS or HHMMSS)`);
  return ok(`${(m[1] ?? '').padStart(2, '0')}:${m[2]}:${m[3] ?? '00'}`);
}

export interface DateTimeValue {
  date: string;
  /** "HH:MM:SS" when the cell had a time after the date. */
  time?: string;
}

const COMPACT_DATE_TIME = /^(\d{8})(\d{6})$/;

/**
 * A date cell that may carry a time: "2025-10-01", "2025-10-01 10:15:30", "2025/10/1 9:05",
 * "2025-10-01T10:15:30", "20251001 101530", "20251001101530".
 */
export function parseDateTime(text: string): Parsed<DateTimeValue> {
  if (text.length === 10) {
    const fast = isoDateFast(text);
    if (fast !== undefined) return fast.ok ? ok({ date: fast.value }) : fast;
  }
  const compact = COMPACT_DATE_TIME.exec(text);
  let datePart = text;
  let timePart: string | undefined;
  if (compact !== null) {
    datePart = compact[1] as string;
    timePart = compact[2] as string;
  } else {
    const split = /[\sT]+(?=\d{1,2}[:：.]?\d{2})/.exec(text);
    if (split !== null && split.index >= 8) {
      datePart = text.slice(0, split.index);
      timePart = text.slice(split.index + split[0].length);
    }
  }
  const date = parseDate(datePart);
  if (!date.ok) return date;
  if (timePart === undefined) return ok({ date: date.value });
  const time = parseTime(timePart);
  if (!time.ok) return problem(`"${text}": ${time.problem}`);
  return ok({ date: date.value, time: time.value });
}

/** Dates inside free text (a period "2025-09-01 至 2025-09-30", "20250901-20250930"), in order. */
export function datesIn(text: string): Parsed<string>[] {
  const found: Parsed<string>[] = [];
  const re = /(?<!\d)(\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?|\d{8})(?!\d)/gu;
  for (const m of text.normalize('NFKC').matchAll(re)) found.push(parseDate((m[1] as string).replace(/\s+/g, '')));
  return found;
}

export interface AmountValue {
  /** Unsigned, as written minus formatting: "1,234.50" → "1234.50". */
  text: string;
  negative: boolean;
  zero: boolean;
}

const AMOUNT_BODY = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;
/** What some exports write in an empty cell. */
export const PLACEHOLDERS: ReadonlySet<string> = new Set(['-', '--', '—', '——', '/']);
/** NUMERIC(14,2), the ledger's column: at most 12 digits before the point (MAX_AMOUNT in money.ts). */
const MAX_WHOLE_DIGITS = 12;

/**
 * An amount cell: "1,234.50", "¥1,234.50", "￥-35.00", "-1,234.50", "(1,234.50)", "+3500", "3500元".
 * Blank cells (and the placeholders "-", "--", "—") are `undefined`: no amount in that column.
 * The text is checked as money.ts's parseMoney would check it (two decimals at most, NUMERIC(14,2)
 * range) without building a Decimal: a million lines with three amount cells each made that a
 * fifth of the reading time. Arithmetic on it goes through money.ts.
 */
export function parseAmount(raw: string): Parsed<AmountValue> | undefined {
  if (raw === '') return undefined;
  const fast = plainAmount(raw);
  if (fast !== undefined) return ok(fast);
  if (PLACEHOLDERS.has(raw)) return undefined;
  let s = raw.includes(' ') || raw.includes('\u3000') ? raw.replace(/[\s\u3000]+/g, '') : raw;
  let negative = false;
  let signs = 0;
  const first = s.charCodeAt(0);
  if (first < 48 || first > 57) {
    if ((first === 40 || first === 0xff08) && (s.endsWith(')') || s.endsWith('）'))) {
      negative = true;
      signs++;
      s = s.slice(1, -1);
    }
    for (;;) {
      const c = s.charAt(0);
      if (c === '-' || c === '−' || c === '+') {
        if (c !== '+') negative = true;
        signs++;
        s = s.slice(1);
      } else if (c === '¥' || c === '￥') {
        s = s.slice(1);
      } else if (s.startsWith('RMB') || s.startsWith('CNY')) {
        s = s.slice(3);
      } else break;
    }
  }
  if (s.endsWith('元')) s = s.slice(0, -1);
  if (signs > 1) return problem(`amount "${raw}" has more than one sign`);
  const m = AMOUNT_BODY.exec(s);
  if (m === null) return problem(`amount "${raw}" is not a number (expected e.g. 1234.50, 1,234.50, ¥1,234.50, -1234.50 or (1234.50))`);
  let whole = m[1] as string;
  if (whole.includes(',')) whole = whole.replace(/,/g, '');
  if (whole.length > 1 && whole.charCodeAt(0) === 48) whole = whole.replace(/^0+(?=\d)/, '');
  const fraction = m[2];
  if (fraction !== undefined && fraction.length > 2) return problem(`amount "${raw}" has more than two decimals`);
  if (whole.length > MAX_WHOLE_DIGITS) return problem(`amount "${raw}" is too large (at most ${MAX_WHOLE_DIGITS} digits before the decimal point)`);
  const zero = whole === '0' && (fraction === undefined || /^0*$/.test(fraction));
  return ok({ text: fraction === undefined ? whole : `${whole}.${fraction}`, negative, zero });
}

/**
 * "3500.00", "3,500.00", "0.5": an unsigned amount in plain digits, read by character codes (the
 * common case). Anything else — signs, symbols, odd grouping, too many digits — is undefined and
 * left to the full reading.
 */
function plainAmount(raw: string): AmountValue | undefined {
  const n = raw.length;
  let point = n;
  let commas = 0;
  let lastComma = -1;
  let nonZero = false;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (c !== 48) nonZero = true;
    } else if (c === 44 && point === n) {
      // A comma needs 1–3 digits before the first one and exactly 3 between commas.
      if (lastComma < 0 ? i < 1 || i > 3 : i - lastComma !== 4) return undefined;
      lastComma = i;
      commas++;
    } else if (c === 46 && point === n) {
      point = i;
    } else return undefined;
  }
  if (lastComma >= 0 && point - lastComma !== 4) return undefined;
  const wholeDigits = point - commas;
  const fraction = n - point - 1;
  if (wholeDigits < 1 || wholeDigits > MAX_WHOLE_DIGITS || (point < n && (fraction < 1 || fraction > 2))) return undefined;
  if (wholeDigits > 1 && raw.charCodeAt(0) === 48) return undefined;
  return { text: commas > 0 ? raw.replace(/,/g, '') : raw, negative: false, zero: !nonZero };
}

/** The amount as a signed string ("-12.00"), for a running balance. */
export function signedText(amount: AmountValue): string {
  return amount.negative && !amount.zero ? `-${amount.text}` : amount.text;
}

const CURRENCY_NAMES: Readonly<Record<string, string>> = {
  人民币: 'CNY',
  人民币元: 'CNY',
  元: 'CNY',
  RMB: 'CNY',
  CNY: 'CNY',
  '156': 'CNY',
  美元: 'USD',
  美金: 'USD',
  港币: 'HKD',
  港元: 'HKD',
  欧元: 'EUR',
  日元: 'JPY',
  英镑: 'GBP',
  澳元: 'AUD',
  加元: 'CAD',
  瑞士法郎: 'CHF',
  新加坡元: 'SGD',
  澳门元: 'MOP',
  新台币: 'TWD',
};

/**
 * The ISO code of a currency cell ("人民币", "RMB", "CNY", "人民币(钞)", "美元"), or undefined when
 * it is not one we know. A trailing cash/remittance mark (钞, 汇, 现钞, 现汇) is ignored.
 */
export function currencyCode(text: string): string | undefined {
  const s = text
    .normalize('NFKC')
    .replace(/\(.*\)$/, '')
    .replace(/\s+/g, '')
    .replace(/(现钞|现汇|钞户|汇户|钞|汇)$/, '')
    .toUpperCase();
  const known = CURRENCY_NAMES[s];
  if (known !== undefined) return known;
  return /^[A-Z]{3}$/.test(s) ? s : undefined;
}
