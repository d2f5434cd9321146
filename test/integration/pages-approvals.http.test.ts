// The approver's pages through the app in-process: the queue shows what waits with its rules,
// evidence (masked), proposer and the programme's uncommitted fund; one proposal approved (a double
// post approves once and posts once to the ledger) or rejected (a reason required, said at the
// field in Chinese); a selection decided at once, each item through its own use case, reporting
// exactly which passed and which were refused and why; a caseworker and another department get the
// 404 page and write nothing.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { dateFromIso } from '../../src/domain/dates.ts';
import { proposeEligibility } from '../../src/services/eligibility.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { makeEligibleStudent } from '../support/eligibility-fixtures.ts';
import { type TestUser, makeOrganisation, makeProgramme, makeUser } from '../support/fixtures.ts';
import { GRANT_YEAR, fundProgramme, makeProposedGrant } from '../support/grants.ts';
import { type PageBrowser, signedInBrowser } from '../support/page-browser.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let approver: PageBrowser;
let caseworkerName: string;

const DOCUMENT_NUMBER = 'QH-SW-2019-000123';
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)![1]!;

beforeAll(async () => {
  approver = await signedInBrowser(t.app, t.db.prisma, t.world.users.approver.actor.userId);
  caseworkerName = (await t.db.prisma.appUser.findUniqueOrThrow({ where: { id: t.world.users.caseworker.actor.userId } })).displayName;
}, 60_000);

async function fundedProgramme(amount: string): Promise<ProgrammeView> {
  const programme = await makeProgramme(t.world);
  await fundProgramme(t.world, programme.id, amount);
  return programme;
}

/** An eligibility proposed (not decided) by `caseworker`, its recognition with one document. */
async function proposedEligibility(programmeId: string, caseworker: TestUser = t.world.users.caseworker) {
  const made = await makeEligibleStudent(t.db.prisma, { departmentId: t.world.department.id, caseworkerId: caseworker.actor.userId });
  await t.db.prisma.recognitionEvidence.create({
    data: {
      id: randomUUID(),
      recognitionId: made.recognition!.id,
      documentType: '死亡证明',
      documentNumber: DOCUMENT_NUMBER,
      issuer: '西宁市第一人民医院',
      issuedOn: dateFromIso('2017-03-02'),
    },
  });
  const eligibility = await proposeEligibility({ ctx: caseworker.ctx, input: { studentId: made.student.id, programmeId, academicYear: GRANT_YEAR } });
  return { ...made, eligibility };
}

const grantApprovals = (programmeId: string) => t.db.prisma.ledgerTransaction.count({ where: { programmeId, kind: 'grant_approved' } });
const grantStatus = async (id: string) => (await t.db.prisma.grant.findUniqueOrThrow({ where: { id } })).status;
const eligibilityStatus = async (id: string) => (await t.db.prisma.eligibilityDetermination.findUniqueOrThrow({ where: { id } })).status;

/** The decision form of one proposal's page, as the browser would send it. */
async function decisionForm(browser: PageBrowser, path: string, reason = '') {
  const page = await browser.request('GET', path);
  expect(page.status).toBe(200);
  return { csrf: hidden(page.html, 'csrf'), formKey: hidden(page.html, 'formKey'), reason };
}

/** The queue's selection form with the items checked (FormData: a field sent once per item). */
async function selectionForm(browser: PageBrowser, decision: 'approve' | 'reject', items: string[], reason = '') {
  const page = await browser.request('GET', '/approvals');
  expect(page.status).toBe(200);
  const form = new FormData();
  form.set('csrf', hidden(page.html, 'csrf'));
  form.set('formKey', hidden(page.html, 'formKey'));
  form.set('decision', decision);
  form.set('reason', reason);
  for (const item of items) form.append('selected', item);
  return form;
}

describe('the queue', () => {
  it('shows what waits: each proposal with its rule results, evidence masked, proposer and the uncommitted fund', async () => {
    const programme = await fundedProgramme('3500.00');
    const e = await proposedEligibility(programme.id);
    const g = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
    const res = await approver.request('GET', '/approvals');
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    expect(res.html).toContain(`value="eligibility:${e.eligibility.id}"`);
    expect(res.html).toContain(`value="grant:${g.grant.id}"`);
    expect(text).toContain('✓ 通过 学年开始时年满18周岁：学年开始日（2026-09-01）已满18周岁');
    expect(text).toContain('7项规则全部通过');
    expect(text).toContain('2018-03-01 西宁市城中区民政局认定 死亡证明 *************0123 （西宁市第一人民医院，2017-03-02）');
    expect(res.html).not.toContain(DOCUMENT_NUMBER);
    expect(text).toContain(caseworkerName);
    // The grant's programme holds ¥3,500.00 uncommitted: ¥500.00 short of the grant.
    expect(text).toContain('¥3,500.00 （不足，尚缺¥500.00）');
    expect(text).toContain('资助 ¥4,000.00（本科）');
    for (const value of [e.student.plain.name, e.student.plain.identityNumber, g.student.plain.name, g.student.plain.identityNumber]) {
      expect(res.html).not.toContain(value);
    }
  });

  it('a proposal that failed a rule says which, open beside it', async () => {
    const programme = await fundedProgramme('5000.00');
    // Verified in 2025-2026 only: the rules need a verification inside the year proposed.
    const made = await makeEligibleStudent(t.db.prisma, {
      departmentId: t.world.department.id,
      caseworkerId: t.world.users.caseworker.actor.userId,
      enrolment: { verifiedOn: ['2025-09-20'] },
    });
    const proposed = await proposeEligibility({
      ctx: t.world.users.caseworker.ctx,
      input: { studentId: made.student.id, programmeId: programme.id, academicYear: GRANT_YEAR },
    });
    const res = await approver.request('GET', `/approvals?kind=eligibility&programmeId=${programme.id}`);
    expect(res.html).toContain(`eligibility:${proposed.id}`);
    expect(res.html).toMatch(/<details open="">\s*<summary>1项规则未通过<\/summary>/);
    expect(textOf(res.html)).toContain('✗ 未通过 本学年已核实学籍：2026-2027学年内没有学籍核实记录');
  });

  it('narrows by kind, programme and year', async () => {
    const programme = await fundedProgramme('5000.00');
    const e = await proposedEligibility(programme.id);
    const g = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
    const grantsOnly = await approver.request('GET', `/approvals?kind=grant&programmeId=${programme.id}`);
    expect(grantsOnly.html).toContain(`grant:${g.grant.id}`);
    expect(grantsOnly.html).not.toContain(`eligibility:${e.eligibility.id}`);
    expect(grantsOnly.html).not.toContain('id="queue-eligibility"');
    const otherProgramme = await makeProgramme(t.world);
    const none = await approver.request('GET', `/approvals?programmeId=${otherProgramme.id}`);
    expect(none.html).not.toContain(`grant:${g.grant.id}`);
    expect(textOf(none.html)).toContain('没有待审核的资助');
    const otherYear = await approver.request('GET', `/approvals?programmeId=${programme.id}&year=2024-2025`);
    expect(otherYear.html).not.toContain(`eligibility:${e.eligibility.id}`);
    const thisYear = await approver.request('GET', `/approvals?programmeId=${programme.id}&year=${GRANT_YEAR}`);
    expect(thisYear.html).toContain(`eligibility:${e.eligibility.id}`);
  });
});

describe('one proposal', () => {
  it('approves a grant; the same form posted again approves once and posts once to the ledger', async () => {
    const programme = await fundedProgramme('5000.00');
    const g = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
    const path = `/approvals/grants/${g.grant.id}`;
    const form = await decisionForm(approver, path, '材料齐全');
    const res = await approver.request('POST', `${path}/approve`, form);
    expect(res).toMatchObject({ status: 303, location: `${path}?decided=approve` });
    const again = await approver.request('POST', `${path}/approve`, form);
    expect(again).toMatchObject({ status: 303, location: `${path}?decided=approve` });
    expect(await grantApprovals(programme.id)).toBe(1);
    expect(await t.db.prisma.grant.findUniqueOrThrow({ where: { id: g.grant.id } })).toMatchObject({ status: 'approved', decisionReason: '材料齐全' });
    const shown = await approver.request('GET', res.location!);
    expect(textOf(shown.html)).toContain('已批准。');
    expect(shown.html).not.toContain(`${path}/approve`);
  });

  it('approves an eligibility with its rules and evidence on the page', async () => {
    const programme = await fundedProgramme('5000.00');
    const e = await proposedEligibility(programme.id);
    const path = `/approvals/eligibility/${e.eligibility.id}`;
    const form = await decisionForm(approver, path);
    const page = await approver.request('GET', path);
    expect(textOf(page.html)).toContain('✓ 通过 未被收养：未被收养');
    expect(textOf(page.html)).toContain('*************0123');
    expect(await approver.request('POST', `${path}/approve`, form)).toMatchObject({ status: 303 });
    expect(await eligibilityStatus(e.eligibility.id)).toBe('approved');
  });

  it('rejecting without a reason is refused at the reason field in Chinese and writes nothing; with one it rejects', async () => {
    const programme = await fundedProgramme('5000.00');
    const g = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
    const path = `/approvals/grants/${g.grant.id}`;
    const audits = await t.db.prisma.auditEvent.count();
    const form = await decisionForm(approver, path);
    const res = await approver.request('POST', `${path}/reject`, form);
    expect(res.status).toBe(400);
    expect(res.html).toMatch(/<p class="field-error" id="reason-error">请说明理由（至少2个字符）<\/p>/);
    expect(res.html).toMatch(/id="reason"[^>]*aria-invalid="true"[^>]*aria-describedby="reason-error"/);
    expect(await grantStatus(g.grant.id)).toBe('proposed');
    expect(await t.db.prisma.auditEvent.count()).toBe(audits);
    // The same form, corrected, may be sent again.
    expect(await approver.request('POST', `${path}/reject`, { ...form, reason: '金额与学籍层次不符' })).toMatchObject({ status: 303 });
    expect(await t.db.prisma.grant.findUniqueOrThrow({ where: { id: g.grant.id } })).toMatchObject({
      status: 'rejected',
      decisionReason: '金额与学籍层次不符',
    });
  });

  it('an approval refused by a rule is said above the form, and nothing is written', async () => {
    const programme = await fundedProgramme('3000.00');
    const g = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
    const path = `/approvals/grants/${g.grant.id}`;
    const res = await approver.request('POST', `${path}/approve`, await decisionForm(approver, path));
    expect(res.status).toBe(422);
    expect(textOf(res.html)).toContain('项目未承诺资金余额为3000.00元，本资助需要4000.00元，尚缺1000.00元');
    expect(await grantStatus(g.grant.id)).toBe('proposed');
    expect(await grantApprovals(programme.id)).toBe(0);
  });
});

describe('a selection decided at once', () => {
  it('reports each item exactly: passed, refused for the fund with the amount missing, refused to its own proposer; the database agrees', async () => {
    const programme = await fundedProgramme('5000.00');
    // A caseworker proposes, then becomes an approver (a change of post): the only way one person is both maker and checker.
    const maker = await makeUser(t.db.prisma, t.world.department, 'caseworker');
    const own = await proposedEligibility(programme.id, maker);
    await t.db.prisma.appUser.update({ where: { id: maker.actor.userId }, data: { role: 'approver' } });
    const checker = await signedInBrowser(t.app, t.db.prisma, maker.actor.userId);
    const other = await proposedEligibility(programme.id);
    const first = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
    const second = await makeProposedGrant(t.db.prisma, t.world, programme.id, '3000.00');
    const items = [`grant:${first.grant.id}`, `grant:${second.grant.id}`, `eligibility:${own.eligibility.id}`, `eligibility:${other.eligibility.id}`];

    const form = await selectionForm(checker, 'approve', items);
    const res = await checker.request('POST', '/approvals/decide', form);
    expect(res.status).toBe(200);
    const rows = [...res.html.matchAll(/<tr class="(decided|refused)">(.*?)<\/tr>/g)].map((m) => [m[1], textOf(m[2]!).trim()]);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual(['decided', expect.stringMatching(/^资助 .* 资助 ¥4,000\.00（本科） 已批准$/)]);
    expect(rows[1]).toEqual(['refused', expect.stringContaining('未批准 项目未承诺资金余额为1000.00元，本资助需要3000.00元，尚缺2000.00元；请先登记到账')]);
    expect(rows[2]).toEqual(['refused', expect.stringContaining('未批准 提出该资格认定的用户不能自行审批，须由另一名审核人决定')]);
    expect(rows[3]).toEqual(['decided', expect.stringMatching(/已批准$/)]);
    expect(textOf(res.html)).toContain('已批准 2 项，2 项未能批准（原因见下表）');

    expect(await grantStatus(first.grant.id)).toBe('approved');
    expect(await grantStatus(second.grant.id)).toBe('proposed');
    expect(await eligibilityStatus(own.eligibility.id)).toBe('proposed');
    expect(await eligibilityStatus(other.eligibility.id)).toBe('approved');
    expect(await grantApprovals(programme.id)).toBe(1);

    // Posted again: nothing more is decided.
    const again = await checker.request('POST', '/approvals/decide', form);
    expect(again.status).toBe(409);
    expect(textOf(again.html)).toContain('这份表单已经提交过');
    expect(await grantApprovals(programme.id)).toBe(1);
  });

  it('rejecting a selection needs a reason, said at the field; nothing is written; with one each is rejected', async () => {
    const programme = await fundedProgramme('5000.00');
    const g = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
    const e = await proposedEligibility(programme.id);
    const audits = await t.db.prisma.auditEvent.count();
    const items = [`grant:${g.grant.id}`, `eligibility:${e.eligibility.id}`];
    const res = await approver.request('POST', '/approvals/decide', await selectionForm(approver, 'reject', items));
    expect(res.status).toBe(400);
    expect(res.html).toMatch(/<p class="field-error" id="reason-error">请说明理由<\/p>/);
    expect(await t.db.prisma.auditEvent.count()).toBe(audits);
    const none = await approver.request('POST', '/approvals/decide', await selectionForm(approver, 'approve', []));
    expect(none.status).toBe(400);
    expect(textOf(none.html)).toContain('请至少选择一项待审核事项');
    const done = await approver.request('POST', '/approvals/decide', await selectionForm(approver, 'reject', items, '学籍核验材料过期'));
    expect(done.status).toBe(200);
    expect(textOf(done.html)).toContain('已驳回 2 项');
    expect(await grantStatus(g.grant.id)).toBe('rejected');
    expect(await eligibilityStatus(e.eligibility.id)).toBe('rejected');
  });
});

describe('who may decide', () => {
  it('a caseworker has no link to the queue, sees no approve button, and gets the 404 page when posting directly; nothing is written', async () => {
    const programme = await fundedProgramme('5000.00');
    const g = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
    const caseworker = await signedInBrowser(t.app, t.db.prisma, t.world.users.caseworker.actor.userId);
    const home = await caseworker.request('GET', '/home');
    expect(home.html).not.toContain('href="/approvals"');
    const path = `/approvals/grants/${g.grant.id}`;
    for (const page of ['/approvals', path]) {
      const res = await caseworker.request('GET', page);
      expect(res.status).toBe(404);
      expect(res.html).toContain('页面不存在');
      expect(res.html).not.toContain('/approve');
    }
    const csrf = hidden(home.html, 'csrf');
    const claims = await t.db.prisma.idempotencyRecord.count();
    const direct = await caseworker.request('POST', `${path}/approve`, { csrf, formKey: 'k'.repeat(24), reason: '' });
    expect(direct.status).toBe(404);
    expect(direct.html).toContain('页面不存在');
    const form = new FormData();
    for (const [k, v] of Object.entries({ csrf, formKey: 'q'.repeat(24), decision: 'approve', selected: `grant:${g.grant.id}` })) form.set(k, v);
    expect((await caseworker.request('POST', '/approvals/decide', form)).status).toBe(404);
    expect(await grantStatus(g.grant.id)).toBe('proposed');
    expect(await grantApprovals(programme.id)).toBe(0);
    expect(await t.db.prisma.idempotencyRecord.count()).toBe(claims);
  });

  it('an approver of another department gets the 404 page for this department’s proposals, and cannot decide them', async () => {
    const programme = await fundedProgramme('5000.00');
    const g = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
    const e = await proposedEligibility(programme.id);
    const elsewhere = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs'), 'approver');
    const outsider = await signedInBrowser(t.app, t.db.prisma, elsewhere.actor.userId);
    const queue = await outsider.request('GET', '/approvals');
    expect(queue.status).toBe(200);
    expect(queue.html).not.toContain(g.grant.id);
    expect(queue.html).not.toContain(programme.name);
    for (const path of [`/approvals/grants/${g.grant.id}`, `/approvals/eligibility/${e.eligibility.id}`]) {
      expect((await outsider.request('GET', path)).status).toBe(404);
    }
    const csrf = hidden(queue.html, 'csrf');
    const direct = await outsider.request('POST', `/approvals/grants/${g.grant.id}/approve`, { csrf, formKey: hidden(queue.html, 'formKey') });
    expect(direct.status).toBe(404);
    // In a selection, another department's proposal is refused as not found, naming nothing of it.
    const res = await outsider.request('POST', '/approvals/decide', await selectionForm(outsider, 'approve', [`grant:${g.grant.id}`]));
    expect(res.status).toBe(200);
    expect(textOf(res.html)).toContain('已批准 0 项，1 项未能批准');
    expect(res.html).not.toContain(g.student.nameMasked);
    expect(await grantStatus(g.grant.id)).toBe('proposed');
    expect(await grantApprovals(programme.id)).toBe(0);
  });

  it('the funding foundation gets the 404 page for the proposals of its own programme, and cannot decide them', async () => {
    const programme = await fundedProgramme('5000.00');
    const g = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
    const foundation = await signedInBrowser(t.app, t.db.prisma, t.world.users.foundationViewer.actor.userId);
    const path = `/approvals/grants/${g.grant.id}`;
    expect((await foundation.request('GET', path)).status).toBe(404);
    const home = await foundation.request('GET', '/home');
    const res = await foundation.request('POST', `${path}/approve`, { csrf: hidden(home.html, 'csrf'), formKey: 'f'.repeat(24) });
    expect(res.status).toBe(404);
    expect(await grantStatus(g.grant.id)).toBe('proposed');
  });

  it('the approver’s home page links to the queue', async () => {
    const home = await approver.request('GET', '/home');
    expect(home.html).toContain('<a href="/approvals">待审核的资格认定与资助</a>');
  });
});
