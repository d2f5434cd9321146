import { describe, expect, it } from 'vitest';
import { addBankBusinessDays, bankBusinessDaysBetween, calendarCovers, isBankBusinessDay } from '../../src/domain/bank-business-days.ts';

describe('bank business days', () => {
  it('counts Monday to Friday', () => {
    expect(isBankBusinessDay('2026-12-07')).toBe(true); // Monday
    expect(isBankBusinessDay('2026-12-05')).toBe(false); // Saturday
    expect(addBankBusinessDays('2026-12-03', 3)).toBe('2026-12-08'); // Thursday + 3 → Tuesday
  });

  it('skips public holidays and works the declared weekends', () => {
    expect(isBankBusinessDay('2026-10-05')).toBe(false); // National Day week, a Monday
    expect(isBankBusinessDay('2026-10-10')).toBe(true); // a Saturday worked (调休)
    expect(isBankBusinessDay('2026-02-14')).toBe(true);
    // Sent on the eve of the Spring Festival: three business days later is after the holiday.
    expect(addBankBusinessDays('2026-02-13', 3)).toBe('2026-02-25');
    expect(addBankBusinessDays('2025-09-30', 1)).toBe('2025-10-09');
  });

  it('moves a requested execution date on a closed day to the next business day', () => {
    expect(addBankBusinessDays('2026-12-06', 0)).toBe('2026-12-07');
    expect(addBankBusinessDays('2026-12-07', 0)).toBe('2026-12-07');
  });

  it('counts the business days between two dates', () => {
    expect(bankBusinessDaysBetween('2026-12-04', '2026-12-09')).toBe(3);
    expect(bankBusinessDaysBetween('2026-12-09', '2026-12-04')).toBe(0);
    expect(bankBusinessDaysBetween('2026-09-30', '2026-10-08')).toBe(1);
  });

  it('says which years its holiday calendar covers', () => {
    expect(calendarCovers('2026-01-01')).toBe(true);
    expect(calendarCovers('2031-01-01')).toBe(false);
    expect(() => addBankBusinessDays('2026-12-07', -1)).toThrow(RangeError);
  });
});
