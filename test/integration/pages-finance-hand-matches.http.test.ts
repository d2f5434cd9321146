// Matching a bank line by hand on the import page: a finance officer chooses the payout (from the
// payouts of exactly the line's amount, or by typing its reference) with a reason; another finance
// officer or an approver confirms it below the lines, and the payout is settled. Each form once;
// bad input said beside its field; the proposer cannot confirm; other roles and other departments
// get the 404 page.
import { beforeAll, describe, expect, it } from 'vitest';
import { formatMoney, money } from '../../src/domain/money.ts';
import { signedInBrowser, type PageBrowser } from '../support/page-browser.ts';
import { importExceptions, makeSentPayouts } from '../support/bank-line-matches.ts';
import { balancesOf, csrfOf, financeBrowsers, formKeysOf, someFormKey, textOf } from '../support/finance-pages.ts';
import { makeUser } from '../support/fixtures.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let finance: PageBrowser, approver: PageBrowser, caseworker: PageBrowser, otherFinance: PageBrowser, checker: PageBrowser;

beforeAll(async () => {
  ({ finance, approver, caseworker, otherFinance } = await financeBrowsers(t));
  const second = await makeUser(t.db.prisma, t.world.department, 'finance');
  checker = await signedInBrowser(t.app, t.db.prisma, second.actor.userId);
}, 120_000);

const reason = '银行流水未带参考号，经与开户行核对为该笔发放';

async function scene() {
  const hm = await makeSentPayouts(t.db.prisma, t.world);
  const imported = await importExceptions(t.world, hm);
  return { ...hm, imported, page: `/programmes/${hm.programme.id}/bank-results/${imported.id}` };
}

describe('the hand match on the import page', () => {
  it('finance proposes from the payouts of the line’s amount; another finance officer confirms; the payout settles, once', async () => {
    const s = await scene();
    const page = await finance.request('GET', s.page);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('手工匹配 Match by hand');
    // Line 1 offers the one payout of its amount; line 3 too (its reference names no payout).
    expect(page.html).toContain(`<option value="${s.payouts[0]!.reference}"`);
    const action = `${s.page}/lines/1/match`;
    const keys = formKeysOf(page.html, action);
    const proposed = await finance.request('POST', action, { ...keys, payoutReference: s.payouts[0]!.reference, reason });
    expect(proposed).toMatchObject({ status: 303, location: s.page });
    const repeated = await finance.request('POST', action, { ...keys, payoutReference: s.payouts[0]!.reference, reason });
    expect(repeated.status).not.toBe(500);
    expect(await t.db.prisma.bankLineMatch.count({ where: { importId: s.imported.id } })).toBe(1);
    const match = await t.db.prisma.bankLineMatch.findFirstOrThrow({ where: { importId: s.imported.id } });

    // The proposer sees it waiting, without a confirm button.
    const own = await finance.request('GET', s.page);
    expect(textOf(own.html)).toContain('由您提出，须由另一名财务人员或审核人确认');
    expect(own.html).not.toContain(`action="${s.page}/matches/${match.id}/confirm"`);
    const selfConfirm = await finance.request('POST', `${s.page}/matches/${match.id}/confirm`, { csrf: await csrfOf(finance), formKey: someFormKey() });
    expect(selfConfirm.status).toBe(422);
    expect(textOf(selfConfirm.html)).toContain('不能自行审批');

    const before = await balancesOf(t.db.prisma, s.programme.id);
    const view = await checker.request('GET', s.page);
    const confirm = `${s.page}/matches/${match.id}/confirm`;
    const confirmKeys = formKeysOf(view.html, confirm);
    expect(await checker.request('POST', confirm, confirmKeys)).toMatchObject({ status: 303, location: s.page });
    expect((await checker.request('POST', confirm, confirmKeys)).status).not.toBe(500);
    expect((await t.db.prisma.payout.findUniqueOrThrow({ where: { id: s.payouts[0]!.id } })).status).toBe('settled');
    const after = await balancesOf(t.db.prisma, s.programme.id);
    expect(before.inTransit).toBe('4500.00');
    expect(after.inTransit).toBe(formatMoney(money('4500.00').minus(s.payouts[0]!.amount)));
    expect(await t.db.prisma.ledgerTransaction.count({ where: { kind: 'payout_settled', sourceId: s.payouts[0]!.id } })).toBe(1);
    const done = await checker.request('GET', s.page);
    expect(textOf(done.html)).toContain('已手工匹配并入账');
  });

  it('an approver rejects with a reason; the line can be matched again; a reference typed for a line without candidates', async () => {
    const s = await scene();
    const page = await finance.request('GET', s.page);
    await finance.request('POST', `${s.page}/lines/3/match`, {
      ...formKeysOf(page.html, `${s.page}/lines/3/match`),
      payoutReference: s.payouts[0]!.reference,
      reason,
    });
    const match = await t.db.prisma.bankLineMatch.findFirstOrThrow({ where: { importId: s.imported.id } });
    const view = await approver.request('GET', s.page);
    const reject = `${s.page}/matches/${match.id}/reject`;
    expect(await approver.request('POST', reject, { ...formKeysOf(view.html, reject), reason: '参考号属于其他项目的款项' })).toMatchObject({ status: 303 });
    expect((await t.db.prisma.bankLineMatch.findUniqueOrThrow({ where: { id: match.id } })).status).toBe('rejected');
    expect((await finance.request('GET', s.page)).html).toContain(`action="${s.page}/lines/3/match"`);
  });

  it('bad input is said beside its field, nothing written', async () => {
    const s = await scene();
    const page = await finance.request('GET', s.page);
    const action = `${s.page}/lines/1/match`;
    const short = await finance.request('POST', action, { ...formKeysOf(page.html, action), payoutReference: s.payouts[0]!.reference, reason: '核对' });
    expect(short.status).toBe(400);
    expect(short.html).toContain('请说明理由（至少5个字符）');
    const other = await finance.request('GET', s.page);
    const wrong = await finance.request('POST', action, { ...formKeysOf(other.html, action), payoutReference: s.payouts[1]!.reference, reason });
    expect(wrong.status).toBe(422);
    expect(textOf(wrong.html)).toContain('手工匹配须金额完全一致');
    expect(await t.db.prisma.bankLineMatch.count({ where: { importId: s.imported.id } })).toBe(0);
  });

  it('other roles see no form and are refused with the 404 page; another department finds nothing', async () => {
    const s = await scene();
    const seen = await caseworker.request('GET', s.page);
    expect(seen.status).toBe(200);
    expect(seen.html).not.toContain('/lines/1/match');
    const form = { csrf: await csrfOf(caseworker), formKey: someFormKey(), payoutReference: s.payouts[0]!.reference, reason };
    expect((await caseworker.request('POST', `${s.page}/lines/1/match`, form)).status).toBe(404);
    expect((await approver.request('POST', `${s.page}/lines/1/match`, { ...form, csrf: await csrfOf(approver) })).status).toBe(404);
    expect((await otherFinance.request('POST', `${s.page}/lines/1/match`, { ...form, csrf: await csrfOf(otherFinance) })).status).toBe(404);
    expect((await otherFinance.request('GET', s.page)).status).toBe(404);
    expect(await t.db.prisma.bankLineMatch.count({ where: { importId: s.imported.id } })).toBe(0);
  });
});
