// The exceptions as CSV, for a spreadsheet: UTF-8 with a byte-order mark (so that Excel reads
// Chinese correctly), CRLF line ends, cells a spreadsheet would take for a formula escaped
// (papaparse `escapeFormulae`). The file opens with four rows stating what it belongs to — the
// report's hash, the rules version, the ledger's chain head, and the result — then an empty row,
// then one row per exception under a header row. With no exceptions, the header row ends the file.
import Papa from 'papaparse';
import type { ReconciliationReport } from './model.ts';

const BOM = '\uFEFF';
const CRLF = '\r\n';

export const EXCEPTION_CSV_HEADER = ['检查 (check)', '代码 (code)', '说明 (message)', '对象 (subject)', '金额 (amount)'] as const;

export function renderCsv(report: ReconciliationReport): string {
  const exceptions = report.results.flatMap((c) => c.exceptions.map((e) => ({ check: c.check, e })));
  const preamble = [
    ['报告哈希 (report SHA-256)', report.reportSha256],
    ['规则版本 (rules version)', report.rulesVersion],
    ['账本链头 (ledger chain head)', report.chainHead ? `seq ${report.chainHead.seq} ${report.chainHead.hash}` : '空账本 (empty ledger)'],
    ['结论 (result)', `${report.status} (${exceptions.length})`],
  ];
  const data = exceptions.map(({ check, e }) => [
    check,
    e.code,
    e.message,
    Object.entries(e.subject)
      .map(([k, v]) => `${k}=${v === null ? '' : String(v)}`)
      .join('; '),
    e.amount ?? '',
  ]);
  const options = { newline: CRLF, escapeFormulae: true } as const;
  return BOM + Papa.unparse(preamble, options) + CRLF + CRLF + Papa.unparse({ fields: [...EXCEPTION_CSV_HEADER], data }, options) + CRLF;
}
