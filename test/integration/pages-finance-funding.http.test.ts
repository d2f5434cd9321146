// The finance officer's funding receipts on pages: recording a transfer (the fund grows), reversing
// one with a reason (a linked mirror transaction), each once however often posted; bad input said
// beside its field with nothing written; other roles and other departments get the 404 page.
import { beforeAll, describe, expect, it } from 'vitest';
import { formatMoney, money } from '../../src/domain/money.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { balancesOf, financeBrowsers, csrfOf, openForm, someFormKey, textOf } from '../support/finance-pages.ts';
import type { PageBrowser } from '../support/page-browser.ts';
import { makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let finance: PageBrowser, approver: PageBrowser, otherFinance: PageBrowser;
let programme: ProgrammeView;

beforeAll(async () => {
  ({ finance, approver, otherFinance } = await financeBrowsers(t));
  programme = await makePayoutProgramme(t.world, '10000.00');
}, 120_000);

const newPath = () => `/programmes/${programme.id}/funding/new`;
const receipts = () => t.db.prisma.fundingReceipt.count({ where: { programmeId: programme.id } });

async function record(fields: Record<string, string>) {
  const form = await openForm(finance, newPath());
  const res = await finance.request('POST', newPath(), { csrf: form.csrf, formKey: form.formKey, ...fields });
  return { res, form };
}

describe('recording a funding receipt', () => {
  it('records the transfer once however often the form is posted; the fund grows', async () => {
    const before = await balancesOf(t.db.prisma, programme.id);
    const fields = { amount: '50000.00', receivedOn: '2026-10-08', bankReference: 'QH-20261008-001', note: '2026 年秋季拨款' };
    const { res, form } = await record(fields);
    expect(res).toMatchObject({ status: 303, location: `/programmes/${programme.id}/funding` });
    const again = await finance.request('POST', newPath(), { csrf: form.csrf, formKey: form.formKey, ...fields });
    expect(again).toMatchObject({ status: 303, location: `/programmes/${programme.id}/funding` });
    expect(await t.db.prisma.fundingReceipt.count({ where: { programmeId: programme.id, bankReference: 'QH-20261008-001' } })).toBe(1);
    expect((await balancesOf(t.db.prisma, programme.id)).fund).toBe(formatMoney(money(before.fund).plus('50000')));
    const page = await finance.request('GET', res.location!);
    expect(textOf(page.html)).toContain('QH-20261008-001 ¥50,000.00');
    expect(page.html).toContain(`href="${newPath()}"`);
  });

  it('says a bad amount and a missing reference beside their fields in Chinese, and writes nothing', async () => {
    const count = await receipts();
    const { res } = await record({ amount: '五万', receivedOn: '2026-10-08', bankReference: '' });
    expect(res.status).toBe(400);
    expect(res.html).toMatch(/id="amount"[^>]*aria-invalid="true"[^>]*aria-describedby="amount-error"/);
    expect(res.html).toMatch(/<p class="field-error" id="amount-error">[^<]*金额[^<]*<\/p>/);
    expect(res.html).toMatch(/<p class="field-error" id="bankReference-error">不能为空<\/p>/);
    // What was typed stays in the form.
    expect(res.html).toMatch(/id="amount"[^>]*value="五万"/);
    expect(await receipts()).toBe(count);
  });

  it('refuses a date in the future and a bank reference used before, in Chinese, writing nothing', async () => {
    const count = await receipts();
    const future = await record({ amount: '100.00', receivedOn: '2099-01-01', bankReference: 'QH-FUTURE' });
    expect(future.res.status).toBe(422);
    const again = await record({ amount: '100.00', receivedOn: '2026-10-08', bankReference: 'QH-20261008-001' });
    expect(again.res.status).toBe(409);
    expect(textOf(again.res.html)).toContain('流水号');
    expect(await receipts()).toBe(count);
  });

  it('refuses a form that did not come from the page (no CSRF token, or no form key), writing nothing', async () => {
    const count = await receipts();
    const fields = { amount: '100.00', receivedOn: '2026-10-08', bankReference: 'QH-FORGED' };
    const forged = await finance.request('POST', newPath(), { csrf: 'not-the-token', formKey: someFormKey(), ...fields });
    expect(forged.status).toBe(403);
    expect(textOf(forged.html)).toContain('表单已过期或不是从本系统提交的');
    const form = await openForm(finance, newPath());
    const keyless = await finance.request('POST', newPath(), { csrf: form.csrf, ...fields });
    expect(keyless.status).toBe(400);
    expect(await receipts()).toBe(count);
  });

  it('is the 404 page for a role that may not record receipts, and for another department; nothing is written', async () => {
    const count = await receipts();
    expect((await approver.request('GET', newPath())).status).toBe(404);
    const fields = { amount: '100.00', receivedOn: '2026-10-08', bankReference: 'QH-NOT-MINE' };
    const posted = await approver.request('POST', newPath(), { csrf: await csrfOf(approver), formKey: someFormKey(), ...fields });
    expect(posted.status).toBe(404);
    expect((await otherFinance.request('GET', newPath())).status).toBe(404);
    const other = await otherFinance.request('POST', newPath(), { csrf: await csrfOf(otherFinance), formKey: someFormKey(), ...fields });
    expect(other.status).toBe(404);
    expect(other.html).toContain('页面不存在');
    expect(await receipts()).toBe(count);
  });
});

describe('reversing a funding receipt', () => {
  async function aReceipt(reference: string) {
    await record({ amount: '1000.00', receivedOn: '2026-10-09', bankReference: reference });
    const receipt = await t.db.prisma.fundingReceipt.findFirstOrThrow({ where: { programmeId: programme.id, bankReference: reference } });
    return `/programmes/${programme.id}/funding/${receipt.id}/reverse`;
  }
  const reversals = () => t.db.prisma.ledgerTransaction.count({ where: { programmeId: programme.id, reversesId: { not: null } } });

  it('reverses once with its reason; the fund shrinks and the funding page says why', async () => {
    const path = await aReceipt('QH-REVERSE-1');
    const before = await balancesOf(t.db.prisma, programme.id);
    const funding = await finance.request('GET', `/programmes/${programme.id}/funding`);
    expect(funding.html).toContain(`href="${path}"`);
    const form = await openForm(finance, path);
    const fields = { csrf: form.csrf, formKey: form.formKey, reason: '重复登记，银行只到账一次' };
    const res = await finance.request('POST', path, fields);
    expect(res).toMatchObject({ status: 303, location: `/programmes/${programme.id}/funding` });
    const count = await reversals();
    expect((await finance.request('POST', path, fields)).status).toBe(303);
    expect(await reversals()).toBe(count);
    expect((await balancesOf(t.db.prisma, programme.id)).fund).toBe(formatMoney(money(before.fund).minus('1000')));
    expect(textOf((await finance.request('GET', res.location!)).html)).toContain('已冲正（');
    expect(textOf((await finance.request('GET', path)).html)).toContain('这笔到账已于');
  });

  it('asks for a reason of five characters beside its field, and reverses nothing', async () => {
    const path = await aReceipt('QH-REVERSE-2');
    const count = await reversals();
    const form = await openForm(finance, path);
    const res = await finance.request('POST', path, { csrf: form.csrf, formKey: form.formKey, reason: '错' });
    expect(res.status).toBe(400);
    expect(res.html).toMatch(/<p class="field-error" id="reason-error">请说明理由（至少5个字符）<\/p>/);
    expect(await reversals()).toBe(count);
  });

  it('refuses in Chinese to reverse money already committed to grants, reversing nothing', async () => {
    const committed = await makePayoutProgramme(t.world, '5000.00');
    await makeApprovedGrants(t.db.prisma, t.world, committed.id, ['4000.00']);
    const receipt = await t.db.prisma.fundingReceipt.findFirstOrThrow({ where: { programmeId: committed.id } });
    const path = `/programmes/${committed.id}/funding/${receipt.id}/reverse`;
    const form = await openForm(finance, path);
    const res = await finance.request('POST', path, { csrf: form.csrf, formKey: form.formKey, reason: '银行退回了这笔拨款' });
    expect(res.status).toBe(422);
    expect(res.html).toMatch(/<div class="notice error" role="alert">[^<]*[\u4e00-\u9fff]/);
    expect(await t.db.prisma.ledgerTransaction.count({ where: { programmeId: committed.id, reversesId: { not: null } } })).toBe(0);
  });

  it('is the 404 page for another role and another department; nothing is reversed', async () => {
    const path = await aReceipt('QH-REVERSE-3');
    const count = await reversals();
    expect((await approver.request('GET', path)).status).toBe(404);
    for (const browser of [approver, otherFinance]) {
      const res = await browser.request('POST', path, { csrf: await csrfOf(browser), formKey: someFormKey(), reason: '不应生效的冲正' });
      expect(res.status).toBe(404);
    }
    expect(await reversals()).toBe(count);
  });
});

describe('the finance home page', () => {
  it('links to each programme’s batches, bank answers and a new receipt; other roles have no such block', async () => {
    const home = await finance.request('GET', '/home');
    expect(home.status).toBe(200);
    expect(textOf(home.html)).toContain('资金与发放');
    for (const path of ['payout-batches', 'bank-results', 'funding/new']) expect(home.html).toContain(`href="/programmes/${programme.id}/${path}"`);
    const other = await approver.request('GET', '/home');
    expect(other.html).not.toContain('资金与发放');
    expect(other.html).not.toContain(`/programmes/${programme.id}/payout-batches`);
  });
});
