// The caseworker's bulk intake in Chromium: a county list saved as an .xlsx workbook is checked and
// its mistakes shown all at once; the fixed list is checked again and imported; the bulk step runs
// in the background for the imported students, its page reloading itself until it shows who was
// written. Every page is checked with axe-core; every
// test leaves a screenshot in test-results/screenshots.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { openTestDatabase } from '../support/database.ts';
import { type World, makeProgramme, makeWorld } from '../support/fixtures.ts';
import { type IntakeRow, intakeRow, intakeXlsx } from '../support/intake-rows.ts';
import { givePassword } from '../support/page-browser.ts';
import { type Served, expectAccessible, haveChromium, launchBrowser, screenshot, serveApp, signIn } from './support/browser.ts';
import { waitForBulkJob } from './support/bulk-job.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe.skipIf(!haveChromium)('bulk intake in Chromium', () => {
  let db: Database;
  let world: World;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  let page: Page;
  const rows: IntakeRow[] = [intakeRow(), intakeRow(), intakeRow()];

  beforeAll(async () => {
    db = await openTestDatabase();
    world = await makeWorld(db.prisma);
    await makeProgramme(world);
    served = await serveApp(db);
    chromium = await launchBrowser();
    context = await chromium.browser.newContext({ bypassCSP: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await context.newPage();
    const username = await givePassword(db.prisma, world.users.caseworker.actor.userId);
    await signIn(page, served.url, username);
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await chromium?.close();
    await served?.close();
    await db?.close();
  });

  const workbook = async (list: IntakeRow[]) => ({ name: '城东区名单.xlsx', mimeType: XLSX, buffer: Buffer.from(await intakeXlsx(list)) });

  it('checks an XLSX county list and shows every mistake of every row at once', async () => {
    await page.goto(`${served.url}/students/import`);
    await expectAccessible(page);
    const wrong = [rows[0]!, { ...rows[1]!, gender: '男', expected_graduation: '2023-06-30' }, { ...rows[2]!, level: '硕士' }];
    await page.getByLabel(/^名单文件/).setInputFiles(await workbook(wrong));
    await page.getByRole('button', { name: '检查（不导入）' }).click();
    await page.waitForURL(/\/students\/import$/);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('其中 2 行有错误');
    const table = page.getByRole('table', { name: /错误明细/ });
    expect(await table.getByRole('row').count()).toBe(1 + 3);
    expect(await table.textContent()).toContain('预计毕业');
    expect(await page.locator('form[action="/students/import/confirm"]').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'student-intake-dry-run-errors');
  });

  it('checks the fixed list, imports it with the same file and lands on the bulk step', async () => {
    const fixed = await workbook(rows);
    await page.getByLabel(/^名单文件/).setInputFiles(fixed);
    await page.getByRole('button', { name: '检查（不导入）' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('将新建 3 名学生');
    await page.getByLabel(/^同一名单文件/).setInputFiles(fixed);
    await expectAccessible(page);
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await page.waitForURL(/\/students\/bulk\?importId=/);
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('已导入 3 名学生');
    expect(await page.getByRole('checkbox', { checked: true }).count()).toBe(3);
    expect(await db.prisma.student.count()).toBe(3);
    await expectAccessible(page);
    await screenshot(page, 'student-intake-imported-bulk-form');
  });

  it('runs the bulk step for the imported students and shows who was written', async () => {
    await page.getByLabel('学年（如 2026-2027）').fill('2026-2027');
    await page.getByLabel('核验日期').fill('2026-11-20');
    await page.getByLabel('本科').fill('4000.00');
    await page.getByRole('button', { name: /^提交/ }).click();
    await waitForBulkJob(page);
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('已写入 3 名');
    const result = page.getByRole('table', { name: /每名学生单独办理/ });
    expect(await result.getByRole('row').count()).toBe(1 + 3);
    expect(await result.textContent()).toContain('待资格审批后再办');
    expect(await db.prisma.eligibilityDetermination.count()).toBe(3);
    await expectAccessible(page);
    await screenshot(page, 'student-intake-bulk-result');
  });
});
