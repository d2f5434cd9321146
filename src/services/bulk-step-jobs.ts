// The caseworker's bulk step run in the background (table `bulk_step_job`): the page checks the
// input at once (the same 400s as the synchronous step), records the job and hands it to the
// process's runner (src/services/bulk-step-job-runner.ts), then follows it on a page that reloads
// itself: queued → running → finished (every student's result), failed (the catalogue error), or
// interrupted when the process that held it ended first.
//
// Who: starting one needs `eligibility.propose` and the programme in scope, as the step itself;
// reading one, `eligibility.propose` and the department that started it (anyone else: 404).
//
// The row keeps the input as student ids, the verification and the amounts — never names or
// identity numbers; the per-student results keep the masked values the step reports.
//
// Abandoned jobs: the runner renews the heartbeat of the jobs it holds at each progress write; a
// queued or running job whose holder is gone is marked interrupted at service start (on the
// embedded database every one, since only one process can open it; on PostgreSQL those whose
// heartbeat stopped STALE_AFTER_SECONDS ago, and a job whose heartbeat stopped when its page is
// read). Each student is a transaction of its own, so the students an interrupted job did stay
// done, and its page lists them.
import { z } from 'zod';
import { formatAcademicYear } from '../domain/academic-year.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { PrismaClient } from '#prisma';
import { recordAudit } from './audit.ts';
import type { BulkJobRunner } from './bulk-step-job-runner.ts';
import { type BulkStepInput, type BulkStudentResult, prepareBulkStep } from './bulk-step.ts';
import { type ServiceContext, inTransaction } from './context.ts';
import { Uuid } from './fields.ts';
import { STALE_AFTER_SECONDS } from './reconciliation-jobs.ts';
import { requirePermission } from './scope.ts';
import { parseInput } from './validation.ts';

export type BulkJobStatus = 'queued' | 'running' | 'finished' | 'failed' | 'interrupted';

export interface BulkJobView {
  id: string;
  status: BulkJobStatus;
  programme: { id: string; name: string };
  academicYear: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  counts: { students: number; done: number; written: number; unchanged: number; refused: number };
  /** Once the job has ended, the students it did, in the order given (all of them when finished); empty while under way. */
  students: BulkStudentResult[];
  error: { code: string; messageZh: string } | null;
}

export const GetBulkStepJobInput = z.strictObject({ id: Uuid });

/** Checks the input as the step would, records the job as queued and hands it to the runner. */
export async function startBulkStepJob({ ctx, input, runner }: { ctx: ServiceContext; input: BulkStepInput; runner: BulkJobRunner }): Promise<BulkJobView> {
  const prepared = await prepareBulkStep({ ctx, input });
  const { plan, studentIds } = prepared;
  const id = crypto.randomUUID();
  const stored = { studentIds, verification: plan.verification, amounts: plan.amounts };
  await inTransaction(ctx, async (tx) => {
    await tx.bulkStepJob.create({
      data: {
        id,
        requestedById: ctx.actor.userId,
        organisationId: ctx.actor.organisationId,
        programmeId: plan.programmeId,
        academicYear: plan.year.startYear,
        input: stored,
        status: 'queued',
        runnerId: runner.id,
        total: studentIds.length,
      },
    });
    await recordAudit(tx, ctx, {
      action: 'bulk_step.start',
      recordType: 'bulk_step_job',
      recordId: id,
      after: { programmeId: plan.programmeId, academicYear: plan.year.label, students: studentIds.length },
    });
  });
  const queued = await findJob(ctx, id);
  runner.enqueue({ id, ctx: { db: ctx.db, actor: ctx.actor, ...(ctx.vault ? { vault: ctx.vault } : {}) }, prepared });
  return queued;
}

/** The job, for its own department's caseworkers; otherwise 404. */
export async function getBulkStepJob({ ctx, input: raw }: { ctx: ServiceContext; input: z.input<typeof GetBulkStepJobInput> }): Promise<BulkJobView> {
  const input = parseInput(GetBulkStepJobInput, raw);
  requirePermission(ctx.actor, 'eligibility.propose');
  // A holder gone while the service runs (another instance on PostgreSQL): said when the page is read.
  await interruptAbandonedBulkStepJobs(ctx.db, { id: input.id });
  return findJob(ctx, input.id);
}

async function findJob(ctx: ServiceContext, id: string): Promise<BulkJobView> {
  const row = await ctx.db.bulkStepJob.findFirst({ where: { id, organisationId: ctx.actor.organisationId }, omit: { input: true, results: true } });
  if (!row) throw new NotFoundError('bulk_step_job');
  // The results grow to thousands of students; a page under way, reloaded every two seconds, shows counts only.
  const ended = row.status !== 'queued' && row.status !== 'running';
  const results = ended ? (await ctx.db.bulkStepJob.findUniqueOrThrow({ where: { id }, select: { results: true } })).results : [];
  const programme = await ctx.db.programme.findUniqueOrThrow({ where: { id: row.programmeId }, select: { id: true, name: true } });
  return {
    id: row.id,
    status: row.status,
    programme,
    academicYear: formatAcademicYear(row.academicYear),
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    counts: { students: row.total, done: row.done, written: row.written, unchanged: row.unchanged, refused: row.refused },
    students: results as unknown as BulkStudentResult[],
    error: row.error as BulkJobView['error'],
  };
}

/**
 * Marks interrupted the queued and running jobs whose holder is gone: every one (`all`: at the start
 * of the only process an embedded database allows), or those whose heartbeat stopped
 * STALE_AFTER_SECONDS ago (of one job: `id`). Returns how many.
 */
export async function interruptAbandonedBulkStepJobs(db: PrismaClient, options: { all?: boolean; id?: string } = {}): Promise<number> {
  const stale = options.all ? {} : { heartbeatAt: { lt: new Date(Date.now() - STALE_AFTER_SECONDS * 1000) } };
  const { count } = await db.bulkStepJob.updateMany({
    where: { status: { in: ['queued', 'running'] }, ...stale, ...(options.id ? { id: options.id } : {}) },
    data: { status: 'interrupted', finishedAt: new Date() },
  });
  return count;
}
