import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeCheckCharacter, makeIdentityNumber } from '../../src/domain/identity-number.ts';
import { IMPORT_COLUMNS } from '../../src/domain/student-import/layout.ts';
import { type TestUser, makeOrganisation, makeUser } from '../support/fixtures.ts';
import { DEFAULT_BIRTH_DATE, fictionalAccountNumber, makeStudent } from '../support/students.ts';
import { intakeRow } from '../support/intake-rows.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let otherDepartment: Awaited<ReturnType<typeof makeOrganisation>>;
let otherCaseworker: TestUser;
/** Every clear personal value this file sends, to look for where it must not be. */
const clearValues = new Set<string>();
/** Every answer of the import routes, for the same search. */
const answers: string[] = [];

beforeAll(async () => {
  otherDepartment = await makeOrganisation(t.db.prisma, 'civil_affairs', '海东市民政局');
  otherCaseworker = await makeUser(t.db.prisma, otherDepartment, 'caseworker');
});

type Row = Record<string, string>;
const KEYS = IMPORT_COLUMNS.map((c) => c.key);
const HEADER = IMPORT_COLUMNS.map((c) => c.zh);

/** A row that imports: a fresh fictional student born on the default date, recognised at 13, admitted 2024. */
function goodRow(overrides: Row = {}): Row {
  const row = intakeRow({
    evidence: '死亡证明|QH-SW-2019-000123|西宁市第一人民医院|2019-03-02; 判决书|(2018)青0102刑初45号|西宁市城东区人民法院|2018-11-20',
    ...overrides,
  });
  for (const k of ['name', 'identity_number', 'account_number', 'phone']) if (row[k]) clearValues.add(row[k]!);
  return row;
}

const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
function csv(rows: Row[], header: string[] = HEADER, keys: string[] = KEYS): string {
  return `${[header, ...rows.map((r) => keys.map((k) => r[k] ?? ''))].map((line) => line.map(cell).join(',')).join('\r\n')}\r\n`;
}

interface UploadOptions {
  dryRun?: boolean | null;
  encoding?: string;
  token?: string;
  contentType?: string;
}

async function upload(body: string | Uint8Array, options: UploadOptions = {}) {
  const query = new URLSearchParams();
  if (options.dryRun !== null) query.set('dryRun', String(options.dryRun ?? true));
  if (options.encoding) query.set('encoding', options.encoding);
  const headers: Record<string, string> = { 'Content-Type': options.contentType ?? 'text/csv' };
  const token = options.token === undefined ? t.world.users.caseworker.token : options.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await t.app.request(`/api/v1/students/imports?${query}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await response.text();
  answers.push(text);
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, json, text };
}

async function counts() {
  return {
    students: await t.db.prisma.student.count(),
    recognitions: await t.db.prisma.recognition.count(),
    evidence: await t.db.prisma.recognitionEvidence.count(),
    enrolments: await t.db.prisma.enrolment.count(),
    audits: await t.db.prisma.auditEvent.count(),
    imports: await t.db.prisma.studentImport.count(),
  };
}

const rowOf = (report: any, n: number) => report.rows.find((r: any) => r.row === n);
const errorCodes = (row: any) => row.errors.map((e: any) => [e.column, e.code]);
const toJson = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

describe('GET /students/imports/template', () => {
  it('answers the header row and a marked example row, UTF-8 with BOM, as an attachment', async () => {
    const res = await t.app.request('/api/v1/students/imports/template', { headers: { Authorization: `Bearer ${t.world.users.caseworker.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('Content-Disposition')).toContain('attachment');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split('\r\n');
    expect(lines[0]!.split(',')).toEqual(['序号', ...HEADER]);
    expect(lines[1]).toMatch(/^示例/);
    expect(lines[2]).toBe('');
  });

  it('as downloaded it imports nothing: the example row is skipped; a row typed below it is read as row 3', async () => {
    const res = await t.app.request('/api/v1/students/imports/template', { headers: { Authorization: `Bearer ${t.world.users.caseworker.token}` } });
    const template = new Uint8Array(await res.arrayBuffer());
    const alone = await upload(template);
    expect(alone.status).toBe(400);
    expect(alone.json.code).toBe('no_rows');

    const row = goodRow();
    const filled = new Uint8Array([
      ...template,
      ...new TextEncoder().encode(`${csv([{ ...row }], ['序号', ...HEADER], ['no', ...KEYS]).split('\r\n')[1]}\r\n`),
    ]);
    const before = await counts();
    const dry = await upload(filled);
    expect(dry.status).toBe(200);
    expect(dry.json.rows).toEqual([expect.objectContaining({ row: 3, outcome: 'create', errors: [] })]);
    expect(dry.json.warnings).toEqual([expect.objectContaining({ row: 2, code: 'example_row_ignored' })]);
    expect(dry.json.encoding).toBe('utf-8');
    expect(await counts()).toEqual(before);
  });

  it('needs a token', async () => {
    expect((await t.app.request('/api/v1/students/imports/template')).status).toBe(401);
  });
});

describe('POST /students/imports — dry run', () => {
  it('reports each row by its number: create for good rows; each bad input named by column and reason; nothing written', async () => {
    const body17 = `630102${DEFAULT_BIRTH_DATE.replaceAll('-', '')}124`;
    const good = goodRow();
    const duplicated = goodRow();
    const rows: [string, Row][] = [
      ['good', good],
      ['wrong length', goodRow({ identity_number: body17 })],
      ['bad check digit', goodRow({ identity_number: body17 + (computeCheckCharacter(body17) === '0' ? '1' : '0') })],
      ['impossible birth date', goodRow({ identity_number: makeIdentityNumber('630102', '2006-02-30', 124) })],
      ['unknown region', goodRow({ identity_number: makeIdentityNumber('639901', '2006-05-20', 124) })],
      ['graduation before admission', goodRow({ admission_date: '2024-09-01', expected_graduation: '2024-06-30' })],
      ['recognition after the 18th birthday', goodRow({ recognised_on: '2024-05-20' })],
      ['unknown level', goodRow({ level: '研究生' })],
      ['unknown situation', goodRow({ father_situation: '外出务工' })],
      ['first of a duplicate', duplicated],
      ['duplicate in the file', goodRow({ identity_number: duplicated.identity_number!.toLowerCase() })],
      ['gender against the number', goodRow({ gender: '男' })],
      ['holder is not the student', goodRow({ holder_name: '李雷' })],
      ['grade 1 without 重残', goodRow({ father_disability_grade: '1' })],
      ['evidence after the recognition', goodRow({ evidence: '死亡证明|QH-SW-1|西宁市第一人民医院|2019-07-01' })],
      ['institution code with spaces', goodRow({ institution_code: '4163 0107' })],
      ['a name that is a formula', goodRow({ name: '=1+2', holder_name: '=1+2' })],
      ['other date forms', goodRow({ recognised_on: '2019/6/10', admission_date: '2024年9月1日', expected_graduation: '2028/06/30' })],
    ];
    const before = await counts();
    const res = await upload(csv(rows.map(([, r]) => r)));
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const report = res.json;
    expect(report).toMatchObject({ dryRun: true, committed: false, importId: null, replayed: false, headerRow: 1, encoding: 'utf-8', previousImport: null });
    expect(report.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.rows.map((r: any) => r.row)).toEqual(rows.map((_, i) => i + 2));

    const expectations: [number, string, string, string][] = [
      [3, '身份证号', 'identity_number', 'length'],
      [4, '身份证号', 'identity_number', 'check_digit'],
      [5, '身份证号', 'identity_number', 'birth_date'],
      [6, '身份证号', 'identity_number', 'region'],
      [7, '预计毕业', 'expected_graduation', 'graduation_not_after_admission'],
      [8, '认定日期', 'recognised_on', 'recognised_at_or_after_18'],
      [9, '层次', 'level', 'unknown_level'],
      [10, '父亲情况', 'father_situation', 'unknown_situation'],
      [12, '身份证号', 'identity_number', 'duplicate_in_file'],
      [13, '性别', 'gender', 'gender_mismatch'],
      [14, '户名', 'holder_name', 'account_holder_not_student'],
      [15, '父亲残疾等级', 'father_disability_grade', 'disability_grade_not_applicable'],
      [16, '证明材料', 'evidence', 'evidence_after_recognition'],
      [17, '学校代码', 'institution_code', 'invalid_institution_code'],
    ];
    expect(errorCodes(rowOf(report, 18))).toEqual([
      ['姓名', 'name_formula_start'],
      ['户名', 'name_formula_start'],
    ]);
    for (const [n, column, field, code] of expectations) {
      const row = rowOf(report, n);
      expect({ n, outcome: row.outcome }).toEqual({ n, outcome: 'error' });
      expect({ n, errors: errorCodes(row) }).toEqual({ n, errors: [[column, code]] });
      const [error] = row.errors;
      expect(error.field).toBe(field);
      expect(error.cell).toBe(`${String.fromCharCode(65 + KEYS.indexOf(field))}${n}`);
      expect(error.message_zh).toMatch(/[\u4e00-\u9fff]/);
      expect(error.message_en).toMatch(/[a-z]/);
    }
    expect(rowOf(report, 12).errors[0].message_en).toContain('row 11');
    for (const n of [2, 11, 19]) expect({ n, outcome: rowOf(report, n).outcome }).toEqual({ n, outcome: 'create' });
    expect(rowOf(report, 2)).toMatchObject({
      identityNumber: `630102********${good.identity_number!.slice(14)}`,
      name: `${good.name![0]}***`,
      studentId: null,
    });
    expect(rowOf(report, 3).identityNumber).toBe('*'.repeat(17));
    expect(report.counts).toEqual({ rows: rows.length, create: 3, exists: 0, error: rows.length - 3 });
    expect(await counts()).toEqual(before);
  });

  it('reports every problem of a row, and the problems of the student, recognition and enrolment together', async () => {
    const res = await upload(csv([goodRow({ gender: '未知', level: '', expected_graduation: '2020-01-01', mother_situation: '重残' })]));
    const row = res.json.rows[0];
    expect(row.outcome).toBe('error');
    expect(errorCodes(row)).toEqual(
      expect.arrayContaining([
        ['性别', 'unknown_gender'],
        ['层次', 'required'],
      ]),
    );
    // The student part cannot be read, so the use cases that need a student do not run; the rest is reported.
    const withStudent = await upload(csv([goodRow({ level: '', mother_situation: '重残', expected_graduation: '2020-01-01' })]));
    expect(errorCodes(withStudent.json.rows[0])).toEqual(
      expect.arrayContaining([
        ['层次', 'required'],
        ['母亲残疾等级', 'disability_grade_required'],
      ]),
    );
  });

  it('a row with more cells than the header (an unquoted comma) is an error of the whole row', async () => {
    const row = goodRow();
    const line = csv([row]).split('\r\n')[1]!;
    const shifted = line.replace('中国建设银行西宁城东支行', '中国建设银行,西宁城东支行');
    const res = await upload(`${HEADER.join(',')}\r\n${shifted}\r\n`);
    const [first] = res.json.rows[0].errors;
    expect(first).toMatchObject({ column: null, field: null, cell: null, code: 'too_many_cells' });
    expect(res.json.rows[0].outcome).toBe('error');
  });

  it('reads English headers, extra columns and a title row above the header; row numbers stay the file’s', async () => {
    const row = goodRow();
    const header = ['序号', '户籍地址', ...KEYS];
    const text = `青海省事实无人抚养学生名单,,\r\n\r\n${csv([{ ...row, no: '1', address: '西宁市城东区' }], header, ['no', 'address', ...KEYS])}`;
    const res = await upload(text);
    expect(res.status).toBe(200);
    expect(res.json.headerRow).toBe(3);
    expect(res.json.rows).toEqual([expect.objectContaining({ row: 4, outcome: 'create' })]);
    expect(res.json.warnings.map((w: any) => w.code).sort()).toEqual(['title_row_ignored', 'unknown_column_ignored']);
    expect(res.json.warnings.find((w: any) => w.code === 'unknown_column_ignored').column).toBe('户籍地址');
  });

  it('refuses a Content-Type other than CSV (415) and bad parameters (400)', async () => {
    const text = csv([goodRow()]);
    const json = await upload(text, { contentType: 'application/json' });
    expect(json.status).toBe(415);
    expect(json.json.detail).toBe(
      '不支持该内容类型；请将文件本身作为请求体发送（Content-Type: text/csv） (Send the file itself as the request body, with Content-Type: text/csv.)',
    );
    const bad = await upload(text, { encoding: 'latin-1' });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: any) => e.path)).toContain('encoding');
    const noRun = await t.as.caseworker.post('/api/v1/students/imports?dryRun=maybe', undefined, { rawBody: text, headers: { 'Content-Type': 'text/csv' } });
    expect(noRun.status).toBe(400);
    expect(noRun.json.errors.map((e: any) => e.path)).toContain('dryRun');
  });

  it('without dryRun, runs dry: nothing is written unless dryRun=false is said', async () => {
    const before = await counts();
    const res = await upload(csv([goodRow()]), { dryRun: null });
    expect(res.status).toBe(200);
    expect(res.json.dryRun).toBe(true);
    expect(await counts()).toEqual(before);
  });
});

describe('POST /students/imports — the file as a whole', () => {
  it('an old .xls workbook, binary data or UTF-16 is neither CSV nor XLSX: 400 with a hint, nothing written', async () => {
    const before = await counts();
    const xls = await upload(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
    expect(xls.status).toBe(400);
    expect(xls.json.code).toBe('not_csv');
    expect(xls.json.detail).toContain('CSV');
    const binary = await upload(new Uint8Array([0x31, 0x00, 0x32, 0x00, 0xff, 0x10]));
    expect(binary.json.code).toBe('not_csv');
    const utf16 = await upload(new Uint8Array([0xff, 0xfe, 0x53, 0x59]));
    expect(utf16.json.code).toBe('unsupported_encoding');
    const quotes = await upload(`${HEADER.join(',')}\r\n"unterminated,1,2\r\n`);
    expect(quotes.status).toBe(400);
    expect(quotes.json.code).toBe('not_csv');
    expect(await counts()).toEqual(before);
  });

  it('missing required columns: 400 naming each column', async () => {
    const keys = KEYS.filter((k) => k !== 'identity_number' && k !== 'level');
    const res = await upload(
      csv(
        [goodRow()],
        keys.map((k) => IMPORT_COLUMNS.find((c) => c.key === k)!.zh),
        keys,
      ),
    );
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('invalid_header');
    expect(res.json.errors.map((e: any) => e.path)).toEqual(['身份证号 identity_number', '层次 level']);
    const json = await upload('{"students": [1, 2, 3]}');
    expect(json.status).toBe(400);
    expect(json.json.code).toBe('invalid_header');
    expect(json.json.errors.map((e: any) => e.path)).toContain('身份证号 identity_number');
    const repeated = await upload(csv([goodRow()], [...HEADER, 'name'], [...KEYS, 'name']));
    expect(repeated.json.errors).toEqual([expect.objectContaining({ path: '姓名 name', message: expect.stringContaining('duplicate_column') })]);
    const empty = await upload(`${HEADER.join(',')}\r\n,,,\r\n`);
    expect(empty.json.code).toBe('no_rows');
  });

  it('more than 5,000 rows: 400 too_many_rows — a body over 1 MiB passes the API-wide limit on this route only', async () => {
    const row = csv([goodRow()]).split('\r\n')[1]!;
    const text = `${HEADER.join(',')}\r\n${`${row}\r\n`.repeat(5001)}`;
    expect(new TextEncoder().encode(text).byteLength).toBeGreaterThan(1024 * 1024);
    const res = await upload(text);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('too_many_rows');
    expect(res.json.detail).toContain('5000');
    const elsewhere = await t.as.caseworker.post('/api/v1/students', undefined, { rawBody: text });
    expect(elsewhere.status).toBe(413);
  });

  it('more than 5 MiB: 413', async () => {
    const res = await upload(`${HEADER.join(',')}\r\n${'x'.repeat(5 * 1024 * 1024)}`);
    expect(res.status).toBe(413);
    expect(res.json.code).toBe('payload_too_large');
    expect(res.json.detail).toBe('文件超过5 MiB，请拆分为多个文件 (The file is larger than 5 MiB; split it into several files of at most 5000 rows.)');
  });
});

describe('POST /students/imports — real run', () => {
  it('all or nothing: one bad row and nothing is written; 422 with the report', async () => {
    const before = await counts();
    const res = await upload(csv([goodRow(), goodRow({ level: '硕士' }), goodRow()]), { dryRun: false });
    expect(res.status).toBe(422);
    expect(res.headers.get('Content-Type')).toContain('application/problem+json');
    expect(res.json).toMatchObject({ code: 'import_rejected', report: { committed: false, counts: { rows: 3, create: 2, error: 1 } } });
    expect(res.json.errors).toEqual([expect.objectContaining({ path: 'rows.3.level' })]);
    // The rows that would have been created were rolled back with the rest: they have no id.
    expect(res.json.report.rows.map((r: any) => [r.outcome, r.studentId])).toEqual([
      ['create', null],
      ['error', null],
      ['create', null],
    ]);
    expect(await counts()).toEqual(before);
  });

  it('imports every row with recognition, enrolment and one audit event per record plus one for the import', async () => {
    const rows = [goodRow(), goodRow({ mother_situation: '失联', mother_lost_contact_months: '18个月', level: '高职' }), goodRow({ phone: '' })];
    const before = await counts();
    const res = await upload(csv(rows), { dryRun: false });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ committed: true, dryRun: false, replayed: false, counts: { rows: 3, create: 3, exists: 0, error: 0 } });
    expect(res.json.importId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await counts()).toEqual({
      students: before.students + 3,
      recognitions: before.recognitions + 3,
      evidence: before.evidence + 6,
      enrolments: before.enrolments + 3,
      audits: before.audits + 3 * 3 + 1,
      imports: before.imports + 1,
    });
    const ids = res.json.rows.map((r: any) => r.studentId);
    const second = await t.as.caseworker.get(`/api/v1/students/${ids[1]}/recognitions`);
    expect(second.json.items[0]).toMatchObject({ qualifies: true, mother: { situation: 'lost_contact', lostContactMonths: 18 } });
    const enrolments = await t.as.caseworker.get(`/api/v1/students/${ids[1]}/enrolments`);
    expect(enrolments.json.items[0]).toMatchObject({ level: 'higher_vocational', status: 'enrolled', admissionDate: '2024-09-01' });
    const third = await t.as.caseworker.get(`/api/v1/students/${ids[2]}`);
    expect(third.json).toMatchObject({ phone: null, departmentId: t.world.department.id, createdById: t.world.users.caseworker.actor.userId });

    const audit = await t.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'student.import', recordId: res.json.importId } });
    expect(audit).toMatchObject({ actorId: t.world.users.caseworker.actor.userId, recordType: 'student_import' });
    expect(audit.after).toEqual({ fileSha256: res.json.fileSha256, encoding: 'utf-8', rows: 3, created: 3, exists: 0 });
    for (const id of ids) expect(await t.db.prisma.auditEvent.count({ where: { recordId: id, action: 'student.register' } })).toBe(1);
  });

  it('the same file twice: the second creates nothing and answers the first import, replayed', async () => {
    const text = csv([goodRow(), goodRow()]);
    const first = await upload(text, { dryRun: false });
    expect(first.status).toBe(201);
    const before = await counts();
    const again = await upload(text, { dryRun: false });
    expect(again.status).toBe(200);
    expect(again.headers.get('Idempotency-Replayed')).toBe('true');
    expect(again.json).toMatchObject({ replayed: true, importId: first.json.importId, counts: first.json.counts });
    expect(await counts()).toEqual(before);
    const dry = await upload(text);
    expect(dry.json.previousImport).toEqual({ id: first.json.importId, importedAt: expect.any(String) });
    expect(dry.json.rows.map((r: any) => [r.outcome, r.studentId])).toEqual(first.json.rows.map((r: any) => ['exists', r.studentId]));
    expect(await counts()).toEqual(before);
  });

  it('two uploads of one file at the same time: one imports, the other replays it', async () => {
    const text = csv([goodRow()]);
    const before = await counts();
    const results = await Promise.all([upload(text, { dryRun: false }), upload(text, { dryRun: false })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 201]);
    expect((await counts()).students).toBe(before.students + 1);
  });

  it('a file overlapping an earlier one: rows already on file are exists, new rows are created', async () => {
    const old = goodRow();
    await upload(csv([old]), { dryRun: false });
    const fresh = goodRow();
    // The same student written differently but meaning the same: spaces in the account, another date form.
    const sameAgain = { ...old, account_number: old.account_number!.replace(/(\d{4})/g, '$1 ').trim(), admission_date: '2024/9/1' };
    const before = await counts();
    const res = await upload(csv([sameAgain, fresh]), { dryRun: false });
    expect(res.status).toBe(201);
    expect(res.json.rows.map((r: any) => r.outcome)).toEqual(['exists', 'create']);
    expect((await counts()).students).toBe(before.students + 1);
  });

  it('a student on file whose row says something else: conflicts_with_existing naming each differing column', async () => {
    const old = goodRow();
    await upload(csv([old]), { dryRun: false });
    const before = await counts();
    const changed = { ...old, account_number: fictionalAccountNumber(), level: '大专', mother_situation: '重病', phone: '' };
    clearValues.add(changed.account_number);
    const res = await upload(csv([changed]), { dryRun: false });
    expect(res.status).toBe(422);
    const row = res.json.report.rows[0];
    expect(row.outcome).toBe('error');
    expect(row.errors.every((e: any) => e.code === 'conflicts_with_existing')).toBe(true);
    expect(row.errors.map((e: any) => e.field).sort()).toEqual(['account_number', 'level', 'mother_situation', 'phone']);
    expect(await counts()).toEqual(before);
  });

  it('a student on file without recognition or enrolment: the row is a conflict, the clerk records them one by one', async () => {
    const { plain } = await makeStudent(t.world, { name: '卓玛' });
    for (const v of Object.values(plain)) if (v) clearValues.add(v);
    const row = goodRow({
      name: '卓玛',
      holder_name: '卓玛',
      identity_number: plain.identityNumber,
      account_number: plain.accountNumber,
      phone: plain.phone ?? '',
    });
    const res = await upload(csv([row]));
    expect(errorCodes(res.json.rows[0])).toEqual([
      ['认定日期', 'conflicts_with_existing'],
      ['学校代码', 'conflicts_with_existing'],
    ]);
  });
});

describe('POST /students/imports — encodings', () => {
  it('a GBK file (as Excel saves CSV on Chinese Windows) is detected and imported with the right Chinese names', async () => {
    const name = '欧阳娜仁';
    const row = goodRow({ name, holder_name: name, authority: '海东市乐都区民政局', institution_name: '青海师范大学' });
    const bytes = iconv.encode(csv([row]), 'gbk');
    expect(new TextDecoder('utf-8', { fatal: false }).decode(bytes)).not.toContain(name);
    const res = await upload(bytes, { dryRun: false });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ encoding: 'gbk', counts: { create: 1 } });
    expect(res.json.rows[0].name).toBe('欧***');
    const found = await t.as.caseworker.get(`/api/v1/students?name=${encodeURIComponent(name)}`);
    expect(found.json.items.map((s: any) => s.id)).toEqual([res.json.rows[0].studentId]);
    const whole = await t.as.caseworker.post(`/api/v1/students/${res.json.rows[0].studentId}/unmask`, { purpose: '核对导入结果 checking an import' });
    expect(whole.json).toMatchObject({ name, identityNumber: row.identity_number });
    const recognitions = await t.as.caseworker.get(`/api/v1/students/${res.json.rows[0].studentId}/recognitions`);
    expect(recognitions.json.items[0].authority).toBe('海东市乐都区民政局');
  });

  it('encoding=gbk is honoured; encoding=utf-8 on GBK bytes is refused naming the encoding', async () => {
    const row = goodRow();
    const bytes = iconv.encode(csv([row]), 'gbk');
    const given = await upload(bytes, { encoding: 'gbk' });
    expect(given.json).toMatchObject({ encoding: 'gbk', counts: { create: 1 } });
    const wrong = await upload(bytes, { encoding: 'utf-8' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.code).toBe('invalid_encoding');
    expect(wrong.json.errors.map((e: any) => e.path)).toEqual(['encoding']);
  });

  it('UTF-8 with a byte-order mark (Excel “CSV UTF-8”)', async () => {
    const res = await upload(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(csv([goodRow()]))]));
    expect(res.json).toMatchObject({ encoding: 'utf-8', counts: { create: 1 } });
  });
});

describe('POST /students/imports — roles and departments', () => {
  it('only caseworkers import; other roles 403, no token 401; nothing written', async () => {
    const text = csv([goodRow()]);
    const before = await counts();
    for (const [who, user] of Object.entries(t.world.users)) {
      if (who === 'caseworker') continue;
      for (const dryRun of [true, false]) {
        const res = await upload(text, { token: user.token, dryRun });
        expect({ who, dryRun, status: res.status }).toEqual({ who, dryRun, status: 403 });
      }
    }
    const anonymous = await upload(text, { token: '' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('WWW-Authenticate')).toBe('Bearer');
    expect(await counts()).toEqual(before);
  });

  it('a student registered by another department: exists_elsewhere, without saying which department', async () => {
    const theirs = await makeStudent(t.world, { by: otherCaseworker });
    for (const v of Object.values(theirs.plain)) if (v) clearValues.add(v);
    const row = goodRow({ identity_number: theirs.plain.identityNumber });
    const before = await counts();
    const dry = await upload(csv([row, goodRow()]));
    expect(rowOf(dry.json, 2)).toMatchObject({ outcome: 'error', studentId: null });
    expect(errorCodes(rowOf(dry.json, 2))).toEqual([['身份证号', 'exists_elsewhere']]);
    const real = await upload(csv([row]), { dryRun: false });
    expect(real.status).toBe(422);
    for (const text of [dry.text, real.text]) {
      expect(text).not.toContain(otherDepartment.id);
      expect(text).not.toContain(otherDepartment.name);
      expect(text).not.toContain(theirs.student.id);
    }
    expect(await counts()).toEqual(before);
  });

  it('an account already on another department’s student: refused as on POST /students, without naming the student', async () => {
    const theirs = await makeStudent(t.world, { by: otherCaseworker });
    for (const v of Object.values(theirs.plain)) if (v) clearValues.add(v);
    const res = await upload(csv([goodRow({ account_number: theirs.plain.accountNumber })]));
    expect(errorCodes(res.json.rows[0])).toEqual([['银行账号', 'bank_account_in_use']]);
    expect(res.text).not.toContain(theirs.student.id);
  });

  it('the same file in two departments is two imports: each department imports its own students', async () => {
    const text = csv([goodRow()]);
    const other = await upload(text, { token: otherCaseworker.token, dryRun: false });
    expect(other.status).toBe(201);
    const mine = await upload(text, { dryRun: false });
    expect(mine.status).toBe(422);
    expect(errorCodes(mine.json.report.rows[0])).toEqual([['身份证号', 'exists_elsewhere']]);
  });
});

describe('personal data stays out of reports, logs, rows and the audit trail', () => {
  it('the OpenAPI document describes both routes, the CSV body and the report', async () => {
    const doc = (await t.anonymous.get('/openapi.json')).json;
    expect(doc.paths['/api/v1/students/imports'].post.requestBody.content).toHaveProperty('text/csv');
    expect(doc.paths['/api/v1/students/imports'].post.responses).toHaveProperty('413');
    expect(doc.paths['/api/v1/students/imports/template'].get.responses['200'].content).toHaveProperty('text/csv');
    expect(doc.components.schemas).toHaveProperty('StudentImportReport');
  });

  it('no report, log line, import row or audit row carries a clear identity number, name, account or phone number', async () => {
    expect(clearValues.size).toBeGreaterThan(100);
    const places = {
      answers: answers.join('\n'),
      logs: t.logs.lines.join('\n'),
      imports: toJson(await t.db.prisma.studentImport.findMany()),
      audits: toJson(await t.db.prisma.auditEvent.findMany()),
      students: toJson(await t.db.prisma.student.findMany()),
    };
    for (const [where, text] of Object.entries(places)) {
      for (const v of clearValues) expect({ where, found: text.includes(v) ? v : null }).toEqual({ where, found: null });
      // Any 18-character identity number at all, but not a run of digits inside a hash or a sealed value.
      if (where !== 'students') expect({ where, match: /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/.exec(text)?.[0] ?? null }).toEqual({ where, match: null });
    }
  });
});
