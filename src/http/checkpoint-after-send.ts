// A checkpoint after every payout batch sent (API or page), taken once the request is answered —
// after its transaction committed — so that the money just recorded as on its way is signed for.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';

const SENT = [/^\/api\/v1\/payout-batches\/[^/]+\/sending$/, /^\/programmes\/[^/]+\/payout-batches\/[^/]+\/send$/];

export const checkpointAfterBatchSent: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.req.method !== 'POST' || c.res.status >= 400 || !SENT.some((p) => p.test(c.req.path))) return;
  // A refused send answers 4xx; a repeat answers its first outcome again: a checkpoint then finds
  // the head unchanged and signs nothing.
  c.get('deps').checkpoints?.soon('payout_batch.sent');
};
