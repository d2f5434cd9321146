// The Prometheus metrics (src/http/metrics-node.ts): names and labels, what each event and reading
// becomes, one registry per instance, and the README's list kept equal to what is exposed.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPrometheusMetrics, type PrometheusMetrics } from '../../src/http/metrics-node.ts';
import type { ScrapeReadings } from '../../src/http/metrics.ts';
import { onOperation, reportOperation } from '../../src/telemetry/operations.ts';
import { sampleOf } from '../support/prometheus.ts';

const made: PrometheusMetrics[] = [];
function metrics(database: 'postgres' | 'embedded' = 'embedded', processMetrics = false): PrometheusMetrics {
  const m = createPrometheusMetrics({ database, processMetrics });
  made.push(m);
  return m;
}
afterEach(() => {
  for (const m of made.splice(0)) m.close();
});

const readings = (over: Partial<ScrapeReadings> = {}): ScrapeReadings => ({
  requestsInFlight: 3,
  maxRequestsInFlight: 64,
  requestsShed: 7,
  authentication: { failures: 5, refusals: 2 },
  pool: { kind: 'embedded' },
  database: { chainHeads: { ledger: 1148, audit: 3021 }, appendLockWaiters: 0 },
  ...over,
});

describe('request metrics', () => {
  it('label a request by method, route pattern and status code, with its time in seconds', async () => {
    const m = metrics();
    m.observeRequest({ method: 'GET', route: '/api/v1/students/:studentId', status: 200, seconds: 0.012 });
    m.observeRequest({ method: 'GET', route: '/api/v1/students/:studentId', status: 200, seconds: 0.7 });
    const text = await m.exposition(readings());
    const labels = { method: 'GET', route: '/api/v1/students/:studentId', status: '200' };
    expect(sampleOf(text, 'scholarship_http_requests_total', labels)).toBe(2);
    expect(sampleOf(text, 'scholarship_http_request_duration_seconds_bucket', { ...labels, le: '0.025' })).toBe(1);
    expect(sampleOf(text, 'scholarship_http_request_duration_seconds_bucket', { ...labels, le: '1' })).toBe(2);
    expect(sampleOf(text, 'scholarship_http_request_duration_seconds_sum', labels)).toBeCloseTo(0.712);
  });

  it('turn a method outside the fixed list into OTHER, so that clients cannot add series', async () => {
    const m = metrics();
    for (const method of ['BREW', 'propfind', 'X'.repeat(100)]) m.observeRequest({ method, route: '/*', status: 404, seconds: 0.001 });
    const text = await m.exposition(readings());
    expect(sampleOf(text, 'scholarship_http_requests_total', { method: 'OTHER', route: '/*', status: '404' })).toBe(3);
    expect(text).not.toContain('BREW');
  });

  it('count deadlines and idempotent replays by what was stored', async () => {
    const m = metrics();
    m.deadlineExceeded();
    m.idempotentReplay('success');
    m.idempotentReplay('success');
    m.idempotentReplay('refusal');
    const text = await m.exposition(readings());
    expect(sampleOf(text, 'scholarship_http_requests_deadline_exceeded_total')).toBe(1);
    expect(sampleOf(text, 'scholarship_idempotency_replays_total', { outcome: 'success' })).toBe(2);
    expect(sampleOf(text, 'scholarship_idempotency_replays_total', { outcome: 'refusal' })).toBe(1);
  });
});

describe('operations of the process', () => {
  it('become appends by path with their statement time, bank files, answers, runs and breaks', async () => {
    const m = metrics();
    reportOperation({ kind: 'ledger_append', path: 'pairs', transactions: 500, seconds: 0.3 });
    reportOperation({ kind: 'ledger_append', path: 'single', transactions: 1, seconds: 0.0004 });
    reportOperation({ kind: 'bank_file_exported', format: 'daifa-csv' });
    reportOperation({ kind: 'bank_answer_imported', format: 'camt.054', outcome: 'dry_run' });
    reportOperation({
      kind: 'reconciliation_run',
      status: 'breaks',
      breaks: [
        { check: 'bank', code: 'at_bank_not_in_ledger', count: 3 },
        { check: 'rules', code: 'over_annual_cap', count: 1 },
      ],
    });
    const text = await m.exposition(readings());
    expect(sampleOf(text, 'scholarship_ledger_appends_total', { path: 'pairs' })).toBe(500);
    expect(sampleOf(text, 'scholarship_ledger_append_statement_seconds_count', { path: 'pairs' })).toBe(1);
    expect(sampleOf(text, 'scholarship_ledger_append_statement_seconds_bucket', { path: 'single', le: '0.001' })).toBe(1);
    expect(sampleOf(text, 'scholarship_bank_files_exported_total', { format: 'daifa-csv' })).toBe(1);
    expect(sampleOf(text, 'scholarship_bank_answers_imported_total', { format: 'camt.054', outcome: 'dry_run' })).toBe(1);
    expect(sampleOf(text, 'scholarship_reconciliation_runs_total', { status: 'breaks' })).toBe(1);
    expect(sampleOf(text, 'scholarship_reconciliation_breaks_total', { check: 'bank', code: 'at_bank_not_in_ledger' })).toBe(3);
    expect(sampleOf(text, 'scholarship_reconciliation_breaks_total', { check: 'rules', code: 'over_annual_cap' })).toBe(1);
  });

  it('are no longer counted once the metrics are closed', async () => {
    const m = metrics();
    m.close();
    reportOperation({ kind: 'bank_file_exported', format: 'pain001' });
    expect(sampleOf(await m.exposition(readings()), 'scholarship_bank_files_exported_total', { format: 'pain001' })).toBeUndefined();
  });

  it('a listener that throws never fails the work that reported, nor keeps the others from hearing', async () => {
    const stop = onOperation(() => {
      throw new Error('a broken listener');
    });
    const m = metrics();
    try {
      expect(() => reportOperation({ kind: 'bank_file_exported', format: 'pain001' })).not.toThrow();
      expect(sampleOf(await m.exposition(readings()), 'scholarship_bank_files_exported_total', { format: 'pain001' })).toBe(1);
    } finally {
      stop();
    }
  });
});

describe('readings at scrape time', () => {
  it('show the limiters’ counts, the chain heads (numbers only) and the embedded database’s one connection', async () => {
    const text = await metrics().exposition(readings());
    expect(sampleOf(text, 'scholarship_http_requests_in_flight')).toBe(3);
    expect(sampleOf(text, 'scholarship_http_requests_in_flight_max')).toBe(64);
    expect(sampleOf(text, 'scholarship_http_requests_shed_total')).toBe(7);
    expect(sampleOf(text, 'scholarship_auth_failures_total')).toBe(5);
    expect(sampleOf(text, 'scholarship_auth_refusals_total')).toBe(2);
    expect(sampleOf(text, 'scholarship_chain_head_sequence', { chain: 'ledger' })).toBe(1148);
    expect(sampleOf(text, 'scholarship_chain_head_sequence', { chain: 'audit' })).toBe(3021);
    expect(sampleOf(text, 'scholarship_db_reachable')).toBe(1);
    expect(sampleOf(text, 'scholarship_db_pool_connections', { state: 'open' })).toBe(1);
    expect(sampleOf(text, 'scholarship_db_pool_waiting')).toBeUndefined();
  });

  it('show the pg pool as it is on PostgreSQL, and the append lock’s waiters', async () => {
    const text = await metrics('postgres').exposition(
      readings({ pool: { kind: 'postgres', total: 8, idle: 3, waiting: 4, max: 10 }, database: { chainHeads: { ledger: 1, audit: 2 }, appendLockWaiters: 5 } }),
    );
    expect(sampleOf(text, 'scholarship_db_pool_connections', { state: 'open' })).toBe(8);
    expect(sampleOf(text, 'scholarship_db_pool_connections', { state: 'idle' })).toBe(3);
    expect(sampleOf(text, 'scholarship_db_pool_connections', { state: 'max' })).toBe(10);
    expect(sampleOf(text, 'scholarship_db_pool_waiting')).toBe(4);
    expect(sampleOf(text, 'scholarship_db_lock_waiters', { lock: 'ledger_append' })).toBe(5);
  });

  it('leave out what the database did not answer rather than show a 0 nobody read', async () => {
    const m = metrics();
    await m.exposition(readings());
    const text = await m.exposition(readings({ database: null }));
    expect(sampleOf(text, 'scholarship_db_reachable')).toBe(0);
    expect(sampleOf(text, 'scholarship_chain_head_sequence', { chain: 'ledger' })).toBeUndefined();
    expect(sampleOf(text, 'scholarship_db_lock_waiters', { lock: 'ledger_append' })).toBeUndefined();
  });
});

describe('registries', () => {
  it('are one per instance: two never share a count, and both may exist at once', async () => {
    const a = metrics();
    const b = metrics();
    a.observeRequest({ method: 'GET', route: '/healthz', status: 200, seconds: 0.001 });
    expect(sampleOf(await a.exposition(readings()), 'scholarship_http_requests_total', { route: '/healthz' })).toBe(1);
    expect(sampleOf(await b.exposition(readings()), 'scholarship_http_requests_total', { route: '/healthz' })).toBeUndefined();
  });

  it('carry Node’s own process metrics unless asked not to', async () => {
    const text = await metrics('embedded', true).exposition(readings());
    expect(sampleOf(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});

describe('README "Metrics and health"', () => {
  it('lists exactly the metrics the service exposes', async () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Metrics and health'), readme.indexOf('\n## ', readme.indexOf('### Metrics and health')));
    const listed = new Set([...section.matchAll(/`(scholarship_[a-z_]+)`/g)].map((m) => m[1]));

    const m = metrics('postgres');
    m.observeRequest({ method: 'GET', route: '/healthz', status: 200, seconds: 0.001 });
    m.deadlineExceeded();
    m.idempotentReplay('success');
    reportOperation({ kind: 'ledger_append', path: 'single', transactions: 1, seconds: 0.001 });
    reportOperation({ kind: 'bank_file_exported', format: 'pain001' });
    reportOperation({ kind: 'bank_answer_imported', format: 'camt.054', outcome: 'applied' });
    reportOperation({ kind: 'reconciliation_run', status: 'breaks', breaks: [{ check: 'bank', code: 'x', count: 1 }] });
    const text = await m.exposition(readings({ pool: { kind: 'postgres', total: 1, idle: 1, waiting: 0, max: 10 } }));
    const exposed = new Set([...text.matchAll(/^# TYPE (scholarship_[a-z_]+) /gm)].map((t) => t[1]));
    expect([...listed].sort()).toEqual([...exposed].sort());
  });
});
