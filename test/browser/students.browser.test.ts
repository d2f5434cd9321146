// The caseworker's student pages in a real browser (Chromium), under the service's own
// Content-Security-Policy (not bypassed: the identity-number script must run as served). The
// caseworker goes from the home page to the students, registers one — the identity number checked
// as it is typed, in the live region — records the recognition, the enrolment and this year's
// verification, and lands each time on the student's page. A name searched for never reaches the
// address bar. Every page is checked with axe-core; every test leaves a screenshot.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { openTestDatabase } from '../support/database.ts';
import { makeWorld, type World } from '../support/fixtures.ts';
import { givePassword } from '../support/page-browser.ts';
import { fictionalAccountNumber, fictionalIdentityNumber } from '../support/students.ts';
import { type Served, expectAccessible, haveChromium, launchBrowser, screenshot, serveApp, signIn } from './support/browser.ts';

describe.skipIf(!haveChromium)('the caseworker’s student pages in Chromium', () => {
  let db: Database;
  let world: World;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchBrowser>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let studentPath: string;
  const identityNumber = fictionalIdentityNumber({ gender: 'female' });

  beforeAll(async () => {
    db = await openTestDatabase();
    world = await makeWorld(db.prisma);
    served = await serveApp(db);
    chromium = await launchBrowser();
    browser = chromium.browser;
    context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await context.newPage();
    const username = await givePassword(db.prisma, world.users.caseworker.actor.userId);
    await signIn(page, served.url, username);
  }, 180_000);
  afterAll(async () => {
    await context?.close();
    await chromium?.close();
    await served?.close();
    await db?.close();
  });

  const field = (name: string) => page.locator(`[name="${name}"]`);
  const live = () => page.locator('#identityNumber-live');

  it('registers a student, the identity number checked as it is typed', async () => {
    await page.getByRole('main').getByRole('link', { name: '学生', exact: true }).click();
    await page.waitForURL(/\/students$/);
    await expectAccessible(page);
    await page.getByRole('link', { name: '登记学生' }).click();
    await page.waitForURL(/\/students\/new$/);

    const input = page.getByLabel(/^身份证号码/);
    await input.pressSequentially(identityNumber.slice(0, 6));
    await expect.poll(() => live().textContent()).toBe('已输入 6 位，共 18 位。');
    const wrong = identityNumber.slice(0, 17) + (identityNumber[17] === '0' ? '1' : '0');
    await input.pressSequentially(wrong.slice(6));
    await expect.poll(() => live().textContent()).toBe('身份证号码校验位不正确。');
    await screenshot(page, 'students-register-live-check');
    await input.fill('');
    await input.pressSequentially(identityNumber);
    await expect.poll(() => live().textContent()).toContain('均正确');

    await page.getByLabel(/^姓名/).fill('韩 梅梅');
    await page.getByLabel(/^性别/).selectOption('female');
    await page.getByLabel(/^开户银行/).fill('中国建设银行西宁城东支行');
    await page.getByLabel(/^银行账号/).fill(fictionalAccountNumber());
    await page.getByLabel(/^开户人姓名/).fill('韩 梅梅');
    await expectAccessible(page);
    await page.getByRole('button', { name: '登记' }).click();
    await page.waitForURL(/\/students\/[0-9a-f-]{36}\?done=registered$/);
    studentPath = new URL(page.url()).pathname;
    expect(await page.getByRole('status').first().textContent()).toContain('学生已登记');
    expect(await page.content()).not.toContain(identityNumber);
    expect(await page.locator('dl.facts').textContent()).toContain(`${identityNumber.slice(0, 6)}********${identityNumber.slice(-4)}`);
    await expectAccessible(page);
    await screenshot(page, 'students-registered');
  });

  it('records the recognition: each parent’s situation chosen from the list, with the evidence', async () => {
    await page.getByRole('link', { name: '登记认定' }).click();
    await page.waitForURL(/\/recognitions\/new$/);
    await expectAccessible(page);
    await field('recognisedOn').fill('2019-06-10');
    await field('authority').fill('西宁市城东区民政局');
    await field('father.situation').selectOption({ label: '死亡' });
    await field('mother.situation').selectOption({ label: '服刑在押' });
    await field('evidence.0.documentType').fill('死亡证明');
    await field('evidence.0.documentNumber').fill('QH-SW-2019-000123');
    await field('evidence.0.issuer').fill('西宁市第一人民医院');
    await field('evidence.0.issuedOn').fill('2019-03-02');
    await screenshot(page, 'students-recognition-form');
    await page.getByRole('button', { name: '登记认定' }).click();
    await page.waitForURL(/\?done=recognition$/);
    expect(await page.locator('section[aria-labelledby="recognitions"]').textContent()).toContain('符合认定条件');
    await expectAccessible(page);
    await screenshot(page, 'students-recognised');
  });

  it('records the enrolment and this year’s verification, and lands on the student’s page', async () => {
    await page.getByRole('link', { name: '登记学籍' }).click();
    await page.waitForURL(/\/enrolments\/new$/);
    await field('institutionName').fill('青海大学');
    await field('institutionCode').fill('4163010743');
    await field('level').selectOption('undergraduate');
    await field('admissionDate').fill('2024-09-01');
    // A mistake first: graduation before admission is refused beside the field.
    await field('expectedGraduation').fill('2024-06-30');
    await page.getByRole('button', { name: '登记学籍' }).click();
    await expect.poll(() => page.locator('#expectedGraduation-error').textContent()).toBeTruthy();
    expect(await page.getByRole('alert').textContent()).toContain('预计毕业日期');
    await expectAccessible(page);
    await screenshot(page, 'students-enrolment-refused');
    await field('expectedGraduation').fill('2028-06-30');
    await page.getByRole('button', { name: '登记学籍' }).click();
    await page.waitForURL(/\?done=enrolment$/);

    await page.getByRole('link', { name: '登记本学年学籍核验' }).click();
    await page.waitForURL(/\/verifications\/new$/);
    expect(await field('verifiedOn').inputValue()).toBe('2026-11-26');
    await field('reference').fill('CHSI-2026-0001');
    await expectAccessible(page);
    await page.getByRole('button', { name: '登记核验' }).click();
    await page.waitForURL(/\?done=verification$/);
    expect(new URL(page.url()).pathname).toBe(studentPath);
    const enrolments = await page.locator('section[aria-labelledby="enrolments"]').textContent();
    expect(enrolments).toContain('青海大学（本科）：在读');
    expect(enrolments).toContain('CHSI-2026-0001');
    await expectAccessible(page);
    await screenshot(page, 'students-student-page');
  });

  it('finds the student by name through the search form; the name never reaches the address bar', async () => {
    await page.goto(`${served.url}/students`);
    await page.getByLabel(/^姓名/).fill('韩 梅梅');
    await page.getByRole('button', { name: '查找' }).click();
    await expect.poll(() => page.locator('caption').first().textContent()).toBe('查找结果');
    expect(page.url()).toBe(`${served.url}/students`);
    expect(decodeURIComponent(page.url())).not.toContain('梅梅');
    await page.getByRole('link', { name: /^韩/ }).click();
    await page.waitForURL((url) => url.pathname === studentPath);
    await expectAccessible(page);
    await screenshot(page, 'students-found-by-name');
  });
});
