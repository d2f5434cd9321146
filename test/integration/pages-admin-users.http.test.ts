// A user's page for the admin: change the role, disable and enable (their sessions end at once),
// end one session; each form posted twice does it once. A role the organisation cannot hold is said
// beside the field; an admin cannot disable themselves or give up their admin role (said in
// Chinese, nothing written). Other roles, and a department's admin looking at another
// organisation's user, get the 404 page and change nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisation, makeUser } from '../support/fixtures.ts';
import { type PageBrowser, givePassword, signedInBrowser } from '../support/page-browser.ts';
import { fieldError, foreignForm, postForm, textOf } from '../support/page-forms.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let admin: PageBrowser;

beforeAll(async () => {
  admin = await signedInBrowser(t.app, t.db.prisma, t.world.users.admin.actor.userId);
}, 60_000);

const userRow = (id: string) => t.db.prisma.appUser.findUniqueOrThrow({ where: { id } });
const audits = (recordId: string, action: string) => t.db.prisma.auditEvent.count({ where: { recordId, action } });

describe('a user’s page', () => {
  it('is reached from the people list and changes the role once, however often the form is posted', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'caseworker');
    const people = await admin.request('GET', '/admin/people');
    expect(people.html).toContain(`href="/admin/people/${user.actor.userId}"`);
    const page = `/admin/people/${user.actor.userId}`;
    const { form, res } = await postForm(admin, page, `${page}/role`, { role: 'approver' });
    expect(res).toMatchObject({ status: 303, location: `${page}?done=role` });
    expect(textOf((await admin.request('GET', res.location!)).html)).toContain('角色已变更');
    expect((await userRow(user.actor.userId)).role).toBe('approver');
    expect((await admin.request('POST', `${page}/role`, form)).status).toBe(303);
    expect(await audits(user.actor.userId, 'user.change_role')).toBe(1);
  });

  it('says a role the organisation cannot hold beside the field, and changes nothing', async () => {
    const viewer = await makeUser(t.db.prisma, t.world.foundation, 'foundation_viewer');
    const page = `/admin/people/${viewer.actor.userId}`;
    const { res } = await postForm(admin, page, `${page}/role`, { role: 'finance' });
    expect(res.status).toBe(400);
    expect(fieldError(res.html, 'role')).toBe('foundation类机构不能拥有finance角色');
    expect((await userRow(viewer.actor.userId)).role).toBe('foundation_viewer');
    expect(await audits(viewer.actor.userId, 'user.change_role')).toBe(0);
  });

  it('disables a user (their open session ends at once) and enables them again', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'finance');
    const person = await signedInBrowser(t.app, t.db.prisma, user.actor.userId);
    const page = `/admin/people/${user.actor.userId}`;
    const { form, res } = await postForm(admin, page, `${page}/disabled`, { disabled: 'true' });
    expect(res).toMatchObject({ status: 303, location: `${page}?done=disabled` });
    expect((await admin.request('POST', `${page}/disabled`, form)).status).toBe(303);
    expect(await audits(user.actor.userId, 'user.disable')).toBe(1);
    expect((await userRow(user.actor.userId)).disabledAt).not.toBeNull();
    expect(await person.request('GET', '/home')).toMatchObject({ status: 303, location: '/?notice=ended' });
    const shown = await admin.request('GET', page);
    expect(textOf(shown.html)).toContain('已停用');
    const row = new RegExp(`href="/admin/people/${user.actor.userId}"[\\s\\S]*?</tr>`).exec((await admin.request('GET', '/admin/people')).html)![0];
    expect(textOf(row)).toContain('已停用');
    const enabled = await postForm(admin, page, `${page}/disabled`, { disabled: 'false' });
    expect(enabled.res).toMatchObject({ status: 303, location: `${page}?done=enabled` });
    expect((await userRow(user.actor.userId)).disabledAt).toBeNull();
  });

  it('refuses the admin disabling themselves or giving up their admin role, in Chinese, writing nothing', async () => {
    const self = t.world.users.admin.actor.userId;
    const page = `/admin/people/${self}`;
    const disable = await postForm(admin, page, `${page}/disabled`, { disabled: 'true' });
    expect(disable.res.status).toBe(422);
    expect(textOf(disable.res.html)).toContain('不能停用自己的账户');
    const demote = await postForm(admin, page, `${page}/role`, { role: 'auditor' });
    expect(demote.res.status).toBe(422);
    expect(textOf(demote.res.html)).toContain('不能取消自己的管理员角色');
    const row = await userRow(self);
    expect(row).toMatchObject({ disabledAt: null, role: 'admin' });
    // Still signed in.
    expect((await admin.request('GET', '/home')).status).toBe(200);
    expect(await audits(self, 'user.disable')).toBe(0);
    expect(await audits(self, 'user.change_role')).toBe(0);
  });

  it('names a disabled value that is neither of the two the form sends', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'finance');
    const page = `/admin/people/${user.actor.userId}`;
    const { res } = await postForm(admin, page, `${page}/disabled`, { disabled: 'maybe' });
    expect(res.status).toBe(400);
    expect(textOf(res.html)).toContain('请按提示修改后再提交');
    expect((await userRow(user.actor.userId)).disabledAt).toBeNull();
  });

  it('lists a user’s sessions and ends one; that browser is signed out, and a second post ends nothing more', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'approver');
    const person = await signedInBrowser(t.app, t.db.prisma, user.actor.userId);
    const session = await t.db.prisma.webSession.findFirstOrThrow({ where: { userId: user.actor.userId, endedAt: null } });
    const page = `/admin/people/${user.actor.userId}`;
    const { form, res } = await postForm(admin, page, `${page}/sessions/${session.id}/end`);
    expect(res).toMatchObject({ status: 303, location: `${page}?done=session` });
    expect((await admin.request('POST', `${page}/sessions/${session.id}/end`, form)).status).toBe(303);
    expect(await audits(session.id, 'session.revoke')).toBe(1);
    expect((await person.request('GET', '/home')).status).toBe(303);
    expect(textOf((await admin.request('GET', page)).html)).toContain('该用户目前没有登录会话');
  });

  it('gives a new set-password link from the user’s page once: a second post shows no link and makes none', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'caseworker');
    await givePassword(t.db.prisma, user.actor.userId);
    const page = `/admin/people/${user.actor.userId}`;
    const { form, res } = await postForm(admin, page, `${page}/link`);
    expect(res.status).toBe(200);
    const link = /id="link"[^>]*value="([^"]+)"/.exec(res.html)![1]!;
    const again = await admin.request('POST', `${page}/link`, form);
    expect(again.status).toBe(409);
    expect(again.html).not.toContain(link);
    expect(await t.db.prisma.passwordSetup.count({ where: { userId: user.actor.userId } })).toBe(1);
  });

  it('is the 404 page for other roles, and changes nothing', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'caseworker');
    const caseworker = await signedInBrowser(t.app, t.db.prisma, t.world.users.caseworker.actor.userId);
    const page = `/admin/people/${user.actor.userId}`;
    expect((await caseworker.request('GET', page)).status).toBe(404);
    for (const [path, fields] of [
      [`${page}/role`, { role: 'admin' }],
      [`${page}/disabled`, { disabled: 'true' }],
    ] as const) {
      const res = await caseworker.request('POST', path, await foreignForm(caseworker, fields));
      expect(res.status).toBe(404);
      expect(res.html).toContain('页面不存在');
    }
    expect(await userRow(user.actor.userId)).toMatchObject({ role: 'caseworker', disabledAt: null });
  });

  it('is the 404 page for a department’s admin acting on another organisation’s user, and changes nothing', async () => {
    const departmentAdmin = await makeUser(t.db.prisma, t.world.department, 'admin');
    const browser = await signedInBrowser(t.app, t.db.prisma, departmentAdmin.actor.userId);
    const other = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs'), 'caseworker');
    const otherSession = await signedInBrowser(t.app, t.db.prisma, other.actor.userId);
    const session = await t.db.prisma.webSession.findFirstOrThrow({ where: { userId: other.actor.userId, endedAt: null } });
    const page = `/admin/people/${other.actor.userId}`;
    expect((await browser.request('GET', page)).status).toBe(404);
    for (const [path, fields] of [
      [`${page}/role`, { role: 'approver' }],
      [`${page}/disabled`, { disabled: 'true' }],
      [`${page}/sessions/${session.id}/end`, {}],
    ] as const) {
      expect((await browser.request('POST', path, await foreignForm(browser, fields))).status).toBe(404);
    }
    expect((await browser.request('POST', `${page}/link`, await foreignForm(browser, {}))).status).toBe(404);
    expect(await t.db.prisma.passwordSetup.count({ where: { userId: other.actor.userId } })).toBe(0);
    expect(await userRow(other.actor.userId)).toMatchObject({ role: 'caseworker', disabledAt: null });
    expect((await otherSession.request('GET', '/home')).status).toBe(200);
    // Its own organisation's people it manages.
    expect((await browser.request('GET', `/admin/people/${t.world.users.caseworker.actor.userId}`)).status).toBe(200);
  });
});
