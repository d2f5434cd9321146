// A server-side deadline per request (REQUEST_DEADLINE_MS): a request that cannot be answered in
// time is answered 503 `deadline_exceeded` with Retry-After at once, instead of making its client
// (and the requests queued behind it) wait for an answer nobody may still want.
//
// What may be given up, and when:
// - a read (GET, HEAD) at the deadline, whatever it is doing: nothing of it matters once its client
//   was told it failed. Its work still finishes in the background and keeps its place among the
//   requests in flight until then, so that shedding stays honest about how busy the instance is;
// - a money-moving request (an idempotent route, src/http/idempotency.ts) only while it waits for
//   its database transaction. A transaction that started in time is allowed to finish and its
//   answer is sent, late if need be; one that starts after the deadline rolls back at once, before
//   anything of it is written. So it commits before its answer or not at all, never after its
//   client was told it failed, and a retry with the same Idempotency-Key is safe either way;
// - any other write (the pages' forms, other posts): never; it finishes and answers as before.
export const DEFAULT_REQUEST_DEADLINE_MS = 10_000;

/** How long a client that was answered `deadline_exceeded` is asked to wait before it retries. */
export const DEADLINE_RETRY_AFTER_SECONDS = 1;

/**
 * open: a write the deadline does not answer for (not an idempotent route);
 * answerable: a read, or a write waiting for its transaction; committing: a write whose transaction
 * started in time; expired: answered 503 (a write that reaches its transaction later rolls back).
 */
type State = 'open' | 'answerable' | 'committing' | 'expired';

export class RequestDeadline {
  private state: State;
  private timeUp = false;

  constructor(answerable: boolean) {
    this.state = answerable ? 'answerable' : 'open';
  }

  /**
   * Called when the time is up: true if the request may be answered 503 now. A write still
   * `open` is not answered here; it learns at its transaction (waitForTransaction) that its time
   * is up.
   */
  expire(): boolean {
    this.timeUp = true;
    if (this.state !== 'answerable') return false;
    this.state = 'expired';
    return true;
  }

  /**
   * Called by a money-moving write before it reads its idempotency key and waits for its
   * transaction: from now on the deadline may answer for it. False if its time is already up
   * (nothing was written; the caller answers 503).
   */
  waitForTransaction(): boolean {
    if (this.timeUp) {
      this.state = 'expired';
      return false;
    }
    if (this.state === 'open') this.state = 'answerable';
    return true;
  }

  /**
   * Called by a write as its transaction starts, before it writes anything: true if it may go on
   * (the deadline then no longer answers for it), false if its client was already answered 503 (the
   * write must roll back). Both run on one thread: whichever comes first decides.
   */
  claimForCommit(): boolean {
    if (this.state === 'expired') return false;
    this.state = 'committing';
    return true;
  }

  get expired(): boolean {
    return this.state === 'expired';
  }
}

/** Reads may be answered at the deadline whatever they are doing; writes only while they wait (see above). */
export function isRead(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

/** Thrown by a write that found its deadline passed before its transaction could claim it: nothing was written. */
export class DeadlineExceeded extends Error {
  constructor() {
    super('the request deadline passed before its transaction started; nothing was written');
    this.name = 'DeadlineExceeded';
  }
}
