// Node entry: configuration, database (migrated on start), optional demo data, HTTP server.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { directoryArchive } from './checkpoints/archive-node.ts';
import { Checkpointer } from './checkpoints/checkpointer.ts';
import { CheckpointKeyError } from './checkpoints/ed25519.ts';
import { checkpointDirectory, resolveCheckpointSigner } from './checkpoints/key-source-node.ts';
import { sealLedgerAppends } from './ledger/seal-key-node.ts';
import { ConfigError, loadConfig } from './config.ts';
import { targetFromConfig, openDatabase } from './db/client.ts';
import { DataDirLockedError, recordServiceAddress } from './db/data-dir-lock.ts';
import { NewDataDirError, isNewDataDir, prepareDataDirInChild } from './db/new-data-dir-node.ts';
import { applyMigrations, migrationStatus } from './db/migrations.ts';
import { startDemo } from './demo/demo-start-node.ts';
import type { DemoToken } from './demo/seed.ts';
import { COUNTY_LIST_FILES } from './demo/write-county-list.ts';
import { DEFAULT_AUTH_FAILURE_LIMITS, createApp } from './http/app.ts';
import { nodeSocketAddress } from './http/client-address-node.ts';
import { nodeDocsAssets } from './http/docs-assets-node.ts';
import { FailureLimiter } from './http/failure-limiter.ts';
import { InFlightLimit } from './http/in-flight-limit.ts';
import { createLogger, describeError } from './http/logger.ts';
import { createPrometheusMetrics } from './http/metrics-node.ts';
import { internalMetricsApp } from './http/routes/metrics.ts';
import { resolveKeyMaterial } from './privacy/key-source.ts';
import { PiiKeyError, createPiiVault } from './privacy/pii-vault.ts';
import { BulkJobRunner } from './services/bulk-step-job-runner.ts';
import { interruptAbandonedBulkStepJobs } from './services/bulk-step-jobs.ts';
import { ReconciliationJobRunner } from './services/reconciliation-job-runner.ts';
import { SharedFailureLimiter } from './services/auth-failure-window.ts';
import { interruptAbandonedJobs } from './services/reconciliation-jobs.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  let vault;
  try {
    vault = await createPiiVault(resolveKeyMaterial(config));
  } catch (error) {
    if (error instanceof PiiKeyError) fail(`personal-data keys: ${error.message}`);
    throw error;
  }
  // The checkpoint key too is checked before anything else starts: never in the database.
  const signer = await resolveCheckpointSigner(config).catch((error: unknown) => {
    if (error instanceof CheckpointKeyError) fail(`checkpoint signing key: ${error.message}`);
    throw error;
  });
  // Every append this process makes is sealed with a key derived from it (before the demo loads).
  await sealLedgerAppends(config);
  const target = targetFromConfig(config);
  if (target.kind === 'embedded' && target.dataDir !== null && isNewDataDir(resolve(target.dataDir))) {
    await prepareDataDirInChild().catch((error: unknown) => {
      if (error instanceof NewDataDirError) process.exit(error.exitCode);
      throw error;
    });
  }
  const db = await openDatabase(target).catch((error: unknown) => {
    if (error instanceof DataDirLockedError) fail(error.message);
    throw error;
  });

  const { applied } = await applyMigrations(db.adapterFactory);
  logger.info('database ready', { database: db.description, migrationsApplied: applied.length });

  // Demo data is for the embedded default; a production server never gets it unless asked.
  const wantDemo = config.DEMO_DATA ?? target.kind === 'embedded';
  const tokensFile = target.kind === 'embedded' ? join(resolve(target.dataDir ?? '.'), 'demo-tokens.json') : null;
  const demoDir = target.kind === 'embedded' ? resolve(target.dataDir ?? '.') : null;
  let demoTokens: DemoToken[] = [];
  if (wantDemo) {
    const demo = await startDemo({ db, vault, dataDir: demoDir, replay: config.DEMO_REPLAY, say: (line) => console.error(line) });
    demoTokens = demo.tokens;
    if (demo.loadedNow) logger.info('demo data loaded', { organisations: 6, tokens: demoTokens.length });
  }

  // Reconciliations that an earlier process left queued or running can no longer finish: on the
  // embedded database (one process at a time) all of them; on PostgreSQL those whose holder's
  // heartbeat stopped (other instances may be running theirs).
  const interrupted = await interruptAbandonedJobs(db.prisma, { all: target.kind === 'embedded' });
  if (interrupted > 0) logger.info('reconciliation jobs interrupted', { jobs: interrupted });
  const reconciliationJobs = new ReconciliationJobRunner({
    db: db.prisma,
    database: db.kind,
    onUnexpectedError: (error, jobId) => logger.error('reconciliation job failed', { jobId, ...describeError(error) }),
  });
  // Bulk steps likewise; the students such a job did stay done (each is its own transaction).
  const bulkInterrupted = await interruptAbandonedBulkStepJobs(db.prisma, { all: target.kind === 'embedded' });
  if (bulkInterrupted > 0) logger.info('bulk step jobs interrupted', { jobs: bulkInterrupted });
  const bulkStepJobs = new BulkJobRunner({
    db: db.prisma,
    onUnexpectedError: (error, jobId) => logger.error('bulk step job failed', { jobId, ...describeError(error) }),
  });

  // Signed checkpoints of both chains, daily (the first now) and after every payout batch sent.
  const checkpoints = new Checkpointer({ db: db.prisma, signer, archive: directoryArchive(checkpointDirectory(config)), logger });

  // On PostgreSQL counted in the database, so that every instance behind a load balancer shares one
  // count per address; the embedded database has one process, which counts in memory.
  const failureLimits = { maxFailures: config.AUTH_FAILURE_LIMIT, windowMs: config.AUTH_FAILURE_WINDOW_SECONDS * 1000 };
  const authFailures =
    target.kind === 'postgres' ? new SharedFailureLimiter(db.prisma, failureLimits) : new FailureLimiter({ ...DEFAULT_AUTH_FAILURE_LIMITS, ...failureLimits });
  const inFlight = new InFlightLimit(config.MAX_REQUESTS_IN_FLIGHT);
  const metrics = createPrometheusMetrics({ database: db.kind });
  const app = createApp({
    db: db.prisma,
    logger,
    vault,
    migrationStatus: () => migrationStatus(db.adapterFactory),
    docsAssets: nodeDocsAssets(),
    authFailures,
    clientAddress: { trustProxy: config.TRUST_PROXY, socketAddress: nodeSocketAddress },
    inFlight,
    metrics,
    databasePool: () => db.poolUse(),
    requestDeadlineMs: config.REQUEST_DEADLINE_MS,
    reconciliationJobs,
    bulkStepJobs,
    checkpoints,
  });
  const stopDailyCheckpoints = checkpoints.daily();
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    const base = `http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}`;
    if (target.kind === 'embedded' && target.dataDir !== null) recordServiceAddress(resolve(target.dataDir), base);
    const lines = [
      '',
      `助学金发放账本 · Scholarship ledger listening on ${base}`,
      `  API docs:  ${base}/docs`,
      `  OpenAPI:   ${base}/openapi.json`,
      `  Health:    ${base}/healthz (alive), ${base}/readyz (ready for traffic)`,
      `  Metrics:   ${base}/metrics (an admin's token)${config.METRICS_PORT === undefined ? '' : `; without one on ${config.METRICS_HOST}:${config.METRICS_PORT}`}`,
      `  Database:  ${db.description}`,
    ];
    if (demoTokens.length > 0) {
      lines.push('', `演示令牌 Demo tokens (demo data only${tokensFile ? `; kept in ${tokensFile}` : ''}):`);
      for (const t of demoTokens) lines.push(`  ${t.role.padEnd(18)} ${t.organisation.padEnd(13)} ${t.token}`);
      lines.push('', `  e.g. curl -H "Authorization: Bearer ${demoTokens[0]?.token}" ${base}/api/v1/programmes`);
      const people = demoTokens.filter((t) => t.username && t.password);
      if (people.length > 0) {
        lines.push('', `演示用户 Demo users for the pages (${base}/):`);
        for (const t of people) lines.push(`  ${t.role.padEnd(18)} ${t.organisation.padEnd(13)} 用户名 ${t.username.padEnd(16)} 密码 ${t.password}`);
      }
      if (demoDir && existsSync(join(demoDir, COUNTY_LIST_FILES.clean))) {
        lines.push('', `演示县级名单 A county's list for the intake page (批量导入学生): ${join(demoDir, COUNTY_LIST_FILES.clean)}`);
        lines.push(`  and the same list with three mistakes: ${join(demoDir, COUNTY_LIST_FILES.mistakes)}`);
      }
    }
    console.log(lines.join('\n'));
  });
  // The internal listener: /metrics without a token, for a monitoring network only.
  const metricsServer =
    config.METRICS_PORT === undefined
      ? null
      : serve(
          {
            fetch: internalMetricsApp(metrics, { db: db.prisma, inFlight, authFailures, databasePool: () => db.poolUse() }).fetch,
            port: config.METRICS_PORT,
            hostname: config.METRICS_HOST,
          },
          (info) => logger.info('metrics listening', { address: info.address, port: info.port }),
        );

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info('shutting down', { signal });
    stopDailyCheckpoints();
    metricsServer?.close();
    metrics.close();
    server.close(() => {
      Promise.all([reconciliationJobs.stop(), bulkStepJobs.stop()])
        .catch(() => {})
        .then(() => db.close())
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    });
    // Keep-alive connections could hold close() open; do not hang a deploy.
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  return logger;
}

main().catch((error: unknown) => {
  console.error(JSON.stringify({ level: 'error', msg: 'startup failed', ...describeError(error) }));
  process.exit(1);
});
