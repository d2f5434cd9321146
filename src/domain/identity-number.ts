// Resident identity numbers (公民身份号码, GB 11643-1999): 6-digit address code (GB/T 2260),
// 8-digit birth date (YYYYMMDD), 3-digit sequence (odd = male, even = female), 1 check character
// (ISO 7064 MOD 11-2: 0–9 or X).
//
// Identity numbers are personal data. Nothing here ever puts the number, or part of it, into a reason
// or message: failures are a bare reason code, so they can be logged and shown safely.
import { formatIsoDate, isIsoDate, isRealDate, type IsoDate } from './calendar-date.ts';
import { isKnownRegionCode } from './regions.ts';

/** ISO 7064 MOD 11-2 weights for the 17 body digits: 2^(17-i) mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character for each value of (weighted sum mod 11). */
const CHECK_CHARACTERS = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'] as const;

/** Birth dates before this year are refused: no living student was born earlier, so it is a typo. */
export const EARLIEST_BIRTH_YEAR = 1900;

export type IdentityNumberFailure = 'length' | 'characters' | 'check_digit' | 'birth_date' | 'region';

export interface IdentityNumberInfo {
  /** The 18 characters with a lowercase x turned into X: the one form stored and compared. */
  normalised: string;
  birthDate: IsoDate;
  regionCode: string;
  sex: 'male' | 'female';
}

export type IdentityNumberResult = { ok: true; value: IdentityNumberInfo } | { ok: false; reason: IdentityNumberFailure };

/** Messages for people, per failure: Simplified Chinese with English beside. No number inside. */
export const IDENTITY_NUMBER_FAILURE_MESSAGES: Readonly<Record<IdentityNumberFailure, { zh: string; en: string }>> = Object.freeze({
  length: { zh: '身份证号码应为18位', en: 'An identity number has 18 characters.' },
  characters: {
    zh: '身份证号码前17位应为数字，最后一位为数字或X',
    en: 'The first 17 characters must be digits and the last a digit or X.',
  },
  check_digit: { zh: '身份证号码校验位不正确', en: 'The check character does not match the other digits.' },
  birth_date: {
    zh: '身份证号码中的出生日期无效（不存在、早于1900年或晚于今天）',
    en: 'The birth date inside the number is not a real date, is before 1900 or is in the future.',
  },
  region: { zh: '身份证号码中的行政区划代码无法识别', en: 'The region code inside the number is not a known code.' },
});

const BODY = /^\d{17}$/;
const FULL = /^\d{17}[\dX]$/;

/**
 * The check character for 17 body digits. Used to make valid fictional numbers for demo data and
 * tests. Throws a RangeError when given anything but 17 digits (a programming error, not user input).
 */
export function computeCheckCharacter(body17: string): string {
  if (typeof body17 !== 'string' || !BODY.test(body17)) throw new RangeError('expected exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/**
 * Builds a number from its parts: region code (6 digits), birth date ('YYYY-MM-DD'), sequence (0–999;
 * odd for a male, even for a female). For demo data and tests; the result still has to pass
 * `parseIdentityNumber` (the parts are not checked here beyond their shape). Throws a RangeError on
 * malformed parts.
 */
export function makeIdentityNumber(regionCode: string, birthDate: IsoDate, sequence: number): string {
  if (!/^\d{6}$/.test(regionCode)) throw new RangeError('region code must be 6 digits');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) throw new RangeError('birth date must be YYYY-MM-DD');
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) throw new RangeError('sequence must be 0–999');
  const body = regionCode + birthDate.replaceAll('-', '') + String(sequence).padStart(3, '0');
  return body + computeCheckCharacter(body);
}

/**
 * Validates and reads an identity number. Surrounding whitespace is ignored (lists pasted from
 * spreadsheets carry it); a lowercase x is accepted and normalised to X. Checks, in this order, so the
 * reason names the most likely mistake: length, characters, check character, birth date (a real day,
 * from 1900 up to and including `today`), region code (see regions.ts for what is "known").
 * Never throws. `today` is a 'YYYY-MM-DD' date supplied by the caller so the result does not depend
 * on the clock; an invalid `today` makes every birth date fail rather than pass.
 */
export function parseIdentityNumber(input: unknown, today: IsoDate): IdentityNumberResult {
  if (typeof input !== 'string') return { ok: false, reason: 'characters' };
  const text = input.trim();
  // Length counts code points so that a stray non-ASCII character is 'characters', not 'length'.
  if ([...text].length !== 18) return { ok: false, reason: 'length' };
  const normalised = text.slice(0, 17) + (text[17] === 'x' ? 'X' : text.slice(17));
  if (!FULL.test(normalised)) return { ok: false, reason: 'characters' };
  if (computeCheckCharacter(normalised.slice(0, 17)) !== normalised[17]) return { ok: false, reason: 'check_digit' };

  const year = Number(normalised.slice(6, 10));
  const month = Number(normalised.slice(10, 12));
  const day = Number(normalised.slice(12, 14));
  if (!isRealDate(year, month, day) || year < EARLIEST_BIRTH_YEAR) return { ok: false, reason: 'birth_date' };
  const birthDate = formatIsoDate({ year, month, day });
  if (!isIsoDate(today) || birthDate > today) {
    return { ok: false, reason: 'birth_date' };
  }

  const regionCode = normalised.slice(0, 6);
  if (!isKnownRegionCode(regionCode)) return { ok: false, reason: 'region' };

  const sex = Number(normalised[16]) % 2 === 1 ? 'male' : 'female';
  return { ok: true, value: { normalised, birthDate, regionCode, sex } };
}

/** True when `input` is a valid identity number as of `today`. */
export function isValidIdentityNumber(input: unknown, today: IsoDate): boolean {
  return parseIdentityNumber(input, today).ok;
}
