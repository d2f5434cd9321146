import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { academicYearEnd, academicYearStart, academicYearStartingIn, type AcademicYear } from '../../src/domain/academic-year.ts';
import { formatIsoDate } from '../../src/domain/calendar-date.ts';
import { AcademicYearOverError, INSTALMENT_PLANS, planDueDates, splitIntoInstalments, type PlannedInstalment } from '../../src/domain/instalments.ts';
import { formatMoney, money, sumMoney } from '../../src/domain/money.ts';

const Y = academicYearStartingIn(2026) as AcademicYear;
const shape = (items: PlannedInstalment[]) => items.map((i) => [i.sequence, i.dueOn, formatMoney(i.amount), i.catchUp]);
const split = (amount: string, plan: (typeof INSTALMENT_PLANS)[number], approvedOn: string) =>
  splitIntoInstalments({ amount: money(amount), plan, year: Y, approvedOn });

describe('plans', () => {
  it('due dates: annual 1 Sep; semesters 1 Sep and 1 Mar; quarterly Sep/Dec/Mar/Jun; monthly the 1st of Sep–Jun (10)', () => {
    expect(planDueDates('annual', Y)).toEqual(['2026-09-01']);
    expect(planDueDates('semesters', Y)).toEqual(['2026-09-01', '2027-03-01']);
    expect(planDueDates('quarterly', Y)).toEqual(['2026-09-01', '2026-12-01', '2027-03-01', '2027-06-01']);
    expect(planDueDates('monthly', Y)).toEqual([
      '2026-09-01',
      '2026-10-01',
      '2026-11-01',
      '2026-12-01',
      '2027-01-01',
      '2027-02-01',
      '2027-03-01',
      '2027-04-01',
      '2027-05-01',
      '2027-06-01',
    ]);
  });

  it('approved before the year starts: the plan as it is, remainder on the first instalment', () => {
    expect(shape(split('5000.00', 'semesters', '2026-08-20'))).toEqual([
      [1, '2026-09-01', '2500.00', false],
      [2, '2027-03-01', '2500.00', false],
    ]);
    expect(shape(split('3333.33', 'quarterly', '2026-08-20'))).toEqual([
      [1, '2026-09-01', '833.34', false],
      [2, '2026-12-01', '833.33', false],
      [3, '2027-03-01', '833.33', false],
      [4, '2027-06-01', '833.33', false],
    ]);
    const monthly = split('3000.01', 'monthly', '2026-01-01');
    expect(monthly).toHaveLength(10);
    expect(formatMoney(monthly[0]!.amount)).toBe('300.01');
    expect(monthly.slice(1).every((i) => formatMoney(i.amount) === '300.00')).toBe(true);
    expect(formatMoney(sumMoney(monthly.map((i) => i.amount)))).toBe('3000.01');
  });

  it('an amount smaller than one fen per instalment is paid in one instalment on the first date', () => {
    expect(shape(split('0.05', 'monthly', '2026-08-01'))).toEqual([[1, '2026-09-01', '0.05', false]]);
    expect(shape(split('0.10', 'monthly', '2026-08-01'))).toHaveLength(10);
  });
});

describe('late approval: past instalments are caught up on the approval date, never dropped', () => {
  it('semesters approved on 26 Nov: the autumn half is due at once, the spring half on 1 Mar', () => {
    expect(shape(split('4000.00', 'semesters', '2026-11-26'))).toEqual([
      [1, '2026-11-26', '2000.00', true],
      [2, '2027-03-01', '2000.00', false],
    ]);
  });

  it('quarterly approved on 15 Mar: three quarters caught up, the June quarter as planned', () => {
    expect(shape(split('3000.03', 'quarterly', '2027-03-15'))).toEqual([
      [1, '2027-03-15', '2250.03', true],
      [2, '2027-06-01', '750.00', false],
    ]);
  });

  it('approved on a due date: that instalment is on time, not a catch-up', () => {
    expect(shape(split('3000.00', 'semesters', '2026-09-01'))).toEqual([
      [1, '2026-09-01', '1500.00', false],
      [2, '2027-03-01', '1500.00', false],
    ]);
  });

  it('approved in July (after the last monthly date): the whole grant in one catch-up instalment', () => {
    expect(shape(split('5000.00', 'monthly', '2027-07-10'))).toEqual([[1, '2027-07-10', '5000.00', true]]);
    expect(shape(split('5000.00', 'annual', '2027-08-31'))).toEqual([[1, '2027-08-31', '5000.00', true]]);
  });

  it('approval after the year ended is refused', () => {
    expect(() => split('3000.00', 'semesters', '2027-09-01')).toThrow(AcademicYearOverError);
  });
});

describe('properties', () => {
  const yearArb = fc.integer({ min: 2000, max: 2090 }).map((y) => academicYearStartingIn(y) as AcademicYear);
  const dayInYear = (year: AcademicYear) =>
    fc.integer({ min: 0, max: 364 }).map((offset) => {
      const d = new Date(Date.UTC(year.startYear, 8, 1 + offset));
      return formatIsoDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
    });
  const caseArb = yearArb.chain((year) =>
    fc.record({
      year: fc.constant(year),
      fen: fc.bigInt({ min: 1n, max: 99_999_999_999_999n }),
      plan: fc.constantFrom(...INSTALMENT_PLANS),
      // Before the year, inside it (most cases), never after it.
      approvedOn: fc.oneof({ weight: 1, arbitrary: fc.constant(`${year.startYear}-03-15`) }, { weight: 6, arbitrary: dayInYear(year) }),
    }),
  );

  it('instalments add up to the grant to the fen, each ≥ 0.01, due inside the year and not before approval, strictly ordered', () => {
    fc.assert(
      fc.property(caseArb, ({ year, fen, plan, approvedOn }) => {
        const amount = money(fen.toString()).dividedBy(100);
        const items = splitIntoInstalments({ amount, plan, year, approvedOn });
        expect(items.length).toBeGreaterThanOrEqual(1);
        expect(items.length).toBeLessThanOrEqual(planDueDates(plan, year).length);
        expect(sumMoney(items.map((i) => i.amount)).equals(amount)).toBe(true);
        items.forEach((item, i) => {
          expect(item.sequence).toBe(i + 1);
          expect(item.amount.greaterThanOrEqualTo('0.01')).toBe(true);
          expect(item.amount.decimalPlaces()).toBeLessThanOrEqual(2);
          expect(item.dueOn >= academicYearStart(year) && item.dueOn <= academicYearEnd(year)).toBe(true);
          expect(item.dueOn >= approvedOn || approvedOn < academicYearStart(year)).toBe(true);
          if (i > 0) expect(item.dueOn > items[i - 1]!.dueOn).toBe(true);
          // Only the first can be a catch-up.
          if (i > 0) expect(item.catchUp).toBe(false);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('approval later never lowers what the student gets, and instalments after approval keep their planned amounts', () => {
    fc.assert(
      fc.property(caseArb, ({ year, fen, plan, approvedOn }) => {
        const amount = money(fen.toString()).dividedBy(100);
        const onTime = splitIntoInstalments({ amount, plan, year, approvedOn: `${year.startYear}-08-31` });
        const late = splitIntoInstalments({ amount, plan, year, approvedOn });
        const planned = new Map(onTime.map((i) => [i.dueOn, formatMoney(i.amount)]));
        for (const item of late.filter((i) => !i.catchUp && i.dueOn > approvedOn)) expect(formatMoney(item.amount)).toBe(planned.get(item.dueOn));
        expect(sumMoney(late.map((i) => i.amount)).equals(sumMoney(onTime.map((i) => i.amount)))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses any approval after the year', () => {
    fc.assert(
      fc.property(yearArb, fc.integer({ min: 1, max: 400 }), (year, after) => {
        const d = new Date(Date.UTC(year.endYear, 7, 31 + after));
        const approvedOn = formatIsoDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
        expect(() => splitIntoInstalments({ amount: money('3000.00'), plan: 'semesters', year, approvedOn })).toThrow(AcademicYearOverError);
      }),
    );
  });
});
