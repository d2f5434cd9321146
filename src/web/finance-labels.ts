// The words the finance pages show for what the payout services answer in codes or in English:
// why an instalment was held out of a batch, what a bank answer's line came to, a batch's status,
// a bank file's format. Codes stay in small type beside them where a page has room.
import { ENROLMENT_STATUS_LABELS } from '../domain/enrolment-status.ts';
import { EXCEPTION_OUTCOMES } from '../domain/payouts.ts';

const ELIGIBILITY_WORDS: Record<string, string> = {
  proposed: '待审核',
  rejected: '未批准',
  revoked: '已撤销',
};

const enrolmentWord = (status: string) => (ENROLMENT_STATUS_LABELS as Record<string, { zh: string }>)[status]?.zh ?? status;

/**
 * Why an instalment was held out of a batch, in Chinese. The batch service records the reason as
 * src/domain/payouts.ts decideBatchMembership words it: the instalment's own status reason (a
 * suspension: `enrolment suspended: <the caseworker's reason>`), or the eligibility or enrolment
 * status that stops it. The caseworker's own words are kept as they were written.
 */
const PAYEE_FIELD_WORDS: Readonly<Record<string, string>> = { name: '户名', 'account number': '账号', 'bank name': '开户行名称' };

export function heldReasonZh(reason: string): string {
  if (reason.startsWith('enrolment suspended (休学) when the grant was approved')) return '批准资助时学生正在休学';
  const suspended = /^enrolment suspended: (.*)$/s.exec(reason);
  if (suspended) return `学生休学，该期暂缓：${suspended[1]}`;
  const eligibility = /^eligibility (\w+)$/.exec(reason);
  if (eligibility) return `资格认定状态为“${ELIGIBILITY_WORDS[eligibility[1] ?? ''] ?? eligibility[1]}”，不能发放`;
  const enrolment = /^enrolment (\w+)$/.exec(reason);
  if (enrolment) return `学籍状态为“${enrolment[1] === 'unknown' ? '未登记' : enrolmentWord(enrolment[1] ?? '')}”，不能发放`;
  if (reason === 'instalment held') return '该期已暂缓发放';
  const payee = /^bank file cannot carry the payee: the payee's (name|account number|bank name) /.exec(reason);
  if (payee) return `收款${PAYEE_FIELD_WORDS[payee[1] ?? ''] ?? '信息'}无法写入银行文件，请更正学生档案后由以后的批次发放 (${reason})`;
  return reason;
}

export const LINE_OUTCOME_LABELS: Readonly<Record<string, string>> = Object.freeze({
  settled: '已入账',
  failed: '银行退回（未入账）',
  returned: '退汇（入账后退回）',
  already_recorded: '此前已记录，未重复处理',
  matched_by_hand: '已手工匹配并入账',
  matched_without_reference: '无参考号，按金额、收款人和日期匹配并已处理',
  unmatched: '未匹配到发放记录',
  ambiguous_match: '无参考号，有多笔发放可能相符，待人工匹配',
  amount_mismatch: '金额与发放记录不符',
  duplicate: '重复的入账或退回，未处理',
  not_sent: '该笔发放尚未提交银行',
});

/** Lines that changed nothing and need nobody: every other outcome is reported on the import page. */
export const QUIET_LINE_OUTCOMES: readonly string[] = ['settled', 'failed', 'returned', 'already_recorded', 'matched_by_hand'];

/** Lines left unapplied for someone to look at (src/domain/payouts.ts EXCEPTION_OUTCOMES). */
export const EXCEPTION_LINE_OUTCOMES: readonly string[] = EXCEPTION_OUTCOMES;

/** Where the account a bank answer is about came from (bank_result_import.account_stated_by). */
export const ACCOUNT_STATED_BY_LABELS: Readonly<Record<string, string>> = Object.freeze({
  file: '文件所载账号',
  declared: '文件未载明账号，按上传时声明的账号处理',
  assumed: '文件未载明账号，视为本项目发放账户',
});

/** The account-history CSV layouts (src/bank/statement-csv presets). */
export const STATEMENT_CSV_PRESET_LABELS: Readonly<Record<string, string>> = Object.freeze({
  'generic-cn': '通用格式',
  icbc: '中国工商银行',
  ccb: '中国建设银行',
  boc: '中国银行',
  abc: '中国农业银行',
});

export const BATCH_STATUS_LABELS: Readonly<Record<string, string>> = Object.freeze({
  open: '待提交银行',
  sent: '已提交银行',
  cancelled: '已取消',
});

export const BANK_FILE_LABELS = [
  { format: 'pain001', label: 'pain.001（XML）' },
  { format: 'daifa_csv_utf8', label: '代发 CSV（UTF-8）' },
  { format: 'daifa_csv_gbk', label: '代发 CSV（GBK）' },
] as const;

export const BANK_RESULT_FORMAT_LABELS: Readonly<Record<string, string>> = Object.freeze({
  'camt.054': 'camt.054 借贷通知',
  'camt.053': 'camt.053 对账单',
  csv: '代发结果 CSV',
  'statement-csv': '账户明细 CSV（对账单）',
});
