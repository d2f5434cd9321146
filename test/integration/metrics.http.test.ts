// GET /metrics: an admin's token (or the internal listener), Prometheus's text format, counts that
// move with the work done, and labels that never carry an id or anything about a person.
import { afterAll, describe, expect, it } from 'vitest';
import { InFlightLimit } from '../../src/http/in-flight-limit.ts';
import { createPrometheusMetrics } from '../../src/http/metrics-node.ts';
import { internalMetricsApp } from '../../src/http/routes/metrics.ts';
import { FailureLimiter } from '../../src/http/failure-limiter.ts';
import { runReconciliation } from '../../src/services/reconciliation.ts';
import { bytesSource } from '../../src/reconcile/sources.ts';
import { camt054Text } from '../support/bank-answers.ts';
import { camt053 } from '../support/bank-statements.ts';
import { holdEmbeddedDatabase } from '../support/database.ts';
import { call, makeApp, newKey } from '../support/http.ts';
import { makeProgramme } from '../support/fixtures.ts';
import { PROGRAMME_ACCOUNT, TODAY, makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { parseExposition, sampleOf } from '../support/prometheus.ts';
import { makeStudent } from '../support/students.ts';
import { useTestApp } from '../support/test-app.ts';

const metrics = createPrometheusMetrics({ database: 'embedded', processMetrics: false });
const inFlight = new InFlightLimit(1000);
// Refuses nobody (in-process requests share one address) but counts every failure.
const authFailures = new FailureLimiter({ maxFailures: Number.MAX_SAFE_INTEGER, windowMs: 1, maxKeys: 1 });
const t = useTestApp({ metrics, inFlight, authFailures, databasePool: () => t.db.poolUse() });
afterAll(() => metrics.close());

async function scrape(): Promise<string> {
  const res = await t.as.admin.get('/metrics');
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('Content-Type')).toContain('text/plain');
  expect(res.headers.get('Cache-Control')).toBe('no-store');
  return res.text;
}

/** How much `name{labels}` grew while `work` ran (0 for a series that did not exist before). */
async function growth(name: string, labels: Record<string, string>, work: () => Promise<unknown>): Promise<number> {
  const before = sampleOf(await scrape(), name, labels) ?? 0;
  await work();
  return (sampleOf(await scrape(), name, labels) ?? 0) - before;
}

describe('GET /metrics — who may read it', () => {
  it('takes an admin token: 401 without one, 403 for every other role', async () => {
    const anonymous = await t.anonymous.get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('Content-Type')).toContain('application/problem+json');
    for (const role of ['caseworker', 'approver', 'finance', 'foundationViewer', 'auditor'] as const) {
      const res = await t.as[role].get('/metrics');
      expect({ role, status: res.status, code: res.json?.code }).toEqual({ role, status: 403, code: 'forbidden' });
    }
    expect((await t.as.admin.get('/metrics')).status).toBe(200);
  });

  it('is served on the internal listener without a token, with the same counters; nothing else is', async () => {
    const internal = internalMetricsApp(metrics, { db: t.db.prisma, inFlight, authFailures });
    const res = await internal.request('/metrics');
    expect(res.status).toBe(200);
    const text = await res.text();
    // A request is counted once answered: neither text counts the scrape that made it.
    expect(sampleOf(text, 'scholarship_http_requests_total', { route: '/metrics', status: '200' })).toBe(
      sampleOf(await scrape(), 'scholarship_http_requests_total', { route: '/metrics', status: '200' }),
    );
    expect((await internal.request('/healthz')).status).toBe(404);
    expect((await internal.request('/api/v1/programmes')).status).toBe(404);
  });

  it('is never shed: answered while the instance is at its bound, which it shows', async () => {
    const full = inFlight.max - inFlight.inFlight;
    for (let i = 0; i < full; i++) expect(inFlight.tryEnter()).toBe(true);
    try {
      expect((await t.as.finance.get('/api/v1/programmes')).status).toBe(503);
      const text = await scrape();
      expect(sampleOf(text, 'scholarship_http_requests_in_flight')).toBe(1000);
      expect(sampleOf(text, 'scholarship_http_requests_in_flight_max')).toBe(1000);
      expect(sampleOf(text, 'scholarship_http_requests_shed_total')).toBeGreaterThanOrEqual(1);
      // A shed request never reached a route: it is labelled by the middleware's pattern.
      expect(sampleOf(text, 'scholarship_http_requests_total', { route: '/*', status: '503' })).toBeGreaterThanOrEqual(1);
    } finally {
      for (let i = 0; i < full; i++) inFlight.leave();
    }
  });
});

describe('GET /metrics — what it counts', () => {
  it('counts requests by method, route pattern and status, with their latency; no id or personal data in any label', async () => {
    const { student, plain } = await makeStudent(t.world);
    for (let i = 0; i < 2; i++) expect((await t.as.caseworker.get(`/api/v1/students/${student.id}`)).status).toBe(200);
    expect((await t.as.caseworker.get(`/api/v1/students/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await t.app.request('/api/v1/programmes', { method: 'PROPFIND' })).status).toBeGreaterThanOrEqual(400);
    const text = await scrape();

    const route = '/api/v1/students/:studentId';
    expect(sampleOf(text, 'scholarship_http_requests_total', { method: 'GET', route, status: '200' })).toBe(2);
    expect(sampleOf(text, 'scholarship_http_requests_total', { method: 'GET', route, status: '404' })).toBe(1);
    expect(sampleOf(text, 'scholarship_http_request_duration_seconds_count', { method: 'GET', route, status: '200' })).toBe(2);
    expect(sampleOf(text, 'scholarship_http_request_duration_seconds_bucket', { method: 'GET', route, status: '200', le: '+Inf' })).toBe(2);
    // An unknown method is OTHER, so a client cannot make new series at will.
    const methods = new Set(parseExposition(text).flatMap((s) => (s.labels.method ? [s.labels.method] : [])));
    expect([...methods].every((m) => ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'OTHER'].includes(m))).toBe(true);
    expect(methods).toContain('OTHER');

    for (const secret of [student.id, plain.name, plain.identityNumber, plain.accountNumber, t.world.users.caseworker.token]) {
      expect(text).not.toContain(secret);
    }
    // Every route label is a pattern: no UUID anywhere.
    for (const s of parseExposition(text)) expect(Object.values(s.labels).join(' ')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('counts failed authentications', async () => {
    expect(await growth('scholarship_auth_failures_total', {}, () => t.as('not-a-token').get('/api/v1/me'))).toBe(1);
  });

  it('counts ledger appends and idempotent replays, and shows the chains’ heads', async () => {
    const programme = await makeProgramme(t.world);
    const body = { remitterId: t.world.foundation.id, amount: '100.00', receivedOn: '2025-09-01', bankReference: `M-${newKey()}` };
    const key = newKey();
    const before = await scrape();
    expect((await t.as.finance.post(`/api/v1/programmes/${programme.id}/funding-receipts`, body, { idempotencyKey: key })).status).toBe(201);
    const again = await t.as.finance.post(`/api/v1/programmes/${programme.id}/funding-receipts`, body, { idempotencyKey: key });
    expect(again.headers.get('Idempotency-Replayed')).toBe('true');
    const after = await scrape();

    const grew = (name: string, labels: Record<string, string> = {}) => (sampleOf(after, name, labels) ?? 0) - (sampleOf(before, name, labels) ?? 0);
    expect(grew('scholarship_ledger_appends_total', { path: 'receipts' })).toBe(1);
    expect(grew('scholarship_ledger_append_statement_seconds_count', { path: 'receipts' })).toBe(1);
    expect(grew('scholarship_idempotency_replays_total', { outcome: 'success' })).toBe(1);
    const ledgerHead = await t.db.prisma.ledgerTransaction.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    const auditHead = await t.db.prisma.auditChain.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    expect(sampleOf(after, 'scholarship_chain_head_sequence', { chain: 'ledger' })).toBe(Number(ledgerHead.seq));
    expect(sampleOf(after, 'scholarship_chain_head_sequence', { chain: 'audit' })).toBe(Number(auditHead.seq));
    // Sequence numbers only: no hash of either chain is published here.
    expect(after).not.toContain(ledgerHead.hash);
    expect(after).not.toContain(auditHead.hash);
    expect(sampleOf(after, 'scholarship_db_lock_waiters', { lock: 'ledger_append' })).toBe(0);
    expect(sampleOf(after, 'scholarship_db_reachable')).toBe(1);
  });

  it('counts bank files handed out, banks’ answers read (applied, then the same file again) and their appends', async () => {
    const programme = await makePayoutProgramme(t.world);
    await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['4000.00', '5000.00']);
    const before = await scrape();
    const batch = (await t.as.finance.post('/api/v1/payout-batches', { programmeId: programme.id, cutoffOn: TODAY() }, { idempotencyKey: newKey() })).json;
    expect((await t.as.finance.get(`/api/v1/payout-batches/${batch.id}/bank-file`)).status).toBe(200);
    expect((await t.as.finance.post(`/api/v1/payout-batches/${batch.id}/sending`, undefined, { idempotencyKey: newKey() })).status).toBe(200);
    const payouts = await t.db.prisma.payout.findMany({ where: { batchId: batch.id }, orderBy: { sequence: 'asc' } });
    const xml = await camt054Text(
      { messageId: `M-${newKey()}`, account: PROGRAMME_ACCOUNT },
      payouts.map((p) => ({ reference: p.reference, amount: p.amount.toFixed(2), kind: 'debit' as const })),
    );
    for (const status of [201, 200]) {
      const res = await t.app.request(`/api/v1/programmes/${programme.id}/bank-results`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${t.world.users.finance.token}`, 'Content-Type': 'application/xml' },
        body: xml,
      });
      expect(res.status).toBe(status);
    }
    const after = await scrape();
    const grew = (name: string, labels: Record<string, string> = {}) => (sampleOf(after, name, labels) ?? 0) - (sampleOf(before, name, labels) ?? 0);
    expect(grew('scholarship_bank_files_exported_total', { format: 'pain001' })).toBe(1);
    expect(grew('scholarship_bank_answers_imported_total', { format: 'camt.054', outcome: 'applied' })).toBe(1);
    expect(grew('scholarship_bank_answers_imported_total', { format: 'camt.054', outcome: 'replayed' })).toBe(1);
    // Two payouts sent, then the same two settled: two statements of two transactions each.
    expect(grew('scholarship_ledger_appends_total', { path: 'pairs' })).toBe(4);
    expect(grew('scholarship_ledger_append_statement_seconds_count', { path: 'pairs' })).toBe(2);
  });

  it('counts reconciliation runs by status, and their breaks by check and code', async () => {
    const clean = () => runReconciliation({ ctx: t.world.users.auditor.ctx, input: { checks: ['ledger'], operator: '审计员' }, database: 'embedded' });
    expect(await growth('scholarship_reconciliation_runs_total', { status: 'clean' }, clean)).toBe(1);

    // A statement whose one payment the ledger never made: the bank check reports breaks.
    const programme = await makePayoutProgramme(t.world);
    let xml = '';
    const entry = { kind: 'debit' as const, amount: '123.45', bookingDate: '2026-11-25', reference: 'NOT-IN-LEDGER-1', counterpartyName: '某人' };
    const options = {
      messageId: `S-${newKey()}`,
      account: PROGRAMME_ACCOUNT,
      opening: { amount: '1000.00', date: '2026-11-01' },
      closing: { amount: '876.55', date: '2026-11-30' },
    };
    for await (const chunk of camt053(options, [entry])) xml += chunk;
    const before = await scrape();
    const result = await runReconciliation({
      ctx: t.world.users.auditor.ctx,
      input: { checks: ['bank'], programmeId: programme.id, statements: [bytesSource('statement.xml', new TextEncoder().encode(xml))], operator: '审计员' },
      database: 'embedded',
    });
    const after = await scrape();
    expect(result.status).toBe('breaks');
    const byCode = result.reports.report.summary.bank?.byCode ?? {};
    expect(Object.keys(byCode).length).toBeGreaterThan(0);
    for (const [code, count] of Object.entries(byCode)) {
      const labels = { check: 'bank', code };
      expect({
        code,
        grew:
          (sampleOf(after, 'scholarship_reconciliation_breaks_total', labels) ?? 0) -
          (sampleOf(before, 'scholarship_reconciliation_breaks_total', labels) ?? 0),
      }).toEqual({ code, grew: count });
    }
    expect(
      (sampleOf(after, 'scholarship_reconciliation_runs_total', { status: 'breaks' }) ?? 0) -
        (sampleOf(before, 'scholarship_reconciliation_runs_total', { status: 'breaks' }) ?? 0),
    ).toBe(1);
  });

  it('shows the database’s one connection on the embedded database, and no pool queue it does not measure', async () => {
    const text = await scrape();
    expect(sampleOf(text, 'scholarship_db_pool_connections', { state: 'open' })).toBe(1);
    expect(sampleOf(text, 'scholarship_db_pool_connections', { state: 'max' })).toBe(1);
    expect(sampleOf(text, 'scholarship_db_pool_waiting')).toBeUndefined();
  });
});

describe('GET /metrics — deadlines', () => {
  it('counts each request answered at its deadline once, also when its work ends in the deadline afterwards', async () => {
    const own = createPrometheusMetrics({ database: 'embedded', processMetrics: false });
    const { app } = makeApp(t.db.prisma, t.vault, { metrics: own, requestDeadlineMs: 300, inFlight: new InFlightLimit(100) });
    const programme = await makeProgramme(t.world);
    const finance = t.world.users.finance.token;
    const admin = t.world.users.admin.token;
    try {
      // The embedded database's one transaction held: every request waits past its deadline.
      const held = await holdEmbeddedDatabase(t.db.prisma);
      const read = call(app, 'GET', `/api/v1/programmes/${programme.id}`, { token: finance });
      const write = call(app, 'POST', `/api/v1/programmes/${programme.id}/funding-receipts`, {
        token: finance,
        idempotencyKey: newKey(),
        body: { remitterId: t.world.foundation.id, amount: '1.00', receivedOn: '2025-09-01', bankReference: `D-${newKey()}` },
      });
      expect((await read).json.code).toBe('deadline_exceeded');
      expect((await write).json.code).toBe('deadline_exceeded');
      await held.release();
      // The write's work, let go at its deadline, now ends refusing its transaction: answered to nobody, not counted again.
      await new Promise((r) => setTimeout(r, 300));
      const text = (await call(app, 'GET', '/metrics', { token: admin })).text;
      expect(sampleOf(text, 'scholarship_http_requests_deadline_exceeded_total')).toBe(2);
    } finally {
      own.close();
    }
  });
});
