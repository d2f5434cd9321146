// The empowerment track over the API (issue: 青山陪伴赋能工程, items 1–4 and 6): activities made by the
// foundation's coordinator, participation recorded by the coordinator or the department's caseworker,
// person-times by kind and year, cohort outcomes and graduates' destinations — and the refusals,
// each a problem+json naming its field or rule with nothing written.
import { beforeAll, describe, expect, it } from 'vitest';
import { changeEnrolmentStatus } from '../../src/services/enrolments.ts';
import { makeActivity, makeCoordinator, makeGrantee } from '../support/empowerment.ts';
import { type TestUser, makeOrganisation, makeProgramme, makeUser } from '../support/fixtures.ts';
import { makeStudent } from '../support/students.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let programmeId: string;
let coordinator: TestUser;
let otherCoordinator: TestUser;
let otherCaseworker: TestUser;
let grantee: Awaited<ReturnType<typeof makeGrantee>>;

beforeAll(async () => {
  programmeId = (await makeProgramme(t.world)).id;
  coordinator = await makeCoordinator(t.world, t.db.prisma);
  grantee = await makeGrantee(t.world, t.db.prisma, programmeId);
  otherCoordinator = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'foundation'), 'coordinator');
  otherCaseworker = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs'), 'caseworker');
});

const activityBody = (overrides: Record<string, unknown> = {}) => ({
  kind: 'summer_internship',
  organiser: 'partner',
  organiserName: '青海某公益组织',
  title: '2026 年暑期实习',
  startsOn: '2026-07-06',
  endsOn: '2026-08-14',
  online: false,
  place: '西宁市',
  capacity: 10,
  ...overrides,
});

async function counts() {
  const db = t.db.prisma;
  return {
    activities: await db.empowermentActivity.count(),
    participations: await db.empowermentParticipation.count(),
    destinations: await db.graduateDestination.count(),
    audits: await db.auditEvent.count(),
  };
}

/** The problem's rule code and field, as a client reads them. */
const problem = (res: { status: number; json: any }) => ({
  status: res.status,
  code: res.json?.code,
  field: res.json?.field,
  paths: (res.json?.errors ?? []).map((e: { path: string }) => e.path),
});

describe('activities', () => {
  it('lets the foundation’s coordinator create and change an activity of its programme, audited', async () => {
    const created = await t.as(coordinator).post(`/api/v1/programmes/${programmeId}/empowerment-activities`, activityBody());
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      kind: 'summer_internship',
      organiser: 'partner',
      startsOn: '2026-07-06',
      participants: { registered: 0, personTimes: 0 },
    });
    const changed = await t.as(coordinator).put(`/api/v1/empowerment-activities/${created.json.id}`, activityBody({ capacity: 12, online: true, place: null }));
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ capacity: 12, online: true, place: null });
    const audit = await t.db.prisma.auditEvent.findMany({ where: { recordId: created.json.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['empowerment_activity.create', 'empowerment_activity.update']);
    // Everyone who reads the track sees it; the caseworker cannot make one.
    for (const client of [t.as.caseworker, t.as.foundationViewer, t.as.auditor, t.as.approver]) {
      expect((await client.get(`/api/v1/empowerment-activities/${created.json.id}`)).status).toBe(200);
    }
    expect((await t.as.caseworker.post(`/api/v1/programmes/${programmeId}/empowerment-activities`, activityBody())).status).toBe(403);
    expect((await t.as.finance.get('/api/v1/empowerment-activities')).status).toBe(403);
  });

  it('refuses a last day before the first, and an activity neither online nor with a place, naming the field', async () => {
    const before = await counts();
    const backwards = await t.as(coordinator).post(`/api/v1/programmes/${programmeId}/empowerment-activities`, activityBody({ endsOn: '2026-07-01' }));
    expect(problem(backwards)).toMatchObject({ status: 400, paths: ['endsOn'] });
    const nowhere = await t.as(coordinator).post(`/api/v1/programmes/${programmeId}/empowerment-activities`, activityBody({ place: null }));
    expect(problem(nowhere)).toMatchObject({ status: 400, paths: ['place'] });
    const badKind = await t.as(coordinator).post(`/api/v1/programmes/${programmeId}/empowerment-activities`, activityBody({ kind: 'party' }));
    expect(problem(badKind)).toMatchObject({ status: 400, paths: ['kind'] });
    expect(backwards.headers.get('content-type')).toContain('application/problem+json');
    expect(await counts()).toEqual(before);
  });

  it('answers 404 to another foundation’s coordinator and another department, and hides the activity from their lists', async () => {
    const activity = await makeActivity(coordinator, programmeId);
    expect((await t.as(otherCoordinator).get(`/api/v1/empowerment-activities/${activity.id}`)).status).toBe(404);
    expect((await t.as(otherCoordinator).put(`/api/v1/empowerment-activities/${activity.id}`, activityBody())).status).toBe(404);
    expect((await t.as(otherCoordinator).post(`/api/v1/programmes/${programmeId}/empowerment-activities`, activityBody())).status).toBe(404);
    expect((await t.as(otherCaseworker).get(`/api/v1/empowerment-activities/${activity.id}`)).status).toBe(404);
    const list = await t.as(otherCoordinator).get('/api/v1/empowerment-activities');
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual([]);
  });
});

describe('participation', () => {
  it('registers a granted student, records completion with its outcome, and counts one person-time', async () => {
    const activity = await makeActivity(coordinator, programmeId, { kind: 'summer_internship', startsOn: '2026-07-06', endsOn: '2026-08-14' });
    const registered = await t.as.caseworker.post(`/api/v1/empowerment-activities/${activity.id}/participations`, {
      studentId: grantee.student.id,
      registeredOn: '2026-06-20',
      evidence: ['报名表 2026-06-20'],
    });
    expect(registered.status).toBe(201);
    expect(registered.json).toMatchObject({ status: 'registered', countsAsPersonTime: false });
    // Masked as everywhere: the student's name and identity number never in clear.
    expect(registered.text).not.toContain(grantee.student.plain.name);
    expect(registered.text).not.toContain(grantee.student.plain.identityNumber);
    const done = await t.as(coordinator).post(`/api/v1/participations/${registered.json.id}/status`, {
      status: 'completed',
      on: '2026-08-14',
      hours: '240.0',
      internshipHost: '青海某公益组织',
      internshipWeeks: 6,
      evidence: ['实习鉴定表'],
    });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({
      status: 'completed',
      completedOn: '2026-08-14',
      hours: '240.0',
      outcome: { internshipHost: '青海某公益组织', internshipWeeks: 6, employmentSector: null },
      evidence: ['报名表 2026-06-20', '实习鉴定表'],
      countsAsPersonTime: true,
    });
    const audit = await t.db.prisma.auditEvent.findMany({ where: { recordId: registered.json.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['participation.register', 'participation.change_status']);
    expect(JSON.stringify(audit.map((a) => [a.before, a.after]))).not.toContain(grantee.student.plain.name);
    const figures = await t.as.foundationViewer.get(`/api/v1/programmes/${programmeId}/empowerment-figures`);
    expect(figures.status).toBe(200);
    expect(figures.json.years).toEqual([{ academicYear: '2025-2026', personTimes: expect.objectContaining({ summer_internship: 1, total: 1 }) }]);
    expect(figures.json.cumulative.total).toBe(1);
    const list = await t.as.foundationViewer.get(`/api/v1/empowerment-activities/${activity.id}/participations`);
    expect(list.json.items.map((p: { id: string }) => p.id)).toEqual([registered.json.id]);
  });

  it('refuses a student the programme never granted: 422 student_not_granted on studentId, nothing written', async () => {
    const activity = await makeActivity(coordinator, programmeId);
    const never = await makeStudent(t.world);
    const before = await counts();
    const res = await t.as.caseworker.post(`/api/v1/empowerment-activities/${activity.id}/participations`, {
      studentId: never.student.id,
      registeredOn: '2026-11-01',
    });
    expect(problem(res)).toMatchObject({ status: 422, code: 'student_not_granted', field: 'studentId' });
    expect(await counts()).toEqual(before);
  });

  it('refuses dates outside the activity and an outcome the kind does not have, naming the field', async () => {
    const course = await makeActivity(coordinator, programmeId, { kind: 'career_planning_course', startsOn: '2026-11-10', endsOn: '2026-11-20' });
    const late = await t.as(coordinator).post(`/api/v1/empowerment-activities/${course.id}/participations`, {
      studentId: grantee.student.id,
      registeredOn: '2026-11-21',
    });
    expect(problem(late)).toMatchObject({ status: 422, code: 'date_outside_activity', field: 'registeredOn' });
    const registered = await t.as(coordinator).post(`/api/v1/empowerment-activities/${course.id}/participations`, {
      studentId: grantee.student.id,
      registeredOn: '2026-11-01',
    });
    expect(registered.status).toBe(201);
    const before = await counts();
    const path = `/api/v1/participations/${registered.json.id}/status`;
    expect(problem(await t.as(coordinator).post(path, { status: 'attended', on: '2026-11-09' }))).toMatchObject({
      status: 422,
      code: 'date_outside_activity',
      field: 'on',
    });
    expect(problem(await t.as(coordinator).post(path, { status: 'completed', on: '2026-11-20', internshipHost: '某单位' }))).toMatchObject({
      status: 422,
      code: 'outcome_not_for_kind',
      field: 'internshipHost',
    });
    expect(problem(await t.as(coordinator).post(path, { status: 'completed', on: '2026-11-20', employmentSector: 'private_enterprise' }))).toMatchObject({
      status: 422,
      code: 'outcome_not_for_kind',
      field: 'employmentSector',
    });
    expect(problem(await t.as(coordinator).post(path, { status: 'completed', on: '2026-11-20', hours: '-3' }))).toMatchObject({
      status: 400,
      paths: ['hours'],
    });
    expect(problem(await t.as(coordinator).post(path, { status: 'registered', on: '2026-11-20' }))).toMatchObject({ status: 400, paths: ['status'] });
    const row = await t.db.prisma.empowermentParticipation.findUniqueOrThrow({ where: { id: registered.json.id } });
    expect(row).toMatchObject({ status: 'registered', completedOn: null, internshipHost: null });
    expect(await counts()).toEqual(before);
    // Completion is final; a second registration of the same student is a conflict.
    expect((await t.as(coordinator).post(path, { status: 'completed', on: '2026-11-20' })).status).toBe(200);
    expect(problem(await t.as(coordinator).post(path, { status: 'withdrawn', on: '2026-11-21' }))).toMatchObject({
      status: 422,
      code: 'participation_status_transition',
    });
    const again = await t.as.caseworker.post(`/api/v1/empowerment-activities/${course.id}/participations`, {
      studentId: grantee.student.id,
      registeredOn: '2026-11-02',
    });
    expect(problem(again)).toMatchObject({ status: 409, code: 'duplicate_participation' });
  });

  it('keeps other organisations and roles out: another foundation’s coordinator 404, the viewer and finance 403', async () => {
    const activity = await makeActivity(coordinator, programmeId);
    const body = { studentId: grantee.student.id, registeredOn: '2026-11-01' };
    const path = `/api/v1/empowerment-activities/${activity.id}/participations`;
    const before = await counts();
    expect((await t.as(otherCoordinator).post(path, body)).status).toBe(404);
    expect((await t.as(otherCaseworker).post(path, body)).status).toBe(404);
    expect((await t.as.foundationViewer.post(path, body)).status).toBe(403);
    expect((await t.as.finance.post(path, body)).status).toBe(403);
    expect(await counts()).toEqual(before);
  });
});

describe('outcomes', () => {
  it('records a graduate’s destination (coordinator) and counts it in the cohort within six months', async () => {
    const graduate = await makeGrantee(t.world, t.db.prisma, programmeId);
    const path = `/api/v1/programmes/${programmeId}/graduate-destinations`;
    const body = {
      studentId: graduate.student.id,
      destination: 'employed',
      sector: 'state_enterprise',
      startedOn: '2026-10-08',
      source: '用人单位录用通知',
      sourceDate: '2026-10-10',
    };
    const before = await counts();
    expect(problem(await t.as(coordinator).post(path, body))).toMatchObject({ status: 422, code: 'not_graduated', field: 'studentId' });
    expect(await counts()).toEqual(before);
    await changeEnrolmentStatus({
      ctx: t.world.users.caseworker.ctx,
      input: { studentId: graduate.student.id, enrolmentId: graduate.enrolment.id, status: 'graduated', effectiveOn: '2026-07-01', reason: '提前毕业' },
    });
    expect(problem(await t.as(coordinator).post(path, { ...body, destination: 'further_study' }))).toMatchObject({ status: 400, paths: ['sector'] });
    expect((await t.as.caseworker.post(path, body)).status).toBe(403);
    expect((await t.as(otherCoordinator).post(path, body)).status).toBe(404);
    const recorded = await t.as(coordinator).post(path, body);
    expect(recorded.status).toBe(201);
    expect(recorded.json).toMatchObject({ destination: 'employed', sector: 'state_enterprise', source: '用人单位录用通知' });
    expect((await t.as(coordinator).post(path, body)).status).toBe(409);

    const outcomes = await t.as.foundationViewer.get(`/api/v1/programmes/${programmeId}/cohort-outcomes`);
    expect(outcomes.status).toBe(200);
    const cohort = outcomes.json.cohorts.find((c: { cohort: string }) => c.cohort === '2026-2027');
    expect(cohort).toMatchObject({ graduatedOnTime: 1, employedWithinSixMonths: 1 });
    expect(cohort.students).toBeGreaterThanOrEqual(2);
    expect(cohort.stillStudying).toBe(cohort.students - 1);
    expect((await t.as(otherCoordinator).get(`/api/v1/programmes/${programmeId}/cohort-outcomes`)).status).toBe(404);
  });
});
