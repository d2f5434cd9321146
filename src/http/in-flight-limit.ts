// Back-pressure: a bound on the requests one instance works on at once. Past it, a request is
// answered at once with 503 and Retry-After instead of queueing behind the others for minutes
// (on the embedded database every request waits for the one connection; on PostgreSQL for the
// pool): a client or a load balancer can then retry later or elsewhere. Nothing of a refused
// request has run, so a money-moving request never commits after it was told it failed.
//
// The count covers a request until its handler has answered; a streamed body (a large export)
// finishes after that, outside the count. The health probe is never refused: an instance that is
// busy is alive.
import type { Context, MiddlewareHandler } from 'hono';
import { render } from '../domain/error-catalogue.ts';
import type { AppEnv } from './env.ts';
import { problem, problemResponse } from './problem.ts';
import { DEADLINE_RETRY_AFTER_SECONDS, DEFAULT_REQUEST_DEADLINE_MS, RequestDeadline, isRead } from './request-deadline.ts';

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
  private lastShedAt = Number.NEGATIVE_INFINITY;

  /** `now`: milliseconds, Date.now by default (tests pass their own clock). */
  constructor(
    readonly max: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`the bound on requests in flight must be a whole number ≥ 1: ${max}`);
  }

  /** Counts the request in, or false when the bound is reached (the request is then shed). */
  tryEnter(): boolean {
    if (this.current >= this.max) {
      this.shedCount++;
      this.lastShedAt = this.now();
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

  /**
   * Whether the instance is shedding load: at its bound now, or it refused a request within the
   * last Retry-After. /readyz then says not ready, so that a load balancer sends new traffic
   * elsewhere before this instance refuses it.
   */
  get shedding(): boolean {
    return this.current >= this.max || this.now() - this.lastShedAt < RETRY_AFTER_SECONDS * 1000;
  }
}

function overloaded(c: Context): Response {
  c.header('Retry-After', String(RETRY_AFTER_SECONDS));
  return problemResponse(c, problem(503, 'overloaded', render('overloaded', { retryAfterSeconds: RETRY_AFTER_SECONDS })));
}

/** The answer to a request whose deadline passed (src/http/request-deadline.ts). */
export function deadlineExceeded(c: Context): Response {
  c.header('Retry-After', String(DEADLINE_RETRY_AFTER_SECONDS));
  return problemResponse(c, problem(503, 'deadline_exceeded', render('deadline_exceeded', { retryAfterSeconds: DEADLINE_RETRY_AFTER_SECONDS })));
}

/**
 * Sheds requests past the bound, and answers those that run out of time (`deadlineMs`, see
 * request-deadline.ts) at their deadline. A request given up at its deadline keeps its place in the
 * count until its work has ended: the count says how much work the instance really has.
 */
export function shedPastLimit(
  limit: InFlightLimit,
  exempt: (path: string) => boolean,
  deadline: { ms: number; idempotent: (method: string, path: string) => boolean; unbounded?: (method: string, path: string) => boolean } = {
    ms: DEFAULT_REQUEST_DEADLINE_MS,
    idempotent: () => false,
  },
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (exempt(c.req.path)) return next();
    if (!limit.tryEnter()) return overloaded(c);
    const unbounded = deadline.unbounded?.(c.req.method, c.req.path) ?? false;
    const due = new RequestDeadline(!unbounded && (isRead(c.req.method) || deadline.idempotent(c.req.method, c.req.path)));
    c.set('deadline', due);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeUp = new Promise<'expired'>((answer) => {
      timer = setTimeout(() => {
        if (due.expire()) answer('expired');
      }, deadline.ms);
    });
    // Let the requests already waiting be read (and counted, or shed) before this one runs: the
    // embedded database answers within the same turn of the event loop, so without this pause
    // one request would run whole while the rest wait unseen in the socket queue.
    const work = nextTurn()
      .then(() => next())
      .finally(() => {
        clearTimeout(timer);
        limit.leave();
      });
    const first = await Promise.race([work.then(() => 'answered' as const), timeUp]);
    if (first === 'answered') return;
    // Its client is answered now; whatever the work still does is not waited for (a failure of
    // it has nobody to be answered to: Hono has already turned any error into a response).
    work.catch(() => {});
    // Counted here, once: the work may still end in DeadlineExceeded, answered to nobody.
    c.get('deps').metrics?.deadlineExceeded();
    return deadlineExceeded(c);
  };
}
