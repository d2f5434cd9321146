// What a newcomer does: `npm start` on a fresh machine. Runs the real server process on a new
// embedded data directory, talks to it over HTTP, and stops it.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const dataDir = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
const children: ChildProcess[] = [];

function start(env: Record<string, string> = {}) {
  const child = spawn(tsx, ['src/server.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const listening = new Promise<string>((done, fail) => {
    const timer = setInterval(() => {
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m?.[1]) {
        clearInterval(timer);
        done(m[1]);
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      fail(new Error(`server exited with ${code}: ${err}`));
    });
  });
  return { child, listening, exited, output: () => out, errors: () => err };
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start on a fresh embedded database', () => {
  it('creates, migrates and seeds the database, serves the API, refuses a second process, and stops cleanly', async () => {
    const first = start();
    const base = await first.listening;
    expect(first.output()).toContain('/docs');

    const health = (await (await fetch(`${base}/healthz`)).json()) as { ledger: unknown };
    expect(health).toMatchObject({ status: 'ok', migrations: { upToDate: true }, ledger: { headSeq: '5' } });

    // One token per role is printed and kept, readable by the owner only.
    const tokensFile = join(dataDir, 'demo-tokens.json');
    expect(statSync(tokensFile).mode & 0o777).toBe(0o600);
    const tokens = JSON.parse(readFileSync(tokensFile, 'utf8')) as { role: string; token: string }[];
    expect(new Set(tokens.map((t) => t.role))).toEqual(new Set(['caseworker', 'approver', 'finance', 'foundation_viewer', 'auditor', 'admin']));
    for (const t of tokens) expect(first.output()).toContain(t.token);
    const viewer = tokens.find((t) => t.role === 'foundation_viewer') as { token: string };
    const programmes = (await (await fetch(`${base}/api/v1/programmes`, { headers: { Authorization: `Bearer ${viewer.token}` } })).json()) as { items: unknown[] };
    expect(programmes.items[0]).toMatchObject({ name: '青山陪伴·事实无人抚养儿童助学工程', balances: { bank: '840000.00', fund: '828000.00', payable: '12000.00' } });
    // The demo walks every step for three students: recognised, enrolled, eligible, granted.
    const grants = (await (await fetch(`${base}/api/v1/grants`, { headers: { Authorization: `Bearer ${viewer.token}` } })).json()) as {
      items: { status: string; amount: string; student: { nameMasked: string } }[];
    };
    expect(grants.items.map((g) => g.status)).toEqual(['approved', 'approved', 'approved']);
    expect(grants.items.map((g) => g.amount).sort()).toEqual(['3000.00', '4000.00', '5000.00']);
    expect(JSON.stringify(grants)).not.toContain('卓玛');
    expect((await fetch(`${base}/docs`)).status).toBe(200);
    expect(statSync(join(dataDir, 'pii-keys.json')).mode & 0o777).toBe(0o600);

    // PGlite does not lock its folder; the service does.
    const second = start();
    await expect(second.listening).rejects.toThrow(/in use by another process/);
    expect(await second.exited).not.toBe(0);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(join(dataDir, 'service.lock'))).toBe(false);

    // A restart keeps the data and prints the same tokens again.
    const again = start();
    const base2 = await again.listening;
    expect(again.output()).toContain(viewer.token);
    const health2 = (await (await fetch(`${base2}/healthz`)).json()) as { ledger: unknown };
    expect(health2.ledger).toEqual(health.ledger);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 120_000);

  it('stops with a message naming the variable when configuration is bad', async () => {
    const bad = start({ PORT: 'eighty' });
    await expect(bad.listening).rejects.toThrow(/PORT/);
    expect(await bad.exited).toBe(1);
  });
});
