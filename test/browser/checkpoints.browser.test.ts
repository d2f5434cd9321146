// The signed checkpoints in a real browser (Chromium): an auditor and a foundation viewer reach the
// page from home and see the newest checkpoint of each chain (sequence, head, Beijing time, key
// fingerprint) with the downloads, the zip downloads; the auditor's verification page shows them
// too; a finance officer has no link and gets the 404 page. Every page is checked with axe-core;
// every test leaves a screenshot in test-results/screenshots.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryArchive } from '../../src/checkpoints/archive-node.ts';
import { Checkpointer } from '../../src/checkpoints/checkpointer.ts';
import { signerFromSeed } from '../../src/checkpoints/ed25519.ts';
import type { Database } from '../../src/db/client.ts';
import { createLogger } from '../../src/http/logger.ts';
import { openTestDatabase } from '../support/database.ts';
import { type TestUser, type World, makeWorld } from '../support/fixtures.ts';
import { givePassword } from '../support/page-browser.ts';
import { makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { type Served, expectAccessible, haveChromium, launchBrowser, screenshot, serveApp, signIn } from './support/browser.ts';

describe.skipIf(!haveChromium)('signed checkpoints in Chromium', () => {
  let db: Database;
  let world: World;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchBrowser>>;
  let browser: Browser;
  let checkpoints: Checkpointer;
  let dir: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    world = await makeWorld(db.prisma);
    const programme = await makePayoutProgramme(world, '20000.00');
    await makeApprovedGrants(db.prisma, world, programme.id, ['4000.00']);
    dir = mkdtempSync(join(tmpdir(), 'checkpoints-browser-'));
    checkpoints = new Checkpointer({
      db: db.prisma,
      signer: await signerFromSeed(new Uint8Array(32).fill(5)),
      archive: directoryArchive(dir),
      logger: createLogger('silent'),
    });
    await checkpoints.take('test');
    served = await serveApp(db, undefined, { checkpoints });
    chromium = await launchBrowser();
    browser = chromium.browser;
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await served?.close();
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function signedIn(user: TestUser): Promise<{ context: BrowserContext; page: Page }> {
    const username = await givePassword(db.prisma, user.actor.userId);
    const context = await browser.newContext({ bypassCSP: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, served.url, username);
    return { context, page };
  }

  it('a foundation viewer reaches the checkpoints from home, reads the newest of each chain and downloads them all', async () => {
    const ledger = await checkpoints.archive.latest('ledger');
    const { context, page } = await signedIn(world.users.foundationViewer);
    await page.getByRole('link', { name: '哈希链签名检查点' }).click();
    await page.waitForURL(/\/checkpoints$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('哈希链签名检查点');
    expect(await page.getByTestId('ledger-sequence').textContent()).toBe(ledger!.sequence);
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).toContain(ledger!.headHash);
    expect(body).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
    expect(body).toContain(checkpoints.fingerprint.slice(0, 4));
    await expectAccessible(page);
    await screenshot(page, 'checkpoints-foundation');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '全部检查点（zip）' }).click()]);
    expect(download.suggestedFilename()).toBe('checkpoints.zip');
    await context.close();
  });

  it('the auditor’s verification page shows the newest checkpoints beside the chain check', async () => {
    const { context, page } = await signedIn(world.users.auditor);
    await page.getByRole('link', { name: '核验账本与审计日志' }).click();
    await page.waitForURL(/\/verification$/);
    await expect.poll(() => page.getByRole('heading', { name: /签名检查点/ }).count()).toBe(1);
    expect(await page.getByTestId('audit-sequence').textContent()).toBe((await checkpoints.archive.latest('audit'))!.sequence);
    await expectAccessible(page);
    await screenshot(page, 'checkpoints-auditor-verification');
    await context.close();
  });

  it('finance has no link to them and gets the 404 page', async () => {
    const { context, page } = await signedIn(world.users.finance);
    expect(await page.getByRole('link', { name: '哈希链签名检查点' }).count()).toBe(0);
    const res = await page.goto(`${served.url}/checkpoints`);
    expect(res?.status()).toBe(404);
    await screenshot(page, 'checkpoints-finance-404');
    await context.close();
  });
});
