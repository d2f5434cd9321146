import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ACADEMIC_YEAR_START_MONTH,
  academicYearContaining,
  academicYearEnd,
  academicYearStart,
  academicYearStartingIn,
  ageOn,
  birthdayInYear,
  formatAcademicYear,
  isAcademicYearLabel,
  isWithinAcademicYear,
  parseAcademicYear,
  type AcademicYear,
} from '../../src/domain/academic-year.ts';
import { compareIsoDates, daysInMonth, formatIsoDate, isIsoDate, isLeapYear, parseIsoDate } from '../../src/domain/calendar-date.ts';

function year(label: string): AcademicYear {
  const r = parseAcademicYear(label);
  if (!r.ok) throw new Error(`bad test label ${label}`);
  return r.value;
}

const isoDate = fc
  .record({ year: fc.integer({ min: 1902, max: 2099 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
  .map(({ year: y, month, day }) => formatIsoDate({ year: y, month, day: Math.min(day, daysInMonth(y, month)) }));

describe('calendar dates', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2025-04-31', false],
    ['2025-12-31', true],
    ['2025-13-01', false],
    ['2025-00-10', false],
    ['2025-1-01', false],
    ['20250101', false],
    [' 2025-01-01', false],
    ['2025-01-01T00:00:00Z', false],
  ])('isIsoDate(%s) is %s', (text, expected) => {
    expect(isIsoDate(text)).toBe(expected);
  });

  it('knows leap years', () => {
    expect([1900, 2000, 2004, 2023, 2024, 2100].map(isLeapYear)).toEqual([false, true, true, false, true, false]);
  });

  it('round-trips and orders like dates', () => {
    fc.assert(
      fc.property(isoDate, isoDate, (a, b) => {
        expect(formatIsoDate(parseIsoDate(a)!)).toBe(a);
        const pa = parseIsoDate(a)!;
        const pb = parseIsoDate(b)!;
        const byParts = Math.sign(pa.year - pb.year || pa.month - pb.month || pa.day - pb.day);
        expect(compareIsoDates(a, b)).toBe(byParts);
      }),
    );
  });

  it('refuses non-strings', () => {
    expect(parseIsoDate(20250101)).toBeUndefined();
    expect(parseIsoDate(null)).toBeUndefined();
  });
});

describe('academic year labels', () => {
  it('starts in September', () => {
    expect(ACADEMIC_YEAR_START_MONTH).toBe(9);
  });

  it('parses and formats 2025-2026', () => {
    expect(parseAcademicYear('2025-2026')).toEqual({ ok: true, value: { startYear: 2025, endYear: 2026, label: '2025-2026' } });
    expect(formatAcademicYear(2025)).toBe('2025-2026');
    expect(formatAcademicYear(year('2024-2025'))).toBe('2024-2025');
  });

  it.each([
    ['2025-2027', 'sequence'],
    ['2025-2025', 'sequence'],
    ['2026-2025', 'sequence'],
    ['2025/2026', 'format'],
    ['2025-26', 'format'],
    ['2025', 'format'],
    [' 2025-2026', 'format'],
    ['2025-2026 ', 'format'],
    ['２０２５-２０２６', 'format'],
    ['', 'format'],
    ['1899-1900', 'range'],
    ['9999-10000', 'format'],
  ])('refuses %j (%s)', (label, reason) => {
    expect(parseAcademicYear(label)).toEqual({ ok: false, reason });
    expect(isAcademicYearLabel(label)).toBe(false);
  });

  it('refuses non-strings', () => {
    expect(parseAcademicYear(2025)).toEqual({ ok: false, reason: 'format' });
    expect(parseAcademicYear(undefined)).toEqual({ ok: false, reason: 'format' });
  });

  it('round-trips every start year in range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 9998 }), (y) => {
        const label = formatAcademicYear(y);
        expect(parseAcademicYear(label)).toEqual({ ok: true, value: academicYearStartingIn(y) });
      }),
    );
  });

  it('builds no year out of range', () => {
    expect(academicYearStartingIn(1899)).toBeUndefined();
    expect(academicYearStartingIn(2025.5)).toBeUndefined();
  });
});

describe('academic year boundaries', () => {
  const y = year('2025-2026');

  it('runs from 1 September to 31 August', () => {
    expect(academicYearStart(y)).toBe('2025-09-01');
    expect(academicYearEnd(y)).toBe('2026-08-31');
  });

  it.each([
    ['2025-08-31', false],
    ['2025-09-01', true],
    ['2026-02-28', true],
    ['2026-08-31', true],
    ['2026-09-01', false],
  ])('%s within 2025-2026: %s', (date, expected) => {
    expect(isWithinAcademicYear(date, y)).toBe(expected);
  });

  it.each([
    ['2025-09-01', '2025-2026'],
    ['2026-08-31', '2025-2026'],
    ['2025-08-31', '2024-2025'],
    ['2026-01-01', '2025-2026'],
  ])('%s is in %s', (date, label) => {
    expect(academicYearContaining(date)?.label).toBe(label);
  });

  it('finds no year for an invalid date', () => {
    expect(academicYearContaining('2025-02-30')).toBeUndefined();
  });

  it('every date lies in exactly the year that contains it, and consecutive years touch', () => {
    fc.assert(
      fc.property(isoDate, (d) => {
        const ay = academicYearContaining(d)!;
        expect(isWithinAcademicYear(d, ay)).toBe(true);
        expect(isWithinAcademicYear(d, academicYearStartingIn(ay.startYear - 1)!)).toBe(false);
        expect(isWithinAcademicYear(d, academicYearStartingIn(ay.startYear + 1)!)).toBe(false);
        const next = academicYearStartingIn(ay.startYear + 1)!;
        expect(academicYearContaining(academicYearEnd(ay))).toEqual(ay);
        expect(academicYearContaining(academicYearStart(next))).toEqual(next);
      }),
    );
  });
});

describe('age on a date', () => {
  it.each([
    ['2007-09-01', '2025-08-31', 17],
    ['2007-09-01', '2025-09-01', 18], // on the 18th birthday itself
    ['2007-09-02', '2025-09-01', 17],
    ['2007-01-01', '2025-09-01', 18],
    ['2007-12-31', '2025-12-30', 17],
    ['2007-12-31', '2025-12-31', 18],
    ['2000-01-01', '2000-01-01', 0],
    ['2000-01-02', '2000-01-01', -1],
  ])('born %s, on %s: %i', (birth, on, age) => {
    expect(ageOn(birth, on)).toBe(age);
  });

  describe('born on 29 February: a year older on 1 March in common years', () => {
    it.each([
      ['2008-02-29', '2026-02-28', 17],
      ['2008-02-29', '2026-03-01', 18],
      ['2008-02-29', '2025-02-28', 16],
      ['2008-02-29', '2025-03-01', 17],
      ['2008-02-29', '2028-02-28', 19],
      ['2008-02-29', '2028-02-29', 20], // leap year: the real birthday
    ])('born %s, on %s: %i', (birth, on, age) => {
      expect(ageOn(birth, on)).toBe(age);
    });

    it('has the 18th birthday on 1 March 2026', () => {
      expect(birthdayInYear('2008-02-29', 18)).toBe('2026-03-01');
      expect(birthdayInYear('2008-02-29', 20)).toBe('2028-02-29');
      expect(birthdayInYear('2007-02-28', 18)).toBe('2025-02-28');
    });
  });

  it('is undefined for invalid dates', () => {
    expect(ageOn('2007-02-30', '2025-09-01')).toBeUndefined();
    expect(ageOn('2007-02-01', 'soon')).toBeUndefined();
    expect(birthdayInYear('nope', 18)).toBeUndefined();
  });

  it('goes up by exactly one on each birthday and never otherwise', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 1, max: 80 }), (birth, n) => {
        const birthday = birthdayInYear(birth, n)!;
        fc.pre(isIsoDate(birthday));
        const before = formatIsoDate(previousDay(parseIsoDate(birthday)!));
        expect(ageOn(birth, birthday)).toBe(n);
        expect(ageOn(birth, before)).toBe(n - 1);
      }),
    );
  });
});

function previousDay(d: { year: number; month: number; day: number }): { year: number; month: number; day: number } {
  if (d.day > 1) return { ...d, day: d.day - 1 };
  if (d.month > 1) return { year: d.year, month: d.month - 1, day: daysInMonth(d.year, d.month - 1) };
  return { year: d.year - 1, month: 12, day: 31 };
}
