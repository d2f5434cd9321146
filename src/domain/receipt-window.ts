// When a foundation's transfer to a programme can have arrived: from the start of the academic year
// before the programme's first (foundations send the first year's money ahead, over the summer)
// to the end of its last academic year. A date outside is a typing error (1900-01-01, 2052 for
// 2025) that would put money into a year the programme never had. Pure; the receipt statement
// (src/services/funding-receipt-writer.ts) applies the same window in SQL.
import { type AcademicYear, academicYearEnd, academicYearStart, academicYearStartingIn } from './academic-year.ts';
import type { IsoDate } from './calendar-date.ts';

export interface ReceiptWindow {
  from: IsoDate;
  to: IsoDate;
}

export function receiptWindow(first: AcademicYear, last: AcademicYear): ReceiptWindow {
  const yearBefore = academicYearStartingIn(first.startYear - 1) ?? first;
  return { from: academicYearStart(yearBefore), to: academicYearEnd(last) };
}

/** Whether a receipt dated `day` (YYYY-MM-DD) lies in the window. */
export function isInReceiptWindow(day: string, window: ReceiptWindow): boolean {
  return day >= window.from && day <= window.to;
}
