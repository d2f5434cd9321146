// Back-pressure: a bound on the requests one instance works on at once. Past it, a request is
// answered at once with 503 and Retry-After instead of queueing behind the others for minutes
// (on the embedded database every request waits for the one connection; on PostgreSQL for the
// pool): a client or a load balancer can then retry later or elsewhere. Nothing of a refused
// request has run, so a money-moving request never commits after it was told it failed.
//
// The count covers a request until its handler has answered; a streamed body (a large export)
// finishes after that, outside the count. The health probe is never refused: an instance that is
// busy is alive.
import type { MiddlewareHandler } from 'hono';
import { render } from '../domain/error-catalogue.ts';
import { problem, problemResponse } from './problem.ts';

export const DEFAULT_MAX_IN_FLIGHT = 64;

/** Resolves after the event loop has polled for I/O once (setImmediate on Node; a timer elsewhere). */
function nextTurn(): Promise<void> {
  return new Promise((resume) => (typeof setImmediate === 'function' ? setImmediate(resume) : setTimeout(resume, 0)));
}
/** How long a refused client is asked to wait: the queue ahead of it drains in well under this. */
const RETRY_AFTER_SECONDS = 1;

export class InFlightLimit {
  private current = 0;
  private shedCount = 0;

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`the bound on requests in flight must be a whole number ≥ 1: ${max}`);
  }

  /** Counts the request in, or false when the bound is reached (the request is then shed). */
  tryEnter(): boolean {
    if (this.current >= this.max) {
      this.shedCount++;
      return false;
    }
    this.current++;
    return true;
  }

  leave(): void {
    this.current--;
  }

  get inFlight(): number {
    return this.current;
  }

  /** Requests refused since the start, for metrics. */
  get shed(): number {
    return this.shedCount;
  }
}

export function shedPastLimit(limit: InFlightLimit, exempt: (path: string) => boolean): MiddlewareHandler {
  return async (c, next) => {
    if (exempt(c.req.path)) return next();
    if (!limit.tryEnter()) {
      c.header('Retry-After', String(RETRY_AFTER_SECONDS));
      return problemResponse(c, problem(503, 'overloaded', render('overloaded', { retryAfterSeconds: RETRY_AFTER_SECONDS })));
    }
    try {
      // Let the requests already waiting be read (and counted, or shed) before this one runs: the
      // embedded database answers within the same turn of the event loop, so without this pause
      // one request would run whole while the rest wait unseen in the socket queue.
      await nextTurn();
      await next();
    } finally {
      limit.leave();
    }
  };
}
