// Why the bank sent a payment back, in words a finance officer and an auditor read. Banks give the
// reason as an ISO 20022 external return reason code (camt RtrInf/Rsn/Cd, e.g. AC04) and often a
// free text after it; a 代发 result file gives Chinese text alone. The readers keep the bank's text
// as it came ("AC04: 账户已销户"); this module names the code beside it wherever a return is shown,
// so that the code is never dropped and never the only thing a person sees.
import type { Label } from './status-labels.ts';

/**
 * The codes of ISO 20022's ExternalReturnReason1Code list that banks use for credit transfers to
 * persons. A code not listed here is still shown as the bank wrote it.
 */
export const RETURN_REASON_LABELS: Readonly<Record<string, Label>> = Object.freeze({
  AC01: { zh: '账号错误', en: 'incorrect account number' },
  AC03: { zh: '收款账号无效', en: 'invalid creditor account number' },
  AC04: { zh: '账户已销户', en: 'closed account number' },
  AC06: { zh: '账户已冻结', en: 'blocked account' },
  AC07: { zh: '收款账户已销户', en: 'closed creditor account number' },
  AC13: { zh: '账户类型不符', en: 'invalid account type' },
  AG01: { zh: '该账户不允许此类交易', en: 'transaction forbidden' },
  AG02: { zh: '业务类型无效', en: 'invalid bank operation code' },
  AM01: { zh: '金额为零', en: 'zero amount' },
  AM02: { zh: '金额超出允许范围', en: 'not allowed amount' },
  AM03: { zh: '币种不允许', en: 'not allowed currency' },
  AM04: { zh: '余额不足', en: 'insufficient funds' },
  AM05: { zh: '重复支付', en: 'duplication' },
  AM09: { zh: '金额错误', en: 'wrong amount' },
  BE01: { zh: '户名与账号不符', en: 'inconsistent with end customer' },
  BE04: { zh: '缺少收款人地址', en: 'missing creditor address' },
  CNOR: { zh: '收款行未登记', en: 'creditor bank is not registered' },
  CUST: { zh: '客户要求退回', en: 'requested by customer' },
  DUPL: { zh: '重复付款', en: 'duplicate payment' },
  ED05: { zh: '清算失败', en: 'settlement failed' },
  FF01: { zh: '文件格式无效', en: 'invalid file format' },
  FOCR: { zh: '应撤销请求退回', en: 'following cancellation request' },
  MD07: { zh: '收款人已身故', en: 'end customer deceased' },
  MS02: { zh: '客户原因（未说明）', en: 'not specified reason, customer generated' },
  MS03: { zh: '银行原因（未说明）', en: 'not specified reason, agent generated' },
  NARR: { zh: '见附言', en: 'narrative' },
  RC01: { zh: '银行代码错误', en: 'bank identifier incorrect' },
  RR01: { zh: '缺少付款账户或身份信息', en: 'missing debtor account or identification' },
  RR03: { zh: '缺少收款人名称或地址', en: 'missing creditor name or address' },
  RR04: { zh: '监管原因', en: 'regulatory reason' },
  TECH: { zh: '技术故障', en: 'technical problem' },
});

export interface ReturnReason {
  /** The ISO code when the bank gave one (upper case), else null. */
  code: string | null;
  /** The code's meaning, when the code is one this module knows. */
  label: Label | null;
  /** What the bank wrote besides the code (its additional information, or a CSV's text). */
  detail: string | null;
}

// The readers write "CODE: text" or "CODE" alone (src/bank/results/camt-entry.ts).
const CODED = /^([A-Z][A-Z0-9]{3})(?:\s*[:：]\s*(.*))?$/s;

/** Splits the reason a reader kept into the ISO code, its meaning and the bank's own words. */
export function returnReasonOf(text: string | null | undefined): ReturnReason | null {
  const trimmed = text?.trim();
  if (!trimmed) return null;
  const coded = CODED.exec(trimmed);
  if (coded) {
    const code = coded[1] as string;
    const detail = coded[2]?.trim() || null;
    return { code, label: RETURN_REASON_LABELS[code] ?? null, detail };
  }
  return { code: null, label: null, detail: trimmed };
}

/**
 * One line for a page, a report or a ledger description: "AC04 账户已销户 (closed account number):
 * 账户已销户". The bank's own words are kept; an unknown code is shown as written.
 */
export function describeReturnReason(text: string | null | undefined): string | null {
  const reason = returnReasonOf(text);
  if (reason === null) return null;
  const named = reason.code === null ? null : reason.label ? `${reason.code} ${reason.label.zh} (${reason.label.en})` : reason.code;
  if (named === null) return reason.detail;
  return reason.detail && reason.detail !== reason.label?.zh ? `${named}: ${reason.detail}` : named;
}
