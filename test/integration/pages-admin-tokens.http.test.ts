// The admin's tokens page: issuing shows the secret once (the same form posted again issues no
// second token and shows no secret), the token works against the API; revoking stops it, once.
// An empty label or too many days is said beside the field and issues nothing; other roles and a
// department's admin reaching for another organisation's user or token get the 404 page.
import { beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../src/services/tokens.ts';
import { makeOrganisation, makeUser } from '../support/fixtures.ts';
import { type PageBrowser, signedInBrowser } from '../support/page-browser.ts';
import { fieldError, foreignForm, keysOf, postForm, textOf } from '../support/page-forms.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let admin: PageBrowser;

beforeAll(async () => {
  admin = await signedInBrowser(t.app, t.db.prisma, t.world.users.admin.actor.userId);
}, 60_000);

const tokensOf = (userId: string) => t.db.prisma.apiToken.count({ where: { userId } });

describe('the tokens page', () => {
  it('issues a token and shows its secret once; the same form posted again issues nothing and shows nothing', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'finance');
    const { form, res } = await postForm(admin, '/admin/tokens', '/admin/tokens', { userId: user.actor.userId, label: '财务导出脚本', expiresInDays: '30' });
    expect(res.status).toBe(200);
    const secret = /id="secret"[^>]*value="(sl_[^"]+)"/.exec(res.html)![1]!;
    expect((await authenticate(t.db.prisma, secret)).userId).toBe(user.actor.userId);
    const again = await admin.request('POST', '/admin/tokens', form);
    expect(again.status).toBe(409);
    expect(textOf(again.html)).toContain('这份表单已经提交过');
    expect(again.html).not.toContain(secret);
    expect(await tokensOf(user.actor.userId)).toBe(2); // the fixture's and this one
    const list = await admin.request('GET', '/admin/tokens');
    expect(textOf(list.html)).toContain('财务导出脚本');
    expect(list.html).not.toContain(secret);
  });

  it('says an empty label and too many days beside their fields, and issues nothing', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'finance');
    const { res } = await postForm(admin, '/admin/tokens', '/admin/tokens', { userId: user.actor.userId, label: '  ', expiresInDays: '400' });
    expect(res.status).toBe(400);
    expect(fieldError(res.html, 'label')).toBe('不能为空');
    expect(fieldError(res.html, 'expiresInDays')).toBe('不能大于366');
    const days = await postForm(admin, '/admin/tokens', '/admin/tokens', { userId: user.actor.userId, label: 'x', expiresInDays: 'soon' });
    expect(days.res.status).toBe(400);
    expect(fieldError(days.res.html, 'expiresInDays')).toBe('应为天数');
    expect(await tokensOf(user.actor.userId)).toBe(1);
  });

  it('revokes a token once: it stops working, and a second post revokes nothing more', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'approver');
    const token = await t.db.prisma.apiToken.findFirstOrThrow({ where: { userId: user.actor.userId } });
    const { form, res } = await postForm(admin, '/admin/tokens', `/admin/tokens/${token.id}/revoke`);
    expect(res).toMatchObject({ status: 303, location: '/admin/tokens?done=revoked' });
    expect((await admin.request('POST', `/admin/tokens/${token.id}/revoke`, form)).status).toBe(303);
    await expect(authenticate(t.db.prisma, user.token)).rejects.toThrow();
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'token.revoke', recordId: token.id } })).toBe(1);
  });

  it('is the 404 page for other roles, and issues and revokes nothing', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'finance');
    const token = await t.db.prisma.apiToken.findFirstOrThrow({ where: { userId: user.actor.userId } });
    const caseworker = await signedInBrowser(t.app, t.db.prisma, t.world.users.caseworker.actor.userId);
    expect((await caseworker.request('GET', '/admin/tokens')).status).toBe(404);
    const issue = await caseworker.request('POST', '/admin/tokens', await foreignForm(caseworker, { userId: user.actor.userId, label: 'mine' }));
    expect(issue.status).toBe(404);
    expect((await caseworker.request('POST', `/admin/tokens/${token.id}/revoke`, await foreignForm(caseworker, {}))).status).toBe(404);
    expect(await tokensOf(user.actor.userId)).toBe(1);
    expect((await t.db.prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } })).revokedAt).toBeNull();
  });

  it('is the 404 page for a department’s admin issuing to, or revoking of, another organisation’s user', async () => {
    const departmentAdmin = await makeUser(t.db.prisma, t.world.department, 'admin');
    const browser = await signedInBrowser(t.app, t.db.prisma, departmentAdmin.actor.userId);
    const other = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs'), 'finance');
    const token = await t.db.prisma.apiToken.findFirstOrThrow({ where: { userId: other.actor.userId } });
    const page = await browser.request('GET', '/admin/tokens');
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(other.actor.userId);
    const issue = await browser.request('POST', '/admin/tokens', { ...keysOf(page.html, '/admin/tokens'), userId: other.actor.userId, label: 'theirs' });
    expect(issue.status).toBe(404);
    expect((await browser.request('POST', `/admin/tokens/${token.id}/revoke`, await foreignForm(browser, {}))).status).toBe(404);
    expect(await tokensOf(other.actor.userId)).toBe(1);
    expect((await t.db.prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } })).revokedAt).toBeNull();
  });
});
