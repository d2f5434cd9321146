import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  computeCheckCharacter,
  IDENTITY_NUMBER_FAILURE_MESSAGES,
  isValidIdentityNumber,
  makeIdentityNumber,
  parseIdentityNumber,
} from '../../src/domain/identity-number.ts';
import { isKnownRegionCode, lookupRegion, prefectureOf, PROVINCES, provinceOf, QINGHAI_REGIONS, regionFullName, regionName } from '../../src/domain/regions.ts';
import { daysInMonth, formatIsoDate } from '../../src/domain/calendar-date.ts';

const TODAY = '2026-01-15';

/** Rebuilds a number with a correct check character, so a test isolates a later rule. */
function withCheck(body17: string): string {
  return body17 + computeCheckCharacter(body17);
}

describe('computeCheckCharacter (ISO 7064 MOD 11-2)', () => {
  it('matches the worked example of GB 11643-1999', () => {
    // 11010519491231002X is the example number printed in the standard.
    expect(computeCheckCharacter('11010519491231002')).toBe('X');
  });

  it('produces every possible check character', () => {
    const seen = new Set<string>();
    for (let seq = 0; seq < 200; seq++) seen.add(makeIdentityNumber('630102', '2006-05-04', seq).slice(17));
    expect([...seen].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']);
  });

  it.each(['', '1234567890123456', '123456789012345678', '1234567890123456a', 12345])('refuses %s', (bad) => {
    expect(() => computeCheckCharacter(bad as string)).toThrow(RangeError);
  });
});

describe('parseIdentityNumber: valid numbers', () => {
  it('reads birth date, region and sex from the standard example', () => {
    expect(parseIdentityNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      value: { normalised: '11010519491231002X', birthDate: '1949-12-31', regionCode: '110105', sex: 'female' },
    });
  });

  it('accepts a lowercase x and normalises it to X', () => {
    const result = parseIdentityNumber('11010519491231002x', TODAY);
    expect(result.ok && result.value.normalised).toBe('11010519491231002X');
  });

  it('ignores surrounding whitespace', () => {
    const n = makeIdentityNumber('632123', '2005-09-01', 123);
    expect(parseIdentityNumber(`  ${n}\t`, TODAY)).toMatchObject({ ok: true, value: { normalised: n } });
  });

  it.each([
    [1, 'male'],
    [3, 'male'],
    [999, 'male'],
    [0, 'female'],
    [2, 'female'],
    [998, 'female'],
  ] as const)('sequence %i is %s (17th digit odd = male)', (seq, sex) => {
    const r = parseIdentityNumber(makeIdentityNumber('630102', '2006-05-04', seq), TODAY);
    expect(r.ok && r.value.sex).toBe(sex);
  });

  it('accepts a birth date of today, of 1900-01-01 and of 29 February in a leap year', () => {
    expect(isValidIdentityNumber(makeIdentityNumber('630102', TODAY, 1), TODAY)).toBe(true);
    expect(isValidIdentityNumber(makeIdentityNumber('630102', '1900-01-01', 1), TODAY)).toBe(true);
    expect(isValidIdentityNumber(makeIdentityNumber('630102', '2008-02-29', 1), TODAY)).toBe(true);
    expect(isValidIdentityNumber(makeIdentityNumber('630102', '2000-02-29', 1), TODAY)).toBe(true);
  });
});

describe('parseIdentityNumber: each failure reason', () => {
  const valid = makeIdentityNumber('630102', '2006-05-04', 17);

  it.each([
    ['empty', ''],
    ['17 characters', valid.slice(0, 17)],
    ['19 characters', `${valid}1`],
    ['an old 15-digit number', '630102060504171'],
    ['only whitespace', '   '],
  ])('length: %s', (_label, input) => {
    expect(parseIdentityNumber(input, TODAY)).toEqual({ ok: false, reason: 'length' });
  });

  it.each([
    ['a letter in the body', `${valid.slice(0, 5)}A${valid.slice(6)}`],
    ['a check character other than 0-9/X', `${valid.slice(0, 17)}Y`],
    ['an X inside the body', `X${valid.slice(1)}`],
    ['a full-width digit', `${valid.slice(0, 17)}１`],
    ['a space inside', `${valid.slice(0, 8)} ${valid.slice(9)}`],
    ['a hyphen inside', `${valid.slice(0, 6)}-${valid.slice(7)}`],
  ])('characters: %s', (_label, input) => {
    expect(parseIdentityNumber(input, TODAY)).toEqual({ ok: false, reason: 'characters' });
  });

  it.each([null, undefined, 630102200605041234, {}])('characters: not a string (%s)', (input) => {
    expect(parseIdentityNumber(input, TODAY)).toEqual({ ok: false, reason: 'characters' });
  });

  it('check_digit: a wrong last character', () => {
    const wrong = valid.slice(17) === '0' ? '1' : '0';
    expect(parseIdentityNumber(valid.slice(0, 17) + wrong, TODAY)).toEqual({ ok: false, reason: 'check_digit' });
  });

  it.each([
    ['30 February', '63010220060230001'],
    ['31 April', '63010220060431001'],
    ['29 February in a common year', '63010220070229001'],
    ['29 February 1900 (not a leap year)', '63010219000229001'],
    ['month 13', '63010220061301001'],
    ['month 00', '63010220060001001'],
    ['day 00', '63010220060500001'],
    ['before 1900', '63010218991231001'],
    ['tomorrow', '63010220260116001'],
    ['next year', '63010220270101001'],
  ])('birth_date: %s', (_label, body) => {
    expect(parseIdentityNumber(withCheck(body), TODAY)).toEqual({ ok: false, reason: 'birth_date' });
  });

  it('birth_date: the 1880 example of the standard has a valid check digit but is before 1900', () => {
    expect(parseIdentityNumber('440524188001010014', TODAY)).toEqual({ ok: false, reason: 'birth_date' });
  });

  it('birth_date: an invalid `today` fails closed', () => {
    expect(parseIdentityNumber(valid, 'not a date')).toEqual({ ok: false, reason: 'birth_date' });
    expect(parseIdentityNumber(valid, '')).toEqual({ ok: false, reason: 'birth_date' });
  });

  it.each([
    ['the province code 630000', '630000'],
    ['an unused Qinghai code', '632199'],
    ['an unused Qinghai prefecture', '632900'],
    ['an unknown province prefix', '990101'],
    ['prefix 00', '000101'],
    ['Taiwan (no county codes)', '710101'],
    ['Hong Kong residence permit', '810000'],
    ['Taiwan residence permit', '830000'],
    ['a Beijing code with prefecture digits 00', '110005'],
    ['Beijing province code', '110000'],
  ])('region: %s', (_label, region) => {
    expect(parseIdentityNumber(makeIdentityNumber(region, '2006-05-04', 17), TODAY)).toEqual({ ok: false, reason: 'region' });
  });

  it('reports the check character before the birth date (the likelier typo)', () => {
    const body = '63010220060230001';
    const wrong = computeCheckCharacter(body) === '0' ? '1' : '0';
    expect(parseIdentityNumber(body + wrong, TODAY)).toEqual({ ok: false, reason: 'check_digit' });
  });

  it('never puts the number into a failure', () => {
    const failures = [
      parseIdentityNumber(`${valid.slice(0, 17)}Y`, TODAY),
      parseIdentityNumber(withCheck('63010218991231001'), TODAY),
      parseIdentityNumber(makeIdentityNumber('632199', '2006-05-04', 17), TODAY),
    ];
    for (const f of failures) {
      expect(Object.keys(f).sort()).toEqual(['ok', 'reason']);
      expect(JSON.stringify(f)).not.toMatch(/\d{4}/);
    }
  });

  it('has a Chinese and an English message for every reason, none of them with digits of a number', () => {
    for (const [reason, m] of Object.entries(IDENTITY_NUMBER_FAILURE_MESSAGES)) {
      expect(m.zh, reason).toMatch(/[\u4e00-\u9fff]/);
      expect(m.en.length, reason).toBeGreaterThan(10);
    }
  });
});

describe('parseIdentityNumber: properties', () => {
  const knownQinghai = QINGHAI_REGIONS.filter((r) => r.level !== 'province').map((r) => r.code);
  const otherProvince = fc
    .tuple(
      fc.constantFrom(...PROVINCES.filter((p) => p.hasCountyCodes && p.prefix !== '63').map((p) => p.prefix)),
      fc.integer({ min: 1, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
    )
    .map(([p, pref, county]) => p + String(pref).padStart(2, '0') + String(county).padStart(2, '0'));
  const region = fc.oneof(fc.constantFrom(...knownQinghai), otherProvince);
  const birthDate = fc
    .record({ year: fc.integer({ min: 1900, max: 2025 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
    .map(({ year, month, day }) => formatIsoDate({ year, month, day: Math.min(day, daysInMonth(year, month)) }));
  const sequence = fc.integer({ min: 0, max: 999 });
  const validNumber = fc.tuple(region, birthDate, sequence).map(([r, b, s]) => ({ r, b, s, n: makeIdentityNumber(r, b, s) }));

  it('every generated valid number passes and reads back its parts', () => {
    fc.assert(
      fc.property(validNumber, ({ r, b, s, n }) => {
        const result = parseIdentityNumber(n, TODAY);
        expect(result).toEqual({
          ok: true,
          value: { normalised: n, birthDate: b, regionCode: r, sex: s % 2 === 1 ? 'male' : 'female' },
        });
      }),
      { numRuns: 500 },
    );
  });

  it('changing any single character of a valid number is caught by the check character', () => {
    const digitsAndX = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'];
    fc.assert(
      fc.property(validNumber, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 10 }), ({ n }, pos, shift) => {
        // Position 17 may take X; positions 0-16 only digits.
        const alphabet = pos === 17 ? digitsAndX : digitsAndX.slice(0, 10);
        const current = alphabet.indexOf(n[pos]!);
        const replacement = alphabet[(current + shift) % alphabet.length]!;
        fc.pre(replacement !== n[pos]);
        const mutated = n.slice(0, pos) + replacement + n.slice(pos + 1);
        expect(parseIdentityNumber(mutated, TODAY)).toEqual({ ok: false, reason: 'check_digit' });
      }),
      { numRuns: 1000 },
    );
  });

  it('swapping two different adjacent digits is caught by the check character', () => {
    fc.assert(
      fc.property(validNumber, fc.integer({ min: 0, max: 16 }), ({ n }, pos) => {
        const a = n[pos]!;
        const b = n[pos + 1]!;
        fc.pre(a !== b && b !== 'X');
        const swapped = n.slice(0, pos) + b + a + n.slice(pos + 2);
        expect(parseIdentityNumber(swapped, TODAY)).toEqual({ ok: false, reason: 'check_digit' });
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 24 }), fc.stringMatching(/^\d{17}[\dXx]$/), fc.anything()), (input) => {
        const r = parseIdentityNumber(input, TODAY);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('regions', () => {
  it('has unique 6-digit 63 codes in the Qinghai table', () => {
    const codes = QINGHAI_REGIONS.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^63\d{4}$/);
  });

  it('lists the 44 current county-level divisions of Qinghai (GB/T 2260) and 8 prefectures', () => {
    const current = QINGHAI_REGIONS.filter((r) => r.current && r.source === 'gb2260');
    expect(current.filter((r) => r.level === 'county')).toHaveLength(44);
    expect(current.filter((r) => r.level === 'prefecture').map((r) => r.code)).toEqual([
      '630100',
      '630200',
      '632200',
      '632300',
      '632500',
      '632600',
      '632700',
      '632800',
    ]);
  });

  it('puts every county under a prefecture of the table', () => {
    for (const r of QINGHAI_REGIONS.filter((x) => x.level === 'county')) {
      expect(prefectureOf(r.code), r.code).toBeDefined();
    }
  });

  it.each([
    ['630102', '城东区', '青海省西宁市城东区'],
    ['630106', '湟中区', '青海省西宁市湟中区'],
    ['630203', '平安区', '青海省海东市平安区'],
    ['632301', '同仁市', '青海省黄南藏族自治州同仁市'],
    ['632701', '玉树市', '青海省玉树藏族自治州玉树市'],
    ['632803', '茫崖市', '青海省海西蒙古族藏族自治州茫崖市'],
    ['632123', '乐都县', '青海省海东地区乐都县'],
    ['630122', '湟中县', '青海省西宁市湟中县'],
    ['632100', '海东地区', '青海省海东地区'],
  ])('names %s', (code, name, full) => {
    expect(regionName(code)).toBe(name);
    expect(regionFullName(code)).toBe(full);
    expect(isKnownRegionCode(code)).toBe(true);
  });

  it('marks former codes as not current but still accepts them in identity numbers', () => {
    for (const code of ['632123', '632121', '630221', '632321', '632721', '630122', '632124']) {
      expect(lookupRegion(code)?.current, code).toBe(false);
      expect(isValidIdentityNumber(makeIdentityNumber(code, '2004-07-01', 5), TODAY), code).toBe(true);
    }
  });

  it('has the 34 province-level divisions with their names', () => {
    expect(PROVINCES).toHaveLength(34);
    expect(new Set(PROVINCES.map((p) => p.prefix)).size).toBe(34);
    expect(provinceOf('630102')).toEqual({ code: '630000', prefix: '63', name: '青海省' });
    expect(provinceOf('110105')?.name).toBe('北京市');
    expect(provinceOf('650102')?.name).toBe('新疆维吾尔自治区');
    expect(provinceOf('820000')?.name).toBe('澳门特别行政区');
    expect(provinceOf('990101')).toBeUndefined();
    expect(provinceOf('6301')).toBeUndefined();
  });

  it('names province codes and nothing it does not know', () => {
    expect(regionName('630000')).toBe('青海省');
    expect(regionName('440000')).toBe('广东省');
    expect(regionName('440305')).toBeUndefined();
    expect(regionFullName('440305')).toBe('广东省');
    expect(regionFullName('990101')).toBeUndefined();
    expect(regionName('abc')).toBeUndefined();
  });

  it('applies the structural rule outside Qinghai', () => {
    expect(isKnownRegionCode('110105')).toBe(true);
    expect(isKnownRegionCode('429004')).toBe(true); // 省直辖县级 codes use 90 in digits 3–4
    expect(isKnownRegionCode('110000')).toBe(false);
    expect(isKnownRegionCode('110001')).toBe(false);
    expect(isKnownRegionCode('11010')).toBe(false);
    expect(isKnownRegionCode('1101051')).toBe(false);
  });
});
