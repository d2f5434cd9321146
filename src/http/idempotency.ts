// Exactly-once for money-moving requests (DESIGN.md §3, invariant 5):
//   same key + same body  → the original status and body, marked `Idempotency-Replayed: true`;
//   same key + other body → 409 idempotency_key_reused;
//   a key whose request was refused by a rule or conflict keeps being refused, and the replayed
//   refusal says so in its body (`replayed`, `replayNote`): a new attempt needs a new key.
// The key is claimed inside the use case's own transaction, so the outcome and the money commit
// together; a concurrent request with the same key waits on that claim and then replays it.
import type { z } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import { sha256Hex } from '../domain/sha256.ts';
import { ConflictError, DomainError, TransientConflictError } from '../domain/errors.ts';
import { type ServiceContext, runTransaction } from '../services/context.ts';
import { type StoredOutcome, claimKey, completeKey, findOutcome, recordFailure } from '../services/idempotency-store.ts';
import { serviceContext } from './context.ts';
import { DeadlineExceeded } from './request-deadline.ts';
import type { AppEnv } from './env.ts';
import { PROBLEM_CONTENT_TYPE, problemFromError } from './problem.ts';
import type { ProblemAnswer } from './problem-answer.ts';
import type { ProblemSchema } from './schemas/common.ts';

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

/** The statuses a use case's result is presented with. */
type SuccessStatus = 200 | 201;

/** The context of a route defined `idempotent` (define-route.ts): its Idempotency-Key header is validated. */
export type IdempotentContext = Context<AppEnv, string, { out: { header: { 'idempotency-key': string } } }>;

export interface IdempotentCall<T, S extends SuccessStatus, B extends object> {
  /** Names the use case and the record it acts on, e.g. `funding_receipt.record:<programme id>`. */
  operation: string;
  body: unknown;
  /** The use case, in the transaction that claims the key. */
  run: (ctx: ServiceContext) => Promise<T>;
  present: (result: T) => { status: S; body: B };
  /** A longer transaction limit for use cases that grow with a batch (see BATCH_TRANSACTION_TIMEOUT_MS). */
  timeoutMs?: number;
}

/**
 * What an idempotent route answers, the first time or replayed: the presented result, or a
 * remembered refusal by a rule (422) or a conflict (409). Typed, so that @hono/zod-openapi checks
 * it against the responses the route declares.
 */
export type IdempotentAnswer<S extends SuccessStatus, B> = (Response & TypedResponse<JSONParsed<B>, S, 'json'>) | ProblemAnswer<409 | 422>;

function replayedHeader(replayed: boolean) {
  return { 'Idempotency-Replayed': replayed ? 'true' : 'false' };
}

function presented<S extends SuccessStatus, B extends object>(c: Context<AppEnv>, status: S, body: B, replayed: boolean) {
  return c.json(body, status, replayedHeader(replayed));
}

/**
 * Said in a replayed refusal, so that a person who fixed the cause and sent the same key again
 * learns why nothing changed: the key keeps its first answer, a new attempt needs a new key.
 */
export const REPLAYED_REFUSAL = {
  replayed: true,
  replayNote:
    '这是此幂等键（Idempotency-Key）首次请求时的拒绝答复的重放，本次请求未被执行；修正后再试，请使用新的幂等键 (a replay of the refusal given the first time this Idempotency-Key was used: this request was not carried out; to try again, send a new key)',
} as const;

function refused(c: Context<AppEnv>, status: number, body: unknown, replayed: boolean): ProblemAnswer<409 | 422> {
  // Only refusals by a rule (422) or a conflict (409) are stored: see the end of runIdempotent.
  const problem = { ...(body as z.infer<typeof ProblemSchema>), instance: c.get('requestId'), ...(replayed ? REPLAYED_REFUSAL : {}) };
  return c.json(problem, status as 409 | 422, {
    'Content-Type': PROBLEM_CONTENT_TYPE,
    ...replayedHeader(replayed),
  });
}

function replay<S extends SuccessStatus, B extends object>(
  c: Context<AppEnv>,
  stored: StoredOutcome,
  operation: string,
  fingerprint: string,
): IdempotentAnswer<S, B> {
  if (stored.operation !== operation || stored.requestHash !== fingerprint) {
    throw new ConflictError('idempotency_key_reused', 'This Idempotency-Key was used for a different request. Use a new key for a new request.');
  }
  c.get('deps').metrics?.idempotentReplay(stored.statusCode >= 400 ? 'refusal' : 'success');
  if (stored.statusCode >= 400) return refused(c, stored.statusCode, stored.body, true);
  // A completed outcome is what `present` gave for this operation, stored as JSON.
  return presented(c, stored.statusCode as S, stored.body as B, true);
}

export async function runIdempotent<T, S extends SuccessStatus, B extends object>(
  c: IdempotentContext,
  call: IdempotentCall<T, S, B>,
): Promise<IdempotentAnswer<S, B>> {
  const ctx = serviceContext(c);
  const { db, actor } = ctx;
  // From here the request's deadline may answer 503 while it waits for its transaction; once the
  // transaction has started in time it finishes and answers, so it never commits after its client
  // was told it failed (src/http/request-deadline.ts).
  const deadline = c.get('deadline');
  if (deadline && !deadline.waitForTransaction()) throw new DeadlineExceeded();
  const key = c.req.valid('header')['idempotency-key'];
  const fingerprint = requestFingerprint(call.operation, call.body);
  const earlier = await findOutcome(db, actor.userId, key);
  if (earlier) return replay<S, B>(c, earlier, call.operation, fingerprint);

  try {
    const outcome = await runTransaction(() =>
      db.$transaction(
        async (tx) => {
          // Its client was answered 503 while this waited: roll back before anything is written.
          if (deadline && !deadline.claimForCommit()) throw new DeadlineExceeded();
          if (!(await claimKey(tx, actor.userId, key, call.operation, fingerprint))) throw new KeyAlreadyClaimed();
          const presentation = call.present(await call.run({ ...ctx, tx }));
          await completeKey(tx, actor.userId, key, presentation.status, presentation.body);
          return presentation;
        },
        call.timeoutMs ? { timeout: call.timeoutMs } : undefined,
      ),
    );
    return presented(c, outcome.status, outcome.body, false);
  } catch (error) {
    if (error instanceof KeyAlreadyClaimed) {
      const stored = await findOutcome(db, actor.userId, key);
      if (stored) return replay<S, B>(c, stored, call.operation, fingerprint);
      throw error;
    }
    // Refusals that depend on the request itself are remembered; transient failures (5xx, or a
    // conflict with concurrent requests that kept aborting the transaction) are not, so a retry can
    // still succeed.
    if (error instanceof DomainError && (error.kind === 'rule' || error.kind === 'conflict') && !(error instanceof TransientConflictError)) {
      const { body } = problemFromError(error);
      if (await recordFailure(db, actor.userId, key, call.operation, fingerprint, body.status, body)) {
        return refused(c, body.status, body, false);
      }
      const stored = await findOutcome(db, actor.userId, key);
      if (stored) return replay<S, B>(c, stored, call.operation, fingerprint);
    }
    throw error;
  }
}
