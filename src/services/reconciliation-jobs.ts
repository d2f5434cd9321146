// Reconciliations started through the API while the service runs (POST /api/v1/reconciliation-runs):
// each request becomes a job (table `reconciliation_job`) that the process's runner
// (src/services/reconciliation-job-runner.ts) carries out with runReconciliation, as the command
// line does, while the caller follows it (GET /api/v1/reconciliation-jobs/{id}): queued → running →
// finished (naming the run it recorded, whose reports are at the run's report endpoints) or failed
// (naming the catalogue error), or interrupted when the process that held it ended first.
//
// One at a time: a job is claimed by inserting its row, and a partial unique index refuses a second
// queued or running job for the same programme (or a second one over all programmes), whichever
// process or instance asks: 409 reconciliation_already_running naming the job that holds it.
//
// Who: starting one needs `reconciliation.run`, and is refused at once as the run itself would
// refuse it (a programme outside the actor's scope 404, all programmes without seeing every one 403);
// reading one follows the rule of the list of runs (`reconciliation.read`, and every programme the
// job covers must be one the actor sees; otherwise 404).
//
// Abandoned jobs: the process holding jobs renews their heartbeat; a job whose heartbeat stopped for
// STALE_AFTER_SECONDS is marked interrupted — at service start (on the embedded database, every job
// left queued or running: no other process can hold one), and on PostgreSQL before a new job is
// claimed for its programme, so a crashed instance never blocks a programme for good.
//
// The uploaded files live in memory in the runner for the job's life only; the table keeps their
// base names and sizes, as the run keeps their hashes.
import { z } from 'zod';
import { isUniqueViolation } from '../db/errors.ts';
import type { ErrorCode } from '../domain/error-catalogue.ts';
import { ConflictError, NotFoundError, TransientConflictError } from '../domain/errors.ts';
import { Prisma, type PrismaClient } from '#prisma';
import type { CheckName } from '../reconcile/check-types.ts';
import { baseName } from '../reconcile/sources.ts';
import { recordAudit } from './audit.ts';
import { type ServiceContext, inTransaction } from './context.ts';
import { Uuid } from './fields.ts';
import type { ReconciliationJobRunner } from './reconciliation-job-runner.ts';
import { type ParsedRunReconciliationInput, RunReconciliationInput, reconciliationCoverage } from './reconciliation.ts';
import { type RunStatus, coverageScopeSql } from './reconciliation-runs.ts';
import { requirePermission } from './scope.ts';
import { parseInput } from './validation.ts';

export type JobStatus = 'queued' | 'running' | 'finished' | 'failed' | 'interrupted';
export const JOB_STATUSES = ['queued', 'running', 'finished', 'failed', 'interrupted'] as const satisfies readonly JobStatus[];

/** How often the holding process renews its jobs' heartbeat. */
export const HEARTBEAT_SECONDS = 10;
/** A queued or running job whose heartbeat is older than this was left by a process that ended. */
export const STALE_AFTER_SECONDS = 60;

/** The step under way, as the check reports it (src/reconcile/check-types.ts Progress): e.g. `账本 ledger`, 120 of 1148. */
export interface JobProgress {
  phase: string;
  done: number;
  /** Null when the check does not know it (a remittance list is read to its end). */
  total: number | null;
}

/** Why a job failed: a catalogue code with its messages; `where` for a file that could not be read. */
export interface JobError {
  code: ErrorCode;
  message: string;
  messageZh: string;
  where: { file: string | null; line: number | null } | null;
}

export interface JobInputFile {
  check: CheckName;
  /** The upload's base name. */
  name: string;
  bytes: number;
}

export interface ReconciliationJobView {
  id: string;
  status: JobStatus;
  programme: { id: string; code: string } | null;
  programmeIds: string[];
  checks: CheckName[];
  inputs: JobInputFile[];
  operator: string;
  requestedById: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: JobProgress | null;
  /** The run recorded, once finished: GET /reconciliation-runs/{runId}[/report]. */
  runId: string | null;
  /** The run's result: clean (the command line's exit code 0) or breaks (1). */
  result: RunStatus | null;
  error: JobError | null;
}

/** What a caller hands over: the run's input, but the operator is the signed-in user, and a mapping is named by preset. */
export type StartReconciliationJobInput = Omit<z.input<typeof RunReconciliationInput>, 'operator' | 'mapping'>;

export const GetReconciliationJobInput = z.strictObject({ id: Uuid });

const ACTIVE = Prisma.sql`('queued', 'running')`;

/**
 * Claims a job for the input and hands it to the runner; answers the job as queued. Refused before
 * anything is written when the input, the role or the scope would refuse the run.
 */
export async function startReconciliationJob({
  ctx,
  input: raw,
  runner,
}: {
  ctx: ServiceContext;
  input: StartReconciliationJobInput;
  runner: ReconciliationJobRunner;
}): Promise<ReconciliationJobView> {
  requirePermission(ctx.actor, 'reconciliation.run');
  const user = await ctx.db.appUser.findUniqueOrThrow({ where: { id: ctx.actor.userId }, select: { displayName: true } });
  const input = parseInput(RunReconciliationInput, { ...raw, operator: user.displayName });
  const { programmeIds } = await reconciliationCoverage(ctx, input);
  const programmeId = input.programmeId ?? null;
  const inputs = await inputFiles(input);
  const id = crypto.randomUUID();
  const data = { id, programmeId, programmeIds, checks: input.checks, inputs: inputs as unknown as Prisma.InputJsonValue, operator: input.operator };
  for (let attempt = 1; ; attempt++) {
    if (runner.databaseShared) await interruptAbandonedJobs(ctx.db, { programmeId });
    try {
      await inTransaction(ctx, async (tx) => {
        await tx.reconciliationJob.create({ data: { ...data, status: 'queued', requestedById: ctx.actor.userId, runnerId: runner.id } });
        await recordAudit(tx, ctx, {
          action: 'reconciliation.start',
          recordType: 'reconciliation_job',
          recordId: id,
          after: { programmeId, checks: input.checks, inputs },
        });
      });
      break;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const [holder] = await ctx.db.$queryRaw<{ id: string }[]>`
        SELECT "id"::text AS id FROM "reconciliation_job"
        WHERE "programme_id" IS NOT DISTINCT FROM ${programmeId}::uuid AND "status" IN ${ACTIVE}`;
      if (holder) throw new ConflictError('reconciliation_already_running', { runningJobId: holder.id });
      // The holder ended between the refusal and the look: claim again, once.
      if (attempt > 1) throw new TransientConflictError();
    }
  }
  // Read before the runner may take it: the answer shows the job as claimed, queued.
  const queued = view(await findJob(ctx.db, id, Prisma.sql`TRUE`));
  runner.enqueue({ id, ctx: { db: ctx.db, actor: ctx.actor, ...(ctx.vault ? { vault: ctx.vault } : {}) }, input });
  return queued;
}

/** The job, if the actor may read the runs it covers; otherwise 404. */
export async function getReconciliationJob({
  ctx,
  input: raw,
}: {
  ctx: ServiceContext;
  input: z.input<typeof GetReconciliationJobInput>;
}): Promise<ReconciliationJobView> {
  const input = parseInput(GetReconciliationJobInput, raw);
  requirePermission(ctx.actor, 'reconciliation.read');
  return view(await findJob(ctx.db, input.id, coverageScopeSql(ctx.actor, Prisma.sql`j."programme_ids"`)));
}

/**
 * Marks interrupted the queued and running jobs whose holder is gone: every one (`all`: at the
 * start of the only process an embedded database allows), or those whose heartbeat stopped
 * STALE_AFTER_SECONDS ago, of one programme (`programmeId`, null: the all-programmes job) or of any.
 * Returns how many.
 */
export async function interruptAbandonedJobs(db: PrismaClient, options: { all?: boolean; programmeId?: string | null } = {}): Promise<number> {
  const stale = options.all ? Prisma.sql`TRUE` : Prisma.sql`"heartbeat_at" < now() - make_interval(secs => ${STALE_AFTER_SECONDS})`;
  const scope = options.programmeId === undefined ? Prisma.sql`TRUE` : Prisma.sql`"programme_id" IS NOT DISTINCT FROM ${options.programmeId}::uuid`;
  return db.$executeRaw`
    UPDATE "reconciliation_job" SET "status" = 'interrupted', "finished_at" = now()
    WHERE "status" IN ${ACTIVE} AND ${stale} AND ${scope}`;
}

async function inputFiles(input: ParsedRunReconciliationInput): Promise<JobInputFile[]> {
  const files = [
    ...input.statements.map((source) => ({ check: 'bank' as const, source })),
    ...(input.remittances ? [{ check: 'funding' as const, source: input.remittances }] : []),
  ];
  return Promise.all(files.map(async ({ check, source }) => ({ check, name: baseName(source.name), bytes: await source.size() })));
}

interface JobRow {
  id: string;
  status: JobStatus;
  programme_id: string | null;
  programme_code: string | null;
  programme_ids: string[];
  checks: CheckName[];
  inputs: JobInputFile[];
  operator: string;
  requested_by_id: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  progress: JobProgress | null;
  run_id: string | null;
  result: RunStatus | null;
  error: JobError | null;
}

async function findJob(db: PrismaClient, id: string, scope: Prisma.Sql): Promise<JobRow> {
  const [row] = await db.$queryRaw<JobRow[]>`
    SELECT j."id"::text AS id, j."status"::text AS status, j."programme_id"::text AS programme_id, pr."code" AS programme_code,
      j."programme_ids"::text[] AS programme_ids, j."checks", j."inputs", j."operator", j."requested_by_id"::text AS requested_by_id,
      j."created_at", j."started_at", j."finished_at", j."progress", j."run_id"::text AS run_id, r."status"::text AS result, j."error"
    FROM "reconciliation_job" j
      LEFT JOIN "programme" pr ON pr."id" = j."programme_id"
      LEFT JOIN "reconciliation_run" r ON r."id" = j."run_id"
    WHERE j."id" = ${id}::uuid AND ${scope}`;
  if (!row) throw new NotFoundError('reconciliation_job');
  return row;
}

function view(r: JobRow): ReconciliationJobView {
  return {
    id: r.id,
    status: r.status,
    programme: r.programme_id && r.programme_code ? { id: r.programme_id, code: r.programme_code } : null,
    programmeIds: r.programme_ids,
    checks: r.checks,
    inputs: r.inputs,
    operator: r.operator,
    requestedById: r.requested_by_id,
    createdAt: r.created_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
    progress: r.progress,
    runId: r.run_id,
    result: r.result,
    error: r.error,
  };
}
