// Benchmark for the payout cycle (not a test). On PostgreSQL, a programme with N students (default
// 10,000), each with an approved grant whose first instalment is due today; then, through the
// services and timed one by one:
//   create   createPayoutBatch          every due instalment into one batch
//   pain001  exportBatchFile + writeBankFile   ISO 20022 pain.001 to a temporary file
//   daifa    exportBatchFile + writeBankFile   代发 CSV in GBK to a temporary file
//   send     sendPayoutBatch            Dr payable / Cr in_transit per payout, one DB transaction
//            (a batch is sent only after one of its files was exported)
//   import   importBankResults          a streamed camt.054 settling every payout
// and prints seconds, payouts/s, CPU (this process and the database's backends) and memory (peak
// RSS and heap, sampled) for each step, then checks the outcome (every payout settled, in_transit
// back to zero, bank down by the batch total, ledger verified).
//
//   npm run bench:payouts -- [--n 10000] [--keep] [--statements 6] [--cpu-profile]
//   BENCH_PAYOUTS_N=2000 npm run bench:payouts
//
// Where the time goes, per step: the slowest statements (client-side time, through a wrapper on
// the driver adapter; --statements N lines, 0 for none), the database functions and triggers by
// self time (pg_stat_user_functions: the bench database gets track_functions = 'all' when the user
// may set it), and with --cpu-profile this process's CPU by file and function (V8's sampler; it
// slows the steps a little, so take figures from a run without it).
//
// Database: a new database on DATABASE_URL, else TEST_DATABASE_URL, else
// postgresql://postgres@127.0.0.1:5432/postgres, migrated, dropped afterwards (--keep leaves it
// for EXPLAIN ANALYZE and prints its URL). Run with NODE_OPTIONS=--expose-gc to collect garbage
// between steps, so that each step's heap peak is its own. The machine's load average is printed:
// on a shared machine, other work slows the steps.
//
// The students are seeded with set-based SQL, not through the services (test/support/bulk-payouts.ts,
// with a vault with random keys made for this run). The business day is pinned to 2026-11-26 (as in
// the tests) so that the seeded academic year and due dates hold whenever the script runs.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import pg from 'pg';
import type { SqlDriverAdapter, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';
import { writeBankFile } from '../src/bank/node/write-bank-file.ts';
import { type Database, openDatabase } from '../src/db/client.ts';
import { applyMigrations } from '../src/db/migrations.ts';
import { setBusinessClock, todayInChina } from '../src/domain/dates.ts';
import { formatMoney, money } from '../src/domain/money.ts';
import type { PrismaClient } from '#prisma';
import { programmeBalances } from '../src/ledger/balances.ts';
import { verifyLedger } from '../src/ledger/verify.ts';
import { createPiiVault } from '../src/privacy/pii-vault.ts';
import { importBankResults } from '../src/services/payouts/bank-results.ts';
import { exportBatchFile } from '../src/services/payouts/bank-files.ts';
import { createPayoutBatch, sendPayoutBatch } from '../src/services/payouts/batches.ts';
import { type AnsweredPayout, camt054 } from '../test/support/bank-answers.ts';
import { PROGRAMME_ACCOUNT, SEED_TODAY, makeBulkPayoutWorld, seedEligibility, seedGrants, seedStudents } from '../test/support/bulk-payouts.ts';
import { type MemorySampler, startMemorySampler } from './lib/memory-sampler.ts';
import { LOCAL_POSTGRES, createThrowawayDatabase } from './lib/throwaway-database.ts';

const TODAY = SEED_TODAY;
const TARGET_PER_SECOND = 1_000;

setBusinessClock(() => new Date(`${TODAY}T04:00:00.000Z`));

// ---------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv: string[]) {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const n = Number(value('n') ?? process.env.BENCH_PAYOUTS_N ?? 10_000);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--n takes a positive integer, got ${value('n') ?? process.env.BENCH_PAYOUTS_N}`);
  const statements = Number(value('statements') ?? 6);
  return { n, keep: argv.includes('--keep'), statements, cpuProfile: argv.includes('--cpu-profile') };
}

// ---------------------------------------------------------------------------------------------
// Where time goes: statements per step (client-side time: driver, wire, server), and CPU.

interface StatementStat {
  label: string;
  count: number;
  totalMs: number;
}

function labelOf(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  if (/^(BEGIN|COMMIT|ROLLBACK)\b/i.test(s)) return `${s.split(' ')[0]!.toUpperCase()}${/^COMMIT/i.test(s) ? ' (deferred checks run here)' : ''}`;
  if (/CROSS JOIN LATERAL ledger_post\(/.test(s)) return 'postPairs: unnest … CROSS JOIN LATERAL ledger_post(…)';
  return s.length > 110 ? `${s.slice(0, 107)}…` : s;
}

function installStatementProfiler(db: Database) {
  const stats = new Map<string, StatementStat>();
  const record = (label: string, ms: number) => {
    const s = stats.get(label) ?? { label, count: 0, totalMs: 0 };
    s.count++;
    s.totalMs += ms;
    stats.set(label, s);
  };
  const wrap = <T extends { queryRaw(q: SqlQuery): Promise<unknown>; executeRaw(q: SqlQuery): Promise<number> }>(target: T): T => {
    for (const method of ['queryRaw', 'executeRaw'] as const) {
      const original = target[method].bind(target) as (q: SqlQuery) => Promise<unknown>;
      (target as Record<string, unknown>)[method] = async (q: SqlQuery) => {
        const started = performance.now();
        try {
          return await original(q);
        } finally {
          record(labelOf(q.sql), performance.now() - started);
        }
      };
    }
    return target;
  };
  const factory = db.adapterFactory;
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter: SqlDriverAdapter = await connect();
    wrap(adapter);
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args: Parameters<SqlDriverAdapter['startTransaction']>) => {
      const began = performance.now();
      const tx: Transaction = await start(...args);
      record('BEGIN (pool checkout + BEGIN)', performance.now() - began);
      return wrap(tx);
    };
    return adapter;
  };
  return {
    take(): StatementStat[] {
      const out = [...stats.values()].sort((a, b) => b.totalMs - a.totalMs);
      stats.clear();
      return out;
    },
  };
}

/** utime + stime in ms of each given process, from /proc/<pid>/stat (Linux, 100 ticks/s); empty elsewhere. */
async function processCpuMs(pids: number[]): Promise<Map<number, number>> {
  const { readFile } = await import('node:fs/promises');
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
    } catch {
      // a remote server, or the backend is gone
    }
  }
  return out;
}

/** Where this process's CPU went during a step (V8's sampling profiler), by function and by file. */
interface CpuBreakdown {
  functions: { label: string; ms: number }[];
  files: { label: string; ms: number }[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

function shortFile(url: string): string {
  if (!url) return '(native / V8)';
  const file = url.replace(/^file:\/\//, '');
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (modules) return `[${modules[1]}]`;
  const root = process.cwd() + path.sep;
  return file.startsWith(root) ? file.slice(root.length) : file;
}

function cpuBreakdown(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }): CpuBreakdown {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!);
    if (!node) continue;
    const ms = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)' || functionName === '(garbage collector)') {
      functions.set(functionName, (functions.get(functionName) ?? 0) + ms);
      continue;
    }
    const file = shortFile(url);
    const label = `${functionName || '(anonymous)'} ${file}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(label, (functions.get(label) ?? 0) + ms);
    files.set(file, (files.get(file) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].map(([label, ms]) => ({ label, ms })).sort((a, b) => b.ms - a.ms);
  return { functions: sorted(functions), files: sorted(files) };
}

// ---------------------------------------------------------------------------------------------
// The database

interface BenchDatabase {
  db: Database;
  profiler: ReturnType<typeof installStatementProfiler>;
  url: string;
  where: string;
  serverPids: () => Promise<number[]>;
  /** Cumulative calls and time per database function (incl. triggers); empty when track_functions could not be set. */
  functionTimes: () => Promise<Map<string, FunctionStat>>;
  close: (keep: boolean) => Promise<void>;
}

interface FunctionStat {
  name: string;
  calls: number;
  totalMs: number;
  selfMs: number;
}

function functionDelta(before: Map<string, FunctionStat>, after: Map<string, FunctionStat>): FunctionStat[] {
  const out: FunctionStat[] = [];
  for (const [name, a] of after) {
    const b = before.get(name);
    const d = { name, calls: a.calls - (b?.calls ?? 0), totalMs: a.totalMs - (b?.totalMs ?? 0), selfMs: a.selfMs - (b?.selfMs ?? 0) };
    if (d.calls > 0) out.push(d);
  }
  return out.sort((x, y) => y.selfMs - x.selfMs);
}

async function openBenchDatabase(): Promise<BenchDatabase> {
  const serverUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || LOCAL_POSTGRES;
  const { name, url, onServer, drop } = await createThrowawayDatabase(serverUrl, 'payout_bench');
  // Time spent in each database function and trigger (pg_stat_user_functions); needs a superuser.
  const functionStats = await onServer(`ALTER DATABASE "${name}" SET track_functions = 'all'`).then(
    () => true,
    () => false,
  );
  const db = await openDatabase({ kind: 'postgres', url, poolMax: 10 });
  // Before the client's first query: Prisma connects through the factory once, lazily.
  const profiler = installStatementProfiler(db);
  await applyMigrations(db.adapterFactory);
  const monitor = new pg.Client({ connectionString: url });
  await monitor.connect();
  const version = (await monitor.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version;
  return {
    db,
    profiler,
    url,
    where: `PostgreSQL ${version}, database ${name} on ${new URL(url).host}`,
    serverPids: async () =>
      (await monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows.map(
        (r) => r.pid,
      ),
    functionTimes: async () => {
      const out = new Map<string, FunctionStat>();
      if (!functionStats) return out;
      // Backends report their counters when idle, at most once a second: wait for that.
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      const rows = await monitor.query<{ name: string; calls: string; total: number; self: number }>(
        'SELECT funcname AS name, calls::text AS calls, total_time AS total, self_time AS self FROM pg_stat_user_functions',
      );
      for (const r of rows.rows) out.set(r.name, { name: r.name, calls: Number(r.calls), totalMs: r.total, selfMs: r.self });
      return out;
    },
    close: async (keep) => {
      await monitor.end();
      await db.close();
      if (!keep) await drop();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Steps

interface StepResult {
  step: string;
  payouts: number;
  seconds: number;
  nodeCpuSeconds: number;
  serverCpuSeconds: number | null;
  rssBeforeMb: number;
  peakRssMb: number;
  peakHeapMb: number;
  detail: string;
  statements: StatementStat[];
  functions: FunctionStat[];
  cpu: CpuBreakdown | null;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

/** The payouts of a batch as the bank answers them, read a page at a time (nothing held). */
async function* answeredPayouts(prisma: PrismaClient, batchId: string): AsyncGenerator<AnsweredPayout> {
  let after = 0;
  for (;;) {
    const page = await prisma.payout.findMany({
      where: { batchId, sequence: { gt: after } },
      orderBy: { sequence: 'asc' },
      take: 1000,
      select: { sequence: true, reference: true, amount: true },
    });
    if (page.length === 0) return;
    for (const p of page) yield { reference: p.reference, amount: p.amount.toFixed(2), kind: 'debit', bankReference: `BK${p.reference.replaceAll('-', '')}` };
    after = page[page.length - 1]!.sequence;
  }
}

/** Strings as the byte chunks of an upload (~64 KiB each). */
async function* asUploadChunks(parts: AsyncIterable<string>, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let pending: string[] = [];
  let length = 0;
  for await (const part of parts) {
    pending.push(part);
    length += part.length;
    if (length >= size) {
      yield encoder.encode(pending.join(''));
      pending = [];
      length = 0;
    }
  }
  if (pending.length > 0) yield encoder.encode(pending.join(''));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const gc = (globalThis as { gc?: () => void }).gc;
  console.log(
    `Payout cycle benchmark — Node ${process.version}, ${availableParallelism()} cores, N = ${args.n.toLocaleString('en')} students; business day ${todayInChina()}` +
      `${gc ? '; gc between steps' : ' (NODE_OPTIONS=--expose-gc to collect garbage between steps)'}`,
  );
  const bench = await openBenchDatabase();
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-payouts-'));
  let failed = false;
  try {
    const { db } = bench;
    const prisma = db.prisma;
    const vault = await createPiiVault({
      encryption: [{ id: 'bench1', key: crypto.getRandomValues(new Uint8Array(32)) }],
      lookup: crypto.getRandomValues(new Uint8Array(32)),
    });

    process.stderr.write(`${bench.where}: seeding ${args.n} students …\n`);
    const seedStarted = performance.now();
    const world = await makeBulkPayoutWorld(prisma, vault, args.n);
    let t = performance.now();
    await seedStudents(prisma, vault, world, args.n);
    const studentsMs = performance.now() - t;
    t = performance.now();
    await seedEligibility(prisma, world);
    const eligibilityMs = performance.now() - t;
    t = performance.now();
    await seedGrants(prisma, world);
    const grantsMs = performance.now() - t;
    // What autovacuum would have done by the time a batch is made: statistics for the planner.
    await prisma.$executeRawUnsafe('VACUUM ANALYZE');
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const due = await prisma.instalment.aggregate({
      where: { grant: { programmeId: world.programmeId }, dueOn: { lte: new Date(`${TODAY}T00:00:00.000Z`) } },
      _count: true,
      _sum: { amount: true },
    });
    const dueTotal = money(due._sum.amount?.toString() ?? '0');
    process.stderr.write(
      `  seeded in ${seedSeconds.toFixed(1)} s (students sealed + inserted ${(studentsMs / 1000).toFixed(1)} s, recognition/enrolment/eligibility ${(eligibilityMs / 1000).toFixed(1)} s, ` +
        `grants + instalments + ${args.n} ledger postings ${(grantsMs / 1000).toFixed(1)} s); ${due._count} instalments due, ${formatMoney(dueTotal)} CNY\n`,
    );
    const before = (await programmeBalances(prisma, [world.programmeId])).get(world.programmeId)!;

    const loadBefore = loadavg();
    const profiler = bench.profiler;
    // --cpu-profile: V8's sampling profiler around each step (it slows the steps a little).
    const inspector = args.cpuProfile ? new Session() : null;
    if (inspector) {
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
    }
    const results: StepResult[] = [];
    const ctx = world.finance;
    const step = async <T>(name: string, payouts: (value: T) => number, body: (memory: MemorySampler) => Promise<{ value: T; detail: string }>): Promise<T> => {
      gc?.();
      const functionsBefore = await bench.functionTimes();
      profiler.take();
      const serverBefore = await processCpuMs(await bench.serverPids());
      const cpuBefore = process.cpuUsage();
      if (inspector) await inspector.post('Profiler.start');
      const memory = startMemorySampler(10);
      const started = performance.now();
      const { value, detail } = await body(memory);
      const seconds = (performance.now() - started) / 1000;
      const cpu = inspector ? cpuBreakdown((await inspector.post('Profiler.stop')).profile as never) : null;
      const { peakRss, peakHeap } = memory.stop();
      const cpuUsed = process.cpuUsage(cpuBefore);
      const serverAfter = await processCpuMs(await bench.serverPids());
      let serverMs = 0;
      for (const [pid, ms] of serverAfter) serverMs += ms - (serverBefore.get(pid) ?? 0);
      const statements = profiler.take();
      const functions = functionDelta(functionsBefore, await bench.functionTimes());
      results.push({
        step: name,
        payouts: payouts(value),
        seconds,
        nodeCpuSeconds: (cpuUsed.user + cpuUsed.system) / 1e6,
        serverCpuSeconds: serverAfter.size > 0 ? serverMs / 1000 : null,
        rssBeforeMb: mb(memory.rssBefore),
        peakRssMb: mb(peakRss),
        peakHeapMb: mb(peakHeap),
        detail,
        statements,
        functions,
        cpu,
      });
      process.stderr.write(`  ${name}: ${seconds.toFixed(2)} s\n`);
      return value;
    };

    const batch = await step(
      'create batch',
      (b) => b.payoutCount,
      async () => {
        const b = await createPayoutBatch({ ctx, input: { programmeId: world.programmeId, cutoffOn: TODAY } });
        return { value: b, detail: `${b.code}: ${b.payoutCount} payouts, ${b.total} CNY, ${b.heldCount} held` };
      },
    );
    for (const format of ['pain001', 'daifa_csv_gbk'] as const) {
      await step(
        `export ${format}`,
        () => batch.payoutCount,
        async (memory) => {
          const started = performance.now();
          const file = await exportBatchFile({ ctx, input: { batchId: batch.id, format } });
          const checked = performance.now();
          const written = await writeBankFile(
            path.join(dir, file.fileName),
            (async function* () {
              for await (const chunk of file.chunks()) {
                memory.sample();
                yield chunk;
              }
            })(),
          );
          if (written.sha256 !== file.sha256 || written.bytes !== file.bytes)
            throw new Error(`${format}: the written file differs from the one exported (${written.sha256} vs ${file.sha256})`);
          const done = performance.now();
          return {
            value: file,
            detail: `${file.fileName}, ${(file.bytes / 1024 / 1024).toFixed(2)} MB; exportBatchFile (hash pass, record, audit) ${((checked - started) / 1000).toFixed(2)} s, writeBankFile (second pass, fsync) ${((done - checked) / 1000).toFixed(2)} s`,
          };
        },
      );
    }
    await step(
      'mark sent',
      () => batch.payoutCount,
      async () => {
        const b = await sendPayoutBatch({ ctx, input: { batchId: batch.id } });
        return { value: b, detail: `status ${b.status}, ${b.byStatus.sent.count} sent` };
      },
    );
    await step(
      'import camt.054',
      () => batch.payoutCount,
      async (memory) => {
        let bytes = 0;
        const content = (async function* () {
          for await (const chunk of asUploadChunks(
            camt054({ messageId: `${batch.code}-CAMT054`, account: PROGRAMME_ACCOUNT }, answeredPayouts(prisma, batch.id)),
          )) {
            bytes += chunk.byteLength;
            memory.sample();
            yield chunk;
          }
        })();
        const r = await importBankResults({
          ctx,
          input: { programmeId: world.programmeId, content, format: 'camt.054', fileName: `${batch.code}.camt054.xml` },
        });
        return {
          value: r,
          detail: `${(bytes / 1024 / 1024).toFixed(2)} MB streamed; ${r.import.lineCount} lines, ${r.import.appliedCount} applied, ${r.import.exceptionCount} exceptions`,
        };
      },
    );

    // The outcome must be right, or the figures mean nothing.
    const verifyStarted = performance.now();
    const verification = await verifyLedger(prisma);
    const verifyMs = performance.now() - verifyStarted;
    const after = (await programmeBalances(prisma, [world.programmeId])).get(world.programmeId)!;
    const settled = await prisma.payout.count({ where: { batchId: batch.id, status: 'settled' } });
    const checks = {
      'every due instalment in the batch': batch.payoutCount === due._count && batch.total === formatMoney(dueTotal),
      'every payout settled': settled === batch.payoutCount,
      'in_transit back to 0.00': after.inTransit.isZero(),
      'bank down by the batch total': before.bank.minus(after.bank).equals(dueTotal),
      'ledger verifies': verification.ok,
    };
    failed = Object.values(checks).some((ok) => !ok);

    printTable(results);
    console.log(
      "\nseconds = wall time of the service call(s); payouts/s = payouts / seconds; node CPU = this process (user + system); pg CPU = this database's backends (from /proc);" +
        ' RSS before / peak and heap peak sampled every 10 ms (and on every chunk) during the step; export = exportBatchFile (streams the file once to hash it) + writeBankFile (streams it again to disk);' +
        ' import includes making the camt.054 as it streams in (payouts read a page at a time, XML written entry by entry), as an upload would arrive.',
    );
    for (const r of results) printStatements(r, args.statements);
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
    console.log(`\nLoad average (1, 5, 15 min) before the steps ${load(loadBefore)}, after ${load(loadavg())}, on ${availableParallelism()} cores.`);
    console.log(`maxRSS of the process (seeding included): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
    console.log(
      `Seeding: ${seedSeconds.toFixed(1)} s. Ledger verified: ${verification.ok ? 'ok' : `FAILED (${verification.firstProblem?.problem})`}, ${verification.transactionsChecked} transactions in ${(verifyMs / 1000).toFixed(1)} s.`,
    );
    for (const [name, ok] of Object.entries(checks)) console.log(`  ${ok ? 'ok    ' : 'FAILED'} ${name}`);
    const slow = results.filter((r) => r.payouts / r.seconds < TARGET_PER_SECOND);
    console.log(
      slow.length === 0
        ? `Target ≥ ${TARGET_PER_SECOND.toLocaleString('en')} payouts/s for every step: met.`
        : `Target ≥ ${TARGET_PER_SECOND.toLocaleString('en')} payouts/s: MISSED by ${slow.map((r) => `${r.step} (${Math.round(r.payouts / r.seconds)}/s)`).join(', ')}.`,
    );
    if (args.keep) console.log(`Database kept: ${bench.url} (batch ${batch.id}, programme ${world.programmeId})`);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await bench.close(args.keep);
  }
  if (failed) process.exitCode = 1;
}

function printTable(results: StepResult[]) {
  const head = ['step', 'payouts', 'seconds', 'payouts/s', 'node CPU s', 'pg CPU s', 'RSS before MB', 'peak RSS MB', 'peak heap MB', 'target'];
  const rows = results.map((r) => [
    r.step,
    r.payouts.toLocaleString('en'),
    r.seconds.toFixed(2),
    Math.round(r.payouts / r.seconds).toLocaleString('en'),
    r.nodeCpuSeconds.toFixed(2),
    r.serverCpuSeconds === null ? '–' : r.serverCpuSeconds.toFixed(2),
    r.rssBeforeMb.toFixed(0),
    r.peakRssMb.toFixed(0),
    r.peakHeapMb.toFixed(0),
    r.payouts / r.seconds >= TARGET_PER_SECOND ? 'met' : 'MISSED',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log('');
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  console.log('');
  for (const r of results) console.log(`${r.step}: ${r.detail}`);
}

function printStatements(r: StepResult, top: number) {
  if (top <= 0) return;
  const total = r.statements.reduce((s, x) => s + x.totalMs, 0);
  console.log(
    `\n${r.step} — ${(total / 1000).toFixed(2)} s of ${r.seconds.toFixed(2)} s inside ${r.statements.reduce((s, x) => s + x.count, 0)} statements (the rest is Node between them):`,
  );
  for (const s of r.statements.slice(0, top)) {
    console.log(`  ${(s.totalMs / 1000).toFixed(2).padStart(7)} s  ${String(s.count).padStart(4)}×  ${s.label}`);
  }
  if (r.cpu) {
    const total = r.cpu.functions.reduce((sum, f) => sum + f.ms, 0);
    console.log(`  this process, ${(total / 1000).toFixed(2)} s sampled — by file (self time):`);
    for (const f of r.cpu.files.slice(0, top + 2)) console.log(`  ${(f.ms / 1000).toFixed(2).padStart(7)} s  ${f.label}`);
    console.log('  by function (self time):');
    for (const f of r.cpu.functions.slice(0, top + 4)) console.log(`  ${(f.ms / 1000).toFixed(2).padStart(7)} s  ${f.label}`);
  }
  if (r.functions.length === 0) return;
  console.log('  database functions and triggers (self time = in the function itself, total = with the functions it calls):');
  for (const f of r.functions.slice(0, top)) {
    console.log(
      `  ${(f.selfMs / 1000).toFixed(2).padStart(7)} s self ${(f.totalMs / 1000).toFixed(2).padStart(6)} s total ${String(f.calls).padStart(6)}×  ${f.name}` +
        `  (${((1000 * f.selfMs) / f.calls).toFixed(0)} µs self a call)`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
