// GET /metrics: the service's metrics in Prometheus's text format. On the service's own address it
// takes a token whose role may `metrics.read` (admins); on the internal address of METRICS_PORT
// (src/server.ts) it takes none, since only the monitoring network reaches that one. Never shed:
// an instance under load is exactly when it must be watched.
import { Hono, type MiddlewareHandler } from 'hono';
import { requirePermission } from '../../services/scope.ts';
import { readOperatingReadings } from '../../services/operating-readings.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import type { AuthFailureCounter } from '../failure-limiter.ts';
import type { InFlightLimit } from '../in-flight-limit.ts';
import type { AppMetrics, ScrapeReadings } from '../metrics.ts';

export const METRICS_PATH = '/metrics';

export interface ScrapeSources {
  db: AppDeps['db'];
  inFlight: InFlightLimit;
  authFailures: AuthFailureCounter;
  databasePool?: AppDeps['databasePool'];
}

/** The figures of this moment: counters kept by the limiters, the pool, and one query. */
export async function gatherReadings(sources: ScrapeSources): Promise<ScrapeReadings> {
  // A database that does not answer is itself worth seeing: the rest is shown all the same.
  const database = await readOperatingReadings(sources.db).catch(() => null);
  return {
    requestsInFlight: sources.inFlight.inFlight,
    maxRequestsInFlight: sources.inFlight.max,
    requestsShed: sources.inFlight.shed,
    authentication: { failures: sources.authFailures.failures, refusals: sources.authFailures.refusals },
    ...(sources.databasePool ? { pool: sources.databasePool() } : {}),
    database,
  };
}

/**
 * The route; `guard` runs first (the token check on the service's own address, none on the
 * internal one).
 */
export function metricsRoutes(metrics: AppMetrics, sources: ScrapeSources, guard: MiddlewareHandler<AppEnv>[] = []) {
  const routes = new Hono<AppEnv>();
  for (const step of guard) routes.use(METRICS_PATH, step);
  return routes.get(METRICS_PATH, async (c) => {
    const text = await metrics.exposition(await gatherReadings(sources));
    return c.body(text, 200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' });
  });
}

/** Only roles that may `metrics.read`: after requireActor, a 403 for every other. */
export const mayReadMetrics: MiddlewareHandler<AppEnv> = async (c, next) => {
  requirePermission(c.get('actor'), 'metrics.read');
  await next();
};

/**
 * The app of the internal listener (METRICS_PORT): GET /metrics without a token, 404 for anything
 * else. It shares the service's counters (`sources`), so both addresses show the same figures.
 */
export function internalMetricsApp(metrics: AppMetrics, sources: ScrapeSources) {
  const app = new Hono<AppEnv>();
  app.route('/', metricsRoutes(metrics, sources));
  app.notFound((c) => c.text('not found', 404));
  return app;
}
