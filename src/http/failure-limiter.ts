// Counts failed authentications per client address in a fixed window that opens at the first
// failure: after `maxFailures` inside the window the address is refused until the window closes.
// Pure and in memory, with an injectable clock, so its tests need no sleeping.
//
// This one keeps its counts in the process: for the embedded database, which one process serves.
// On PostgreSQL every instance (Node behind a load balancer, Workers isolates) shares one count
// through the database instead (src/services/auth-failure-window.ts), under the same rule.

export interface FailureLimiterOptions {
  /** Failures allowed inside one window; the next request from the address is refused. */
  maxFailures: number;
  windowMs: number;
  /**
   * Addresses tracked at once. When full, expired windows are dropped first, then the oldest
   * window: memory stays bounded whatever a caller with many addresses does.
   */
  maxKeys: number;
  /** Milliseconds since the epoch; Date.now by default. */
  now?: () => number;
}

import type { AuthFailureCounter, LimitDecision } from '../services/auth-failure-counter.ts';

export type { AuthFailureCounter, LimitDecision };

interface Window {
  startedAt: number;
  failures: number;
}

export class FailureLimiter implements AuthFailureCounter {
  /** Insertion order is window-start order (a new window is deleted and re-inserted), so the oldest is first. */
  private readonly windows = new Map<string, Window>();
  private readonly now: () => number;
  private failureCount = 0;
  private refusalCount = 0;

  constructor(private readonly options: FailureLimiterOptions) {
    if (!(options.maxFailures >= 1 && options.windowMs >= 1 && options.maxKeys >= 1))
      throw new RangeError('maxFailures, windowMs and maxKeys must be positive');
    this.now = options.now ?? Date.now;
  }

  /** Whether `key` is refused now; counts nothing against `key` (a refusal is counted for metrics only). */
  check(key: string): LimitDecision {
    const now = this.now();
    const window = this.live(key, now);
    if (!window || window.failures < this.options.maxFailures) return { limited: false };
    this.refusalCount++;
    return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + this.options.windowMs - now) / 1000)) };
  }

  recordFailure(key: string): void {
    this.failureCount++;
    const now = this.now();
    const window = this.live(key, now);
    if (window) {
      window.failures++;
      return;
    }
    this.makeRoom(now);
    this.windows.set(key, { startedAt: now, failures: 1 });
  }

  /** Failed authentications since the start (tokens and sign-ins), for metrics: no address is kept for them. */
  get failures(): number {
    return this.failureCount;
  }

  /** Requests refused since the start because their address had failed too often, for metrics. */
  get refusals(): number {
    return this.refusalCount;
  }

  /** Addresses tracked now (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  private live(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window && now >= window.startedAt + this.options.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  private makeRoom(now: number): void {
    // Oldest first: stop at the first window still open, so the sweep costs only what it removes.
    for (const [key, window] of this.windows) {
      if (now < window.startedAt + this.options.windowMs) break;
      this.windows.delete(key);
    }
    while (this.windows.size >= this.options.maxKeys) {
      const oldest = this.windows.keys().next().value as string;
      this.windows.delete(oldest);
    }
  }
}
