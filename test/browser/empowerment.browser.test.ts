// The empowerment track in a real browser (Chromium) under the service's own Content-Security-
// Policy: the foundation's coordinator creates a summer internship, registers a student the
// programme granted (masked in the list), is refused an attendance date outside the activity, then
// records the completion with its host and weeks; the activity then counts one person-time, and the
// foundation's dashboard shows 赋能人次 beside the grants' person-times. Every page is checked with
// axe-core; every test leaves a screenshot.
import { beforeAll, describe, expect, it } from 'vitest';
import { changeEnrolmentStatus } from '../../src/services/enrolments.ts';
import { makeCoordinator, makeGrantee } from '../support/empowerment.ts';
import { type TestUser, makeProgramme } from '../support/fixtures.ts';
import { expectAccessible, haveChromium, screenshot, signedInAs, useBrowserWorld } from './support/browser.ts';

describe.skipIf(!haveChromium)('the empowerment track in Chromium', () => {
  const b = useBrowserWorld();
  let coordinator: TestUser;
  let programme: { id: string; name: string };
  let student: { name: string; identityNumber: string };

  beforeAll(async () => {
    programme = await makeProgramme(b.world);
    coordinator = await makeCoordinator(b.world, b.db.prisma);
    const made = await makeGrantee(b.world, b.db.prisma, programme.id);
    student = { name: made.student.plain.name, identityNumber: made.student.plain.identityNumber };
  }, 120_000);

  const signedIn = (user: TestUser) => signedInAs(b, user);

  it('the coordinator creates an activity, registers a granted student and records the completion', async () => {
    const { context, page } = await signedIn(coordinator);
    await page.getByRole('link', { name: '赋能工程' }).first().click();
    await page.waitForURL(/\/empowerment$/);
    await expectAccessible(page);
    await page.getByRole('link', { name: '新建活动' }).click();
    await page.waitForURL(/\/empowerment\/new$/);
    await page.getByLabel(/^类别/).selectOption('summer_internship');
    await page.getByLabel(/^主办方/).selectOption('partner');
    await page.getByLabel(/^主办单位名称/).fill('青海省青少年发展基金会');
    await page.getByLabel(/^活动名称/).fill('2026 年暑期公益实习');
    await page.getByLabel(/^开始日期/).fill('2026-07-06');
    await page.getByLabel(/^结束日期/).fill('2026-08-14');
    // No place and not online: refused beside the field.
    await page.getByRole('button', { name: '创建活动' }).click();
    await expect.poll(() => page.locator('#place-error').textContent()).toContain('地点');
    await expectAccessible(page);
    await screenshot(page, 'empowerment-activity-refused');
    await page.getByLabel(/^地点/).fill('西宁市');
    await page.getByRole('button', { name: '创建活动' }).click();
    await page.waitForURL(/\/empowerment\/activities\/[0-9a-f-]+\?done=created$/);
    expect(await page.getByRole('status').first().textContent()).toContain('活动已创建');
    await expectAccessible(page);

    await page.getByRole('link', { name: '登记学生报名' }).click();
    await page.waitForURL(/\/register$/);
    const options = await page.getByLabel(/^学生/).locator('option').allTextContents();
    expect(options.some((o) => o.includes(student.name))).toBe(false);
    expect(options).toHaveLength(2);
    await page.getByLabel(/^学生/).selectOption({ index: 1 });
    await page.getByLabel(/^报名日期/).fill('2026-06-20');
    await expectAccessible(page);
    await page.getByRole('button', { name: '登记报名' }).click();
    await page.waitForURL(/\?done=registered$/);
    const table = await page.locator('table').textContent();
    expect(table).toContain('已报名');
    expect(await page.content()).not.toContain(student.name);
    expect(await page.content()).not.toContain(student.identityNumber);
    await screenshot(page, 'empowerment-registered');

    await page.getByRole('link', { name: /记录.*参加情况/ }).click();
    await page.waitForURL(/\/empowerment\/participations\/[0-9a-f-]+$/);
    await page.getByLabel(/^状态/).selectOption('completed');
    await page.getByLabel(/^日期/).fill('2026-08-20');
    await page.getByLabel(/^实习单位/).fill('青海省青少年发展基金会');
    await page.getByLabel(/^实习周数/).fill('6');
    // After the activity's last day: the rule is said above the form, nothing written.
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('不在活动期间内');
    await expectAccessible(page);
    await screenshot(page, 'empowerment-outside-activity');
    await page.getByLabel(/^日期/).fill('2026-08-14');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\?done=recorded$/);
    const facts = await page.locator('dl.facts').textContent();
    expect(facts).toContain('人次1');
    expect(await page.locator('table').textContent()).toContain('实习单位：青海省青少年发展基金会，6 周');
    await expectAccessible(page);
    await screenshot(page, 'empowerment-completed');
    await context.close();
  });

  it('the coordinator changes the activity and records a graduate’s destination with its source', async () => {
    const graduate = await makeGrantee(b.world, b.db.prisma, programme.id);
    await changeEnrolmentStatus({
      ctx: b.world.users.caseworker.ctx,
      input: { studentId: graduate.student.id, enrolmentId: graduate.enrolment.id, status: 'graduated', effectiveOn: '2026-07-01', reason: '毕业' },
    });
    const { context, page } = await signedIn(coordinator);
    await page.goto(`${b.served.url}/empowerment`);
    await page.getByRole('link', { name: '2026 年暑期公益实习' }).click();
    await page.getByRole('link', { name: '修改活动' }).click();
    await page.waitForURL(/\/edit$/);
    expect(await page.getByLabel(/^活动名称/).inputValue()).toBe('2026 年暑期公益实习');
    // Moving the first day past the recorded completion is refused: the rule said above the form.
    await page.getByLabel(/^开始日期/).fill('2026-08-15');
    await page.getByLabel(/^结束日期/).fill('2026-08-30');
    await page.getByRole('button', { name: '保存修改' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('不在活动期间内');
    await page.getByLabel(/^开始日期/).fill('2026-07-06');
    await page.getByLabel(/^结束日期/).fill('2026-08-14');
    await page.getByLabel(/^名额/).fill('12');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.waitForURL(/\?done=changed$/);
    expect(await page.locator('dl.facts').textContent()).toContain('名额12');
    await expectAccessible(page);

    await page.goto(`${b.served.url}/empowerment`);
    await page.getByRole('link', { name: /^记录毕业生去向/ }).click();
    await page.waitForURL(/\/destinations$/);
    await page.getByLabel(/^毕业生/).selectOption({ index: 1 });
    await page.getByLabel(/^去向/).selectOption('employed');
    await page.getByLabel(/^就业单位类别/).selectOption('state_enterprise');
    await page.getByLabel(/^开始日期/).fill('2026-09-01');
    await page.getByLabel(/^信息来源/).fill('用人单位录用通知');
    await expectAccessible(page);
    await page.getByRole('button', { name: '记录去向' }).click();
    await page.waitForURL(/\?done=destination$/);
    expect(await page.content()).toContain('本项目没有待记录去向的毕业生');
    expect(await page.content()).not.toContain(graduate.student.plain.name);
    await screenshot(page, 'empowerment-destination');
    await context.close();
    const destination = await b.db.prisma.graduateDestination.findFirstOrThrow({ where: { studentId: graduate.student.id } });
    expect(destination).toMatchObject({ destination: 'employed', sector: 'state_enterprise', source: '用人单位录用通知' });
  });

  it('the foundation’s dashboard shows 赋能人次 beside the grants’ person-times', async () => {
    const { context, page } = await signedIn(b.world.users.foundationViewer);
    await page.goto(`${b.served.url}/programmes/${programme.id}`);
    const section = page.locator('section[aria-labelledby="empowerment-figures"]');
    const rows = await section.locator('tbody tr').allTextContents();
    // 2025-2026: the internship (no grant that year); 2026-2027: the two grants; then the total.
    // Columns: year, grant person-times, 赋能人次, then marketing, course, internship, employment, other.
    const cells = await Promise.all(rows.map((_, i) => section.locator('tbody tr').nth(i).locator('th, td').allTextContents()));
    expect(cells).toEqual([
      ['2025-2026', '0', '1', '0', '0', '1', '0', '0'],
      ['2026-2027', '2', '0', '0', '0', '0', '0', '0'],
      ['累计', '2', '1', '0', '0', '1', '0', '0'],
    ]);
    await expectAccessible(page);
    await screenshot(page, 'empowerment-dashboard');
    await context.close();
  });
});
