// The permission matrix walk (issue 7, items 1 and 6): every route of the generated OpenAPI document,
// with a token of every role of the world's organisations, with tokens of another department and
// another foundation, and without a token, against one small world. The route → action half of the
// matrix is src/http/route-actions.ts; the role × action half is src/domain/roles.ts.
//
// For each answer: never a 5xx; never a 2xx for a role the route's action does not permit; another
// organisation never gets a 2xx on a record-specific route (a permitted GET answers 404) and never
// sees the world's record ids in any 2xx; a permitted, in-scope GET answers 200; no token → 401.
// An auditor whose engagement lists only another programme counts as another organisation. A
// department's admin walks too, its own department's and another's: it manages its organisation only.
// Bodies are empty (`{}`): a permitted role may answer 400/409/422, which is fine.
import { makeWaitingHandMatch } from '../support/bank-line-matches.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Role, may } from '../../src/domain/roles.ts';
import { ROUTE_ACTIONS, type RouteAction } from '../../src/http/route-actions.ts';
import { todayInChina } from '../../src/domain/dates.ts';
import { approveGrant } from '../../src/services/grants.ts';
import { importBankResults } from '../../src/services/payouts/bank-results.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { camt054Text, chunksOf } from '../support/bank-answers.ts';
import { PROGRAMME_ACCOUNT, exportAndSendBatch } from '../support/payouts.ts';
import { makeAuditorEngagedOn, makeEngagement, makeOrganisation, makeProgramme, makeUser, type TestUser } from '../support/fixtures.ts';
import { GRANT_YEAR, fundProgramme, makeProposedGrant } from '../support/grants.ts';
import { newKey } from '../support/http.ts';
import { makeReconciliationRun } from '../support/reconciliation.ts';
import { JOBS, jobForm, waitForJob } from '../support/reconciliation-jobs.ts';
import { useTestApp } from '../support/test-app.ts';
import { makeActivity, makeCoordinator } from '../support/empowerment.ts';
import { registerParticipation } from '../../src/services/participations.ts';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Caller {
  label: string;
  user: TestUser;
  /** Of the world's department / foundation (true) or of another organisation (false). */
  inScope: boolean;
  /** An admin of a department: its own organisation's business, never the platform's. */
  organisationAdmin?: boolean;
}

interface Operation {
  key: string;
  method: string;
  path: string;
  requestContentTypes: string[];
}

const t = useTestApp();
/** The world's student in clear: never in an answer (bar the bank file finance sends) nor a log line. */
let personal: string[];
let operations: Operation[];
let callers: Caller[];

/** Operations about every programme or organisation: the platform operator's admins (and auditors engaged on all) only. */
const PLATFORM_WIDE = new Set<string>([
  'GET /api/v1/audit-engagements',
  'GET /api/v1/ledger/verification',
  'GET /api/v1/audit-events/verification',
  'GET /api/v1/backup',
]);
/** Values for path parameters; `id` depends on the collection it follows. */
let params: Record<string, string>;
let idFor: Record<string, string>;
/** Ids of the world's records: an other-organisation 2xx must mention none of them. */
let worldIds: string[];

beforeAll(async () => {
  const programme = await makeProgramme(t.world, {
    payoutAccount: { accountNumber: PROGRAMME_ACCOUNT, accountName: '青海省民政厅', bankName: '中国建设银行西宁城西支行' },
  });
  const receipt = await fundProgramme(t.world, programme.id, '20000.00');
  const made = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
  const grant = await approveGrant({ ctx: t.world.users.approver.ctx, input: { id: made.grant.id } });
  const batch = await createPayoutBatch({ ctx: t.world.users.finance.ctx, input: { programmeId: programme.id, cutoffOn: todayInChina() } });
  await exportAndSendBatch(t.world.users.finance.ctx, batch.id);
  const payout = await t.db.prisma.payout.findFirstOrThrow({ where: { batchId: batch.id } });
  const answer = await camt054Text({ messageId: 'MATRIX-1', account: PROGRAMME_ACCOUNT }, [
    { reference: payout.reference, amount: payout.amount.toFixed(2), kind: 'debit' },
  ]);
  const bankResult = await importBankResults({
    ctx: t.world.users.finance.ctx,
    input: { programmeId: programme.id, content: chunksOf(answer), format: 'auto' },
  });
  // A line without a reference, kept as an exception, and a hand match of it waiting for a checker.
  const handMatch = await makeWaitingHandMatch(t.db.prisma, t.world, programme.id, { id: payout.id, amount: payout.amount.toFixed(2) });
  const reconciliationRun = await makeReconciliationRun(t.db.prisma, { programmeId: programme.id });
  const started = await t.as.auditor.post(JOBS, undefined, { form: jobForm({ checks: ['ledger'], programmeId: programme.id }) });
  const reconciliationJob = await waitForJob(t.as.auditor, started.json.id);

  // Its own user and token: the admin's POST …/revocation revokes it, and no caller depends on it.
  const tokenHolder = await makeUser(t.db.prisma, t.world.department, 'caseworker');
  const holderToken = await t.db.prisma.apiToken.findFirstOrThrow({ where: { userId: tokenHolder.actor.userId } });

  const otherDepartment = await makeOrganisation(t.db.prisma, 'civil_affairs');
  const otherFoundation = await makeOrganisation(t.db.prisma, 'foundation');
  const otherProgramme = await makeProgramme(t.world, { funderId: otherFoundation.id, administratorId: otherDepartment.id });
  const engagedElsewhere = await makeAuditorEngagedOn(t.db.prisma, t.world, [otherProgramme.id]);
  // The admin's walk ends the engagement at /audit-engagements/{id}/ending: a second one, so that
  // the world's auditor keeps its open engagement on all programmes for the routes walked after.
  const spareEngagement = await makeEngagement(t.db.prisma, { auditorOrganisationId: t.world.auditOffice.id, createdById: t.world.users.admin.actor.userId });
  const coordinator = await makeCoordinator(t.world, t.db.prisma);
  const activity = await makeActivity(coordinator, programme.id);
  const participation = await registerParticipation({
    ctx: coordinator.ctx,
    input: { activityId: activity.id, studentId: made.student.id, registeredOn: '2026-11-01' },
  });
  const u = t.world.users;
  callers = [
    { label: 'caseworker', user: u.caseworker, inScope: true },
    { label: 'approver', user: u.approver, inScope: true },
    { label: 'finance', user: u.finance, inScope: true },
    { label: 'foundation_viewer', user: u.foundationViewer, inScope: true },
    { label: 'coordinator', user: coordinator, inScope: true },
    { label: 'auditor', user: u.auditor, inScope: true },
    { label: 'admin', user: u.admin, inScope: true },
    { label: 'other caseworker', user: await makeUser(t.db.prisma, otherDepartment, 'caseworker'), inScope: false },
    { label: 'other approver', user: await makeUser(t.db.prisma, otherDepartment, 'approver'), inScope: false },
    { label: 'other finance', user: await makeUser(t.db.prisma, otherDepartment, 'finance'), inScope: false },
    { label: 'other foundation_viewer', user: await makeUser(t.db.prisma, otherFoundation, 'foundation_viewer'), inScope: false },
    { label: 'other coordinator', user: await makeUser(t.db.prisma, otherFoundation, 'coordinator'), inScope: false },
    { label: 'auditor engaged on another programme', user: engagedElsewhere, inScope: false },
    { label: 'other department admin', user: await makeUser(t.db.prisma, otherDepartment, 'admin'), inScope: false },
    { label: 'department admin', user: await makeUser(t.db.prisma, t.world.department, 'admin'), inScope: true, organisationAdmin: true },
  ];

  params = {
    programmeId: programme.id,
    receiptId: receipt.id,
    transactionId: receipt.ledgerTransaction.id,
    studentId: made.student.id,
    enrolmentId: made.enrolment.id,
    academicYear: GRANT_YEAR,
    activityId: activity.id,
    // A quarter over on the suite's business date (2026-11-26): its disclosure report answers.
    quarter: '2026Q3',
  };
  idFor = {
    organisations: t.world.department.id,
    programmes: programme.id,
    students: made.student.id,
    eligibility: made.eligibility.id,
    grants: grant.id,
    'payout-batches': batch.id,
    'bank-results': bankResult.import.id,
    'bank-line-matches': handMatch.id,
    instalments: payout.instalmentId,
    'reconciliation-runs': reconciliationRun.id,
    'reconciliation-jobs': reconciliationJob.id,
    users: tokenHolder.actor.userId,
    tokens: holderToken.id,
    'audit-engagements': spareEngagement.id,
    'empowerment-activities': activity.id,
    participations: participation.id,
  };
  personal = [made.student.plain.identityNumber, made.student.plain.name, made.student.plain.account];
  worldIds = [
    programme.id,
    receipt.id,
    receipt.ledgerTransaction.id,
    made.student.id,
    made.enrolment.id,
    made.eligibility.id,
    grant.id,
    batch.id,
    bankResult.import.id,
    handMatch.importId,
    handMatch.id,
    payout.id,
    payout.instalmentId,
    reconciliationRun.id,
    reconciliationJob.id,
    reconciliationJob.runId,
    tokenHolder.actor.userId,
    holderToken.id,
    t.world.engagement.id,
    spareEngagement.id,
    activity.id,
    participation.id,
    t.world.department.id,
    t.world.foundation.id,
  ];

  const doc = await t.app.request('/openapi.json');
  expect(doc.status).toBe(200);
  const paths = ((await doc.json()) as { paths: Record<string, Record<string, any>> }).paths;
  operations = [];
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        requestContentTypes: Object.keys(op.requestBody?.content ?? {}),
      });
    }
  }
});

function concretePath(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string, offset: number) => {
    if (name === 'id') {
      const collection = path.slice(0, offset).split('/').filter(Boolean).at(-1)!;
      const value = idFor[collection];
      if (!value) throw new Error(`no value for {id} after /${collection} in ${path}`);
      return value;
    }
    const value = params[name];
    if (!value) throw new Error(`no value for path parameter {${name}} in ${path}`);
    return value;
  });
}

async function send(op: Operation, token?: string) {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (op.method === 'POST' || op.method === 'PUT' || op.method === 'PATCH') {
    headers['Idempotency-Key'] = newKey();
    if (op.requestContentTypes.length === 0 || op.requestContentTypes.includes('application/json')) {
      headers['Content-Type'] = 'application/json';
      body = '{}';
    } else {
      headers['Content-Type'] = op.requestContentTypes[0]!;
      body = '';
    }
  }
  const response = await t.app.request(concretePath(op.path), { method: op.method, headers, ...(body !== undefined ? { body } : {}) });
  return { status: response.status, text: await response.text() };
}

const permits = (action: RouteAction, role: Role) => action === 'authenticated' || may(role, action);
const is2xx = (status: number) => status >= 200 && status < 300;

describe('route matrix', () => {
  it('has exactly one entry in src/http/route-actions.ts per route of the OpenAPI document', () => {
    const documented = operations.map((o) => o.key).sort();
    const mapped = Object.keys(ROUTE_ACTIONS).sort();
    expect(documented.length).toBeGreaterThan(0);
    expect(
      documented.filter((k) => !mapped.includes(k)),
      'routes without a matrix entry',
    ).toEqual([]);
    expect(
      mapped.filter((k) => !documented.includes(k)),
      'matrix entries naming no route',
    ).toEqual([]);
  });

  it('refuses every route without a token (401)', async () => {
    const wrong: string[] = [];
    for (const op of operations) {
      const { status } = await send(op);
      if (status !== 401) wrong.push(`${op.key}: ${status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers every route, for every role and other organisation, as the matrix says', async () => {
    const violations: string[] = [];
    let walked = 0;
    for (const op of operations) {
      const action = (ROUTE_ACTIONS as Record<string, RouteAction>)[op.key];
      if (!action) continue; // reported by the completeness test
      const recordSpecific = op.path.includes('{');
      for (const caller of callers) {
        walked++;
        const role = caller.user.actor.role;
        const permitted = permits(action, role);
        const { status, text } = await send(op, caller.user.token);
        const where = `${op.key} as ${caller.label} (${action}): ${status}`;
        if (status >= 500) violations.push(`${where} — server error ${text.slice(0, 200)}`);
        // The bank file carries whole accounts and names on purpose (finance only, audited).
        if (op.key !== 'GET /api/v1/payout-batches/{id}/bank-file' && personal.some((value) => text.includes(value))) {
          violations.push(`${where} — personal data in clear in the answer`);
        }
        if (!permitted && is2xx(status)) violations.push(`${where} — 2xx for a role the action does not permit`);
        if (caller.inScope) {
          const platformWide = caller.organisationAdmin === true && PLATFORM_WIDE.has(op.key);
          if (permitted && op.method === 'GET' && !platformWide && status !== 200) violations.push(`${where} — a permitted, in-scope GET must answer 200`);
          if (platformWide && is2xx(status)) violations.push(`${where} — a department's admin got a 2xx on what only the platform's admins see`);
        } else {
          if (recordSpecific && is2xx(status)) violations.push(`${where} — another organisation got a 2xx on a record`);
          if (recordSpecific && permitted && op.method === 'GET' && status !== 404) violations.push(`${where} — another organisation must get 404`);
          if (is2xx(status)) {
            const leaked = worldIds.filter((id) => text.includes(id));
            if (leaked.length) violations.push(`${where} — another organisation sees ids ${leaked.join(', ')}`);
          }
        }
      }
    }
    expect(walked).toBe(operations.length * callers.length);
    expect(violations).toEqual([]);
    // Every request of the walk was logged; no log line holds personal data or a token's secret.
    expect(t.logs.lines.length).toBeGreaterThanOrEqual(walked);
    const secrets = callers.map((c) => c.user.token);
    expect(t.logs.lines.filter((line) => [...personal, ...secrets].some((value) => line.includes(value)))).toEqual([]);
  });
});
