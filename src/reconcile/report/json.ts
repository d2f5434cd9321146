// The report as JSON for machines: the report object, keys in the fixed order it was built in,
// two-space indented, one final newline. Its `reportSha256` is checked by re-hashing (model.ts).
import type { ReconciliationReport } from './model.ts';

export function renderJson(report: ReconciliationReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
