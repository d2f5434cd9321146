// Cloudflare Workers entry: the same app as src/server.ts, over PostgreSQL through Hyperdrive.
// Made once per isolate (routes, OpenAPI document, personal-data keys); a database client per
// request, because a Hyperdrive connection belongs to the request that opened it. The client is
// closed only after the response body has been sent whole (ctx.waitUntil), so that a large
// pain.001 or CSV is not cut. No file system: logs go to console, the docs' static files are
// Workers static assets (npm run build:worker), migrations are a Node step (npm run db:migrate).
import { AsyncLocalStorage } from 'node:async_hooks';
import { PrismaPg } from '@prisma/adapter-pg';
import type { ExecutionContext } from 'hono';
import { PrismaClient } from '#prisma';
import { migrationStateOf } from './db/migration-state-sql.ts';
import { requestScopedClient } from './db/request-scoped-client.ts';
import { TRANSACTION_OPTIONS } from './db/transaction-options.ts';
import { MIGRATION_NAMES } from './generated/migration-names.ts';
import { type App, DEFAULT_AUTH_FAILURE_LIMITS, createApp } from './http/app.ts';
import { createLogger, describeError, type LogLevel } from './http/logger.ts';
import { releaseAfterBody } from './http/release-after-body.ts';
import { configureLedgerSeal, deriveSealKey } from './ledger/seal-key.ts';
import { createPiiVault, parseKeyMaterial } from './privacy/pii-vault.ts';
import { SharedFailureLimiter } from './services/auth-failure-window.ts';
import { ReconciliationJobRunner } from './services/reconciliation-job-runner.ts';
import { type WorkerEnv, workerSettings } from './worker-env.ts';

const requestClient = new AsyncLocalStorage<PrismaClient>();
let appPromise: Promise<App> | undefined;

async function makeApp(env: WorkerEnv): Promise<App> {
  const settings = workerSettings(env);
  const logger = createLogger(settings.LOG_LEVEL as LogLevel, (line) => console.log(line));
  const vault = await createPiiVault(parseKeyMaterial(settings.PII_KEYS, settings.PII_LOOKUP_KEY));
  // Every ledger append this isolate makes is sealed, as on Node, with the key derived from the checkpoint seed.
  configureLedgerSeal(await deriveSealKey(settings.checkpointSeed));
  const db = requestScopedClient(() => requestClient.getStore());
  return createApp({
    db,
    // /readyz: not ready until `npm run db:migrate` (Node) has applied every migration this bundle knows.
    migrationStatus: () => migrationStateOf(db, MIGRATION_NAMES),
    logger,
    vault,
    // Counted in PostgreSQL: an isolate's memory is neither shared nor kept.
    authFailures: new SharedFailureLimiter(db, { maxFailures: DEFAULT_AUTH_FAILURE_LIMITS.maxFailures, windowMs: DEFAULT_AUTH_FAILURE_LIMITS.windowMs }),
    // Cloudflare sets CF-Connecting-IP itself (a client's own header of that name is replaced).
    clientAddress: { trustProxy: false, socketAddress: (c) => c.req.header('CF-Connecting-IP') },
    // Its reports name the database they ran on: PostgreSQL here, never the embedded default.
    reconciliationJobs: new ReconciliationJobRunner({
      db,
      database: 'postgres',
      onUnexpectedError: (error, jobId) => logger.error('reconciliation job failed', { jobId, ...describeError(error) }),
    }),
  });
}

function appFor(env: WorkerEnv): Promise<App> {
  appPromise ??= makeApp(env).catch((error: unknown) => {
    appPromise = undefined; // a corrected secret takes effect at the next request
    throw error;
  });
  return appPromise;
}

function openClient(env: WorkerEnv): PrismaClient {
  // One connection: a request runs its queries one after another, Hyperdrive pools across requests.
  const adapter = new PrismaPg({ connectionString: env.HYPERDRIVE.connectionString, max: 1 });
  return new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS });
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let app: App;
    try {
      app = await appFor(env);
    } catch (error) {
      console.error(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'worker not configured', ...describeError(error) }));
      return new Response(JSON.stringify({ type: 'about:blank', title: '服务未配置 Service not configured', status: 503 }), {
        status: 503,
        headers: { 'Content-Type': 'application/problem+json' },
      });
    }
    const client = openClient(env);
    return requestClient.run(client, async () => {
      let response: Response;
      try {
        response = await app.fetch(request, env, ctx);
      } catch (error) {
        ctx.waitUntil(client.$disconnect());
        throw error;
      }
      // The body is read inside this request's scope, so that a stream that queries as it goes finds its client.
      const { response: sent, done } = releaseAfterBody(response, () => client.$disconnect());
      ctx.waitUntil(done);
      return sent;
    });
  },
};
