// Fills a statement (Stmt / Ntfctn) and its balances from leaf elements, addressed by their path
// relative to the Stmt or Bal element. Unknown paths are ignored on purpose: banks add optional
// elements freely and versions differ; only what reconciliation uses is read, and checked.
import { checkAmount, checkCreditDebit, checkCurrency, checkDate, type Fail } from './checks.ts';
import type { CamtBalance, CamtPage, CamtStatementEvent, CreditDebit } from './types.ts';
import { isDateTime } from './values.ts';

export interface StatementDraft {
  index: number;
  id?: string;
  account?: string;
  accountScheme?: 'IBAN' | 'Othr';
  currency?: string;
  accountName?: string;
  createdAt?: string;
  electronicSequence?: string;
  legalSequence?: string;
  pageNumber?: number;
  lastPage?: boolean;
  balances: CamtBalance[];
  /** True once the statement event went out (at the first entry, or at the end). */
  emitted: boolean;
  entryCount: number;
}

export function newStatementDraft(index: number): StatementDraft {
  return { index, balances: [], emitted: false, entryCount: 0 };
}

export function setStatementField(d: StatementDraft, path: string, text: string, fail: Fail): void {
  switch (path) {
    case 'Id':
      d.id = text;
      break;
    case 'CreDtTm':
      d.createdAt = text;
      break;
    case 'Acct/Id/IBAN':
      d.account = text;
      d.accountScheme = 'IBAN';
      break;
    case 'Acct/Id/Othr/Id':
      d.account = text;
      d.accountScheme = 'Othr';
      break;
    case 'Acct/Ccy':
      d.currency = checkCurrency(text, 'Acct/Ccy', fail);
      break;
    case 'Acct/Nm':
      d.accountName = text;
      break;
    case 'ElctrncSeqNb':
      d.electronicSequence = checkSequence(text, 'ElctrncSeqNb', fail);
      break;
    case 'LglSeqNb':
      d.legalSequence = checkSequence(text, 'LglSeqNb', fail);
      break;
    case 'StmtPgntn/PgNb':
      d.pageNumber = checkPageNumber(text, 'StmtPgntn/PgNb', fail);
      break;
    case 'StmtPgntn/LastPgInd':
      d.lastPage = checkIndicator(text, 'StmtPgntn/LastPgInd', fail);
      break;
  }
}

/** ElctrncSeqNb / LglSeqNb: a whole number (ISO 20022 Number, no fractions), kept as its digits. */
function checkSequence(text: string, element: string, fail: Fail): string {
  if (!/^\d{1,18}$/.test(text)) fail(`${element} "${text}" is not a whole number`);
  return text.replace(/^0+(?=\d)/, '');
}

/** PgNb: Max5NumericText. */
export function checkPageNumber(text: string, element: string, fail: Fail): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) === 0) fail(`${element} "${text}" is not a page number (1 to 99999)`);
  return Number(text);
}

/** LastPgInd: an XML boolean. */
export function checkIndicator(text: string, element: string, fail: Fail): boolean {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return fail(`${element} "${text}" is not true or false`);
}

/** A page once both its number and indicator are known (a bank that gives one without the other: the page is unknown). */
export function pageOf(number: number | undefined, last: boolean | undefined): CamtPage | undefined {
  return number === undefined || last === undefined ? undefined : { number, last };
}

export function finishStatement(d: StatementDraft, recordElement: string, fail: Fail): CamtStatementEvent {
  if (!d.id) fail(`${recordElement} has no Id`);
  if (!d.account || d.accountScheme === undefined) fail(`${recordElement} has no account (Acct/Id/IBAN or Acct/Id/Othr/Id)`);
  const event: CamtStatementEvent = {
    type: 'statement',
    index: d.index,
    id: d.id,
    account: d.account,
    accountScheme: d.accountScheme,
    currency: d.currency ?? null,
    balances: d.balances,
  };
  if (d.accountName !== undefined) event.accountName = d.accountName;
  if (d.createdAt !== undefined) event.createdAt = d.createdAt;
  if (d.electronicSequence !== undefined) event.electronicSequence = d.electronicSequence;
  if (d.legalSequence !== undefined) event.legalSequence = d.legalSequence;
  const page = pageOf(d.pageNumber, d.lastPage);
  if (page !== undefined) event.page = page;
  return event;
}

export interface BalanceDraft {
  code?: string;
  proprietary?: string;
  amount?: string;
  currency?: string;
  creditDebit?: CreditDebit;
  date?: string;
  dateTime?: string;
}

export function setBalanceField(d: BalanceDraft, path: string, text: string, fail: Fail): void {
  switch (path) {
    case 'Tp/CdOrPrtry/Cd':
      d.code = text;
      break;
    case 'Tp/CdOrPrtry/Prtry':
      d.proprietary = text;
      break;
    case 'Amt':
      d.amount = checkAmount(text, fail);
      break;
    case 'CdtDbtInd':
      d.creditDebit = checkCreditDebit(text, fail);
      break;
    case 'Dt/Dt':
    case 'Dt/DtTm':
      d.date = checkDate(text, `Bal/${path}`, fail);
      if (isDateTime(text)) d.dateTime = text;
      break;
  }
}

export function finishBalance(d: BalanceDraft, fail: Fail): CamtBalance {
  const type = d.code ?? d.proprietary;
  if (!type) fail('Bal has no type (Tp/CdOrPrtry/Cd or Prtry)');
  if (d.amount === undefined) fail('Bal has no Amt');
  if (d.currency === undefined) fail('Bal/Amt has no Ccy attribute');
  if (d.creditDebit === undefined) fail('Bal has no CdtDbtInd');
  if (d.date === undefined) fail('Bal has no date (Dt/Dt or Dt/DtTm)');
  const balance: CamtBalance = { type, amount: d.amount, currency: d.currency, creditDebit: d.creditDebit, date: d.date };
  if (d.dateTime !== undefined) balance.dateTime = d.dateTime;
  return balance;
}
