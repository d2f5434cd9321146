// The approver's pages in a real browser (Chromium): from the home page to the queue, a selection
// of grants approved at once with the result listed per item; a proposal's own page with a
// rejection sent without a reason (the message at the field); and a person who proposed and later
// became an approver refused on the page (maker-checker: roles alone never make one person both,
// since only caseworkers propose and only approvers decide). Every page is checked with axe-core;
// every test leaves a screenshot in test-results/screenshots.
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { proposeEligibility } from '../../src/services/eligibility.ts';
import { makeEligibleStudent } from '../support/eligibility-fixtures.ts';
import { type TestUser, makeProgramme, makeUser } from '../support/fixtures.ts';
import { GRANT_YEAR, fundProgramme, makeProposedGrant } from '../support/grants.ts';
import { givePassword } from '../support/page-browser.ts';
import { expectAccessible, haveChromium, screenshot, useBrowserWorld, signIn } from './support/browser.ts';

describe.skipIf(!haveChromium)('the approver in Chromium', () => {
  const b = useBrowserWorld();

  /** A fresh browser profile signed in as the user, on its home page. */
  async function signedIn(user: TestUser): Promise<{ context: BrowserContext; page: Page }> {
    const username = await givePassword(b.db.prisma, user.actor.userId);
    const context = await b.browser.newContext({ bypassCSP: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    await signIn(page, b.served.url, username);
    return { context, page };
  }

  async function proposedEligibility(programmeId: string, caseworker: TestUser) {
    const made = await makeEligibleStudent(b.db.prisma, { departmentId: b.world.department.id, caseworkerId: caseworker.actor.userId });
    return proposeEligibility({ ctx: caseworker.ctx, input: { studentId: made.student.id, programmeId, academicYear: GRANT_YEAR } });
  }

  it('approves a selection of grants from the queue and sees what each came to', async () => {
    const programme = await makeProgramme(b.world);
    await fundProgramme(b.world, programme.id, '10000.00');
    const first = await makeProposedGrant(b.db.prisma, b.world, programme.id, '4000.00');
    const second = await makeProposedGrant(b.db.prisma, b.world, programme.id, '3500.00');
    const waiting = await makeProposedGrant(b.db.prisma, b.world, programme.id, '3000.00');
    await proposedEligibility(programme.id, b.world.users.caseworker);

    const { context, page } = await signedIn(b.world.users.approver);
    await page.getByRole('link', { name: '待审核的资格认定与资助' }).click();
    await page.waitForURL(/\/approvals$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('待审核');
    expect(await page.getByRole('table', { name: '待审核的资助' }).locator('tbody tr').count()).toBe(3);
    expect(await page.locator('main').textContent()).toContain('¥10,000.00');
    await expectAccessible(page);
    await screenshot(page, 'approvals-queue');

    await page.locator(`input[value="grant:${first.grant.id}"]`).check();
    await page.locator(`input[value="grant:${second.grant.id}"]`).check();
    await page.getByRole('button', { name: '批准所选' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('批量审批结果');
    expect(await page.getByRole('status').textContent()).toContain('已批准 2 项');
    expect(await page.locator('tbody tr.decided').count()).toBe(2);
    await expectAccessible(page);
    await screenshot(page, 'approvals-selection-result');

    const statuses = await b.db.prisma.grant.findMany({ where: { programmeId: programme.id }, select: { id: true, status: true } });
    expect(Object.fromEntries(statuses.map((g) => [g.id, g.status]))).toEqual({
      [first.grant.id]: 'approved',
      [second.grant.id]: 'approved',
      [waiting.grant.id]: 'proposed',
    });
    expect(await b.db.prisma.ledgerTransaction.count({ where: { programmeId: programme.id, kind: 'grant_approved' } })).toBe(2);
    await context.close();
  });

  it('a rejection without a reason is said at the reason field, and nothing is decided', async () => {
    const programme = await makeProgramme(b.world);
    await fundProgramme(b.world, programme.id, '5000.00');
    const { grant } = await makeProposedGrant(b.db.prisma, b.world, programme.id, '4000.00');
    const { context, page } = await signedIn(b.world.users.approver);
    await page.goto(`${b.served.url}/approvals/grants/${grant.id}`);
    await page.getByRole('button', { name: '驳回' }).click();
    await expect.poll(() => page.locator('#reason-error').textContent()).toBe('请说明理由（至少2个字符）');
    expect(await page.getByLabel(/^理由/).getAttribute('aria-describedby')).toBe('reason-error');
    await expectAccessible(page);
    await screenshot(page, 'approvals-reject-without-reason');
    expect((await b.db.prisma.grant.findUniqueOrThrow({ where: { id: grant.id } })).status).toBe('proposed');
    await context.close();
  });

  it('a person who proposed, later made approver, is refused their own proposal on the page', async () => {
    const programme = await makeProgramme(b.world);
    const maker = await makeUser(b.db.prisma, b.world.department, 'caseworker');
    const own = await proposedEligibility(programme.id, maker);
    await b.db.prisma.appUser.update({ where: { id: maker.actor.userId }, data: { role: 'approver' } });
    const { context, page } = await signedIn(maker);
    await page.goto(`${b.served.url}/approvals/eligibility/${own.id}`);
    await page.getByRole('button', { name: '批准', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('提出该资格认定的用户不能自行审批，须由另一名审核人决定');
    await expectAccessible(page);
    await screenshot(page, 'approvals-maker-checker-refused');
    expect((await b.db.prisma.eligibilityDetermination.findUniqueOrThrow({ where: { id: own.id } })).status).toBe('proposed');
    await context.close();
  });
});
