// The probes. /healthz (liveness) says the process answers, and nothing else: it touches no
// database, so a slow or lost database never gets a live process restarted. /readyz (readiness)
// says whether this instance should take traffic now (src/http/readiness.ts). Neither says more
// than that to whoever asks: no versions, counts, chain heads or error texts.
import { Hono } from 'hono';
import { render } from '../../domain/error-catalogue.ts';
import type { AppEnv } from '../env.ts';
import { problem, problemResponse } from '../problem.ts';
import type { Readiness } from '../readiness.ts';

export const PROBE_PATHS = ['/healthz', '/readyz'] as const;

export function healthRoutes(readiness: Readiness) {
  return new Hono<AppEnv>()
    .get('/healthz', (c) => c.json({ status: 'ok' }, 200, { 'Cache-Control': 'no-store' }))
    .get('/readyz', async (c) => {
      c.header('Cache-Control', 'no-store');
      const failed = await readiness.failed(c.get('requestId'));
      if (failed.length === 0) return c.json({ status: 'ready' }, 200);
      const named = failed.join(', ');
      return problemResponse(c, problem(503, 'not_ready', render('not_ready', { failed: named }), { failed }));
    });
}
