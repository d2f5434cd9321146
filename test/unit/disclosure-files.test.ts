import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { type DisclosureFacts, disclosureContent, disclosureReport } from '../../src/domain/disclosure-report.ts';
import { formatAcademicYear } from '../../src/domain/academic-year.ts';
import { kindTotal } from '../../src/domain/money-flows.ts';
import { parseQuarter } from '../../src/domain/quarters.ts';
import { disclosureFile } from '../../src/files/disclosure-files.ts';

const facts: DisclosureFacts = {
  programme: { code: 'QS-2026', name: '青山助学' },
  quarter: parseQuarter('2026Q3')!,
  chainHead: { seq: '7', hash: 'c'.repeat(64) },
  ledgerInQuarter: [kindTotal('funding_received', 1, '20000.00', '0'), kindTotal('grant_approved', 4, '15000.00', '0')],
  ledgerToQuarterEnd: [kindTotal('funding_received', 1, '20000.00', '0'), kindTotal('grant_approved', 4, '15000.00', '0')],
  grantsApproved: [
    { studentId: 'a', level: 'undergraduate', regionCode: '630102', amount: '4000.00' },
    { studentId: 'b', level: 'undergraduate', regionCode: '630102', amount: '4000.00' },
    { studentId: 'c', level: 'undergraduate', regionCode: '630102', amount: '4000.00' },
    { studentId: 'd', level: 'junior_college', regionCode: '630102', amount: '3000.00' },
  ],
  participations: [],
  cohorts: [],
};
const report = disclosureReport(disclosureContent(facts, formatAcademicYear));

describe('disclosure files', () => {
  it('writes the same CSV and XLSX bytes for the same report, even seconds apart', async () => {
    const first = { csv: await disclosureFile(report, 'csv'), xlsx: await disclosureFile(report, 'xlsx') };
    // Zip entries carry a time to two seconds: written later, an undated entry would differ.
    await new Promise((done) => setTimeout(done, 2100));
    expect(Buffer.from((await disclosureFile(report, 'csv')).bytes).equals(Buffer.from(first.csv.bytes))).toBe(true);
    expect(Buffer.from((await disclosureFile(report, 'xlsx')).bytes).equals(Buffer.from(first.xlsx.bytes))).toBe(true);
    expect(first.xlsx.filename).toBe('disclosure-QS-2026-2026Q3.xlsx');
  });

  it('states the hash, the ledger head and the rule, and shows hidden cells as “*”', async () => {
    const csv = new TextDecoder().decode((await disclosureFile(report, 'csv')).bytes);
    expect(csv).toContain(report.contentSha256);
    expect(csv).toContain(`seq 7 ${'c'.repeat(64)}`);
    expect(csv).toContain('少于 3 人');
    // One junior-college student: hidden, and the undergraduates with it.
    expect(csv).toContain('批准资助 grants approved,层次 level: 大专,,*,*,*');
    expect(csv).toContain('批准资助 grants approved,合计 total,,4,4,15000.00');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from((await disclosureFile(report, 'xlsx')).bytes) as never);
    const cells = workbook.worksheets[0]!.getSheetValues().flat().map(String);
    expect(cells).toContain(report.contentSha256);
    expect(cells).toContain('*');
  });
});
