// The signed checkpoints through the API and the pages: auditors, foundations and admins list them
// and download them all (zip, JSON lines) with signatures that hold; other roles get 403 (API) or
// the 404 page; a payout batch sent takes a new checkpoint; a deployment that keeps none says so.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { directoryArchive } from '../../src/checkpoints/archive-node.ts';
import { Checkpointer } from '../../src/checkpoints/checkpointer.ts';
import { checkpointSignatureHolds, signerFromSeed } from '../../src/checkpoints/ed25519.ts';
import { createLogger } from '../../src/http/logger.ts';
import { parseCheckpoint } from '../../src/domain/checkpoint.ts';
import type { World } from '../support/fixtures.ts';
import { openTestDatabase } from '../support/database.ts';
import { makeWorld } from '../support/fixtures.ts';
import { call, makeApp, newKey } from '../support/http.ts';
import { type PageBrowser, signedInBrowser } from '../support/page-browser.ts';
import { TODAY, makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { testVault } from '../support/vault.ts';
import type { Database } from '../../src/db/client.ts';

let db: Database;
let world: World;
let app: ReturnType<typeof makeApp>['app'];
let bare: ReturnType<typeof makeApp>['app'];
let checkpoints: Checkpointer;
let dir: string;
let logs: string[] = [];
let programmeId: string;

const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

beforeAll(async () => {
  db = await openTestDatabase();
  world = await makeWorld(db.prisma);
  const programme = await makePayoutProgramme(world, '20000.00');
  programmeId = programme.id;
  await makeApprovedGrants(db.prisma, world, programme.id, ['4000.00']);
  dir = mkdtempSync(join(tmpdir(), 'checkpoints-http-'));
  const signer = await signerFromSeed(new Uint8Array(32).fill(3));
  checkpoints = new Checkpointer({ db: db.prisma, signer, archive: directoryArchive(dir), logger: createLogger('silent') });
  await checkpoints.take('test');
  const made = makeApp(db.prisma, await testVault(), { checkpoints });
  app = made.app;
  logs = made.logs.lines;
  bare = makeApp(db.prisma, await testVault()).app;
}, 120_000);

afterAll(async () => {
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/v1/checkpoints', () => {
  it('lists the newest checkpoint of each chain for auditors, foundations and admins', async () => {
    const ledgerHead = await db.prisma.ledgerTransaction.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    for (const role of ['auditor', 'foundationViewer', 'admin'] as const) {
      const res = await call(app, 'GET', '/api/v1/checkpoints', { token: world.users[role].token });
      expect(res.status, role).toBe(200);
      expect(res.json.kept).toBe(true);
      expect(res.json.keyFingerprint).toBe(checkpoints.fingerprint);
      expect(res.json.latest.ledger).toMatchObject({ chain: 'ledger', sequence: String(ledgerHead.seq), headHash: ledgerHead.hash });
      expect(res.json.latest.audit).toMatchObject({ chain: 'audit' });
      expect(res.json.items).toHaveLength(2);
    }
  });

  it('refuses caseworkers, approvers and finance (403), and anyone without a token (401)', async () => {
    for (const role of ['caseworker', 'approver', 'finance'] as const) {
      const res = await call(app, 'GET', '/api/v1/checkpoints', { token: world.users[role].token });
      expect(res.status, role).toBe(403);
      expect((await call(app, 'GET', '/api/v1/checkpoints.zip', { token: world.users[role].token })).status, role).toBe(403);
    }
    expect((await call(app, 'GET', '/api/v1/checkpoints.jsonl')).status).toBe(401);
  });

  it('downloads all of them as JSON lines and as a zip of the files, every signature holding', async () => {
    const signer = await signerFromSeed(new Uint8Array(32).fill(3));
    const lines = await call(app, 'GET', '/api/v1/checkpoints.jsonl', { token: world.users.auditor.token });
    expect(lines.status).toBe(200);
    expect(lines.headers.get('Content-Disposition')).toBe('attachment; filename="checkpoints.jsonl"');
    const parsed = lines.text.trim().split('\n').map(parseCheckpoint);
    expect(parsed).toHaveLength(2);
    for (const c of parsed) expect(await checkpointSignatureHolds(c!, signer.publicKey)).toBe(true);

    const res = await app.request('/api/v1/checkpoints.zip', { headers: { Authorization: `Bearer ${world.users.foundationViewer.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/zip');
    const zip = await JSZip.loadAsync(await res.arrayBuffer());
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual([expect.stringMatching(/^audit-\d{12}\.json$/), expect.stringMatching(/^ledger-\d{12}\.json$/)]);
    const ledgerFile = parseCheckpoint(await zip.file(names[1]!)!.async('string'));
    expect(await checkpointSignatureHolds(ledgerFile!, signer.publicKey)).toBe(true);
  });

  it('says none are kept where the deployment keeps none', async () => {
    const res = await call(bare, 'GET', '/api/v1/checkpoints', { token: world.users.auditor.token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ kept: false, keyFingerprint: null, latest: { ledger: null, audit: null }, items: [], unreadableFiles: [] });
  });

  it('a payout batch sent takes a new ledger checkpoint at the new head', async () => {
    const finance = world.users.finance.token;
    const batch = await call(app, 'POST', '/api/v1/payout-batches', { token: finance, body: { programmeId, cutoffOn: TODAY() }, idempotencyKey: newKey() });
    expect(batch.status, `${batch.text} ${logs.filter((l) => l.includes('error')).join('\n')}`).toBe(201);
    expect((await call(app, 'GET', `/api/v1/payout-batches/${batch.json.id}/bank-file?format=pain001`, { token: finance })).status).toBe(200);
    const sent = await call(app, 'POST', `/api/v1/payout-batches/${batch.json.id}/sending`, { token: finance, idempotencyKey: newKey() });
    expect(sent.status, sent.text).toBe(200);
    // Taken after the answer, without holding it up (nothing else here takes one): wait for it.
    const head = await db.prisma.ledgerTransaction.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    await vi.waitFor(async () => expect(await checkpoints.archive.latest('ledger')).toMatchObject({ sequence: String(head.seq), headHash: head.hash }), {
      timeout: 10_000,
      interval: 50,
    });
  });
});

describe('the checkpoints page', () => {
  let auditor: PageBrowser;
  let foundation: PageBrowser;
  beforeAll(async () => {
    auditor = await signedInBrowser(app, db.prisma, world.users.auditor.actor.userId);
    foundation = await signedInBrowser(app, db.prisma, world.users.foundationViewer.actor.userId);
  });

  it('shows the newest checkpoint of each chain: sequence, head, Beijing time, key fingerprint; and the downloads', async () => {
    const latest = await checkpoints.archive.latest('ledger');
    for (const browser of [auditor, foundation]) {
      const res = await browser.request('GET', '/checkpoints');
      expect(res.status).toBe(200);
      const text = textOf(res.html);
      expect(text).toContain('哈希链签名检查点');
      expect(text).toContain(latest!.headHash);
      expect(text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}/);
      expect(text).toContain(checkpoints.fingerprint.slice(0, 4));
      expect(res.html).toContain('href="/checkpoints.zip"');
      expect(res.html).toContain('href="/checkpoints.jsonl"');
    }
    const zip = await foundation.request('GET', '/checkpoints.zip');
    expect(zip.status).toBe(200);
    expect(zip.headers.get('Content-Disposition')).toBe('attachment; filename="checkpoints.zip"');
    expect(Object.keys((await JSZip.loadAsync(zip.bytes)).files).length).toBeGreaterThanOrEqual(2);
  });

  it('the home page links it for auditors and foundations; the verification page shows the newest checkpoints', async () => {
    expect((await foundation.request('GET', '/home')).html).toContain('href="/checkpoints"');
    const verification = await auditor.request('GET', '/verification');
    expect(verification.status).toBe(200);
    expect(textOf(verification.html)).toContain('签名检查点');
    expect(verification.html).toContain((await checkpoints.archive.latest('audit'))!.headHash);
  });

  it('caseworkers, approvers and finance get the 404 page, for the page and the downloads', async () => {
    for (const role of ['caseworker', 'approver', 'finance'] as const) {
      const browser = await signedInBrowser(app, db.prisma, world.users[role].actor.userId);
      expect((await browser.request('GET', '/checkpoints')).status, role).toBe(404);
      expect((await browser.request('GET', '/checkpoints.jsonl')).status, role).toBe(404);
      expect((await browser.request('GET', '/home')).html).not.toContain('href="/checkpoints"');
    }
  });
});
