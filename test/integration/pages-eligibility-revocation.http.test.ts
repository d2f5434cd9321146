// The approver's revocation of an approved eligibility from the student's page, and the caseworker's
// ending of an enrolment: before the button each page says which grants end and what goes back to
// the fund; after it the student's page says what ended, and the ledger agrees (the grant's unsent
// instalments cancelled, their sum back in the fund). Revoking does its work once however often it
// is posted, refuses bad input in Chinese with nothing written, and is the 404 page for the
// caseworker (who sees no button) and for another department's approver.
import { beforeAll, describe, expect, it } from 'vitest';
import { ZERO, formatMoney, formatYuan, money } from '../../src/domain/money.ts';
import { programmeMoney } from '../../src/services/programme-money.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { makeOrganisation, makeUser } from '../support/fixtures.ts';
import { type PageBrowser, signedInBrowser } from '../support/page-browser.ts';
import { makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { fieldError, foreignKeys, formKeys, type StudentPageBrowsers, studentPageBrowsers, textOf } from '../support/student-pages.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let b: StudentPageBrowsers;
let approver: PageBrowser;
let otherApprover: PageBrowser;
let programme: ProgrammeView;

beforeAll(async () => {
  b = await studentPageBrowsers(t);
  approver = await signedInBrowser(t.app, t.db.prisma, t.world.users.approver.actor.userId);
  const otherDepartment = await makeOrganisation(t.db.prisma, 'civil_affairs');
  otherApprover = await signedInBrowser(t.app, t.db.prisma, (await makeUser(t.db.prisma, otherDepartment, 'approver')).actor.userId);
  programme = await makePayoutProgramme(t.world, '50000.00');
}, 60_000);

/** A fresh student with approved eligibility and an approved grant of 4000 (nothing sent yet). */
async function subject() {
  const [made] = await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['4000.00']);
  const studentId = made!.student.id;
  const eligibilityId = made!.grant.eligibilityId;
  return {
    studentId,
    eligibilityId,
    grantId: made!.grant.id,
    enrolmentId: made!.enrolment.id,
    path: `/students/${studentId}/eligibility/${eligibilityId}/revoke`,
  };
}

const balances = async () => (await programmeMoney({ ctx: t.world.users.finance.ctx, input: { programmeId: programme.id } })).balances;
const statusOf = async (id: string) => (await t.db.prisma.eligibilityDetermination.findUniqueOrThrow({ where: { id } })).status;
const GOOD = { effectiveOn: '2026-11-20', reason: '学生已被其他家庭收养，不再符合认定条件' };

describe('revoking an approved eligibility from the student’s page', () => {
  it('offers the approver the form, says what revoking does, and does it once when posted twice', async () => {
    const s = await subject();
    const record = await approver.request('GET', `/students/${s.studentId}`);
    expect(record.html).toContain(`href="${s.path}"`);

    const form = await approver.request('GET', s.path);
    expect(form.status).toBe(200);
    const preview = textOf(form.html);
    expect(preview).toContain('尚未发放的分期（待发放、暂缓）全部取消，取消的金额退回项目资金池');
    const unsent = await t.db.prisma.instalment.findMany({ where: { grantId: s.grantId, status: { in: ['scheduled', 'held'] } } });
    expect(unsent.length).toBeGreaterThan(0);
    const unsentSum = unsent.reduce((sum, i) => sum.plus(i.amount.toString()), ZERO);
    expect(preview).toContain(`将取消 ${unsent.length} 期未发放分期，${formatYuan(unsentSum)} 退回资金池`);

    const beforeMoney = await balances();
    const fields = { ...(await formKeys(approver, s.path)), ...GOOD };
    const res = await approver.request('POST', s.path, fields);
    expect(res).toMatchObject({ status: 303, location: `/students/${s.studentId}?done=revoked&eligibility=${s.eligibilityId}` });
    expect(await approver.request('POST', s.path, fields)).toMatchObject({ status: 303, location: res.location });

    expect(await statusOf(s.eligibilityId)).toBe('revoked');
    const grant = await t.db.prisma.grant.findUniqueOrThrow({ where: { id: s.grantId }, include: { instalments: true } });
    expect(grant.status).toBe('ended');
    expect(grant.instalments.filter((i) => unsent.some((u) => u.id === i.id)).every((i) => i.status === 'cancelled')).toBe(true);
    // One ending, one return to the fund: the second post did nothing.
    expect(await t.db.prisma.ledgerTransaction.count({ where: { sourceId: s.grantId, kind: 'remainder_cancelled' } })).toBe(1);
    const after = await balances();
    expect(after.fund).toBe(formatMoney(money(beforeMoney.fund).plus(unsentSum)));
    expect(after.payable).toBe(formatMoney(money(beforeMoney.payable).minus(unsentSum)));
    expect(after.bank).toBe(beforeMoney.bank);

    const page = textOf((await approver.request('GET', res.location!)).html);
    expect(page).toContain('资格已撤销。');
    expect(page).toContain(`已取消 ${unsent.length} 期未发放分期`);
    expect(page).toContain('已退回资金池');
    expect(page).toContain(GOOD.reason);
    // Revoked now: its page says so and offers no form.
    const revoked = await approver.request('GET', s.path);
    expect(textOf(revoked.html)).toContain('只能撤销已批准的资格');
    expect(revoked.html).not.toContain('name="formKey"');
  });

  it('refuses a missing reason beside the field in Chinese; nothing is written', async () => {
    const s = await subject();
    const unchanged = await balances();
    const res = await approver.request('POST', s.path, { ...(await formKeys(approver, s.path)), ...GOOD, reason: '' });
    expect(res.status).toBe(400);
    expect(fieldError(res.html, 'reason')).toMatch(/[\u4e00-\u9fff]/);
    expect(textOf(res.html)).toContain('需要修改：撤销原因');
    expect(await statusOf(s.eligibilityId)).toBe('approved');
    expect(await balances()).toEqual(unchanged);
  });

  it('refuses a date outside the academic year in the catalogue’s words (422); nothing is written', async () => {
    const s = await subject();
    const res = await approver.request('POST', s.path, { ...(await formKeys(approver, s.path)), ...GOOD, effectiveOn: '2027-09-01' });
    expect(res.status).toBe(422);
    expect(textOf(res.html)).toContain('撤销须在该学年内生效');
    expect(await statusOf(s.eligibilityId)).toBe('approved');
  });

  it('shows the caseworker no button and is the 404 page for them; nothing is written', async () => {
    const s = await subject();
    expect((await b.caseworker.request('GET', `/students/${s.studentId}`)).html).not.toContain(s.path);
    expect((await b.caseworker.request('GET', s.path)).status).toBe(404);
    const res = await b.caseworker.request('POST', s.path, { ...(await foreignKeys(b.caseworker)), ...GOOD });
    expect(res.status).toBe(404);
    expect(textOf(res.html)).toContain('页面不存在');
    expect(await statusOf(s.eligibilityId)).toBe('approved');
  });

  it('is the 404 page for another department’s approver; nothing is written', async () => {
    const s = await subject();
    expect((await otherApprover.request('GET', s.path)).status).toBe(404);
    const res = await otherApprover.request('POST', s.path, { ...(await foreignKeys(otherApprover)), ...GOOD });
    expect(res.status).toBe(404);
    expect(await statusOf(s.eligibilityId)).toBe('approved');
  });

  it('is the 404 page for an eligibility of another student', async () => {
    const s = await subject();
    const other = await subject();
    expect((await approver.request('GET', `/students/${other.studentId}/eligibility/${s.eligibilityId}/revoke`)).status).toBe(404);
  });
});

describe('ending an enrolment from its status form', () => {
  it('says beforehand which grants end, and afterwards what was cancelled and returned to the fund', async () => {
    const s = await subject();
    const path = `/students/${s.studentId}/enrolments/${s.enrolmentId}/status`;
    const form = textOf((await b.caseworker.request('GET', path)).html);
    expect(form).toContain('毕业或退学即结束学籍，并终止依据本学籍的在期资助');
    expect(form).toContain('将取消');
    const fundBefore = await balances();
    const res = await b.caseworker.request('POST', path, {
      ...(await formKeys(b.caseworker, path)),
      status: 'withdrawn',
      effectiveOn: '2026-11-20',
      reason: '本人申请退学',
    });
    expect(res).toMatchObject({ status: 303, location: `/students/${s.studentId}?done=status&enrolment=${s.enrolmentId}` });
    const page = textOf((await b.caseworker.request('GET', res.location!)).html);
    expect(page).toContain('以下资助已终止');
    expect(page).toContain('已退回资金池');
    expect((await t.db.prisma.grant.findUniqueOrThrow({ where: { id: s.grantId } })).status).toBe('ended');
    expect(money((await balances()).fund).greaterThan(money(fundBefore.fund))).toBe(true);
  });

  it('does not count a grant ended earlier (its eligibility revoked) among what the withdrawal ended', async () => {
    const s = await subject();
    await approver.request('POST', s.path, { ...(await formKeys(approver, s.path)), ...GOOD });
    const path = `/students/${s.studentId}/enrolments/${s.enrolmentId}/status`;
    const res = await b.caseworker.request('POST', path, {
      ...(await formKeys(b.caseworker, path)),
      status: 'withdrawn',
      effectiveOn: '2026-11-25',
      reason: '本人申请退学',
    });
    expect(res.status).toBe(303);
    const page = textOf((await b.caseworker.request('GET', res.location!)).html);
    expect(page).toContain('没有资助因此终止');
    expect(page).not.toContain('以下资助已终止');
  });

  it('says nothing of ended grants after a suspension', async () => {
    const s = await subject();
    const path = `/students/${s.studentId}/enrolments/${s.enrolmentId}/status`;
    const res = await b.caseworker.request('POST', path, {
      ...(await formKeys(b.caseworker, path)),
      status: 'suspended',
      effectiveOn: '2026-11-20',
      reason: '因病休学',
    });
    expect(res.status).toBe(303);
    expect(textOf((await b.caseworker.request('GET', res.location!)).html)).not.toContain('资助已终止');
  });
});
