import { describe, expect, it } from 'vitest';
import { inQuarter, latestQuarterOver, parseQuarter, quarterIsOver } from '../../src/domain/quarters.ts';

describe('quarters', () => {
  it('reads a quarter into its first and last day, February of a leap year included', () => {
    expect(parseQuarter('2026Q1')).toEqual({ year: 2026, quarter: 1, label: '2026Q1', startsOn: '2026-01-01', endsOn: '2026-03-31' });
    expect(parseQuarter('2026Q2')).toMatchObject({ startsOn: '2026-04-01', endsOn: '2026-06-30' });
    expect(parseQuarter('2026Q3')).toMatchObject({ startsOn: '2026-07-01', endsOn: '2026-09-30' });
    expect(parseQuarter('2026Q4')).toMatchObject({ startsOn: '2026-10-01', endsOn: '2026-12-31' });
  });

  it('refuses anything else', () => {
    for (const text of ['2026Q0', '2026Q5', '2026-Q1', '2026q1', '26Q1', ' 2026Q1', '1999Q4', '']) expect(parseQuarter(text), text).toBeNull();
  });

  it('is over only after its last day (Beijing date)', () => {
    const q3 = parseQuarter('2026Q3')!;
    expect(quarterIsOver(q3, '2026-09-30')).toBe(false);
    expect(quarterIsOver(q3, '2026-10-01')).toBe(true);
    expect(quarterIsOver(parseQuarter('2026Q4')!, '2026-11-26')).toBe(false);
  });

  it('holds its first and last day', () => {
    const q1 = parseQuarter('2026Q1')!;
    expect(inQuarter(q1, '2026-01-01')).toBe(true);
    expect(inQuarter(q1, '2026-03-31')).toBe(true);
    expect(inQuarter(q1, '2025-12-31')).toBe(false);
    expect(inQuarter(q1, '2026-04-01')).toBe(false);
  });

  it('offers the last quarter that is over, across the new year', () => {
    expect(latestQuarterOver('2026-11-26').label).toBe('2026Q3');
    expect(latestQuarterOver('2026-10-01').label).toBe('2026Q3');
    expect(latestQuarterOver('2026-01-01').label).toBe('2025Q4');
    expect(latestQuarterOver('2026-03-31').label).toBe('2025Q4');
  });
});
