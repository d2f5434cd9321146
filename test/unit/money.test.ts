import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { CURRENCY, MAX_AMOUNT, ZERO, formatMoney, formatYuan, hasFenPrecision, isPositive, money, parseMoney, sumMoney } from '../../src/domain/money.ts';

function parsed(text: string): string {
  const result = parseMoney(text);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse, got ${result.reason}`);
  return result.value.toFixed(2);
}

describe('parseMoney — accepted', () => {
  it.each([
    ['3500', '3500.00'],
    ['3500.5', '3500.50'],
    ['3500.00', '3500.00'],
    ['0', '0.00'],
    ['0.01', '0.01'],
    ['0.5', '0.50'],
    ['-5', '-5.00'],
    ['-0.01', '-0.01'],
    ['999999999999.99', '999999999999.99'],
    ['-999999999999.99', '-999999999999.99'],
  ])('%j → %s', (text, expected) => {
    expect(parsed(text)).toBe(expected);
  });

  it('returns an exact decimal, never a float', () => {
    const result = parseMoney('0.10');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toBeInstanceOf(Decimal);
    expect(result.value.equals(new Decimal('0.1'))).toBe(true);
  });

  it('keeps the sign of a negative amount (positivity is the caller’s rule)', () => {
    const result = parseMoney('-3500.25');
    expect(result.ok && result.value.isNegative()).toBe(true);
  });
});

describe('parseMoney — refused with a reason', () => {
  it.each([
    // More than two decimals is refused, not rounded (a dropped fen is a lost fen).
    ['1.234', 'scale'],
    ['1.005', 'scale'],
    ['0.001', 'scale'],
    ['3500.000', 'scale'],
    ['-1.234', 'scale'],
    ['1.23456789', 'scale'],
    // More than twelve integer digits does not fit NUMERIC(14,2).
    ['1000000000000', 'range'],
    ['1000000000000.00', 'range'],
    ['-1000000000000', 'range'],
    ['99999999999999999999', 'range'],
    // Everything else is a format problem.
    ['', 'format'],
    ['abc', 'format'],
    ['01', 'format'],
    ['00', 'format'],
    ['007.50', 'format'],
    ['-01', 'format'],
    ['1e3', 'format'],
    ['1E3', 'format'],
    ['1e-2', 'format'],
    ['1.5e2', 'format'],
    [' 1', 'format'],
    ['1 ', 'format'],
    ['1\n', 'format'],
    ['\t1.00', 'format'],
    ['1 000', 'format'],
    ['1,000.00', 'format'],
    ['1.', 'format'],
    ['.5', 'format'],
    ['+1', 'format'],
    ['--1', 'format'],
    ['0x10', 'format'],
    ['NaN', 'format'],
    ['Infinity', 'format'],
    ['-Infinity', 'format'],
    ['１２', 'format'],
    ['１.００', 'format'],
    ['٣', 'format'],
    ['1.2.3', 'format'],
  ])('%j → %s', (text, reason) => {
    expect(parseMoney(text)).toEqual({ ok: false, reason });
  });

  it('refuses values that are not strings (JSON numbers) as format', () => {
    expect(parseMoney(3500 as unknown as string)).toEqual({ ok: false, reason: 'format' });
    expect(parseMoney(null as unknown as string)).toEqual({ ok: false, reason: 'format' });
  });

  it('accepts the largest NUMERIC(14,2) amount and nothing above it', () => {
    expect(parsed(MAX_AMOUNT.toFixed(2))).toBe('999999999999.99');
    expect(parseMoney(MAX_AMOUNT.plus('0.01').toFixed(2))).toEqual({ ok: false, reason: 'range' });
  });

  it('never rounds: any third decimal digit, even zero, is refused', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 999_999_999_999n }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 9 }), (units, cents, extra) => {
        const text = `${units}.${String(cents).padStart(2, '0')}${extra}`;
        expect(parseMoney(text)).toEqual({ ok: false, reason: 'scale' });
      }),
    );
  });
});

describe('formatMoney', () => {
  it.each([
    ['3500', '3500.00'],
    ['3500.5', '3500.50'],
    ['0', '0.00'],
    ['0.1', '0.10'],
    ['-1.5', '-1.50'],
    ['999999999999.99', '999999999999.99'],
  ])('%j → %s', (input, expected) => {
    expect(formatMoney(input)).toBe(expected);
    expect(formatMoney(new Decimal(input))).toBe(expected);
  });

  it('always writes exactly two decimals', () => {
    for (const value of ['1', '1.1', '1.10', '12345678901.2']) expect(formatMoney(value)).toMatch(/^-?\d+\.\d{2}$/);
  });

  it.each(['0.001', '1.005', '-0.015', '3500.0000001'])('throws on a fraction of a fen (%s) instead of rounding', (value) => {
    expect(() => formatMoney(value)).toThrow(RangeError);
    expect(() => formatMoney(new Decimal(value))).toThrow(/more than two decimals/);
  });

  it('accepts trailing zeros beyond the fen, which are not fractions of a fen', () => {
    expect(formatMoney(new Decimal('1.2300'))).toBe('1.23');
  });
});

describe('sumMoney', () => {
  it('adds 0.1 and 0.2 to exactly 0.30 (floats do not)', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    const total = sumMoney(['0.1', '0.2']);
    expect(total.equals(new Decimal('0.3'))).toBe(true);
    expect(formatMoney(total)).toBe('0.30');
  });

  it('adds one fen a million times to exactly 10000.00', () => {
    const total = sumMoney(Array.from({ length: 1_000_000 }, () => '0.01'));
    expect(total.equals(10000)).toBe(true);
    expect(formatMoney(total)).toBe('10000.00');
  });

  it('adds Decimals and strings, accepts any iterable, and sums nothing to zero', () => {
    function* gen() {
      yield money('1.11');
      yield '2.22';
      yield new Decimal('-0.33');
    }
    expect(formatMoney(sumMoney(gen()))).toBe('3.00');
    expect(sumMoney([]).equals(ZERO)).toBe(true);
  });

  it('sums the largest amounts without losing a fen', () => {
    const total = sumMoney(Array.from({ length: 1000 }, () => MAX_AMOUNT));
    expect(formatMoney(total)).toBe('999999999999990.00');
  });

  it('is exact for any list of fen amounts (compared with bigint fen arithmetic)', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -99_999_999_999_999n, max: 99_999_999_999_999n }), { maxLength: 50 }), (fens) => {
        const expected = fens.reduce((a, b) => a + b, 0n);
        const total = sumMoney(fens.map((f) => new Decimal(f.toString()).dividedBy(100)));
        expect(total.times(100).toFixed(0)).toBe(expected.toString());
      }),
    );
  });
});

describe('helpers', () => {
  it('CNY is the only currency', () => {
    expect(CURRENCY).toBe('CNY');
  });

  it('isPositive is strictly greater than zero', () => {
    expect(isPositive(money('0.01'))).toBe(true);
    expect(isPositive(ZERO)).toBe(false);
    expect(isPositive(money('-0.01'))).toBe(false);
  });

  it('hasFenPrecision is true for at most two decimals', () => {
    expect(hasFenPrecision(money('1.23'))).toBe(true);
    expect(hasFenPrecision(money('1'))).toBe(true);
    expect(hasFenPrecision(money('1.001'))).toBe(false);
  });
});

describe('round trip', () => {
  /** A fen amount written as the wire form: sign, integer part without leading zeros, two decimals. */
  const fenText = (fen: bigint) => {
    const negative = fen < 0n;
    const abs = negative ? -fen : fen;
    return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  };

  it('formatMoney(parseMoney(s)) returns s for every fen amount in range', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -99_999_999_999_999n, max: 99_999_999_999_999n }), (fen) => {
        const text = fenText(fen);
        const result = parseMoney(text);
        expect(result.ok).toBe(true);
        if (result.ok) expect(formatMoney(result.value)).toBe(text);
      }),
    );
  });

  it('short forms (no or one decimal) parse to the same amount and format with two decimals', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 999_999_999_999n }), fc.integer({ min: 0, max: 9 }), (units, tenths) => {
        expect(formatMoney((parseMoney(`${units}`) as { value: Decimal }).value)).toBe(`${units}.00`);
        expect(formatMoney((parseMoney(`${units}.${tenths}`) as { value: Decimal }).value)).toBe(`${units}.${tenths}0`);
      }),
    );
  });
});

describe('formatYuan', () => {
  it('groups thousands, keeps two decimals, puts the minus first, never goes through a float', () => {
    expect(formatYuan('540000')).toBe('¥540,000.00');
    expect(formatYuan('840000.5')).toBe('¥840,000.50');
    expect(formatYuan('0')).toBe('¥0.00');
    expect(formatYuan('999')).toBe('¥999.00');
    expect(formatYuan('1000')).toBe('¥1,000.00');
    expect(formatYuan('-3570')).toBe('-¥3,570.00');
    expect(formatYuan('999999999999.99')).toBe('¥999,999,999,999.99');
    expect(formatYuan('0.1')).toBe('¥0.10');
  });
});
