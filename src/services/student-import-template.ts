// The intake template (学生批量导入模板) as a download, CSV or XLSX, for the API and the caseworker's
// page alike. The workbook formats every column as text (@), so that what a county types below the
// example — identity and account numbers above all — stays the digits typed, never 6.30102E+17;
// the CSV is UTF-8 with a byte-order mark, so that Excel opens the Chinese headers.
import { z } from 'zod';
import { importTemplateCsv, importTemplateRows } from '../domain/student-import/template.ts';
import type { TableFile } from '../files/table.ts';
import { XLSX_CONTENT_TYPE, tableXlsx } from '../files/table-xlsx.ts';
import { parseInput } from './validation.ts';

export const StudentImportTemplateInput = z.strictObject({
  format: z.enum(['csv', 'xlsx'], { message: 'must be csv or xlsx' }).default('csv'),
});
export type StudentImportTemplateInput = z.input<typeof StudentImportTemplateInput>;

const BOM = [0xef, 0xbb, 0xbf];

/** The template: it holds nothing but the headers and a fictional example, so anyone signed in may have it. */
export async function studentImportTemplate({ input: raw }: { input: StudentImportTemplateInput }): Promise<TableFile> {
  const input = parseInput(StudentImportTemplateInput, raw);
  if (input.format === 'xlsx') {
    const [header, example] = importTemplateRows();
    const bytes = await tableXlsx({ name: '学生批量导入', columns: header.map((h) => ({ header: h, kind: 'text' })), rows: [example] });
    return { filename: '学生批量导入模板.xlsx', contentType: XLSX_CONTENT_TYPE, bytes };
  }
  const text = new TextEncoder().encode(importTemplateCsv());
  const bytes = new Uint8Array(BOM.length + text.length);
  bytes.set(BOM);
  bytes.set(text, BOM.length);
  return { filename: '学生批量导入模板.csv', contentType: 'text/csv; charset=utf-8', bytes };
}
