// Academic years ('2025-2026') and age on a date.
import { daysInMonth, formatIsoDate, isLeapYear, parseIsoDate, type IsoDate } from './calendar-date.ts';

/**
 * Month (1–12) in which an academic year starts; it ends the day before the same month next year.
 * Chinese colleges and universities start the year in September (autumn admission, 秋季学期), and the
 * programme pays "per academic year", so 1 September–31 August is the unit for eligibility and grants.
 * Kept as one constant so a programme with another calendar changes one line, not every comparison.
 */
export const ACADEMIC_YEAR_START_MONTH: number = 9;

/** Years outside this range are typing mistakes, not academic years this ledger will ever see. */
export const MIN_ACADEMIC_START_YEAR = 1900;
export const MAX_ACADEMIC_START_YEAR = 9998;

export interface AcademicYear {
  /** Calendar year in which the academic year starts (2025 for '2025-2026'). */
  readonly startYear: number;
  readonly endYear: number;
  /** The written form, '2025-2026'. */
  readonly label: string;
}

export type AcademicYearParseFailure = 'format' | 'sequence' | 'range';

const LABEL = /^(\d{4})-(\d{4})$/;

/** Builds the academic year starting in `startYear`; undefined for a year outside the accepted range. */
export function academicYearStartingIn(startYear: number): AcademicYear | undefined {
  if (!Number.isInteger(startYear) || startYear < MIN_ACADEMIC_START_YEAR || startYear > MAX_ACADEMIC_START_YEAR) {
    return undefined;
  }
  return Object.freeze({ startYear, endYear: startYear + 1, label: `${startYear}-${startYear + 1}` });
}

/**
 * Parses '2025-2026'. Refuses other spellings ('2025/2026', '2025-26', ' 2025-2026') rather than guessing:
 * the label is a key (one grant per student, programme and year), so one year must have one spelling.
 */
export function parseAcademicYear(text: unknown): { ok: true; value: AcademicYear } | { ok: false; reason: AcademicYearParseFailure } {
  if (typeof text !== 'string') return { ok: false, reason: 'format' };
  const m = LABEL.exec(text);
  if (!m) return { ok: false, reason: 'format' };
  const first = Number(m[1]);
  const second = Number(m[2]);
  if (second !== first + 1) return { ok: false, reason: 'sequence' };
  const value = academicYearStartingIn(first);
  return value ? { ok: true, value } : { ok: false, reason: 'range' };
}

export function isAcademicYearLabel(text: unknown): boolean {
  return parseAcademicYear(text).ok;
}

export function formatAcademicYear(year: AcademicYear | number): string {
  const start = typeof year === 'number' ? year : year.startYear;
  return `${start}-${start + 1}`;
}

/** First day of the academic year: 1 September of its first calendar year. */
export function academicYearStart(year: AcademicYear): IsoDate {
  return formatIsoDate({ year: year.startYear, month: ACADEMIC_YEAR_START_MONTH, day: 1 });
}

/** Last day of the academic year: the day before the next one starts (31 August of its second year). */
export function academicYearEnd(year: AcademicYear): IsoDate {
  const month = ACADEMIC_YEAR_START_MONTH === 1 ? 12 : ACADEMIC_YEAR_START_MONTH - 1;
  const calendarYear = ACADEMIC_YEAR_START_MONTH === 1 ? year.startYear : year.endYear;
  return formatIsoDate({ year: calendarYear, month, day: daysInMonth(calendarYear, month) });
}

/** True when `date` (a valid ISO date) falls on or between the first and last day of `year`. */
export function isWithinAcademicYear(date: IsoDate, year: AcademicYear): boolean {
  return date >= academicYearStart(year) && date <= academicYearEnd(year);
}

/** The academic year a valid ISO date falls in; undefined for an invalid date or one out of range. */
export function academicYearContaining(date: IsoDate): AcademicYear | undefined {
  const parts = parseIsoDate(date);
  if (!parts) return undefined;
  return academicYearStartingIn(parts.month >= ACADEMIC_YEAR_START_MONTH ? parts.year : parts.year - 1);
}

/**
 * The date of the `years`-th birthday. Rule for people born on 29 February: in a year without
 * 29 February the birthday is 1 March, so they turn a year older on 1 March (not on 28 February).
 * We take the later day so that a threshold such as "18 or older" is never reached a day early.
 * Undefined when `birthDate` is not a valid ISO date.
 */
export function birthdayInYear(birthDate: IsoDate, years: number): IsoDate | undefined {
  const b = parseIsoDate(birthDate);
  if (!b) return undefined;
  const year = b.year + years;
  if (b.month === 2 && b.day === 29 && !isLeapYear(year)) return formatIsoDate({ year, month: 3, day: 1 });
  return formatIsoDate({ year, month: b.month, day: b.day });
}

/**
 * Age in completed years on `date` (周岁). A person is N years old from their N-th birthday onwards
 * (on the birthday itself, not the day after); 29 February birthdays follow `birthdayInYear`.
 * Undefined when either date is invalid; negative when `date` is before the birth date.
 */
export function ageOn(birthDate: IsoDate, date: IsoDate): number | undefined {
  const b = parseIsoDate(birthDate);
  const d = parseIsoDate(date);
  if (!b || !d) return undefined;
  const years = d.year - b.year;
  const birthday = birthdayInYear(birthDate, years);
  return birthday !== undefined && date < birthday ? years - 1 : years;
}
