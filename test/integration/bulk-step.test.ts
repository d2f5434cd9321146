// The bulk step over a mix of students: each student its own transaction through the single-record
// use cases; those a rule refuses are listed with the catalogue's Chinese and have nothing written;
// the result says exactly who was written, and the database agrees; run again, nothing is written
// twice and nothing is reported as an error that was done before.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DomainError, ValidationError } from '../../src/domain/errors.ts';
import { type BulkStepInput, type BulkStepResult, runBulkStep } from '../../src/services/bulk-step.ts';
import { approveEligibility } from '../../src/services/eligibility.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { makeEligibleStudent, makeStudent } from '../support/eligibility-fixtures.ts';
import { makeOrganisation, makeProgramme, makeUser } from '../support/fixtures.ts';
import { GRANT_YEAR, makeApprovedStudent } from '../support/grants.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let programme: ProgrammeView;
const ids: Record<string, string> = {};

const input = (studentIds: string[], overrides: Partial<BulkStepInput> = {}): BulkStepInput => ({
  studentIds,
  programmeId: programme.id,
  academicYear: GRANT_YEAR,
  verification: { verifiedOn: '2026-11-20', source: '学信网 CHSI' },
  amounts: { undergraduate: '4500.00', junior_college: '3500.00' },
  ...overrides,
});
const run = (i: BulkStepInput) => runBulkStep({ ctx: t.world.users.caseworker.ctx, input: i });
const resultOf = (r: BulkStepResult, id: string) => r.students.find((s) => s.studentId === id)!;

async function written(studentId: string) {
  const enrolments = await t.db.prisma.enrolment.findMany({ where: { studentId }, select: { id: true } });
  return {
    verifications: await t.db.prisma.enrolmentVerification.count({
      where: { enrolmentId: { in: enrolments.map((e) => e.id) }, verifiedOn: new Date('2026-11-20') },
    }),
    eligibility: await t.db.prisma.eligibilityDetermination.count({ where: { studentId, programmeId: programme.id } }),
    grants: await t.db.prisma.grant.count({ where: { studentId, programmeId: programme.id } }),
  };
}

beforeAll(async () => {
  programme = await makeProgramme(t.world);
  const department = { departmentId: t.world.department.id, caseworkerId: t.world.users.caseworker.actor.userId };
  ids.fresh = (await makeEligibleStudent(t.db.prisma, { ...department, enrolment: { verifiedOn: [] } })).student.id;
  ids.adopted = (await makeEligibleStudent(t.db.prisma, { ...department, recognition: { adopted: true }, enrolment: { verifiedOn: [] } })).student.id;
  ids.noEnrolment = (await makeStudent(t.db.prisma, { departmentId: t.world.department.id, createdById: t.world.users.caseworker.actor.userId })).id;
  ids.approved = (await makeApprovedStudent(t.db.prisma, t.world, programme.id)).student.id;
  const elsewhere = await makeOrganisation(t.db.prisma, 'civil_affairs');
  const otherCaseworker = await makeUser(t.db.prisma, elsewhere, 'caseworker');
  ids.otherDepartment = (await makeEligibleStudent(t.db.prisma, { departmentId: elsewhere.id, caseworkerId: otherCaseworker.actor.userId })).student.id;
  ids.unknown = randomUUID();
});

describe('the bulk step', () => {
  it('writes the students who pass and lists the others with why; the database agrees exactly', async () => {
    const before = await t.db.prisma.auditEvent.count();
    const result = await run(input(Object.values(ids)));
    expect(result.counts).toEqual({ students: 6, written: 2, unchanged: 0, refused: 4 });

    expect(resultOf(result, ids.fresh!)).toMatchObject({ outcome: 'written', verification: 'recorded', eligibility: 'proposed', grant: 'awaiting_approval' });
    expect(await written(ids.fresh!)).toEqual({ verifications: 1, eligibility: 1, grants: 0 });

    expect(resultOf(result, ids.approved!)).toMatchObject({
      outcome: 'written',
      verification: 'already',
      eligibility: 'already_approved',
      grant: 'proposed',
      grantAmount: '4500.00',
      level: 'undergraduate',
    });
    expect(await written(ids.approved!)).toEqual({ verifications: 0, eligibility: 1, grants: 1 });

    // Refused: nothing written for them, not even the verification that came before the failing rule.
    const adopted = resultOf(result, ids.adopted!);
    expect(adopted).toMatchObject({ outcome: 'refused', verification: null });
    expect(adopted.reasons).toEqual([expect.objectContaining({ code: 'not_adopted', message_zh: expect.stringMatching(/收养/) })]);
    expect(await written(ids.adopted!)).toEqual({ verifications: 0, eligibility: 0, grants: 0 });
    expect(resultOf(result, ids.noEnrolment!).reasons).toEqual([expect.objectContaining({ code: 'no_enrolment' })]);
    for (const id of [ids.otherDepartment!, ids.unknown!]) {
      expect(resultOf(result, id)).toMatchObject({ outcome: 'refused', name: null, reasons: [{ code: 'not_found', message_zh: '未找到该学生' }] });
    }
    expect(await written(ids.otherDepartment!)).toEqual({ verifications: 0, eligibility: 0, grants: 0 });

    // One audit event per record written: a verification, an eligibility proposal, a grant proposal.
    expect(await t.db.prisma.auditEvent.count()).toBe(before + 3);
  });

  it('run again on the same students: nothing written twice, what was done is reported as done', async () => {
    const before = await t.db.prisma.auditEvent.count();
    const again = await run(input([ids.fresh!, ids.approved!]));
    expect(again.counts).toEqual({ students: 2, written: 0, unchanged: 2, refused: 0 });
    expect(resultOf(again, ids.fresh!)).toMatchObject({ verification: 'already', eligibility: 'already', grant: 'awaiting_approval' });
    expect(resultOf(again, ids.approved!)).toMatchObject({
      verification: 'already',
      eligibility: 'already_approved',
      grant: 'already',
      grantAmount: '4500.00',
    });
    expect(await t.db.prisma.auditEvent.count()).toBe(before);
  });

  it('after the approver approves the eligibility, the same step proposes the grant', async () => {
    const proposed = await t.db.prisma.eligibilityDetermination.findFirstOrThrow({ where: { studentId: ids.fresh!, programmeId: programme.id } });
    await approveEligibility({ ctx: t.world.users.approver.ctx, input: { id: proposed.id } });
    const result = await run(input([ids.fresh!]));
    expect(resultOf(result, ids.fresh!)).toMatchObject({ outcome: 'written', eligibility: 'already_approved', grant: 'proposed', grantAmount: '4500.00' });
    expect(await written(ids.fresh!)).toEqual({ verifications: 1, eligibility: 1, grants: 1 });
  });

  it('a level without an amount gets no grant proposed, and says so', async () => {
    const approved = (await makeApprovedStudent(t.db.prisma, t.world, programme.id)).student.id;
    const result = await run(input([approved], { amounts: { junior_college: '3500.00' } }));
    expect(resultOf(result, approved)).toMatchObject({ outcome: 'unchanged', eligibility: 'already_approved', grant: 'no_amount', level: 'undergraduate' });
    expect(await written(approved)).toEqual({ verifications: 0, eligibility: 1, grants: 0 });
  });

  it('refuses more than 5,000 students, an amount outside the band and a date outside the year, naming the field; nothing written', async () => {
    const before = await t.db.prisma.auditEvent.count();
    const refusal = async (i: BulkStepInput) => {
      try {
        await run(i);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).fields.map((f) => f.path);
      }
      throw new Error('not refused');
    };
    const many = Array.from({ length: 5001 }, () => randomUUID());
    expect(await refusal(input(many))).toEqual(['studentIds']);
    expect(await refusal(input([ids.fresh!], { amounts: { undergraduate: '5000.01' } }))).toEqual(['amounts.undergraduate']);
    expect(await refusal(input([ids.fresh!], { verification: { verifiedOn: '2026-08-31', source: '学信网' } }))).toEqual(['verification.verifiedOn']);
    expect(await t.db.prisma.auditEvent.count()).toBe(before);
  });

  it('is not for other roles', async () => {
    await expect(runBulkStep({ ctx: t.world.users.approver.ctx, input: input([ids.fresh!]) })).rejects.toSatisfy(
      (e) => e instanceof DomainError && e.kind === 'forbidden',
    );
  });
});

describe('POST /students/bulk-steps', () => {
  it('answers the same result for scripts; other roles are refused; over 5,000 is a 400 naming studentIds', async () => {
    const res = await t.as.caseworker.post('/api/v1/students/bulk-steps', input([ids.fresh!, ids.adopted!]));
    expect(res.status).toBe(200);
    expect(res.json.counts).toEqual({ students: 2, written: 0, unchanged: 1, refused: 1 });
    expect((await t.as.approver.post('/api/v1/students/bulk-steps', input([ids.fresh!]))).status).toBe(403);
    const many = await t.as.caseworker.post('/api/v1/students/bulk-steps', input(Array.from({ length: 5001 }, () => randomUUID())));
    expect(many.status).toBe(400);
    expect(many.json.errors).toEqual([expect.objectContaining({ path: 'studentIds' })]);
  });
});
