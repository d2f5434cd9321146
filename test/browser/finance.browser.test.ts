// The finance officer's main flow in a real browser (Chromium): from the home page to a new payout
// batch for today's cut-off, the pain.001 file downloaded, the batch marked sent, the bank's
// camt.054 answer uploaded, and the payouts seen settled with the balances moved to the bank.
// Every page is checked with axe-core; every test leaves a screenshot in test-results/screenshots.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { setBusinessClock } from '../../src/domain/dates.ts';
import { camt054Text } from '../support/bank-answers.ts';
import { TEST_TODAY } from '../support/business-clock.ts';
import { openTestDatabase } from '../support/database.ts';
import { makeWorld, type World } from '../support/fixtures.ts';
import { givePassword } from '../support/page-browser.ts';
import { PROGRAMME_ACCOUNT, TODAY, makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { type Served, expectAccessible, haveChromium, launchBrowser, screenshot, serveApp, signIn } from './support/browser.ts';

describe.skipIf(!haveChromium)('the finance officer in Chromium', () => {
  let db: Database;
  let world: World;
  let programme: ProgrammeView;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchBrowser>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let batchUrl: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    world = await makeWorld(db.prisma);
    programme = await makePayoutProgramme(world, '20000.00');
    await makeApprovedGrants(db.prisma, world, programme.id, ['4000.00', '5000.00']);
    served = await serveApp(db);
    chromium = await launchBrowser();
    browser = chromium.browser;
    const username = await givePassword(db.prisma, world.users.finance.actor.userId);
    context = await browser.newContext({ bypassCSP: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    page = await context.newPage();
    await signIn(page, served.url, username);
  }, 300_000);
  afterAll(async () => {
    await context?.close();
    await chromium?.close();
    await served?.close();
    await db?.close();
  });

  /** The cells of the table row whose header cell reads `label`, as text. */
  const rowCells = (label: string) =>
    page
      .locator('tr', { has: page.locator('th', { hasText: new RegExp(`^${label}$`) }) })
      .first()
      .locator('td')
      .allTextContents();

  it('creates a batch for today’s cut-off from the home page', async () => {
    await expectAccessible(page);
    await page.getByRole('link', { name: '发放批次' }).first().click();
    await page.waitForURL(/\/payout-batches$/);
    await expect.poll(() => page.getByText('尚无发放批次。').isVisible()).toBe(true);
    await expectAccessible(page);
    await page.getByRole('link', { name: '生成新的发放批次' }).click();
    await page.getByLabel(/^截止日期/).fill(TODAY());
    await expectAccessible(page);
    await page.getByRole('button', { name: '生成批次' }).click();
    await page.waitForURL(/\/payout-batches\/[0-9a-f-]{36}$/);
    batchUrl = page.url();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/发放批次 PB\d+-\d+/);
    expect(await rowCells('待提交银行')).toEqual(['2', '¥4,500.00']);
    expect(await page.getByText('本批次没有暂缓的分期。').isVisible()).toBe(true);
    // No file downloaded yet: no "mark sent", only the note and the override asking for a reason.
    expect(await page.getByRole('button', { name: '标记为已提交银行' }).count()).toBe(0);
    expect(await page.getByText(/^尚未下载银行文件/).isVisible()).toBe(true);
    expect(await page.getByLabel(/^未导出文件即提交的原因/).isVisible()).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'finance-batch-created');
  });

  it('downloads the pain.001 file of the batch', async () => {
    await page.goto(batchUrl);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'pain.001（XML）' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^PB\d+-\d+\.pain001\.xml$/);
    const xml = readFileSync((await download.path())!, 'utf8');
    expect(xml).toContain('<NbOfTxs>2</NbOfTxs>');
    expect(xml).toContain('<CtrlSum>4500.00</CtrlSum>');
    expect(xml).toContain(PROGRAMME_ACCOUNT);
    await screenshot(page, 'finance-batch-download');
  });

  it('marks the batch sent: the payouts are in transit', async () => {
    await page.goto(batchUrl);
    await page.getByRole('button', { name: '标记为已提交银行' }).click();
    await expect.poll(() => page.locator('#batch-status').textContent()).toBe('已提交银行');
    expect(await rowCells('在途（已提交银行）')).toEqual(['2', '¥4,500.00']);
    expect((await rowCells('在途')).at(-1)).toBe('¥4,500.00');
    await expectAccessible(page);
    await screenshot(page, 'finance-batch-sent');
  });

  it('a week later, unanswered: the payouts are listed as not booked by the bank, at home and on the bank-answer page', async () => {
    setBusinessClock(() => new Date('2026-12-04T04:00:00.000Z'));
    try {
      await page.goto(`${served.url}/home`);
      const home = await page.locator('main').textContent();
      expect(home).toContain('在途逾期，银行未入账');
      expect(home).toContain('2026-12-01');
      await expectAccessible(page);
      await screenshot(page, 'finance-home-overdue');
      await page.goto(`${served.url}/programmes/${programme.id}/bank-results`);
      expect(await page.locator('#overdue-payouts').textContent()).toContain('在途逾期');
      expect(await page.locator('section[aria-labelledby="overdue-payouts"] tbody tr').count()).toBe(2);
      await expectAccessible(page);
      await screenshot(page, 'finance-bank-results-overdue');
    } finally {
      setBusinessClock(() => new Date(`${TEST_TODAY}T04:00:00.000Z`));
    }
  });

  it('uploads the bank’s camt.054 answer and sees the payouts settled', async () => {
    const payouts = await db.prisma.payout.findMany({ where: { programmeId: programme.id }, orderBy: { sequence: 'asc' } });
    const answer = await camt054Text(
      { messageId: 'CAMT054-BROWSER-1', account: PROGRAMME_ACCOUNT },
      payouts.map((p) => ({ reference: p.reference, amount: p.amount.toFixed(2), kind: 'debit' as const })),
    );
    await page.goto(batchUrl);
    await page.getByRole('link', { name: '上传银行回单' }).click();
    await page.waitForURL(/\/bank-results\/new$/);
    await expectAccessible(page);
    await page.getByLabel(/^银行回单文件/).setInputFiles({ name: 'camt054.xml', mimeType: 'application/xml', buffer: Buffer.from(answer) });
    await page.getByRole('button', { name: '导入' }).click();
    await page.waitForURL(/\/bank-results\/[0-9a-f-]{36}$/);
    expect(await page.locator('#import-counts').textContent()).toBe('2 / 2 / 0');
    expect(await page.getByText('本文件各行均已处理，没有异常。').isVisible()).toBe(true);
    expect((await rowCells('在途')).at(-1)).toBe('¥0.00');
    await expectAccessible(page);
    await screenshot(page, 'finance-bank-answer');

    await page.goto(batchUrl);
    expect(await rowCells('已入账')).toEqual(['2', '¥4,500.00']);
    await expectAccessible(page);
    await screenshot(page, 'finance-batch-settled');
  });

  it('records a funding receipt, and its other pages (reversal, bank answers, a student’s account for the bank) are accessible', async () => {
    const base = `${served.url}/programmes/${programme.id}`;
    await page.goto(`${base}/funding/new`);
    await page.getByLabel(/^金额/).fill('30000.00');
    await page.getByLabel(/^到账日期/).fill('2026-11-20');
    await page.getByLabel(/^银行流水号/).fill('QH-BROWSER-0001');
    await expectAccessible(page);
    await page.getByRole('button', { name: '登记到账' }).click();
    await page.waitForURL(/\/funding$/);
    expect(await page.getByRole('cell', { name: 'QH-BROWSER-0001' }).isVisible()).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'finance-funding-recorded');

    await page.getByRole('link', { name: '冲正' }).first().click();
    await page.waitForURL(/\/reverse$/);
    await expectAccessible(page);
    await page.goto(`${base}/bank-results`);
    await expectAccessible(page);
    const grant = await db.prisma.grant.findFirstOrThrow({ where: { programmeId: programme.id } });
    await page.goto(`${base}/grants/${grant.id}/unmask`);
    await page.getByLabel(/^用途/).fill('向银行查询入账情况');
    await page.getByRole('button', { name: '查看' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('学生完整账户');
    expect(page.url()).not.toMatch(/\?/);
    await expectAccessible(page);
    await screenshot(page, 'finance-unmasked');
  });
});
