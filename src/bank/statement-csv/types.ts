// The records a bank statement CSV yields. Shapes only; no behaviour.
//
// Where a concept is the same as in the camt reader, the field has camt's name and type (see
// ../camt/types.ts), so that the matcher can read both sources through one view
// (StatementEntryCommon below): amount, currency, creditDebit, reversal, status, bookingDate,
// valueDate, accountServicerReference, line, index, statementId. Concepts that differ keep their
// own names: a CSV line has one counterparty (not debtor and creditor of several TxDtls) and
// candidate references extracted from free text (not EndToEndIds the bank echoes in a field of
// their own).
//
// Money is the string the bank wrote, minus its formatting ("¥1,234.50" → "1234.50", "3500" stays
// "3500"); a Decimal can be made from it exactly. Dates are calendar dates "YYYY-MM-DD".
import type { CamtBalance, CamtEntryEvent, CamtParty, CamtStatementEvent, CreditDebit } from '../camt/types.ts';
import type { CsvColumnField } from './mapping.ts';

export type { CreditDebit } from '../camt/types.ts';

/** The encoding the bytes were read with ('text' when the caller passed strings). */
export type CsvDecodedAs = 'utf-8' | 'gb18030' | 'text';

/**
 * A balance the file states in its title or summary lines (期初余额 → OPBD, 期末余额 → CLBD).
 * camt's CamtBalance, except that the date is null when the file states no period: the reader
 * never guesses a balance's date.
 */
export interface CsvBalance extends Omit<CamtBalance, 'type' | 'date' | 'dateTime'> {
  type: 'OPBD' | 'CLBD';
  /** The period's first day (OPBD) or last day (CLBD), null when the file states no period. */
  date: string | null;
  /** The line it was read from. */
  line: number;
}

/** One "label：value" pair read from a title, summary or trailer line, as written. */
export interface CsvMetaPair {
  line: number;
  label: string;
  value: string;
}

/**
 * The statement: what the title lines above the header said, and how the file was read.
 * Emitted once, just before the first entry (or before `statement-end` when there is none), so
 * that an account given only in a per-line own-account column (本方账号) is known.
 */
export interface CsvStatementEvent extends Pick<CamtStatementEvent, 'type' | 'index' | 'id' | 'accountName'> {
  /** Always 1: a CSV export holds one statement. */
  index: 1;
  /** The caller's statementId option, else "csv". CSV exports carry no statement id. */
  id: string;
  /** 账号 from the title lines, else the first entry's own-account column; null when neither. */
  account: string | null;
  /** The mapping's currency (CNY unless configured); any currency the file states equals it. */
  currency: string;
  /** 开户行, when the title names it. */
  bank?: string;
  /** From the title lines (起始日期/终止日期, 起止日期 "… 至 …"); null sides when not stated. */
  period: { from: string | null; to: string | null };
  /** OPBD / CLBD stated in the title lines. A closing balance stated after the entries is in statement-end. */
  balances: CsvBalance[];
  /** Every "label：value" pair of the title lines, known or not, for the report. */
  meta: CsvMetaPair[];
  /** How the file was read, for the report and for anyone checking the mapping. */
  source: {
    mapping: string;
    encoding: CsvDecodedAs;
    delimiter: string;
    headerLine: number;
    /** Which header cell each field was read from ("references" may list several). */
    columns: Partial<Record<CsvColumnField, string | string[]>>;
    amountMode: 'debit-credit' | 'amount-and-flag' | 'signed-amount';
  };
}

/** The fields a statement line has in both readers, with the same names and types. */
export type StatementEntryCommon = Pick<
  CamtEntryEvent,
  | 'type'
  | 'statementId'
  | 'index'
  | 'line'
  | 'amount'
  | 'currency'
  | 'creditDebit'
  | 'reversal'
  | 'status'
  | 'bookingDate'
  | 'valueDate'
  | 'accountServicerReference'
>;

/** One statement line. */
export interface CsvEntryEvent extends StatementEntryCommon {
  type: 'entry';
  /** 1-based position among the file's entries. */
  index: number;
  /** 1-based physical line in the file (a quoted cell may span lines: the record's first line). */
  line: number;
  /** Positive, as written minus formatting ("1,234.50" → "1234.50"). */
  amount: string;
  creditDebit: CreditDebit;
  /**
   * A red-ink correction (红字冲正): a negative amount in the debit or credit column. As in camt,
   * the reversal of a debit is booked CRDT with reversal true (and of a credit, DBIT).
   */
  reversal: boolean;
  /** Always "BOOK": an account history export lists booked lines only. */
  status: 'BOOK';
  bookingDate: string;
  valueDate: string | null;
  /** The bank's own id for the line (交易流水号, 凭证号, …), null when the file has none. */
  accountServicerReference: string | null;
  /** 交易时间 as an ISO local date-time "YYYY-MM-DDTHH:MM:SS" (bank's local time, no offset). */
  transactionTime?: string;
  /** 对方账号 / 对方户名 (or 收款人 for a debit and 付款人 for a credit when the file lists both parties). */
  counterparty: CamtParty;
  /** 对方开户行, when given. */
  counterpartyBank?: string;
  /**
   * Candidate references: tokens matching the mapping's referencePattern in the reference
   * columns (附言, 备注, 摘要, 用途 …), in column order, each once. Candidates, not proofs: the
   * matcher looks each up among the ledger's payout references (camt's endToEndIds play this role).
   */
  references: string[];
  /** The non-empty texts of the reference columns, as written (the matcher may look for 退汇 etc.). */
  remittanceInfo: string[];
  /** The balance after this line (余额), signed ("-12.00" is an overdraft), when the file gives it. */
  balanceAfter?: string;
}

/** What the entries add up to, as the bank's debit and credit columns would (see totals below). */
export interface CsvTotals {
  /** Lines on the debit side: debits, plus reversals of debits (negative in the debit column). */
  debitCount: number;
  creditCount: number;
  /** Debits minus reversed debits, two decimals ("1234.50"): what a 借方合计 line states. */
  debitTotal: string;
  creditTotal: string;
}

/** What the summary lines (合计, 总计, 总笔数 …) declared, and the line that declared it. */
export interface CsvFooter {
  line: number;
  totalCount?: number;
  debitCount?: number;
  creditCount?: number;
  debitTotal?: string;
  creditTotal?: string;
}

/** After the last line: lets a streaming consumer close its per-statement totals. */
export interface CsvStatementEndEvent extends Pick<CamtEntryEvent, 'statementId'> {
  type: 'statement-end';
  entryCount: number;
  totals: CsvTotals;
  /** The summary lines' declarations, when there were any; checked against totals unless the mapping says checkFooter: false. */
  footer?: CsvFooter;
  /** CLBD (期末余额) stated after the entries. */
  balances: CsvBalance[];
  /** "label：value" pairs of the summary and trailer lines (打印日期, 经办 …). */
  meta: CsvMetaPair[];
  /** Physical lines in the file. */
  lineCount: number;
  /**
   * The encoding the whole file was read with. The statement event's source.encoding says
   * "utf-8" when everything before the first entry was ASCII (the same in both encodings); this
   * one is final.
   */
  encoding: CsvDecodedAs;
}

export type CsvEvent = CsvStatementEvent | CsvEntryEvent | CsvStatementEndEvent;

/** A whole statement collected in memory (collectCsvStatement; ../node/read-csv-statement-file.ts from a path): for small files and tests. */
export interface CsvStatementDocument {
  statement: CsvStatementEvent;
  entries: CsvEntryEvent[];
  end: CsvStatementEndEvent;
}

// Compile-time checks that the shared view holds: a CSV entry is readable as the common shape.
type Assert<T extends true> = T;
type _CsvEntryIsCommon = Assert<CsvEntryEvent extends StatementEntryCommon ? true : false>;
