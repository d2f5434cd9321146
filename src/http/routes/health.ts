// /healthz for load balancers and operators: database reachable, migrations current, chain head.
import { Hono } from 'hono';
import { chainHead } from '../../services/ledger-queries.ts';
import type { AppEnv } from '../env.ts';
import { describeError } from '../logger.ts';

export const healthRoutes = new Hono<AppEnv>().get('/healthz', async (c) => {
  const { db, migrationStatus, logger } = c.get('deps');
  try {
    await db.$queryRaw`SELECT 1`;
    const migrations = migrationStatus ? await migrationStatus() : null;
    const head = await chainHead(db);
    const healthy = migrations === null || migrations.upToDate;
    return c.json(
      {
        status: healthy ? 'ok' : 'degraded',
        database: 'reachable',
        migrations: migrations ? { upToDate: migrations.upToDate, pending: migrations.pending } : 'not checked on this runtime',
        ledger: { headSeq: head?.seq ?? '0', headHash: head?.hash ?? null },
      },
      healthy ? 200 : 503,
    );
  } catch (error) {
    logger.error('health check failed', { requestId: c.get('requestId'), ...describeError(error) });
    return c.json({ status: 'unavailable', database: 'unreachable' }, 503);
  }
});
