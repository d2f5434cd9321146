// The pages' permission matrix: every page of the web routes has its row in src/web/page-actions.ts,
// and every GET page is walked signed in as each role of the world's organisations, as a foundation
// and a department that have nothing to do with the programme, and signed out.
//
// For each answer: never a 5xx; a role the page's action does not permit gets the 404 page (as for
// what does not exist); another organisation gets the 404 page for every page of the programme
// and never sees its name or ids; a permitted, in-scope person gets 200 (the sign-in page: 303 to
// the home page); signed out, the sign-in
// page (303 to /). No page ever shows the student's name, identity number or account in clear.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Role, may } from '../../src/domain/roles.ts';
import { webRoutes } from '../../src/web/routes.tsx';
import { PAGE_ACTIONS } from '../../src/web/page-actions.ts';
import { FailureLimiter } from '../../src/http/failure-limiter.ts';
import { makeOrganisation, makeUser } from '../support/fixtures.ts';
import { PageBrowser, signedInBrowser } from '../support/page-browser.ts';
import { TODAY, makeApprovedGrants, makePayoutProgramme, exportAndSendBatch } from '../support/payouts.ts';
import { makeReconciliationRun } from '../support/reconciliation.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { importBankResults } from '../../src/services/payouts/bank-results.ts';
import { camt054Text, chunksOf } from '../support/bank-answers.ts';
import { PROGRAMME_ACCOUNT } from '../support/payouts.ts';
import { useTestApp } from '../support/test-app.ts';
import { makeActivity, makeCoordinator } from '../support/empowerment.ts';
import { registerParticipation } from '../../src/services/participations.ts';

const t = useTestApp();

interface Caller {
  label: string;
  role: Role;
  browser: PageBrowser;
  inScope: boolean;
  /** An admin of a department or foundation: its own organisation's business only, never the platform's. */
  organisationAdmin?: boolean;
}

/** Pages about every programme or every organisation: the platform operator's admins (and auditors engaged on all) only. */
const PLATFORM_WIDE = new Set(['GET /verification', 'GET /admin/engagements']);

let callers: Caller[];
let params: Record<string, string>;
let personal: string[];
let programmeName: string;

/** Every route the web routes serve, as `METHOD /path` (Hono lists middleware as ALL: left out). */
function servedPages(): string[] {
  const web = webRoutes({ failures: new FailureLimiter({ maxFailures: 1, windowMs: 1, maxKeys: 1 }), address: { trustProxy: false } });
  return [...new Set(web.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
}

beforeAll(async () => {
  const programme = await makePayoutProgramme(t.world, '20000.00');
  programmeName = programme.name;
  const [made] = await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['4000.00']);
  const transaction = await t.db.prisma.ledgerTransaction.findFirstOrThrow({ where: { programmeId: programme.id, kind: 'grant_approved' } });
  const run = await makeReconciliationRun(t.db.prisma, { programmeId: programme.id });
  // A job that failed (one still running would be followed to its run, one finished sent there).
  const job = await t.db.prisma.reconciliationJob.create({
    data: {
      id: crypto.randomUUID(),
      programmeId: programme.id,
      programmeIds: [programme.id],
      checks: ['ledger'],
      inputs: [],
      status: 'failed',
      requestedById: t.world.users.auditor.actor.userId,
      operator: 'matrix',
      runnerId: crypto.randomUUID(),
      finishedAt: new Date(),
      error: { code: 'reconciliation_could_not_run', message: 'could not run', messageZh: '无法运行', where: null },
    },
  });
  // A caseworker's bulk step that finished over the programme's student.
  const bulkJob = await t.db.prisma.bulkStepJob.create({
    data: {
      id: crypto.randomUUID(),
      requestedById: t.world.users.caseworker.actor.userId,
      organisationId: t.world.users.caseworker.actor.organisationId,
      programmeId: programme.id,
      academicYear: 2026,
      input: { studentIds: [made!.student.id] },
      status: 'finished',
      runnerId: crypto.randomUUID(),
      total: 1,
      done: 1,
      unchanged: 1,
      startedAt: new Date(),
      finishedAt: new Date(),
    },
  });
  // A batch sent and answered by the bank, for the finance pages.
  const finance = t.world.users.finance.ctx;
  const batch = await createPayoutBatch({ ctx: finance, input: { programmeId: programme.id, cutoffOn: TODAY() } });
  await exportAndSendBatch(finance, batch.id);
  const payout = await t.db.prisma.payout.findFirstOrThrow({ where: { batchId: batch.id } });
  const answer = await camt054Text({ messageId: 'MATRIX-1', account: PROGRAMME_ACCOUNT }, [
    { reference: payout.reference, amount: payout.amount.toFixed(2), kind: 'debit' },
  ]);
  const imported = await importBankResults({ ctx: finance, input: { programmeId: programme.id, content: chunksOf(answer) } });
  const receipt = await t.db.prisma.fundingReceipt.findFirstOrThrow({ where: { programmeId: programme.id } });
  params = {
    userId: t.world.users.caseworker.actor.userId,
    id: programme.id,
    grantId: made!.grant.id,
    eligibilityId: made!.grant.eligibilityId,
    transactionId: transaction.id,
    runId: run.id,
    jobId: job.id,
    bulkJobId: bulkJob.id,
    secret: 'not-a-real-link',
    studentId: made!.student.id,
    enrolmentId: made!.enrolment.id,
    batchId: batch.id,
    importId: imported.import.id,
    receiptId: receipt.id,
  };
  // The empowerment track: an activity of the programme and the student's participation in it.
  const coordinator = await makeCoordinator(t.world, t.db.prisma);
  const activity = await makeActivity(coordinator, programme.id);
  const participation = await registerParticipation({
    ctx: coordinator.ctx,
    input: { activityId: activity.id, studentId: made!.student.id, registeredOn: '2026-11-01' },
  });
  params.activityId = activity.id;
  params.programmeId = programme.id;
  params.participationId = participation.id;
  personal = [made!.student.plain.name, made!.student.plain.identityNumber, made!.student.plain.account];

  const otherFoundation = await makeOrganisation(t.db.prisma, 'foundation');
  const otherDepartment = await makeOrganisation(t.db.prisma, 'civil_affairs');
  const own = Object.entries(t.world.users) as [string, (typeof t.world.users)[keyof typeof t.world.users]][];
  callers = [];
  for (const [label, user] of own) {
    callers.push({ label, role: user.actor.role, browser: await signedInBrowser(t.app, t.db.prisma, user.actor.userId), inScope: true });
  }
  callers.push({ label: 'coordinator', role: 'coordinator', browser: await signedInBrowser(t.app, t.db.prisma, coordinator.actor.userId), inScope: true });
  for (const [label, organisation, role] of [
    ['other foundation', otherFoundation, 'foundation_viewer'],
    ['other coordinator', otherFoundation, 'coordinator'],
    ['other department', otherDepartment, 'caseworker'],
    ['other department admin', otherDepartment, 'admin'],
  ] as const) {
    const user = await makeUser(t.db.prisma, organisation, role);
    callers.push({ label, role, browser: await signedInBrowser(t.app, t.db.prisma, user.actor.userId), inScope: false, organisationAdmin: role === 'admin' });
  }
  // The administering department's own admin: its programme and people are its business.
  const departmentAdmin = await makeUser(t.db.prisma, t.world.department, 'admin');
  callers.push({
    label: 'department admin',
    role: 'admin',
    browser: await signedInBrowser(t.app, t.db.prisma, departmentAdmin.actor.userId),
    inScope: true,
    organisationAdmin: true,
  });
}, 180_000);

/** The bank file carries whole accounts and names by design (the bank pays with them): finance only, audited. */
const CLEAR_BY_DESIGN = new Set(['GET /programmes/:id/payout-batches/:batchId/bank-file']);

const fill = (path: string) => path.replace(/:(\w+)/g, (_, name: string) => params[name] ?? `missing-${name}`);

describe('the page matrix', () => {
  it('lists every page the web routes serve, and no page they do not', () => {
    expect(servedPages().sort()).toEqual(Object.keys(PAGE_ACTIONS).sort());
  });

  it('answers every GET page as its action and the caller’s scope say', async () => {
    const violations: string[] = [];
    const pages = Object.entries(PAGE_ACTIONS).filter(([key]) => key.startsWith('GET ') && !key.includes(':secret') && key !== 'GET /assets/app.css');
    expect(pages.length).toBeGreaterThan(15);
    for (const [key, action] of pages) {
      const path = fill(key.slice(4));
      // A page of the programme, of a run over it, of one of its proposals, of one of its students,
      // or of one of its department's people: another organisation's business.
      const ofProgramme = [
        params.id,
        params.activityId,
        params.participationId,
        params.runId,
        params.jobId,
        params.bulkJobId,
        params.grantId,
        params.eligibilityId,
        params.studentId,
        params.userId,
      ].some((id) => path.includes(id!));
      const anonymous = await new PageBrowser(t.app).request('GET', path);
      if (action !== 'public' && !(anonymous.status === 303 && anonymous.location === '/')) violations.push(`${key} signed out → ${anonymous.status}`);
      for (const caller of callers) {
        const res = await caller.browser.request('GET', path);
        const where = `${key} as ${caller.label}`;
        if (res.status >= 500) violations.push(`${where} → ${res.status}`);
        const permitted = action === 'public' || action === 'signed-in' || may(caller.role, action);
        // The sign-in page sends a signed-in person on to their home page.
        const outOfScope = (!caller.inScope && ofProgramme) || (caller.organisationAdmin === true && PLATFORM_WIDE.has(key));
        const expected = path === '/' ? 303 : !permitted || outOfScope ? 404 : 200;
        if (res.status !== expected) violations.push(`${where} → ${res.status}, expected ${expected}`);
        if (res.status === 404 && !res.html.includes('页面不存在')) violations.push(`${where} → a 404 that is not the not-found page`);
        if (!caller.inScope && (res.html.includes(params.id!) || res.html.includes(programmeName))) violations.push(`${where} → shows the programme`);
        const clearAllowed = CLEAR_BY_DESIGN.has(key) && permitted;
        if (!clearAllowed && personal.some((value) => res.html.includes(value))) violations.push(`${where} → personal data in clear`);
      }
    }
    expect(violations).toEqual([]);
  }, 300_000);
});
