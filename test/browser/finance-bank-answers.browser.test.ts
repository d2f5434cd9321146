// The bank-answer form for an account-history CSV in a real browser (Chromium): the officer picks
// 账户明细 CSV and the bank's layout, accepts exceptions, and reads on the import page that the
// account was assumed, which line was matched without a reference, and the candidate payouts of the
// line to match by hand. Every page is checked with axe-core, with a screenshot per test.
import iconv from 'iconv-lite';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { bankCsv } from '../support/bank-statements.ts';
import { openTestDatabase } from '../support/database.ts';
import { makeWorld, type World } from '../support/fixtures.ts';
import { givePassword } from '../support/page-browser.ts';
import { TODAY, exportAndSendBatch, makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { testVault } from '../support/vault.ts';
import { type Served, expectAccessible, haveChromium, launchBrowser, screenshot, serveApp, signIn } from './support/browser.ts';

describe.skipIf(!haveChromium)('the bank’s account-history CSV uploaded in Chromium', () => {
  let db: Database;
  let world: World;
  let programme: ProgrammeView;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchBrowser>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    db = await openTestDatabase();
    world = await makeWorld(db.prisma);
    programme = await makePayoutProgramme(world, '40000.00');
    await makeApprovedGrants(db.prisma, world, programme.id, ['3000.00', '3000.00', '5000.00']);
    const batch = await createPayoutBatch({ ctx: world.users.finance.ctx, input: { programmeId: programme.id, cutoffOn: TODAY() } });
    await exportAndSendBatch(world.users.finance.ctx, batch.id);
    served = await serveApp(db);
    chromium = await launchBrowser();
    browser = chromium.browser;
    const username = await givePassword(db.prisma, world.users.finance.actor.userId);
    context = await browser.newContext({ bypassCSP: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await context.newPage();
    await signIn(page, served.url, username);
  }, 300_000);
  afterAll(async () => {
    await context?.close();
    await chromium?.close();
    await served?.close();
    await db?.close();
  });

  it('uploads it with its layout; the import page shows the assumed account, the matched line and the candidates to pick from', async () => {
    const vault = await testVault();
    const rows = await db.prisma.payout.findMany({ where: { programmeId: programme.id }, orderBy: { sequence: 'asc' } });
    const single = rows.find((p) => rows.filter((q) => q.amount.equals(p.amount)).length === 1)!;
    const pair = rows.filter((p) => p !== single);
    let text = '';
    for await (const c of bankCsv({}, [
      {
        kind: 'debit',
        amount: single.amount.toFixed(2),
        bookingDate: TODAY(),
        counterpartyAccount: await vault.open('bank_account', single.payeeAccountSealed),
      },
      { kind: 'debit', amount: pair[0]!.amount.toFixed(2), bookingDate: TODAY(), counterpartyName: await vault.open('name', pair[0]!.payeeNameSealed) },
    ]))
      text += c;

    await page.goto(`${served.url}/programmes/${programme.id}/bank-results/new`);
    await expectAccessible(page);
    await page.getByLabel(/^银行回单文件/).setInputFiles({ name: 'ccb-2026-11.csv', mimeType: 'text/csv', buffer: iconv.encode(text, 'gbk') });
    await page.getByLabel('文件格式').selectOption('statement-csv');
    await page.getByLabel(/^账户明细 CSV 的银行格式/).selectOption('generic-cn');
    await page.getByLabel('CSV 编码').selectOption('gbk');
    await page.getByLabel(/^有异常行时仍导入其余各行/).check();
    await screenshot(page, 'finance-bank-answer-statement-csv-form');
    await page.getByRole('button', { name: '导入' }).click();
    await page.waitForURL(/\/bank-results\/[0-9a-f-]{36}$/);
    expect(await page.locator('#account-stated-by').textContent()).toBe('文件未载明账号，视为本项目发放账户');
    expect(await page.locator('#matched-without-reference').isVisible()).toBe(true);
    expect(await page.locator('#candidates-2 tbody tr').count()).toBe(2);
    expect(await page.locator(`#candidate-2-${pair[1]!.id}`).textContent()).toContain(pair[1]!.reference);
    await expectAccessible(page);
    await screenshot(page, 'finance-bank-answer-candidates');
  });
});
