// `npm run reconcile` as a child process on an embedded database in a temporary DATA_DIR:
// exit codes 0 / 1 / 2 with the reason on standard error, reports on standard output (quiet on
// standard error when piped: no progress bar), --out writing the same bytes run after run, and only
// completed runs recorded.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { applyMigrations } from '../../src/db/migrations.ts';
import { checkEntry } from '../../src/reconcile/checks/index.ts';
import { makeWorld } from '../support/fixtures.ts';
import { buildReconcileWorld } from '../support/reconciliation.ts';
import { type ScriptResult, runScript } from '../support/run-script.ts';

const temp: string[] = [];
let dataDir: string;
let codeA: string;

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temp.push(dir);
  return dir;
}

function reconcile(args: string[], dir = dataDir): Promise<ScriptResult> {
  return runScript('reconcile', args, dir);
}

async function withDatabase<T>(body: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase({ kind: 'embedded', dataDir });
  try {
    return await body(db);
  } finally {
    await db.close();
  }
}

const runCount = () => withDatabase((db) => db.prisma.reconciliationRun.count());

beforeAll(async () => {
  dataDir = tempDir('reconcile-cli-');
  await withDatabase(async (db) => {
    await applyMigrations(db.adapterFactory);
    const world = await makeWorld(db.prisma);
    const w = await buildReconcileWorld(db.prisma, world);
    codeA = w.a.code;
  });
}, 240_000);

afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

describe('npm run reconcile', { timeout: 240_000 }, () => {
  it('exits 0 on a good ledger with the text report on stdout, and nothing on stderr when piped', async () => {
    const before = await runCount();
    const run = await reconcile([]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('对账报告 (Reconciliation report)\n')).toBe(true);
    expect(run.stdout).toMatch(/结论 \(result\) +通过 \(clean\)/);
    expect(run.stdout).toMatch(/检查 \(checks\) +ledger, rules, figures/);
    expect(run.stdout).toMatch(/报告哈希 \(report SHA-256\) +[0-9a-f]{64}/);
    expect(await runCount()).toBe(before + 1);
  });

  it('writes the same three reports, byte for byte, on two runs (--out), and --json prints the same JSON', async () => {
    const one = tempDir('reconcile-out-');
    const two = tempDir('reconcile-out-');
    const first = await reconcile(['--out', one, '--json']);
    const second = await reconcile(['ledger', 'figures', 'rules', '--out', two, '--operator', 'another auditor']);
    expect([first.code, second.code]).toEqual([0, 0]);
    for (const name of ['report.txt', 'report.json', 'exceptions.csv']) {
      expect(readFileSync(join(two, name)).equals(readFileSync(join(one, name))), name).toBe(true);
    }
    expect(first.stdout).toBe(readFileSync(join(one, 'report.json'), 'utf8'));
    expect(second.stdout).toBe(readFileSync(join(one, 'report.txt'), 'utf8'));
    const report = JSON.parse(first.stdout) as { reportSha256: string; status: string; database: string; chainHead: { seq: string } };
    expect(report).toMatchObject({ status: 'clean', database: 'embedded' });
    expect(readFileSync(join(one, 'report.txt'), 'utf8')).toContain(report.reportSha256);
    expect(readFileSync(join(one, 'exceptions.csv'), 'utf8')).toContain(report.reportSha256);
  });

  it('limits the report to one programme (--programme CODE)', async () => {
    const run = await reconcile(['figures', '--programme', codeA, '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { scope: { programme: string }; checks: string[]; results: { tables: { rows: unknown[][] }[] }[] };
    expect(report.scope.programme).toBe(codeA);
    expect(report.checks).toEqual(['figures']);
    expect(report.results[0]!.tables[0]!.rows.map((r) => r[0])).toEqual([codeA, codeA]);
  });

  it('exits 2 with the reason on stderr, and records nothing, when it cannot run', async () => {
    const before = await runCount();
    const cases: [string[], RegExp][] = [
      [['nonsense'], /unknown check "nonsense"/],
      [['funding'], /the funding check needs --remittances FILE/],
      [['--json', '--csv'], /choose one of --json and --csv/],
      [['--programme', 'NO-SUCH-PROGRAMME'], /--programme NO-SUCH-PROGRAMME: no programme with that code/],
      [['--statement', 'x.xml'], /--statement is read by the bank check/],
    ];
    if (!checkEntry('bank')) cases.push([['bank', '--statement', 'x.xml'], /the bank check is not available in this build/]);
    else {
      cases.push([['bank', '--statement', 'no-such-statement.xml'], /no-such-statement\.xml: no such file/]);
      // A file that is not a statement: the reason names the file and the line.
      cases.push([['bank', '--statement', 'README.md'], /README\.md(, line |:)1\b/]);
    }
    for (const [args, message] of cases) {
      const run = await reconcile(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
    expect(await runCount()).toBe(before);
  });

  it('exits 2 when there is no database, or the service holds the embedded one', async () => {
    const empty = tempDir('reconcile-empty-');
    const none = await reconcile([], empty);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no embedded database in .* \(DATA_DIR\)/);

    // A live process (this test's) holds the data directory, as a running service would.
    const lock = join(dataDir, 'service.lock');
    writeFileSync(lock, `${process.pid}\n`);
    try {
      const held = await reconcile([]);
      expect(held.code).toBe(2);
      expect(held.stderr).toMatch(
        new RegExp(`the service is running on the embedded database in .* \\(pid ${process.pid}\\): stop it, or run against DATABASE_URL`),
      );
      expect(held.stdout).toBe('');
    } finally {
      rmSync(lock, { force: true });
    }
  });

  it('exits 1 when it finds breaks, naming them in the text report and the CSV', async () => {
    await withDatabase((db) =>
      db.prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('SET LOCAL session_replication_role = replica');
        await tx.$executeRawUnsafe(`UPDATE ledger_transaction SET description = 'edited' WHERE seq = 2`);
      }),
    );
    const before = await runCount();
    const text = await reconcile(['ledger']);
    expect(text.code).toBe(1);
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/结论 \(result\) +发现异常 \(breaks found\): 1 项异常 \(exceptions\)/);
    expect(text.stdout).toContain('[hash_mismatch] 交易哈希不符 (transaction hash mismatch): seq 2');
    const csv = await reconcile(['ledger', '--csv']);
    expect(csv.code).toBe(1);
    expect(csv.stdout.startsWith('\uFEFF')).toBe(true);
    expect(csv.stdout).toContain('\r\nledger,hash_mismatch,交易哈希不符 (transaction hash mismatch): seq 2');
    expect(await runCount()).toBe(before + 2);
    const last = await withDatabase((db) => db.prisma.reconciliationRun.findFirstOrThrow({ orderBy: { startedAt: 'desc' } }));
    expect(last).toMatchObject({
      status: 'breaks',
      checks: ['ledger'],
      databaseKind: 'embedded',
      summary: { ledger: { status: 'breaks', exceptions: 1, byCode: { hash_mismatch: 1 } } },
    });
  });
});
