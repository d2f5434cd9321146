// The process's runner of reconciliation jobs (src/services/reconciliation-jobs.ts): it takes the
// jobs this process claimed, one at a time in the order claimed, runs each with runReconciliation,
// and writes its progress and outcome to the job's row.
//
// Why in the service's own event loop, as a queue of awaited runs, and not in a worker thread:
// the checks wait on the database almost all the time, and read their files in 64 KiB chunks with
// an await between chunks (src/reconcile/sources.ts), so other requests are served between them;
// a worker thread would need its own database connection, which the embedded database cannot give
// (PGlite is one in-process engine that owns its folder, and runs one transaction at a time
// whichever thread asks), and the uploads would be copied across to it. One job at a time: on two
// cores a second run would only slow the first and every request, and it bounds what is held in
// memory to one job's reading; a job for another programme waits as `queued`. What other requests
// see meanwhile on the embedded database is measured by `npm run bench:reconcile-jobs` (README).
//
// Progress is written at most once a second (and at each new step), never awaited by the check;
// the runner renews the heartbeat of every job it holds while it holds any, so that other
// processes do not take them for abandoned.
import { CheckCouldNotRun, type Progress } from '../reconcile/check-types.ts';
import type { DatabaseKind } from '../reconcile/report/index.ts';
import type { PrismaClient } from '#prisma';
import { render } from '../domain/error-catalogue.ts';
import { DomainError } from '../domain/errors.ts';
import type { ServiceContext } from './context.ts';
import { SerialJobQueue } from './serial-job-queue.ts';
import { HEARTBEAT_SECONDS, type JobError, type JobProgress } from './reconciliation-jobs.ts';
import { type ParsedRunReconciliationInput, runReconciliation } from './reconciliation.ts';

export interface QueuedJob {
  id: string;
  /** The requesting actor's context, without a transaction. */
  ctx: ServiceContext;
  input: ParsedRunReconciliationInput;
}

export interface JobRunnerOptions {
  db: PrismaClient;
  /** Which kind of database the reports state they read. */
  database: DatabaseKind;
  /** A failure nobody foresaw (the job answers internal_error): for the log, with the job's id. */
  onUnexpectedError?: (error: unknown, jobId: string) => void;
  /** How the runner is set going after a job is queued; default: on the next turn of the event loop. */
  schedule?: (start: () => void) => void;
}

const PROGRESS_INTERVAL_MS = 1000;

export class ReconciliationJobRunner {
  /** This process, as the jobs it holds name it (`runner_id`). */
  readonly id = crypto.randomUUID();
  private readonly queue: SerialJobQueue<QueuedJob>;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private stopped = false;

  constructor(private readonly options: JobRunnerOptions) {
    this.queue = new SerialJobQueue({
      run: (job) => this.run(job),
      afterDrain: () => this.quiet(),
      ...(options.schedule ? { schedule: options.schedule } : {}),
    });
  }

  /**
   * Whether other processes may hold jobs in the same database (PostgreSQL): only then can a job's
   * stopped heartbeat mean its holder is gone while this process runs. The embedded database has
   * one process, whose heartbeat writes wait while a run's snapshot is open.
   */
  get databaseShared(): boolean {
    return this.options.database === 'postgres';
  }

  /** Takes a job this process claimed (status queued); it runs after those queued before it. */
  enqueue(job: QueuedJob): void {
    if (this.stopped) {
      this.options.db.reconciliationJob
        .updateMany({ where: { id: job.id, status: 'queued' }, data: { status: 'interrupted', finishedAt: new Date() } })
        .catch(() => {});
      return;
    }
    this.queue.push(job);
    this.beat();
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /**
   * Takes no more jobs and marks the ones it holds interrupted (the process is ending): callers see
   * at once that they must start again, and the programmes are free.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.stop();
    this.quiet();
    await this.options.db.$executeRaw`
      UPDATE "reconciliation_job" SET "status" = 'interrupted', "finished_at" = now()
      WHERE "runner_id" = ${this.id}::uuid AND "status" IN ('queued', 'running')`;
  }

  private async run(job: QueuedJob): Promise<void> {
    const { db, database } = this.options;
    const started = await db.reconciliationJob.updateMany({ where: { id: job.id, status: 'queued' }, data: { status: 'running', startedAt: new Date() } });
    // Interrupted meanwhile (the process stalled past the heartbeat): another request may hold the programme now.
    if (started.count === 0) return;
    const progress = progressWriter((value) => db.reconciliationJob.updateMany({ where: { id: job.id, status: 'running' }, data: { progress: { ...value } } }));
    let outcome: { status: 'finished'; runId: string } | { status: 'failed'; error: JobError };
    try {
      const result = await runReconciliation({ ctx: job.ctx, input: job.input, database, progress });
      outcome = { status: 'finished', runId: result.id };
    } catch (error) {
      outcome = { status: 'failed', error: this.jobError(error, job.id) };
    }
    await progress.flush();
    const { status } = outcome;
    const data = status === 'finished' ? { status, runId: outcome.runId } : { status, error: { ...outcome.error } };
    await db.reconciliationJob.updateMany({ where: { id: job.id, status: 'running' }, data: { ...data, finishedAt: new Date() } });
  }

  private jobError(error: unknown, jobId: string): JobError {
    if (error instanceof CheckCouldNotRun) {
      const where = { file: error.where.file ?? null, line: error.where.line ?? null };
      const { en, zh } = render('reconciliation_could_not_run', { reason: error.message, where });
      return { code: 'reconciliation_could_not_run', message: en, messageZh: zh, where };
    }
    if (error instanceof DomainError) return { code: error.code, message: error.message, messageZh: error.messageZh, where: null };
    this.options.onUnexpectedError?.(error, jobId);
    const { en, zh } = render('internal_error');
    return { code: 'internal_error', message: en, messageZh: zh, where: null };
  }

  /** Renews the heartbeat of every job this runner holds, every HEARTBEAT_SECONDS, while it holds any. */
  private beat(): void {
    if (this.heartbeat) return;
    let writing = false;
    this.heartbeat = setInterval(() => {
      if (writing) return;
      writing = true;
      this.options.db.$executeRaw`
        UPDATE "reconciliation_job" SET "heartbeat_at" = now()
        WHERE "runner_id" = ${this.id}::uuid AND "status" IN ('queued', 'running')`
        .catch(() => {})
        .finally(() => {
          writing = false;
        });
    }, HEARTBEAT_SECONDS * 1000);
    this.heartbeat.unref?.();
  }

  private quiet(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}

/**
 * A Progress that writes the step under way through `write`: at each new step and at most once a
 * second between, one write at a time, the newest state winning. The check never waits for it;
 * `flush` waits for the last write (and a failed write is only a stale progress, never a failed run).
 */
function progressWriter(write: (value: JobProgress) => Promise<unknown>): Progress & { flush(): Promise<void> } {
  let current: JobProgress | null = null;
  let writing: Promise<void> = Promise.resolve();
  let waiting = false;
  let last = 0;
  const push = (now: boolean) => {
    if (waiting || current === null || (!now && Date.now() - last < PROGRESS_INTERVAL_MS)) return;
    waiting = true;
    writing = writing
      .then(() => {
        waiting = false;
        last = Date.now();
        return write(current as JobProgress);
      })
      .then(
        () => {},
        () => {},
      );
  };
  return {
    start(label, total) {
      current = { phase: label, done: 0, total };
      push(true);
    },
    tick(count = 1) {
      if (current) current = { ...current, done: current.done + count };
      push(false);
    },
    stop() {
      push(true);
    },
    flush: () => writing,
  };
}
