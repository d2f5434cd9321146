// Which accounts each money event debits and credits (DESIGN.md §3), and the checks every
// transaction must pass before it is written. Pure: the journal (src/ledger) does the I/O.
import { type AccountKind, type AccountRef, type Direction, accountCode, mustStayNonNegative, normalSide } from './ledger-accounts.ts';
import { type Money, ZERO, hasFenPrecision } from './money.ts';

export type LedgerTransactionKind =
  | 'funding_received'
  | 'grant_approved'
  | 'payout_sent'
  | 'payout_settled'
  | 'payout_failed'
  | 'payout_returned'
  | 'remainder_cancelled'
  | 'correction';

export interface Posting {
  account: AccountRef;
  direction: Direction;
  amount: Money;
}

function pair(debit: AccountRef, credit: AccountRef, amount: Money): Posting[] {
  return [
    { account: debit, direction: 'debit', amount },
    { account: credit, direction: 'credit', amount },
  ];
}

const bank: AccountRef = { kind: 'bank' };
const fund: AccountRef = { kind: 'fund' };
const inTransit: AccountRef = { kind: 'in_transit' };
const payable = (grantId: string): AccountRef => ({ kind: 'payable', grantId });

export const postings = {
  fundingReceived: (amount: Money) => pair(bank, fund, amount),
  grantApproved: (grantId: string, amount: Money) => pair(fund, payable(grantId), amount),
  payoutSent: (grantId: string, amount: Money) => pair(payable(grantId), inTransit, amount),
  payoutSettled: (amount: Money) => pair(inTransit, bank, amount),
  payoutFailed: (grantId: string, amount: Money) => pair(inTransit, payable(grantId), amount),
  payoutReturnedAfterSettlement: (grantId: string, amount: Money) => pair(bank, payable(grantId), amount),
  remainderCancelled: (grantId: string, amount: Money) => pair(payable(grantId), fund, amount),
};

/** A correction is the mirror of the transaction it reverses: every debit becomes a credit. */
export function mirror(entries: Posting[]): Posting[] {
  return entries.map((p) => ({ ...p, direction: p.direction === 'debit' ? 'credit' : 'debit' }));
}

export type PostingProblem =
  | { code: 'too_few_entries' }
  | { code: 'not_positive'; line: number }
  | { code: 'sub_fen'; line: number }
  | { code: 'unbalanced'; debits: Money; credits: Money }
  | { code: 'account_repeated'; account: string };

/** Checks the shape of a transaction: at least two lines, positive fen amounts, debits = credits. */
export function checkPostings(entries: Posting[]): PostingProblem | null {
  if (entries.length < 2) return { code: 'too_few_entries' };
  let debits = ZERO;
  let credits = ZERO;
  const seen = new Set<string>();
  for (const [line, entry] of entries.entries()) {
    if (!entry.amount.greaterThan(0)) return { code: 'not_positive', line };
    if (!hasFenPrecision(entry.amount)) return { code: 'sub_fen', line };
    const code = accountCode(entry.account);
    // One line per account and transaction keeps each entry's running balance unambiguous.
    if (seen.has(code)) return { code: 'account_repeated', account: code };
    seen.add(code);
    if (entry.direction === 'debit') debits = debits.plus(entry.amount);
    else credits = credits.plus(entry.amount);
  }
  if (!debits.equals(credits)) return { code: 'unbalanced', debits, credits };
  return null;
}

/** How an entry moves its account's balance, measured on the account's normal side. */
export function balanceEffect(kind: AccountKind, direction: Direction, amount: Money): Money {
  return direction === normalSide(kind) ? amount : amount.negated();
}

export interface Shortfall {
  account: string;
  balance: Money;
  needed: Money;
}

/**
 * Given the current balances, finds the first account the postings would take below zero.
 * `balances` holds only accounts that have entries; a missing account stands at zero.
 */
export function findShortfall(entries: Posting[], balances: ReadonlyMap<string, Money>): Shortfall | null {
  for (const entry of entries) {
    if (!mustStayNonNegative(entry.account.kind)) continue;
    const code = accountCode(entry.account);
    const balance = balances.get(code) ?? ZERO;
    const after = balance.plus(balanceEffect(entry.account.kind, entry.direction, entry.amount));
    if (after.isNegative()) return { account: code, balance, needed: entry.amount };
  }
  return null;
}
