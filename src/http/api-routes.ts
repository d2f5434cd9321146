// Every route of the JSON API, in the order the OpenAPI document lists them. The app factory mounts
// them under API_PREFIX; the route → action table (route-actions.ts) is read from the same list, so
// a route cannot be served without its action, nor an action be listed for no route.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { DefinedRoute } from './define-route.ts';
import { IdempotencyKeyHeader } from './schemas/common.ts';
import type { AppEnv } from './env.ts';
import { auditEngagementRoutes } from './routes/audit-engagements.ts';
import { auditEventRoutes } from './routes/audit-events.ts';
import { backupRoutes } from './routes/backups.ts';
import { bandRoutes } from './routes/bands.ts';
import { checkpointRoutes } from './routes/checkpoints.ts';
import { eligibilityRoutes } from './routes/eligibility.ts';
import { disclosureRoutes } from './routes/disclosure.ts';
import { empowermentRoutes } from './routes/empowerment.ts';
import { enrolmentRoutes } from './routes/enrolments.ts';
import { fundingReceiptRoutes } from './routes/funding-receipts.ts';
import { grantViewRoutes } from './routes/grant-views.ts';
import { grantRoutes } from './routes/grants.ts';
import { ledgerRoutes } from './routes/ledger.ts';
import { meRoutes } from './routes/me.ts';
import { organisationRoutes } from './routes/organisations.ts';
import { overduePayoutRoutes } from './routes/overdue-payouts.ts';
import { payoutRoutes } from './routes/payouts.ts';
import { programmeRoutes } from './routes/programmes.ts';
import { recognitionRoutes } from './routes/recognitions.ts';
import { reconciliationJobRoutes } from './routes/reconciliation-jobs.ts';
import { reconciliationRunRoutes } from './routes/reconciliation-runs.ts';
import { studentImportRoutes } from './routes/student-imports.ts';
import { bulkStepRoutes } from './routes/bulk-steps.ts';
import { studentRoutes } from './routes/students.ts';
import { tokenRoutes } from './routes/tokens.ts';

export const API_PREFIX = '/api/v1';

export const API_ROUTES: readonly DefinedRoute[] = [
  ...meRoutes,
  ...organisationRoutes,
  ...auditEngagementRoutes,
  ...programmeRoutes,
  ...fundingReceiptRoutes,
  ...ledgerRoutes,
  // Before the students' routes: /students/imports is no student id.
  ...studentImportRoutes,
  ...bulkStepRoutes,
  ...studentRoutes,
  ...recognitionRoutes,
  ...enrolmentRoutes,
  ...eligibilityRoutes,
  ...grantRoutes,
  ...grantViewRoutes,
  ...bandRoutes,
  ...empowermentRoutes,
  ...disclosureRoutes,
  ...payoutRoutes,
  ...overduePayoutRoutes,
  ...reconciliationRunRoutes,
  ...reconciliationJobRoutes,
  ...tokenRoutes,
  ...auditEventRoutes,
  ...checkpointRoutes,
  ...backupRoutes,
];

/** The routes with their validators and handlers, for the app factory to mount under API_PREFIX. */
export function apiRouter() {
  return new OpenAPIHono<AppEnv>().openapiRoutes(API_ROUTES);
}

/**
 * Whether a request goes to an idempotent (money-moving) route, which runs through runIdempotent:
 * the request deadline may answer such a request while it waits for its transaction.
 */
export const isIdempotentRoute: (method: string, path: string) => boolean = (() => {
  const patterns = API_ROUTES.filter(({ route }) => route.request?.headers === IdempotencyKeyHeader).map(
    ({ route }) => [route.method.toUpperCase(), new RegExp(`^${API_PREFIX}${route.path.replace(/\{\w+\}/g, '[^/]+')}$`)] as const,
  );
  return (method, path) => patterns.some(([m, re]) => m === method && re.test(path));
})();

/**
 * Reads whose time grows with the whole database, never cut at the request deadline (they still
 * count among the requests in flight): the backup. Cut at ten seconds, a grown embedded database
 * could never be backed up through the service, while the read went on holding the engine anyway.
 */
export function isUnboundedRoute(method: string, path: string): boolean {
  return method === 'GET' && path === `${API_PREFIX}/backup`;
}
