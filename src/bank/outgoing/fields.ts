// Checks for the values that go into a bank file. Each returns the value to write, or throws a
// BankFileError naming the field; values are checked, never repaired (no trimming, no stripping of
// spaces from account numbers): a silently changed name or account is a payment to the wrong person
// or a payment the bank bounces days later.
import { type Money, formatMoney, hasFenPrecision, isPositive, money, parseMoney } from '../../domain/money.ts';
import { isIsoDate, isRealDate } from '../../domain/calendar-date.ts';
import { maskBankAccount, maskChineseName } from '../../domain/masking.ts';
import { BankFileError, type BankFileErrorLocation } from './errors.ts';
import type { AmountInput, BankIdentification } from './types.ts';

/**
 * Characters no text field may hold: control characters (tabs and line breaks included: bank upload
 * tools read one record per line), invisible format characters (zero-width spaces, bidi marks, BOM:
 * an invisible character in a name makes it differ from the bank's 户名), lone surrogates and the two
 * non-characters XML 1.0 forbids.
 */
const FORBIDDEN_CHAR = /[\p{Cc}\p{Cf}\p{Cs}\uFFFE\uFFFF]/u;

/** How a value may be shown in an error message. Names and accounts are personal data: masked. */
export type Reveal = 'plain' | 'name' | 'account';

function shown(value: string, reveal: Reveal): string {
  if (reveal === 'name') return JSON.stringify(maskChineseName(value));
  if (reveal === 'account') return JSON.stringify(maskBankAccount(value));
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

function codePoints(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/**
 * A single line of text, 1..max characters (code points, as XML Schema counts them), without
 * leading or trailing white space (U+3000 included) and without the characters above.
 */
export function checkText(value: unknown, max: number, where: BankFileErrorLocation, reveal: Reveal = 'plain'): string {
  const problem = textProblem(value, max);
  if (problem === null) return value as string;
  if (problem.kind === 'empty') throw new BankFileError('is empty or not a string', where);
  throw new BankFileError(`${shown(value as string, reveal)} ${problem.says}`, where);
}

/** Why a value cannot be a bank file's text field, in words that never repeat the value; null when it can. */
export type TextProblem = { kind: 'empty' | 'forbidden_character' | 'outer_space' | 'too_long'; says: string };

export function textProblem(value: unknown, max: number): TextProblem | null {
  if (typeof value !== 'string' || value.length === 0) return { kind: 'empty', says: 'is empty' };
  if (FORBIDDEN_CHAR.test(value)) return { kind: 'forbidden_character', says: 'contains a control, invisible or unpaired character' };
  if (/^\s|\s$/u.test(value)) return { kind: 'outer_space', says: 'starts or ends with white space' };
  const length = codePoints(value);
  if (length > max) return { kind: 'too_long', says: `is ${length} characters, at most ${max} allowed` };
  return null;
}

/** An account number as checkAccount takes it (see there). */
export const ACCOUNT_NUMBER_PATTERN = /^[0-9A-Za-z](?:[0-9A-Za-z-]{0,32}[0-9A-Za-z])?$/;

/** Like checkText, for optional fields: undefined stays undefined. */
export function checkOptionalText(value: unknown, max: number, where: BankFileErrorLocation, reveal: Reveal = 'plain'): string | undefined {
  return value === undefined ? undefined : checkText(value, max, where, reveal);
}

/**
 * An account number: 1..34 (ISO 20022 Max34Text) of digits, letters and inner hyphens. Chinese
 * accounts and cards are 16-19 digits; spaces are refused rather than removed (see the file head).
 */
export function checkAccount(value: unknown, where: BankFileErrorLocation): string {
  if (typeof value !== 'string' || !ACCOUNT_NUMBER_PATTERN.test(value)) {
    const what = typeof value === 'string' ? shown(value, 'account') : 'the value';
    throw new BankFileError(`${what} is not an account number (1-34 digits or letters, no spaces)`, where);
  }
  return value;
}

/** IBAN2007Identifier, for the rare debtor account that has one. */
export function checkIban(value: unknown, where: BankFileErrorLocation): string {
  if (typeof value !== 'string' || !/^[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}$/.test(value)) {
    const what = typeof value === 'string' ? shown(value, 'account') : 'the value';
    throw new BankFileError(`${what} is not an IBAN`, where);
  }
  return value;
}

/** BICFIDec2014Identifier: 8 or 11 characters. */
export function checkBic(value: unknown, where: BankFileErrorLocation): string {
  if (typeof value !== 'string' || !/^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/.test(value)) {
    throw new BankFileError(`${typeof value === 'string' ? shown(value, 'plain') : 'the value'} is not a BIC`, where);
  }
  return value;
}

/**
 * A payout amount: positive, at most two decimals, within NUMERIC(14,2). Returns the exact value and
 * its wire form ("3500.00"). Strings go through parseMoney, which refuses "1e3", "3500.001" and
 * friends instead of rounding them.
 */
export function checkAmount(value: AmountInput | unknown, where: BankFileErrorLocation): { value: Money; text: string } {
  let amount: Money;
  if (typeof value === 'string') {
    const parsed = parseMoney(value);
    if (!parsed.ok) throw new BankFileError(`amount ${JSON.stringify(value)} is not a valid amount (${parsed.reason})`, where);
    amount = parsed.value;
  } else if (value !== null && typeof value === 'object' && typeof (value as Money).toFixed === 'function') {
    amount = money(value as Money);
    if (!amount.isFinite() || !hasFenPrecision(amount)) {
      throw new BankFileError(`amount ${amount.toString()} has more than two decimals`, where);
    }
    const reparsed = parseMoney(amount.toFixed(2));
    if (!reparsed.ok) throw new BankFileError(`amount ${amount.toString()} is out of range`, where);
  } else {
    throw new BankFileError('amount must be a decimal string or a Money value, never a JS number', where);
  }
  if (!isPositive(amount)) throw new BankFileError(`amount ${amount.toFixed(2)} is not positive`, where);
  return { value: amount, text: formatMoney(amount) };
}

const DECLARED_COUNT_MAX = 999_999_999_999_999; // Max15NumericText

export function checkDeclaredCount(value: unknown, where: BankFileErrorLocation): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > DECLARED_COUNT_MAX) {
    throw new BankFileError(`declared count ${String(value)} is not a whole number of at least 1`, where);
  }
  return value;
}

/** A bank given in full: each present field checked, and at least one of them present. */
export function checkBank(value: BankIdentification | undefined, where: BankFileErrorLocation): BankIdentification | undefined {
  if (value === undefined) return undefined;
  const field = where.field ?? 'bank';
  const at = (name: string): BankFileErrorLocation => ({ ...where, field: `${field}.${name}` });
  const bank: BankIdentification = {};
  if (value.name !== undefined) bank.name = checkText(value.name, 140, at('name'));
  if (value.bic !== undefined) bank.bic = checkBic(value.bic, at('bic'));
  if (value.clearingMemberId !== undefined) bank.clearingMemberId = checkText(value.clearingMemberId, 35, at('clearingMemberId'));
  if (value.clearingSystem !== undefined) {
    if (bank.clearingMemberId === undefined) throw new BankFileError('a clearing system needs a clearing member id', at('clearingSystem'));
    if (!/^[A-Z0-9]{1,5}$/.test(value.clearingSystem)) {
      throw new BankFileError(`clearing system ${JSON.stringify(value.clearingSystem)} is not a code of 1-5 letters or digits`, at('clearingSystem'));
    }
    bank.clearingSystem = value.clearingSystem;
  }
  if (bank.name === undefined && bank.bic === undefined && bank.clearingMemberId === undefined) {
    throw new BankFileError('a bank needs at least a name, a BIC or a clearing member id', where);
  }
  return bank;
}

// xs:dateTime as ISO 20022 uses it; the offset is optional in the schema, but a creation time
// without one is ambiguous, so it is required here.
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-](?:0\d|1[0-3]):[0-5]\d|[+-]14:00)$/;

export function checkDateTime(value: unknown, where: BankFileErrorLocation): string {
  const m = typeof value === 'string' ? ISO_DATE_TIME.exec(value) : null;
  if (m === null || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new BankFileError(`${JSON.stringify(value)} is not a date-time with offset, e.g. 2025-09-01T09:30:00+08:00`, where);
  }
  return value as string;
}

export function checkDate(value: unknown, where: BankFileErrorLocation): string {
  if (!isIsoDate(value)) throw new BankFileError(`${JSON.stringify(value)} is not a date YYYY-MM-DD`, where);
  return value;
}
