// Reconciliation runs: every completed `npm run reconcile` is kept (append-only table
// `reconciliation_run`), with its reports byte for byte; auditors and foundations list runs and
// fetch their reports.
//
// Recording: a run (src/services/reconciliation.ts, which the command line calls) is recorded once
// its report is built. A run that could not run (bad file, no database: exit code 2) is never
// recorded. The run row is its own audit record (who, when, on which inputs, with what result and
// report hash); there is no audit_event, whose actor must be an application user and the command
// line has none.
//
// Who reads which runs (permission `reconciliation.read`: foundation viewers, auditors, admins):
// - admins, and auditors engaged on all programmes: every run;
// - a foundation, or an auditor engaged on listed programmes: a run only when EVERY programme the
//   run covers is one it sees — its own programmes' runs (`--programme`), and an all-programme run
//   only if all the programmes that existed when it ran are its own. A run covering any other
//   programme answers 404, as if it did not exist: its figures and exceptions would tell another
//   programme's story. A run that covered no programme at all (an empty database) is visible to
//   those who see every programme only. An auditor without a current engagement sees no run.
import { z } from 'zod';
import { PageInput, Uuid } from './fields.ts';
import { parseInput } from './validation.ts';
import { NotFoundError } from '../domain/errors.ts';
import { Prisma, type PrismaClient } from '#prisma';
import type { CheckName } from '../reconcile/check-types.ts';
import type { RenderedReports } from '../reconcile/report/index.ts';
import type { Actor, ServiceContext, Tx, UseCaseCall } from './context.ts';
import { type Page, newestFirst, pageOf } from './pagination.ts';
import { programmeScopeSql, requirePermission, seesAllProgrammes } from './scope.ts';

export type RunStatus = 'clean' | 'breaks';
export type ReportFormat = 'text' | 'json' | 'csv';

export const RunStatusEnum = z.enum(['clean', 'breaks']);
export const ReportFormatEnum = z.enum(['text', 'json', 'csv']);

export const ListReconciliationRunsInput = PageInput.extend({
  programmeId: Uuid.optional().meta({ description: 'Runs that cover this programme' }),
  status: RunStatusEnum.optional(),
});
export type ListReconciliationRunsInput = z.input<typeof ListReconciliationRunsInput>;

export const GetReconciliationRunInput = z.strictObject({ id: Uuid });
export const GetReconciliationRunReportInput = z.strictObject({ id: Uuid, format: ReportFormatEnum.default('json') });

export interface RecordRunInput {
  startedAt: Date;
  finishedAt: Date;
  operator: string;
  actorId?: string | null;
  /** The programme asked for, or null for all programmes. */
  programmeId: string | null;
  /** Every programme the report covers. */
  programmeIds: string[];
  databaseKind: 'embedded' | 'postgres';
  reports: RenderedReports;
}

export interface ReconciliationRunView {
  id: string;
  startedAt: string;
  finishedAt: string;
  operator: string;
  actorId: string | null;
  programme: { id: string; code: string } | null;
  programmeIds: string[];
  checks: CheckName[];
  inputs: { check: string; name: string; sha256: string; messageId: string | null; kind: string }[];
  status: RunStatus;
  summary: Record<string, { status: RunStatus; exceptions: number; byCode: Record<string, number> }>;
  rulesVersion: string;
  chainHead: { seq: string; hash: string } | null;
  databaseKind: string;
  reportSha256: string;
}

/** Writes the run; the table refuses any later change. Returns its id. */
export async function recordReconciliationRun(db: PrismaClient | Tx, input: RecordRunInput): Promise<{ id: string }> {
  const { report } = input.reports;
  const id = crypto.randomUUID();
  await db.reconciliationRun.create({
    data: {
      id,
      startedAt: input.startedAt,
      finishedAt: input.finishedAt,
      operator: input.operator,
      actorId: input.actorId ?? null,
      programmeId: input.programmeId,
      programmeIds: [...input.programmeIds].sort(),
      checks: report.checks,
      inputs: report.inputs.map((f) => ({ check: f.check, name: f.name, sha256: f.sha256, messageId: f.messageId, kind: f.kind })),
      status: report.status,
      summary: report.summary as Prisma.InputJsonValue,
      rulesVersion: report.rulesVersion,
      chainHeadSeq: report.chainHead ? BigInt(report.chainHead.seq) : null,
      chainHeadHash: report.chainHead?.hash ?? null,
      databaseKind: input.databaseKind,
      reportSha256: report.reportSha256,
      reportJson: input.reports.json,
      reportText: input.reports.text,
      reportCsv: input.reports.csv,
    },
  });
  return { id };
}

interface RunRow {
  id: string;
  started_at: Date;
  finished_at: Date;
  operator: string;
  actor_id: string | null;
  programme_id: string | null;
  programme_code: string | null;
  programme_ids: string[];
  checks: CheckName[];
  inputs: ReconciliationRunView['inputs'];
  status: RunStatus;
  summary: ReconciliationRunView['summary'];
  rules_version: string;
  chain_head_seq: bigint | null;
  chain_head_hash: string | null;
  database_kind: string;
  report_sha256: string;
}

function view(r: RunRow): ReconciliationRunView {
  return {
    id: r.id,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at.toISOString(),
    operator: r.operator,
    actorId: r.actor_id,
    programme: r.programme_id && r.programme_code ? { id: r.programme_id, code: r.programme_code } : null,
    programmeIds: r.programme_ids,
    checks: r.checks,
    inputs: r.inputs,
    status: r.status,
    summary: r.summary,
    rulesVersion: r.rules_version,
    chainHead: r.chain_head_seq !== null && r.chain_head_hash !== null ? { seq: r.chain_head_seq.toString(), hash: r.chain_head_hash } : null,
    databaseKind: r.database_kind,
    reportSha256: r.report_sha256,
  };
}

/**
 * Whether the actor may read a run covering `programmeIds` (an SQL uuid[]), as a condition (see the
 * header); a reconciliation job (src/services/reconciliation-jobs.ts) is read by the same rule.
 */
export function coverageScopeSql(actor: Actor, programmeIds: Prisma.Sql): Prisma.Sql {
  if (seesAllProgrammes(actor)) return Prisma.sql`TRUE`;
  return Prisma.sql`(cardinality(${programmeIds}) > 0 AND NOT EXISTS (
    SELECT 1 FROM unnest(${programmeIds}) AS c(id) LEFT JOIN "programme" p ON p."id" = c.id
    WHERE p."id" IS NULL OR NOT ${programmeScopeSql(actor)}))`;
}

/** The runs the actor may read, as a condition on `reconciliation_run r` (see the header). */
function runScopeSql(ctx: ServiceContext): Prisma.Sql {
  return coverageScopeSql(ctx.actor, Prisma.sql`r."programme_ids"`);
}

/**
 * Whether the actor could read a run covering these programmes, by the rule of the list: so that
 * nobody starts a run whose report they may not read (src/services/reconciliation.ts).
 */
export async function mayReadRunCovering(db: PrismaClient | Tx, actor: Actor, programmeIds: string[]): Promise<boolean> {
  if (seesAllProgrammes(actor)) return true;
  const [row] = await db.$queryRaw<{ ok: boolean }[]>`SELECT ${coverageScopeSql(actor, Prisma.sql`${programmeIds}::uuid[]`)} AS ok`;
  return row?.ok === true;
}

const COLUMNS = Prisma.sql`r."id"::text AS id, r."started_at", r."finished_at", r."operator", r."actor_id"::text AS actor_id,
  r."programme_id"::text AS programme_id, pr."code" AS programme_code, r."programme_ids"::text[] AS programme_ids, r."checks",
  r."inputs", r."status"::text AS status, r."summary", r."rules_version", r."chain_head_seq", r."chain_head_hash",
  r."database_kind", r."report_sha256"`;

/** Newest first, by start time then id; filters: runs covering a programme, by result. */
export async function listReconciliationRuns({ ctx, input: raw }: UseCaseCall<ListReconciliationRunsInput>): Promise<Page<ReconciliationRunView>> {
  const input = parseInput(ListReconciliationRunsInput, raw);
  requirePermission(ctx.actor, 'reconciliation.read');
  const { from, limit } = newestFirst('startedAt', 'moment', input);
  const rows = await ctx.db.$queryRaw<RunRow[]>`
    SELECT ${COLUMNS}
    FROM "reconciliation_run" r LEFT JOIN "programme" pr ON pr."id" = r."programme_id"
    WHERE ${runScopeSql(ctx)}
      AND (${input.programmeId ?? null}::uuid IS NULL OR ${input.programmeId ?? null}::uuid = ANY(r."programme_ids"))
      AND (${input.status ?? null}::text IS NULL OR r."status"::text = ${input.status ?? null}::text)
      AND (${from?.at ?? null}::timestamptz IS NULL OR (r."started_at", r."id") < (${from?.at ?? null}::timestamptz, ${from?.id ?? null}::uuid))
    ORDER BY r."started_at" DESC, r."id" DESC
    LIMIT ${limit + 1}`;
  return pageOf(rows.map(view), limit, (r) => ({ startedAt: r.startedAt, id: r.id }));
}

async function findRun(ctx: ServiceContext, id: string): Promise<RunRow> {
  requirePermission(ctx.actor, 'reconciliation.read');
  const [row] = await ctx.db.$queryRaw<RunRow[]>`
    SELECT ${COLUMNS}
    FROM "reconciliation_run" r LEFT JOIN "programme" pr ON pr."id" = r."programme_id"
    WHERE r."id" = ${id}::uuid AND ${runScopeSql(ctx)}`;
  if (!row) throw new NotFoundError('reconciliation_run');
  return row;
}

export async function getReconciliationRun({ ctx, input: raw }: UseCaseCall<z.input<typeof GetReconciliationRunInput>>): Promise<ReconciliationRunView> {
  const input = parseInput(GetReconciliationRunInput, raw);
  return view(await findRun(ctx, input.id));
}

export interface RunReport {
  body: string;
  contentType: string;
  fileName: string;
  reportSha256: string;
}

const FORMATS: Record<ReportFormat, { column: 'reportText' | 'reportJson' | 'reportCsv'; contentType: string; extension: string }> = {
  text: { column: 'reportText', contentType: 'text/plain; charset=utf-8', extension: 'txt' },
  json: { column: 'reportJson', contentType: 'application/json; charset=utf-8', extension: 'json' },
  csv: { column: 'reportCsv', contentType: 'text/csv; charset=utf-8', extension: 'csv' },
};

/** The report exactly as the run wrote it (the CSV with its byte-order mark). */
export async function getReconciliationRunReport({ ctx, input: raw }: UseCaseCall<z.input<typeof GetReconciliationRunReportInput>>): Promise<RunReport> {
  const input = parseInput(GetReconciliationRunReportInput, raw);
  const run = await findRun(ctx, input.id);
  const format = FORMATS[input.format];
  const stored = await ctx.db.reconciliationRun.findUniqueOrThrow({
    where: { id: run.id },
    select: { [format.column]: true } as Record<typeof format.column, true>,
  });
  let body = (stored as Record<string, string>)[format.column] as string;
  // The CSV is written with a byte-order mark and stored with it, but the embedded driver (PGlite)
  // drops a leading U+FEFF when it decodes text: put it back, so the answer is the file as written.
  if (input.format === 'csv' && !body.startsWith('\uFEFF')) body = `\uFEFF${body}`;
  return {
    body,
    contentType: format.contentType,
    fileName: `reconciliation-${run.id}.${format.extension}`,
    reportSha256: run.report_sha256,
  };
}
