// The checks' names, their order in the report and their labels: no behaviour, so that the report
// can name checks without loading them.
import type { CheckName } from '../check-types.ts';

/** Report order: the ledger first (everything rests on it), the published figures last. */
export const CHECK_ORDER: readonly CheckName[] = ['ledger', 'rules', 'bank', 'funding', 'figures'];

/** Run when no check is named on the command line. */
export const DEFAULT_CHECKS: readonly CheckName[] = ['ledger', 'rules', 'figures'];

export const CHECK_LABELS: Readonly<Record<CheckName, string>> = {
  ledger: '账本完整性 (ledger integrity)',
  rules: '业务规则 (programme rules)',
  bank: '银行对账 (bank statement)',
  funding: '资金到账 (funding remittances)',
  figures: '项目数字 (programme figures)',
};

export function isCheckName(text: string): text is CheckName {
  return (CHECK_ORDER as readonly string[]).includes(text);
}
