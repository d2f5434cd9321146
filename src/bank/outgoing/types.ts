// The inputs of the bank-file writers. Shapes only; no behaviour.
// Amounts are strings in the wire form ("3500.00", at most two decimals) or Money values; never JS
// numbers. Every text is used exactly as given: the writers check, they never trim or rewrite, so the
// name the bank receives is the name that was snapshotted into the payout.
import type { Money } from '../../domain/money.ts';

export type AmountInput = string | Money;

/** A bank, as much of it as is known. At least one of the fields must be given where a bank is required. */
export interface BankIdentification {
  /** Bank or branch name, e.g. "中国农业银行西宁城中支行". */
  name?: string;
  /** BIC (ISO 9362), 8 or 11 characters. Optional for domestic CNY transfers. */
  bic?: string;
  /** Clearing-system member id, e.g. the 12-digit CNAPS bank code (联行号). */
  clearingMemberId?: string;
  /**
   * The clearing system the member id belongs to, as an ISO 20022 external code (at most 5
   * characters; "CNAPS" for China's). Only written together with `clearingMemberId`.
   */
  clearingSystem?: string;
}

/** One payout as the bank needs it: the payouts service snapshots the account into it. */
export interface BankPayout {
  /** The payout reference (see payout-reference.ts): EndToEndId in pain.001, 备注 in the CSV. */
  reference: string;
  /** Positive, at most two decimals. */
  amount: AmountInput;
  /** The account holder's name exactly as the bank has it (户名): a mismatch makes the payment fail. */
  payeeName: string;
  /** The payee's account or card number, digits (letters and inner hyphens tolerated), no spaces. */
  payeeAccount: string;
  /** The payee's bank (CdtrAgt, 收款行); optional when the bank does not ask for it. */
  payeeBank?: BankIdentification;
  /** Remittance text for this payout; defaults to the batch's. */
  remittanceInfo?: string;
}

/**
 * What the caller says the batch holds. Both file formats carry these before the first payout, so they
 * are inputs; the writers add up the payouts as they stream and throw when the two disagree.
 */
export interface DeclaredTotals {
  count: number;
  controlSum: AmountInput;
}

export type PayoutSource = Iterable<BankPayout> | AsyncIterable<BankPayout>;

export interface WriterOptions {
  /**
   * Roughly how many characters to gather before handing out a chunk (default 64 Ki). Only the chunk
   * boundaries depend on it, never the bytes.
   */
  chunkChars?: number;
  /**
   * Refuse a batch in which two payouts share a reference (default true). This keeps one short string
   * per payout in memory (about 5 MB for 100,000 payouts); the document itself is never held.
   */
  checkUniqueReferences?: boolean;
}
