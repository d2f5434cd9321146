// The quarterly disclosure report as files to publish: its canonical JSON (the bytes its hash is
// over, with the hash beside), and — from the same content — a CSV (UTF-8 with a BOM) and an XLSX
// table (disclosure-table.ts). Named `disclosure-<programme>-<quarter>.<ext>`; the same report gives
// the same bytes in every format (the XLSX's zip entries dated alike, zip-fixed-dates.ts).
import { type DisclosureReport, disclosureReportJson } from '../domain/disclosure-report.ts';
import { disclosureTable } from './disclosure-table.ts';
import type { TableFile } from './table.ts';
import { tableCsv } from './table-csv.ts';
import { XLSX_CONTENT_TYPE, tableXlsx } from './table-xlsx.ts';
import { withFixedZipDates } from './zip-fixed-dates.ts';

export const DISCLOSURE_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type DisclosureFormat = (typeof DISCLOSURE_FORMATS)[number];

export async function disclosureFile(report: DisclosureReport, format: DisclosureFormat): Promise<TableFile> {
  const filename = `disclosure-${report.content.programme.code}-${report.content.period.quarter}.${format}`;
  if (format === 'json') return { filename, contentType: 'application/json', bytes: new TextEncoder().encode(`${disclosureReportJson(report)}\n`) };
  if (format === 'csv') return { filename, ...tableCsv(disclosureTable(report), 'utf-8') };
  return { filename, contentType: XLSX_CONTENT_TYPE, bytes: await withFixedZipDates(await tableXlsx(disclosureTable(report))) };
}
