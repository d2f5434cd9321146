// The platform admin's audit engagements: creating one on ticked programmes leads to the list that
// shows it, ending one ends it today; each form posted twice does it once. A missing start date or
// no programme ticked is said beside the field in Chinese and creates nothing. Other roles (the
// auditor too) and a department's admin get the 404 page and write nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { makeEngagement, makeOrganisation, makeProgramme, makeUser } from '../support/fixtures.ts';
import { type PageBrowser, signedInBrowser } from '../support/page-browser.ts';
import { fieldError, foreignForm, keysOf, postForm, textOf } from '../support/page-forms.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let admin: PageBrowser;

beforeAll(async () => {
  admin = await signedInBrowser(t.app, t.db.prisma, t.world.users.admin.actor.userId);
}, 60_000);

const engagementsOf = (auditorOrganisationId: string) =>
  t.db.prisma.auditEngagement.findMany({ where: { auditorOrganisationId }, include: { programmes: true } });

describe('audit engagements', () => {
  it('creates one on the programmes ticked and lists it; the same form posted again creates nothing', async () => {
    const office = await makeOrganisation(t.db.prisma, 'audit', '青海省审计厅');
    const programme = await makeProgramme(t.world);
    const page = await admin.request('GET', '/admin/engagements');
    const form = new URLSearchParams({
      ...keysOf(page.html, '/admin/engagements'),
      auditorOrganisationId: office.id,
      scope: 'programmes',
      startsOn: '2026-11-01',
      endsOn: '',
    });
    form.append('programmeIds', programme.id);
    const post = () => admin.request('POST', '/admin/engagements', Object.fromEntries(form));
    const res = await post();
    expect(res).toMatchObject({ status: 303, location: '/admin/engagements?done=created' });
    expect((await post()).status).toBe(303);
    const made = await engagementsOf(office.id);
    expect(made).toHaveLength(1);
    expect(made[0]!.programmes.map((p) => p.programmeId)).toEqual([programme.id]);
    const list = await admin.request('GET', res.location!);
    expect(textOf(list.html)).toContain('审计委托已建立');
    expect(textOf(list.html)).toContain('青海省审计厅');
  });

  it('says a missing start date and no programme ticked beside their fields, and creates nothing', async () => {
    const office = await makeOrganisation(t.db.prisma, 'audit');
    const { res } = await postForm(admin, '/admin/engagements', '/admin/engagements', { auditorOrganisationId: office.id, scope: 'programmes', startsOn: '' });
    expect(res.status).toBe(400);
    expect(fieldError(res.html, 'startsOn')).toBe('应为真实存在的日期，写为YYYY-MM-DD');
    const none = await postForm(admin, '/admin/engagements', '/admin/engagements', {
      auditorOrganisationId: office.id,
      scope: 'programmes',
      startsOn: '2026-11-01',
    });
    expect(none.res.status).toBe(400);
    expect(fieldError(none.res.html, 'programmeIds')).toBe('按项目委托时至少需要一个项目');
    const unknown = await postForm(admin, '/admin/engagements', '/admin/engagements', {
      auditorOrganisationId: office.id,
      scope: 'programmes',
      startsOn: '2026-11-01',
      programmeIds: crypto.randomUUID(),
    });
    expect(unknown.res.status).toBe(400);
    expect(fieldError(unknown.res.html, 'programmeIds')).toBe('没有该项目');
    expect(await engagementsOf(office.id)).toEqual([]);
  });

  it('ends one today, once however often the form is posted', async () => {
    const office = await makeOrganisation(t.db.prisma, 'audit');
    const engagement = await makeEngagement(t.db.prisma, {
      auditorOrganisationId: office.id,
      createdById: t.world.users.admin.actor.userId,
      startsOn: '2026-01-01',
    });
    const { form, res } = await postForm(admin, '/admin/engagements', `/admin/engagements/${engagement.id}/end`);
    expect(res).toMatchObject({ status: 303, location: '/admin/engagements?done=ended' });
    expect((await admin.request('POST', `/admin/engagements/${engagement.id}/end`, form)).status).toBe(303);
    expect((await t.db.prisma.auditEngagement.findUniqueOrThrow({ where: { id: engagement.id } })).endedAt).not.toBeNull();
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'audit_engagement.end', recordId: engagement.id } })).toBe(1);
  });

  it('says an engagement to come has not started, and lets it be ended before it does', async () => {
    const office = await makeOrganisation(t.db.prisma, 'audit', '海东市审计局');
    const engagement = await makeEngagement(t.db.prisma, {
      auditorOrganisationId: office.id,
      createdById: t.world.users.admin.actor.userId,
      startsOn: '2027-01-01',
      endsOn: '2027-12-31',
    });
    const page = await admin.request('GET', '/admin/engagements');
    const row = /海东市审计局[\s\S]*?<\/tr>/.exec(page.html.slice(page.html.indexOf('<tbody>')))![0];
    expect(textOf(row)).toContain('未开始');
    expect(row).toContain(`action="/admin/engagements/${engagement.id}/end"`);
    const { res } = await postForm(admin, '/admin/engagements', `/admin/engagements/${engagement.id}/end`);
    expect(res.status).toBe(303);
    expect((await t.db.prisma.auditEngagement.findUniqueOrThrow({ where: { id: engagement.id } })).endedAt).not.toBeNull();
  });

  /** An open engagement, and a check that after `tries` it is the only one of its office and still open. */
  async function untouchedAfter(tries: (office: string, engagement: string) => Promise<void>) {
    const office = await makeOrganisation(t.db.prisma, 'audit');
    const engagement = await makeEngagement(t.db.prisma, {
      auditorOrganisationId: office.id,
      createdById: t.world.users.admin.actor.userId,
      startsOn: '2026-01-01',
    });
    await tries(office.id, engagement.id);
    const rows = await engagementsOf(office.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.endedAt).toBeNull();
  }

  /** Opening the page, creating and ending: each the 404 page. */
  async function allNotFound(browser: PageBrowser, office: string, engagement: string) {
    expect((await browser.request('GET', '/admin/engagements')).status).toBe(404);
    const create = await browser.request(
      'POST',
      '/admin/engagements',
      await foreignForm(browser, { auditorOrganisationId: office, scope: 'all', startsOn: '2026-11-01' }),
    );
    expect(create.status).toBe(404);
    expect((await browser.request('POST', `/admin/engagements/${engagement}/end`, await foreignForm(browser, {}))).status).toBe(404);
  }

  it('is the 404 page for other roles, the auditor too, and writes nothing', async () => {
    await untouchedAfter(async (office, engagement) => {
      for (const user of [t.world.users.auditor, t.world.users.caseworker]) {
        await allNotFound(await signedInBrowser(t.app, t.db.prisma, user.actor.userId), office, engagement);
      }
    });
  });

  it('is the 404 page for a department’s admin (engagements are the platform’s), and writes nothing', async () => {
    const departmentAdmin = await makeUser(t.db.prisma, t.world.department, 'admin');
    const browser = await signedInBrowser(t.app, t.db.prisma, departmentAdmin.actor.userId);
    await untouchedAfter((office, engagement) => allNotFound(browser, office, engagement));
  });
});
