// The columns of a 代发 result file (代发结果 / 批量代发回单), found by their header names. Banks
// send back the file we uploaded (../outgoing/daifa-csv.ts: 序号,收款账号,收款户名,金额,用途[,收款行],备注)
// with a status column and usually a reason column added, under names that vary by bank; the
// aliases below are tried in order. Names are compared with full-width forms folded and spaces
// removed (the statement reader's normalizeName), and a trailing "(元)"-style parenthesis ignored.
import { normalizeName } from '../statement-csv/mapping.ts';

export const RESULT_COLUMN_ALIASES = {
  amount: ['金额', '交易金额', '代发金额', '付款金额', '实发金额', '发放金额', '转账金额', '发生额'],
  status: ['状态', '处理结果', '交易状态', '处理状态', '交易结果', '执行结果', '付款状态', '代发状态', '结果', '状态描述'],
  reason: ['失败原因', '错误原因', '原因', '失败描述', '处理说明', '结果说明', '处理结果说明', '错误信息', '返回信息', '说明'],
  // Where the payout reference may be: 备注 is where daifa-csv.ts writes it; 用途 and 附言 are
  // where a bank that dropped 备注 may have moved it.
  references: ['备注', '用途', '附言', '摘要', '业务参考号', '客户参考号', '参考号', '交易参考号', '客户流水号', '业务编号'],
  bankReference: ['银行流水号', '交易流水号', '流水号', '银行交易流水号', '核心流水号', '银行交易号', '交易序号', '凭证号'],
  bookingDate: ['交易日期', '处理日期', '记账日期', '入账日期', '退汇日期', '交易时间', '处理时间', '日期'],
  currency: ['币种', '货币', '币别'],
  payeeAccount: ['收款账号', '收款人账号', '收款账户', '收方账号', '收款卡号', '对方账号', '账号', '帐号', '卡号'],
  payeeName: ['收款户名', '收款人', '收款人名称', '收款人户名', '收方户名', '对方户名', '户名', '姓名'],
} as const;

type SingleField = Exclude<keyof typeof RESULT_COLUMN_ALIASES, 'references'>;

/** Claimed in this order, so that "处理结果" goes to status before "处理结果说明" could be confused. */
const SINGLE_FIELDS: readonly SingleField[] = ['amount', 'status', 'reason', 'bankReference', 'bookingDate', 'currency', 'payeeAccount', 'payeeName'];

export interface ResultLayout {
  index: Partial<Record<SingleField, number>>;
  /** Reference columns in alias order (备注 first): the order they are searched in. */
  references: number[];
  /** 备注's cell when there is no reason column: some banks write the failure reason there. */
  reasonFallback?: number;
  /** Header texts, for messages. */
  names: string[];
  /** Normalised header cells, to recognise the header repeated on a later page. */
  normalized: string[];
}

export interface HeaderMatch {
  layout?: ResultLayout;
  /** Fields found: the best partial match is the one a "missing column" error names. */
  score: number;
  missing: string[];
}

export function matchResultHeader(cells: readonly string[]): HeaderMatch {
  const normalized = cells.map((c) => normalizeName(c));
  const stripped = normalized.map((c) => c.replace(/\([^()]*\)$/, ''));
  const claimed = new Set<number>();
  const find = (aliases: readonly string[]): number => {
    for (const alias of aliases) {
      const want = normalizeName(alias);
      for (let i = 0; i < normalized.length; i++) {
        if (!claimed.has(i) && normalized[i] !== '' && (normalized[i] === want || stripped[i] === want)) return i;
      }
    }
    return -1;
  };

  const index: ResultLayout['index'] = {};
  let score = 0;
  for (const field of SINGLE_FIELDS) {
    const i = find(RESULT_COLUMN_ALIASES[field]);
    if (i >= 0) {
      claimed.add(i);
      index[field] = i;
      score++;
    }
  }
  const references: number[] = [];
  for (const alias of RESULT_COLUMN_ALIASES.references) {
    const i = find([alias]);
    if (i >= 0) {
      claimed.add(i);
      references.push(i);
    }
  }
  if (references.length > 0) score++;

  const missing: string[] = [];
  if (index.amount === undefined) missing.push(`an amount column (${RESULT_COLUMN_ALIASES.amount.slice(0, 4).join(' / ')})`);
  if (index.status === undefined) missing.push(`a status column (${RESULT_COLUMN_ALIASES.status.slice(0, 4).join(' / ')})`);
  if (references.length === 0) missing.push(`a reference column (${RESULT_COLUMN_ALIASES.references.slice(0, 4).join(' / ')})`);
  const match: HeaderMatch = { score, missing };
  if (missing.length === 0) {
    const layout: ResultLayout = { index, references, names: cells.map((c) => c.trim()), normalized };
    const remark = normalized.indexOf(normalizeName('备注'));
    if (index.reason === undefined && remark >= 0) layout.reasonFallback = remark;
    match.layout = layout;
  }
  return match;
}
