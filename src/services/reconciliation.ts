// Running a reconciliation (DESIGN.md §3): the checks named, over one programme or all, on bank
// statements and a remittance list handed in as ByteSources (src/reconcile/sources.ts: files from
// the command line, uploads from the pages and the API); then the three reports, and the run
// recorded (src/services/reconciliation-runs.ts). Never changes money.
//
// Who: permission `reconciliation.run` (auditors, admins), and only a run the actor could read
// afterwards, by the rule of the list of runs: a programme outside the actor's scope answers 404;
// a run over all programmes by an actor who does not see every one of them is refused (403):
// name the programme.
//
// One consistent view: the checks that read only the database run in one read-only,
// repeatable-read transaction, whose newest ledger transaction the report states as its chain
// head; the bank and funding checks, which may open transactions of their own, read the client
// after it. A check that cannot run (a file that is not a statement, a programme that cannot be
// chosen) throws CheckCouldNotRun, naming the file and line in `where`; nothing is recorded then.
import { z } from 'zod';
import { CSV_PRESET_NAMES, type CsvMapping, csvPreset } from '../bank/statement-csv/index.ts';
import { NotFoundError, ForbiddenError } from '../domain/errors.ts';
import type { CheckName, CheckResult, Progress } from '../reconcile/check-types.ts';
import { CHECK_ORDER, DEFAULT_CHECKS, type CheckInputs, checkEntry } from '../reconcile/checks/index.ts';
import { silentProgress } from '../reconcile/checks/support.ts';
import { type DatabaseKind, type RenderedReports, renderReports } from '../reconcile/report/index.ts';
import { RULES_VERSION } from '../reconcile/rules-version.ts';
import { type ByteSource, isByteSource } from '../reconcile/sources.ts';
import type { Actor, ServiceContext, Tx, UseCaseCall } from './context.ts';
import { Name, Uuid } from './fields.ts';
import { mayReadRunCovering, recordReconciliationRun } from './reconciliation-runs.ts';
import { programmeScope, requirePermission } from './scope.ts';
import { parseInput } from './validation.ts';
import { reportOperation } from '../telemetry/operations.ts';

const rank = (check: CheckName): number => CHECK_ORDER.indexOf(check);

const CheckNameEnum = z.enum(CHECK_ORDER as unknown as [CheckName, ...CheckName[]], { message: `must be one of ${CHECK_ORDER.join(', ')}` });

/** A file's name and bytes, however they arrived (a file on disk, an upload). */
const Source = z.custom<ByteSource>(isByteSource, { message: 'must be a file (a name and its bytes)' });

/** A CSV mapping already loaded (csvPreset, or a config file read by src/reconcile/node/load-mapping.ts). */
const Mapping = z.custom<CsvMapping>(
  (value) =>
    typeof value === 'object' && value !== null && typeof (value as CsvMapping).name === 'string' && (value as CsvMapping).referencePattern instanceof RegExp,
  { message: 'must be a loaded CSV mapping' },
);

export const RunReconciliationInput = z
  .strictObject({
    /** Run in report order, each once; absent: ledger, rules, figures. */
    checks: z
      .array(CheckNameEnum)
      .min(1, 'name at least one check')
      .default([...DEFAULT_CHECKS])
      .transform((checks) => [...new Set(checks)].sort((a, b) => rank(a) - rank(b))),
    /** One programme; absent: every programme. */
    programmeId: Uuid.optional(),
    /** bank: camt.053 statements or bank CSV exports, in any mix. */
    statements: z.array(Source).default([]),
    /** bank: how to read a bank CSV export; absent: the generic-cn preset. */
    mapping: Mapping.optional(),
    /** bank: a preset's name instead of a mapping (what an upload form can send). */
    csvPreset: z.enum(CSV_PRESET_NAMES as [string, ...string[]], { message: `must be one of ${CSV_PRESET_NAMES.join(', ')}` }).optional(),
    /** bank: the account a bank CSV naming none is about (default: the programme's payout account, said in the report). */
    account: z
      .string()
      .trim()
      .regex(/^[0-9][0-9 -]{5,38}[0-9]$/, 'must be an account number (digits, spaces and hyphens allowed)')
      .optional(),
    /** funding: the foundation's remittance list. */
    remittances: Source.optional(),
    /** Who ran it, as recorded with the run. */
    operator: Name,
  })
  .superRefine((input, ctx) => {
    const asked = (check: CheckName) => input.checks.includes(check);
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    for (const [i, check] of input.checks.entries()) if (!checkEntry(check)) problem(['checks', i], `the ${check} check is not available in this build`);
    if (asked('bank') && input.statements.length === 0) problem(['statements'], 'the bank check needs at least one statement (camt.053 or a bank CSV export)');
    if (!asked('bank') && input.statements.length > 0) problem(['statements'], 'statements are read by the bank check: name it among the checks');
    if (!asked('bank') && input.mapping !== undefined) problem(['mapping'], 'the mapping is read by the bank check: name it among the checks');
    if (!asked('bank') && input.csvPreset !== undefined) problem(['csvPreset'], 'the CSV preset is read by the bank check: name it among the checks');
    if (!asked('bank') && input.account !== undefined) problem(['account'], 'the account is read by the bank check: name it among the checks');
    if (input.mapping !== undefined && input.csvPreset !== undefined) problem(['csvPreset'], 'give a CSV preset or a mapping, not both');
    if (asked('funding') && input.remittances === undefined) problem(['remittances'], "the funding check needs the foundation's remittance list");
    if (!asked('funding') && input.remittances !== undefined)
      problem(['remittances'], 'the remittance list is read by the funding check: name it among the checks');
  });
export type RunReconciliationInput = z.input<typeof RunReconciliationInput>;
/** The input as the schema reads it: checks in report order, defaults filled. */
export type ParsedRunReconciliationInput = z.output<typeof RunReconciliationInput>;

export interface ReconciliationRunResult {
  /** The recorded run. */
  id: string;
  /** clean: no check found an exception (the command line's exit code 0); breaks: some did (1). */
  status: 'clean' | 'breaks';
  reports: RenderedReports;
}

/** The command line's actor (scripts/lib/command-line-actor.ts) is no application user: its runs name none. */
const COMMAND_LINE_USER = '00000000-0000-0000-0000-000000000000';

export async function runReconciliation({
  ctx,
  input: raw,
  database,
  progress = silentProgress,
}: UseCaseCall<RunReconciliationInput> & {
  /** Which kind of database the report states it read. */
  database: DatabaseKind;
  /** Long checks report progress to it (a progress bar on a terminal); default: nothing. */
  progress?: Progress;
}): Promise<ReconciliationRunResult> {
  const input = parseInput(RunReconciliationInput, raw);
  requirePermission(ctx.actor, 'reconciliation.run');
  const programme = await programmeInScope(ctx, input.programmeId);
  const mapping = input.mapping ?? (input.csvPreset !== undefined ? csvPreset(input.csvPreset) : undefined);
  const inputs: CheckInputs = {
    progress,
    ...(ctx.vault ? { vault: ctx.vault } : {}),
    statements: input.statements,
    ...(programme ? { programmeId: programme.id } : {}),
    ...(mapping ? { mapping } : {}),
    ...(input.account !== undefined ? { account: input.account } : {}),
    ...(input.remittances ? { remittances: input.remittances } : {}),
  };

  const startedAt = new Date();
  const results: CheckResult[] = [];
  const snapshot = await ctx.db.$transaction(
    async (tx) => {
      // Stated here as well as in the options: the embedded driver ignores Prisma's isolationLevel.
      // Read only: the database itself refuses any write by a check — reconciliation never changes money.
      await tx.$executeRawUnsafe('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const newest = await tx.ledgerTransaction.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
      const head = newest ? { seq: newest.seq.toString(), hash: newest.hash } : null;
      const programmeIds = await coveredProgrammes(tx, ctx.actor, programme);
      for (const name of input.checks) {
        const entry = checkEntry(name);
        if (entry?.needs === 'snapshot') results.push(await entry.run(tx, inputs));
      }
      return { head, programmeIds };
    },
    { isolationLevel: 'RepeatableRead', maxWait: 60_000, timeout: 24 * 60 * 60 * 1000 },
  );
  for (const name of input.checks) {
    const entry = checkEntry(name);
    if (entry?.needs === 'client') results.push(await entry.run(ctx.db, inputs));
  }

  const reports = renderReports(
    { rulesVersion: RULES_VERSION, database, chainHead: snapshot.head, programme: programme?.code ?? null, checks: input.checks },
    results,
  );
  const run = await recordReconciliationRun(ctx.db, {
    startedAt,
    finishedAt: new Date(),
    operator: input.operator,
    actorId: ctx.actor.userId === COMMAND_LINE_USER ? null : ctx.actor.userId,
    programmeId: programme?.id ?? null,
    programmeIds: snapshot.programmeIds,
    databaseKind: database,
    reports,
  });
  reportOperation({ kind: 'reconciliation_run', status: reports.report.status, breaks: breaksOf(reports.report.summary) });
  return { id: run.id, status: reports.report.status, reports };
}

/** The run's breaks by check and code (codes are the report's fixed vocabulary: nothing about anyone). */
function breaksOf(summary: Partial<Record<string, { byCode: Record<string, number> }>>): { check: string; code: string; count: number }[] {
  return Object.entries(summary).flatMap(([check, s]) => Object.entries(s?.byCode ?? {}).map(([code, count]) => ({ check, code, count })));
}

/** The programme asked for, within the actor's scope (404 outside it); null: all programmes. */
async function programmeInScope(ctx: ServiceContext, programmeId: string | undefined): Promise<{ id: string; code: string } | null> {
  if (programmeId === undefined) return null;
  const programme = await ctx.db.programme.findFirst({ where: { AND: [{ id: programmeId }, programmeScope(ctx.actor)] }, select: { id: true, code: true } });
  if (!programme) throw new NotFoundError('programme');
  return programme;
}

/**
 * Every programme a run over `programme` (null: all of them) covers; refused (403) when the actor
 * could not read such a run afterwards: name the programme then.
 */
async function coveredProgrammes(db: ServiceContext['db'] | Tx, actor: Actor, programme: { id: string } | null): Promise<string[]> {
  const covered = await db.programme.findMany({ where: programme ? { id: programme.id } : {}, select: { id: true } });
  const programmeIds = covered.map((p) => p.id);
  if (!programme && !(await mayReadRunCovering(db, actor, programmeIds))) {
    throw new ForbiddenError('run a reconciliation over programmes it does not see: name a programme');
  }
  return programmeIds;
}

/**
 * What a run of this (parsed) input would cover, refused as the run itself would refuse it (403
 * without the permission, 404 for a programme outside the actor's scope, 403 for all programmes
 * when the actor does not see every one): so that a job started now (src/services/reconciliation-jobs.ts)
 * is refused at once rather than failing later. The run checks it again, inside its snapshot.
 */
export async function reconciliationCoverage(
  ctx: ServiceContext,
  input: ParsedRunReconciliationInput,
): Promise<{ programme: { id: string; code: string } | null; programmeIds: string[] }> {
  requirePermission(ctx.actor, 'reconciliation.run');
  const programme = await programmeInScope(ctx, input.programmeId);
  return { programme, programmeIds: await coveredProgrammes(ctx.db, ctx.actor, programme) };
}
