import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskBankAccount, maskChineseName, maskIdentityNumber, maskPhone } from '../../src/domain/masking.ts';
import { makeIdentityNumber } from '../../src/domain/identity-number.ts';

describe('maskIdentityNumber', () => {
  it.each([
    ['630102200605041234', '630102********1234'],
    ['11010519491231002X', '110105********002X'],
    ['11010519491231002x', '110105********002x'],
    [' 630102200605041234 ', '630102********1234'],
    ['', ''],
    ['6301022006050412', '****************'],
    ['6301022006050412345', '*******************'],
    ['630102060504123', '***************'],
  ])('%j → %j', (input, expected) => {
    expect(maskIdentityNumber(input)).toBe(expected);
  });

  it('hides the birth date and sequence of every valid number and keeps its length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 20000 }), (seq, days) => {
        const birth = new Date(Date.UTC(1990, 0, 1 + days)).toISOString().slice(0, 10);
        const n = makeIdentityNumber('632123', birth, seq);
        const masked = maskIdentityNumber(n);
        expect(masked).toHaveLength(18);
        expect(masked.slice(6, 14)).toBe('********');
        expect(masked.slice(0, 6) + masked.slice(14)).toBe(n.slice(0, 6) + n.slice(14));
      }),
    );
  });

  it('tolerates null and undefined', () => {
    expect(maskIdentityNumber(undefined as unknown as string)).toBe('');
    expect(maskIdentityNumber(null as unknown as string)).toBe('');
  });
});

describe('maskBankAccount', () => {
  it.each([
    ['6222021234567891234', '***************1234'],
    ['6222 0212 3456 7891 234', '***************1234'],
    ['6222-0212-3456-7890', '************7890'],
    ['62220212', '****0212'],
    ['6222021', '*******'],
    ['1234', '****'],
    ['12', '**'],
    ['', ''],
    ['   ', ''],
  ])('%j → %j', (input, expected) => {
    expect(maskBankAccount(input)).toBe(expected);
  });

  it('never shows more than the last 4 and always hides at least half', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{0,30}$/), (digits) => {
        const masked = maskBankAccount(digits);
        expect(masked).toHaveLength(digits.length);
        const shown = masked.replace(/\*/g, '').length;
        expect(shown).toBeLessThanOrEqual(4);
        expect(shown * 2).toBeLessThanOrEqual(digits.length);
        expect(digits.endsWith(masked.replace(/\*/g, ''))).toBe(true);
      }),
    );
  });
});

describe('maskChineseName', () => {
  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['欧阳修', '欧**'],
    ['才让卓玛', '才***'],
    ['阿依古丽·买买提', '阿*******'],
    ['𠮷野家', '𠮷**'], // a character outside the BMP counts once
    ['张', '*'],
    [' 李四 ', '李*'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(maskChineseName(input)).toBe(expected);
  });

  it('keeps the number of characters and only the first one', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-ascii', minLength: 2, maxLength: 8 }).filter((s) => s.trim() === s),
        (name) => {
          const masked = maskChineseName(name);
          expect([...masked]).toHaveLength([...name].length);
          expect(masked.slice(1)).toMatch(/^\*+$/);
        },
      ),
    );
  });
});

describe('maskPhone', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['138 1234 5678', '138****5678'],
    ['138-1234-5678', '138****5678'],
    ['+8613812345678', '138****5678'],
    ['008613812345678', '138****5678'],
    ['0971-8123456', '*******3456'],
    ['09718123456', '*******3456'], // 11 digits but not a mobile number: last 4 only
    ['8123456', '*******'],
    ['110', '***'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });
});
