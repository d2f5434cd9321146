// Audit engagements: the admin endpoints, and what an auditor sees under each kind of engagement.
// Two programmes A and B of the same department and foundation (the hard case: the organisations
// are shared, only the programme differs), each with grants, a sent batch, a bank answer, a
// funding receipt and a reconciliation run; one more run covers both. An auditor engaged on A sees
// A's records, and its lists, counts and totals leave B out; ended, future or missing engagements
// see nothing.
import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../src/domain/dates.ts';
import { importBankResults } from '../../src/services/payouts/bank-results.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { camt054Text, chunksOf } from '../support/bank-answers.ts';
import { makeEngagement, makeOrganisation, makeProgramme, makeUser, type TestUser } from '../support/fixtures.ts';
import { GRANT_YEAR, fundProgramme, makeApprovedStudent } from '../support/grants.ts';
import { approveEligibility, proposeEligibility } from '../../src/services/eligibility.ts';
import { PROGRAMME_ACCOUNT, makeApprovedGrants, exportAndSendBatch } from '../support/payouts.ts';
import { makeReconciliationRun } from '../support/reconciliation.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

const shiftDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

async function buildProgramme(amounts: string[], messageId: string) {
  const programme = await makeProgramme(t.world, {
    payoutAccount: { accountNumber: PROGRAMME_ACCOUNT, accountName: '青海省民政厅', bankName: '中国建设银行西宁城西支行' },
  });
  const receipt = await fundProgramme(t.world, programme.id, '50000.00');
  const grants = await makeApprovedGrants(t.db.prisma, t.world, programme.id, amounts);
  const batch = await createPayoutBatch({ ctx: t.world.users.finance.ctx, input: { programmeId: programme.id, cutoffOn: todayInChina() } });
  await exportAndSendBatch(t.world.users.finance.ctx, batch.id);
  const payouts = await t.db.prisma.payout.findMany({ where: { batchId: batch.id }, orderBy: { sequence: 'asc' } });
  const answer = await camt054Text(
    { messageId, account: PROGRAMME_ACCOUNT },
    payouts.map((p) => ({ reference: p.reference, amount: p.amount.toFixed(2), kind: 'debit' as const })),
  );
  const bankResult = await importBankResults({
    ctx: t.world.users.finance.ctx,
    input: { programmeId: programme.id, content: chunksOf(answer), format: 'auto' },
  });
  return {
    programme,
    receipt,
    students: grants.map((g) => g.student.id),
    eligibility: grants.map((g) => g.eligibility.id),
    grants: grants.map((g) => g.grant.id),
    batch,
    payouts: payouts.map((p) => p.id),
    payoutTotal: payouts.reduce((sum, p) => sum.plus(p.amount.toString()), new Decimal(0)).toFixed(2),
    bankResult: bankResult.import.id,
  };
}

let A: Awaited<ReturnType<typeof buildProgramme>>;
let B: Awaited<ReturnType<typeof buildProgramme>>;
/** A student with eligibility in both programmes: visible through A; its B determination is not. */
let shared: { student: string; eligibilityA: string; eligibilityB: string };
let runA: string;
let runB: string;
let runBoth: string;
let unrelated: { id: string };
let listedOffice: { id: string; kind: 'audit' };
let listed: TestUser;
let listedEngagement: string;

/** An auditor of a new audit body holding the given engagement (or none). */
async function auditorWith(engagement: ((organisationId: string) => Promise<unknown>) | null): Promise<TestUser> {
  const office = await makeOrganisation(t.db.prisma, 'audit');
  if (engagement) await engagement(office.id);
  return makeUser(t.db.prisma, office, 'auditor');
}

beforeAll(async () => {
  A = await buildProgramme(['4000.00', '3000.00'], 'ENGAGE-A');
  B = await buildProgramme(['5000.00'], 'ENGAGE-B');
  const both = await makeApprovedStudent(t.db.prisma, t.world, A.programme.id);
  const inB = await proposeEligibility({
    ctx: t.world.users.caseworker.ctx,
    input: { studentId: both.student.id, programmeId: B.programme.id, academicYear: GRANT_YEAR },
  });
  await approveEligibility({ ctx: t.world.users.approver.ctx, input: { id: inB.id } });
  shared = { student: both.student.id, eligibilityA: both.eligibility.id, eligibilityB: inB.id };
  runA = (await makeReconciliationRun(t.db.prisma, { programmeId: A.programme.id })).id;
  runB = (await makeReconciliationRun(t.db.prisma, { programmeId: B.programme.id })).id;
  runBoth = (await makeReconciliationRun(t.db.prisma)).id;
  // A department administering nothing the engagement covers: the listed auditor must not see it.
  unrelated = await makeOrganisation(t.db.prisma, 'civil_affairs');
  listedOffice = (await makeOrganisation(t.db.prisma, 'audit')) as { id: string; kind: 'audit' };
  const created = await t.as.admin.post('/api/v1/audit-engagements', {
    auditorOrganisationId: listedOffice.id,
    scope: 'programmes',
    programmeIds: [A.programme.id],
    startsOn: todayInChina(),
  });
  expect(created.status).toBe(201);
  listedEngagement = created.json.id;
  listed = await makeUser(t.db.prisma, listedOffice, 'auditor');
});

const get = (path: string, user: TestUser) => t.as(user).get(`/api/v1${path}`);
const ids = (res: { json: { items: { id: string }[] } }) => res.json.items.map((i) => i.id).sort();

describe('an auditor engaged on listed programmes', () => {
  it('sees the listed programme, and not the other one, in lists and by id', async () => {
    expect(ids(await get('/programmes', listed))).toEqual([A.programme.id]);
    expect((await get(`/programmes/${A.programme.id}`, listed)).status).toBe(200);
    expect((await get(`/programmes/${B.programme.id}`, listed)).status).toBe(404);
    // The engagement on all programmes sees both: what is left out above is the scope at work.
    expect(ids(await get('/programmes', t.world.users.auditor))).toEqual([A.programme.id, B.programme.id].sort());
  });

  it('sees the students, eligibility and grants of the listed programme only', async () => {
    expect(ids(await get('/students', listed))).toEqual([...A.students, shared.student].sort());
    expect(ids(await get('/students', t.world.users.auditor))).toEqual([...A.students, ...B.students, shared.student].sort());
    expect((await get(`/students/${A.students[0]}`, listed)).status).toBe(200);
    expect((await get(`/students/${A.students[0]}/enrolments`, listed)).status).toBe(200);
    for (const path of [
      `/students/${B.students[0]}`,
      `/students/${B.students[0]}/enrolments`,
      `/students/${B.students[0]}/recognitions`,
      `/students/${B.students[0]}/grants`,
    ]) {
      expect((await get(path, listed)).status, path).toBe(404);
    }
    // Filtering by the other programme finds nothing, not even the shared student.
    expect((await get(`/students?programmeId=${B.programme.id}`, listed)).json.items).toEqual([]);
    expect(ids(await get(`/students?programmeId=${B.programme.id}`, t.world.users.auditor))).toEqual([...B.students, shared.student].sort());

    expect(ids(await get('/eligibility', listed))).toEqual([...A.eligibility, shared.eligibilityA].sort());
    expect(ids(await get(`/eligibility?studentId=${shared.student}`, listed))).toEqual([shared.eligibilityA]);
    expect((await get(`/eligibility/${B.eligibility[0]}`, listed)).status).toBe(404);
    expect((await get(`/eligibility/${shared.eligibilityB}`, listed)).status).toBe(404);

    const grants = await get('/grants', listed);
    expect(ids(grants)).toEqual([...A.grants].sort());
    expect(grants.json.items.every((g: { programme: { id: string } }) => g.programme.id === A.programme.id)).toBe(true);
    expect(ids(await get('/grants', t.world.users.auditor))).toHaveLength(3);
    expect((await get(`/grants?programmeId=${B.programme.id}`, listed)).json.items).toEqual([]);
    expect((await get(`/grants/${A.grants[0]}`, listed)).status).toBe(200);
    expect((await get(`/grants/${B.grants[0]}`, listed)).status).toBe(404);
    expect((await get(`/students/${A.students[0]}/grants`, listed)).status).toBe(200);
  });

  it('sees the summary and CSV export of the listed programme; the other answers 404', async () => {
    const summary = await get(`/programmes/${A.programme.id}/grant-summary`, listed);
    expect(summary.status).toBe(200);
    expect(summary.json.cumulative.grants).toBe(2);
    expect(summary.json.cumulative.committed).toBe('7000.00');
    expect((await get(`/programmes/${B.programme.id}/grant-summary`, listed)).status).toBe(404);
    const csv = await get(`/programmes/${A.programme.id}/grants.csv`, listed);
    expect(csv.status).toBe(200);
    expect(csv.text.trim().split('\r\n')).toHaveLength(1 + 2);
    expect((await get(`/programmes/${B.programme.id}/grants.csv`, listed)).status).toBe(404);
  });

  it('sees payouts, batches and bank answers of the listed programme; lists, counts and the CSV leave the other out', async () => {
    const payouts = await get('/payouts', listed);
    expect(ids(payouts)).toEqual([...A.payouts].sort());
    expect(ids(await get('/payouts', t.world.users.auditor))).toEqual([...A.payouts, ...B.payouts].sort());
    expect((await get(`/payouts?programmeId=${B.programme.id}`, listed)).json.items).toEqual([]);
    const csv = await get('/payouts.csv', listed);
    expect(csv.status).toBe(200);
    expect(csv.text.trim().split('\r\n')).toHaveLength(1 + A.payouts.length);

    const batches = await get('/payout-batches', listed);
    expect(ids(batches)).toEqual([A.batch.id]);
    expect(batches.json.items[0].total).toBe(A.payoutTotal);
    expect((await get(`/payout-batches/${A.batch.id}`, listed)).status).toBe(200);
    expect((await get(`/payout-batches/${B.batch.id}`, listed)).status).toBe(404);

    expect(ids(await get('/bank-results', listed))).toEqual([A.bankResult]);
    expect((await get(`/bank-results/${A.bankResult}`, listed)).status).toBe(200);
    expect((await get(`/bank-results/${B.bankResult}`, listed)).status).toBe(404);
  });

  it('sees receipts and ledger transactions of the listed programme only', async () => {
    expect(ids(await get(`/programmes/${A.programme.id}/funding-receipts`, listed))).toEqual([A.receipt.id]);
    expect((await get(`/programmes/${A.programme.id}/funding-receipts/${A.receipt.id}`, listed)).status).toBe(200);
    expect((await get(`/programmes/${B.programme.id}/funding-receipts`, listed)).status).toBe(404);
    expect((await get(`/programmes/${B.programme.id}/funding-receipts/${B.receipt.id}`, listed)).status).toBe(404);

    const ledger = await get(`/programmes/${A.programme.id}/ledger/transactions`, listed);
    expect(ledger.status).toBe(200);
    expect(ledger.json.items.length).toBeGreaterThan(0);
    expect(ledger.json.items.every((t: { programmeId: string }) => t.programmeId === A.programme.id)).toBe(true);
    expect((await get(`/programmes/${A.programme.id}/ledger/transactions/${A.receipt.ledgerTransaction.id}`, listed)).status).toBe(200);
    expect((await get(`/programmes/${B.programme.id}/ledger/transactions`, listed)).status).toBe(404);
    expect((await get(`/programmes/${B.programme.id}/ledger/transactions/${B.receipt.ledgerTransaction.id}`, listed)).status).toBe(404);
  });

  it('sees the runs of the listed programme only: not the other programme’s, nor a run covering both', async () => {
    expect(ids(await get('/reconciliation-runs', listed))).toEqual([runA]);
    expect(ids(await get('/reconciliation-runs', t.world.users.auditor))).toEqual([runA, runB, runBoth].sort());
    expect((await get(`/reconciliation-runs/${runA}`, listed)).status).toBe(200);
    expect((await get(`/reconciliation-runs/${runA}/report`, listed)).status).toBe(200);
    for (const id of [runB, runBoth]) {
      expect((await get(`/reconciliation-runs/${id}`, listed)).status).toBe(404);
      expect((await get(`/reconciliation-runs/${id}/report`, listed)).status).toBe(404);
    }
  });

  it('may not verify the whole ledger (403): its counts are about every programme', async () => {
    const res = await get('/ledger/verification', listed);
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('forbidden');
    expect(res.text).not.toContain('transactionsChecked');
    expect((await get('/ledger/verification', t.world.users.auditor)).status).toBe(200);
  });

  it('sees its own organisation and those of the listed programme, no other', async () => {
    const listedIds = ids(await t.as(listed).get('/api/v1/organisations?limit=200'));
    expect(listedIds).toEqual([listedOffice.id, t.world.department.id, t.world.foundation.id].sort());
    expect((await get(`/organisations/${t.world.department.id}`, listed)).status).toBe(200);
    expect((await get(`/organisations/${unrelated.id}`, listed)).status).toBe(404);
    expect((await get(`/organisations/${t.world.auditOffice.id}`, listed)).status).toBe(404);
    expect((await get(`/organisations/${unrelated.id}`, t.world.users.auditor)).status).toBe(200);
  });

  it('reads its own organisation’s engagements, and no other', async () => {
    const mine = await get('/audit-engagements', listed);
    expect(mine.status).toBe(200);
    expect(ids(mine)).toEqual([listedEngagement]);
    expect(mine.json.items[0]).toMatchObject({ scope: 'programmes', current: true, endsOn: null, programmes: [{ id: A.programme.id }] });
    expect((await get(`/audit-engagements?auditorOrganisationId=${t.world.auditOffice.id}`, listed)).json.items).toEqual([]);
  });
});

describe('an auditor without a current engagement sees nothing', () => {
  const today = () => todayInChina();
  const cases: [string, (organisationId: string) => Promise<unknown>][] = [
    [
      'an engagement that ended yesterday',
      (o) =>
        makeEngagement(t.db.prisma, {
          auditorOrganisationId: o,
          createdById: t.world.users.admin.actor.userId,
          startsOn: shiftDays(today(), -30),
          endsOn: shiftDays(today(), -1),
        }),
    ],
    [
      'an engagement that starts tomorrow',
      (o) => makeEngagement(t.db.prisma, { auditorOrganisationId: o, createdById: t.world.users.admin.actor.userId, startsOn: shiftDays(today(), 1) }),
    ],
    [
      'an engagement ended by an admin today',
      (o) =>
        makeEngagement(t.db.prisma, {
          auditorOrganisationId: o,
          createdById: t.world.users.admin.actor.userId,
          startsOn: shiftDays(today(), -30),
          endsOn: today(),
          endedAt: new Date(),
        }),
    ],
    [
      'an ended engagement on listed programmes',
      (o) =>
        makeEngagement(t.db.prisma, {
          auditorOrganisationId: o,
          createdById: t.world.users.admin.actor.userId,
          programmeIds: [A.programme.id],
          startsOn: shiftDays(today(), -30),
          endsOn: shiftDays(today(), -1),
        }),
    ],
  ];
  for (const [label, engage] of cases) {
    it(`under ${label}`, async () => expectNothing(await auditorWith(engage)));
  }
  it('with no engagement at all', async () => expectNothing(await auditorWith(null)));

  async function expectNothing(auditor: TestUser) {
    for (const path of ['/programmes', '/students', '/eligibility', '/grants', '/payouts', '/payout-batches', '/bank-results', '/reconciliation-runs']) {
      const res = await get(path, auditor);
      expect(res.status, path).toBe(200);
      expect(res.json.items, path).toEqual([]);
    }
    const csv = await get('/payouts.csv', auditor);
    expect(csv.text.trim().split('\r\n')).toHaveLength(1);
    for (const path of [
      `/programmes/${A.programme.id}`,
      `/programmes/${A.programme.id}/grant-summary`,
      `/programmes/${A.programme.id}/grants.csv`,
      `/programmes/${A.programme.id}/ledger/transactions`,
      `/programmes/${A.programme.id}/funding-receipts`,
      `/students/${A.students[0]}`,
      `/grants/${A.grants[0]}`,
      `/payout-batches/${A.batch.id}`,
      `/bank-results/${A.bankResult}`,
      `/reconciliation-runs/${runA}`,
      `/organisations/${t.world.department.id}`,
    ]) {
      expect((await get(path, auditor)).status, path).toBe(404);
    }
    expect((await get('/ledger/verification', auditor)).status).toBe(403);
    expect(ids(await get('/organisations', auditor))).toEqual([auditor.actor.organisationId]);
  }
});

describe('POST /api/v1/audit-engagements', () => {
  const post = (body: unknown, user: TestUser = t.world.users.admin) => t.as(user).post('/api/v1/audit-engagements', body);

  it('engages an audit body; its auditors see the change on their next request; audited', async () => {
    const office = await makeOrganisation(t.db.prisma, 'audit');
    const auditor = await makeUser(t.db.prisma, office, 'auditor');
    expect(ids(await get('/programmes', auditor))).toEqual([]);
    const res = await post({ auditorOrganisationId: office.id, scope: 'all', startsOn: shiftDays(todayInChina(), -1), endsOn: shiftDays(todayInChina(), 365) });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      scope: 'all',
      programmes: [],
      current: true,
      endedAt: null,
      auditorOrganisation: { id: office.id },
      createdById: t.world.users.admin.actor.userId,
    });
    expect(ids(await get('/programmes', auditor))).toEqual(expect.arrayContaining([A.programme.id, B.programme.id]));
    const audit = await t.db.prisma.auditEvent.findFirst({ where: { recordType: 'audit_engagement', recordId: res.json.id } });
    expect(audit?.action).toBe('audit_engagement.create');
    expect(audit?.actorId).toBe(t.world.users.admin.actor.userId);
  });

  it('accepts a platform organisation as the auditor organisation', async () => {
    const res = await post({
      auditorOrganisationId: t.world.platform.id,
      scope: 'programmes',
      programmeIds: [B.programme.id],
      startsOn: todayInChina(),
      endsOn: null,
    });
    expect(res.status).toBe(201);
    expect(res.json.programmes.map((p: { id: string }) => p.id)).toEqual([B.programme.id]);
  });

  it('refuses bad input with 400 naming the field', async () => {
    const base = { auditorOrganisationId: listedOffice.id, scope: 'programmes', programmeIds: [A.programme.id], startsOn: todayInChina() };
    const cases: [unknown, string][] = [
      [{ ...base, programmeIds: [A.programme.id, randomUUID()] }, 'programmeIds.1'],
      [{ ...base, startsOn: '2026-12-01', endsOn: '2026-11-30' }, 'endsOn'],
      [{ ...base, programmeIds: [] }, 'programmeIds'],
      [{ ...base, programmeIds: undefined }, 'programmeIds'],
      [{ ...base, scope: 'all' }, 'programmeIds'],
      [{ ...base, programmeIds: [A.programme.id, A.programme.id] }, 'programmeIds'],
      [{ ...base, auditorOrganisationId: t.world.foundation.id }, 'auditorOrganisationId'],
      [{ ...base, auditorOrganisationId: randomUUID() }, 'auditorOrganisationId'],
      [{ ...base, startsOn: '2026-02-30' }, 'startsOn'],
      [{ ...base, scope: 'some' }, 'scope'],
      [{ ...base, extra: 1 }, ''],
    ];
    const before = await t.db.prisma.auditEngagement.count();
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      if (field)
        expect(
          res.json.errors.map((e: { path: string }) => e.path),
          JSON.stringify(body),
        ).toContain(field);
    }
    expect(await t.db.prisma.auditEngagement.count()).toBe(before);
  });

  it('is refused to other roles (403) and to an admin of a department (403)', async () => {
    const departmentAdmin = await makeUser(t.db.prisma, t.world.department, 'admin');
    const body = { auditorOrganisationId: listedOffice.id, scope: 'all', startsOn: todayInChina() };
    for (const user of [t.world.users.auditor, t.world.users.caseworker, t.world.users.finance, t.world.users.foundationViewer, departmentAdmin]) {
      expect((await post(body, user)).status, user.actor.role).toBe(403);
    }
    expect((await get('/audit-engagements', departmentAdmin)).status).toBe(403);
    expect((await t.as(departmentAdmin).post(`/api/v1/audit-engagements/${listedEngagement}/ending`)).status).toBe(403);
    for (const user of [t.world.users.caseworker, t.world.users.approver, t.world.users.finance, t.world.users.foundationViewer]) {
      expect((await get('/audit-engagements', user)).status, user.actor.role).toBe(403);
    }
  });
});

describe('GET /api/v1/audit-engagements', () => {
  it('gives platform admins every engagement, filtered by audit body, in pages', async () => {
    const all = await get('/audit-engagements?limit=200', t.world.users.admin);
    expect(all.status).toBe(200);
    expect(ids(all)).toEqual(expect.arrayContaining([t.world.engagement.id, listedEngagement]));
    const one = await get(`/audit-engagements?auditorOrganisationId=${listedOffice.id}`, t.world.users.admin);
    expect(ids(one)).toEqual([listedEngagement]);
    const first = await get('/audit-engagements?limit=1', t.world.users.admin);
    expect(first.json.items).toHaveLength(1);
    const second = await get(`/audit-engagements?limit=1&cursor=${first.json.nextCursor}`, t.world.users.admin);
    expect(second.json.items[0].id).not.toBe(first.json.items[0].id);
    expect((await get('/audit-engagements?cursor=nonsense', t.world.users.admin)).status).toBe(400);
    expect((await get('/audit-engagements?auditorOrganisationId=42', t.world.users.admin)).status).toBe(400);
  });
});

describe('POST /api/v1/audit-engagements/{id}/ending', () => {
  const end = (id: string, user: TestUser = t.world.users.admin) => t.as(user).post(`/api/v1/audit-engagements/${id}/ending`);

  it('ends an engagement today, at once; a second ending is a 409; it is kept, not deleted', async () => {
    const office = await makeOrganisation(t.db.prisma, 'audit');
    const created = await t.as.admin.post('/api/v1/audit-engagements', {
      auditorOrganisationId: office.id,
      scope: 'programmes',
      programmeIds: [A.programme.id],
      startsOn: shiftDays(todayInChina(), -10),
    });
    const auditor = await makeUser(t.db.prisma, office, 'auditor');
    expect(ids(await get('/programmes', auditor))).toEqual([A.programme.id]);
    const ended = await end(created.json.id);
    expect(ended.status).toBe(200);
    expect(ended.json).toMatchObject({ endsOn: todayInChina(), current: false, endedById: t.world.users.admin.actor.userId });
    expect(ids(await get('/programmes', auditor))).toEqual([]);
    expect((await get(`/programmes/${A.programme.id}`, auditor)).status).toBe(404);
    const again = await end(created.json.id);
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('engagement_already_ended');
    expect(ids(await get('/audit-engagements', auditor))).toEqual([created.json.id]);
    const audit = await t.db.prisma.auditEvent.findFirst({
      where: { recordType: 'audit_engagement', recordId: created.json.id, action: 'audit_engagement.end' },
    });
    expect(audit?.before).toMatchObject({ endsOn: null, current: true });
    // The database keeps the history too: no delete, no second ending, no change of what it covered.
    await expect(t.db.prisma.auditEngagement.delete({ where: { id: created.json.id } })).rejects.toThrow();
    await expect(t.db.prisma.auditEngagement.update({ where: { id: created.json.id }, data: { endsOn: null } })).rejects.toThrow(/ended once/);
    const open = await makeEngagement(t.db.prisma, {
      auditorOrganisationId: office.id,
      createdById: t.world.users.admin.actor.userId,
      programmeIds: [A.programme.id],
    });
    await expect(t.db.prisma.auditEngagement.update({ where: { id: open.id }, data: { scope: 'all' } })).rejects.toThrow(/only ending/);
    await expect(t.db.prisma.auditEngagementProgramme.deleteMany({ where: { engagementId: open.id } })).rejects.toThrow();
  });

  it('ends an engagement that has not started: it never covers a day', async () => {
    const office = await makeOrganisation(t.db.prisma, 'audit');
    const created = await t.as.admin.post('/api/v1/audit-engagements', {
      auditorOrganisationId: office.id,
      scope: 'all',
      startsOn: shiftDays(todayInChina(), 5),
    });
    const ended = await end(created.json.id);
    expect(ended.status).toBe(200);
    expect(ended.json.endsOn).toBe(todayInChina());
    expect(ended.json.current).toBe(false);
  });

  it('refuses an engagement past its end (409), an unknown id (404), a malformed id (400) and other roles (403)', async () => {
    const office = await makeOrganisation(t.db.prisma, 'audit');
    const past = await makeEngagement(t.db.prisma, {
      auditorOrganisationId: office.id,
      createdById: t.world.users.admin.actor.userId,
      startsOn: '2025-01-01',
      endsOn: '2025-12-31',
    });
    expect((await end(past.id)).status).toBe(409);
    expect((await end(randomUUID())).status).toBe(404);
    expect((await end('42')).status).toBe(400);
    for (const user of [t.world.users.auditor, listed, t.world.users.approver]) expect((await end(listedEngagement, user)).status).toBe(403);
    expect((await get('/audit-engagements', listed)).json.items[0].current).toBe(true);
  });
});
