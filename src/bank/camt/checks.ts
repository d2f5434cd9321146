// Field checks shared by the statement and entry builders. Each names the offending value in its
// message; the caller's `fail` adds where in the file it was (element path, line).
import type { CreditDebit } from './types.ts';
import { amountProblem, calendarDateOf, parseCreditDebit, parseXmlBoolean } from './values.ts';

/** Throws a CamtFormatError located at the element being read. */
export type Fail = (message: string) => never;

export function checkAmount(text: string, fail: Fail): string {
  const problem = amountProblem(text);
  if (problem !== undefined) fail(problem);
  return text;
}

export function checkCreditDebit(text: string, fail: Fail): CreditDebit {
  const value = parseCreditDebit(text);
  if (value === undefined) fail(`CdtDbtInd "${text}" is neither CRDT nor DBIT`);
  return value;
}

export function checkDate(text: string, what: string, fail: Fail): string {
  const date = calendarDateOf(text);
  if (date === undefined) fail(`${what} "${text}" is not an ISO date or date-time`);
  return date;
}

export function checkCurrency(text: string | undefined, what: string, fail: Fail): string {
  if (text === undefined || !/^[A-Z]{3}$/.test(text)) fail(`${what} "${text ?? ''}" is not a three-letter currency code`);
  return text;
}

export function checkBoolean(text: string, what: string, fail: Fail): boolean {
  const value = parseXmlBoolean(text);
  if (value === undefined) fail(`${what} "${text}" is neither true nor false`);
  return value;
}
