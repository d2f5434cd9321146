// The process's runner of bulk step jobs (src/services/bulk-step-jobs.ts): it takes the jobs this
// process recorded, one at a time in the order recorded, and steps their students one by one with
// the step's own per-student transaction (src/services/bulk-step.ts stepStudents), writing the
// progress and the results so far every PROGRESS_EVERY students.
//
// In the service's own event loop, as the reconciliation runner is, and for the same reasons: the
// step waits on the database almost all the time, so other requests are served between students,
// and the embedded database is one in-process engine that a worker thread could not share. One job
// at a time per process: a second job waits as `queued`; on two cores two at once would only slow
// both and every page. Each student is a transaction of its own, so a job cut short keeps the
// students it did, and the same selection run again reports them as unchanged.
import type { PrismaClient } from '#prisma';
import { render } from '../domain/error-catalogue.ts';
import { DomainError } from '../domain/errors.ts';
import type { BulkStudentResult, PreparedBulkStep } from './bulk-step.ts';
import { stepStudents } from './bulk-step.ts';
import type { ServiceContext } from './context.ts';
import { SerialJobQueue } from './serial-job-queue.ts';

export interface QueuedBulkJob {
  id: string;
  /** The requesting caseworker's context, without a transaction. */
  ctx: ServiceContext;
  prepared: PreparedBulkStep;
}

export interface BulkJobRunnerOptions {
  db: PrismaClient;
  /** A failure nobody foresaw (the job answers internal_error): for the log, with the job's id. */
  onUnexpectedError?: (error: unknown, jobId: string) => void;
  /** How the runner is set going after a job is queued; default: on the next turn of the event loop. */
  schedule?: (start: () => void) => void;
  /** Students between two progress writes; default PROGRESS_EVERY. */
  progressEvery?: number;
}

/** About a second of work on the embedded database (some 40 ms a student). */
export const PROGRESS_EVERY = 25;

/**
 * Lets the event loop go round between two students. The embedded database answers in-process, so
 * a student's queries can resolve without ever leaving the microtask queue; without this turn no
 * request (the job's own progress page included) would be served until the whole job had ended.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The job's row no longer running (interrupted meanwhile): stop stepping its students. */
class NoLongerRunning extends Error {}

export class BulkJobRunner {
  /** This process, as the jobs it holds name it (`runner_id`). */
  readonly id = crypto.randomUUID();
  private readonly queue: SerialJobQueue<QueuedBulkJob>;
  private stopped = false;

  constructor(private readonly options: BulkJobRunnerOptions) {
    this.queue = new SerialJobQueue({ run: (job) => this.run(job), ...(options.schedule ? { schedule: options.schedule } : {}) });
  }

  /** Takes a job this process recorded (status queued); it runs after those queued before it. */
  enqueue(job: QueuedBulkJob): void {
    if (this.stopped) {
      this.options.db.bulkStepJob
        .updateMany({ where: { id: job.id, status: 'queued' }, data: { status: 'interrupted', finishedAt: new Date() } })
        .catch(() => {});
      return;
    }
    this.queue.push(job);
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Takes no more jobs and marks the ones it holds interrupted (the process is ending). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.stop();
    await this.options.db.bulkStepJob.updateMany({
      where: { runnerId: this.id, status: { in: ['queued', 'running'] } },
      data: { status: 'interrupted', finishedAt: new Date() },
    });
  }

  private async run(job: QueuedBulkJob): Promise<void> {
    const { db } = this.options;
    const started = await db.bulkStepJob.updateMany({ where: { id: job.id, status: 'queued' }, data: { status: 'running', startedAt: new Date() } });
    if (started.count === 0) return;
    const every = this.options.progressEvery ?? PROGRESS_EVERY;
    let pending: BulkStudentResult[] = [];
    const flush = async () => {
      const chunk = pending;
      pending = [];
      await this.writeProgress(job.id, chunk);
    };
    try {
      await stepStudents(job.ctx, job.prepared, async (result) => {
        pending.push(result);
        if (pending.length >= every) await flush();
        await nextTurn();
      });
      await flush();
      await db.bulkStepJob.updateMany({ where: { id: job.id, status: 'running' }, data: { status: 'finished', finishedAt: new Date() } });
    } catch (error) {
      if (error instanceof NoLongerRunning) return;
      // The students done before the failure stay done: their results are kept with the error.
      await flush().catch(() => {});
      await db.bulkStepJob.updateMany({
        where: { id: job.id, status: 'running' },
        data: { status: 'failed', error: this.jobError(error, job.id), finishedAt: new Date() },
      });
    }
  }

  /**
   * Adds the students just done to the job's counts and results, and renews the heartbeat of every
   * job this runner holds; throws NoLongerRunning when the job was interrupted meanwhile.
   */
  private async writeProgress(jobId: string, chunk: BulkStudentResult[]): Promise<void> {
    const { db } = this.options;
    const count = (o: BulkStudentResult['outcome']) => chunk.filter((s) => s.outcome === o).length;
    const updated = await db.$executeRaw`
      UPDATE "bulk_step_job" SET "done" = "done" + ${chunk.length}, "written" = "written" + ${count('written')},
        "unchanged" = "unchanged" + ${count('unchanged')}, "refused" = "refused" + ${count('refused')},
        "results" = "results" || ${JSON.stringify(chunk)}::jsonb
      WHERE "id" = ${jobId}::uuid AND "status" = 'running'`;
    await db.$executeRaw`
      UPDATE "bulk_step_job" SET "heartbeat_at" = now() WHERE "runner_id" = ${this.id}::uuid AND "status" IN ('queued', 'running')`;
    if (updated === 0) throw new NoLongerRunning();
  }

  private jobError(error: unknown, jobId: string): { code: string; messageZh: string } {
    if (error instanceof DomainError) return { code: error.code, messageZh: error.messageZh };
    this.options.onUnexpectedError?.(error, jobId);
    return { code: 'internal_error', messageZh: render('internal_error').zh };
  }
}
