// Sign-in in a real browser (Chromium): the sign-in page, a wrong password, the home page, a session
// that ended while idle, a form posted from another site, sign-out, setting a password from a link.
// Every page is checked with axe-core; every test leaves a screenshot in test-results/screenshots.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { issuePasswordSetup } from '../../src/services/credentials.ts';
import { SESSION_IDLE_MS } from '../../src/services/sessions.ts';
import { openTestDatabase } from '../support/database.ts';
import { makeUser, makeWorld, type World } from '../support/fixtures.ts';
import { makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { type Served, expectAccessible, haveChromium, launchBrowser, screenshot, serveApp } from './support/browser.ts';

const PASSWORD = '青海湖 spring 2027!';

describe.skipIf(!haveChromium)('sign-in in Chromium', () => {
  let db: Database;
  let world: World;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchBrowser>>;
  let browser: Browser;
  let counter = 0;

  beforeAll(async () => {
    db = await openTestDatabase();
    world = await makeWorld(db.prisma);
    served = await serveApp(db);
    chromium = await launchBrowser();
    browser = chromium.browser;
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await served?.close();
    await db?.close();
  });

  /** A fresh browser profile (no cookies); CSP bypassed only so that axe-core can be injected. */
  const newPage = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ bypassCSP: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    return { context, page: await context.newPage() };
  };

  /** A caseworker with a password set through the pages. */
  async function person(role: 'caseworker' | 'auditor' = 'caseworker') {
    const user = await makeUser(db.prisma, role === 'auditor' ? world.auditOffice : world.department, role);
    const issued = await issuePasswordSetup({ ctx: world.users.admin.ctx, input: { userId: user.actor.userId, username: `browser.${++counter}` } });
    const { context, page } = await newPage();
    await page.goto(served.url + issued.link);
    await page.getByLabel(/^新密码/).fill(PASSWORD);
    await page.getByLabel(/^再次输入新密码/).fill(PASSWORD);
    await page.getByRole('button', { name: '设置密码' }).click();
    await page.waitForURL(/notice=password_set/);
    await context.close();
    return { user, username: issued.username };
  }

  async function signIn(page: Page, username: string, password = PASSWORD) {
    await page.goto(`${served.url}/`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel(/^密码/).fill(password);
    await page.getByRole('button', { name: '登录' }).click();
  }

  it('the sign-in page: Chinese, labelled, keyboard-usable, accessible', async () => {
    const { context, page } = await newPage();
    await page.goto(`${served.url}/`);
    expect(await page.title()).toContain('登录');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toContain('跳到正文');
    await expectAccessible(page);
    await screenshot(page, 'sign-in-page');
    await context.close();
  });

  it('signs in with the right password, lands on the role’s home page and sees its own sessions', async () => {
    const { username } = await person();
    const { context, page } = await newPage();
    await signIn(page, username);
    await page.waitForURL(/\/home$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('经办人工作台');
    const cookie = (await context.cookies()).find((c) => c.name === 'sl_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await expectAccessible(page);
    await screenshot(page, 'home-caseworker');
    await page.getByRole('link', { name: '登录会话' }).click();
    await page.waitForURL(/\/account\/sessions$/);
    expect(await page.locator('main').textContent()).toContain('（本次登录）');
    await expectAccessible(page);
    await screenshot(page, 'sessions-caseworker');
    await context.close();
  });

  it('a wrong password: the same neutral message, announced as an alert, and no session', async () => {
    const { username } = await person();
    const { context, page } = await newPage();
    await signIn(page, username, 'not the password!');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('用户名或密码不正确');
    expect((await context.cookies()).some((c) => c.name === 'sl_session')).toBe(false);
    await expectAccessible(page);
    await screenshot(page, 'sign-in-wrong-password');
    await context.close();
  });

  it('a session idle for more than 30 minutes ends: the next page asks to sign in again', async () => {
    const { user, username } = await person();
    const { context, page } = await newPage();
    await signIn(page, username);
    await page.waitForURL(/\/home$/);
    // Thirty-one minutes pass without a request.
    const past = new Date(Date.now() - SESSION_IDLE_MS - 60_000);
    await db.prisma.webSession.updateMany({ where: { userId: user.actor.userId }, data: { createdAt: past, lastSeenAt: past } });
    await page.goto(`${served.url}/home`);
    await page.waitForURL(/notice=ended/);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('登录已超时或已结束');
    await screenshot(page, 'session-ended');
    await context.close();
  });

  it('a form posted from another site is refused, and the session stays signed in', async () => {
    const { username } = await person();
    const { context, page } = await newPage();
    await signIn(page, username);
    await page.waitForURL(/\/home$/);
    // Another origin's page posts to the sign-out form with a guessed token.
    await page.setContent(`<form method="post" action="${served.url}/sign-out"><input name="csrf" value="guess"><button>go</button></form>`);
    await page.getByRole('button', { name: 'go' }).click();
    await page.waitForLoadState();
    await page.goto(`${served.url}/home`);
    expect(page.url()).toMatch(/\/home$/);
    await screenshot(page, 'csrf-refused-still-signed-in');
    await context.close();
  });

  it('sign-out ends the session; the back button shows nothing of it', async () => {
    const { username } = await person();
    const { context, page } = await newPage();
    await signIn(page, username);
    await page.waitForURL(/\/home$/);
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/notice=signed_out/);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('您已退出登录');
    await page.goto(`${served.url}/home`);
    expect(page.url()).toBe(`${served.url}/`);
    await screenshot(page, 'signed-out');
    await context.close();
  });

  it('an auditor’s home page lists what the auditor can do, in Chinese, and leads to the check of both chains; both pass axe', async () => {
    const { username } = await person('auditor');
    const { context, page } = await newPage();
    await signIn(page, username);
    await page.waitForURL(/\/home$/);
    const text = await page.locator('main').textContent();
    expect(text).toContain('审计工作台');
    expect(text).toContain('核验账本与审计日志');
    await expectAccessible(page);
    await screenshot(page, 'home-auditor');
    await page.getByRole('link', { name: '核验账本与审计日志' }).click();
    await page.waitForURL(/\/verification$/);
    expect(await page.locator('main').textContent()).toContain('通过：序号连续');
    await expectAccessible(page);
    await screenshot(page, 'verification-auditor');
    await context.close();
  });

  it('a foundation officer sees the programme’s money in yuan; the page passes axe and prints without navigation', async () => {
    const programme = await makePayoutProgramme(world, '20000.00');
    await makeApprovedGrants(db.prisma, world, programme.id, ['4000.00', '3500.00']);
    const officer = await makeUser(db.prisma, world.foundation, 'foundation_viewer');
    const issued = await issuePasswordSetup({ ctx: world.users.admin.ctx, input: { userId: officer.actor.userId, username: `officer.${++counter}` } });
    const { context, page } = await newPage();
    await page.goto(served.url + issued.link);
    await page.getByLabel(/^新密码/).fill(PASSWORD);
    await page.getByLabel(/^再次输入新密码/).fill(PASSWORD);
    await page.getByRole('button', { name: '设置密码' }).click();
    await page.waitForURL(/notice=password_set/);
    await signIn(page, issued.username);
    await page.waitForURL(/\/home$/);
    await page.getByRole('navigation').getByRole('link', { name: '助学项目' }).click();
    await page.getByRole('link', { name: programme.name }).click();
    await page.waitForURL(new RegExp(`/programmes/${programme.id}$`));
    const main = await page.locator('main').textContent();
    expect(main).toContain('¥20,000.00');
    expect(main).toContain('¥7,500.00');
    await expectAccessible(page);
    await screenshot(page, 'programme-foundation');
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation').isVisible()).toBe(false);
    await screenshot(page, 'programme-foundation-print');
    await context.close();
  });
});
