// `npm run reconcile` as a child process on an embedded database in a temporary DATA_DIR:
// exit codes 0 / 1 / 2 with the reason on standard error, reports on standard output (quiet on
// standard error when piped: no progress bar), --out writing the same bytes run after run, and only
// completed runs recorded; and through a running service (--service URL) when the service holds the
// database: the same reports and exit codes, and the locked database's message saying how.
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '@hono/node-server';
import { openDatabase } from '../../src/db/client.ts';
import { recordServiceAddress } from '../../src/db/data-dir-lock.ts';
import { applyMigrations } from '../../src/db/migrations.ts';
import { checkEntry } from '../../src/reconcile/checks/index.ts';
import { makeWorld } from '../support/fixtures.ts';
import { makeApp } from '../support/http.ts';
import { buildReconcileWorld } from '../support/reconciliation.ts';
import { type ScriptResult, runScript } from '../support/run-script.ts';
import { testVault } from '../support/vault.ts';
import { formatMoney } from '../../src/domain/money.ts';
import { programmeBalances } from '../../src/ledger/balances.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { camt053, utf8, writeChunks } from '../support/bank-statements.ts';
import { exportAndSendBatch, makeApprovedGrants, makePayoutProgramme, PROGRAMME_ACCOUNT, TODAY } from '../support/payouts.ts';

const temp: string[] = [];
let dataDir: string;
let codeA: string;
/** A programme whose batch was sent on 2026-11-26 and never answered by the bank, and its statement showing nothing booked. */
let codeTransit: string;
let transitStatement: string;
/** The world's auditor's API token, for runs through the service. */
let auditorToken: string;

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temp.push(dir);
  return dir;
}

function reconcile(args: string[], dir = dataDir, env: NodeJS.ProcessEnv = {}): Promise<ScriptResult> {
  return runScript('reconcile', args, dir, env);
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
    auditorToken = world.users.auditor.token;
    const w = await buildReconcileWorld(db.prisma, world);
    codeA = w.a.code;
    const transit = await makePayoutProgramme(world);
    codeTransit = transit.code;
    await makeApprovedGrants(db.prisma, world, transit.id, ['3000.00']);
    const batch = await createPayoutBatch({ ctx: world.users.finance.ctx, input: { programmeId: transit.id, cutoffOn: TODAY() } });
    await exportAndSendBatch(world.users.finance.ctx, batch.id);
    const balance = formatMoney((await programmeBalances(db.prisma, [transit.id])).get(transit.id)!.bank);
    transitStatement = join(tempDir('reconcile-statements-'), 'transit.camt053.xml');
    await writeChunks(
      transitStatement,
      utf8(
        camt053(
          {
            messageId: 'TRANSIT-1',
            account: PROGRAMME_ACCOUNT,
            opening: { amount: balance, date: '2026-11-26' },
            closing: { amount: balance, date: '2026-12-04' },
          },
          [],
        ),
      ),
    );
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

  it('exits 1 when a payout sent is not booked by the bank past its business days in transit, naming it', async () => {
    const run = await reconcile(['bank', '--statement', transitStatement, '--programme', codeTransit, '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { results: { exceptions: { code: string; subject: Record<string, unknown> }[] }[] };
    expect(report.results[0]!.exceptions.map((e) => [e.code, e.subject.requestedExecutionOn, e.subject.dueOn])).toEqual([
      ['not_booked_by_bank', '2026-11-26', '2026-12-01'],
    ]);
  });

  it('--account declares the account of a CSV that names none: another account than the programme’s is refused (exit 2, masked)', async () => {
    const run = await reconcile(['bank', '--statement', transitStatement, '--programme', codeTransit, '--account', '6222600110012345678']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('***************5678');
    expect(run.stderr).not.toContain('6222600110012345678');
    const misplaced = await reconcile(['--account', PROGRAMME_ACCOUNT]);
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toMatch(/--account is read by the bank check/);
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
      // … and the command line that runs it through the service, at the address the configuration gives.
      expect(held.stderr).toContain('\n  SCHOLARSHIP_TOKEN=<token> npm run reconcile -- --service http://127.0.0.1:3000\n');
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

describe('npm run reconcile -- --service URL, while the service holds the embedded database', { timeout: 240_000 }, () => {
  let url: string;
  let close: () => Promise<void>;
  let local: string;

  beforeAll(async () => {
    // The same run on this database, on the command line, before the service takes it.
    local = tempDir('reconcile-local-');
    expect((await reconcile(['ledger', 'figures', '--out', local])).code).toBe(1);
    const db = await openDatabase({ kind: 'embedded', dataDir });
    const { app } = makeApp(db.prisma, await testVault());
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((ready) => server.once('listening', ready));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    recordServiceAddress(dataDir, url);
    close = async () => {
      await new Promise((done) => server.close(done));
      await db.close();
    };
  }, 240_000);
  afterAll(() => close?.());

  const through = (args: string[], token = auditorToken) => reconcile(['--service', url, ...args], dataDir, { SCHOLARSHIP_TOKEN: token });

  it('says, when the database is held, the command line that runs it through the service', async () => {
    const held = await reconcile(['ledger', 'figures', '--json']);
    expect(held.code).toBe(2);
    expect(held.stderr).toContain(`\n  SCHOLARSHIP_TOKEN=<token> npm run reconcile -- --service ${url} ledger figures --json\n`);
  });

  it('uploads, waits, and writes the same reports byte for byte, with the same exit code (1: breaks)', async () => {
    const out = tempDir('reconcile-service-');
    const run = await through(['ledger', 'figures', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    for (const name of ['report.txt', 'report.json', 'exceptions.csv']) {
      expect(readFileSync(join(out, name)).equals(readFileSync(join(local, name))), name).toBe(true);
    }
    expect(run.stdout).toBe(readFileSync(join(local, 'report.txt'), 'utf8'));
    const json = await through(['figures', '--programme', codeA, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ scope: { programme: codeA }, checks: ['figures'], status: 'clean' });
  });

  it('exits 2 with the reason when the service cannot run it: a file that is no statement, no token or a bad one, a mapping file', async () => {
    const notes = await through(['bank', '--statement', 'README.md']);
    expect(notes.code).toBe(2);
    expect(notes.stderr).toMatch(/README\.md(, line |:)1\b/);
    const none = await through(['ledger'], '');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--service needs an auditor's or admin's API token in SCHOLARSHIP_TOKEN/);
    const wrong = await through(['ledger'], 'not-a-token');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/the service refused the run \(401 unauthenticated\)/);
    const mapping = await through(['bank', '--statement', 'README.md', '--mapping', 'package.json']);
    expect(mapping.code).toBe(2);
    expect(mapping.stderr).toMatch(/--mapping package\.json: through the service, name a preset/);
  });

  it('sends --account with the statements; the bank check through the service finds the payout not booked by the bank (exit 1)', async () => {
    const other = await through(['bank', '--statement', transitStatement, '--programme', codeTransit, '--account', '6222600110012345678']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('***************5678');
    const run = await through(['bank', '--statement', transitStatement, '--programme', codeTransit, '--account', PROGRAMME_ACCOUNT, '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { results: { exceptions: { code: string }[] }[] };
    expect(report.results[0]!.exceptions.map((e) => e.code)).toEqual(['not_booked_by_bank']);
  });
});
