// The quarterly disclosure report as files to publish: its canonical JSON (the bytes its hash is
// over, with the hash beside), and — from the same content — a CSV and an XLSX table. Named
// `disclosure-<programme>-<quarter>.<ext>`; the same report gives the same bytes in every format.
import { type DisclosureReport, disclosureReportJson } from '../domain/disclosure-report.ts';
import type { TableFile } from './table.ts';

export const DISCLOSURE_FORMATS = ['json'] as const;
export type DisclosureFormat = (typeof DISCLOSURE_FORMATS)[number];

function filename(report: DisclosureReport, ext: string): string {
  return `disclosure-${report.content.programme.code}-${report.content.period.quarter}.${ext}`;
}

export async function disclosureFile(report: DisclosureReport, format: DisclosureFormat): Promise<TableFile> {
  return { filename: filename(report, format), contentType: 'application/json', bytes: new TextEncoder().encode(`${disclosureReportJson(report)}\n`) };
}
