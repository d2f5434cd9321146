// The words people read for each state a grant, an instalment and a payout can be in, and for each
// kind of ledger transaction: pages and downloads show these, never the codes. Chinese first, with
// the English of the API beside where a page has room for it.
import type { LedgerTransactionKind } from './ledger-postings.ts';

export interface Label {
  zh: string;
  en: string;
}

export type GrantStatus = 'proposed' | 'approved' | 'rejected' | 'ended';
export type InstalmentStatus = 'scheduled' | 'held' | 'sent' | 'paid' | 'cancelled';
export type PayoutStatus = 'pending' | 'sent' | 'settled' | 'failed' | 'returned' | 'cancelled';

export const GRANT_STATUS_LABELS: Readonly<Record<GrantStatus, Label>> = Object.freeze({
  proposed: { zh: '待审核', en: 'proposed' },
  approved: { zh: '已批准', en: 'approved' },
  rejected: { zh: '未批准', en: 'rejected' },
  ended: { zh: '已终止', en: 'ended' },
});

export const INSTALMENT_STATUS_LABELS: Readonly<Record<InstalmentStatus, Label>> = Object.freeze({
  scheduled: { zh: '待发放', en: 'scheduled' },
  held: { zh: '暂缓（休学）', en: 'held' },
  sent: { zh: '在途', en: 'sent' },
  paid: { zh: '已发放', en: 'paid' },
  cancelled: { zh: '已取消', en: 'cancelled' },
});

export const PAYOUT_STATUS_LABELS: Readonly<Record<PayoutStatus, Label>> = Object.freeze({
  pending: { zh: '待提交银行', en: 'pending' },
  sent: { zh: '在途（已提交银行）', en: 'sent' },
  settled: { zh: '已入账', en: 'settled' },
  failed: { zh: '银行退回（未入账）', en: 'failed' },
  returned: { zh: '退汇（入账后退回）', en: 'returned' },
  cancelled: { zh: '已撤销（未提交）', en: 'cancelled' },
});

export const TRANSACTION_KIND_LABELS: Readonly<Record<LedgerTransactionKind, Label>> = Object.freeze({
  funding_received: { zh: '基金会拨款到账', en: 'funding received' },
  grant_approved: { zh: '资助批准（承诺）', en: 'grant approved' },
  payout_sent: { zh: '发往银行', en: 'payout sent' },
  payout_settled: { zh: '银行入账', en: 'payout settled' },
  payout_failed: { zh: '银行退回', en: 'payout failed' },
  payout_returned: { zh: '退汇', en: 'payout returned' },
  remainder_cancelled: { zh: '未发部分退回资金池', en: 'remainder cancelled' },
  correction: { zh: '更正', en: 'correction' },
});

/** A code's Chinese word, or the code itself when a newer state has no word yet (never a blank cell). */
export function labelOf<K extends string>(labels: Readonly<Record<K, Label>>, code: string): string {
  return (labels as Record<string, Label>)[code]?.zh ?? code;
}
