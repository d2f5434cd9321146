import { describe, expect, it } from 'vitest';
import { transitAgeing, yearsWithoutCalendar } from '../../src/domain/payout-transit.ts';

describe('transitAgeing: when a payout in transit is overdue', () => {
  it('is due N business days after the requested execution date, overdue from the next business day', () => {
    // Thursday + 3 business days → Tuesday.
    expect(transitAgeing('2026-11-26', 3, '2026-12-01')).toMatchObject({
      executesOn: '2026-11-26',
      dueOn: '2026-12-01',
      overdue: false,
      businessDaysOverdue: 0,
    });
    expect(transitAgeing('2026-11-26', 3, '2026-12-02')).toMatchObject({ overdue: true, businessDaysOverdue: 1 });
    expect(transitAgeing('2026-11-26', 3, '2026-12-07')).toMatchObject({ overdue: true, businessDaysOverdue: 4 });
    expect(transitAgeing('2026-11-26', 3, '2026-11-20')).toMatchObject({ overdue: false, businessDaysOverdue: 0 });
  });

  it('starts from the next business day when the requested date is a closed day, and skips holidays', () => {
    // Sunday → executes Monday 2026-12-07; due Thursday.
    expect(transitAgeing('2026-12-06', 3, '2026-12-10')).toMatchObject({ executesOn: '2026-12-07', dueOn: '2026-12-10', overdue: false });
    // Requested on the eve of National Day: the holiday week does not count.
    expect(transitAgeing('2026-09-30', 1, '2026-10-08')).toMatchObject({ dueOn: '2026-10-08', overdue: false });
    expect(transitAgeing('2026-09-30', 1, '2026-10-09')).toMatchObject({ overdue: true, businessDaysOverdue: 1 });
  });

  it('is not late on the weekend after a Friday due day', () => {
    expect(transitAgeing('2026-12-01', 3, '2026-12-05')).toMatchObject({ dueOn: '2026-12-04', overdue: false, businessDaysOverdue: 0 });
    expect(transitAgeing('2026-12-01', 3, '2026-12-07')).toMatchObject({ overdue: true, businessDaysOverdue: 1 });
  });

  it('says when a year involved has no known holiday calendar', () => {
    expect(transitAgeing('2026-12-28', 3, '2027-01-05').calendarKnown).toBe(false);
    expect(transitAgeing('2026-11-26', 3, '2026-12-05').calendarKnown).toBe(true);
    expect(yearsWithoutCalendar('2026-12-01', '2027-02-01')).toEqual([2027]);
  });

  it('refuses a number of days below 1', () => {
    expect(() => transitAgeing('2026-11-26', 0, '2026-12-01')).toThrow(RangeError);
  });
});
