// The bank-answer pages for what banks really send: an account-history CSV uploaded with its bank's
// layout and no account line (the programme's account assumed, and said so), a line matched without
// a reference reported with the payout it was matched to, a line several payouts fit listed with
// its candidates (masked) for finance to pick from, and a return's ISO reason named in Chinese and
// English. Wrong layout choice said beside the field; other roles get no form.
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { type StatementEntry, bankCsv } from '../support/bank-statements.ts';
import { financeBrowsers, csrfOf, openForm, someFormKey, textOf } from '../support/finance-pages.ts';
import type { PageBrowser } from '../support/page-browser.ts';
import { TODAY, exportAndSendBatch, makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let finance: PageBrowser, caseworker: PageBrowser;

beforeAll(async () => {
  ({ finance, caseworker } = await financeBrowsers(t));
}, 120_000);

async function sentBatch(amounts: string[]) {
  const programme = await makePayoutProgramme(t.world, '40000.00');
  await makeApprovedGrants(t.db.prisma, t.world, programme.id, amounts);
  const ctx = t.world.users.finance.ctx;
  const batch = await createPayoutBatch({ ctx, input: { programmeId: programme.id, cutoffOn: TODAY() } });
  await exportAndSendBatch(ctx, batch.id);
  const rows = await t.db.prisma.payout.findMany({ where: { batchId: batch.id }, orderBy: { sequence: 'asc' } });
  return {
    programme,
    payouts: await Promise.all(
      rows.map(async (p) => ({ ...p, account: await t.vault.open('bank_account', p.payeeAccountSealed), name: await t.vault.open('name', p.payeeNameSealed) })),
    ),
  };
}

const uploadPath = (p: ProgrammeView) => `/programmes/${p.id}/bank-results/new`;

async function upload(p: ProgrammeView, bytes: Uint8Array, name: string, fields: Record<string, string>, browser = finance) {
  const keys = browser === finance ? await openForm(finance, uploadPath(p)) : { csrf: await csrfOf(browser), formKey: someFormKey() };
  const form = new FormData();
  form.set('csrf', keys.csrf);
  form.set('formKey', keys.formKey);
  form.set('file', new File([bytes as Uint8Array<ArrayBuffer>], name));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return browser.request('POST', uploadPath(p), form);
}

async function gbkCsv(entries: StatementEntry[]): Promise<Uint8Array> {
  let text = '';
  for await (const c of bankCsv({}, entries)) text += c;
  return new Uint8Array(iconv.encode(text, 'gbk'));
}

describe('an account-history CSV as the bank’s answer, on the pages', () => {
  it('the form offers the layouts and the account; the import page says the account was assumed, reports the line matched without a reference and lists the candidates of an ambiguous one', async () => {
    const { programme, payouts } = await sentBatch(['3000.00', '3000.00', '5000.00']);
    const single = payouts.find((p) => payouts.filter((q) => q.amount.equals(p.amount)).length === 1)!;
    const [a, b] = payouts.filter((p) => p !== single);
    const form = await finance.request('GET', uploadPath(programme));
    expect(form.html).toContain('<option value="statement-csv"');
    expect(form.html).toMatch(/<select id="preset" name="preset">[\s\S]*<option value="icbc"/);
    expect(form.html).toContain('name="account"');

    const bytes = await gbkCsv([
      { kind: 'debit', amount: single.amount.toFixed(2), bookingDate: TODAY(), counterpartyAccount: single.account, counterpartyName: '某某' },
      // No account and a name both payouts of this amount share: several fit.
      { kind: 'debit', amount: a!.amount.toFixed(2), bookingDate: TODAY(), counterpartyName: a!.name },
    ]);
    expect(a!.name).toBe(b!.name);
    // Without the exceptions accepted: refused, the ambiguous line and its candidates listed.
    const refused = await upload(programme, bytes, 'ccb-2026-11.csv', { format: 'statement-csv', preset: 'generic-cn', encoding: 'gbk' });
    expect(refused.status).toBe(422);
    expect(refused.html).toMatch(/<table id="candidates-\d+" class="candidates">/);
    expect(refused.html).toContain(a!.reference);

    const res = await upload(programme, bytes, 'ccb-2026-11.csv', { format: 'statement-csv', preset: 'generic-cn', encoding: 'gbk', acceptExceptions: 'true' });
    expect(res.status, res.html).toBe(303);
    const page = await finance.request('GET', res.location!);
    const read = textOf(page.html);
    expect(read).toContain('账户明细 CSV（对账单）');
    expect(read).toContain('文件未载明账号，视为本项目发放账户');
    expect(read).toContain('已按金额、收款账号（或户名）和记账日期匹配到唯一的发放');
    expect(read).toContain('无参考号，有多笔发放可能相符，待人工匹配');
    expect(page.html).toMatch(new RegExp(`<tr id="candidate-2-${a!.id}" data-payout-id="${a!.id}">`));
    expect(page.html).toMatch(new RegExp(`<tr id="candidate-2-${b!.id}"`));
    expect(read).toContain(`***************${a!.account.slice(-4)}`);
    expect(page.html).not.toContain(a!.account);
    // The bank sends the matched payout back: its ISO reason code named on the import and payouts pages.
    const back = await gbkCsv([{ kind: 'return', amount: single.amount.toFixed(2), bookingDate: TODAY(), reference: `${single.reference} AC04 账户已销户` }]);
    const returned = await upload(programme, back, 'ccb-2026-11-b.csv', { format: 'statement-csv', preset: 'generic-cn' });
    expect(returned.status).toBe(303);
    expect(textOf((await finance.request('GET', returned.location!)).html)).toContain('AC04 账户已销户 (closed account number)');
    const payoutsPage = await finance.request('GET', `/programmes/${programme.id}/payouts`);
    expect(textOf(payoutsPage.html)).toContain('AC04 账户已销户 (closed account number)');
  });

  it('an account-history CSV without its layout is refused beside the layout field; a caseworker gets no form', async () => {
    const { programme, payouts } = await sentBatch(['3000.00']);
    const bytes = await gbkCsv([{ kind: 'debit', amount: payouts[0]!.amount.toFixed(2), bookingDate: TODAY(), reference: payouts[0]!.reference }]);
    const bad = await upload(programme, bytes, 'x.csv', { format: 'statement-csv', preset: 'no-such-bank' });
    expect(bad.status).toBe(400);
    expect(bad.html).toMatch(/<p class="field-error" id="preset-error">/);
    expect(await t.db.prisma.bankResultImport.count({ where: { programmeId: programme.id } })).toBe(0);
    expect((await caseworker.request('GET', uploadPath(programme))).status).toBe(404);
  });
});
