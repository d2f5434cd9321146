// An open-loop load at a constant offered rate, for bench:http. Request i is due at start + i / rate,
// evenly spaced, whether or not earlier answers have arrived: that is how independent users arrive.
// Its latency is counted from when it was due, not from when a connection was free to send it, so
// a service that falls behind is charged for the queue it causes (no "coordinated omission").
//
// Why not autocannon's own rate: its limit is a window per connection per second, so with n
// connections at n requests/s every connection sends its one request at the start of each second —
// the "rate" arrives as one burst of n requests a second, and a bound on requests in flight below n
// sheds the rest of every burst at any rate.
import http from 'node:http';

export interface OpenLoopRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  /** Called per request: a fresh key and body for a write. */
  fresh?: () => { headers: Record<string, string>; body: string };
}

export interface OpenLoopResult {
  /** Answers by HTTP status. */
  statuses: Map<number, number>;
  /** Latency of every answered request in ms, from when it was due; sorted ascending. */
  latencies: number[];
  /** Socket errors (refused, reset). */
  errors: number;
  /** Requests with no answer within the time-out. */
  timeouts: number;
  /** From the first request due to the last answer. */
  elapsedMs: number;
}

/** The q-quantile (0–1) of sorted values, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * Offers `request` to `base` at `rate` per second for `durationSeconds`, over at most `connections`
 * kept-alive sockets (a request due while all are busy waits for one, and its wait is counted).
 */
export async function offerAtRate(
  base: string,
  request: OpenLoopRequest,
  rate: number,
  durationSeconds: number,
  connections: number,
  timeoutMs = 30_000,
): Promise<OpenLoopResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(base);
  const total = Math.round(rate * durationSeconds);
  const intervalMs = 1000 / rate;
  const statuses = new Map<number, number>();
  const latencies: number[] = [];
  let errors = 0;
  let timeouts = 0;
  const pending: Promise<void>[] = [];

  const send = (dueAt: number): Promise<void> =>
    new Promise<void>((finished) => {
      const fresh = request.fresh?.();
      const body = fresh?.body;
      const headers = { ...(fresh?.headers ?? request.headers), ...(body ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) };
      const req = http.request({ agent, host: url.hostname, port: url.port, method: request.method, path: request.path, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - dueAt);
          statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
          finished();
        });
        res.on('error', () => {
          errors++;
          finished();
        });
      });
      req.setTimeout(timeoutMs, () => {
        timeouts++;
        req.destroy(new Error('timeout'));
      });
      req.on('error', (e) => {
        if (e.message !== 'timeout') errors++;
        finished();
      });
      req.end(body);
    });

  const start = performance.now();
  let next = 0;
  await new Promise<void>((allSent) => {
    const tick = () => {
      const now = performance.now();
      // Every request whose time has come is sent now; a late timer never thins the offered rate.
      while (next < total && start + next * intervalMs <= now) {
        pending.push(send(start + next * intervalMs));
        next++;
      }
      if (next >= total) return allSent();
      setTimeout(tick, Math.max(0, start + next * intervalMs - performance.now()));
    };
    tick();
  });
  await Promise.all(pending);
  const elapsedMs = performance.now() - start;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { statuses, latencies, errors, timeouts, elapsedMs };
}
