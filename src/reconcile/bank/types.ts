// Shapes shared by the bank check's parts: the ledger side as compact indexes, statement lines as
// the matcher sees them (from camt.053 or a bank CSV alike), and what the matcher finds.
// No behaviour here. Amounts inside these indexes are fen numbers: see units.ts for why exact.
import type { ReferenceLookup } from './reference-index.ts';

export type PayoutStatus = 'pending' | 'sent' | 'settled' | 'failed' | 'returned' | 'cancelled';

/** Status codes stored in PayoutIndex.status (a Uint8Array), by position. */
export const PAYOUT_STATUSES: readonly PayoutStatus[] = ['pending', 'sent', 'settled', 'failed', 'returned', 'cancelled'];

/**
 * A programme's payouts, column by column, so that a million of them take a few tens of megabytes
 * and no object per payout: the references as numbers (ReferenceIndex) and a few typed arrays.
 * Dates are day numbers (units.ts), NO_DAY when the payout has none.
 */
export interface PayoutIndex {
  size: number;
  /** reference ↔ position. */
  references: ReferenceLookup;
  fen: Float64Array;
  status: Uint8Array;
  /** Booked out of the bank account (settled or later returned). */
  settledDay: Int32Array;
  /** Failed or returned. */
  outcomeDay: Int32Array;
  /** The batch was sent. */
  sentDay: Int32Array;
  /** The batch's requested execution date (pain.001 ReqdExctnDt), for ageing payouts in transit. */
  requestedDay: Int32Array;
}

/** A funding receipt: a credit the ledger expects on the programme's account. */
export interface ReceiptRecord {
  id: string;
  bankReference: string;
  fen: number;
  day: number;
  /** A correction reversed it: the ledger counts it as not received. */
  reversed: boolean;
}

/**
 * What a statement line is, decided from the bank's own flags before any matching:
 * - payment: a debit (a payout leaving the account, or something else the matcher will not find);
 * - return: money coming back for a payment (camt RvslInd or RtrInf, CSV red-ink reversal of a
 *   debit or 退汇/退票 in the remarks);
 * - credit: any other credit (funding from the foundation, or a return the bank did not flag:
 *   a credit whose reference names a payout is taken as that payout's return);
 * - other_debit: a debit that cannot be a payout (the return of a payment we had received, the
 *   red-ink reversal of a credit).
 */
export type LineKind = 'payment' | 'return' | 'credit' | 'other_debit';

export interface StatementLine {
  /** Which input file (index in the check's inputs). */
  file: number;
  /** Physical line in that file (camt: the <Ntry> start tag; CSV: the record's first line). */
  line: number;
  kind: LineKind;
  side: 'DBIT' | 'CRDT';
  /** As the bank wrote it (camt "8.850" stays); positive. */
  amount: string;
  /** toFen(amount): null when not a whole number of fen (then it equals no ledger amount). */
  fen: number | null;
  /** Booking date, "YYYY-MM-DD", and as a day number. */
  date: string;
  day: number;
  /** Payout reference candidates: camt EndToEndIds, CSV tokens from the remark columns. */
  references: readonly string[];
  /** Receipt reference candidates (bank serial numbers, instruction ids, remark tokens); credits only. */
  receiptReferences: readonly string[] | undefined;
  /** The bank's own id of the line (camt AcctSvcrRef, CSV 交易流水号). */
  bankReference: string | null;
  /** The counterparty's account as written (personal data: only hashed or masked, never shown). */
  counterpartyAccount: string | null;
  /** Why the money came back (camt RtrInf), when the bank said. */
  returnReason?: string;
  /** Statement-level findings: which statement (index into the check's statements). */
  statementIndex?: number;
  /** statement_sequence_broken: the statement before it (index into the check's statements). */
  previousStatementIndex?: number;
  /** not_booked_by_bank: the batch's requested execution date, the day the bank should have booked it by, and how late. */
  requestedOn?: string;
  dueOn?: string;
  businessDaysOverdue?: number;
}

/**
 * Finding codes, in the order the report lists them. Each is one kind of exception:
 * - in_ledger_not_at_bank: the ledger moved money on the bank account in the statements' period
 *   (a payout settled or returned, a receipt) and no statement line shows it;
 * - not_booked_by_bank: a payout sent and still unconfirmed past its programme's business days in
 *   transit (src/domain/payout-transit.ts), and on no statement line: the bank may never have booked it;
 * - at_bank_not_in_ledger: a statement line the ledger does not account for (see `reason`);
 * - amount_differs: a line matched to a payout or receipt by reference, for another amount;
 * - duplicate: the same bank line twice, a second bank line for one payout or receipt, or a
 *   statement file given twice whose copies differ;
 * - return: a payout the bank sent back, matched to its return line (someone must retry or cancel it);
 * - statement_sequence_broken: two statements of the account in a row whose balances do not chain
 *   (the opening is not the previous closing: a statement missing, or periods overlapping);
 * - closing_balance_differs: a booking day's last closing balance is not the ledger's bank balance at its end;
 * - closing_balance_not_stated: a statement without a closing balance: the balance could not be checked.
 * (A CSV that names no account is taken to be about the account declared, or the programme's: the
 * report says so, in a table of its own.)
 */
export const FINDING_CODES = [
  'in_ledger_not_at_bank',
  'not_booked_by_bank',
  'at_bank_not_in_ledger',
  'amount_differs',
  'duplicate',
  'return',
  'statement_sequence_broken',
  'closing_balance_differs',
  'closing_balance_not_stated',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

/** Why a line is at the bank but not in the ledger. */
export type AtBankReason =
  /** Nothing in the ledger has its reference, nor its amount, account and date. */
  | 'no_ledger_item'
  /** The payout was sent; the ledger has not recorded the bank's settlement (import the bank's answer). */
  | 'payout_in_transit'
  /** The ledger says the payout failed (nothing left the account); the bank debited it and did not return it. */
  | 'payout_failed_in_ledger'
  /** The payout was never sent (pending or cancelled), yet the bank paid it. */
  | 'payout_not_sent'
  /** The bank returned a payout that the ledger still has as settled or in transit. */
  | 'return_not_recorded'
  /** The credit matches a receipt that a correction reversed: the ledger counts it as not received. */
  | 'receipt_reversed'
  /** A debit that cannot be a payout (bank charges, the return of a payment received …). */
  | 'other_debit';

/** Why two statements in a row do not chain (sequence.ts). */
export type SequenceReason = 'opening_not_previous_closing' | 'periods_overlap';

export type DuplicateReason = 'same_line_twice' | 'second_line_for_payout' | 'second_line_for_receipt' | 'same_file_differs';

/** One finding, before it is worded (result.ts). Fields are set as the code needs them. */
export interface Finding {
  code: FindingCode;
  /** Statement side: the file and line. */
  file?: number;
  line?: number;
  date?: string;
  side?: 'DBIT' | 'CRDT';
  /** The line's amount as written. */
  amount?: string;
  bankReference?: string | null;
  /** The payout (or receipt bank reference) the finding is about. */
  payoutReference?: string;
  receiptId?: string;
  receiptReference?: string;
  /** Ledger side: what the ledger holds (fen). */
  ledgerFen?: number;
  ledgerDate?: string;
  /** For in_ledger_not_at_bank: which movement is missing. */
  movement?: 'payout' | 'return' | 'receipt';
  payoutStatus?: PayoutStatus;
  reason?: AtBankReason | DuplicateReason | SequenceReason;
  /** Duplicates: where the first one was. */
  firstFile?: number;
  firstLine?: number;
  /** How a line was matched, when it was. */
  matchedBy?: 'reference' | 'amount_account_date' | 'amount_date';
  /** The counterparty account, masked. */
  counterpartyMasked?: string;
  returnReason?: string;
  /** Statement-level findings: which statement (index into the check's statements). */
  statementIndex?: number;
  /** statement_sequence_broken: the statement before it (index into the check's statements). */
  previousStatementIndex?: number;
  /** not_booked_by_bank: the batch's requested execution date, the day the bank should have booked it by, and how late. */
  requestedOn?: string;
  dueOn?: string;
  businessDaysOverdue?: number;
}
