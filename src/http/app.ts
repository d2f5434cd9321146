// The app factory: everything HTTP, no server. src/server.ts serves it on Node; tests call
// app.request() in-process; a Workers entry can export it as is.
import { DEFAULT_MAX_IN_FLIGHT, InFlightLimit, deadlineExceeded, shedPastLimit } from './in-flight-limit.ts';
import { DEFAULT_REQUEST_DEADLINE_MS, DeadlineExceeded } from './request-deadline.ts';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { render } from '../domain/error-catalogue.ts';
import { requireActor } from './auth.ts';
import type { AppDeps, AppEnv } from './env.ts';
import { FailureLimiter } from './failure-limiter.ts';
import { describeError } from './logger.ts';
import { checkpointAfterBatchSent } from './checkpoint-after-send.ts';
import { problem, problemFromError, problemResponse, zodProblem } from './problem.ts';
import { API_PREFIX, apiRouter, isIdempotentRoute, isUnboundedRoute } from './api-routes.ts';
import { docsRoutes } from './routes/docs.ts';
import { PROBE_PATHS, healthRoutes } from './routes/health.ts';
import { METRICS_PATH, mayReadMetrics, metricsRoutes } from './routes/metrics.ts';
import { Readiness } from './readiness.ts';
import { BANK_RESULTS_MAX_BYTES, BANK_RESULTS_PATH } from './routes/payouts.ts';
import { reconciliationUploadBodyLimit } from './reconciliation-upload.ts';
import { RECONCILIATION_UPLOAD_PATH } from './routes/reconciliation-jobs.ts';
import { ReconciliationJobRunner } from '../services/reconciliation-job-runner.ts';
import { BulkJobRunner } from '../services/bulk-step-job-runner.ts';
import { STUDENT_IMPORT_PATH, studentImportBodyLimit } from './routes/student-imports.ts';
import { notFoundPage, webRoutes } from '../web/routes.tsx';

export { API_PREFIX };
const MIB = 1024 * 1024;
const MAX_BODY_BYTES = MIB;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** 10 failed authentications per address in 5 minutes; at most 10,000 addresses tracked at once. */
export const DEFAULT_AUTH_FAILURE_LIMITS = { maxFailures: 10, windowMs: 300_000, maxKeys: 10_000 } as const;

/** The OpenAPI document's head; the paths come from the routes. */
const OPENAPI_CONFIG = {
  openapi: '3.1.0',
  info: {
    title: '事实无人抚养学生助学金发放账本 · Scholarship disbursement ledger',
    version: '1.0.0',
    description:
      'Eligibility, annual grants and payouts for de facto unsupported students, recorded in an append-only, double-entry, hash-chained ledger. Money is a string with two decimals, in CNY. Errors are RFC 9457 problem+json.',
  },
  servers: [{ url: '/' }],
};

/** Answered whatever the load: the probes and the metrics, which matter most when the instance is busy. */
const NEVER_SHED = new Set<string>([...PROBE_PATHS, METRICS_PATH]);

export function createApp(given: AppDeps) {
  const inFlight = given.inFlight ?? new InFlightLimit(DEFAULT_MAX_IN_FLIGHT);
  // One count of failed authentications for tokens and for sign-ins on the pages.
  const failures = given.authFailures ?? new FailureLimiter(DEFAULT_AUTH_FAILURE_LIMITS);
  const deps: AppDeps = {
    ...given,
    inFlight,
    authFailures: failures,
    reconciliationJobs:
      given.reconciliationJobs ??
      new ReconciliationJobRunner({
        db: given.db,
        database: 'embedded',
        onUnexpectedError: (error, jobId) => given.logger.error('reconciliation job failed', { jobId, ...describeError(error) }),
      }),
    bulkStepJobs:
      given.bulkStepJobs ??
      new BulkJobRunner({
        db: given.db,
        onUnexpectedError: (error, jobId) => given.logger.error('bulk step job failed', { jobId, ...describeError(error) }),
      }),
  };
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return problemResponse(c, zodProblem(result.error, result.target));
    },
  });

  app.use('*', async (c, next) => {
    // A caller's request id is kept if it is harmless, so that its logs and ours can be joined.
    const given = c.req.header('X-Request-Id');
    const requestId = given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    c.set('requestId', requestId);
    c.set('deps', deps);
    const started = performance.now();
    await next();
    c.header('X-Request-Id', requestId);
    const seconds = (performance.now() - started) / 1000;
    // The route pattern, not the URL: ids stay out of logs and metrics that are aggregated by path.
    const route = c.req.routePath;
    deps.logger.info('request', {
      requestId,
      method: c.req.method,
      route,
      status: c.res.status,
      durationMs: Math.round(seconds * 10_000) / 10,
    });
    deps.metrics?.observeRequest({ method: c.req.method, route, status: c.res.status, seconds });
  });
  // Past the bound, answered at once (503, Retry-After) before anything else runs; past the
  // deadline, answered 503 then (reads) or rolled back (writes not yet in their transaction); the
  // probes and the metrics never.
  app.use(
    '*',
    shedPastLimit(inFlight, (path) => NEVER_SHED.has(path), {
      ms: deps.requestDeadlineMs ?? DEFAULT_REQUEST_DEADLINE_MS,
      idempotent: isIdempotentRoute,
      unbounded: isUnboundedRoute,
    }),
  );
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], styleSrc: ["'self'", "'unsafe-inline'"], frameAncestors: ["'none'"] },
      strictTransportSecurity: 'max-age=31536000; includeSubDomains',
      // Not no-referrer: with it browsers send `Origin: null` on the pages' own form posts, and the
      // CSRF check (src/web/csrf.ts) needs the real origin. Nothing is sent to other sites.
      referrerPolicy: 'same-origin',
    }),
  );
  app.use('*', checkpointAfterBatchSent);
  app.use(`${API_PREFIX}/*`, async (c, next) => {
    await next();
    // Answers about people and money are never cached by browsers or proxies.
    c.header('Cache-Control', 'no-store');
  });
  // Authentication before the body is read, so that nobody can make the service buffer a body
  // without a token.
  const address = deps.clientAddress ?? { trustProxy: false };
  app.use(`${API_PREFIX}/*`, requireActor({ failures, address }));
  const defaultBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => problemResponse(c, problem(413, 'payload_too_large', render('payload_too_large', { of: 'body', maxMiB: MAX_BODY_BYTES / MIB }))),
  });
  // A bank's answer for a large batch may be tens of MiB, a county's student list up to 5 MiB;
  // every other body at most 1 MiB.
  const bankResultsBodyLimit = bodyLimit({
    maxSize: BANK_RESULTS_MAX_BYTES,
    onError: (c) =>
      problemResponse(c, problem(413, 'payload_too_large', render('payload_too_large', { of: 'bank_file', maxMiB: BANK_RESULTS_MAX_BYTES / MIB }))),
  });
  app.use(`${API_PREFIX}/*`, (c, next) => {
    // No service reads the body of a GET or HEAD; checking one would build the whole web Request
    // on Node (@hono/node-server makes it lazily), a third of what a small read costs.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (c.req.path === `${API_PREFIX}${STUDENT_IMPORT_PATH}`) return studentImportBodyLimit(c, next);
    if (c.req.path === `${API_PREFIX}${RECONCILIATION_UPLOAD_PATH}` && c.req.method === 'POST') return reconciliationUploadBodyLimit(c, next);
    if (BANK_RESULTS_PATH.test(c.req.path)) return bankResultsBodyLimit(c, next);
    return defaultBodyLimit(c, next);
  });

  app.route('/', healthRoutes(new Readiness({ db: deps.db, inFlight, migrationStatus: deps.migrationStatus, logger: deps.logger })));
  if (deps.metrics) {
    const sources = { db: deps.db, inFlight, authFailures: failures, databasePool: deps.databasePool };
    app.route('/', metricsRoutes(deps.metrics, sources, [requireActor({ failures, address }), mayReadMetrics]));
  }
  app.route('/', docsRoutes);
  app.route('/', webRoutes({ failures, address }));
  app.route(API_PREFIX, apiRouter());

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'A token from `npm run token:create` or `POST /api/v1/users/{id}/tokens`',
  });
  // Built once, at the first request (every route is registered by then), and kept: building it
  // walks every schema of every route, hundreds of milliseconds each time.
  let openApiDocument: string | undefined;
  app.get('/openapi.json', (c) => {
    openApiDocument ??= JSON.stringify(app.getOpenAPI31Document(OPENAPI_CONFIG));
    return c.body(openApiDocument, 200, { 'Content-Type': 'application/json' });
  });

  // A browser asking for a page gets a page; the API and every other client get problem+json.
  app.notFound((c) => {
    const wantsPage = !c.req.path.startsWith(`${API_PREFIX}/`) && (c.req.header('Accept') ?? '').includes('text/html');
    return wantsPage ? notFoundPage(c) : problemResponse(c, problem(404, 'not_found', render('not_found', { record: 'resource' })));
  });
  app.onError((error, c) => {
    if (error instanceof DeadlineExceeded) return deadlineExceeded(c);
    const { body, unexpected } = problemFromError(error);
    if (unexpected) deps.logger.error('unexpected error', { requestId: c.get('requestId'), route: c.req.routePath, ...describeError(error) });
    if (body.status === 401) c.header('WWW-Authenticate', 'Bearer');
    return problemResponse(c, body);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
