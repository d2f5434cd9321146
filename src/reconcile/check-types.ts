// What every reconciliation check returns, so that one report (text, JSON, CSV) can carry them all.
// Shapes only; no behaviour. A check never changes money: it reads the ledger and the files given.
//
// Determinism: the same database and the same input files give the same CheckResult, field for
// field and in the same order (sort everything; no clocks, no random ids, no Map iteration order
// that depends on timing), so that the report built from it is byte-identical run after run.

/** A check's name on the command line and in the report. */
export type CheckName = 'ledger' | 'rules' | 'bank' | 'funding' | 'figures';

/** One finding a person has to look at. */
export interface Exception {
  /** Stable machine code, e.g. "unbalanced_transaction", "in_ledger_not_at_bank", "amount_differs". */
  code: string;
  /** One line in Simplified Chinese, with English in brackets, for the text report. */
  message: string;
  /** Where: a ledger sequence number, a grant or payout id, a file and line, a reference. No personal data in clear. */
  subject: Record<string, string | number | null>;
  /** Money involved, when there is one: strings with two decimals. */
  amount?: string;
}

/** A figure the report states (counts, sums), in a stable order. */
export interface Figure {
  /** e.g. "matched", "students_funded"; unique within the check. */
  key: string;
  /** Chinese label with English in brackets. */
  label: string;
  /** Counts as integers, money as strings with two decimals. */
  value: number | string;
}

/** An input file the check read: the report states each one's SHA-256. */
export interface InputFile {
  /** The source's name: a path as given on the command line, an upload's file name (the report shows the base name only). */
  path: string;
  sha256: string;
  /** camt.053 message id, or null. */
  messageId: string | null;
  /** What the check made of it, e.g. "camt.053", "csv (preset ccb, gbk)". */
  kind: string;
  /** The first file's name when the same file (hash or message id) was given twice: read once, not double-counted. */
  duplicateOf?: string;
}

export interface CheckResult {
  check: CheckName;
  /** "clean" when `exceptions` is empty. */
  status: 'clean' | 'breaks';
  figures: Figure[];
  exceptions: Exception[];
  /** Tables for the text and JSON reports, e.g. figures per programme, year, level and region. */
  tables?: { title: string; columns: string[]; rows: (string | number)[][] }[];
  inputs?: InputFile[];
}

/** Reports progress on long runs (a progress bar on a terminal, nothing when piped). */
export interface Progress {
  start(label: string, total: number | null): void;
  tick(count?: number): void;
  stop(): void;
}

/** A check that could not run at all (bad file, no database): exit code 2, nothing recorded as a completed run. */
export class CheckCouldNotRun extends Error {
  constructor(
    message: string,
    readonly where: { file?: string; line?: number | null } = {},
  ) {
    super(message);
    this.name = 'CheckCouldNotRun';
  }
}
