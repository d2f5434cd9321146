// The bulk step as a background job: the runner steps the students one by one and writes its
// progress every few students (the counts always adding up), and what it reports equals what the
// step run in one request reports for students alike; a job left queued or running by a process
// that ended is marked interrupted at the next start, and its page lists the students it did.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { BulkJobRunner } from '../../src/services/bulk-step-job-runner.ts';
import { getBulkStepJob, interruptAbandonedBulkStepJobs, startBulkStepJob } from '../../src/services/bulk-step-jobs.ts';
import { type BulkStepInput, type BulkStudentResult, prepareBulkStep, runBulkStep } from '../../src/services/bulk-step.ts';
import { STALE_AFTER_SECONDS } from '../../src/services/reconciliation-jobs.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { makeEligibleStudent, makeStudent } from '../support/eligibility-fixtures.ts';
import { makeOrganisation, makeProgramme, makeUser } from '../support/fixtures.ts';
import { GRANT_YEAR, makeApprovedStudent } from '../support/grants.ts';
import { signedInBrowser } from '../support/page-browser.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let programme: ProgrammeView;

const input = (studentIds: string[]): BulkStepInput => ({
  studentIds,
  programmeId: programme.id,
  academicYear: GRANT_YEAR,
  verification: { verifiedOn: '2026-11-20', source: '学信网 CHSI' },
  amounts: { undergraduate: '4500.00' },
});

/** One of each kind the step tells apart: fresh, approved (a grant proposed), adopted (refused), no enrolment, unknown. */
async function mixOfStudents(): Promise<string[]> {
  const department = { departmentId: t.world.department.id, caseworkerId: t.world.users.caseworker.actor.userId };
  return [
    (await makeEligibleStudent(t.db.prisma, { ...department, enrolment: { verifiedOn: [] } })).student.id,
    (await makeApprovedStudent(t.db.prisma, t.world, programme.id)).student.id,
    (await makeEligibleStudent(t.db.prisma, { ...department, recognition: { adopted: true }, enrolment: { verifiedOn: [] } })).student.id,
    (await makeStudent(t.db.prisma, { departmentId: t.world.department.id, createdById: t.world.users.caseworker.actor.userId })).id,
    randomUUID(),
  ];
}

/** What the step did, without who it was done for. */
const whatWasDone = (students: BulkStudentResult[]) => students.map(({ studentId: _, name: __, identityNumber: ___, ...done }) => done);

beforeAll(async () => {
  programme = await makeProgramme(t.world);
}, 60_000);

describe('the bulk step job runner', () => {
  it('writes progress every few students, the counts adding up, and ends with what the step in one request reports', async () => {
    const [asJob, inRequest] = [await mixOfStudents(), await mixOfStudents()];
    const runner = new BulkJobRunner({ db: t.db.prisma, progressEvery: 2 });
    const ctx = t.world.users.caseworker.ctx;
    const job = await startBulkStepJob({ ctx, input: input(asJob), runner });
    expect(job).toMatchObject({ status: 'queued', counts: { students: 5, done: 0 } });

    // Read between the students, as the progress page is: the runner lets the event loop go round after each.
    const seen: { status: string; done: number; written: number; unchanged: number; refused: number; results: number }[] = [];
    for (let ended = false; !ended; ) {
      const row = await t.db.prisma.bulkStepJob.findUniqueOrThrow({ where: { id: job.id } });
      seen.push({ ...row, results: (row.results as unknown[]).length });
      ended = !['queued', 'running'].includes(row.status);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await runner.idle();

    for (const s of seen) {
      expect([0, 2, 4, 5]).toContain(s.done);
      expect(s.written + s.unchanged + s.refused).toBe(s.done);
      expect(s.results).toBe(s.done);
    }
    expect(seen.some((s) => s.status === 'running' && (s.done === 2 || s.done === 4))).toBe(true);

    const finished = await getBulkStepJob({ ctx, input: { id: job.id } });
    expect(finished).toMatchObject({ status: 'finished', counts: { students: 5, done: 5, written: 2, unchanged: 0, refused: 3 } });
    expect(finished.students.map((s) => s.studentId)).toEqual(asJob);
    const direct = await runBulkStep({ ctx, input: input(inRequest) });
    expect(whatWasDone(finished.students)).toEqual(whatWasDone(direct.students));
  });

  it('is read by its own department only; stopping the runner interrupts the jobs it holds', async () => {
    const runner = new BulkJobRunner({ db: t.db.prisma, schedule: () => {} });
    const job = await startBulkStepJob({ ctx: t.world.users.caseworker.ctx, input: input([randomUUID()]), runner });
    await expect(getBulkStepJob({ ctx: t.world.users.admin.ctx, input: { id: job.id } })).rejects.toMatchObject({ kind: 'forbidden' });
    const elsewhere = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs'), 'caseworker');
    await expect(getBulkStepJob({ ctx: elsewhere.ctx, input: { id: job.id } })).rejects.toMatchObject({ kind: 'not_found' });
    await runner.stop();
    expect((await t.db.prisma.bulkStepJob.findUniqueOrThrow({ where: { id: job.id } })).status).toBe('interrupted');
  });
});

describe('a job that cannot go on', () => {
  it('fails naming the catalogue error; the students done before stay listed; the page says so', async () => {
    const ctx = t.world.users.caseworker.ctx;
    const [fresh] = await mixOfStudents();
    // The first one names no student (refused as not found, no use case asked), the second fails.
    const ids = [randomUUID(), fresh!];
    const held = new BulkJobRunner({ db: t.db.prisma, schedule: () => {} });
    const job = await startBulkStepJob({ ctx, input: input(ids), runner: held });
    // Carried out as someone the single-record use cases refuse outright (not a rule about the student).
    const unexpected: unknown[] = [];
    const runner = new BulkJobRunner({ db: t.db.prisma, onUnexpectedError: (error) => unexpected.push(error) });
    const prepared = await prepareBulkStep({ ctx, input: input(ids) });
    runner.enqueue({ id: job.id, ctx: t.world.users.approver.ctx, prepared });
    let row = await t.db.prisma.bulkStepJob.findUniqueOrThrow({ where: { id: job.id } });
    while (['queued', 'running'].includes(row.status)) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      row = await t.db.prisma.bulkStepJob.findUniqueOrThrow({ where: { id: job.id } });
    }
    expect(row).toMatchObject({ status: 'failed', done: 1, refused: 1, error: { code: 'forbidden' } });
    expect(unexpected).toEqual([]);
    const caseworker = await signedInBrowser(t.app, t.db.prisma, ctx.actor.userId);
    const page = await caseworker.request('GET', `/students/bulk/jobs/${job.id}`);
    const text = page.html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('办理未能完成');
    expect(text).toContain('已办理 1 / 2 名');
    expect(text).toContain('共 1 名：已写入 0 名，无需处理 0 名，未写入 1 名');
  });
});

describe('jobs a stopped service left behind', () => {
  async function leftRunning(heartbeatAt: Date) {
    const ctx = t.world.users.caseworker.ctx;
    const [done, notDone] = await mixOfStudents();
    // What a process did before it ended: the first student, in its own transaction.
    const first = await runBulkStep({ ctx, input: input([done!]) });
    return t.db.prisma.bulkStepJob.create({
      data: {
        id: randomUUID(),
        requestedById: ctx.actor.userId,
        organisationId: ctx.actor.organisationId,
        programmeId: programme.id,
        academicYear: 2026,
        input: { studentIds: [done!, notDone!] },
        status: 'running',
        runnerId: randomUUID(),
        total: 2,
        done: 1,
        written: 1,
        results: first.students as unknown as object[],
        startedAt: new Date(),
        heartbeatAt,
      },
    });
  }

  it('on PostgreSQL only those whose heartbeat stopped; on the embedded database all of them; the page lists the students done', async () => {
    const stale = await leftRunning(new Date(Date.now() - (STALE_AFTER_SECONDS + 5) * 1000));
    const fresh = await leftRunning(new Date());
    expect(await interruptAbandonedBulkStepJobs(t.db.prisma)).toBe(1);
    const status = async (id: string) => (await t.db.prisma.bulkStepJob.findUniqueOrThrow({ where: { id } })).status;
    expect([await status(stale.id), await status(fresh.id)]).toEqual(['interrupted', 'running']);
    expect(await interruptAbandonedBulkStepJobs(t.db.prisma, { all: true })).toBe(1);
    expect(await status(fresh.id)).toBe('interrupted');

    const caseworker = await signedInBrowser(t.app, t.db.prisma, t.world.users.caseworker.actor.userId);
    const page = await caseworker.request('GET', `/students/bulk/jobs/${stale.id}`);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('http-equiv="refresh"');
    const text = page.html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('服务在办理完成前停止');
    expect(text).toContain('已办理 1 / 2 名');
    expect(text).toContain('其余 1 名未办理');
    expect(text).toContain('共 1 名：已写入 1 名');
  });

  it('a job whose holder stopped its heartbeat is said to be interrupted when its page is read', async () => {
    const stale = await leftRunning(new Date(Date.now() - (STALE_AFTER_SECONDS + 5) * 1000));
    const fresh = await leftRunning(new Date());
    const ctx = t.world.users.caseworker.ctx;
    expect((await getBulkStepJob({ ctx, input: { id: stale.id } })).status).toBe('interrupted');
    expect((await getBulkStepJob({ ctx, input: { id: fresh.id } })).status).toBe('running');
    await interruptAbandonedBulkStepJobs(t.db.prisma, { all: true });
  });
});
