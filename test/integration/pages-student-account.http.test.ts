// The caseworker's forms that change a student's file: the bank account (with a reason; the holder
// must be the student) and the phone number. Each does its work once however often it is posted
// and leads back to the student's page with a notice; bad input is refused beside the field in
// Chinese with nothing written; a role that may only read, and the approver, get the 404 page and
// write nothing; another department's caseworker gets the 404 page. The account number typed is
// never in any answer of the pages, nor in any address they lead to.
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInBrowser, type PageBrowser } from '../support/page-browser.ts';
import { fieldError, foreignKeys, formKeys, type StudentPageBrowsers, studentPageBrowsers, textOf } from '../support/student-pages.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { importBankResults } from '../../src/services/payouts/bank-results.ts';
import { camt054 } from '../support/bank-answers.ts';
import { makeProgramme } from '../support/fixtures.ts';
import { PROGRAMME_ACCOUNT, TODAY, makeApprovedGrants, makePayoutProgramme, exportAndSendBatch } from '../support/payouts.ts';
import { fictionalAccountNumber, linkToProgramme, type MadeStudent, makeStudent } from '../support/students.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let b: StudentPageBrowsers;
let approver: PageBrowser;

beforeAll(async () => {
  b = await studentPageBrowsers(t);
  approver = await signedInBrowser(t.app, t.db.prisma, t.world.users.approver.actor.userId);
}, 60_000);

const accountPath = (id: string) => `/students/${id}/bank-account`;
const contactPath = (id: string) => `/students/${id}/contact`;
const stored = (id: string) => t.db.prisma.student.findUniqueOrThrow({ where: { id } });
const audits = (id: string, action: string) => t.db.prisma.auditEvent.count({ where: { recordId: id, action } });

function accountFields(made: MadeStudent, accountNumber = fictionalAccountNumber()) {
  return { bankName: '中国农业银行西宁城北支行', accountNumber, holderName: made.plain.name, reason: '原银行卡已注销，学生本人申请更换' };
}

/** No answer carries the whole number: not the page, not the address it leads to. */
function expectNoNumber(res: { html: string; location: string | null }, number: string) {
  expect(res.html).not.toContain(number);
  expect(res.location ?? '').not.toContain(number);
}

describe('the form to change a student’s bank account', () => {
  it('changes it once when posted twice, and the student’s page says so and shows the new account masked', async () => {
    const made = await makeStudent(t.world);
    const fields = { ...(await formKeys(b.caseworker, accountPath(made.student.id))), ...accountFields(made) };
    const res = await b.caseworker.request('POST', accountPath(made.student.id), fields);
    expect(res).toMatchObject({ status: 303, location: `/students/${made.student.id}?done=bank_account` });
    expectNoNumber(res, fields.accountNumber);
    const again = await b.caseworker.request('POST', accountPath(made.student.id), fields);
    expect(again).toMatchObject({ status: 303, location: res.location });
    expect(await audits(made.student.id, 'student.change_bank_account')).toBe(1);

    const row = await stored(made.student.id);
    expect(row.bankName).toBe('中国农业银行西宁城北支行');
    expect(row.bankAccountMasked).not.toBe(made.student.bankAccount.accountNumber);
    const page = await b.caseworker.request('GET', res.location!);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('收款账户已更换。');
    expect(page.html).toContain(row.bankAccountMasked);
    expectNoNumber(page, fields.accountNumber);
    // The form page, shown again, has the masked account on file only.
    expectNoNumber(await b.caseworker.request('GET', accountPath(made.student.id)), fields.accountNumber);
  });

  it('refuses a number that is not an account beside the field, in Chinese, without showing it back; nothing is written', async () => {
    const made = await makeStudent(t.world);
    const before = await stored(made.student.id);
    const bad = '62170000123';
    const res = await b.caseworker.request('POST', accountPath(made.student.id), {
      ...(await formKeys(b.caseworker, accountPath(made.student.id))),
      ...accountFields(made, bad),
    });
    expect(res.status).toBe(400);
    expect(fieldError(res.html, 'accountNumber')).toMatch(/[\u4e00-\u9fff]/);
    expect(textOf(res.html)).toContain('需要修改：银行账号');
    expect(res.html).toMatch(/id="accountNumber"[^>]*aria-invalid="true"[^>]*aria-describedby="accountNumber-error"/);
    expectNoNumber(res, bad);
    expect(textOf(res.html)).toContain('银行账号不会回显');
    expect((await stored(made.student.id)).bankAccountHash).toBe(before.bankAccountHash);
    expect(await audits(made.student.id, 'student.change_bank_account')).toBe(0);
  });

  it('needs a reason, and does not show back a good number typed with it', async () => {
    const made = await makeStudent(t.world);
    const before = await stored(made.student.id);
    const fields = { ...accountFields(made), reason: '' };
    const res = await b.caseworker.request('POST', accountPath(made.student.id), {
      ...(await formKeys(b.caseworker, accountPath(made.student.id))),
      ...fields,
    });
    expect(res.status).toBe(400);
    expect(fieldError(res.html, 'reason')).toMatch(/[\u4e00-\u9fff]/);
    expect(textOf(res.html)).toContain('需要修改：更换原因');
    expectNoNumber(res, fields.accountNumber);
    // What else was typed stays in the form, so only the number is typed again.
    expect(res.html).toContain('value="中国农业银行西宁城北支行"');
    expect((await stored(made.student.id)).bankAccountHash).toBe(before.bankAccountHash);
  });

  it('refuses an account in someone else’s name with the holder rule in Chinese (422); nothing is written', async () => {
    const made = await makeStudent(t.world);
    const before = await stored(made.student.id);
    const fields = { ...accountFields(made), holderName: '李雷' };
    const res = await b.caseworker.request('POST', accountPath(made.student.id), {
      ...(await formKeys(b.caseworker, accountPath(made.student.id))),
      ...fields,
    });
    expect(res.status).toBe(422);
    expect(textOf(res.html)).toContain('账户持有人必须是学生本人');
    expectNoNumber(res, fields.accountNumber);
    expect((await stored(made.student.id)).bankAccountHash).toBe(before.bankAccountHash);
  });

  it('refuses an account already on another student’s file (409), without naming it; nothing is written', async () => {
    const other = await makeStudent(t.world);
    const made = await makeStudent(t.world);
    const before = await stored(made.student.id);
    const fields = accountFields(made, other.plain.accountNumber);
    const res = await b.caseworker.request('POST', accountPath(made.student.id), {
      ...(await formKeys(b.caseworker, accountPath(made.student.id))),
      ...fields,
    });
    expect(res.status).toBe(409);
    expect(textOf(res.html)).toContain('该银行账户已登记在另一名学生名下');
    expectNoNumber(res, fields.accountNumber);
    expect((await stored(made.student.id)).bankAccountHash).toBe(before.bankAccountHash);
  });

  it('is the 404 page for the funder’s viewer and for the approver, who may read the student; nothing is written', async () => {
    const made = await makeStudent(t.world);
    // Others than caseworkers see the students of the programmes they have a part in.
    await linkToProgramme(t.world, made.student.id, (await makeProgramme(t.world)).id);
    const page = await b.caseworker.request('GET', `/students/${made.student.id}`);
    expect(page.html).toContain(`href="${accountPath(made.student.id)}"`);
    for (const browser of [b.viewer, approver]) {
      const record = await browser.request('GET', `/students/${made.student.id}`);
      expect(record.status).toBe(200);
      expect(record.html).not.toContain(accountPath(made.student.id));
      expect((await browser.request('GET', accountPath(made.student.id))).status).toBe(404);
      const fields = accountFields(made);
      const res = await browser.request('POST', accountPath(made.student.id), { ...(await foreignKeys(browser)), ...fields });
      expect(res.status).toBe(404);
      expect(textOf(res.html)).toContain('页面不存在');
      expectNoNumber(res, fields.accountNumber);
    }
    expect(await audits(made.student.id, 'student.change_bank_account')).toBe(0);
  });

  it('is the 404 page for another department’s caseworker; nothing is written', async () => {
    const made = await makeStudent(t.world);
    expect((await b.otherCaseworker.request('GET', accountPath(made.student.id))).status).toBe(404);
    const fields = accountFields(made);
    const res = await b.otherCaseworker.request('POST', accountPath(made.student.id), { ...(await foreignKeys(b.otherCaseworker)), ...fields });
    expect(res.status).toBe(404);
    expectNoNumber(res, fields.accountNumber);
    expect(await audits(made.student.id, 'student.change_bank_account')).toBe(0);
  });
});

describe('the form to change a student’s phone number', () => {
  it('changes it once when posted twice; the student’s page says so and shows it masked', async () => {
    const made = await makeStudent(t.world);
    const fields = { ...(await formKeys(b.caseworker, contactPath(made.student.id))), phone: '13900001234' };
    const res = await b.caseworker.request('POST', contactPath(made.student.id), fields);
    expect(res).toMatchObject({ status: 303, location: `/students/${made.student.id}?done=contact` });
    expect(await b.caseworker.request('POST', contactPath(made.student.id), fields)).toMatchObject({ status: 303, location: res.location });
    expect(await audits(made.student.id, 'student.update_contact')).toBe(1);
    const page = await b.caseworker.request('GET', res.location!);
    expect(textOf(page.html)).toContain('联系电话已更新。');
    expect(page.html).toContain((await stored(made.student.id)).phoneMasked!);
    expect(page.html).not.toContain('13900001234');
  });

  it('removes the number when sent empty', async () => {
    const made = await makeStudent(t.world);
    const res = await b.caseworker.request('POST', contactPath(made.student.id), {
      ...(await formKeys(b.caseworker, contactPath(made.student.id))),
      phone: '',
    });
    expect(res.status).toBe(303);
    expect((await stored(made.student.id)).phoneSealed).toBeNull();
  });

  it('refuses what is not a phone number beside the field, in Chinese; nothing is written', async () => {
    const made = await makeStudent(t.world);
    const res = await b.caseworker.request('POST', contactPath(made.student.id), {
      ...(await formKeys(b.caseworker, contactPath(made.student.id))),
      phone: '电话123',
    });
    expect(res.status).toBe(400);
    expect(fieldError(res.html, 'phone')).toMatch(/[\u4e00-\u9fff]/);
    expect(textOf(res.html)).toContain('需要修改：联系电话');
    expect(await audits(made.student.id, 'student.update_contact')).toBe(0);
  });

  it('is the 404 page for the funder’s viewer and another department’s caseworker; nothing is written', async () => {
    const made = await makeStudent(t.world);
    for (const browser of [b.viewer, b.otherCaseworker]) {
      expect((await browser.request('GET', contactPath(made.student.id))).status).toBe(404);
      const res = await browser.request('POST', contactPath(made.student.id), { ...(await foreignKeys(browser)), phone: '13900001234' });
      expect(res.status).toBe(404);
    }
    expect(await audits(made.student.id, 'student.update_contact')).toBe(0);
  });
});

describe('the form to correct a student’s name', () => {
  const namePath = (id: string) => `/students/${id}/name`;

  it('corrects it once when posted twice; the page says so and shows the name masked, never the name typed', async () => {
    const made = await makeStudent(t.world);
    const fields = { ...(await formKeys(b.caseworker, namePath(made.student.id))), name: '阿依古丽·买买提', reason: '按身份证更正' };
    const res = await b.caseworker.request('POST', namePath(made.student.id), fields);
    expect(res).toMatchObject({ status: 303, location: `/students/${made.student.id}?done=name` });
    expect(await b.caseworker.request('POST', namePath(made.student.id), fields)).toMatchObject({ status: 303, location: res.location });
    expect(await audits(made.student.id, 'student.correct_name')).toBe(1);
    const page = await b.caseworker.request('GET', res.location!);
    expect(textOf(page.html)).toContain('姓名已更正。');
    expect(page.html).toContain((await stored(made.student.id)).nameMasked);
    expect(page.html).not.toContain('阿依古丽·买买提');
  });

  it('refuses a name that starts like a formula beside the field, in Chinese, without showing it back; nothing is written', async () => {
    const made = await makeStudent(t.world);
    const before = await stored(made.student.id);
    const res = await b.caseworker.request('POST', namePath(made.student.id), {
      ...(await formKeys(b.caseworker, namePath(made.student.id))),
      name: '=张三',
      reason: '更正',
    });
    expect(res.status).toBe(400);
    expect(fieldError(res.html, 'name')).toMatch(/[\u4e00-\u9fff]/);
    expect(textOf(res.html)).toContain('需要修改：姓名');
    expect(res.html).not.toContain('=张三');
    expect((await stored(made.student.id)).nameHash).toBe(before.nameHash);
    expect(await audits(made.student.id, 'student.correct_name')).toBe(0);
  });

  it('is the 404 page for the funder’s viewer, the approver and another department’s caseworker; nothing is written', async () => {
    const made = await makeStudent(t.world);
    await linkToProgramme(t.world, made.student.id, (await makeProgramme(t.world)).id);
    for (const browser of [b.viewer, approver, b.otherCaseworker]) {
      expect((await browser.request('GET', namePath(made.student.id))).status).toBe(404);
      const res = await browser.request('POST', namePath(made.student.id), { ...(await foreignKeys(browser)), name: '李明', reason: '更正姓名' });
      expect(res.status).toBe(404);
    }
    expect(await audits(made.student.id, 'student.correct_name')).toBe(0);
  });
});

describe('a payout that came back, on the student’s page', () => {
  /** A student whose first payout was sent and came back from the bank unpaid (account closed). */
  async function returnedPayout() {
    const programme = await makePayoutProgramme(t.world);
    const [made] = await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['4000.00']);
    const finance = t.world.users.finance.ctx;
    const batch = await createPayoutBatch({ ctx: finance, input: { programmeId: programme.id, cutoffOn: TODAY() } });
    await exportAndSendBatch(finance, batch.id);
    const payout = await t.db.prisma.payout.findFirstOrThrow({ where: { batchId: batch.id } });
    const answer = { reference: payout.reference, amount: payout.amount.toFixed(2), kind: 'return' as const };
    await importBankResults({
      ctx: finance,
      input: { programmeId: programme.id, content: camt054({ messageId: `N-RET-${payout.id}`, account: PROGRAMME_ACCOUNT }, [answer]) },
    });
    // Came back before it settled: failed (Dr in_transit / Cr payable), the instalment payable again.
    expect((await t.db.prisma.payout.findUniqueOrThrow({ where: { id: payout.id } })).status).toBe('failed');
    return { programme, student: made!.student, payout };
  }

  it('is listed with the way to a corrected account, and the retry after the change pays the new account', async () => {
    const { programme, student, payout } = await returnedPayout();
    const page = await b.caseworker.request('GET', `/students/${student.id}`);
    const text = textOf(page.html);
    expect(text).toContain('待重新发放的款项');
    expect(text).toContain(payout.reference);
    expect(text).toContain('财务人员重新发放时将使用更换后的账户');
    expect(page.html).toContain(`href="${accountPath(student.id)}"`);

    const number = fictionalAccountNumber();
    const res = await b.caseworker.request('POST', accountPath(student.id), {
      ...(await formKeys(b.caseworker, accountPath(student.id))),
      bankName: '中国农业银行西宁城北支行',
      accountNumber: number,
      holderName: student.plain.name,
      reason: '原账户已销户，银行退回',
    });
    expect(res.status).toBe(303);
    const retry = await createPayoutBatch({ ctx: t.world.users.finance.ctx, input: { programmeId: programme.id, cutoffOn: TODAY() } });
    const again = await t.db.prisma.payout.findFirstOrThrow({ where: { batchId: retry.id, instalmentId: payout.instalmentId } });
    expect(again.retryOfId).toBe(payout.id);
    expect(again.payeeAccountMasked).toBe((await stored(student.id)).bankAccountMasked);
    expect(again.payeeAccountMasked).not.toBe(payout.payeeAccountMasked);
    // Once retried, the page no longer lists it as waiting.
    expect(textOf((await b.caseworker.request('GET', `/students/${student.id}`)).html)).not.toContain('待重新发放的款项');
  });
});
