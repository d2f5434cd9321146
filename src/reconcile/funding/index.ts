// Public surface of the funding check (issue 6): the foundation's remittance list against the
// funding receipts in the ledger. Layout of the list: README.md in this folder.
export { runFundingCheck, type FundingCheckOptions } from './run-funding-check.ts';
export { matchRemittances, FUNDING_CODES, type FundingCode, type FundingFinding, type FundingSummary } from './match.ts';
export { readRemittanceList, REMITTANCE_MAPPING, type Remittance, type RemittanceList } from './remittances.ts';
