// A table as CSV for spreadsheet users in China: UTF-8 with a byte-order mark (so that Excel and
// WPS read it as UTF-8), or GBK for older tools; CRLF line ends. Cells a spreadsheet would take for
// a formula (=, +, -, @ first) are escaped by papaparse, so a name cannot run as a formula.
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import type { Table } from './table.ts';

export type CsvEncoding = 'utf-8' | 'gbk';

export function tableCsv(table: Table, encoding: CsvEncoding): { bytes: Uint8Array; contentType: string } {
  const text = `${Papa.unparse({ fields: table.columns.map((c) => c.header), data: table.rows }, { newline: '\r\n', escapeFormulae: true })}\r\n`;
  return encoding === 'gbk'
    ? { bytes: new Uint8Array(iconv.encode(text, 'gbk')), contentType: 'text/csv; charset=GBK' }
    : { bytes: new TextEncoder().encode(`\uFEFF${text}`), contentType: 'text/csv; charset=utf-8' };
}
