// Exactly-once for money-moving requests (DESIGN.md §3, invariant 5):
//   same key + same body  → the original status and body, marked `Idempotency-Replayed: true`;
//   same key + other body → 409 idempotency_key_reused;
//   a key whose request was refused by a rule or conflict keeps being refused.
// The key is claimed inside the use case's own transaction, so the outcome and the money commit
// together; a concurrent request with the same key waits on that claim and then replays it.
import { sha256Hex } from '../domain/sha256.ts';
import type { Context } from 'hono';
import { ConflictError, DomainError, TransientConflictError } from '../domain/errors.ts';
import { type ServiceContext, runTransaction } from '../services/context.ts';
import { type StoredOutcome, claimKey, completeKey, findOutcome, recordFailure } from '../services/idempotency-store.ts';
import type { AppEnv } from './env.ts';
import { PROBLEM_CONTENT_TYPE, problemFromError } from './problem.ts';

class KeyAlreadyClaimed extends Error {}

function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/** The fingerprint of a request: the operation (with its path parameters) and the body, key order ignored. */
export function requestFingerprint(operation: string, body: unknown): string {
  return sha256Hex(stableStringify({ operation, body }));
}

export interface IdempotentCall<T> {
  key: string;
  /** Names the use case and the record it acts on, e.g. `funding_receipt.record:<programme id>`. */
  operation: string;
  body: unknown;
  ctx: ServiceContext;
  run: (ctx: ServiceContext) => Promise<T>;
  present: (result: T) => { status: 200 | 201; body: unknown };
  /** A longer transaction limit for use cases that grow with a batch (see BATCH_TRANSACTION_TIMEOUT_MS). */
  timeoutMs?: number;
}

function respond(c: Context<AppEnv>, status: number, body: unknown, replayed: boolean): Response {
  const isProblem = status >= 400;
  const payload = isProblem ? { ...(body as object), instance: c.get('requestId') } : body;
  return c.body(JSON.stringify(payload), status as 200, {
    'Content-Type': isProblem ? PROBLEM_CONTENT_TYPE : 'application/json',
    'Idempotency-Replayed': replayed ? 'true' : 'false',
  });
}

function replay(c: Context<AppEnv>, stored: StoredOutcome, operation: string, fingerprint: string): Response {
  if (stored.operation !== operation || stored.requestHash !== fingerprint) {
    throw new ConflictError('idempotency_key_reused', 'This Idempotency-Key was used for a different request. Use a new key for a new request.');
  }
  return respond(c, stored.statusCode, stored.body, true);
}

export async function runIdempotent<T>(c: Context<AppEnv>, call: IdempotentCall<T>): Promise<Response> {
  const { db, actor } = call.ctx;
  const fingerprint = requestFingerprint(call.operation, call.body);
  const earlier = await findOutcome(db, actor.userId, call.key);
  if (earlier) return replay(c, earlier, call.operation, fingerprint);

  try {
    const outcome = await runTransaction(() =>
      db.$transaction(async (tx) => {
        if (!(await claimKey(tx, actor.userId, call.key, call.operation, fingerprint))) throw new KeyAlreadyClaimed();
        const presented = call.present(await call.run({ ...call.ctx, tx }));
        await completeKey(tx, actor.userId, call.key, presented.status, presented.body);
        return presented;
      }, call.timeoutMs ? { timeout: call.timeoutMs } : undefined),
    );
    return respond(c, outcome.status, outcome.body, false);
  } catch (error) {
    if (error instanceof KeyAlreadyClaimed) {
      const stored = await findOutcome(db, actor.userId, call.key);
      if (stored) return replay(c, stored, call.operation, fingerprint);
      throw error;
    }
    // Refusals that depend on the request itself are remembered; transient failures (5xx, or a
    // conflict with concurrent requests that kept aborting the transaction) are not, so a retry can
    // still succeed.
    if (error instanceof DomainError && (error.kind === 'rule' || error.kind === 'conflict') && !(error instanceof TransientConflictError)) {
      const { body } = problemFromError(error);
      if (await recordFailure(db, actor.userId, call.key, call.operation, fingerprint, body.status, body)) {
        return respond(c, body.status, body, false);
      }
      const stored = await findOutcome(db, actor.userId, call.key);
      if (stored) return replay(c, stored, call.operation, fingerprint);
    }
    throw error;
  }
}
