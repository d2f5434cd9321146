// Changes to what is on a student's record, in a real browser (Chromium) under the service's own
// Content-Security-Policy: the caseworker changes the student's bank account from the student's
// page (a mistake first, refused without the number shown back) and lands on the page with the new
// account masked; the approver revokes the student's eligibility, reading beforehand what that
// does to the grant, and lands on the page that says what was cancelled and returned to the fund.
// Every page is checked with axe-core; every test leaves a screenshot.
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../support/fixtures.ts';
import { givePassword } from '../support/page-browser.ts';
import { makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { fictionalAccountNumber } from '../support/students.ts';
import { expectAccessible, haveChromium, screenshot, useBrowserWorld, signIn } from './support/browser.ts';

describe.skipIf(!haveChromium)('changes to a student’s record in Chromium', () => {
  const b = useBrowserWorld();
  let studentPath: string;
  let studentName: string;

  beforeAll(async () => {
    const programme = await makePayoutProgramme(b.world, '20000.00');
    const [made] = await makeApprovedGrants(b.db.prisma, b.world, programme.id, ['4000.00']);
    studentPath = `/students/${made!.student.id}`;
    studentName = made!.student.plain.name;
  }, 120_000);

  async function signedIn(user: TestUser): Promise<{ context: BrowserContext; page: Page }> {
    const username = await givePassword(b.db.prisma, user.actor.userId);
    const context = await b.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    await signIn(page, b.served.url, username);
    return { context, page };
  }

  it('the caseworker changes the bank account; the number is never shown back', async () => {
    const { context, page } = await signedIn(b.world.users.caseworker);
    const number = fictionalAccountNumber();
    await page.goto(`${b.served.url}${studentPath}`);
    await page.getByRole('link', { name: '更换收款账户' }).first().click();
    await page.waitForURL(/\/bank-account$/);
    await expectAccessible(page);
    await page.getByLabel(/^开户银行/).fill('中国农业银行西宁城北支行');
    await page.getByLabel(/^银行账号/).fill(number);
    await page.getByLabel(/^开户人姓名/).fill(studentName);
    // The reason forgotten: refused beside the field, the number to be typed again.
    await page.getByRole('button', { name: '更换账户' }).click();
    await expect.poll(() => page.locator('#reason-error').textContent()).toBeTruthy();
    expect(await page.getByRole('alert').textContent()).toContain('更换原因');
    expect(await page.getByLabel(/^银行账号/).inputValue()).toBe('');
    expect(await page.content()).not.toContain(number);
    await expectAccessible(page);
    await screenshot(page, 'student-account-refused');

    await page.getByLabel(/^银行账号/).fill(number);
    await page.getByLabel(/^更换原因/).fill('原银行卡已注销，学生本人申请更换');
    await page.getByRole('button', { name: '更换账户' }).click();
    await page.waitForURL(/\?done=bank_account$/);
    expect(page.url()).not.toContain(number);
    expect(await page.getByRole('status').first().textContent()).toContain('收款账户已更换');
    const facts = await page.locator('dl.facts').first().textContent();
    expect(facts).toContain('中国农业银行西宁城北支行');
    expect(facts).toContain(number.slice(-4));
    expect(await page.content()).not.toContain(number);
    await expectAccessible(page);
    await screenshot(page, 'student-account-changed');
    await context.close();
  });

  it('the approver revokes the eligibility, told beforehand what it ends, and sees what it came to', async () => {
    const { context, page } = await signedIn(b.world.users.approver);
    await page.goto(`${b.served.url}${studentPath}`);
    await page.getByRole('link', { name: '撤销资格' }).click();
    await page.waitForURL(/\/revoke$/);
    const preview = await page.locator('#ending-preview').locator('..').textContent();
    expect(preview).toContain('将取消');
    expect(preview).toContain('退回资金池');
    await expectAccessible(page);
    await screenshot(page, 'student-revoke-form');
    await page.getByLabel(/^撤销原因/).fill('学生已被其他家庭收养，不再符合认定条件');
    await page.getByRole('button', { name: '撤销资格' }).click();
    await page.waitForURL(/\?done=revoked&eligibility=/);
    const notices = await page.getByRole('status').allTextContents();
    expect(notices.join(' ')).toContain('资格已撤销');
    expect(notices.join(' ')).toContain('已退回资金池');
    expect(await page.locator('section[aria-labelledby="years"]').textContent()).toContain('已撤销');
    await expectAccessible(page);
    await screenshot(page, 'student-eligibility-revoked');
    await context.close();
  });
});
