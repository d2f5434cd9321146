// The bank's answer on pages: uploading a camt.054 or the bank's 代发 result file settles the
// payouts it names (in transit → bank); a file with lines that match nothing is refused with them
// listed, or imported with them kept as exceptions; a payout the bank refused waits on the import
// page for a decision (the next batch retries it, or finance cancels the instalment here); the
// student's whole account for a query to the bank is shown once for a stated purpose. Each form
// once; bad input said beside its field; other roles and other departments get the 404 page.
import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatMoney, formatYuan, money } from '../../src/domain/money.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { camt054Text } from '../support/bank-answers.ts';
import { balancesOf, financeBrowsers, csrfOf, formKeysOf, openForm, someFormKey, textOf } from '../support/finance-pages.ts';
import type { PageBrowser } from '../support/page-browser.ts';
import { PROGRAMME_ACCOUNT, TODAY, makeApprovedGrants, makePayoutProgramme, exportAndSendBatch } from '../support/payouts.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let finance: PageBrowser, caseworker: PageBrowser, foundation: PageBrowser, admin: PageBrowser, otherFinance: PageBrowser;

beforeAll(async () => {
  ({ finance, caseworker, foundation, admin, otherFinance } = await financeBrowsers(t));
}, 120_000);

/** A programme whose batch of two payouts (2,000 and 2,500) was sent to the bank. */
async function sentBatch() {
  const programme = await makePayoutProgramme(t.world, '20000.00');
  const grants = await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['4000.00', '5000.00']);
  const ctx = t.world.users.finance.ctx;
  const batch = await createPayoutBatch({ ctx, input: { programmeId: programme.id, cutoffOn: TODAY() } });
  await exportAndSendBatch(ctx, batch.id);
  const payouts = await t.db.prisma.payout.findMany({ where: { batchId: batch.id }, orderBy: { sequence: 'asc' } });
  return { programme, grants, batch, payouts: payouts.map((p) => ({ ...p, amountText: p.amount.toFixed(2) })) };
}

/**
 * The bank's 代发 result file (test/fixtures/bank-results/daifa-result.utf8.csv) for our payouts:
 * its header lines as the bank writes them, its first row (成功) and second (失败，账户已销户)
 * given our references and amounts, and its 合计 line for them.
 */
function daifaAnswer(rows: { reference: string; amount: string }[]): string {
  const fixture = readFileSync(new URL('../fixtures/bank-results/daifa-result.utf8.csv', import.meta.url), 'utf8').replace(/^\uFEFF/, '');
  const lines = fixture.split(/\r?\n/);
  const header = lines.slice(0, 4).map((l) => l.replace('110060149018170012345', PROGRAMME_ACCOUNT));
  const templates = lines.slice(4, 6);
  const body = rows.map((r, i) =>
    templates[i]!.replace(/QS2026A-00000\d/, r.reference)
      .replace(/"4,000\.00"|3500\.00/, r.amount)
      .replace(/^\d+,/, `${i + 1},`),
  );
  const total = rows.reduce((sum, r) => sum.plus(r.amount), money('0'));
  return [...header, ...body, `合计,${rows.length},${formatMoney(total)}`, ''].join('\n');
}

const uploadPath = (p: ProgrammeView) => `/programmes/${p.id}/bank-results/new`;

async function upload(
  p: ProgrammeView,
  file: { text: string | Uint8Array<ArrayBuffer>; name: string },
  fields: Record<string, string> = {},
  browser = finance,
) {
  const keys = browser === finance ? await openForm(finance, uploadPath(p)) : { csrf: await csrfOf(browser), formKey: someFormKey() };
  const form = new FormData();
  form.set('csrf', keys.csrf);
  form.set('formKey', keys.formKey);
  form.set('file', new File([file.text], file.name));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return { res: await browser.request('POST', uploadPath(p), form), form };
}

const imports = (programmeId: string) => t.db.prisma.bankResultImport.count({ where: { programmeId } });

describe('uploading the bank answer', () => {
  it('a camt.054 settles the payouts it names, once however often the form is posted; the balances move to the bank', async () => {
    const { programme, payouts, batch } = await sentBatch();
    const before = await balancesOf(t.db.prisma, programme.id);
    const text = await camt054Text(
      { messageId: `CAMT-${batch.code}`, account: PROGRAMME_ACCOUNT },
      payouts.map((p) => ({ reference: p.reference, amount: p.amountText, kind: 'debit' as const })),
    );
    const { res, form } = await upload(programme, { text, name: 'camt054.xml' });
    expect(res.status).toBe(303);
    const imported = await t.db.prisma.bankResultImport.findFirstOrThrow({ where: { programmeId: programme.id } });
    expect(res.location).toBe(`/programmes/${programme.id}/bank-results/${imported.id}`);
    const again = await finance.request('POST', uploadPath(programme), form);
    expect(again).toMatchObject({ status: 303, location: res.location });
    expect(await imports(programme.id)).toBe(1);
    expect(await t.db.prisma.payout.count({ where: { batchId: batch.id, status: 'settled' } })).toBe(2);
    expect(await balancesOf(t.db.prisma, programme.id)).toEqual({
      ...before,
      inTransit: '0.00',
      bank: formatMoney(money(before.bank).minus('4500')),
    });

    const page = await finance.request('GET', res.location!);
    expect(page.status).toBe(200);
    const read = textOf(page.html);
    expect(read).toContain('行数 / 已处理 / 异常 2 / 2 / 0');
    expect(read).toContain('本文件各行均已处理，没有异常');
    expect(read).toContain(`${payouts[0]!.reference} ${formatYuan(payouts[0]!.amountText)}`);
    expect(read).toContain('在途 已发往银行、银行尚未确认 ¥0.00');
    // The batch page shows the payouts settled.
    const batchPage = await finance.request('GET', `/programmes/${programme.id}/payout-batches/${batch.id}`);
    expect(batchPage.html).toMatch(/data-status="settled">2<\/td>/);
    const list = await foundation.request('GET', `/programmes/${programme.id}/bank-results`);
    expect(textOf(list.html)).toContain('camt054.xml 2 2 0');
  });

  it('the bank’s 代发 result file settles one payout and leaves the refused one to act on; cancelling it returns its money to the fund, once', async () => {
    const { programme, payouts } = await sentBatch();
    const [ok, refused] = payouts as [(typeof payouts)[0], (typeof payouts)[0]];
    const text = daifaAnswer([
      { reference: ok.reference, amount: ok.amountText },
      { reference: refused.reference, amount: refused.amountText },
    ]);
    const { res } = await upload(programme, { text, name: '代发结果.csv' });
    expect(res.status).toBe(303);
    expect((await t.db.prisma.payout.findUniqueOrThrow({ where: { id: ok.id } })).status).toBe('settled');
    expect((await t.db.prisma.payout.findUniqueOrThrow({ where: { id: refused.id } })).status).toBe('failed');

    const page = await finance.request('GET', res.location!);
    const read = textOf(page.html);
    expect(read).toMatch(new RegExp(`待处理的退回款项.*${refused.reference}.*银行退回（未入账） 账户已销户`));
    expect(read).toContain('请经办人在学生档案中更正账户');
    expect(page.html).toContain(`/programmes/${programme.id}/grants/${refused.grantId}/unmask`);
    const action = `${res.location}/instalments/${refused.instalmentId}/cancel`;
    const keys = formKeysOf(page.html, action);

    const bare = await finance.request('POST', action, { ...keys, reason: '' });
    expect(bare.status).toBe(400);
    expect(bare.html).toMatch(new RegExp(`<p class="field-error" id="reason-${refused.instalmentId}-error">请说明理由[^<]*</p>`));
    expect((await t.db.prisma.instalment.findUniqueOrThrow({ where: { id: refused.instalmentId } })).status).toBe('scheduled');

    const before = await balancesOf(t.db.prisma, programme.id);
    const cancelled = await finance.request('POST', action, { ...keys, reason: '学生已放弃本期资助' });
    expect(cancelled).toMatchObject({ status: 303, location: res.location });
    expect((await finance.request('POST', action, { ...keys, reason: '学生已放弃本期资助' })).status).toBe(303);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'instalment.cancel', recordId: refused.instalmentId } })).toBe(1);
    expect((await t.db.prisma.instalment.findUniqueOrThrow({ where: { id: refused.instalmentId } })).status).toBe('cancelled');
    const after = await balancesOf(t.db.prisma, programme.id);
    expect(after.fund).toBe(formatMoney(money(before.fund).plus(refused.amountText)));
    expect(textOf((await finance.request('GET', res.location!)).html)).toContain('没有待处理的退回款项');
  });

  it('reads the bank’s result file in GBK when told so', async () => {
    const { programme, payouts, batch } = await sentBatch();
    const text = daifaAnswer(payouts.slice(0, 1).map((p) => ({ reference: p.reference, amount: p.amountText })));
    const gbk = new Uint8Array(iconv.encode(text, 'gbk'));
    const { res } = await upload(programme, { text: gbk, name: '代发结果-GBK.csv' }, { format: 'csv', encoding: 'gbk' });
    expect(res.status).toBe(303);
    expect(await t.db.prisma.payout.count({ where: { batchId: batch.id, status: 'settled' } })).toBe(1);
    expect(textOf((await finance.request('GET', res.location!)).html)).toContain('代发结果-GBK.csv');
  });

  it('a file with a line that matches no payout is refused with the line listed, nothing applied; with exceptions accepted the rest is applied', async () => {
    const { programme, payouts, batch } = await sentBatch();
    const text = await camt054Text({ messageId: `CAMT-X-${batch.code}`, account: PROGRAMME_ACCOUNT }, [
      { reference: payouts[0]!.reference, amount: payouts[0]!.amountText, kind: 'debit' },
      { reference: 'PB-NOT-OURS-000001', amount: '123.00', kind: 'debit' },
    ]);
    const refused = await upload(programme, { text, name: 'camt054.xml' });
    expect(refused.res.status).toBe(422);
    const read = textOf(refused.res.html);
    expect(read).toContain('文件中有1行与发放记录不完全相符，未作任何处理');
    expect(read).toContain('PB-NOT-OURS-000001 ¥123.00');
    expect(read).toContain('未匹配到发放记录');
    expect(await imports(programme.id)).toBe(0);
    expect(await t.db.prisma.payout.count({ where: { batchId: batch.id, status: 'settled' } })).toBe(0);

    const accepted = await upload(programme, { text, name: 'camt054.xml' }, { acceptExceptions: 'true' });
    expect(accepted.res.status).toBe(303);
    const page = textOf((await finance.request('GET', accepted.res.location!)).html);
    expect(page).toContain('行数 / 已处理 / 异常 2 / 1 / 1');
    expect(page).toContain('本文件有 1 行异常');
    expect(await t.db.prisma.payout.count({ where: { batchId: batch.id, status: 'settled' } })).toBe(1);
  });

  it('asks for the file beside its field, and says in Chinese why a file that is not a bank answer cannot be read', async () => {
    const { programme } = await sentBatch();
    const keys = await openForm(finance, uploadPath(programme));
    const form = new FormData();
    form.set('csrf', keys.csrf);
    form.set('formKey', keys.formKey);
    form.set('file', new File([], ''));
    const missing = await finance.request('POST', uploadPath(programme), form);
    expect(missing.status).toBe(400);
    expect(missing.html).toMatch(/<p class="field-error" id="file-error">请上传文件<\/p>/);
    const garbage = await upload(programme, { text: 'hello, this is not a bank file', name: 'x.txt' });
    expect(garbage.res.status).toBe(422);
    expect(textOf(garbage.res.html)).toContain('银行回单文件无法读取');
    expect(await imports(programme.id)).toBe(0);
  });

  it('takes a file over the pages’ 64 KiB form limit (the upload has a limit of its own)', async () => {
    const { programme, payouts, batch } = await sentBatch();
    const answer = await camt054Text(
      { messageId: `CAMT-BIG-${batch.code}`, account: PROGRAMME_ACCOUNT },
      payouts.map((p) => ({ reference: p.reference, amount: p.amountText, kind: 'debit' as const })),
    );
    // The same answer with a long comment, as some banks' files carry: well over 64 KiB.
    const big = answer.replace('?>', `?>\n<!-- ${'x'.repeat(100 * 1024)} -->`);
    const { res } = await upload(programme, { text: big, name: 'camt054-big.xml' });
    expect(res.status).toBe(303);
    expect(await t.db.prisma.payout.count({ where: { batchId: batch.id, status: 'settled' } })).toBe(2);
  });

  it('is the 404 page for another role and another department; nothing is imported', async () => {
    const { programme, payouts, batch } = await sentBatch();
    const text = await camt054Text({ messageId: `CAMT-R-${batch.code}`, account: PROGRAMME_ACCOUNT }, [
      { reference: payouts[0]!.reference, amount: payouts[0]!.amountText, kind: 'debit' },
    ]);
    expect((await caseworker.request('GET', uploadPath(programme))).status).toBe(404);
    expect((await upload(programme, { text, name: 'a.xml' }, {}, caseworker)).res.status).toBe(404);
    expect((await upload(programme, { text, name: 'a.xml' }, {}, foundation)).res.status).toBe(404);
    expect((await otherFinance.request('GET', uploadPath(programme))).status).toBe(404);
    expect((await upload(programme, { text, name: 'a.xml' }, {}, otherFinance)).res.status).toBe(404);
    expect(await imports(programme.id)).toBe(0);
  });
});

describe('a payout the bank refused, retried', () => {
  it('goes to the account a caseworker corrected, in the next batch made on the page', async () => {
    const { programme, payouts, grants } = await sentBatch();
    const [ok, refused] = payouts as [(typeof payouts)[0], (typeof payouts)[0]];
    const text = daifaAnswer([
      { reference: ok.reference, amount: ok.amountText },
      { reference: refused.reference, amount: refused.amountText },
    ]);
    expect((await upload(programme, { text, name: 'result.csv' })).res.status).toBe(303);
    // Correcting the account is the caseworker's (student.update), not finance's.
    const student = grants.find((g) => g.grant.id === refused.grantId)!;
    const corrected = '6217000011112222333';
    const changed = await t.as.caseworker.post(`/api/v1/students/${student.student.id}/bank-account`, {
      bankName: '中国农业银行西宁分行',
      accountNumber: corrected,
      holderName: student.student.plain.name,
      reason: '原账户已销户，学生本人申请更换',
    });
    expect(changed.status, changed.text).toBe(200);

    const newBatch = `/programmes/${programme.id}/payout-batches/new`;
    const form = await openForm(finance, newBatch);
    const res = await finance.request('POST', newBatch, { csrf: form.csrf, formKey: form.formKey, cutoffOn: TODAY() });
    expect(res.status).toBe(303);
    const retry = await t.db.prisma.payout.findFirstOrThrow({ where: { retryOfId: refused.id } });
    expect(retry.payeeAccountMasked).not.toBe(refused.payeeAccountMasked);
    const page = textOf((await finance.request('GET', res.location!)).html);
    expect(page).toContain(`${retry.reference}`);
    expect(page).toContain('重新发放的款项');
    expect(page).toContain(`中国农业银行西宁分行 ${retry.payeeAccountMasked}`);
  });
});

describe('the student’s whole account for a query to the bank', () => {
  it('is shown once for a stated purpose, audited without the values, never in an address', async () => {
    const { programme, grants } = await sentBatch();
    const g = grants[0]!;
    const path = `/programmes/${programme.id}/grants/${g.grant.id}/unmask`;
    const form = await openForm(finance, path);
    expect(form.html).not.toContain(g.student.plain.account);
    const short = await finance.request('POST', path, { csrf: form.csrf, formKey: form.formKey, purpose: '查询' });
    expect(short.status).toBe(400);
    expect(short.html).toMatch(/<p class="field-error" id="purpose-error">请说明用途（至少5个字符）<\/p>/);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'student.unmask', recordId: g.student.id } })).toBe(0);

    const res = await finance.request('POST', path, { csrf: form.csrf, formKey: form.formKey, purpose: '向银行查询退票原因' });
    expect(res.status).toBe(200);
    expect(res.location).toBeNull();
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.html).toContain(g.student.plain.account);
    expect(res.html).toContain(g.student.plain.identityNumber);
    const audit = await t.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'student.unmask', recordId: g.student.id } });
    expect(JSON.stringify([audit.before, audit.after])).not.toContain(g.student.plain.account);
    expect(JSON.stringify(audit.after)).toContain('向银行查询退票原因');
    // The same form again shows nothing and unmasks nothing.
    const again = await finance.request('POST', path, { csrf: form.csrf, formKey: form.formKey, purpose: '向银行查询退票原因' });
    expect(again.status).toBe(409);
    expect(again.html).not.toContain(g.student.plain.account);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'student.unmask', recordId: g.student.id } })).toBe(1);
  });

  it('is the 404 page for a role that may not unmask and for another department; nothing is shown or audited', async () => {
    const { programme, grants } = await sentBatch();
    const g = grants[0]!;
    const path = `/programmes/${programme.id}/grants/${g.grant.id}/unmask`;
    for (const browser of [foundation, admin, otherFinance]) {
      expect((await browser.request('GET', path)).status).toBe(404);
      const res = await browser.request('POST', path, { csrf: await csrfOf(browser), formKey: someFormKey(), purpose: '向银行查询退票原因' });
      expect(res.status).toBe(404);
      expect(res.html).not.toContain(g.student.plain.account);
    }
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'student.unmask', recordId: g.student.id } })).toBe(0);
  });
});
