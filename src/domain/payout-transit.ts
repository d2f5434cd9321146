// When a payout in transit (在途) is overdue: the bank confirms a transfer within a few business
// days of the batch's requested execution date (per programme, `transit_business_days`). After
// that, "in transit" is no longer an explanation but a break: the bank may never have booked it.
// Pure: the bank check and finance's list of what to act on use the same rule.
import { addBankBusinessDays, bankBusinessDaysBetween, calendarCovers } from './bank-business-days.ts';
import type { IsoDate } from './calendar-date.ts';

export interface TransitAgeing {
  /** The requested execution date, or the next business day when the bank is closed on it. */
  executesOn: IsoDate;
  /** The last business day on which the bank may still book it. */
  dueOn: IsoDate;
  /** Business days after `dueOn` up to and including the day judged (0: not overdue). */
  businessDaysOverdue: number;
  overdue: boolean;
  /** False when the holiday calendar of a year between the execution date and the day judged is unknown (weekends alone counted). */
  calendarKnown: boolean;
}

/**
 * Ages a payout sent and not yet confirmed by the bank, as of `asOf` (today in China, or the last
 * day a statement covers when that is later). Overdue from the first business day after the due
 * day: a Saturday after a Friday due day is not yet late, the bank books nothing on it.
 */
export function transitAgeing(requestedExecutionOn: IsoDate, transitBusinessDays: number, asOf: IsoDate): TransitAgeing {
  if (!Number.isInteger(transitBusinessDays) || transitBusinessDays < 1)
    throw new RangeError(`transit business days must be a whole number ≥ 1: ${transitBusinessDays}`);
  const executesOn = addBankBusinessDays(requestedExecutionOn, 0);
  const dueOn = addBankBusinessDays(requestedExecutionOn, transitBusinessDays);
  const businessDaysOverdue = bankBusinessDaysBetween(dueOn, asOf);
  return {
    executesOn,
    dueOn,
    businessDaysOverdue,
    overdue: businessDaysOverdue > 0,
    calendarKnown: calendarYearsKnown(requestedExecutionOn, asOf > dueOn ? asOf : dueOn),
  };
}

/** True when every year from `from`'s to `to`'s has a known holiday calendar. */
export function calendarYearsKnown(from: IsoDate, to: IsoDate): boolean {
  const first = Number(from.slice(0, 4));
  const last = Number(to.slice(0, 4));
  for (let year = first; year <= last; year++) if (!calendarCovers(`${year}-01-01`)) return false;
  return true;
}

/** Years between the two dates (inclusive) whose holiday calendar is unknown, ascending. */
export function yearsWithoutCalendar(from: IsoDate, to: IsoDate): number[] {
  const out: number[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) if (!calendarCovers(`${year}-01-01`)) out.push(year);
  return out;
}
