// The admin's programmes: creating one with its payout account and the first year's bands leads to
// the list that shows it; setting a year's bands replaces them; each form posted twice does it once.
// A band whose maximum is below its minimum is said beside that level's field, in Chinese, and
// nothing is written; other roles get the 404 page and write nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisation, makeProgramme, makeUser } from '../support/fixtures.ts';
import { type PageBrowser, signedInBrowser } from '../support/page-browser.ts';
import { fieldError, foreignForm, postForm, textOf } from '../support/page-forms.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let admin: PageBrowser;

beforeAll(async () => {
  admin = await signedInBrowser(t.app, t.db.prisma, t.world.users.admin.actor.userId);
}, 60_000);

function programmeFields(code: string): Record<string, string> {
  return {
    code,
    name: '青山陪伴助学（海东）',
    funderId: t.world.foundation.id,
    administratorId: t.world.department.id,
    firstAcademicYear: '2026-2027',
    lastAcademicYear: '2028-2029',
    instalmentPlan: 'quarterly',
    budget: '540000.00',
    'payoutAccount.accountNumber': '6222020200112233',
    'payoutAccount.accountName': '青山慈善基金会',
    'payoutAccount.bankName': '中国工商银行西宁分行',
    'payoutAccount.bankCode': '',
    'band.higher_vocational.minAmount': '3000.00',
    'band.higher_vocational.maxAmount': '4000.00',
    'band.junior_college.minAmount': '',
    'band.junior_college.maxAmount': '',
    'band.undergraduate.minAmount': '4000.00',
    'band.undergraduate.maxAmount': '5000.00',
  };
}

const programmeByCode = (code: string) => t.db.prisma.programme.findMany({ where: { code }, include: { bands: true } });

describe('creating a programme', () => {
  it('creates it with its payout account and bands, and lists it; the same form posted again creates nothing', async () => {
    const { form, res } = await postForm(admin, '/admin/programmes', '/admin/programmes', programmeFields('HD-2026'));
    expect(res).toMatchObject({ status: 303, location: '/admin/programmes?done=created' });
    const list = await admin.request('GET', res.location!);
    expect(textOf(list.html)).toContain('项目已建立');
    expect(textOf(list.html)).toContain('青山陪伴助学（海东）');
    expect(textOf(list.html)).toContain('每季度一次');
    expect((await admin.request('POST', '/admin/programmes', form)).status).toBe(303);
    const [programme, ...more] = await programmeByCode('HD-2026');
    expect(more).toEqual([]);
    expect(programme).toMatchObject({ instalmentPlan: 'quarterly', payoutAccountNumber: '6222020200112233', payoutBankCode: null, transitBusinessDays: 3 });
    expect(programme!.bands.map((b) => [b.academicYear, b.level, b.minAmount.toString(), b.maxAmount.toString()]).sort()).toEqual([
      [2026, 'higher_vocational', '3000', '4000'],
      [2026, 'undergraduate', '4000', '5000'],
    ]);
  });

  it('says a band below its minimum beside that level’s field, a bad budget beside the budget, and creates nothing', async () => {
    const fields = { ...programmeFields('HD-BAD'), 'band.undergraduate.maxAmount': '3500.00', budget: '五十万' };
    const { res } = await postForm(admin, '/admin/programmes', '/admin/programmes', fields);
    expect(res.status).toBe(400);
    expect(fieldError(res.html, 'budget')).toBe('金额应写为字符串，如&quot;3500.00&quot;');
    expect(res.html).toContain('value="3500.00"');
    const band = await postForm(admin, '/admin/programmes', '/admin/programmes', { ...programmeFields('HD-BAD'), 'band.undergraduate.maxAmount': '3500.00' });
    expect(band.res.status).toBe(400);
    expect(fieldError(band.res.html, 'band.undergraduate.maxAmount')).toBe('不能低于最低金额');
    expect(await programmeByCode('HD-BAD')).toEqual([]);
  });

  it('asks for at least one band when every level is left blank', async () => {
    const blank = Object.fromEntries(
      Object.keys(programmeFields('x'))
        .filter((k) => k.startsWith('band.'))
        .map((k) => [k, '']),
    );
    const { res } = await postForm(admin, '/admin/programmes', '/admin/programmes', { ...programmeFields('HD-NONE'), ...blank });
    expect(res.status).toBe(400);
    expect(fieldError(res.html, 'bands')).toBe('至少需要一个资助标准');
    expect(await programmeByCode('HD-NONE')).toEqual([]);
  });
});

describe('a programme’s bands', () => {
  it('sets a year’s bands as a whole, once however often the form is posted', async () => {
    const programme = await makeProgramme(t.world);
    const page = `/admin/programmes/${programme.id}/bands`;
    const { form, res } = await postForm(admin, page, page, {
      academicYear: '2026-2027',
      'band.higher_vocational.minAmount': '3200.00',
      'band.higher_vocational.maxAmount': '4200.00',
    });
    expect(res).toMatchObject({ status: 303, location: `${page}?done=set` });
    expect((await admin.request('POST', page, form)).status).toBe(303);
    const bands = await t.db.prisma.programmeBand.findMany({ where: { programmeId: programme.id, academicYear: 2026 } });
    expect(bands.map((b) => [b.level, b.minAmount.toString()])).toEqual([['higher_vocational', '3200']]);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'programme.set_bands', recordId: programme.id } })).toBe(1);
    expect(textOf((await admin.request('GET', res.location!)).html)).toContain('资助标准已保存');
  });

  it('says a missing minimum beside its field, and keeps the year’s bands', async () => {
    const programme = await makeProgramme(t.world);
    const page = `/admin/programmes/${programme.id}/bands`;
    const { res } = await postForm(admin, page, page, { academicYear: '2025-2026', 'band.junior_college.maxAmount': '4000.00' });
    expect(res.status).toBe(400);
    expect(fieldError(res.html, 'band.junior_college.minAmount')).not.toBeNull();
    expect(await t.db.prisma.programmeBand.count({ where: { programmeId: programme.id, academicYear: 2025 } })).toBe(3);
  });

  it('is the 404 page for other roles, and writes nothing', async () => {
    const programme = await makeProgramme(t.world);
    const finance = await signedInBrowser(t.app, t.db.prisma, t.world.users.finance.actor.userId);
    expect((await finance.request('GET', '/admin/programmes')).status).toBe(404);
    expect((await finance.request('GET', `/admin/programmes/${programme.id}/bands`)).status).toBe(404);
    const create = await finance.request('POST', '/admin/programmes', await foreignForm(finance, programmeFields('HD-FIN')));
    expect(create.status).toBe(404);
    const bands = await finance.request(
      'POST',
      `/admin/programmes/${programme.id}/bands`,
      await foreignForm(finance, { academicYear: '2026-2027', 'band.undergraduate.minAmount': '1.00', 'band.undergraduate.maxAmount': '2.00' }),
    );
    expect(bands.status).toBe(404);
    expect(await programmeByCode('HD-FIN')).toEqual([]);
    expect(await t.db.prisma.programmeBand.count({ where: { programmeId: programme.id, academicYear: 2026 } })).toBe(3);
  });

  it('a department’s admin is offered only its own department, and another department’s programme’s bands are the 404 page', async () => {
    const departmentAdmin = await signedInBrowser(t.app, t.db.prisma, (await makeUser(t.db.prisma, t.world.department, 'admin')).actor.userId);
    const otherDepartment = await makeOrganisation(t.db.prisma, 'civil_affairs');
    const page = await departmentAdmin.request('GET', '/admin/programmes');
    expect(page.status).toBe(200);
    expect(page.html).toContain(`value="${t.world.department.id}"`);
    expect(page.html).not.toContain(`value="${otherDepartment.id}"`);
    const theirs = await makeProgramme(t.world, { administratorId: otherDepartment.id });
    expect((await departmentAdmin.request('GET', `/admin/programmes/${theirs.id}/bands`)).status).toBe(404);
    const bands = await departmentAdmin.request(
      'POST',
      `/admin/programmes/${theirs.id}/bands`,
      await foreignForm(departmentAdmin, { academicYear: '2026-2027', 'band.undergraduate.minAmount': '1.00', 'band.undergraduate.maxAmount': '2.00' }),
    );
    expect(bands.status).toBe(404);
    expect(await t.db.prisma.programmeBand.count({ where: { programmeId: theirs.id, academicYear: 2026 } })).toBe(3);
  });

  it('is the 404 page for a programme that does not exist', async () => {
    const page = `/admin/programmes/${crypto.randomUUID()}/bands`;
    expect((await admin.request('GET', page)).status).toBe(404);
    expect((await admin.request('POST', page, await foreignForm(admin, { academicYear: '2026-2027' }))).status).toBe(404);
  });
});

describe("a programme's settings: the bank business days in transit", () => {
  it('are given when the programme is made (blank: 3), and one outside 1–30 is said beside the field', async () => {
    const { res } = await postForm(admin, '/admin/programmes', '/admin/programmes', { ...programmeFields('HD-T5'), transitBusinessDays: '5' });
    expect(res.status).toBe(303);
    expect((await programmeByCode('HD-T5'))[0]?.transitBusinessDays).toBe(5);
    const refused = await postForm(admin, '/admin/programmes', '/admin/programmes', { ...programmeFields('HD-T0'), transitBusinessDays: '0' });
    expect(refused.res.status).toBe(400);
    expect(fieldError(refused.res.html, 'transitBusinessDays')).not.toBeNull();
    expect(await programmeByCode('HD-T0')).toEqual([]);
  });

  it('shows the days, sets them once however often the form is posted, and the list shows them', async () => {
    const programme = await makeProgramme(t.world);
    const page = `/admin/programmes/${programme.id}/settings`;
    const shown = await admin.request('GET', page);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('name="transitBusinessDays"');
    expect(shown.html).toContain('value="3"');
    const { form, res } = await postForm(admin, page, page, { transitBusinessDays: '5' });
    expect(res).toMatchObject({ status: 303, location: `${page}?done=set` });
    expect(textOf((await admin.request('GET', res.location!)).html)).toContain('项目设置已保存');
    expect((await admin.request('POST', page, form)).status).toBe(303);
    expect((await t.db.prisma.programme.findUniqueOrThrow({ where: { id: programme.id } })).transitBusinessDays).toBe(5);
    expect(await t.db.prisma.auditEvent.count({ where: { recordId: programme.id, action: 'programme.update' } })).toBe(1);
    expect(textOf((await admin.request('GET', '/admin/programmes?limit=100')).html)).toContain('5个银行工作日');
  });

  it('says a number outside 1–30 (or not a number) beside the field, and changes nothing', async () => {
    const programme = await makeProgramme(t.world);
    const page = `/admin/programmes/${programme.id}/settings`;
    for (const value of ['0', '31', 'three', '']) {
      const { res } = await postForm(admin, page, page, { transitBusinessDays: value });
      expect({ value, status: res.status }).toEqual({ value, status: 400 });
      expect(fieldError(res.html, 'transitBusinessDays')).not.toBeNull();
    }
    expect((await t.db.prisma.programme.findUniqueOrThrow({ where: { id: programme.id } })).transitBusinessDays).toBe(3);
  });

  it('is the 404 page for other roles and for another department’s admin, and changes nothing', async () => {
    const programme = await makeProgramme(t.world);
    const page = `/admin/programmes/${programme.id}/settings`;
    const finance = await signedInBrowser(t.app, t.db.prisma, t.world.users.finance.actor.userId);
    expect((await finance.request('GET', page)).status).toBe(404);
    expect((await finance.request('POST', page, await foreignForm(finance, { transitBusinessDays: '9' }))).status).toBe(404);
    const otherDepartment = await makeOrganisation(t.db.prisma, 'civil_affairs');
    const otherAdmin = await signedInBrowser(t.app, t.db.prisma, (await makeUser(t.db.prisma, otherDepartment, 'admin')).actor.userId);
    expect((await otherAdmin.request('GET', page)).status).toBe(404);
    expect((await otherAdmin.request('POST', page, await foreignForm(otherAdmin, { transitBusinessDays: '9' }))).status).toBe(404);
    expect((await t.db.prisma.programme.findUniqueOrThrow({ where: { id: programme.id } })).transitBusinessDays).toBe(3);
  });
});
