// The programme pages through the app in-process: the money dashboard (every figure from the
// ledger, each a link to its rows), the transfers and what they were used for, the grant register
// and one grant, the payouts, the journal, and the downloads (CSV in UTF-8 and GBK, XLSX with
// identity numbers as text cells), each download audited. Another foundation, a role without the
// journal, and malformed links get what they may see and no more.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { GRANT_REGISTER_HEADER } from '../../src/services/grant-register-files.ts';
import { makeOrganisation, makeUser } from '../support/fixtures.ts';
import { type PageBrowser, signedInBrowser } from '../support/page-browser.ts';
import { makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

let programme: ProgrammeView;
let grants: Awaited<ReturnType<typeof makeApprovedGrants>>;
let foundation: PageBrowser;

beforeAll(async () => {
  programme = await makePayoutProgramme(t.world, '20000.00');
  grants = await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['4000.00', '3500.00']);
  foundation = await signedInBrowser(t.app, t.db.prisma, t.world.users.foundationViewer.actor.userId);
}, 120_000);

const base = () => `/programmes/${programme.id}`;
const plainValues = () => grants.flatMap((g) => [g.student.plain.name, g.student.plain.identityNumber]);

/** The text of a page without tags, spaces folded: what a person reads. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the programme dashboard', () => {
  it('shows the ledger figures, each linked to the rows behind it, with charts and downloads', async () => {
    const res = await foundation.request('GET', base());
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    expect(text).toContain('资金到账 基金会拨入项目账户的资金（冲正后） ¥20,000.00');
    expect(text).toContain('已承诺 已批准的年度资助（账本：资金池 → 应付） ¥7,500.00');
    expect(text).toContain('未承诺资金 已到账、尚未承诺给任何资助的资金（账户余额） ¥12,500.00');
    expect(res.html).toContain(`href="${base()}/ledger?kind=grant_approved"`);
    expect(res.html).toContain(`href="${base()}/funding"`);
    expect(res.html.match(/<svg /g)).toHaveLength(2);
    expect(res.html).toContain(`href="${base()}/grants.xlsx"`);
    for (const value of plainValues()) expect(res.html).not.toContain(value);
  });

  it('the committed figure is the sum of the transactions its link lists', async () => {
    const res = await foundation.request('GET', `${base()}/ledger?kind=grant_approved`);
    expect(res.status).toBe(200);
    const amounts = [...res.html.matchAll(/<td class="money">¥([\d,.]+)<\/td>/g)].map((m) => m[1]);
    expect(amounts.sort()).toEqual(['3,500.00', '4,000.00']);
    const first = /href="(\/programmes\/[^"]+\/ledger\/[^"]+)"/.exec(res.html)![1]!;
    const transaction = await foundation.request('GET', first);
    expect(transaction.status).toBe(200);
    expect(textOf(transaction.html)).toMatch(/分录.*借.*贷/);
  });

  it('a department caseworker sees the balances but not the journal', async () => {
    const caseworker = await signedInBrowser(t.app, t.db.prisma, t.world.users.caseworker.actor.userId);
    const res = await caseworker.request('GET', base());
    expect(res.status).toBe(200);
    expect(textOf(res.html)).toContain('已承诺未发出');
    expect(res.html).not.toContain('/ledger?kind=');
    expect((await caseworker.request('GET', `${base()}/ledger`)).status).toBe(404);
  });
});

describe('transfers, grants and payouts', () => {
  it('each transfer with the part grants drew on (first in, first used) and its ledger transaction', async () => {
    const res = await foundation.request('GET', `${base()}/funding`);
    expect(res.status).toBe(200);
    expect(textOf(res.html)).toMatch(/¥20,000\.00 ¥7,500\.00 ¥12,500\.00 第 \d+ 号/);
  });

  it('the grant register masks identities and shows school and level; one grant shows its instalments', async () => {
    const res = await foundation.request('GET', `${base()}/grants`);
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    expect(text).toContain('青海大学');
    for (const g of grants) expect(text).toContain(g.student.identityNumberMasked);
    for (const value of plainValues()) expect(res.html).not.toContain(value);
    const grant = await foundation.request('GET', `${base()}/grants/${grants[0]!.grant.id}`);
    expect(grant.status).toBe(200);
    expect(textOf(grant.html)).toContain('分期');
    expect(textOf(grant.html)).toContain('待发放');
  });

  it('filters it by status and year; an unknown filter value is no filter', async () => {
    expect(textOf((await foundation.request('GET', `${base()}/grants?status=ended`)).html)).toContain('没有符合条件的资助');
    const unknown = await foundation.request('GET', `${base()}/grants?status=bogus&year=1999-2000`);
    expect(unknown.status).toBe(200);
    expect(textOf(unknown.html)).not.toContain('没有符合条件的资助');
  });

  it('lists payouts by status (none sent yet)', async () => {
    const res = await foundation.request('GET', `${base()}/payouts?status=returned`);
    expect(res.status).toBe(200);
    expect(textOf(res.html)).toContain('没有符合条件的发放记录');
  });
});

describe('downloads', () => {
  it('CSV: UTF-8 with a BOM, Chinese headers and words, the grant number last; audited', async () => {
    const res = await foundation.request('GET', `${base()}/grants.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Disposition')).toMatch(/^attachment; filename="grants-.+-all-years\.csv"$/);
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = Papa.parse<string[]>(res.html.replace(/^\uFEFF/, '').trimEnd()).data;
    expect(rows[0]).toEqual([...GRANT_REGISTER_HEADER]);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain('已批准');
    expect(rows[1]).toContain('本科');
    expect(grants.map((g) => g.grant.id)).toContain(rows[1]![rows[1]!.length - 1]);
    for (const value of plainValues()) expect(res.html).not.toContain(value);
    const audit = await t.db.prisma.auditEvent.findFirst({ where: { action: 'grant.export', recordId: programme.id }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({ actorId: t.world.users.foundationViewer.actor.userId, after: { format: 'csv', encoding: 'utf-8', rows: 2 } });
  });

  it('CSV in GBK reads back to the same rows', async () => {
    const utf8 = await foundation.request('GET', `${base()}/grants.csv`);
    const gbk = await foundation.request('GET', `${base()}/grants.csv?encoding=gbk`);
    expect(gbk.headers.get('Content-Type')).toBe('text/csv; charset=GBK');
    expect(iconv.decode(Buffer.from(gbk.bytes), 'gbk')).toBe(utf8.html.replace(/^\uFEFF/, ''));
  });

  it('XLSX: identity numbers are text cells, money cells hold the exact amounts; audited', async () => {
    const res = await foundation.request('GET', `${base()}/grants.xlsx?status=approved`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(res.bytes) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('资助名单');
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...GRANT_REGISTER_HEADER]);
    expect(sheet.rowCount).toBe(3);
    const idColumn = GRANT_REGISTER_HEADER.indexOf('身份证号') + 1;
    const amountColumn = GRANT_REGISTER_HEADER.indexOf('资助金额') + 1;
    const seen = [];
    for (const n of [2, 3]) {
      const idCell = sheet.getRow(n).getCell(idColumn);
      expect(idCell.type).toBe(ExcelJS.ValueType.String);
      expect(idCell.numFmt).toBe('@');
      seen.push([idCell.value, (sheet.getRow(n).getCell(amountColumn).value as number).toFixed(2)]);
    }
    expect(seen.sort()).toEqual(grants.map((g) => [g.student.identityNumberMasked, g.grant.amount]).sort());
    const audit = await t.db.prisma.auditEvent.findFirst({ where: { action: 'grant.export', recordId: programme.id }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({ after: { format: 'xlsx', status: 'approved', rows: 2 } });
  });
});

describe('what others may not see', () => {
  it('another foundation gets the 404 page for every page and download of this programme, and no count of it', async () => {
    const other = await makeOrganisation(t.db.prisma, 'foundation');
    const viewer = await makeUser(t.db.prisma, other, 'foundation_viewer');
    const browser = await signedInBrowser(t.app, t.db.prisma, viewer.actor.userId);
    const ledgerId = /href="\/programmes\/[^/]+\/ledger\/([^"]+)"/.exec((await foundation.request('GET', `${base()}/ledger`)).html)![1];
    for (const path of [
      '',
      '/funding',
      '/grants',
      `/grants/${grants[0]!.grant.id}`,
      '/payouts',
      '/ledger',
      `/ledger/${ledgerId}`,
      '/grants.csv',
      '/grants.xlsx',
    ]) {
      const res = await browser.request('GET', base() + path);
      expect(res.status, path).toBe(404);
      expect(res.html).toContain('页面不存在');
      expect(res.html).not.toContain(programme.name);
    }
    const list = await browser.request('GET', '/programmes');
    expect(list.html).not.toContain(programme.id);
    expect(list.html).toContain('没有可查看的助学项目');
    const exports = await t.db.prisma.auditEvent.count({ where: { action: 'grant.export', actorId: viewer.actor.userId } });
    expect(exports).toBe(0);
  });

  it('malformed ids answer the 404 page; a tampered cursor too; signed out, the sign-in page', async () => {
    expect((await foundation.request('GET', '/programmes/not-a-uuid')).status).toBe(404);
    expect((await foundation.request('GET', `${base()}/grants/not-a-uuid`)).status).toBe(404);
    expect((await foundation.request('GET', `${base()}/grants?cursor=garbage`)).status).toBe(404);
    const anonymous = await new (foundation.constructor as typeof PageBrowser)(t.app).request('GET', base());
    expect(anonymous).toMatchObject({ status: 303, location: '/' });
  });
});
