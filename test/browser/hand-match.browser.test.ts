// Matching a bank line by hand in a real browser (Chromium), two people: a finance officer (the
// maker) chooses, on the import page, the payout a line without a reference pays, with a reason;
// a second finance officer (the checker) confirms it; the payout is then settled, the balances
// move from in transit to the bank, and the ledger shows the settlement. Every page is checked
// with axe-core; every test leaves a screenshot in test-results/screenshots.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatYuan, money } from '../../src/domain/money.ts';
import { importExceptions, makeSentPayouts, type HandMatchWorld } from '../support/bank-line-matches.ts';
import { makeUser } from '../support/fixtures.ts';
import { givePassword } from '../support/page-browser.ts';
import { expectAccessible, haveChromium, screenshot, signIn, useBrowserWorld } from './support/browser.ts';

describe.skipIf(!haveChromium)('a hand match in Chromium: the maker proposes, the checker confirms', () => {
  const w = useBrowserWorld();
  let hm: HandMatchWorld;
  let importUrl: string;
  const contexts: BrowserContext[] = [];
  let maker: Page;
  let checker: Page;

  async function pageAs(userId: string): Promise<Page> {
    const context = await w.browser.newContext({ bypassCSP: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, w.served.url, await givePassword(w.db.prisma, userId));
    return page;
  }

  beforeAll(async () => {
    hm = await makeSentPayouts(w.db.prisma, w.world);
    const imported = await importExceptions(w.world, hm);
    importUrl = `${w.served.url}/programmes/${hm.programme.id}/bank-results/${imported.id}`;
    maker = await pageAs(w.world.users.finance.actor.userId);
    const second = await makeUser(w.db.prisma, w.world.department, 'finance');
    checker = await pageAs(second.actor.userId);
  }, 300_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  const inTransit = (page: Page) => page.locator('[data-balance="inTransit"]').textContent();

  it('the maker chooses the payout of the line’s amount and states why', async () => {
    await maker.goto(importUrl);
    await expect.poll(() => maker.getByRole('heading', { name: /手工匹配/ }).count()).toBe(1);
    const heading = new RegExp(`第 \\d+ 行：扣款 ${hm.payouts[0]!.amount.replace('.', '\\.')} 元`);
    const form = maker.locator('form', { has: maker.getByRole('heading', { name: heading }) }).first();
    await form.getByLabel('对应的发放（参考号）').selectOption(hm.payouts[0]!.reference);
    await form.getByLabel(/匹配理由/).fill('银行流水未带参考号，经与开户行核对为该笔发放');
    await expectAccessible(maker);
    await form.getByRole('button', { name: '提出手工匹配' }).click();
    await maker.waitForURL(importUrl);
    await expect.poll(() => maker.getByText('由您提出，须由另一名财务人员或审核人确认').count()).toBe(1);
    expect(await maker.getByRole('button', { name: /确认匹配并入账/ }).count()).toBe(0);
    await expectAccessible(maker);
    await screenshot(maker, 'hand-match-proposed');
  });

  it('the checker confirms: the payout is settled, the balances and the ledger show it', async () => {
    await checker.goto(importUrl);
    expect(await inTransit(checker)).toBe('¥4,500.00');
    await expectAccessible(checker);
    await checker.getByRole('button', { name: `确认匹配并入账 ${hm.payouts[0]!.reference}` }).click();
    await checker.waitForURL(importUrl);
    expect(await inTransit(checker)).toBe(formatYuan(money('4500.00').minus(hm.payouts[0]!.amount)));
    await expect.poll(() => checker.getByText('已手工匹配并入账').count()).toBeGreaterThan(0);
    await screenshot(checker, 'hand-match-confirmed');

    await checker.goto(`${w.served.url}/programmes/${hm.programme.id}/ledger`);
    const settled = checker.locator('tr', { hasText: `Payout ${hm.payouts[0]!.reference} settled by the bank` });
    expect(await settled.count()).toBe(1);
    expect(await settled.textContent()).toContain('银行入账');
    await expectAccessible(checker);
    await screenshot(checker, 'hand-match-ledger');
  });
});
