// Splitting an approved annual grant into the programme's instalment plan. Pure: the grant service
// stores what this returns.
//
// Plans (due dates inside the academic year, 1 September – 31 August):
//   annual     1 instalment:  1 Sep
//   semesters  2 instalments: 1 Sep, 1 Mar (autumn and spring semester)
//   quarterly  4 instalments: 1 Sep, 1 Dec, 1 Mar, 1 Jun
//   monthly    10 instalments: the 1st of each teaching month, Sep – Jun (no payment in the summer
//              vacation, July and August: the grant supports study months, like the national
//              monthly scholarships paid over the teaching year)
//
// Amounts are exact, in fen: each instalment gets floor(amount / n) fen; the remainder (fewer than n
// fen) goes to the FIRST instalment of the plan, so nothing is lost to rounding. An amount smaller
// than n fen cannot give every instalment a fen: such an amount is paid in one instalment on the
// first date (a plan instalment is never 0.00).
//
// Late approval (the programme's rule): the student is entitled to the whole annual amount, whenever
// in the year the grant is approved. Plan instalments due ON OR BEFORE the approval date are not
// dropped: they are merged into ONE catch-up instalment due on the approval date (paid with the next
// payout run), and the plan instalments due after it follow unchanged. Approval before the year
// starts changes nothing; approval after the year's last day is refused (`academic_year_over`) —
// a year that is over is not paid retroactively through this path.
import { academicYearEnd, type AcademicYear } from './academic-year.ts';
import { formatIsoDate, type IsoDate } from './calendar-date.ts';
import { type Money, hasFenPrecision, money } from './money.ts';

export const INSTALMENT_PLANS = ['annual', 'semesters', 'quarterly', 'monthly'] as const;
export type InstalmentPlanKind = (typeof INSTALMENT_PLANS)[number];

/** Month and day of each plan's due dates, in academic-year order (Sep first). */
const PLAN_DATES: Record<InstalmentPlanKind, readonly (readonly [month: number, day: number])[]> = {
  annual: [[9, 1]],
  semesters: [
    [9, 1],
    [3, 1],
  ],
  quarterly: [
    [9, 1],
    [12, 1],
    [3, 1],
    [6, 1],
  ],
  monthly: [9, 10, 11, 12, 1, 2, 3, 4, 5, 6].map((m) => [m, 1] as const),
};

export interface PlannedInstalment {
  /** 1, 2, … in due-date order. */
  sequence: number;
  dueOn: IsoDate;
  amount: Money;
  /** Carries plan instalments that were already due on the approval date. */
  catchUp: boolean;
}

/** The plan's due dates in one academic year, ascending. */
export function planDueDates(plan: InstalmentPlanKind, year: AcademicYear): IsoDate[] {
  return PLAN_DATES[plan].map(([month, day]) => formatIsoDate({ year: month >= 9 ? year.startYear : year.endYear, month, day }));
}

export class AcademicYearOverError extends Error {
  constructor(readonly yearEnd: IsoDate) {
    super(`the academic year ended on ${yearEnd}`);
  }
}

/**
 * The instalments of a grant of `amount` (positive, fen precision) approved on `approvedOn`.
 * Throws AcademicYearOverError when `approvedOn` is after the year's last day.
 */
export function splitIntoInstalments(args: { amount: Money; plan: InstalmentPlanKind; year: AcademicYear; approvedOn: IsoDate }): PlannedInstalment[] {
  const { plan, year, approvedOn } = args;
  const amount = money(args.amount);
  if (!amount.greaterThan(0) || !hasFenPrecision(amount)) throw new RangeError('a grant is a positive amount in fen');
  if (approvedOn > academicYearEnd(year)) throw new AcademicYearOverError(academicYearEnd(year));

  const dates = planDueDates(plan, year);
  const fen = BigInt(amount.times(100).toFixed(0));
  const n = BigInt(dates.length);
  const base = fen / n;
  // Base of 0 fen: one instalment on the first date carries it all.
  const parts = base === 0n ? [{ dueOn: dates[0] as IsoDate, fen }] : dates.map((dueOn, i) => ({ dueOn, fen: i === 0 ? base + (fen % n) : base }));

  // Late approval: everything due on or before the approval date becomes one catch-up instalment.
  const past = parts.filter((p) => p.dueOn <= approvedOn);
  const future = parts.filter((p) => p.dueOn > approvedOn);
  const merged: { dueOn: IsoDate; fen: bigint; catchUp: boolean }[] = [];
  if (past.length > 0) {
    // An instalment due on the approval day itself is simply on time, not caught up.
    merged.push({ dueOn: approvedOn, fen: past.reduce((s, p) => s + p.fen, 0n), catchUp: past.some((p) => p.dueOn < approvedOn) });
  }
  for (const p of future) merged.push({ ...p, catchUp: false });
  return merged.map((p, i) => ({ sequence: i + 1, dueOn: p.dueOn, amount: money(p.fen.toString()).dividedBy(100), catchUp: p.catchUp }));
}
