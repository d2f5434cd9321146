// A table to hand to people as a file: named columns, each either text or money, and rows of
// strings (money as the ledger's exact decimal strings). The CSV and XLSX writers beside this file
// turn one table into bytes, so that both downloads of a list always hold the same cells.
export interface Column {
  header: string;
  /** text: kept exactly as written (identity numbers, codes); money: a CNY amount, two decimals. */
  kind: 'text' | 'money';
}

export interface Table {
  /** The worksheet's name in an XLSX file (at most 31 characters). */
  name: string;
  columns: readonly Column[];
  rows: string[][];
}

export interface TableFile {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}
