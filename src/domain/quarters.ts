// Calendar quarters of the disclosure report (慈善项目实施情况公开): 《慈善组织信息公开办法》 asks a
// charity to disclose a project running longer than six months at least every three months, and a
// quarter is disclosed only once it is over, on the Beijing business date (todayInChina).
import { daysInMonth, formatIsoDate } from './calendar-date.ts';

export interface Quarter {
  year: number;
  /** 1–4. */
  quarter: number;
  /** '2026Q1'. */
  label: string;
  /** First and last day, ISO dates (inclusive). */
  startsOn: string;
  endsOn: string;
}

const QUARTER_TEXT = /^(\d{4})Q([1-4])$/;

/** '2026Q1' into its first and last day; null when the text is no quarter of a year from 2000 to 2999. */
export function parseQuarter(text: string): Quarter | null {
  const match = QUARTER_TEXT.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const quarter = Number(match[2]);
  if (year < 2000 || year > 2999) return null;
  const firstMonth = (quarter - 1) * 3 + 1;
  const lastMonth = firstMonth + 2;
  return {
    year,
    quarter,
    label: `${year}Q${quarter}`,
    startsOn: formatIsoDate({ year, month: firstMonth, day: 1 }),
    endsOn: formatIsoDate({ year, month: lastMonth, day: daysInMonth(year, lastMonth) }),
  };
}

/** A quarter is over once its last day has passed: on that last day figures may still change. */
export function quarterIsOver(quarter: Quarter, today: string): boolean {
  return today > quarter.endsOn;
}

/** Whether an ISO date lies in the quarter. */
export function inQuarter(quarter: Quarter, date: string): boolean {
  return date >= quarter.startsOn && date <= quarter.endsOn;
}

/** The last quarter that is over on `today` (ISO): the one a disclosure page offers first. */
export function latestQuarterOver(today: string): Quarter {
  const year = Number(today.slice(0, 4));
  const current = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const label = current === 1 ? `${year - 1}Q4` : `${year}Q${current - 1}`;
  return parseQuarter(label) as Quarter;
}
