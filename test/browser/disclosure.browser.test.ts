// The quarterly disclosure report (慈善项目实施情况公开) in a real browser (Chromium): the foundation
// viewer opens it from the programme's page, sees the last quarter that is over with its period,
// content hash and the small-cell rule, and no student's name; asks for a quarter not over and is told
// why, with nothing written; downloads the CSV. Every page is checked with axe-core; every test leaves a screenshot.
import { beforeAll, describe, expect, it } from 'vitest';
import { setBusinessClock } from '../../src/domain/dates.ts';
import { approveGrant } from '../../src/services/grants.ts';
import { TEST_TODAY } from '../support/business-clock.ts';
import { makeProgramme } from '../support/fixtures.ts';
import { fundProgramme, makeProposedGrant } from '../support/grants.ts';
import { expectAccessible, haveChromium, screenshot, signedInAs, useBrowserWorld } from './support/browser.ts';

describe.skipIf(!haveChromium)('the quarterly disclosure report in Chromium', () => {
  const b = useBrowserWorld();
  let programme: { id: string; name: string };
  const names: string[] = [];

  beforeAll(async () => {
    programme = await makeProgramme(b.world);
    // Approved on 15 September 2026: in the third quarter, over on the suite's today (26 November).
    setBusinessClock(() => new Date('2026-09-15T04:00:00.000Z'));
    try {
      await fundProgramme(b.world, programme.id, '20000.00');
      for (const amount of ['4000.00', '4000.00', '4000.00']) {
        const made = await makeProposedGrant(b.db.prisma, b.world, programme.id, amount);
        await approveGrant({ ctx: b.world.users.approver.ctx, input: { id: made.grant.id } });
        names.push(made.student.plain.name);
      }
    } finally {
      setBusinessClock(() => new Date(`${TEST_TODAY}T04:00:00.000Z`));
    }
  }, 120_000);

  it('the foundation viewer reads the last quarter’s report, is refused a quarter not over, and downloads the CSV', async () => {
    const { page } = await signedInAs(b, b.world.users.foundationViewer);
    await page.goto(`${b.served.url}/programmes/${programme.id}`);
    await page.getByRole('link', { name: /季度公开报告/ }).click();
    await page.waitForURL(/\/disclosure$/);
    expect(await page.getByTestId('period').textContent()).toContain('2026Q3');
    expect(await page.getByTestId('content-hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('少于 3 人');
    expect(text).toContain('12000.00');
    for (const name of names) expect(text).not.toContain(name);
    await expectAccessible(page);
    await screenshot(page, 'disclosure-report');

    const audits = await b.db.prisma.auditEvent.count({ where: { action: 'disclosure.produce' } });
    await page.getByLabel(/^季度/).fill('2026Q4');
    await page.getByRole('button', { name: /生成/ }).click();
    await page.waitForURL(/quarter=2026Q4$/);
    expect(await page.getByRole('alert').textContent()).toContain('尚未结束');
    expect(await b.db.prisma.auditEvent.count({ where: { action: 'disclosure.produce' } })).toBe(audits);
    await expectAccessible(page);
    await screenshot(page, 'disclosure-quarter-not-over');

    await page.goto(`${b.served.url}/programmes/${programme.id}/disclosure?quarter=2026Q3`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^disclosure-.+-2026Q3\.csv$/);
  });
});
