// The auditor's desk: both hash chains verified from the first transaction, with the head each
// ends on and when the check ran; the audit trail with names, filters and its CSV; reconciliation
// runs with their breaks and reports (foundations read their own programmes' runs too). A role
// without the right sees the same 404 page as for nothing.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { stream } from 'hono/streaming';
import { ConflictError, PayloadTooLargeError, ValidationError } from '../../domain/errors.ts';
import { randomToken } from '../../domain/random-token.ts';
import { RECONCILIATION_UPLOAD_LIMITS, formDataOf, readReconciliationForm } from '../../http/reconciliation-upload.ts';
import type { CheckName } from '../../reconcile/check-types.ts';
import { claimFormSubmission, completeFormSubmission, isFormKey, releaseFormSubmission } from '../../services/form-submissions.ts';
import { listProgrammes } from '../../services/programmes.ts';
import { getReconciliationJob, startReconciliationJob } from '../../services/reconciliation-jobs.ts';
import { requirePermission } from '../../services/scope.ts';
import { formIsFromUs } from '../csrf.ts';
import { ReconciliationJobPage, ReconciliationStartPage, type StartFormState, UploadTooLargePage } from '../pages/reconciliation-start.tsx';
import { type AuditEventFilters, exportAuditEventsCsv } from '../../services/audit-events.ts';
import { verifyAuditTrail } from '../../services/audit-events.ts';
import { listAuditTrail } from '../../services/audit-trail.ts';
import { readReconciliationRun } from '../../services/reconciliation-report.ts';
import { getReconciliationRunReport, listReconciliationRuns } from '../../services/reconciliation-runs.ts';
import { may } from '../../domain/roles.ts';
import { verifyWholeLedger } from '../../services/ledger-queries.ts';
import { AUDIT_ACTION_LABELS, RECORD_TYPE_LABELS } from '../audit-labels.ts';
import { type AuditTrailFilters, AuditTrailPage } from '../pages/audit-trail.tsx';
import { ReconciliationRunPage, ReconciliationRunsPage } from '../pages/reconciliation.tsx';
import { CheckpointsPage } from '../pages/checkpoints.tsx';
import { VerificationPage } from '../pages/verification.tsx';
import { exportCheckpoints, listCheckpoints } from '../../services/checkpoints.ts';
import { type WebContext, type WebEnv, fieldErrors, personalPage } from '../web-kit.tsx';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** The filters as the form sent them: unknown choices are no filter, free text is cut to size. */
function filtersOf(c: WebContext): AuditTrailFilters {
  const known = (value: string | undefined, labels: Record<string, string>) => (value && value in labels ? value : undefined);
  const text = (value: string | undefined) => (value ? value.trim().slice(0, 200) || undefined : undefined);
  return {
    action: known(c.req.query('action'), AUDIT_ACTION_LABELS),
    recordType: known(c.req.query('recordType'), RECORD_TYPE_LABELS),
    recordId: text(c.req.query('recordId')),
    fromDay: text(c.req.query('from')),
    toDay: text(c.req.query('to')),
  };
}

/** A Beijing day as the instant it starts (+08:00), the "to" day as the start of the next (exclusive). */
function serviceFilters(f: AuditTrailFilters): AuditEventFilters {
  const start = (day: string, path: 'from' | 'to') => {
    const at = new Date(`${day}T00:00:00+08:00`);
    if (!DAY.test(day) || Number.isNaN(at.getTime())) throw new ValidationError([{ path, message: 'must be a date written YYYY-MM-DD' }]);
    return at;
  };
  return {
    ...(f.action ? { action: f.action } : {}),
    ...(f.recordType ? { recordType: f.recordType } : {}),
    ...(f.recordId ? { recordId: f.recordId } : {}),
    ...(f.fromDay ? { from: start(f.fromDay, 'from').toISOString() } : {}),
    ...(f.toDay ? { to: new Date(start(f.toDay, 'to').getTime() + DAY_MS).toISOString() } : {}),
  };
}

export interface AuditorPageOptions {
  trustProxy: boolean;
}

/** The upload form's own fields, beside the run's. */
const FORM_FIELDS = ['csrf', 'formKey'] as const;

/** Files over the upload limits: the page says so before reading further. */
const uploadLimit = bodyLimit({
  maxSize: RECONCILIATION_UPLOAD_LIMITS.totalBytes + 1024 * 1024,
  onError: (c) => c.html(<UploadTooLargePage />, 413),
});

export function auditorPages(options: AuditorPageOptions) {
  const web = new Hono<WebEnv>();

  // Auditors engaged on every programme (and admins): both chains recomputed, from transaction 1.
  web.get('/verification', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const checkedAt = new Date();
      const ledger = await verifyWholeLedger({ ctx });
      const audit = await verifyAuditTrail({ ctx });
      const checkpoints = await listCheckpoints({ ctx, source: c.get('deps').checkpoints });
      return c.html(<VerificationPage viewer={viewer} checkedAt={checkedAt} ledger={ledger} audit={audit} checkpoints={checkpoints} />);
    }),
  );

  // Auditors, foundations and admins: the signed checkpoints, to read and to keep a copy of.
  web.get('/checkpoints', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const listing = await listCheckpoints({ ctx, source: c.get('deps').checkpoints });
      return c.html(<CheckpointsPage viewer={viewer} listing={listing} />);
    }),
  );

  for (const format of ['zip', 'jsonl'] as const) {
    web.get(`/checkpoints.${format}`, (c) =>
      personalPage(c, async (ctx) => {
        const file = await exportCheckpoints({ ctx, source: c.get('deps').checkpoints, format });
        return c.body(typeof file.body === 'string' ? file.body : (file.body as Uint8Array<ArrayBuffer>), 200, {
          'Content-Type': file.contentType,
          'Content-Disposition': `attachment; filename="${file.name}"`,
        });
      }),
    );
  }

  web.get('/audit-trail', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const filters = filtersOf(c);
      try {
        const page = await listAuditTrail({ ctx, input: { ...serviceFilters(filters), limit: 50, cursor: c.req.query('cursor') } });
        return c.html(<AuditTrailPage viewer={viewer} filters={filters} entries={page.items} nextCursor={page.nextCursor} />);
      } catch (error) {
        // A wrong date is the person's to fix, on the page; a tampered cursor or a missing right is not.
        const errors = fieldErrors(error);
        if (!errors || !('from' in errors || 'to' in errors)) throw error;
        return c.html(<AuditTrailPage viewer={viewer} filters={filters} entries={[]} nextCursor={null} errors={errors} />, 400);
      }
    }),
  );

  web.get('/audit-trail.csv', (c) =>
    personalPage(c, async (ctx) => {
      const file = await exportAuditEventsCsv({ ctx, input: serviceFilters(filtersOf(c)) });
      c.header('Content-Type', file.contentType);
      c.header('Content-Disposition', `attachment; filename="${file.filename}"`);
      return stream(c, async (out) => {
        for await (const chunk of file.chunks()) await out.write(chunk);
      });
    }),
  );

  web.get('/reconciliation', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const page = await listReconciliationRuns({ ctx, input: { limit: 50, cursor: c.req.query('cursor') } });
      return c.html(<ReconciliationRunsPage viewer={viewer} runs={page.items} nextCursor={page.nextCursor} mayRun={may(viewer.role, 'reconciliation.run')} />);
    }),
  );

  // Declared before /reconciliation/:runId, which would take "new" for a run's id.
  web.get('/reconciliation/new', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'reconciliation.run');
      const programmes = await listProgrammes({ ctx, input: { limit: 200 } });
      const wanted = c.req.query('programmeId');
      return c.html(<ReconciliationStartPage viewer={viewer} formKey={randomToken()} state={{ programmes: programmes.items, programmeId: wanted }} />);
    }),
  );

  web.post('/reconciliation/new', uploadLimit, (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'reconciliation.run');
      const programmes = (await listProgrammes({ ctx, input: { limit: 200 } })).items;
      const form = await formDataOf(c.req.raw);
      const again = (state: Omit<StartFormState, 'programmes'>, status: 400 | 403 | 409 | 413) =>
        c.html(<ReconciliationStartPage viewer={viewer} formKey={randomToken()} state={{ programmes, ...state }} />, status);
      const sent = { programmeId: String(form.get('programmeId') ?? ''), checks: form.getAll('checks').map(String) as CheckName[] };
      if (!formIsFromUs(c, { trustProxy: options.trustProxy, expectedToken: viewer.csrfToken, sentToken: form.get('csrf') })) {
        return again({ ...sent, notice: { text: '表单已过期或不是从本系统提交的，请重新填写。' } }, 403);
      }
      const key = form.get('formKey');
      if (!isFormKey(key)) return again({ ...sent, notice: { text: '表单不完整，请重新填写。' } }, 400);
      const claim = await claimFormSubmission(ctx.db, ctx.actor.userId, key, 'reconciliation.start');
      if (!claim.first) {
        // The same form posted again: the run it started, not a second one.
        if (claim.location) return c.redirect(claim.location, 303);
        return again({ ...sent, notice: { text: '这份表单已经提交过，正在处理，请勿重复提交。' } }, 409);
      }
      try {
        const runner = c.get('deps').reconciliationJobs;
        if (!runner) throw new Error('the app was made without a reconciliation job runner');
        // The page always sends its CSV format choice; it means something only with the bank check.
        const { csvPreset, ...input } = readReconciliationForm(form, FORM_FIELDS);
        const withBank = (input.checks ?? []).includes('bank');
        const job = await startReconciliationJob({ ctx, input: { ...input, ...(withBank && csvPreset ? { csvPreset } : {}) }, runner });
        const location = `/reconciliation/jobs/${job.id}`;
        await completeFormSubmission(ctx.db, ctx.actor.userId, key, location);
        return c.redirect(location, 303);
      } catch (error) {
        await releaseFormSubmission(ctx.db, ctx.actor.userId, key);
        const errors = fieldErrors(error);
        if (errors) return again({ ...sent, errors }, 400);
        if (error instanceof PayloadTooLargeError)
          return again(
            { ...sent, notice: { text: '文件过大：每个文件不超过 64 MiB，合计不超过 128 MiB。更大的对账单请在服务器上用 npm run reconcile 核对。' } },
            413,
          );
        if (error instanceof ConflictError && error.code === 'reconciliation_already_running') {
          const running = String(error.details.runningJobId ?? '');
          return again({ ...sent, notice: { text: error.messageZh, href: `/reconciliation/jobs/${running}` } }, 409);
        }
        throw error;
      }
    }),
  );

  web.get('/reconciliation/jobs/:jobId', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const job = await getReconciliationJob({ ctx, input: { id: c.req.param('jobId') } });
      if (job.status === 'finished' && job.runId) return c.redirect(`/reconciliation/${job.runId}`, 303);
      return c.html(<ReconciliationJobPage viewer={viewer} job={job} />);
    }),
  );

  web.get('/reconciliation/:runId', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const { run, report } = await readReconciliationRun({ ctx, input: { id: c.req.param('runId') } });
      return c.html(<ReconciliationRunPage viewer={viewer} run={run} report={report} />);
    }),
  );

  // The three reports exactly as the run wrote them (the same bytes as the command line's files).
  for (const [extension, format] of [
    ['txt', 'text'],
    ['json', 'json'],
    ['csv', 'csv'],
  ] as const) {
    web.get(`/reconciliation/:runId/report.${extension}`, (c) =>
      personalPage(c, async (ctx) => {
        const report = await getReconciliationRunReport({ ctx, input: { id: c.req.param('runId') ?? '', format } });
        return c.body(report.body, 200, { 'Content-Type': report.contentType, 'Content-Disposition': `attachment; filename="${report.fileName}"` });
      }),
    );
  }

  return web;
}
