// What a newcomer does: `npm start` on a fresh machine. Runs the real server process on a new
// embedded data directory, talks to it over HTTP, and stops it. The demo it loads is two years of
// the Qinghai programme (src/demo/history.ts); seeding it takes about a minute on a busy 2-core
// machine, hence the long timeout.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFiguresCheck } from '../../src/reconcile/checks/figures.ts';
import { runBankCheck } from '../../src/reconcile/bank/run-bank-check.ts';
import { fileSource } from '../../src/reconcile/node/file-source.ts';
import { openDatabase } from '../../src/db/client.ts';
import { plannedIntakes } from '../../src/demo/history.ts';
import { buildDemoStatements } from '../../src/demo/statements.ts';
import { academicYearContaining } from '../../src/domain/academic-year.ts';
import { todayInChina } from '../../src/domain/dates.ts';
import { resolveLedgerSealKey } from '../../src/ledger/seal-key-node.ts';
import { verifySeals } from '../../src/ledger/verify-seals.ts';
import { resolveKeyMaterial } from '../../src/privacy/key-source.ts';
import { createPiiVault } from '../../src/privacy/pii-vault.ts';
import { serviceArguments } from '../../scripts/lib/service-command.ts';

const root = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
const children: ChildProcess[] = [];

function start(env: Record<string, string> = {}) {
  // As `npm start` runs it: the compiled service through the launcher, in one process, so that
  // SIGTERM reaches the service itself (built first if a source changed since the last build).
  const child = spawn(process.execPath, serviceArguments(), {
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

/** A port nobody listens on now (the system's pick, released again). */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

/** The readiness probe's answer, and the ledger's head as the metrics show it (an admin's token). */
async function readyAndLedgerHead(base: string, tokensFile: string): Promise<{ ready: unknown; ledgerHead: string | undefined }> {
  const ready = await (await fetch(`${base}/readyz`)).json();
  const tokens = JSON.parse(readFileSync(tokensFile, 'utf8')) as { role: string; token: string }[];
  const admin = tokens.find((t) => t.role === 'admin') as { token: string };
  const metrics = await (await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${admin.token}` } })).text();
  return { ready, ledgerHead: /^scholarship_chain_head_sequence\{chain="ledger"\} (\d+)$/m.exec(metrics)?.[1] };
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start on a fresh embedded database', () => {
  it('creates, migrates and seeds the database, serves the API, refuses a second process, and stops cleanly', async () => {
    const metricsPort = await freePort();
    const first = start({ METRICS_PORT: String(metricsPort) });
    const base = await first.listening;
    expect(first.output()).toContain('/docs');
    // From the snapshot (test/e2e/demo-snapshot.test.ts proves it is what the replay makes), verified before serving.
    expect(first.errors()).toContain('演示数据已载入并通过账本与审计链校验');

    // The demo's history is one ledger transaction per event, the same on every fresh start:
    // 2 receipts, 227 grants approved, 457 payouts sent, 453 settled, 4 refused, 2 returned, 3 remainders cancelled.
    const tokensFile = join(dataDir, 'demo-tokens.json');
    const health = await readyAndLedgerHead(base, tokensFile);
    expect(health).toEqual({ ready: { status: 'ready' }, ledgerHead: '1148' });
    // The internal listener (METRICS_PORT) serves the same metrics without a token, and nothing else.
    const internal = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(internal.status).toBe(200);
    expect(await internal.text()).toMatch(/^scholarship_chain_head_sequence\{chain="ledger"\} 1148$/m);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/api/v1/programmes`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`)).status).toBe(401);

    // One token per role is printed and kept, readable by the owner only.
    expect(statSync(tokensFile).mode & 0o777).toBe(0o600);
    const tokens = JSON.parse(readFileSync(tokensFile, 'utf8')) as { role: string; organisation: string; token: string }[];
    expect(new Set(tokens.map((t) => t.role))).toEqual(new Set(['caseworker', 'approver', 'finance', 'foundation_viewer', 'coordinator', 'auditor', 'admin']));
    for (const t of tokens) expect(first.output()).toContain(t.token);
    const tokenOf = (role: string, organisation: string) => (tokens.find((t) => t.role === role && t.organisation === organisation) as { token: string }).token;

    // A county's list for the intake page, clean and with mistakes, beside the data, named in the output.
    for (const file of ['demo-county-list.xlsx', 'demo-county-list.mistakes.xlsx']) {
      expect(existsSync(join(dataDir, file))).toBe(true);
      expect(first.output()).toContain(join(dataDir, file));
    }

    // One user name and password per role is printed too, and signs in on the pages.
    const people = tokens as unknown as { role: string; organisation: string; username: string; password: string }[];
    for (const p of people) {
      expect(p.password.length).toBeGreaterThanOrEqual(12);
      expect(first.output()).toContain(`用户名 ${p.username.padEnd(16)} 密码 ${p.password}`);
    }
    const foundationPerson = people.find((p) => p.role === 'foundation_viewer' && p.organisation === 'QINGSHAN-FDN')!;
    const signInPage = await fetch(`${base}/`, { headers: { Accept: 'text/html' } });
    const signInCookie = signInPage.headers.getSetCookie()[0]!.split(';')[0]!;
    const formToken = /name="token" value="([^"]+)"/.exec(await signInPage.text())![1]!;
    const signedIn = await fetch(`${base}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: base, Cookie: signInCookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: formToken, username: foundationPerson.username, password: foundationPerson.password }).toString(),
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('Location')).toBe('/home');
    const viewer = { token: tokenOf('foundation_viewer', 'QINGSHAN-FDN') };
    const get = async <T>(path: string, token: string): Promise<T> => {
      const res = await fetch(`${base}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status, path).toBe(200);
      return (await res.json()) as T;
    };

    // Everything received was paid out but what came back to the fund (two cancelled instalments and
    // the unpaid half of the revoked grant): bank = fund, nothing committed or in transit.
    const programmes = await get<{ items: { id: string; name: string }[] }>('/programmes', viewer.token);
    expect(programmes.items[0]).toMatchObject({
      name: '青山陪伴·事实无人抚养儿童助学工程',
      balances: { bank: '5250.00', fund: '5250.00', payable: '0.00', inTransit: '0.00' },
    });
    const programmeId = (programmes.items[0] as { id: string }).id;

    // The published figures, computed from the grants: 84 / 300,000 and 143 / 540,000; 227 / 840,000 together.
    const summary = await get<{
      years: { academicYear: string; studentsFunded: number; grants: number; committed: string; byLevel: { level: string; grants: number }[] }[];
      cumulative: { grants: number; committed: string; studentsFunded: number };
    }>(`/programmes/${programmeId}/grant-summary`, viewer.token);
    expect(summary.years.map((y) => [y.academicYear, y.studentsFunded, y.grants, y.committed])).toEqual([
      ['2024-2025', 84, 84, '300000.00'],
      ['2025-2026', 143, 143, '540000.00'],
    ]);
    expect(summary.cumulative).toMatchObject({ grants: 227, committed: '840000.00', studentsFunded: 165 });
    for (const y of summary.years) expect(y.byLevel.map((l) => l.level).sort()).toEqual(['higher_vocational', 'junior_college', 'undergraduate']);

    // The year in progress waits for the approver: grants proposed, none approved.
    const current = academicYearContaining(todayInChina(new Date()));
    const approver = tokenOf('approver', 'QH-MZT');
    const pending = await get<{ items: { status: string; amount: string }[] }>(`/grants?academicYear=${current?.label}&status=proposed`, approver);
    expect(pending.items).toHaveLength(4);

    // Only masked names and identity numbers leave the service, to every role.
    const { first: firstIntake, second: secondIntake } = plannedIntakes();
    for (const token of [viewer.token, approver, tokenOf('auditor', 'QH-AUDIT')]) {
      const page = await get<{ items: { student: { nameMasked: string; identityNumberMasked: string } }[] }>('/grants?limit=100', token);
      expect(page.items).toHaveLength(100);
      for (const g of page.items) {
        expect(g.student.nameMasked).toMatch(/^.\*+$/u);
        expect(g.student.identityNumberMasked).toMatch(/^63\d{4}\*{8}\d{3}[\dX]$/);
      }
      const text = JSON.stringify(page);
      for (const s of [...firstIntake, ...secondIntake]) {
        expect(text).not.toContain(s.name);
        expect(text).not.toContain(s.identityNumber);
      }
    }

    // The auditor recomputes the whole chain.
    const verification = await get<{ ok: boolean; transactionsChecked: number }>('/ledger/verification', tokenOf('auditor', 'QH-AUDIT'));
    expect(verification).toMatchObject({ ok: true, transactionsChecked: 1148 });
    expect((await fetch(`${base}/docs`)).status).toBe(200);
    expect(statSync(join(dataDir, 'pii-keys.json')).mode & 0o777).toBe(0o600);
    // The first checkpoint of each chain is signed at start, with a key kept beside the data.
    expect(statSync(join(dataDir, 'checkpoint-signing-key.json')).mode & 0o777).toBe(0o600);
    const checkpoints = await get<{ latest: { ledger: { sequence: string } | null; audit: unknown } }>('/checkpoints', tokenOf('auditor', 'QH-AUDIT'));
    expect(checkpoints.latest.ledger?.sequence).toBe('1148');
    expect(readdirSync(join(dataDir, 'checkpoints'))).toContain('ledger-000000001148.json');
    // The demo was loaded (by the child that prepared the data directory) sealed: its checkpoint
    // signs that the ledger is sealed from transaction 1.
    expect(JSON.parse(readFileSync(join(dataDir, 'checkpoints', 'ledger-000000001148.json'), 'utf8'))).toMatchObject({ sealedFrom: '1' });

    // PGlite does not lock its folder; the service does.
    const second = start();
    await expect(second.listening).rejects.toThrow(/in use by another process/);
    expect(await second.exited).not.toBe(0);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(join(dataDir, 'service.lock'))).toBe(false);

    // The statements under demo/statements are this fresh database's, byte for byte.
    const db = await openDatabase({ kind: 'embedded', dataDir });
    try {
      const vault = await createPiiVault(resolveKeyMaterial({ DATA_DIR: dataDir }));
      // Every demo transaction has a seal that verifies with the key derived from the signing key.
      const seals = await verifySeals(db.prisma, await resolveLedgerSealKey({ DATA_DIR: dataDir }));
      expect(seals).toMatchObject({ ok: true, sealedFrom: '1', sealsChecked: 1148, transactionsChecked: 1148 });
      const files = await buildDemoStatements(db.prisma, vault);
      expect(files.map((f) => f.name).sort()).toEqual(
        readdirSync(join(root, 'demo/statements'))
          .filter((f) => !f.endsWith('.md'))
          .sort(),
      );
      for (const f of files) expect(Buffer.from(f.bytes).equals(readFileSync(join(root, 'demo/statements', f.name))), f.name).toBe(true);
      // The auditor's figures, computed from the ledger: 143 / 540,000 for 2025-2026, 227 / 840,000 together.
      const figures = await runFiguresCheck(db.prisma);
      const byYear = figures.tables?.[0]?.rows ?? [];
      expect(byYear.find((r) => r[1] === '2025-2026')?.slice(2, 5)).toEqual([143, 143, '540000.00']);
      expect(byYear.find((r) => r[1] === '2024-2025')?.slice(2, 5)).toEqual([84, 84, '300000.00']);
      expect(figures.figures.find((f) => f.key === 'person_times')?.value).toBe(227);
      expect(figures.figures.find((f) => f.key === 'amount_approved')?.value).toBe('840000.00');

      // The bank check on the demo statements: the true ones reconcile (the two returns are listed to
      // act on, not as breaks); the one with breaks shows each deliberate break and nothing else.
      const statement = (name: string) => join(root, 'demo/statements', name);
      for (const name of ['qinghai-2024-2026.camt053.xml', 'qinghai-2024-2026.ccb.gbk.csv']) {
        const clean = await runBankCheck(db.prisma, { statements: [fileSource(statement(name))], vault });
        expect(clean.exceptions, name).toEqual([]);
        expect(clean.figures.find((f) => f.key === 'return')?.value, name).toBe(2);
      }
      const broken = await runBankCheck(db.prisma, { statements: [fileSource(statement('qinghai-2024-2026.breaks.camt053.xml'))], vault });
      expect(broken.exceptions.map((e) => e.code).sort()).toEqual([
        'amount_differs',
        'at_bank_not_in_ledger',
        'closing_balance_differs',
        'duplicate',
        'in_ledger_not_at_bank',
      ]);
    } finally {
      await db.close();
    }

    // A restart keeps the data and prints the same tokens again.
    const again = start();
    const base2 = await again.listening;
    expect(again.output()).toContain(viewer.token);
    expect(await readyAndLedgerHead(base2, tokensFile)).toEqual(health);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 480_000);

  it('a first start killed while the demo loads: the next start says so, loads it again from the start, and it is whole', async () => {
    const halfDir = mkdtempSync(join(tmpdir(), 'ledger-e2e-half-'));
    try {
      // The replay through the use cases, which takes long enough to be killed halfway (the
      // snapshot loads in one transaction: killed, it leaves nothing).
      const killed = start({ DATA_DIR: halfDir, DEMO_REPLAY: 'true' });
      // It never listens: killed before.
      killed.listening.catch(() => {});
      // Killed once the demo has written some of its history (the progress line says how much).
      await new Promise<void>((done, fail) => {
        const timer = setInterval(() => {
          if (/已载入 [1-9]\d* 笔账本交易/.test(killed.errors())) {
            clearInterval(timer);
            done();
          }
        }, 100);
        void killed.exited.then(() => {
          clearInterval(timer);
          fail(new Error(`exited before it was killed: ${killed.errors()}`));
        });
      });
      expect(killed.errors()).toContain('正在载入演示数据');
      killed.child.kill('SIGKILL');
      await killed.exited;
      expect(existsSync(join(halfDir, 'demo-loading'))).toBe(true);
      expect(existsSync(join(halfDir, 'demo-tokens.json'))).toBe(false);

      const again = start({ DATA_DIR: halfDir });
      const base = await again.listening;
      expect(again.errors()).toContain('演示数据上次未载入完成');
      expect(existsSync(join(halfDir, 'demo-loading'))).toBe(false);
      expect(existsSync(join(halfDir, 'demo-tokens.json'))).toBe(true);
      expect(await readyAndLedgerHead(base, join(halfDir, 'demo-tokens.json'))).toEqual({ ready: { status: 'ready' }, ledgerHead: '1148' });
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
    } finally {
      rmSync(halfDir, { recursive: true, force: true });
    }
  }, 900_000);

  it('stops with a message naming the variable when configuration is bad', async () => {
    const bad = start({ PORT: 'eighty' });
    await expect(bad.listening).rejects.toThrow(/PORT/);
    expect(await bad.exited).toBe(1);
  });

  it('on PostgreSQL, stops at start without CHECKPOINT_SIGNING_KEY, saying so', async () => {
    const keys = { PII_KEYS: `k1:${'A'.repeat(43)}=`, PII_LOOKUP_KEY: `${'B'.repeat(43)}=` };
    const unsigned = start({ DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none', ...keys });
    await expect(unsigned.listening).rejects.toThrow(/CHECKPOINT_SIGNING_KEY is required with DATABASE_URL/);
    expect(await unsigned.exited).toBe(1);
  });
});
