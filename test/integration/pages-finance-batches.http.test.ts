// The finance officer's payout batch pages: a batch for a cut-off (the instalments held back listed
// with their reasons in Chinese), the totals by status, the bank files, marking it sent (the
// balances move from payable to in transit), cancelling it with a reason; each form once however
// often it is posted; bad input said beside its field with nothing written; other roles and other
// departments get the 404 page and write nothing.
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { balancesOf, financeBrowsers, csrfOf, formKeysOf, openForm, someFormKey, textOf } from '../support/finance-pages.ts';
import type { PageBrowser } from '../support/page-browser.ts';
import { TODAY, makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let finance: PageBrowser, caseworker: PageBrowser, foundation: PageBrowser, otherFinance: PageBrowser;

beforeAll(async () => {
  ({ finance, caseworker, foundation, otherFinance } = await financeBrowsers(t));
}, 120_000);

/** A programme with two approved grants (4,000 and 5,000: catch-ups of 2,000 and 2,500 due today). */
async function setUp() {
  const programme = await makePayoutProgramme(t.world, '20000.00');
  const grants = await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['4000.00', '5000.00']);
  return { programme, grants };
}

/** The caseworker suspends the student's enrolment (休学): their instalments are held. */
async function suspend(s: { student: { id: string }; enrolment: { id: string } }) {
  const suspended = await t.as.caseworker.post(`/api/v1/students/${s.student.id}/enrolments/${s.enrolment.id}/status`, {
    status: 'suspended',
    effectiveOn: TODAY(),
    reason: '因病休学',
  });
  expect(suspended.status, suspended.text).toBe(200);
}

const newPath = (p: ProgrammeView) => `/programmes/${p.id}/payout-batches/new`;

async function createBatch(p: ProgrammeView, fields: Record<string, string> = { cutoffOn: TODAY() }) {
  const form = await openForm(finance, newPath(p));
  const res = await finance.request('POST', newPath(p), { csrf: form.csrf, formKey: form.formKey, ...fields });
  return { res, form };
}

const batchCount = (programmeId: string) => t.db.prisma.payoutBatch.count({ where: { programmeId } });

describe('a new payout batch', () => {
  it('takes what is due and lists the instalment held back with its reason in Chinese', async () => {
    const { programme, grants } = await setUp();
    await suspend(grants[1]!);
    const { res } = await createBatch(programme);
    expect(res.status).toBe(303);
    const batch = await t.db.prisma.payoutBatch.findFirstOrThrow({ where: { programmeId: programme.id } });
    expect(res.location).toBe(`/programmes/${programme.id}/payout-batches/${batch.id}`);

    const page = await finance.request('GET', res.location!);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain(`发放批次 ${batch.code}`);
    expect(text).toMatch(/暂缓发放（未进入本批次）.*¥2,500\.00 学生休学，该期暂缓：因病休学/);
    expect(page.html).toMatch(/<td class="money" data-status="pending">1<\/td><td class="money">¥2,000\.00<\/td>/);
    expect(page.html).toContain(`${res.location}/bank-file?format=pain001`);
    // The foundation reads the batch with its held instalment, but gets no file and no button.
    const seen = await foundation.request('GET', res.location!);
    expect(seen.status).toBe(200);
    expect(textOf(seen.html)).toContain('学生休学，该期暂缓：因病休学');
    expect(seen.html).not.toContain('bank-file?format');
    expect(seen.html).not.toContain(`${res.location}/send`);
    const list = await finance.request('GET', `/programmes/${programme.id}/payout-batches`);
    expect(textOf(list.html)).toMatch(new RegExp(`${batch.code} ${TODAY()} 待提交银行 1 ¥2,000.00 1`));
  });

  it('says a missing or impossible cut-off beside its field in Chinese, and writes nothing', async () => {
    const { programme } = await setUp();
    const missing = await createBatch(programme, { cutoffOn: '' });
    expect(missing.res.status).toBe(400);
    expect(missing.res.html).toMatch(/id="cutoffOn"[^>]*aria-invalid="true"[^>]*aria-describedby="cutoffOn-error"/);
    expect(missing.res.html).toMatch(/<p class="field-error" id="cutoffOn-error">[^<]*日期[^<]*<\/p>/);
    const impossible = await createBatch(programme, { cutoffOn: '2026-02-30' });
    expect(impossible.res.status).toBe(400);
    expect(impossible.res.html).toContain('应为真实存在的日期');
    expect(await batchCount(programme.id)).toBe(0);
    // The corrected form goes through with the key it was refused with.
    const again = await finance.request('POST', newPath(programme), { csrf: impossible.form.csrf, formKey: impossible.form.formKey, cutoffOn: TODAY() });
    expect(again.status).toBe(303);
    expect(await batchCount(programme.id)).toBe(1);
  });

  it('says so in Chinese when nothing is due by the cut-off', async () => {
    const { programme } = await setUp();
    const { res } = await createBatch(programme, { cutoffOn: '2026-01-01' });
    expect(res.status).toBe(422);
    expect(textOf(res.html)).toContain('截至2026-01-01，该项目没有到期可发放的分期');
    expect(await batchCount(programme.id)).toBe(0);
  });

  it('says how many instalments due were held back when every one of them was', async () => {
    const { programme, grants } = await setUp();
    for (const s of grants) await suspend(s);
    const { res } = await createBatch(programme);
    expect(res.status).toBe(422);
    expect(textOf(res.html)).toContain(`截至${TODAY()}，该项目没有到期可发放的分期；另有 2 期已到期但暂缓发放`);
    expect(await batchCount(programme.id)).toBe(0);
  });

  it('makes one batch when the same form is posted twice; the second post goes to the same batch', async () => {
    const { programme } = await setUp();
    const { res, form } = await createBatch(programme);
    const again = await finance.request('POST', newPath(programme), { csrf: form.csrf, formKey: form.formKey, cutoffOn: TODAY() });
    expect(again).toMatchObject({ status: 303, location: res.location });
    expect(await batchCount(programme.id)).toBe(1);
  });

  it('is the 404 page for a role that may not make batches, and for another department; nothing is written', async () => {
    const { programme } = await setUp();
    expect((await caseworker.request('GET', newPath(programme))).status).toBe(404);
    const posted = await caseworker.request('POST', newPath(programme), { csrf: await csrfOf(caseworker), formKey: someFormKey(), cutoffOn: TODAY() });
    expect(posted.status).toBe(404);
    expect(posted.html).toContain('页面不存在');
    expect((await otherFinance.request('GET', newPath(programme))).status).toBe(404);
    const other = await otherFinance.request('POST', newPath(programme), { csrf: await csrfOf(otherFinance), formKey: someFormKey(), cutoffOn: TODAY() });
    expect(other.status).toBe(404);
    expect((await otherFinance.request('GET', `/programmes/${programme.id}/payout-batches`)).status).toBe(404);
    expect(await batchCount(programme.id)).toBe(0);
  });
});

describe('a batch to send', () => {
  /** A new batch; its pain.001 downloaded unless `downloaded` is false. */
  async function openBatch(downloaded = true) {
    const { programme, grants } = await setUp();
    const { res } = await createBatch(programme);
    const path = res.location!;
    if (downloaded) expect((await finance.request('GET', `${path}/bank-file?format=pain001`)).status).toBe(200);
    return { programme, grants, path };
  }
  const sentCount = (programmeId: string) => t.db.prisma.ledgerTransaction.count({ where: { programmeId, kind: 'payout_sent' } });

  it('offers "mark sent" only after a bank file was downloaded; a send before is refused in Chinese and writes nothing', async () => {
    const { programme, path } = await openBatch(false);
    const before = await openForm(finance, path, `${path}/send`);
    expect(before.html).not.toContain('标记为已提交银行');
    expect(textOf(before.html)).toContain('尚未下载银行文件');
    expect(before.html).toContain('name="overrideReason"');
    const audits = await t.db.prisma.auditEvent.count();
    const refused = await finance.request('POST', `${path}/send`, { csrf: before.csrf, formKey: before.formKey });
    expect(refused.status).toBe(422);
    expect(textOf(refused.html)).toContain('尚未导出银行文件，不能标记为已提交');
    expect(await sentCount(programme.id)).toBe(0);
    expect(await t.db.prisma.auditEvent.count()).toBe(audits);
    expect((await t.db.prisma.payoutBatch.findFirstOrThrow({ where: { programmeId: programme.id } })).status).toBe('open');

    expect((await finance.request('GET', `${path}/bank-file?format=daifa_csv_utf8`)).status).toBe(200);
    const after = await openForm(finance, path, `${path}/send`);
    expect(after.html).toContain('标记为已提交银行');
    expect(after.html).not.toContain('name="overrideReason"');
    const sent = await finance.request('POST', `${path}/send`, { csrf: after.csrf, formKey: after.formKey });
    expect(sent).toMatchObject({ status: 303, location: path });
    expect(await sentCount(programme.id)).toBe(2);
  });

  it('sends a batch without a downloaded file only with a reason, asked for beside its field and kept in the audit trail', async () => {
    const { programme, path } = await openBatch(false);
    const form = await openForm(finance, path, `${path}/send`);
    const short = await finance.request('POST', `${path}/send`, { csrf: form.csrf, formKey: form.formKey, overrideReason: '柜台办理' });
    expect(short.status).toBe(400);
    expect(short.html).toMatch(/<p class="field-error" id="overrideReason-error">请说明理由（至少5个字符）<\/p>/);
    expect(short.html).toContain('value="柜台办理"');
    expect(await sentCount(programme.id)).toBe(0);
    const reason = '银行柜台以纸质清单办理本批次';
    const again = formKeysOf(short.html, `${path}/send`);
    const sent = await finance.request('POST', `${path}/send`, { csrf: again.csrf, formKey: again.formKey, overrideReason: reason });
    expect(sent).toMatchObject({ status: 303, location: path });
    expect(await sentCount(programme.id)).toBe(2);
    const batchId = path.split('/').pop()!;
    const audit = await t.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'payout_batch.send', recordId: batchId } });
    expect(audit.after).toMatchObject({ status: 'sent', firstExportedAt: null, exportOverride: { reason } });
  });

  it('downloads pain.001 and the 代发 CSV in UTF-8 and GBK, each audited; another department gets the 404 page', async () => {
    const { path, grants } = await openBatch(false);
    const batchId = path.split('/').pop()!;
    const xml = await finance.request('GET', `${path}/bank-file?format=pain001`);
    expect(xml.status).toBe(200);
    expect(xml.headers.get('Content-Type')).toContain('application/xml');
    expect(xml.headers.get('Content-Disposition')).toMatch(/attachment; filename="PB\d+-\d+\.pain001\.xml"/);
    expect(xml.html).toContain('<CtrlSum>4500.00</CtrlSum>');
    expect(xml.html).toContain(grants[0]!.student.plain.account);
    const utf8 = await finance.request('GET', `${path}/bank-file?format=daifa_csv_utf8`);
    expect(utf8.html).toContain('2000.00');
    const gbk = await finance.request('GET', `${path}/bank-file?format=daifa_csv_gbk`);
    expect(gbk.headers.get('Content-Type')).toContain('gbk');
    expect(iconv.decode(Buffer.from(gbk.bytes), 'gbk')).toContain(grants[0]!.student.plain.name);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'payout_batch.export_file', recordId: batchId } })).toBe(3);
    expect((await caseworker.request('GET', `${path}/bank-file?format=pain001`)).status).toBe(404);
    expect((await otherFinance.request('GET', `${path}/bank-file?format=pain001`)).status).toBe(404);
    expect((await otherFinance.request('GET', path)).status).toBe(404);
  });

  it('is marked sent once however often the button is pressed; the balances move from payable to in transit', async () => {
    const { programme, path } = await openBatch();
    const before = await balancesOf(t.db.prisma, programme.id);
    const form = await openForm(finance, path, `${path}/send`);
    expect(textOf(form.html)).toContain('已承诺待发放 已批准、尚未发往银行 ¥9,000.00');
    const sent = await finance.request('POST', `${path}/send`, { csrf: form.csrf, formKey: form.formKey });
    expect(sent).toMatchObject({ status: 303, location: path });
    const again = await finance.request('POST', `${path}/send`, { csrf: form.csrf, formKey: form.formKey });
    expect(again).toMatchObject({ status: 303, location: path });
    expect(await t.db.prisma.ledgerTransaction.count({ where: { programmeId: programme.id, kind: 'payout_sent' } })).toBe(2);
    const after = await balancesOf(t.db.prisma, programme.id);
    expect(after).toEqual({ ...before, payable: '4500.00', inTransit: '4500.00' });
    const page = await finance.request('GET', path);
    const text = textOf(page.html);
    expect(text).toContain('状态 已提交银行');
    expect(text).toContain('在途 已发往银行、银行尚未确认 ¥4,500.00');
    expect(page.html).toMatch(/data-status="sent">2<\/td>/);
    expect(page.html).not.toContain(`action="${path}/send"`);
    expect(page.html).toContain(`/programmes/${programme.id}/bank-results/new`);
  });

  it('a second form to send a batch already sent says so in Chinese and changes nothing', async () => {
    const { programme, path } = await openBatch();
    const first = await openForm(finance, path, `${path}/send`);
    const second = await openForm(finance, path, `${path}/send`);
    await finance.request('POST', `${path}/send`, { csrf: first.csrf, formKey: first.formKey });
    const res = await finance.request('POST', `${path}/send`, { csrf: second.csrf, formKey: second.formKey });
    expect(res.status).toBe(409);
    expect(textOf(res.html)).toMatch(/已(提交|发送)/);
    expect(await t.db.prisma.ledgerTransaction.count({ where: { programmeId: programme.id, kind: 'payout_sent' } })).toBe(2);
  });

  it('is cancelled with a reason; without one the reason is asked for beside its field and nothing changes', async () => {
    const { programme, path } = await openBatch();
    const form = await openForm(finance, path, `${path}/cancel`);
    const bare = await finance.request('POST', `${path}/cancel`, { csrf: form.csrf, formKey: form.formKey, reason: '' });
    expect(bare.status).toBe(400);
    expect(bare.html).toMatch(/<p class="field-error" id="reason-error">请说明理由[^<]*<\/p>/);
    expect((await t.db.prisma.payoutBatch.findFirstOrThrow({ where: { programmeId: programme.id } })).status).toBe('open');
    const cancelled = await finance.request('POST', `${path}/cancel`, { csrf: form.csrf, formKey: form.formKey, reason: '截止日期选错，重新生成' });
    expect(cancelled).toMatchObject({ status: 303, location: path });
    const again = await finance.request('POST', `${path}/cancel`, { csrf: form.csrf, formKey: form.formKey, reason: '截止日期选错，重新生成' });
    expect(again.status).toBe(303);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'payout_batch.cancel', recordId: path.split('/').pop()! } })).toBe(1);
    const page = textOf((await finance.request('GET', path)).html);
    expect(page).toContain('状态 已取消');
    expect(page).toContain('取消原因 截止日期选错，重新生成');
    // A cancelled batch has no file to give.
    const file = await finance.request('GET', `${path}/bank-file?format=pain001`);
    expect(file.status).toBe(409);
  });

  it('is the 404 page for another role sending or cancelling, or another department; nothing changes', async () => {
    const { programme, path } = await openBatch();
    for (const [browser, action] of [
      [caseworker, 'send'],
      [caseworker, 'cancel'],
      [foundation, 'send'],
      [otherFinance, 'send'],
      [otherFinance, 'cancel'],
    ] as const) {
      const res = await browser.request('POST', `${path}/${action}`, { csrf: await csrfOf(browser), formKey: someFormKey(), reason: '不应生效的操作' });
      expect(res.status, `${action}`).toBe(404);
    }
    expect((await t.db.prisma.payoutBatch.findFirstOrThrow({ where: { programmeId: programme.id } })).status).toBe('open');
    expect(formKeysOf((await finance.request('GET', path)).html, `${path}/send`).formKey).toBeTruthy();
  });
});
