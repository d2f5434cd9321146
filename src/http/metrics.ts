// The service's metrics as the app sees them: what it records while it answers, and what it reads
// when it is scraped. Portable: the Prometheus implementation (prom-client) lives in
// metrics-node.ts, and an app built without one (Workers, most tests) records nothing.
//
// Labels never carry personal data or ids: a request is labelled by its route pattern
// (`/api/v1/students/:id`), never by its URL, and by a method from a fixed list.
import type { DatabasePoolUse } from '../db/pool-use.ts';
import type { OperatingReadings } from '../services/operating-readings.ts';

export type { DatabasePoolUse };

export interface RequestObservation {
  method: string;
  /** The matched route pattern (Hono's routePath), never the URL. */
  route: string;
  status: number;
  seconds: number;
}

/** What is read when the metrics are scraped: figures that exist elsewhere already. */
export interface ScrapeReadings {
  requestsInFlight: number;
  maxRequestsInFlight: number;
  /** Requests refused past the bound since the start. */
  requestsShed: number;
  /** Failed authentications (tokens and sign-ins) and the requests refused for them (429), since the start. */
  authentication: { failures: number; refusals: number };
  /** Absent when the app was not told how to read it: then no pool metric is shown. */
  pool?: DatabasePoolUse;
  /**
   * Read from the database at scrape time, or null when it did not answer (the other metrics are
   * still shown): the sequence numbers at the heads of the two hash chains (0 when empty; what
   * checkpoints sign, without the hashes) and the transactions waiting for the ledger's append lock.
   */
  database: OperatingReadings | null;
}

export interface AppMetrics {
  observeRequest(observation: RequestObservation): void;
  /** A request answered 503 at its deadline (src/http/request-deadline.ts). */
  deadlineExceeded(): void;
  /** An idempotent request answered from its stored outcome: a success, or a refusal remembered. */
  idempotentReplay(outcome: 'success' | 'refusal'): void;
  /** The exposition text, with the readings of this moment. */
  exposition(readings: ScrapeReadings): Promise<string>;
  readonly contentType: string;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** A method a label may carry: anything else a client sends is `OTHER`, so labels stay few. */
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : 'OTHER';
}
