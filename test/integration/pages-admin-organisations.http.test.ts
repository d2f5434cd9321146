// The admin's organisations page: adding one leads back to the list that shows it; the same form
// posted twice adds one; a bad code or an empty name is said beside its field in Chinese and adds
// nothing; other roles get the 404 page and add nothing; a department's admin sees the list only.
import { beforeAll, describe, expect, it } from 'vitest';
import { makeUser } from '../support/fixtures.ts';
import { type PageBrowser, signedInBrowser } from '../support/page-browser.ts';
import { fieldError, foreignForm, postForm, textOf } from '../support/page-forms.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let admin: PageBrowser;

beforeAll(async () => {
  admin = await signedInBrowser(t.app, t.db.prisma, t.world.users.admin.actor.userId);
}, 60_000);

const countCode = (code: string) => t.db.prisma.organisation.count({ where: { code } });

describe('the admin’s home page', () => {
  it('links to each of the admin’s pages in one block, and no longer lists their work as API-only', async () => {
    const home = await admin.request('GET', '/home');
    const block = /<section aria-labelledby="admin-work">[\s\S]*?<\/section>/.exec(home.html)![0];
    for (const path of ['/admin/people', '/admin/organisations', '/admin/programmes', '/admin/tokens', '/admin/engagements']) {
      expect(block).toContain(`href="${path}"`);
    }
    expect(home.html).not.toContain('(user.manage)');
    expect(home.html).not.toContain('(token.manage)');
  });
});

describe('the organisations page', () => {
  it('adds an organisation and shows it in the list; the same form posted again adds nothing', async () => {
    const { form, res } = await postForm(admin, '/admin/organisations', '/admin/organisations', {
      code: 'QH-HAIDONG',
      name: '海东市民政局',
      kind: 'civil_affairs',
    });
    expect(res).toMatchObject({ status: 303, location: '/admin/organisations?done=created' });
    const list = await admin.request('GET', res.location!);
    expect(textOf(list.html)).toContain('机构已添加');
    expect(textOf(list.html)).toContain('海东市民政局');
    const again = await admin.request('POST', '/admin/organisations', form);
    expect(again).toMatchObject({ status: 303, location: '/admin/organisations?done=created' });
    expect(await countCode('QH-HAIDONG')).toBe(1);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'organisation.create', after: { path: ['code'], equals: 'QH-HAIDONG' } } })).toBe(1);
  });

  it('says a bad code and an empty name beside their fields in Chinese, and adds nothing', async () => {
    const before = await t.db.prisma.organisation.count();
    const { res } = await postForm(admin, '/admin/organisations', '/admin/organisations', { code: '海东 民政', name: '', kind: 'civil_affairs' });
    expect(res.status).toBe(400);
    expect(fieldError(res.html, 'code')).toBe('应为1至64个字母、数字、点、连字符或下划线');
    expect(fieldError(res.html, 'name')).toBe('不能为空');
    expect(res.html).toMatch(/id="code"[^>]*aria-invalid="true"/);
    // The values typed are shown again.
    expect(res.html).toContain('value="海东 民政"');
    expect(await t.db.prisma.organisation.count()).toBe(before);
  });

  it('says a taken code above the form (409), and adds nothing', async () => {
    const { res } = await postForm(admin, '/admin/organisations', '/admin/organisations', { code: 'QH-HAIDONG', name: '另一个', kind: 'foundation' });
    expect(res.status).toBe(409);
    expect(textOf(res.html)).toContain('已有使用该代码的机构');
    expect(await countCode('QH-HAIDONG')).toBe(1);
  });

  it('is the 404 page for other roles, whether they open it or post to it', async () => {
    const caseworker = await signedInBrowser(t.app, t.db.prisma, t.world.users.caseworker.actor.userId);
    expect((await caseworker.request('GET', '/admin/organisations')).status).toBe(404);
    const res = await caseworker.request('POST', '/admin/organisations', await foreignForm(caseworker, { code: 'SNEAKY', name: 'x', kind: 'platform' }));
    expect(res.status).toBe(404);
    expect(res.html).toContain('页面不存在');
    expect(await countCode('SNEAKY')).toBe(0);
  });

  it('shows a department’s admin the list without the form; their post is the 404 page and adds nothing', async () => {
    const departmentAdmin = await makeUser(t.db.prisma, t.world.department, 'admin');
    const browser = await signedInBrowser(t.app, t.db.prisma, departmentAdmin.actor.userId);
    const page = await browser.request('GET', '/admin/organisations');
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('action="/admin/organisations"');
    expect(textOf(page.html)).toContain('添加机构由平台管理员办理');
    const res = await browser.request('POST', '/admin/organisations', await foreignForm(browser, { code: 'DEPT-ORG', name: 'x', kind: 'platform' }));
    expect(res.status).toBe(404);
    expect(await countCode('DEPT-ORG')).toBe(0);
    // Nor does their home page offer the platform's engagements.
    expect((await browser.request('GET', '/home')).html).not.toContain('/admin/engagements');
  });
});
