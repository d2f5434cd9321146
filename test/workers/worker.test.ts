// The Worker (src/worker.ts) run in workerd by `wrangler dev --local`, over a throwaway PostgreSQL
// database through its Hyperdrive binding, driven through HTTP as a client would. The records are
// made with the Node services on the same database; what the Worker answers is compared with what
// the Node app answers for the same records. Needs TEST_DATABASE_URL, like test/pg.
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/http/logger.ts';
import { daifaAnswerCsv } from '../support/bank-answers.ts';
import { seedPayoutProgramme } from '../support/bulk-payouts.ts';
import { projectRoot } from '../support/conformance.ts';
import { makeUser } from '../support/fixtures.ts';
import { makeProposedGrant } from '../support/grants.ts';
import { PROGRAMME_ACCOUNT, TODAY, makePayoutProgramme } from '../support/payouts.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';
import { testVault } from '../support/vault.ts';
import { type RunningWorker, startWorker } from '../support/wrangler-dev.ts';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
if (!TEST_DATABASE_URL)
  console.warn('test/workers skipped: set TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to run the Worker under wrangler dev');

const base64Url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** The keys of test/support/vault.ts, as the Worker's secrets spell them. */
const WORKER_SECRETS = {
  PII_KEYS: `test1:${base64Url(new Uint8Array(32).fill(7))}`,
  PII_LOOKUP_KEY: base64Url(new Uint8Array(32).fill(9)),
  CHECKPOINT_SIGNING_KEY: Buffer.alloc(32, 3).toString('base64'),
  LOG_LEVEL: 'info',
};

const PAYOUTS = 2_000;
const sha256 = (bytes: ArrayBuffer) => createHash('sha256').update(new Uint8Array(bytes)).digest('hex');

describe.skipIf(!TEST_DATABASE_URL)('the Worker under wrangler dev --local (workerd), PostgreSQL through Hyperdrive', () => {
  const t = usePgTestDatabase(4);
  let worker: RunningWorker;

  beforeAll(async () => {
    // The bundle as it would be deployed (its gzip size printed and held under the limit), and the
    // docs' static files wrangler serves from dist-worker/assets.
    const built = spawnSync(process.execPath, ['scripts/build/build-worker.mjs'], { cwd: projectRoot, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    for (const line of built.stdout.split('\n').filter((l) => l.startsWith('build:worker:'))) console.log(line);
    worker = await startWorker({ databaseUrl: t.db.url, vars: WORKER_SECRETS });
    console.log(`wrangler dev --local: first /healthz answered ${worker.startMs} ms after start (bundling included)`);
  }, 180_000);
  afterAll(async () => {
    await worker?.stop();
  });

  /** A request to the Worker; `token` as Bearer, JSON bodies as JSON. */
  const send = (method: string, path: string, options: { token?: string; json?: unknown; body?: Uint8Array; contentType?: string; key?: string } = {}) => {
    const headers: Record<string, string> = {};
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (options.key) headers['Idempotency-Key'] = options.key;
    let body: RequestInit['body'];
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.body) {
      headers['Content-Type'] = options.contentType ?? 'application/octet-stream';
      body = options.body as Uint8Array<ArrayBuffer>;
    }
    return fetch(`${worker.base}${path}`, { method, headers, body });
  };

  it('answers the probes: /healthz alive without the database, /readyz with it', async () => {
    const health = await send('GET', '/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await send('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('refuses a missing or unknown token with 401, and answers a valid one', async () => {
    const none = await send('GET', '/api/v1/programmes');
    expect(none.status).toBe(401);
    expect(none.headers.get('WWW-Authenticate')).toBe('Bearer');
    expect(none.headers.get('Content-Type')).toContain('application/problem+json');
    expect((await send('GET', '/api/v1/programmes', { token: 'not-a-token' })).status).toBe(401);
    const listed = await send('GET', '/api/v1/programmes', { token: t.world.users.finance.token });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toHaveProperty('items');
  });

  it('approves a grant once; the same Idempotency-Key replays the answer without a second ledger transaction', async () => {
    const programme = await makePayoutProgramme(t.world);
    const { grant } = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
    const key = randomUUID();
    const first = await send('POST', `/api/v1/grants/${grant.id}/approval`, { token: t.world.users.approver.token, json: { reason: '同意' }, key });
    const firstBody = await first.text();
    expect(first.status, firstBody).toBe(200);
    expect(JSON.parse(firstBody)).toMatchObject({ id: grant.id, status: 'approved' });
    const ledgerAfterFirst = await t.db.prisma.ledgerTransaction.count();
    const again = await send('POST', `/api/v1/grants/${grant.id}/approval`, { token: t.world.users.approver.token, json: { reason: '同意' }, key });
    expect(again.status).toBe(200);
    expect(again.headers.get('Idempotency-Replayed')).toBe('true');
    // The stored answer is the same JSON (its keys as the database keeps them).
    expect(await again.json()).toEqual(JSON.parse(firstBody));
    expect(await t.db.prisma.ledgerTransaction.count()).toBe(ledgerAfterFirst);
  });

  it('downloads a batch’s pain.001 of more than 1 MiB whole, byte for byte what the Node app sends; imports a GBK bank answer; the auditor verifies the ledger', async () => {
    // Enough payouts for a pain.001 of more than 1 MiB (about 650 bytes each).
    const seeded = await seedPayoutProgramme(t.db.prisma, await testVault(), PAYOUTS);
    const programme = { id: seeded.programmeId };
    const finance = (await makeUser(t.db.prisma, { id: seeded.departmentId, kind: 'civil_affairs' }, 'finance')).token;
    const created = await send('POST', '/api/v1/payout-batches', { token: finance, json: { programmeId: programme.id, cutoffOn: TODAY() }, key: randomUUID() });
    const batch = (await created.json()) as { id: string; payoutCount: number };
    expect(created.status).toBe(201);
    expect(batch.payoutCount).toBe(PAYOUTS);

    const fromWorker = await send('GET', `/api/v1/payout-batches/${batch.id}/bank-file?format=pain001`, { token: finance });
    expect(fromWorker.status).toBe(200);
    const workerBytes = await fromWorker.arrayBuffer();
    const node = createApp({ db: t.db.prisma, vault: await testVault(), logger: createLogger('silent') });
    const fromNode = await node.request(`/api/v1/payout-batches/${batch.id}/bank-file?format=pain001`, { headers: { Authorization: `Bearer ${finance}` } });
    expect(fromNode.status).toBe(200);
    const nodeBytes = await fromNode.arrayBuffer();
    expect(workerBytes.byteLength).toBeGreaterThan(1024 * 1024);
    expect(workerBytes.byteLength).toBe(nodeBytes.byteLength);
    expect(sha256(workerBytes)).toBe(sha256(nodeBytes));
    expect(new TextDecoder().decode(workerBytes)).toContain('</Document>');
    console.log(`pain.001 of ${batch.payoutCount} payouts: ${workerBytes.byteLength} bytes, sha256 ${sha256(workerBytes)} from the Worker and from Node`);

    const sent = await send('POST', `/api/v1/payout-batches/${batch.id}/sending`, { token: finance, key: randomUUID() });
    expect(sent.status, await sent.clone().text()).toBe(200);
    const payouts = await t.db.prisma.payout.findMany({ where: { batchId: batch.id }, orderBy: { sequence: 'asc' } });
    const [ok, bad] = payouts;
    // The first paid, the second refused by the bank; the rest not answered yet.
    const answers = [ok!, bad!].map((p, i) => ({ reference: p.reference, amount: p.amount.toFixed(2), failedBecause: i === 1 ? '户名与账号不符' : undefined }));
    const csv = daifaAnswerCsv(PROGRAMME_ACCOUNT, answers, TODAY());
    const imported = await send('POST', `/api/v1/programmes/${programme.id}/bank-results?format=csv&encoding=gbk`, {
      token: finance,
      body: new Uint8Array(iconv.encode(csv, 'gbk')),
      contentType: 'text/csv',
    });
    const importedBody = await imported.text();
    expect(imported.status, importedBody).toBe(201);
    expect(JSON.parse(importedBody).import.outcomes).toEqual({ settled: 1, failed: 1 });
    expect(await t.db.prisma.payout.findUniqueOrThrow({ where: { id: bad!.id } })).toMatchObject({ status: 'failed', outcomeReason: '户名与账号不符' });

    const verified = await send('GET', '/api/v1/ledger/verification', { token: t.world.users.auditor.token });
    expect(verified.status).toBe(200);
    expect(await verified.json()).toMatchObject({ ok: true, transactionsChecked: await t.db.prisma.ledgerTransaction.count(), problems: [] });
  });

  it('renders a page (the sign-in form) and serves the docs page’s static files', async () => {
    const page = await fetch(`${worker.base}/`, { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('action="/sign-in"');
    const css = await fetch(`${worker.base}/docs/assets/swagger-ui.css`);
    expect(css.status).toBe(200);
    expect((await css.text()).length).toBeGreaterThan(10_000);
  });

  it('logs each request as one JSON line on the console, without personal data', () => {
    const lines = worker
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.map((r) => r.route)).toContain('/api/v1/payout-batches/:id/bank-file');
  });
});
