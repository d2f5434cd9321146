// What a column mapping is: which header names feed which field, which labels in the title and
// summary lines mean what, and a few reading rules. A mapping is built (config.ts) from a JSON
// config, a named preset (presets.ts, itself just a config) or both ("extends"); the reader only
// ever sees the resolved CsvMapping below.

/** The fields a statement line can feed, in the order header cells are claimed (see header.ts). */
export const COLUMN_FIELDS = [
  'bookingDate',
  'valueDate',
  'transactionTime',
  'debit',
  'credit',
  'amount',
  'direction',
  'balance',
  'currency',
  'account',
  'counterpartyAccount',
  'counterpartyName',
  'counterpartyBank',
  'payerAccount',
  'payerName',
  'payeeAccount',
  'payeeName',
  'transactionId',
  'references',
] as const;

export type CsvColumnField = (typeof COLUMN_FIELDS)[number];

/** Labels of "label：value" pairs in title, summary and trailer lines. */
export const LABEL_KEYS = [
  'account',
  'accountName',
  'currency',
  'bank',
  'periodFrom',
  'periodTo',
  'period',
  'openingBalance',
  'closingBalance',
  'totalCount',
  'debitCount',
  'creditCount',
  'debitTotal',
  'creditTotal',
] as const;

export type CsvLabelKey = (typeof LABEL_KEYS)[number];

export type CsvEncodingChoice = 'auto' | 'utf-8' | 'gbk' | 'gb18030';
export const ENCODING_CHOICES = ['auto', 'utf-8', 'gbk', 'gb18030'] as const;

export type CsvDelimiterChoice = 'auto' | ',' | '\t' | ';' | '|';
export const DELIMITER_CHOICES = ['auto', ',', '\t', ';', '|'] as const;

/** Header names (aliases): one, or several tried in order. */
export type Aliases = string | readonly string[];

/** The JSON config format (see README.md). Every key is optional; presets are values of this type. */
export interface CsvMappingConfig {
  /** Shown in the report and in errors. Defaults to the file name or the preset's name. */
  name?: string;
  /** A preset to start from; keys given here replace the preset's (per field for columns and labels). */
  extends?: string;
  description?: string;
  encoding?: CsvEncodingChoice;
  delimiter?: CsvDelimiterChoice;
  /** The statement's currency: lines and titles stating another are refused. Default CNY. */
  currency?: string;
  columns?: Partial<Record<CsvColumnField, Aliases>>;
  /** Fields the header must have besides the booking date and an amount (always required). */
  required?: CsvColumnField[];
  directionValues?: { debit: string[]; credit: string[] };
  /** A regular expression (JavaScript syntax, no slashes) for payout references in the reference columns. */
  referencePattern?: string;
  labels?: Partial<Record<CsvLabelKey, Aliases>>;
  /** First words of summary lines: "total" lines end the entries and are checked; "subtotal" (page) lines are skipped. */
  summaryWords?: { total?: string[]; subtotal?: string[] };
  /** A negative amount in the debit or credit column is a red-ink reversal (default true); false refuses it. */
  negativeIsReversal?: boolean;
  /** Check the summary lines' counts and totals against the entries (default true). */
  checkFooter?: boolean;
  /** How many non-blank lines may precede the header (default 30). */
  headerSearchLines?: number;
  /** The account the exports are about, for exports that name none (an account-history CSV without 账号 line). */
  account?: string;
}

/** A mapping ready for the reader: defaults applied, aliases as arrays, the pattern compiled. */
export interface CsvMapping {
  readonly name: string;
  readonly encoding: CsvEncodingChoice;
  readonly delimiter: CsvDelimiterChoice;
  readonly currency: string;
  readonly columns: Readonly<Partial<Record<CsvColumnField, readonly string[]>>>;
  readonly required: readonly CsvColumnField[];
  readonly directionValues: { readonly debit: readonly string[]; readonly credit: readonly string[] };
  /** Global flag set; matched against each reference column's text. */
  readonly referencePattern: RegExp;
  readonly labels: Readonly<Record<CsvLabelKey, readonly string[]>>;
  readonly summaryWords: { readonly total: readonly string[]; readonly subtotal: readonly string[] };
  readonly negativeIsReversal: boolean;
  readonly checkFooter: boolean;
  readonly headerSearchLines: number;
  /** The account declared for exports that name none. */
  readonly account?: string;
}

/**
 * 8 to 35 upper-case letters, digits and hyphens, starting and ending with a letter or digit, and
 * not part of a longer such run. Catches "QS2025-000000123" in "青山助学金QS2025-000000123第一期";
 * also catches dates and account numbers, which simply match no payout.
 */
export const DEFAULT_REFERENCE_PATTERN = '(?<![A-Za-z0-9-])[A-Z0-9][A-Z0-9-]{6,33}[A-Z0-9](?![A-Za-z0-9-])';

export const DEFAULT_DIRECTION_VALUES = {
  debit: ['借', '借方', 'D', 'DR', 'DEBIT', '支出', '支', '出', '付', '付出', '付款', '转出', '-'],
  credit: ['贷', '贷方', 'C', 'CR', 'CREDIT', '收入', '收', '入', '存入', '收款', '转入', '+'],
};

export const DEFAULT_SUMMARY_WORDS = {
  total: ['合计', '总计', '共计', '累计', '总笔数', '合计笔数', '交易笔数', '笔数', '借方合计', '贷方合计'],
  subtotal: ['小计', '本页合计', '本页小计', '本页'],
};

export const DEFAULT_LABELS: Record<CsvLabelKey, readonly string[]> = {
  account: ['账号', '帐号', '账户', '帐户', '账户号', '帐户号', '账户账号', '本方账号', '查询账号', '卡号'],
  accountName: ['户名', '账户名称', '帐户名称', '账户名', '户口名称', '单位名称', '客户名称'],
  currency: ['币种', '货币', '币别', '货币种类'],
  bank: ['开户行', '开户银行', '开户机构', '开户网点'],
  periodFrom: ['起始日期', '开始日期', '起始日', '起日', '查询起始日期', '起始时间'],
  periodTo: ['终止日期', '截止日期', '结束日期', '终止日', '止日', '查询终止日期', '截止时间'],
  // Two dates each ("2025-09-01 至 2025-09-30"); a single date under these labels is not taken as
  // a period. 查询日期/打印日期 are deliberately absent: they name the day of the export.
  period: ['起止日期', '查询期间', '交易期间', '日期范围', '对账期间', '账单周期', '查询时间段', '起止时间', '交易日期', '期间'],
  openingBalance: ['期初余额', '上期余额', '起始余额', '期初金额'],
  closingBalance: ['期末余额', '截止余额', '终止余额', '期末金额', '本期余额'],
  totalCount: ['总笔数', '合计笔数', '笔数合计', '交易笔数', '总计笔数', '笔数'],
  debitCount: ['借方笔数', '借方总笔数', '支出笔数', '付款笔数'],
  creditCount: ['贷方笔数', '贷方总笔数', '收入笔数', '收款笔数'],
  debitTotal: ['借方合计', '借方发生额合计', '借方金额合计', '借方总额', '借方发生总额', '支出合计', '支出金额合计', '支出总额', '付款合计'],
  creditTotal: ['贷方合计', '贷方发生额合计', '贷方金额合计', '贷方总额', '贷方发生总额', '收入合计', '收入金额合计', '收入总额', '收款合计'],
};

export const DEFAULT_HEADER_SEARCH_LINES = 30;

/**
 * A header cell or label as compared: full-width forms folded (NFKC: "（元）" → "(元)", "：" → ":"),
 * whitespace, quotes, brackets and colons removed, Latin letters lower-cased.
 */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s"'[\]【】:]/g, '')
    .toLowerCase();
}
