// Business days of the banks in mainland China: Monday to Friday, except the public holidays the
// State Council publishes each year, plus the weekend days it declares working days (调休) to
// bridge a holiday. Used to age payouts in transit: a bank confirms a transfer within a few
// business days of its execution date, and a Spring Festival week is not "five days late".
//
// The calendar is known only for the years listed; the State Council publishes the next year's in
// the autumn. For a year not listed, weekends alone count (`calendarCovers` tells callers, so a
// report can say so). Add a year here when it is published.
import { type IsoDate, parseIsoDate } from './calendar-date.ts';

interface YearCalendar {
  /** Weekdays on which banks are closed (法定节假日及调休放假). */
  holidays: readonly IsoDate[];
  /** Weekend days on which banks work (调休上班). */
  workingWeekends: readonly IsoDate[];
}

const range = (from: IsoDate, to: IsoDate): IsoDate[] => {
  const out: IsoDate[] = [];
  for (let day = dayNumber(from); day <= dayNumber(to); day++) out.push(isoOf(day));
  return out;
};

// 国务院办公厅关于部分节假日安排的通知 for each year (国办发明电〔2023〕7号, 〔2024〕12号, 〔2025〕7号).
const CALENDARS: Readonly<Record<number, YearCalendar>> = {
  2024: {
    holidays: [
      '2024-01-01',
      ...range('2024-02-10', '2024-02-17'),
      ...range('2024-04-04', '2024-04-06'),
      ...range('2024-05-01', '2024-05-05'),
      '2024-06-10',
      ...range('2024-09-15', '2024-09-17'),
      ...range('2024-10-01', '2024-10-07'),
    ],
    workingWeekends: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12'],
  },
  2025: {
    holidays: [
      '2025-01-01',
      ...range('2025-01-28', '2025-02-04'),
      ...range('2025-04-04', '2025-04-06'),
      ...range('2025-05-01', '2025-05-05'),
      ...range('2025-05-31', '2025-06-02'),
      ...range('2025-10-01', '2025-10-08'),
    ],
    workingWeekends: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    holidays: [
      ...range('2026-01-01', '2026-01-03'),
      ...range('2026-02-15', '2026-02-23'),
      ...range('2026-04-04', '2026-04-06'),
      ...range('2026-05-01', '2026-05-05'),
      ...range('2026-06-19', '2026-06-21'),
      ...range('2026-09-25', '2026-09-27'),
      ...range('2026-10-01', '2026-10-07'),
    ],
    workingWeekends: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

const HOLIDAYS = new Set(Object.values(CALENDARS).flatMap((c) => c.holidays));
const WORKING_WEEKENDS = new Set(Object.values(CALENDARS).flatMap((c) => c.workingWeekends));

/** Days since 1970-01-01 (UTC), for stepping through dates without time zones. */
function dayNumber(date: IsoDate): number {
  const parts = parseIsoDate(date);
  if (!parts) throw new RangeError(`not a date: ${date}`);
  return Math.floor(Date.UTC(parts.year, parts.month - 1, parts.day) / 86_400_000);
}

function isoOf(day: number): IsoDate {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** True when the holiday calendar of the date's year is known (else weekends alone count). */
export function calendarCovers(date: IsoDate): boolean {
  return Number(date.slice(0, 4)) in CALENDARS;
}

export function isBankBusinessDay(date: IsoDate): boolean {
  if (WORKING_WEEKENDS.has(date)) return true;
  if (HOLIDAYS.has(date)) return false;
  const weekday = new Date(dayNumber(date) * 86_400_000).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The business day `count` business days after `date` (count ≥ 0). With count 0: `date` itself
 * when it is a business day, else the next one — a transfer requested for a Sunday executes Monday.
 */
export function addBankBusinessDays(date: IsoDate, count: number): IsoDate {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`business days must be a whole number ≥ 0: ${count}`);
  let day = dayNumber(date);
  while (!isBankBusinessDay(isoOf(day))) day++;
  for (let left = count; left > 0; ) {
    day++;
    if (isBankBusinessDay(isoOf(day))) left--;
  }
  return isoOf(day);
}

/** Business days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function bankBusinessDaysBetween(from: IsoDate, to: IsoDate): number {
  let count = 0;
  for (let day = dayNumber(from) + 1; day <= dayNumber(to); day++) if (isBankBusinessDay(isoOf(day))) count++;
  return count;
}
