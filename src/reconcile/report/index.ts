// Builds the three reports of a run from the checks' results: text for people, JSON for machines,
// CSV of the exceptions for a spreadsheet. All three state the same report hash (model.ts says
// exactly what it covers).
import type { CheckResult } from '../check-types.ts';
import { type ReconciliationReport, type ReportHeader, buildReport } from './model.ts';
import { renderCsv } from './csv.ts';
import { renderJson } from './json.ts';
import { renderText } from './text.ts';

export { REPORT_HASH_COVERS, buildReport, exceptionCount, reportHash } from './model.ts';
export type { CheckSummary, DatabaseKind, ReconciliationReport, ReportHeader } from './model.ts';
export { renderCsv } from './csv.ts';
export { renderJson } from './json.ts';
export { displayWidth, renderText } from './text.ts';

export interface RenderedReports {
  report: ReconciliationReport;
  text: string;
  json: string;
  csv: string;
}

/** File names written by `--out DIR`: fixed, so that two runs on the same inputs give the same folder. */
export const REPORT_FILES = { text: 'report.txt', json: 'report.json', csv: 'exceptions.csv' } as const;

export function renderReports(header: ReportHeader, results: CheckResult[]): RenderedReports {
  const report = buildReport(header, results);
  return { report, text: renderText(report), json: renderJson(report), csv: renderCsv(report) };
}
