// The quarterly disclosure report over the API (issue: 青山陪伴赋能工程, items 5 and 6): figures of a
// quarter that is over, cross-checked against the ledger; the same bytes twice; audited with its hash;
// no one's personal data; a quarter not yet over refused with nothing written; other organisations 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBusinessClock } from '../../src/domain/dates.ts';
import { approveGrant } from '../../src/services/grants.ts';
import { changeParticipation, registerParticipation } from '../../src/services/participations.ts';
import { TEST_TODAY } from '../support/business-clock.ts';
import { makeActivity, makeCoordinator } from '../support/empowerment.ts';
import { type TestUser, makeOrganisation, makeProgramme, makeUser } from '../support/fixtures.ts';
import { fundProgramme, makeProposedGrant } from '../support/grants.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let programmeId: string;
let coordinator: TestUser;
let personal: string[];
let studentIds: string[];

const restoreClock = () => setBusinessClock(() => new Date(`${TEST_TODAY}T04:00:00.000Z`));

beforeAll(async () => {
  programmeId = (await makeProgramme(t.world)).id;
  coordinator = await makeCoordinator(t.world, t.db.prisma);
  // The grants are approved on 15 September 2026, in the third quarter; the suite's today (26 November) is after it.
  setBusinessClock(() => new Date('2026-09-15T04:00:00.000Z'));
  try {
    await fundProgramme(t.world, programmeId, '30000.00');
    personal = [];
    studentIds = [];
    for (const amount of ['4000.00', '4000.00', '3500.00', '4500.00']) {
      const made = await makeProposedGrant(t.db.prisma, t.world, programmeId, amount);
      await approveGrant({ ctx: t.world.users.approver.ctx, input: { id: made.grant.id } });
      personal.push(made.student.plain.name, made.student.plain.identityNumber);
      studentIds.push(made.student.id);
    }
    const internship = await makeActivity(coordinator, programmeId, { kind: 'summer_internship', startsOn: '2026-09-07', endsOn: '2026-09-11' });
    for (const studentId of studentIds.slice(0, 3)) {
      const p = await registerParticipation({ ctx: coordinator.ctx, input: { activityId: internship.id, studentId, registeredOn: '2026-09-01' } });
      await changeParticipation({ ctx: coordinator.ctx, input: { id: p.id, status: 'completed', on: '2026-09-11' } });
    }
  } finally {
    restoreClock();
  }
  // A fifth grant approved on the suite's today (26 November): in the fourth quarter, in no figure of the third.
  const late = await makeProposedGrant(t.db.prisma, t.world, programmeId, '3000.00');
  await approveGrant({ ctx: t.world.users.approver.ctx, input: { id: late.grant.id } });
  personal.push(late.student.plain.name, late.student.plain.identityNumber);
  studentIds.push(late.student.id);
});
afterAll(restoreClock);

const url = (quarter: string, id = programmeId) => `/api/v1/programmes/${id}/disclosures/${quarter}`;

/** Sum of the programme's ledger debit lines of a kind dated in the third quarter, reversals included as they stand. */
async function ledgerSum(kind: string): Promise<string> {
  const [row] = await t.db.prisma.$queryRaw<{ total: string }[]>`
    SELECT coalesce(sum(e."amount"), 0)::numeric(14,2)::text AS total
      FROM "ledger_entry" e JOIN "ledger_transaction" tr ON tr."id" = e."transaction_id"
     WHERE tr."programme_id" = ${programmeId}::uuid AND tr."kind"::text = ${kind} AND e."direction" = 'debit'
       AND tr."event_date" BETWEEN '2026-07-01' AND '2026-09-30'`;
  return row!.total;
}

describe('quarterly disclosure report', () => {
  it('gives the foundation the quarter’s figures, which agree with the ledger, and audits it with the hash', async () => {
    const res = await t.as.foundationViewer.get(url('2026Q3'));
    expect(res.status).toBe(200);
    const { content, contentSha256 } = res.json;
    expect(content.period).toEqual({ quarter: '2026Q3', startsOn: '2026-07-01', endsOn: '2026-09-30' });
    expect(content.funds.receivedInQuarter).toBe('30000.00');
    expect(content.funds.receivedInQuarter).toBe(await ledgerSum('funding_received'));
    expect(content.grants.total).toEqual({ students: 4, grants: 4, amount: '16000.00', suppressed: false });
    expect(content.grants.total.amount).toBe(await ledgerSum('grant_approved'));
    expect(content.funds.uncommittedAtQuarterEnd).toBe('14000.00');
    expect(content.payments.remainingAtQuarterEnd).toBe('16000.00');
    // The cohorts as of 30 September: the grant approved in November is not yet there.
    expect(content.outcomes.cohorts).toEqual([expect.objectContaining({ cohort: '2026-2027', students: 4 })]);
    expect(content.empowerment.byKind.find((k: { kind: string }) => k.kind === 'summer_internship')).toMatchObject({ personTimes: 3, students: 3 });
    const head = await t.db.prisma.ledgerTransaction.findFirst({ orderBy: { seq: 'desc' } });
    expect(content.ledger).toEqual({ throughSeq: head!.seq.toString(), headHash: head!.hash });
    expect(content.suppressionRule.zh).toContain('少于 3 人');
    const audit = await t.db.prisma.auditEvent.findFirst({ where: { action: 'disclosure.produce', recordId: programmeId }, orderBy: { id: 'desc' } });
    expect(audit?.after).toMatchObject({ quarter: '2026Q3', contentSha256 });
    // Aggregates only: no name, identity number or student id, in the report or its audit.
    for (const text of [res.text, JSON.stringify(audit?.after)]) for (const p of [...personal, ...studentIds]) expect(text).not.toContain(p);
  });

  it('gives the same bytes and hash again while the ledger and records stay as they were', async () => {
    const one = await t.as.auditor.get(url('2026Q3'));
    const two = await t.as(coordinator).get(url('2026Q3'));
    expect(one.status).toBe(200);
    expect(two.text).toBe(one.text);
  });

  it('gives the same report as CSV and XLSX, the same bytes twice, each audited', async () => {
    const audits = () => t.db.prisma.auditEvent.count({ where: { action: 'disclosure.produce', recordId: programmeId } });
    const before = await audits();
    const csv = await t.as.foundationViewer.get(`${url('2026Q3')}/report.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('2026Q3.csv');
    expect(csv.text).toContain('批准资助 grants approved,合计 total,,4,4,16000.00');
    for (const p of [...personal, ...studentIds]) expect(csv.text).not.toContain(p);
    const xlsx = async () =>
      new Uint8Array(
        await (await t.app.request(`${url('2026Q3')}/report.xlsx`, { headers: { Authorization: `Bearer ${t.world.users.auditor.token}` } })).arrayBuffer(),
      );
    const one = await xlsx();
    expect(Buffer.from(one).subarray(0, 2).toString()).toBe('PK');
    expect(Buffer.from(await xlsx()).equals(Buffer.from(one))).toBe(true);
    expect(await audits()).toBe(before + 3);
    expect(
      (await t.as(await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'foundation'), 'foundation_viewer')).get(`${url('2026Q3')}/report.csv`))
        .status,
    ).toBe(404);
  });

  it('refuses a quarter not yet over, naming the field and rule, with nothing written', async () => {
    const audits = await t.db.prisma.auditEvent.count();
    const res = await t.as.foundationViewer.get(url('2026Q4'));
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json).toMatchObject({ code: 'quarter_not_over', field: 'quarter', quarter: '2026Q4', endsOn: '2026-12-31' });
    const bad = await t.as.foundationViewer.get(url('2026Q5'));
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(['quarter']);
    expect(await t.db.prisma.auditEvent.count()).toBe(audits);
  });

  it('answers 404 to another foundation and 403 to roles that do not disclose', async () => {
    const otherFoundation = await makeOrganisation(t.db.prisma, 'foundation');
    for (const role of ['foundation_viewer', 'coordinator'] as const) {
      expect((await t.as(await makeUser(t.db.prisma, otherFoundation, role)).get(url('2026Q3'))).status).toBe(404);
    }
    expect((await t.as.caseworker.get(url('2026Q3'))).status).toBe(403);
    expect((await t.as.finance.get(url('2026Q3'))).status).toBe(403);
  });
});
