// The pages in a real browser (Chromium) on the demo data, as the foundation and as the auditor.
// The foundation's money dashboard shows the published figures (2025-2026: 143 students,
// ¥540,000.00; since 2024: 227 person-times, ¥840,000.00) with server-drawn charts; its figures
// lead to the rows behind them; the grant list downloads as an XLSX file whose identity numbers
// are text; another foundation sees none of it. The auditor verifies both chains, reads the audit
// trail, and reconciles the demo statement with breaks from the browser while other requests keep
// answering. Every page is checked with axe-core; every test leaves a screenshot in
// test-results/screenshots.
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import type { DemoToken } from '../../src/demo/seed.ts';
import { loadSnapshot } from '../../src/demo/snapshot/load-snapshot.ts';
import { readSnapshot } from '../../src/demo/snapshot/snapshot-file-node.ts';
import { openTestDatabase } from '../support/database.ts';
import { testVault } from '../support/vault.ts';
import { type Served, expectAccessible, haveChromium, launchBrowser, screenshot, serveApp, signIn } from './support/browser.ts';

describe.skipIf(!haveChromium)('the demo in Chromium: the foundation and the auditor', () => {
  let db: Database;
  let demo: DemoToken[];
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchBrowser>>;
  let browser: Browser;

  beforeAll(async () => {
    db = await openTestDatabase();
    // The demo as a first start loads it (test/e2e/demo-snapshot.test.ts: the same as a replay).
    const snapshot = readSnapshot();
    if (!snapshot) throw new Error('demo/snapshot is missing: npm run demo:snapshot');
    const load = await loadSnapshot(db.prisma, await testVault(), snapshot);
    if (!load.loaded) throw new Error(`the demo snapshot does not apply: ${load.reason}`);
    demo = load.tokens;
    served = await serveApp(db);
    chromium = await launchBrowser();
    browser = chromium.browser;
  }, 300_000);
  afterAll(async () => {
    await chromium?.close();
    await served?.close();
    await db?.close();
  });

  async function signedIn(username: string): Promise<{ context: BrowserContext; page: Page }> {
    const person = demo.find((d) => d.username === username)!;
    const context = await browser.newContext({ bypassCSP: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, served.url, person.username, person.password);
    return { context, page };
  }

  /** The cells of the table row whose header cell reads `label`, as text. */
  const rowCells = (page: Page, label: string) =>
    page
      .locator('tr', { has: page.locator('th', { hasText: new RegExp(`^${label}$`) }) })
      .first()
      .locator('td')
      .allTextContents();

  it('the dashboard shows the published figures, drawn as charts, and every page is accessible', async () => {
    const { context, page } = await signedIn('qingshan.viewer');
    await page.getByRole('link', { name: '助学项目', exact: true }).first().click();
    await page.getByRole('link', { name: /青山陪伴/ }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('青山陪伴');
    // Students, person-times, committed …
    expect((await rowCells(page, '2025-2026')).slice(0, 3)).toEqual(['143', '143', '¥540,000.00']);
    expect((await rowCells(page, '累计')).slice(1, 3)).toEqual(['227', '¥840,000.00']);
    expect(await page.locator('figure.chart svg').count()).toBe(2);
    // On a phone: the same page, one column, wide tables scrolling inside themselves.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    await screenshot(page, 'foundation-dashboard-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await page.getByRole('img', { name: /各学年承诺金额/ }).isVisible()).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'foundation-dashboard');

    // The committed figure leads to the grant approvals in the journal.
    await page.getByRole('link', { name: '已承诺', exact: true }).click();
    await page.waitForURL(/\/ledger\?kind=grant_approved$/);
    expect(await page.locator('tbody tr').count()).toBe(50);
    await expectAccessible(page);
    await screenshot(page, 'foundation-ledger-grant-approvals');

    for (const [section, name] of [
      ['资金到账', 'foundation-funding'],
      ['资助名单', 'foundation-grants'],
      ['发放记录', 'foundation-payouts'],
    ] as const) {
      await page.getByRole('navigation', { name: /栏目/ }).getByRole('link', { name: section }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(section);
      await expectAccessible(page);
      await screenshot(page, name);
    }
    await context.close();
  });

  it('the grant list downloads as XLSX with identity numbers as text cells', async () => {
    const { context, page } = await signedIn('qingshan.viewer');
    await page.getByRole('link', { name: '助学项目', exact: true }).first().click();
    await page.getByRole('link', { name: /青山陪伴/ }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '资助名单（Excel）' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^grants-.+-all-years\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(await download.path()) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(1 + 227);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const id = sheet.getRow(2).getCell(header.indexOf('身份证号') + 1);
    expect(id.type).toBe(ExcelJS.ValueType.String);
    expect(String(id.value)).toMatch(/^\d{6}\*+[\dX]{4}$/);
    await screenshot(page, 'foundation-after-download');
    await context.close();
  });

  it('another foundation gets the not-found page for this programme and does not see it listed', async () => {
    const { context: own, page: ownPage } = await signedIn('qingshan.viewer');
    await ownPage.getByRole('link', { name: '助学项目', exact: true }).first().click();
    const href = await ownPage.getByRole('link', { name: /青山陪伴/ }).getAttribute('href');
    await own.close();

    const { context, page } = await signedIn('other.viewer');
    const res = await page.goto(`${served.url}${href}`);
    expect(res?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('页面不存在');
    expect(await page.content()).not.toContain('青山陪伴');
    await expectAccessible(page);
    await screenshot(page, 'other-foundation-404');
    await page.goto(`${served.url}/programmes`);
    expect(await page.locator('main').textContent()).not.toContain('青山陪伴');
    await context.close();
  });

  it('the auditor verifies both chains and reads the audit trail, with names', async () => {
    const { context, page } = await signedIn('qh.auditor');
    await page.getByRole('link', { name: '核验账本与审计日志' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('通过');
    await expectAccessible(page);
    await screenshot(page, 'auditor-verification');
    await page.goto(`${served.url}/home`);
    await page.getByRole('link', { name: '审计日志', exact: true }).click();
    await page.getByLabel('操作').selectOption('grant.approve');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/action=grant\.approve/);
    const first = await page.locator('tbody tr').first().locator('td').allTextContents();
    expect(first[1]).toContain('审核人 示例');
    expect(first[2]).toBe('青海省民政厅');
    expect(first[3]).toBe('批准年度资助');
    await expectAccessible(page);
    await screenshot(page, 'auditor-audit-trail');
    await context.close();
  });

  it('the auditor reconciles the demo statement with breaks from the browser while other requests keep answering', async () => {
    const { context, page } = await signedIn('qh.auditor');
    const token = demo.find((d) => d.username === 'qingshan.viewer')!.token;
    await page.goto(`${served.url}/reconciliation`);
    await page.getByRole('link', { name: '上传对账单并运行对账' }).click();
    await expectAccessible(page);
    await screenshot(page, 'auditor-reconciliation-form');
    await page
      .getByLabel(/银行对账单/)
      .first()
      .check();
    await page.setInputFiles('#statements', path.resolve('demo/statements/qinghai-2024-2026.breaks.camt053.xml'));
    // Other people's requests while the run goes on: each must be answered.
    const answers: number[] = [];
    let running = true;
    const others = (async () => {
      while (running) {
        const res = await fetch(`${served.url}/api/v1/programmes`, { headers: { Authorization: `Bearer ${token}` } });
        answers.push(res.status);
        await res.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await page.getByRole('button', { name: '开始对账' }).click();
    await page.waitForURL(/\/reconciliation\/jobs\//);
    await screenshot(page, 'auditor-reconciliation-job');
    await page.waitForURL(/\/reconciliation\/[0-9a-f-]{36}$/, { timeout: 150_000 });
    running = false;
    await others;
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((s) => s === 200)).toBe(true);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('有差异');
    const breaks = page.locator('table', { has: page.locator('caption', { hasText: /^差异/ }) });
    expect(await breaks.count()).toBeGreaterThan(0);
    expect(await page.locator('main').textContent()).toContain('qinghai-2024-2026.breaks.camt053.xml');
    await expectAccessible(page);
    await screenshot(page, 'auditor-reconciliation-run');
    await context.close();
  }, 180_000);

  it('the other pages pass the accessibility check too: a grant, a ledger transaction, the lists, a job that failed, one’s password', async () => {
    const { context, page } = await signedIn('qh.auditor');
    const visit = async (name: string) => {
      await expectAccessible(page);
      await screenshot(page, name);
    };
    await page.goto(`${served.url}/programmes`);
    await visit('auditor-programmes');
    await page.getByRole('link', { name: /青山陪伴/ }).click();
    await page.getByRole('navigation', { name: /栏目/ }).getByRole('link', { name: '资助名单' }).click();
    await page.locator('tbody a').first().click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('资助');
    await visit('auditor-grant');
    await page.getByRole('navigation', { name: /栏目/ }).getByRole('link', { name: '账本' }).click();
    await page.locator('tbody a').first().click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('账本交易');
    await visit('auditor-ledger-transaction');
    await page.goto(`${served.url}/reconciliation`);
    await visit('auditor-reconciliation-runs');
    // A file that is no statement: the job fails, and its page says why.
    await page.goto(`${served.url}/reconciliation/new`);
    await page.setInputFiles('#statements', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a statement\n') });
    await page.getByRole('button', { name: '开始对账' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 60_000 }).toContain('未能完成');
    expect(await page.getByRole('alert').textContent()).toContain('notes.txt');
    await visit('auditor-reconciliation-failed');
    await page.goto(`${served.url}/account/password`);
    await visit('auditor-change-password');
    await context.close();
  }, 120_000);

  it('the admin adds a person and sees the set-password link once; the person sets a password with it', async () => {
    const { context, page } = await signedIn('platform.admin');
    await page.getByRole('link', { name: '用户与设置密码链接' }).click();
    await expectAccessible(page);
    await screenshot(page, 'admin-people');
    await page.getByLabel('机构').selectOption({ label: '青山慈善基金会（QINGSHAN-FDN）' });
    await page.getByLabel(/^姓名/).fill('赵 项目');
    await page.getByLabel('角色').selectOption('foundation_viewer');
    await page.getByLabel(/^登录名/).fill('zhao.xiangmu');
    await page.getByRole('button', { name: '添加并生成设置密码链接' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('设置密码链接');
    const link = await page.getByLabel('设置密码链接').inputValue();
    expect(link).toContain('/password/setup/ps_');
    await expectAccessible(page);
    await screenshot(page, 'admin-link-shown-once');
    await context.close();

    const person = await browser.newContext({ locale: 'zh-CN' });
    const tab = await person.newPage();
    await tab.goto(link);
    await tab.getByLabel(/^新密码/).fill('青海湖 spring 2027!');
    await tab.getByLabel(/^再次输入新密码/).fill('青海湖 spring 2027!');
    await tab.getByRole('button', { name: '设置密码' }).click();
    await tab.waitForURL(/notice=password_set/);
    await person.close();
  }, 120_000);
});
