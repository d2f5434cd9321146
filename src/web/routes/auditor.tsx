// The auditor's desk: both hash chains verified from the first transaction, with the head each
// ends on and when the check ran; the audit trail with names, filters and its CSV; reconciliation
// runs with their breaks and reports (foundations read their own programmes' runs too). A role
// without the right sees the same 404 page as for nothing.
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { ValidationError } from '../../domain/errors.ts';
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
import { VerificationPage } from '../pages/verification.tsx';
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

export function auditorPages() {
  const web = new Hono<WebEnv>();

  // Auditors engaged on every programme (and admins): both chains recomputed, from transaction 1.
  web.get('/verification', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const checkedAt = new Date();
      const ledger = await verifyWholeLedger({ ctx });
      const audit = await verifyAuditTrail({ ctx });
      return c.html(<VerificationPage viewer={viewer} checkedAt={checkedAt} ledger={ledger} audit={audit} />);
    }),
  );

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
