// The reconciliation report as data: built from the checks' results and a few facts about the
// run, in a fixed key order, everything sorted, with no clock and no path beyond a file's base
// name — so that the same database and the same input files give the same report, byte for byte.
//
// The report's own hash (`reportSha256`): SHA-256, in lower-case hex, of the UTF-8 bytes of the
// canonical JSON of the report object WITHOUT its `reportSha256` field. Canonical JSON = keys
// sorted by code point, no whitespace, strings escaped as JSON.stringify does; for the values here
// (strings, safe integers, booleans, null, arrays, objects) that is RFC 8785 (JCS), the form
// src/domain/canonical-json.ts writes and the ledger's hash chain uses. To verify a report.json:
// parse it, delete `reportSha256`, canonicalise, hash, compare. The text and CSV reports are
// renderings of the same object and state the same hash.
import type { CheckName, CheckResult, Exception, InputFile } from '../check-types.ts';
import { CHECK_LABELS, CHECK_ORDER } from '../checks/names.ts';
import { byText, sortExceptions, sortedSubject } from '../checks/support.ts';
import { type CanonicalValue, canonicalJson } from '../../domain/canonical-json.ts';
import { sha256Hex } from '../../domain/sha256.ts';
import { REPORT_FORMAT_VERSION } from '../rules-version.ts';
import { baseName } from '../sources.ts';

export type DatabaseKind = 'embedded' | 'postgres';

/** Facts about the run that the report states (none of them a clock or an operator). */
export interface ReportHeader {
  rulesVersion: string;
  database: DatabaseKind;
  /** The ledger's newest transaction when the checks read it; null for an empty ledger. */
  chainHead: { seq: string; hash: string } | null;
  /** Code of the programme asked for, or null for all programmes. */
  programme: string | null;
  /** Checks asked for (the report lists them in report order). */
  checks: CheckName[];
}

export interface ReportInput {
  check: CheckName;
  /** Base name only: a path says where the auditor keeps files, and would break byte-identity. */
  name: string;
  sha256: string;
  messageId: string | null;
  kind: string;
  duplicateOf: string | null;
}

export interface ReportException {
  code: string;
  message: string;
  subject: Record<string, string | number | null>;
  amount: string | null;
}

export interface ReportCheck {
  check: CheckName;
  label: string;
  status: 'clean' | 'breaks';
  figures: { key: string; label: string; value: number | string }[];
  tables: { title: string; columns: string[]; rows: (string | number)[][] }[];
  exceptions: ReportException[];
}

export interface CheckSummary {
  status: 'clean' | 'breaks';
  exceptions: number;
  /** Exceptions per code, codes sorted. */
  byCode: Record<string, number>;
}

export interface ReconciliationReport {
  report: 'reconciliation';
  formatVersion: number;
  rulesVersion: string;
  database: DatabaseKind;
  chainHead: { seq: string; hash: string } | null;
  scope: { programme: string | null };
  checks: CheckName[];
  inputs: ReportInput[];
  status: 'clean' | 'breaks';
  summary: Partial<Record<CheckName, CheckSummary>>;
  results: ReportCheck[];
  /** How `reportSha256` is computed, stated in the report itself. */
  reportSha256Covers: string;
  reportSha256: string;
}

export const REPORT_HASH_COVERS =
  'SHA-256 (hex) of the UTF-8 canonical JSON (keys sorted, no whitespace; RFC 8785) of this report without the reportSha256 field';

const checkRank = (c: CheckName) => CHECK_ORDER.indexOf(c);

function reportInput(check: CheckName, file: InputFile): ReportInput {
  return {
    check,
    name: baseName(file.path),
    sha256: file.sha256,
    messageId: file.messageId,
    kind: file.kind,
    duplicateOf: file.duplicateOf === undefined ? null : baseName(file.duplicateOf),
  };
}

function reportException(e: Exception): ReportException {
  return { code: e.code, message: e.message, subject: sortedSubject(e.subject), amount: e.amount ?? null };
}

function reportCheck(result: CheckResult): ReportCheck {
  const exceptions = sortExceptions(result.exceptions).map(reportException);
  return {
    check: result.check,
    label: CHECK_LABELS[result.check],
    // The status follows from the exceptions, whatever the check said.
    status: exceptions.length === 0 ? 'clean' : 'breaks',
    figures: result.figures.map((f) => ({ key: f.key, label: f.label, value: f.value })),
    tables: (result.tables ?? []).map((t) => ({ title: t.title, columns: [...t.columns], rows: t.rows.map((r) => [...r]) })),
    exceptions,
  };
}

function summaryOf(check: ReportCheck): CheckSummary {
  const byCode: Record<string, number> = {};
  for (const code of [...new Set(check.exceptions.map((e) => e.code))].sort(byText)) {
    byCode[code] = check.exceptions.filter((e) => e.code === code).length;
  }
  return { status: check.status, exceptions: check.exceptions.length, byCode };
}

/** SHA-256 of the canonical JSON of the report without its own hash field. */
export function reportHash(report: Omit<ReconciliationReport, 'reportSha256'> | ReconciliationReport): string {
  const { reportSha256: _omitted, ...rest } = report as ReconciliationReport;
  return sha256Hex(canonicalJson(rest as unknown as CanonicalValue));
}

export function buildReport(header: ReportHeader, results: CheckResult[]): ReconciliationReport {
  const ordered = [...results].sort((a, b) => checkRank(a.check) - checkRank(b.check)).map(reportCheck);
  const inputs = results
    .flatMap((r) => (r.inputs ?? []).map((f) => reportInput(r.check, f)))
    .sort((a, b) => checkRank(a.check) - checkRank(b.check) || byText(a.name, b.name) || byText(a.sha256, b.sha256));
  const summary: Partial<Record<CheckName, CheckSummary>> = {};
  for (const check of ordered) summary[check.check] = summaryOf(check);
  const body: Omit<ReconciliationReport, 'reportSha256'> = {
    report: 'reconciliation',
    formatVersion: REPORT_FORMAT_VERSION,
    rulesVersion: header.rulesVersion,
    database: header.database,
    chainHead: header.chainHead ? { seq: header.chainHead.seq, hash: header.chainHead.hash } : null,
    scope: { programme: header.programme },
    checks: [...new Set(header.checks)].sort((a, b) => checkRank(a) - checkRank(b)),
    inputs,
    status: ordered.some((c) => c.status === 'breaks') ? 'breaks' : 'clean',
    summary,
    results: ordered,
    reportSha256Covers: REPORT_HASH_COVERS,
  };
  return { ...body, reportSha256: reportHash(body) };
}

/** Total exceptions over every check. */
export function exceptionCount(report: ReconciliationReport): number {
  return report.results.reduce((n, c) => n + c.exceptions.length, 0);
}
