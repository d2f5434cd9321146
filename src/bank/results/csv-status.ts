// A 代发 result file's status cell → what happened to the payout. Matched exactly (after folding
// full-width forms and spaces, upper-casing Latin letters): a status we do not know is an error,
// never a guess, because "成功" read as "失败" (or the reverse) pays a student twice or not at all.
// Statuses that are not final yet (处理中 …) are reported as skipped, like camt's PDNG entries.
import type { BankResultKind } from './types.ts';

export type StatusReading = { kind: BankResultKind; detail?: string } | { pending: true };

const KINDS: Readonly<Record<BankResultKind, readonly string[]>> = {
  debit: [
    '成功',
    '交易成功',
    '处理成功',
    '支付成功',
    '付款成功',
    '代发成功',
    '转账成功',
    '入账成功',
    '已成功',
    '已入账',
    '已支付',
    '已付款',
    '已转账',
    'SUCCESS',
    'SUCCEEDED',
    'SUCCESSFUL',
  ],
  failed: [
    '失败',
    '交易失败',
    '处理失败',
    '支付失败',
    '付款失败',
    '代发失败',
    '转账失败',
    '入账失败',
    '已失败',
    '拒绝',
    '已拒绝',
    '拒绝交易',
    '交易拒绝',
    '被拒绝',
    '银行拒绝',
    'FAILED',
    'FAIL',
    'FAILURE',
    'REJECTED',
  ],
  return: ['退汇', '已退汇', '退汇成功', '交易退汇', '退票', '已退票', '退票成功', '退回', '已退回', 'RETURNED'],
};

const PENDING: readonly string[] = [
  '处理中',
  '正在处理',
  '银行处理中',
  '待处理',
  '未处理',
  '已提交',
  '提交成功',
  '待确认',
  '待复核',
  '已受理',
  '受理成功',
  'PENDING',
  'PROCESSING',
];

const TABLE = new Map<string, StatusReading>();
for (const [kind, words] of Object.entries(KINDS) as [BankResultKind, readonly string[]][]) {
  for (const word of words) TABLE.set(word, { kind });
}
for (const word of PENDING) TABLE.set(word, { pending: true });

/** "失败-户名不符", "失败：账户已销户", "退汇(账户冻结)": a final word, then the bank's detail. */
const WITH_DETAIL = /^(成功|失败|拒绝|退汇|退票)[-—－:：(（,，;；/|\s]+(.*?)[)）]?$/u;

export function normalizeStatus(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .toUpperCase();
}

/** What the status cell says, or undefined when it is not a status we know. */
export function readStatus(text: string): StatusReading | undefined {
  const status = normalizeStatus(text);
  const exact = TABLE.get(status);
  if (exact !== undefined) return exact;
  const m = WITH_DETAIL.exec(text.normalize('NFKC').trim());
  if (m === null) return undefined;
  const word = TABLE.get(m[1] as string);
  if (word === undefined || 'pending' in word) return undefined;
  const detail = (m[2] ?? '').trim();
  return detail === '' ? word : { kind: word.kind, detail };
}

/** For error messages: the statuses that are understood. */
export const KNOWN_STATUSES_HINT = '成功 / 失败 / 拒绝 / 退汇 / 退票 (or 处理中 for not yet final)';
