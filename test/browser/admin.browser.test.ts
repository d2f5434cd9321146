// The admin's pages in a real browser (Chromium): the platform admin creates a programme with its
// bands and sets another year's, adds a person and changes their role, issues a token (its secret
// shown once) and revokes it. Every page is checked with axe-core; every test leaves a screenshot
// in test-results/screenshots.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { openTestDatabase } from '../support/database.ts';
import { type World, makeWorld } from '../support/fixtures.ts';
import { givePassword } from '../support/page-browser.ts';
import { type Served, expectAccessible, haveChromium, launchBrowser, screenshot, serveApp, signIn } from './support/browser.ts';

describe.skipIf(!haveChromium)('the admin in Chromium', () => {
  let db: Database;
  let world: World;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchBrowser>>;
  let browser: Browser;
  let username: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    world = await makeWorld(db.prisma);
    username = await givePassword(db.prisma, world.users.admin.actor.userId);
    served = await serveApp(db);
    chromium = await launchBrowser();
    browser = chromium.browser;
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await served?.close();
    await db?.close();
  });

  /** The admin, signed in, on the home page. */
  async function signedIn(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ bypassCSP: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    await signIn(page, served.url, username);
    return { context, page };
  }

  const byId = (page: Page, id: string) => page.locator(`[id="${id}"]`);

  it('creates a programme with its payout account and bands, then sets the next year’s bands', async () => {
    const { context, page } = await signedIn();
    await expectAccessible(page);
    await page.getByRole('link', { name: '项目管理与资助标准' }).click();
    await page.waitForURL(/\/admin\/programmes$/);
    await page.getByLabel('项目代码').fill('QH-HD-2026');
    await page.getByLabel('项目名称').fill('青山陪伴助学（海东）');
    await page.getByLabel(/^起始学年/).fill('2026-2027');
    await page.getByLabel(/^结束学年/).fill('2028-2029');
    await page.getByLabel('发放方式').selectOption('semesters');
    await page.getByLabel(/^预算/).fill('540000.00');
    await page.getByLabel(/^账号/).fill('6222020200112233');
    await page.getByLabel(/^户名/).fill('青山慈善基金会');
    await page.getByLabel(/^开户行/).fill('中国工商银行西宁分行');
    await byId(page, 'band.higher_vocational.minAmount').fill('3000.00');
    await byId(page, 'band.higher_vocational.maxAmount').fill('4000.00');
    // A maximum below the minimum is refused beside the field, the values kept.
    await byId(page, 'band.undergraduate.minAmount').fill('4000.00');
    await byId(page, 'band.undergraduate.maxAmount').fill('3500.00');
    await page.getByRole('button', { name: '建立项目' }).click();
    await expect.poll(() => page.locator('[id="band.undergraduate.maxAmount-error"]').textContent()).toBe('不能低于最低金额');
    await expectAccessible(page);
    await screenshot(page, 'admin-programme-refused');
    await byId(page, 'band.undergraduate.maxAmount').fill('5000.00');
    await page.getByRole('button', { name: '建立项目' }).click();
    await page.waitForURL(/done=created/);
    expect(await page.locator('main').textContent()).toContain('青山陪伴助学（海东）');
    await expectAccessible(page);
    await screenshot(page, 'admin-programme-created');

    await page.getByRole('link', { name: '设置资助标准' }).click();
    await byId(page, 'academicYear').selectOption('2027-2028');
    await byId(page, 'band.junior_college.minAmount').fill('3500.00');
    await byId(page, 'band.junior_college.maxAmount').fill('4500.00');
    await page.getByRole('button', { name: '保存资助标准' }).click();
    await page.waitForURL(/done=set/);
    const rows = await page.locator('tbody tr').allTextContents();
    expect(rows.some((r) => r.includes('2027-2028') && r.includes('大专') && r.includes('¥4,500.00'))).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'admin-programme-bands');
    await context.close();
  });

  it('sets the bank business days a payout may stay in transit, refusing a number outside 1–30 beside the field', async () => {
    const { context, page } = await signedIn();
    await page.goto(`${served.url}/admin/programmes`);
    await page
      .getByRole('link', { name: /^修改在途期限：/ })
      .first()
      .click();
    await page.waitForURL(/\/settings$/);
    const days = page.getByLabel(/^在途银行工作日数/);
    expect(await days.inputValue()).toBe('3');
    await days.fill('31');
    await page.getByRole('button', { name: '保存设置' }).click();
    await expect.poll(() => page.locator('[id="transitBusinessDays-error"]').textContent()).toContain('1至30');
    await expectAccessible(page);
    await screenshot(page, 'admin-programme-settings-refused');
    await page.getByLabel(/^在途银行工作日数/).fill('5');
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.waitForURL(/done=set/);
    expect(await page.locator('main').textContent()).toContain('项目设置已保存');
    expect(await page.getByLabel(/^在途银行工作日数/).inputValue()).toBe('5');
    await expectAccessible(page);
    await screenshot(page, 'admin-programme-settings');
    await context.close();
  });

  it('adds a person, shows the set-password link once, and changes their role', async () => {
    const { context, page } = await signedIn();
    await page.getByRole('link', { name: '用户与设置密码链接' }).click();
    await page.getByLabel('机构').selectOption(world.department.id);
    await page.getByLabel('姓名').fill('马 经办');
    await page.getByLabel('角色').selectOption('caseworker');
    await page.getByLabel('登录名').fill('ma.jingban');
    await page.getByRole('button', { name: '添加并生成设置密码链接' }).click();
    expect(await page.getByLabel('设置密码链接').inputValue()).toMatch(/\/password\/setup\/ps_/);
    await expectAccessible(page);
    await screenshot(page, 'admin-person-link');
    await page.getByRole('link', { name: '返回用户列表' }).click();
    await page.getByRole('link', { name: '马 经办' }).click();
    await page.getByLabel('新角色').selectOption('approver');
    await page.getByRole('button', { name: '变更角色' }).click();
    await page.waitForURL(/done=role/);
    expect(await page.locator('dl.facts').textContent()).toContain('审核人');
    await expectAccessible(page);
    await screenshot(page, 'admin-person-role');
    await context.close();
  });

  it('issues a token, shows its secret once, and revokes it', async () => {
    const { context, page } = await signedIn();
    await page.getByRole('link', { name: '接口令牌' }).click();
    await page.getByLabel('令牌持有人').selectOption(world.users.finance.actor.userId);
    await page.getByLabel('用途说明').fill('财务对账脚本');
    await page.getByLabel(/^有效天数/).fill('30');
    await page.getByRole('button', { name: '发放令牌' }).click();
    const secret = await page.getByLabel('令牌').inputValue();
    expect(secret).toMatch(/^sl_/);
    await expectAccessible(page);
    await screenshot(page, 'admin-token-issued');
    await page.getByRole('link', { name: '返回令牌列表' }).click();
    expect(await page.content()).not.toContain(secret);
    const row = page.locator('tr', { hasText: '财务对账脚本' });
    await row.getByRole('button', { name: '吊销' }).click();
    await page.waitForURL(/done=revoked/);
    expect(await page.locator('tr', { hasText: '财务对账脚本' }).textContent()).toContain('已吊销');
    await expectAccessible(page);
    await screenshot(page, 'admin-token-revoked');
    await context.close();
  });
});
