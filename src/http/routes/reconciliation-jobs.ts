// Reconciliation from the API while the service runs: POST /reconciliation-runs takes the checks and
// the files as a multipart form (read by ../reconciliation-upload.ts, as the page's form is) and
// answers 202 with a job; GET /reconciliation-jobs/{id} follows it until it names the run it
// recorded (src/services/reconciliation-jobs.ts).
import { z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { CSV_PRESET_NAMES } from '../../bank/statement-csv/index.ts';
import { CHECK_ORDER } from '../../reconcile/checks/index.ts';
import { JOB_STATUSES, getReconciliationJob, startReconciliationJob } from '../../services/reconciliation-jobs.ts';
import { RunStatusEnum } from '../../services/reconciliation-runs.ts';
import { requirePermission } from '../../services/scope.ts';
import { serviceContext } from '../context.ts';
import { RECONCILIATION_UPLOAD_LIMITS, formDataOf, readReconciliationForm } from '../reconciliation-upload.ts';
import { jsonResponse, routeGroup } from '../define-route.ts';
import type { AppEnv } from '../env.ts';
import { problem, problemResponse } from '../problem.ts';
import { Uuid, problemContent } from '../schemas/common.ts';

const RUNS = '/reconciliation-runs';
const JOB = '/reconciliation-jobs/{id}';

/** The path whose body may carry the uploads: app.ts picks reconciliationUploadBodyLimit for it. */
export const RECONCILIATION_UPLOAD_PATH = RUNS;

const { get, post } = routeGroup({ tags: ['Reconciliation'] });

const ProgressOut = z.object({
  phase: z.string().openapi({ description: 'The step under way as the check names it, e.g. `账本 ledger` or `bank: statement.xml`', example: '账本 ledger' }),
  done: z.number().int(),
  total: z.number().int().nullable().openapi({ description: 'Null when the check cannot know it' }),
});

const JobErrorOut = z.object({
  code: z.string().openapi({ description: 'A code of the error catalogue, e.g. reconciliation_could_not_run', example: 'reconciliation_could_not_run' }),
  message: z.string(),
  messageZh: z.string(),
  where: z
    .object({ file: z.string().nullable(), line: z.number().int().nullable() })
    .nullable()
    .openapi({ description: 'For reconciliation_could_not_run: the file (its upload name) and line that could not be read' }),
});

const JobOut = z
  .object({
    id: Uuid,
    status: z.enum(JOB_STATUSES).openapi({
      description:
        'queued → running → finished (runId names the recorded run) or failed (error); interrupted: the process holding it ended first, nothing was recorded: start again',
    }),
    programme: z.object({ id: Uuid, code: z.string() }).nullable().openapi({ description: 'The programme asked for, or null for all programmes' }),
    programmeIds: z.array(Uuid),
    checks: z.array(z.enum(CHECK_ORDER as unknown as [string, ...string[]])),
    inputs: z.array(z.object({ check: z.string(), name: z.string(), bytes: z.number().int() })),
    operator: z.string().openapi({ description: 'Recorded with the run: the requesting user’s display name' }),
    requestedById: Uuid,
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    progress: ProgressOut.nullable(),
    runId: Uuid.nullable().openapi({ description: 'Once finished: GET /api/v1/reconciliation-runs/{runId}/report?format=text|json|csv' }),
    result: RunStatusEnum.nullable().openapi({ description: 'Once finished: clean, or breaks found' }),
    error: JobErrorOut.nullable(),
  })
  .openapi('ReconciliationJob');

/** The form as the OpenAPI document describes it (a plain schema: the handler reads the form itself). */
const UploadForm = {
  type: 'object' as const,
  properties: {
    checks: {
      type: 'array' as const,
      items: { type: 'string' as const, enum: [...CHECK_ORDER] },
      description: 'Repeat the field, or give a comma-separated list. Absent: ledger, rules, figures.',
    },
    programmeId: { type: 'string' as const, format: 'uuid', description: 'One programme; absent: every programme (only for an actor who sees them all).' },
    statements: {
      type: 'array' as const,
      items: { type: 'string' as const, format: 'binary' },
      description: `bank: camt.053 statements or bank CSV exports (UTF-8 or GBK), one or more; each at most 64 MiB, at most ${RECONCILIATION_UPLOAD_LIMITS.statements}.`,
    },
    remittances: { type: 'string' as const, format: 'binary', description: 'funding: the foundation’s remittance list (one file, at most 64 MiB).' },
    csvPreset: { type: 'string' as const, enum: [...CSV_PRESET_NAMES], description: 'bank: how to read a bank CSV export; absent: generic-cn.' },
    account: {
      type: 'string' as const,
      pattern: '^[0-9][0-9 -]{5,38}[0-9]$',
      description:
        "bank: the account a bank CSV export that names none is about; absent: the programme's payout account (the report says so). A CSV naming another account is refused.",
    },
  },
};

/** Refused before the body is read: a role without the permission must not make the service buffer 128 MiB. */
const mayRun: MiddlewareHandler<AppEnv> = async (c, next) => {
  requirePermission(c.get('actor'), 'reconciliation.run');
  if (/^\s*multipart\/form-data\s*(;|$)/i.test(c.req.header('Content-Type') ?? '')) return next();
  return problemResponse(
    c,
    problem(415, 'unsupported_media_type', {
      zh: '请以 multipart/form-data 表单发送检查项目和文件',
      en: 'Send the checks and the files as multipart/form-data.',
    }),
  );
};

const start = post(RUNS, 'reconciliation.run', {
  summary: 'Start a reconciliation while the service runs: the checks, the programme and the files as a form; answers 202 with a job to follow',
  description: [
    'The same run as `npm run reconcile` (auditors engaged on the programme, or on all programmes for a run over all; admins), carried out by the service after the answer: follow the job at the `Location` (GET /api/v1/reconciliation-jobs/{id}) until it is `finished`, then read the run’s reports at /api/v1/reconciliation-runs/{runId}/report. The run is recorded with the signed-in user as its operator.',
    `Form fields (multipart/form-data): \`checks\` (ledger, rules, bank, funding, figures: repeated or comma-separated), \`programmeId\`, \`statements\` (files, for bank), \`remittances\` (one file, for funding), \`csvPreset\` (${CSV_PRESET_NAMES.join(', ')}), \`account\` (bank: the account of a CSV that names none).`,
    `Limits: each file at most 64 MiB, all files together at most 128 MiB (413, naming the file), at most ${RECONCILIATION_UPLOAD_LIMITS.statements} statements; larger statements are read from disk by \`npm run reconcile\` on the server. The files are held in memory for the job’s life only; the job keeps their names and sizes, the run their SHA-256.`,
    'One at a time: while a job for the same programme (or one over all programmes) is queued or running, another answers 409 `reconciliation_already_running` with `runningJobId`. A file that is not a statement fails the job with `reconciliation_could_not_run` (its `where` names the file and line); bad fields answer 400 naming them.',
  ].join('\n\n'),
  request: { body: { required: true, content: { 'multipart/form-data': { schema: UploadForm } } } },
  responses: {
    202: {
      ...jsonResponse('Accepted: the job, queued', JobOut),
      headers: { Location: { description: 'The job: /api/v1/reconciliation-jobs/{id}', schema: { type: 'string' } } },
    },
    409: { description: 'A run of the same programme (or of all programmes) is queued or running: `runningJobId`', content: problemContent },
    413: { description: 'A file over 64 MiB, or all together over 128 MiB', content: problemContent },
    415: { description: 'The body is not multipart/form-data', content: problemContent },
  },
  middleware: mayRun,
}).answers(async (c) => {
  const input = readReconciliationForm(await formDataOf(c.req.raw));
  const runner = c.get('deps').reconciliationJobs;
  if (!runner) throw new Error('the app was made without a reconciliation job runner');
  const job = await startReconciliationJob({ ctx: serviceContext(c), input, runner });
  c.header('Location', `/api/v1/reconciliation-jobs/${job.id}`);
  return c.json(job, 202);
});

const job = get(JOB, 'reconciliation.read', {
  summary: 'A reconciliation started through the API: status, progress, the run it recorded or why it failed (those who may read the runs it covers)',
  request: { params: z.object({ id: Uuid }) },
  responses: { 200: jsonResponse('The job', JobOut) },
}).runs(getReconciliationJob);

export const reconciliationJobRoutes = [start, job];
