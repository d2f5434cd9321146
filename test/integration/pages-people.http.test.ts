// The admin's people page: adding a person shows the set-password link once; the same form posted
// twice adds one person; a taken user name or a missing name is said next to the field in Chinese;
// a new link for anyone; nothing of it for other roles.
import { beforeAll, describe, expect, it } from 'vitest';
import { type PageBrowser, signedInBrowser } from '../support/page-browser.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let admin: PageBrowser;

const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)![1]!;

beforeAll(async () => {
  admin = await signedInBrowser(t.app, t.db.prisma, t.world.users.admin.actor.userId);
}, 60_000);

async function newPersonForm(fields: Record<string, string>) {
  const page = await admin.request('GET', '/admin/people');
  expect(page.status).toBe(200);
  return { csrf: hidden(page.html, 'csrf'), formKey: hidden(page.html, 'formKey'), organisationId: t.world.department.id, role: 'caseworker', ...fields };
}

describe('the people page', () => {
  it('adds a person and shows the link once; the same form posted again adds no one and shows no link', async () => {
    const form = await newPersonForm({ displayName: '李 经办', username: 'li.jingban' });
    const res = await admin.request('POST', '/admin/people', form);
    expect(res.status).toBe(200);
    const link = /id="link"[^>]*value="([^"]+)"/.exec(res.html)![1]!;
    expect(link).toMatch(/^http:\/\/localhost\/password\/setup\/ps_/);
    expect((await admin.request('GET', new URL(link).pathname)).status).toBe(200);
    const again = await admin.request('POST', '/admin/people', form);
    expect(again.status).toBe(409);
    expect(textOf(again.html)).toContain('这份表单已经提交过');
    expect(again.html).not.toContain(new URL(link).pathname);
    expect(await t.db.prisma.appUser.count({ where: { username: 'li.jingban' } })).toBe(1);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'user.create', actorId: t.world.users.admin.actor.userId } })).toBeGreaterThan(0);
  });

  it('a taken user name and a missing name are said next to their fields; no user is added', async () => {
    const users = await t.db.prisma.appUser.count();
    const taken = await admin.request('POST', '/admin/people', await newPersonForm({ displayName: '王 审核', username: 'li.jingban' }));
    expect(taken.status).toBe(409);
    expect(taken.html).toMatch(/<p class="field-error" id="username-error">[^<]+<\/p>/);
    const missing = await admin.request('POST', '/admin/people', await newPersonForm({ displayName: '', username: 'wang.shenhe' }));
    expect(missing.status).toBe(400);
    expect(missing.html).toMatch(/id="displayName"[^>]*aria-invalid="true"/);
    expect(await t.db.prisma.appUser.count()).toBe(users);
  });

  it('gives an existing person a new link (the older one stops working)', async () => {
    const page = await admin.request('GET', '/admin/people');
    const person = await t.db.prisma.appUser.findFirstOrThrow({ where: { username: 'li.jingban' } });
    const key = new RegExp(
      `action="/admin/people/${person.id}/link"><input type="hidden" name="csrf" value="([^"]+)"/><input type="hidden" name="formKey" value="([^"]+)"`,
    ).exec(page.html)!;
    const res = await admin.request('POST', `/admin/people/${person.id}/link`, { csrf: key[1]!, formKey: key[2]! });
    expect(res.status).toBe(200);
    expect(res.html).toMatch(/id="link"[^>]*value="http:\/\/localhost\/password\/setup\/ps_/);
    expect(await t.db.prisma.passwordSetup.count({ where: { userId: person.id, expiresAt: { gt: new Date() } } })).toBe(1);
  });

  it('is the 404 page for other roles, whether they open it or post to it', async () => {
    const caseworker = await signedInBrowser(t.app, t.db.prisma, t.world.users.caseworker.actor.userId);
    expect((await caseworker.request('GET', '/admin/people')).status).toBe(404);
    const home = await caseworker.request('GET', '/home');
    const res = await caseworker.request('POST', '/admin/people', {
      csrf: hidden(home.html, 'csrf'),
      formKey: 'a'.repeat(20),
      displayName: 'x',
      role: 'admin',
      username: 'sneaky.admin',
    });
    expect(res.status).toBe(404);
    expect(await t.db.prisma.appUser.count({ where: { username: 'sneaky.admin' } })).toBe(0);
  });
});
