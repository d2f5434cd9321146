// Public surface of the bank check (issue 6): the ledger's payouts and receipts against bank
// statements (camt.053 or a bank CSV export). See README.md in this folder.
export { runBankCheck, DEFAULT_WINDOW_DAYS, type BankCheckOptions } from './run-bank-check.ts';
export { BankMatcher, compareFindings, type AccountLookup, type MatchSummary, type MatcherOptions } from './match.ts';
export { FINDING_CODES, PAYOUT_STATUSES } from './types.ts';
export type * from './types.ts';
