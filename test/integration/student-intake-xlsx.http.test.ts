// The bulk intake from a workbook: the XLSX template keeps identity and account numbers as text
// through a round trip; formulas and merged cells in the list are refused naming each cell; a
// number already mangled by a spreadsheet is an error of its row naming the cell; and a row with
// several mistakes shows all of them in one dry run, CSV or XLSX alike.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { INTAKE_HEADER, INTAKE_KEYS, intakeCsv, intakeRow, intakeXlsx } from '../support/intake-rows.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function upload(body: string | Uint8Array, options: { dryRun?: boolean; contentType?: string } = {}) {
  const res = await t.app.request(`/api/v1/students/imports?dryRun=${options.dryRun ?? true}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${t.world.users.caseworker.token}`,
      'Content-Type': options.contentType ?? (typeof body === 'string' ? 'text/csv' : XLSX),
    },
    body,
  });
  return { status: res.status, json: (await res.json()) as any };
}

const problemsOf = (row: any) => row.errors.map((e: any) => [e.cell, e.code]);

describe('the XLSX template', () => {
  it('is the import’s header and an example row, every column text (@); identity numbers typed into it round-trip as text and import', async () => {
    const res = await t.app.request('/api/v1/students/imports/template.xlsx', { headers: { Authorization: `Bearer ${t.world.users.caseworker.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe(XLSX);
    expect(res.headers.get('Content-Disposition')).toContain('.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['序号', ...INTAKE_HEADER]);
    const idColumn = 2 + INTAKE_KEYS.indexOf('identity_number');
    const accountColumn = 2 + INTAKE_KEYS.indexOf('account_number');
    expect(sheet.getColumn(idColumn).numFmt).toBe('@');
    expect(sheet.getColumn(accountColumn).numFmt).toBe('@');
    expect(sheet.getRow(2).getCell(idColumn).type).toBe(ExcelJS.ValueType.String);

    // A clerk fills row 3 below the example (text cells, as the column's format makes them) and saves.
    const row = intakeRow();
    sheet.getRow(3).values = ['1', ...INTAKE_KEYS.map((k) => row[k] ?? '')];
    const filled = new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
    const reread = new ExcelJS.Workbook();
    await reread.xlsx.load(filled.buffer as ArrayBuffer);
    const idCell = reread.worksheets[0]!.getRow(3).getCell(idColumn);
    expect(idCell.type).toBe(ExcelJS.ValueType.String);
    expect(idCell.value).toBe(row.identity_number);

    const dry = await upload(filled);
    expect(dry.status).toBe(200);
    expect(dry.json.format).toBe('xlsx');
    expect(dry.json.warnings.map((w: any) => w.code)).toContain('example_row_ignored');
    expect(dry.json.rows).toEqual([expect.objectContaining({ row: 3, outcome: 'create', errors: [] })]);
    expect(dry.json.rows[0].identityNumber.endsWith(row.identity_number!.slice(-4))).toBe(true);
    const real = await upload(filled, { dryRun: false });
    expect(real.status).toBe(201);
    expect(real.json.counts).toMatchObject({ rows: 1, create: 1 });
    expect(await t.db.prisma.student.count({ where: { id: real.json.rows[0].studentId } })).toBe(1);
  });
});

describe('a workbook as the list', () => {
  it('a formula in the list is refused naming the cell in Chinese; nothing is written', async () => {
    const before = await t.db.prisma.student.count();
    const res = await upload(await intakeXlsx([intakeRow(), intakeRow(), intakeRow()], { formula: { row: 2, key: 'identity_number' } }));
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('workbook_formula');
    expect(res.json.detail).toContain('第 4 行 B 列（身份证号）是公式');
    expect(res.json.errors).toEqual([expect.objectContaining({ path: 'B4' })]);
    expect(await t.db.prisma.student.count()).toBe(before);
  });

  it('merged cells in the list are refused naming the range; a merged title above the header is not', async () => {
    const merged = await upload(await intakeXlsx([intakeRow(), intakeRow()], { merge: 'F2:G3' }));
    expect(merged.status).toBe(400);
    expect(merged.json.code).toBe('workbook_merged_cells');
    expect(merged.json.detail).toContain('第 2 行 F 列（银行账号）起的 F2:G3 是合并单元格');
    const titled = await upload(await intakeXlsx([intakeRow()], { title: '城东区事实无人抚养儿童名单' }));
    expect(titled.status).toBe(200);
    expect(titled.json.headerRow).toBe(2);
    expect(titled.json.rows).toEqual([expect.objectContaining({ row: 3, outcome: 'create' })]);
  });

  it('an identity or account number stored as a number is an error of its row naming the cell; a short phone number is read as digits', async () => {
    const res = await upload(
      await intakeXlsx([intakeRow(), intakeRow()], {
        numbers: [
          { row: 0, key: 'identity_number' },
          { row: 1, key: 'account_number' },
          { row: 1, key: 'phone' },
        ],
      }),
    );
    expect(res.status).toBe(200);
    const [first, second] = res.json.rows;
    expect(problemsOf(first)).toEqual([['B2', 'spreadsheet_number_cell']]);
    expect(first.errors[0].message_zh).toContain('文本');
    expect(problemsOf(second)).toEqual([['F3', 'spreadsheet_number_cell']]);
  });

  it('dates typed as dates are read as the day they show', async () => {
    const row = intakeRow({ admission_date: '2024-09-01', expected_graduation: '2023-06-30' });
    const res = await upload(
      await intakeXlsx([row], {
        dates: [
          { row: 0, key: 'admission_date' },
          { row: 0, key: 'expected_graduation' },
        ],
      }),
    );
    // The two dates were read: graduation before admission is the rule that refuses, not the form of the dates.
    expect(problemsOf(res.json.rows[0])).toEqual([['V2', 'graduation_not_after_admission']]);
    expect(res.json.rows[0].errors[0].value).toBe('2023-06-30');
  });

  it('a workbook that would unpack to more than 64 MiB is refused before it is opened', async () => {
    const bytes = await intakeXlsx([intakeRow()]);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let at = 0;
    while (view.getUint32(at, true) !== 0x02014b50) at++;
    view.setUint32(at + 24, 65 * 1024 * 1024, true);
    const res = await upload(bytes);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('workbook_too_large');
    expect(res.json.detail).toContain('解压后超过64 MiB');
  });

  it('a damaged workbook and an old .xls are refused in Chinese', async () => {
    const damaged = await upload(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]));
    expect(damaged.status).toBe(400);
    expect(damaged.json.code).toBe('unreadable_workbook');
    expect(damaged.json.detail).toContain('无法作为Excel工作簿');
    const xls = await upload(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), { contentType: 'application/vnd.ms-excel' });
    expect(xls.json.code).toBe('not_csv');
    expect(xls.json.detail).toContain('.xls');
  });
});

describe('every mistake of a row in one dry run', () => {
  // Gender against the number, the holder against the name, recognised after the 18th birthday,
  // graduating before admission: four use cases' refusals, which used to show one per dry run.
  const mistakes = { gender: '男', holder_name: '别人', recognised_on: '2024-06-01', expected_graduation: '2023-06-30' };
  const expected = [
    ['性别', 'gender_mismatch'],
    ['户名', 'account_holder_not_student'],
    ['认定日期', 'recognised_at_or_after_18'],
    ['预计毕业', 'graduation_not_after_admission'],
  ];

  it('CSV: a row with four mistakes shows all four, each on its cell, in Chinese', async () => {
    const res = await upload(intakeCsv([intakeRow(mistakes)]));
    expect(res.status).toBe(200);
    const row = res.json.rows[0];
    expect(row.outcome).toBe('error');
    expect(row.errors.map((e: any) => [e.column, e.code])).toEqual(expected);
    expect(row.errors.map((e: any) => e.cell)).toEqual(['C2', 'G2', 'H2', 'V2']);
    for (const e of row.errors) expect(e.message_zh).toMatch(/[\u4e00-\u9fff]/);
  });

  it('XLSX: the same row shows the same four', async () => {
    const res = await upload(await intakeXlsx([intakeRow(mistakes)]));
    expect(res.json.rows[0].errors.map((e: any) => [e.column, e.code])).toEqual(expected);
  });
});
