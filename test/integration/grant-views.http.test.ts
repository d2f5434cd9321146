// Grant views through the HTTP API: the programme summary on a small known
// dataset (exact decimal strings), a student's grant history, the CSV list for the foundation
// (columns, masking, UTF-8 BOM and GBK), scope (other organisations → 404) and bad input (400).
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../src/domain/dates.ts';
import { GRANT_REGISTER_HEADER as GRANT_CSV_HEADER } from '../../src/services/grant-register-files.ts';
import { approveGrant, proposeGrant, rejectGrant } from '../../src/services/grants.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { makeOrganisation, makeProgramme, makeUser, type TestUser, type World } from '../support/fixtures.ts';
import { GRANT_YEAR, fundProgramme, makeApprovedStudent } from '../support/grants.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let programme: ProgrammeView;
let other: { caseworker: TestUser; finance: TestUser; viewer: TestUser };
type Made = Awaited<ReturnType<typeof makeApprovedStudent>>;
let students: { a: Made; b: Made; c: Made; d: Made; e: Made };
const grantIds: Record<string, string> = {};

async function fundedGrant(key: string, s: Made, amount: string) {
  const g = await proposeGrant({
    ctx: t.world.users.caseworker.ctx,
    input: { studentId: s.student.id, programmeId: programme.id, academicYear: GRANT_YEAR, amount },
  });
  grantIds[key] = g.id;
  return g;
}

// The dataset (2026-2027, quarterly plan, 20,000.00 received):
//   a: undergraduate, 城东区 630102 (西宁市), 4,000.00 approved; instalment 1 (1,000.00) paid
//   b: junior college, 乐都区 630202 (海东市), 3,000.00 approved, then withdrawn: 3,000.00 cancelled
//   c: undergraduate, 城中区 630103 (西宁市), 5,000.00 approved, nothing paid
//   d: 3,500.00 proposed only; e: rejected — neither counts.
beforeAll(async () => {
  programme = await makeProgramme(t.world, { instalmentPlan: 'quarterly' });
  await fundProgramme(t.world, programme.id, '20000.00');
  const department = await makeOrganisation(t.db.prisma, 'civil_affairs');
  const foundation = await makeOrganisation(t.db.prisma, 'foundation');
  other = {
    caseworker: await makeUser(t.db.prisma, department, 'caseworker'),
    finance: await makeUser(t.db.prisma, department, 'finance'),
    viewer: await makeUser(t.db.prisma, foundation, 'foundation_viewer'),
  };
  const student = (regionCode: string, name: string, level: 'undergraduate' | 'junior_college' = 'undergraduate') =>
    makeApprovedStudent(t.db.prisma, t.world, programme.id, { student: { regionCode, name, enrolment: { level } } });
  students = {
    a: await student('630102', '才让卓玛'),
    b: await student('630202', '马晓燕', 'junior_college'),
    c: await student('630103', '欧阳青云'),
    d: await student('630104', '李四'),
    e: await student('630105', '王五'),
  };
  const approve = (id: string) => approveGrant({ ctx: t.world.users.approver.ctx, input: { id } });
  await approve((await fundedGrant('a', students.a, '4000.00')).id);
  await approve((await fundedGrant('b', students.b, '3000.00')).id);
  await approve((await fundedGrant('c', students.c, '5000.00')).id);
  await fundedGrant('d', students.d, '3500.00');
  await rejectGrant({ ctx: t.world.users.approver.ctx, input: { id: (await fundedGrant('e', students.e, '3000.00')).id, reason: '金额需重新核定' } });
  // Payouts come later: instalment 1 of a is sent and paid by setting its status (allowed transitions).
  for (const status of ['sent', 'paid'] as const) {
    await t.db.prisma.instalment.update({ where: { grantId_sequence: { grantId: grantIds.a!, sequence: 1 } }, data: { status } });
  }
  const ended = await t.as.caseworker.post(`/api/v1/students/${students.b.student.id}/enrolments/${students.b.enrolment.id}/status`, {
    status: 'withdrawn',
    effectiveOn: todayInChina(),
    reason: '本人申请退学',
  });
  expect(ended.status).toBe(200);
});

const zeros = { studentsFunded: 0, grants: 0, committed: '0.00', paid: '0.00', cancelled: '0.00', remaining: '0.00' };

const EXPECTED_YEAR = {
  academicYear: GRANT_YEAR,
  studentsFunded: 3,
  grants: 3,
  committed: '12000.00',
  paid: '1000.00',
  cancelled: '3000.00',
  remaining: '8000.00',
  byLevel: [
    { level: 'junior_college', studentsFunded: 1, grants: 1, committed: '3000.00', paid: '0.00', cancelled: '3000.00', remaining: '0.00' },
    { level: 'undergraduate', studentsFunded: 2, grants: 2, committed: '9000.00', paid: '1000.00', cancelled: '0.00', remaining: '8000.00' },
  ],
  byRegion: [
    {
      regionCode: '630100',
      regionName: '青海省西宁市',
      studentsFunded: 2,
      grants: 2,
      committed: '9000.00',
      paid: '1000.00',
      cancelled: '0.00',
      remaining: '8000.00',
    },
    {
      regionCode: '630200',
      regionName: '青海省海东市',
      studentsFunded: 1,
      grants: 1,
      committed: '3000.00',
      paid: '0.00',
      cancelled: '3000.00',
      remaining: '0.00',
    },
  ],
};

const summaryUrl = (query = '', id = programme.id) => `/api/v1/programmes/${id}/grant-summary${query}`;
const csvUrl = (query = '', id = programme.id) => `/api/v1/programmes/${id}/grants.csv${query}`;
const historyUrl = (id: string) => `/api/v1/students/${id}/grants`;

describe('GET /programmes/{id}/grant-summary', () => {
  it('gives the figures of one year exactly, and the uncommitted fund from the ledger', async () => {
    const res = await t.as.foundationViewer.get(summaryUrl(`?academicYear=${GRANT_YEAR}`));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      programme: { id: programme.id, code: programme.code, name: programme.name },
      academicYear: GRANT_YEAR,
      // 20,000.00 − 12,000.00 committed + 3,000.00 returned.
      uncommittedFund: '11000.00',
      currency: 'CNY',
      years: [EXPECTED_YEAR],
      cumulative: { ...EXPECTED_YEAR, academicYear: null },
    });
  });

  it('without a year: every year with grants, and the cumulative figures; a year without grants is all zeros', async () => {
    const all = await t.as.finance.get(summaryUrl());
    expect(all.status).toBe(200);
    expect(all.json.academicYear).toBeNull();
    expect(all.json.years).toEqual([EXPECTED_YEAR]);
    expect(all.json.cumulative).toEqual({ ...EXPECTED_YEAR, academicYear: null });
    const empty = await t.as.auditor.get(summaryUrl('?academicYear=2025-2026'));
    expect(empty.json.years).toEqual([{ academicYear: '2025-2026', ...zeros, byLevel: [], byRegion: [] }]);
    // The cumulative figures of a year asked for are that year's only, not every year's.
    expect(empty.json.cumulative).toEqual({ academicYear: null, ...zeros, byLevel: [], byRegion: [] });
    expect(empty.json.uncommittedFund).toBe('11000.00');
  });

  it('is read by every role of the scope', async () => {
    for (const user of Object.values(t.world.users)) {
      expect((await t.as(user).get(summaryUrl())).status, user.actor.role).toBe(200);
    }
  });
});

describe('GET /students/{id}/grants', () => {
  it('gives the grant history with instalments and their status, masked identity only', async () => {
    const res = await t.as.foundationViewer.get(historyUrl(students.b.student.id));
    expect(res.status).toBe(200);
    expect(res.json.student).toEqual({ id: students.b.student.id, nameMasked: '马**', identityNumberMasked: students.b.student.identityNumberMasked });
    expect(res.json.grants).toHaveLength(1);
    expect(res.json.grants[0]).toMatchObject({
      id: grantIds.b,
      academicYear: GRANT_YEAR,
      status: 'ended',
      amount: '3000.00',
      ending: { reason: 'enrolment ended (withdrawn): 本人申请退学' },
    });
    expect(res.json.grants[0].instalments.map((i: { status: string; amount: string }) => [i.status, i.amount])).toEqual([
      ['cancelled', '750.00'],
      ['cancelled', '750.00'],
      ['cancelled', '750.00'],
      ['cancelled', '750.00'],
    ]);
    expect(res.text).not.toContain(students.b.student.plain.identityNumber);
    expect(res.text).not.toContain(students.b.student.plain.name);

    const a = await t.as.caseworker.get(historyUrl(students.a.student.id));
    expect(a.json.grants[0].instalments.map((i: { status: string }) => i.status)).toEqual(['paid', 'scheduled', 'scheduled', 'scheduled']);
    // Rejected and proposed grants are part of the history too.
    const e = await t.as.auditor.get(historyUrl(students.e.student.id));
    expect(e.json.grants.map((g: { status: string }) => g.status)).toEqual(['rejected']);
  });
});

const SCHOOL = '青海大学';

describe('GET /programmes/{id}/grants.csv', () => {
  function parse(text: string) {
    const parsed = Papa.parse<string[]>(text.trimEnd(), { delimiter: ',' });
    expect(parsed.errors).toEqual([]);
    return parsed.data;
  }

  it('UTF-8 with a BOM, an attachment: one row per funded grant, masked identities, exact amounts', async () => {
    const res = await t.as.foundationViewer.get(csvUrl(`?academicYear=${GRANT_YEAR}`));
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="grants-${programme.code}-${GRANT_YEAR}.csv"`);
    // Response.text() drops a BOM: look at the bytes.
    const raw = Buffer.from(
      await (
        await t.app.request(csvUrl(`?academicYear=${GRANT_YEAR}`), { headers: { Authorization: `Bearer ${t.world.users.foundationViewer.token}` } })
      ).arrayBuffer(),
    );
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(raw.subarray(3).toString('utf8')).toBe(res.text);
    const rows = parse(res.text);
    expect(rows[0]).toEqual([...GRANT_CSV_HEADER]);
    // The grant's number is the last column: a reference to quote, not the first thing read.
    const byId = new Map(rows.slice(1).map((r) => [r[r.length - 1], r]));
    expect(rows).toHaveLength(4);
    expect(byId.get(grantIds.a)).toEqual([
      GRANT_YEAR,
      '才***',
      students.a.student.identityNumberMasked,
      SCHOOL,
      '本科',
      '青海省西宁市',
      '已批准',
      '4000.00',
      '1000.00',
      '0.00',
      '0.00',
      '3000.00',
      grantIds.a,
    ]);
    expect(byId.get(grantIds.b)).toEqual([
      GRANT_YEAR,
      '马**',
      students.b.student.identityNumberMasked,
      SCHOOL,
      '大专',
      '青海省海东市',
      '已终止',
      '3000.00',
      '0.00',
      '0.00',
      '3000.00',
      '0.00',
      grantIds.b,
    ]);
    expect(byId.get(grantIds.c)).toEqual([
      GRANT_YEAR,
      '欧***',
      students.c.student.identityNumberMasked,
      SCHOOL,
      '本科',
      '青海省西宁市',
      '已批准',
      '5000.00',
      '0.00',
      '0.00',
      '0.00',
      '5000.00',
      grantIds.c,
    ]);
    // No clear identity number or name anywhere in the file.
    for (const s of Object.values(students)) {
      expect(res.text).not.toContain(s.student.plain.identityNumber);
      expect(res.text).not.toContain(s.student.plain.name);
    }
    expect(res.text).not.toContain(grantIds.d);
    expect(res.text).not.toContain(grantIds.e);
    expect(await t.db.prisma.auditEvent.findFirst({ where: { action: 'grant.export', recordId: programme.id }, orderBy: { id: 'desc' } })).toMatchObject({
      actorId: t.world.users.foundationViewer.actor.userId,
      after: { academicYear: GRANT_YEAR, encoding: 'utf-8', rows: 3 },
    });
  });

  it('GBK: the same content, round-tripped through iconv, no BOM', async () => {
    const utf8 = await t.app.request(csvUrl(`?academicYear=${GRANT_YEAR}&encoding=utf-8`), {
      headers: { Authorization: `Bearer ${t.world.users.auditor.token}` },
    });
    const gbk = await t.app.request(csvUrl(`?academicYear=${GRANT_YEAR}&encoding=gbk`), {
      headers: { Authorization: `Bearer ${t.world.users.auditor.token}` },
    });
    expect(gbk.status).toBe(200);
    expect(gbk.headers.get('Content-Type')).toBe('text/csv; charset=GBK');
    const gbkBytes = Buffer.from(await gbk.arrayBuffer());
    expect(gbkBytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    const decoded = iconv.decode(gbkBytes, 'gbk');
    const utf8Text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await utf8.arrayBuffer());
    expect(decoded).toBe(utf8Text.slice(1));
    expect(decoded).toContain('青海省海东市');
    expect(gbkBytes.includes(Buffer.from('青海省海东市', 'utf8'))).toBe(false);
    expect(iconv.encode(decoded, 'gbk').equals(gbkBytes)).toBe(true);
  });

  it('without a year: every year', async () => {
    const res = await t.as.admin.get(csvUrl());
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="grants-${programme.code}-all-years.csv"`);
    expect(parse(res.text)).toHaveLength(4);
  });
});

describe('scope, roles and bad input', () => {
  const endpoints = () => [summaryUrl(), csvUrl(), historyUrl(students.a.student.id)];

  it('another foundation or another department: 404 on every endpoint; no token: 401', async () => {
    for (const url of endpoints()) {
      for (const user of [other.viewer, other.caseworker, other.finance]) {
        const res = await t.as(user).get(url);
        expect(res.status, `${user.actor.role} ${url}`).toBe(404);
        expect(res.json.code).toBe('not_found');
      }
      expect((await t.anonymous.get(url)).status).toBe(401);
    }
    // An unknown programme or student answers the same.
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const url of [summaryUrl('', unknown), csvUrl('', unknown), historyUrl(unknown)]) {
      expect((await t.as.admin.get(url)).status).toBe(404);
    }
  });

  it('a foundation does not see students of programmes it does not fund', async () => {
    const p2 = await makeProgramme({ ...t.world, foundation: await makeOrganisation(t.db.prisma, 'foundation') } as World);
    const s = await makeApprovedStudent(t.db.prisma, t.world, p2.id);
    expect((await t.as.foundationViewer.get(historyUrl(s.student.id))).status).toBe(404);
    expect((await t.as.foundationViewer.get(summaryUrl('', p2.id))).status).toBe(404);
    expect((await t.as.foundationViewer.get(csvUrl('', p2.id))).status).toBe(404);
    // The administering department does see it.
    expect((await t.as.approver.get(historyUrl(s.student.id))).status).toBe(200);
  });

  it('bad academic year, bad encoding, bad id: 400 naming the field', async () => {
    const cases: [string, string][] = [
      [summaryUrl('?academicYear=2025/2026'), 'academicYear'],
      [summaryUrl('?academicYear=2025-2027'), 'academicYear'],
      [csvUrl('?academicYear=2025'), 'academicYear'],
      [csvUrl('?encoding=latin1'), 'encoding'],
      [csvUrl('?encoding=GB2312'), 'encoding'],
      ['/api/v1/programmes/not-a-uuid/grant-summary', 'id'],
      ['/api/v1/programmes/not-a-uuid/grants.csv', 'id'],
      ['/api/v1/students/not-a-uuid/grants', 'id'],
    ];
    for (const [url, field] of cases) {
      const res = await t.as.auditor.get(url);
      expect(res.status, url).toBe(400);
      expect(
        res.json.errors.map((e: { path: string }) => e.path),
        url,
      ).toContain(field);
    }
  });
});

describe('GET /programmes/{id}/grants.xlsx', () => {
  const xlsxUrl = (query = '', id = programme.id) => `/api/v1/programmes/${id}/grants.xlsx${query}`;

  it('the same rows as the CSV in a workbook, identity numbers as text cells; audited', async () => {
    const res = await t.app.request(xlsxUrl(`?academicYear=${GRANT_YEAR}&status=ended`), {
      headers: { Authorization: `Bearer ${t.world.users.foundationViewer.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="grants-${programme.code}-${GRANT_YEAR}.xlsx"`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await res.arrayBuffer()) as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...GRANT_CSV_HEADER]);
    expect(sheet.rowCount).toBe(2);
    const row = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(row.slice(0, 7)).toEqual([GRANT_YEAR, '马**', students.b.student.identityNumberMasked, SCHOOL, '大专', '青海省海东市', '已终止']);
    expect(sheet.getRow(2).getCell(3).type).toBe(ExcelJS.ValueType.String);
    expect(row[row.length - 1]).toBe(grantIds.b);
    expect(await t.db.prisma.auditEvent.findFirst({ where: { action: 'grant.export', recordId: programme.id }, orderBy: { id: 'desc' } })).toMatchObject({
      actorId: t.world.users.foundationViewer.actor.userId,
      after: { format: 'xlsx', status: 'ended', rows: 1 },
    });
  });

  it('names a bad filter (400) and answers 404 for another foundation', async () => {
    const bad = await t.as.foundationViewer.get(xlsxUrl('?status=rejected'));
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(['status']);
    const other = await makeOrganisation(t.db.prisma, 'foundation');
    const stranger = await makeUser(t.db.prisma, other, 'foundation_viewer');
    expect((await t.as(stranger).get(xlsxUrl())).status).toBe(404);
  });
});
