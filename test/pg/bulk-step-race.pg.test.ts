// The bulk step raced on a real PostgreSQL server (PGlite runs one transaction at a time and hides
// races): four caseworkers run it over the same students at once. Each student is locked for the
// length of their transaction, so the runs queue per student: exactly one verification, one
// eligibility proposal and one grant proposal each, and every run reports each student as written
// or as done before — never refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { type BulkStepResult, runBulkStep } from '../../src/services/bulk-step.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { makeEligibleStudent } from '../support/eligibility-fixtures.ts';
import { type TestUser, makeProgramme, makeUser } from '../support/fixtures.ts';
import { makeApprovedStudent } from '../support/grants.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';
import { race } from './support/concurrency.ts';

const CLIENTS = 4;

describe.skipIf(!process.env.TEST_DATABASE_URL)('the bulk step raced by concurrent caseworkers (PostgreSQL)', () => {
  const t = usePgTestDatabase(12);
  let programme: ProgrammeView;
  let caseworkers: TestUser[];
  const fresh: string[] = [];
  const approved: string[] = [];

  beforeAll(async () => {
    programme = await makeProgramme(t.world);
    caseworkers = [];
    for (let i = 0; i < CLIENTS; i++) caseworkers.push(await makeUser(t.db.prisma, t.world.department, 'caseworker'));
    const department = { departmentId: t.world.department.id, caseworkerId: t.world.users.caseworker.actor.userId };
    for (let i = 0; i < 4; i++) fresh.push((await makeEligibleStudent(t.db.prisma, { ...department, enrolment: { verifiedOn: [] } })).student.id);
    for (let i = 0; i < 2; i++) approved.push((await makeApprovedStudent(t.db.prisma, t.world, programme.id)).student.id);
  }, 120_000);

  it('four runs over the same six students at once: one of each record per student, no student refused', async () => {
    const ids = [...fresh, ...approved];
    const results = await race(CLIENTS, (i) =>
      runBulkStep({
        ctx: caseworkers[i]!.ctx,
        input: {
          studentIds: i % 2 === 0 ? ids : [...ids].reverse(),
          programmeId: programme.id,
          academicYear: '2026-2027',
          verification: { verifiedOn: '2026-11-20', source: '学信网 CHSI' },
          amounts: { undergraduate: '4000.00' },
        },
      }),
    );
    const answers = results.map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value as BulkStepResult;
    });
    for (const answer of answers) expect(answer.counts.refused).toBe(0);
    const writtenBy = (id: string) => answers.filter((a) => a.students.find((s) => s.studentId === id)!.outcome === 'written').length;
    for (const id of ids) expect(writtenBy(id)).toBe(1);

    const enrolments = await t.db.prisma.enrolment.findMany({ where: { studentId: { in: fresh } }, select: { id: true } });
    expect(await t.db.prisma.enrolmentVerification.count({ where: { enrolmentId: { in: enrolments.map((e) => e.id) } } })).toBe(fresh.length);
    expect(await t.db.prisma.eligibilityDetermination.count({ where: { studentId: { in: fresh }, programmeId: programme.id } })).toBe(fresh.length);
    expect(await t.db.prisma.grant.count({ where: { studentId: { in: approved }, programmeId: programme.id } })).toBe(approved.length);
  }, 120_000);
});
