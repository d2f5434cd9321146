// A table as an XLSX workbook (exceljs), one worksheet, the header row bold and frozen.
//
// Text columns are written as text cells with the text format (@), so that Excel and WPS never turn
// an identity number into 6.30102E+17 or drop a leading zero. Money columns are numbers with the
// format #,##0.00, so that a foundation can sum them: every amount the ledger holds has at most 15
// significant digits (MAX_AMOUNT 999,999,999,999.99), which a spreadsheet's number keeps exactly to
// the fen; the value is written from the ledger's decimal string, never computed in floating point.
// exceljs is loaded on first use: it is large, and only downloads need it.
import type { Table } from './table.ts';

const MONEY_FORMAT = '#,##0.00';

export async function tableXlsx(table: Table): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  // No clock in the file: the same table gives the same cells (exceljs stamps both with now otherwise).
  workbook.created = new Date(0);
  workbook.modified = new Date(0);
  const sheet = workbook.addWorksheet(table.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c) => ({
    header: c.header,
    width: Math.max(10, c.header.length * 2 + 4),
    style: { numFmt: c.kind === 'money' ? MONEY_FORMAT : '@' },
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows) {
    sheet.addRow(table.columns.map((c, i) => (c.kind === 'money' ? Number(row[i] ?? '0') : (row[i] ?? ''))));
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
