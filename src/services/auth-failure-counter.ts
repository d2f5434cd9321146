// What authentication asks of a count of failed authentications per client address, whichever
// keeps it: the process (src/http/failure-limiter.ts) or PostgreSQL (./auth-failure-window.ts).

export type LimitDecision = { limited: false } | { limited: true; retryAfterSeconds: number };

/** The in-memory one serves the embedded database (one process); the PostgreSQL one every instance. */
export interface AuthFailureCounter {
  check(key: string): LimitDecision | Promise<LimitDecision>;
  recordFailure(key: string): void | Promise<void>;
  /** Failed authentications this instance saw since it started, for metrics. */
  readonly failures: number;
  /** Requests this instance refused since it started, for metrics. */
  readonly refusals: number;
}
