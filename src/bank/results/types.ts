// What a bank's answer to a payout batch reads into: a flat list of result lines, each naming the
// payout by its reference, that a service matches against the batch. Shapes only; no behaviour.
//
// Money is the string the bank wrote, minus formatting ("¥3,500.00" → "3500.00", camt "8.850"
// stays "8.850"); never a JS number. Dates are calendar dates "YYYY-MM-DD".

/** `csv`: a 代发 result CSV; `statement-csv`: an account-history CSV read with a preset (../statement-csv). */
export type BankResultFormat = 'camt.054' | 'camt.053' | 'csv' | 'statement-csv';

/**
 * - `debit`: the bank booked the payment out of the programme's account (settled).
 * - `failed`: the bank did not execute it (CSV 失败 / 拒绝); nothing left the account.
 * - `return`: money came back for a payout (camt credit with return information or EndToEndId,
 *   a reversal; CSV 退汇 / 退票). Whether that is "failed before settling" or "returned after
 *   settling" is for the service to decide: it knows whether it saw a debit first.
 */
export type BankResultKind = 'debit' | 'failed' | 'return';

export interface BankResultLine {
  /** Physical line in the file: the <Ntry> start tag for camt (shared by its TxDtls), the CSV record's first line. */
  line: number;
  /** camt TxDtls/Refs/EndToEndId (NOTPROVIDED → null); CSV: the payout reference found in the reference columns. */
  reference: string | null;
  /** Positive, as written minus formatting. */
  amount: string;
  currency: string;
  kind: BankResultKind;
  /** camt RtrInf/Rsn/Cd (or Prtry) and RtrInf/AddtlInf; CSV 失败原因. Null for debits. */
  reason: string | null;
  /** YYYY-MM-DD, null when the bank gave none. */
  bookingDate: string | null;
  /** camt AcctSvcrRef (the TxDtls', else the entry's); CSV bank serial number (银行流水号). */
  bankReference: string | null;
  /**
   * The payee's account as the bank wrote it: camt RltdPties/CdtrAcct (a return: DbtrAcct, else
   * CdtrAcct); CSV 收款账号 / 对方账号. Personal data: for matching only, never stored or shown whole.
   */
  counterpartyAccount?: string | null;
  /** The payee's name: camt RltdPties/Cdtr/Nm (a return: Dbtr, else Cdtr); CSV 收款户名 / 对方户名. Personal data, as above. */
  counterpartyName?: string | null;
}

/** A part of the file that is not a payout result, with the reason it was left out. */
export interface SkippedBankLine {
  line: number;
  why: string;
}

export interface BankResultFile {
  format: BankResultFormat;
  /** camt GrpHdr/MsgId; null for CSV (which has none: the caller identifies the file by sha256). */
  messageId: string | null;
  /** The programme's account the file is about: camt Acct/Id; CSV title 账号 / 付款账号 when present. */
  account: string | null;
  /** camt Acct/Ccy, else the one currency of all entries; CSV 币种 (title or column), else CNY. */
  currency: string | null;
  /** SHA-256 of the raw bytes (UTF-8 of string chunks), lower-case hex. */
  sha256: string;
  lines: BankResultLine[];
  skipped: SkippedBankLine[];
}

export type BankResultFormatOption = BankResultFormat | 'auto';
export type BankResultEncoding = 'auto' | 'utf-8' | 'gbk';

export interface ReadBankResultsOptions {
  /** 'auto' (default): XML (first character "<") is camt, its type from the namespace; anything else CSV. */
  format?: BankResultFormatOption;
  /**
   * CSV only (default 'auto': UTF-8 with or without BOM, else GBK). camt files are decoded as their
   * byte-order mark or XML declaration says.
   */
  encoding?: BankResultEncoding;
  /** statement-csv only: the layout preset of ../statement-csv (generic-cn, icbc, ccb, boc, abc). */
  preset?: string;
}
