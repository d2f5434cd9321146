// The service's metrics in Prometheus's text format, kept by prom-client (Node only). One
// registry per instance, never prom-client's global one: tests build several apps in one process,
// and each must count its own requests. Every metric is listed in README "Metrics and health".
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { type OperationEvent, onOperation } from '../telemetry/operations.ts';
import { type AppMetrics, type RequestObservation, type ScrapeReadings, methodLabel } from './metrics.ts';

const PREFIX = 'scholarship_';

/**
 * Seconds. Most answers take 10–40 ms (README "HTTP latency and back-pressure"); a request may
 * take up to REQUEST_DEADLINE_MS (10 s by default), a large batch's file or answer longer.
 */
export const REQUEST_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Seconds of one appending statement: a fraction of a millisecond alone, seconds behind a batch of thousands. */
export const APPEND_SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface PrometheusMetrics extends AppMetrics {
  /** Stops listening to the process's operations (appends, bank files, reconciliations). */
  close(): void;
}

/**
 * `database`: which database the pool readings will describe (the waiting count exists on
 * PostgreSQL only); `processMetrics`: Node's own (memory, CPU, event loop), on by default.
 */
export function createPrometheusMetrics(options: { database: 'postgres' | 'embedded'; processMetrics?: boolean }): PrometheusMetrics {
  const registers = [new Registry()];
  const [registry] = registers as [Registry];
  // Memory, CPU, event-loop delay, handles: what tells a slow leak over months from a busy day.
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const counter = <L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name: PREFIX + name, help, labelNames, registers });
  const gauge = <L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name: PREFIX + name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new Histogram<L>({ name: PREFIX + name, help, labelNames, buckets, registers });

  const requests = counter('http_requests_total', 'HTTP requests answered, by method, route pattern and status code', ['method', 'route', 'status']);
  const requestSeconds = histogram(
    'http_request_duration_seconds',
    'Time to answer an HTTP request (until its handler answered; a streamed body may go on), by method, route pattern and status code',
    ['method', 'route', 'status'],
    REQUEST_SECONDS_BUCKETS,
  );
  const inFlight = gauge('http_requests_in_flight', 'Requests being worked on now');
  const maxInFlight = gauge('http_requests_in_flight_max', 'The bound on requests worked on at once (MAX_REQUESTS_IN_FLIGHT)');
  const shed = counter('http_requests_shed_total', 'Requests refused at once with 503 overloaded, past the bound');
  const deadline = counter('http_requests_deadline_exceeded_total', 'Requests answered 503 deadline_exceeded at REQUEST_DEADLINE_MS');
  const authFailures = counter(
    'auth_failures_total',
    'Failed authentications: bearer tokens missing, unknown, expired or revoked, and failed sign-ins on the pages',
  );
  const authRefusals = counter('auth_refusals_total', 'Requests refused with 429 because their address failed to authenticate too often');
  const replays = counter('idempotency_replays_total', 'Money-moving requests answered from the stored outcome of their Idempotency-Key, by what was stored', [
    'outcome',
  ]);
  const pool = gauge(
    'db_pool_connections',
    'Database connections by state: open, idle and max (the bound) on PostgreSQL; one open connection on the embedded database',
    ['state'],
  );
  // Only a pg pool has a queue to count; in front of the embedded database's one connection
  // nothing is counted, and a 0 would claim what nobody measured.
  const poolWaiting = options.database === 'postgres' ? gauge('db_pool_waiting', 'Queries waiting for a connection of the pool') : null;
  const appends = counter(
    'ledger_appends_total',
    'Ledger transactions appended by this process, by path (counted when the statement returned; its database transaction may still roll back)',
    ['path'],
  );
  const appendSeconds = histogram(
    'ledger_append_statement_seconds',
    'Time of each appending statement, which first takes the append lock: under contention, mostly the wait for the lock',
    ['path'],
    APPEND_SECONDS_BUCKETS,
  );
  // Labelled by the lock so that, when the database does not answer, the series is absent rather than 0.
  const lockWaiters = gauge('db_lock_waiters', 'Database transactions waiting for a lock at scrape time, by lock (ledger_append: the ledger append lock)', [
    'lock',
  ]);
  const bankFiles = counter('bank_files_exported_total', 'Payout batch files written for the bank and handed out, by format', ['format']);
  const bankAnswers = counter('bank_answers_imported_total', "Banks' answers read, by format and outcome (applied, dry_run, replayed: the same file again)", [
    'format',
    'outcome',
  ]);
  const reconciliationRuns = counter('reconciliation_runs_total', 'Reconciliation runs recorded by this process, by status (clean or breaks)', ['status']);
  const reconciliationBreaks = counter('reconciliation_breaks_total', 'Breaks found by the reconciliation runs of this process, by check and code', [
    'check',
    'code',
  ]);
  const databaseUp = gauge('db_reachable', "1 when the database answered the scrape's query, else 0 (the chain heads and lock waiters are then not shown)");
  const chainHead = gauge('chain_head_sequence', 'Sequence number at the head of each hash chain (ledger, audit); 0 when empty', ['chain']);

  const stopListening = onOperation((event: OperationEvent) => {
    switch (event.kind) {
      case 'ledger_append':
        appends.inc({ path: event.path }, event.transactions);
        appendSeconds.observe({ path: event.path }, event.seconds);
        return;
      case 'bank_file_exported':
        bankFiles.inc({ format: event.format });
        return;
      case 'bank_answer_imported':
        bankAnswers.inc({ format: event.format, outcome: event.outcome });
        return;
      case 'reconciliation_run':
        reconciliationRuns.inc({ status: event.status });
        for (const b of event.breaks) reconciliationBreaks.inc({ check: b.check, code: b.code }, b.count);
        return;
    }
  });

  /** A counter kept elsewhere (the limiters count since the start): shown as it is now. */
  const showTotal = (metric: Counter, total: number) => {
    metric.reset();
    metric.inc(total);
  };

  return {
    contentType: registry.contentType,
    observeRequest(o: RequestObservation) {
      const labels = { method: methodLabel(o.method), route: o.route, status: String(o.status) };
      requests.inc(labels);
      requestSeconds.observe(labels, o.seconds);
    },
    deadlineExceeded: () => deadline.inc(),
    idempotentReplay: (outcome) => replays.inc({ outcome }),
    async exposition(r: ScrapeReadings) {
      inFlight.set(r.requestsInFlight);
      maxInFlight.set(r.maxRequestsInFlight);
      showTotal(shed, r.requestsShed);
      showTotal(authFailures, r.authentication.failures);
      showTotal(authRefusals, r.authentication.refusals);
      pool.reset();
      if (r.pool?.kind === 'postgres') {
        pool.set({ state: 'open' }, r.pool.total);
        pool.set({ state: 'idle' }, r.pool.idle);
        pool.set({ state: 'max' }, r.pool.max);
        poolWaiting?.set(r.pool.waiting);
      } else if (r.pool?.kind === 'embedded') {
        pool.set({ state: 'open' }, 1);
        pool.set({ state: 'max' }, 1);
      }
      databaseUp.set(r.database ? 1 : 0);
      lockWaiters.reset();
      chainHead.reset();
      if (r.database) {
        lockWaiters.set({ lock: 'ledger_append' }, r.database.appendLockWaiters);
        chainHead.set({ chain: 'ledger' }, r.database.chainHeads.ledger);
        chainHead.set({ chain: 'audit' }, r.database.chainHeads.audit);
      }
      return registry.metrics();
    },
    close: stopListening,
  };
}
