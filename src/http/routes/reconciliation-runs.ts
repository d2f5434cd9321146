// Reconciliation runs (kept by `npm run reconcile`) and their reports, for auditors and foundations.
import { z } from '@hono/zod-openapi';
import {
  GetReconciliationRunReportInput,
  ListReconciliationRunsInput,
  RunStatusEnum,
  getReconciliationRun,
  getReconciliationRunReport,
  listReconciliationRuns,
} from '../../services/reconciliation-runs.ts';
import { serviceContext } from '../context.ts';
import { fileResponse, jsonResponse, routeGroup } from '../define-route.ts';
import { fileAnswer } from '../files.ts';
import { Uuid, pageOf } from '../schemas/common.ts';

const { get } = routeGroup({ tags: ['Reconciliation'] });
const Status = RunStatusEnum;
const Sha256 = z.string().openapi({ pattern: '^[0-9a-f]{64}$' });

const CheckSummaryOut = z.object({ status: Status, exceptions: z.number().int(), byCode: z.record(z.string(), z.number().int()) });

const RunOut = z
  .object({
    id: Uuid,
    startedAt: z.string(),
    finishedAt: z.string(),
    operator: z.string(),
    actorId: Uuid.nullable(),
    programme: z.object({ id: Uuid, code: z.string() }).nullable().openapi({ description: 'The programme asked for, or null for all programmes' }),
    programmeIds: z.array(Uuid).openapi({ description: 'Every programme the report covers' }),
    checks: z.array(z.enum(['ledger', 'rules', 'bank', 'funding', 'figures'])),
    inputs: z.array(z.object({ check: z.string(), name: z.string(), sha256: Sha256, messageId: z.string().nullable(), kind: z.string() })),
    status: Status,
    summary: z.record(z.string(), CheckSummaryOut),
    rulesVersion: z.string(),
    chainHead: z.object({ seq: z.string(), hash: Sha256 }).nullable(),
    databaseKind: z.string(),
    reportSha256: Sha256.openapi({ description: 'SHA-256 of the canonical JSON report without this field' }),
  })
  .openapi('ReconciliationRun');

const Params = z.object({ id: Uuid });

export const reconciliationRunRoutes = [
  get('/reconciliation-runs', 'reconciliation.read', {
    summary:
      'Reconciliation runs, newest first (admins, auditors engaged on all programmes: all; a foundation or an auditor engaged on listed programmes: runs of those programmes only)',
    request: { query: ListReconciliationRunsInput },
    responses: { 200: jsonResponse('A page', pageOf(RunOut, 'ReconciliationRunPage')) },
  }).runs(listReconciliationRuns),
  get('/reconciliation-runs/{id}', 'reconciliation.read', {
    summary: 'One reconciliation run: who, when, inputs and their hashes, result per check, report hash',
    request: { params: Params },
    responses: { 200: jsonResponse('The run', RunOut) },
  }).runs(getReconciliationRun),
  get('/reconciliation-runs/{id}/report', 'reconciliation.read', {
    summary: 'The run’s report exactly as written: text, JSON, or the exceptions as CSV (UTF-8 with BOM)',
    request: { params: Params, query: GetReconciliationRunReportInput.omit({ id: true }) },
    responses: { 200: fileResponse('The report; `X-Report-Sha256` states its hash', 'text/plain', 'application/json', 'text/csv') },
  }).answers(async (c) => {
    const found = await getReconciliationRunReport({ ctx: serviceContext(c), input: { id: c.req.valid('param').id, format: c.req.valid('query').format } });
    const label = { contentType: found.contentType, name: found.fileName, inline: !found.contentType.startsWith('text/csv') };
    return fileAnswer(c, found.body, label, { 'X-Report-Sha256': found.reportSha256 });
  }),
];
