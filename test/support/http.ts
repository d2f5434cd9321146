// In-process HTTP: the app under test is called with app.request(), no server or port.
import { InFlightLimit } from '../../src/http/in-flight-limit.ts';
import { createApp } from '../../src/http/app.ts';
import type { AppDeps } from '../../src/http/env.ts';
import { FailureLimiter } from '../../src/http/failure-limiter.ts';
import { createLogger } from '../../src/http/logger.ts';
import type { PrismaClient } from '#prisma';
import { nodeDocsAssets } from '../../src/http/docs-assets-node.ts';
import type { PiiVault } from '../../src/privacy/pii-vault.ts';

export interface CapturedLogs {
  lines: string[];
}

/**
 * In-process requests have no socket, so every test's failed authentications would share the one
 * 'unknown' address and trip the limiter: by default the tests get a limiter that never refuses.
 * The limiter's own tests pass `authFailures` and `clientAddress` with real limits.
 */
export function makeApp(
  db: PrismaClient,
  vault: PiiVault,
  options: Pick<
    AppDeps,
    'authFailures' | 'clientAddress' | 'reconciliationJobs' | 'inFlight' | 'checkpoints' | 'requestDeadlineMs' | 'metrics' | 'databasePool' | 'migrationStatus'
  > = {},
) {
  const logs: CapturedLogs = { lines: [] };
  const app = createApp({
    db,
    vault,
    logger: createLogger('debug', (line) => logs.lines.push(line)),
    docsAssets: nodeDocsAssets(),
    authFailures: options.authFailures ?? new FailureLimiter({ maxFailures: Number.MAX_SAFE_INTEGER, windowMs: 1, maxKeys: 1 }),
    ...(options.clientAddress ? { clientAddress: options.clientAddress } : {}),
    ...(options.reconciliationJobs ? { reconciliationJobs: options.reconciliationJobs } : {}),
    ...(options.checkpoints ? { checkpoints: options.checkpoints } : {}),
    // Races in the tests send many requests at once on purpose: no shedding unless a test asks for it.
    inFlight: options.inFlight ?? new InFlightLimit(Number.MAX_SAFE_INTEGER),
    ...(options.requestDeadlineMs ? { requestDeadlineMs: options.requestDeadlineMs } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.databasePool ? { databasePool: options.databasePool } : {}),
    ...(options.migrationStatus ? { migrationStatus: options.migrationStatus } : {}),
  });
  return { app, logs };
}

type App = ReturnType<typeof makeApp>['app'];

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is, for malformed-JSON tests. */
  rawBody?: string;
  /** A multipart form (uploads): its Content-Type, with the boundary, is set by the request itself. */
  form?: FormData;
  idempotencyKey?: string;
  headers?: Record<string, string>;
}

export async function call(app: App, method: string, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  let body: string | FormData | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['Content-Type'] ??= 'application/json';
  if (options.form !== undefined) body = options.form;
  const response = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, json, text };
}

export function newKey(): string {
  return crypto.randomUUID();
}
