// Benchmark for the ledger's append path (not a test). Appends N funding receipts through the
// service layer (recordFundingReceipt: scope and remitter checks, duplicate check, receipt row,
// audit row, then the journal's locked append with the hash chain and the database triggers),
// with 1 and with 8 concurrent writers, on the embedded database and on PostgreSQL. Prints
// transactions/s, p50/p95 latency per transaction and peak memory, then runs the verifier.
// On PostgreSQL each writer count is followed by a raw-SQL reference append with the same number
// of writers (scripts/lib/reference-append.ts, its own throwaway database), and the table gives
// service receipts/s against reference appends/s, their ratio, and the load average, because
// the machine is shared and only the ratio compares across runs.
//
//   npm run bench:ledger -- [--n 5000] [--writers 1,8] [--backend embedded,postgres] [--rounds 1] [--profile] [--unsealed]
//
// The appends are sealed as the service seals them (src/ledger/seal.ts, a random key per run) and
// the seals are verified with the chain; --unsealed measures them without seals, for comparison.
//
// --rounds k alternates service and reference k times per writer count on PostgreSQL and reports
// the median ratio: other work on a shared machine moves both, and alternating spreads it over both.
//
// Each configuration runs in its own child process, on its own new database, so maxRSS is that
// run's peak and no run sees another's table bloat:
//   embedded: PGlite on disk in a new temporary directory (removed afterwards);
//   postgres: a new database on DATABASE_URL, else TEST_DATABASE_URL, else
//             postgresql://postgres@127.0.0.1:5432/postgres (dropped afterwards).
// --profile wraps the driver adapter and reports round trips and time per statement, how many
// receipts each statement carries (group commit), how long the append lock is held per statement
// (an explicit transaction: lock granted → COMMIT answered; a single statement that takes the lock
// inside ledger_post and commits implicitly: the whole statement, an upper bound), and the server
// time per call of each PL/pgSQL function and trigger (track_functions): with one lock serialising
// every append, 1 / hold time is the ceiling in statements per second for any number of writers.
import { execFileSync, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Decimal } from 'decimal.js';
import type { SqlDriverAdapter, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';
import { type Database, openDatabase } from '../src/db/client.ts';
import { applyMigrations } from '../src/db/migrations.ts';
import { verifyLedger } from '../src/ledger/verify.ts';
import { configureLedgerSeal, deriveSealKey } from '../src/ledger/seal-key.ts';
import { verifySeals } from '../src/ledger/verify-seals.ts';
import { programmeBalances } from '../src/ledger/balances.ts';
import type { Actor, ServiceContext } from '../src/services/context.ts';
import { recordFundingReceipt } from '../src/services/funding-receipts.ts';
import { createProgramme } from '../src/services/programmes.ts';
import { createUser } from '../src/services/tokens.ts';
import { LOCAL_POSTGRES, createThrowawayDatabase } from './lib/throwaway-database.ts';
import { type ReferenceResult, runReferenceAppends } from './lib/reference-append.ts';

type Backend = 'embedded' | 'postgres';

interface RunConfig {
  /** service: recordFundingReceipt; reference: the raw-SQL append (PostgreSQL only). */
  subject: 'service' | 'reference';
  backend: Backend;
  writers: number;
  n: number;
  profile: boolean;
  /** Appends sealed as the service seals them (the default). */
  sealed: boolean;
}

interface StatementStat {
  label: string;
  count: number;
  totalMs: number;
}

interface FunctionStat {
  name: string;
  calls: number;
  selfMs: number;
  totalMs: number;
}

interface RunResult {
  config: RunConfig;
  /** 1-minute load average when the run started. */
  loadAtStart: number;
  reference?: ReferenceResult;
  where: string;
  setupMs: number;
  warmup: number;
  elapsedMs: number;
  txPerSec: number;
  firstTenthTxPerSec: number;
  lastTenthTxPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxRssMb: number;
  peakHeapUsedMb: number;
  verifyOk: boolean;
  verifyChecked: number;
  verifyMs: number;
  balancesMatch: boolean;
  profile?: {
    perTransaction: number;
    /** Receipts carried by each statement that appends (group commit), mean. */
    appendsPerStatement: number;
    /** True when the lock is taken inside one statement that commits implicitly: the hold is that statement's time, an upper bound. */
    holdIsStatement: boolean;
    functions: FunctionStat[];
    statements: StatementStat[];
    lockHoldP50Ms: number;
    lockHoldMeanMs: number;
    lockWaitMeanMs: number;
    roundTripsUnderLock: number;
    /** Of the lock hold: time inside statements (driver + network + server), the rest is Node between them. */
    inStatementsUnderLockMeanMs: number;
  };
  /** CPU of this (Node) process per appended transaction, and of the whole machine (all cores) over the run. */
  nodeCpuMsPerTx: number;
  /** CPU of this run's PostgreSQL backends (from /proc) per appended transaction; null for embedded. */
  serverCpuMsPerTx: number | null;
  machineBusyPercent: number | null;
}

const DEFAULT_N: Record<Backend, number> = { embedded: 2000, postgres: 10000 };
const PROGRAMMES = 3;

// ---------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv: string[]) {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    const inline = argv.find((a) => a.startsWith(`--${name}=`));
    return inline?.slice(name.length + 3);
  };
  const n = value('n');
  const writers = (value('writers') ?? '1,8').split(',').map(Number);
  const backends = (value('backend') ?? value('backends') ?? 'embedded,postgres').split(',') as Backend[];
  for (const b of backends) if (b !== 'embedded' && b !== 'postgres') throw new Error(`unknown backend ${b} (embedded, postgres)`);
  for (const w of writers) if (!Number.isInteger(w) || w < 1) throw new Error(`--writers takes positive integers, got ${w}`);
  if (n !== undefined && !(Number(n) >= 1)) throw new Error(`--n takes a positive integer, got ${n}`);
  const rounds = Number(value('rounds') ?? 1);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds takes a positive integer, got ${value('rounds')}`);
  return {
    n: n === undefined ? null : Math.floor(Number(n)),
    writers,
    backends,
    rounds,
    profile: argv.includes('--profile'),
    sealed: !argv.includes('--unsealed'),
  };
}

// ---------------------------------------------------------------------------------------------
// Statement profiling: wraps the adapter the PrismaClient connects through.

interface Profiler {
  reset(): void;
  report(transactions: number): NonNullable<RunResult['profile']>;
}

function labelOf(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  if (/^WITH input AS .*ledger_post\(/.test(s)) return 'receipts + audit + ledger_post (one statement)';
  if (/pg_advisory_xact_lock/.test(s)) return 'SELECT pg_advisory_xact_lock (append lock)';
  if (/^(BEGIN|COMMIT|ROLLBACK)/i.test(s)) return s.split(' ')[0]!.toUpperCase();
  if (/FROM unnest\(.*LEFT JOIN LATERAL/.test(s)) return 'journal: read head + balances';
  if (/^INSERT INTO "ledger_transaction"/.test(s)) return 'journal: INSERT ledger_transaction';
  if (/^INSERT INTO "ledger_entry"/.test(s)) return 'journal: INSERT ledger_entry (x2, triggers)';
  if (/FROM "ledger_account" WHERE "programme_id"/.test(s)) return 'journal: resolve account ids';
  const m = /^(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b.*?(?:FROM|INTO|UPDATE)?\s*"(?:public"\.")?(\w+)"/i.exec(s);
  if (m) return `${m[1]!.split(' ')[0]!.toUpperCase()} ${m[2]}`;
  return s.slice(0, 60);
}

/** A statement that takes the append lock itself (inside ledger_post) and appends. */
const appendsInside = (label: string) => label.startsWith('receipts + audit + ledger_post');

function installProfiler(db: Database): Profiler {
  const stats = new Map<string, StatementStat>();
  let appendStatements = 0;
  let appendsCarried = 0;
  let holdIsStatement = false;
  const holds: number[] = [];
  const waits: number[] = [];
  const inStatements: number[] = [];
  let underLock = 0;
  const record = (label: string, ms: number) => {
    const s = stats.get(label) ?? { label, count: 0, totalMs: 0 };
    s.count++;
    s.totalMs += ms;
    stats.set(label, s);
  };
  const wrapQueryable = <T extends { queryRaw(q: SqlQuery): Promise<unknown>; executeRaw(q: SqlQuery): Promise<number> }>(
    target: T,
    inTx: { lockedAt: number | null; busy: number } | null,
  ) => {
    for (const method of ['queryRaw', 'executeRaw'] as const) {
      const original = target[method].bind(target) as (q: SqlQuery) => Promise<unknown>;
      (target as Record<string, unknown>)[method] = async (q: SqlQuery) => {
        const label = labelOf(q.sql);
        const started = performance.now();
        try {
          return await original(q);
        } finally {
          const done = performance.now();
          record(label, done - started);
          if (appendsInside(label)) {
            appendStatements++;
            appendsCarried += Array.isArray(q.args[0]) ? q.args[0].length : 1;
          }
          if (!inTx && appendsInside(label)) {
            // Lock taken and released (implicit commit) within this one round trip.
            holdIsStatement = true;
            holds.push(done - started);
            inStatements.push(done - started);
            underLock++;
          } else if (inTx && inTx.lockedAt === null && appendsInside(label)) {
            inTx.lockedAt = started;
            inTx.busy = done - started;
            underLock++;
          } else if (inTx) {
            if (label.startsWith('SELECT pg_advisory_xact_lock')) {
              waits.push(done - started);
              inTx.lockedAt = done;
              inTx.busy = 0;
            } else if (inTx.lockedAt !== null) {
              underLock++;
              inTx.busy += done - started;
              if (label === 'COMMIT' || label === 'ROLLBACK') {
                holds.push(done - inTx.lockedAt);
                inStatements.push(inTx.busy);
                inTx.lockedAt = null;
              }
            }
          }
        }
      };
    }
    return target;
  };
  const factory = db.adapterFactory;
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter: SqlDriverAdapter = await connect();
    wrapQueryable(adapter, null);
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args: Parameters<SqlDriverAdapter['startTransaction']>) => {
      const began = performance.now();
      const tx: Transaction = await start(...args);
      record('BEGIN (pool checkout + BEGIN)', performance.now() - began);
      return wrapQueryable(tx, { lockedAt: null, busy: 0 });
    };
    return adapter;
  };
  return {
    reset() {
      stats.clear();
      holds.length = 0;
      waits.length = 0;
      inStatements.length = 0;
      underLock = 0;
      appendStatements = 0;
      appendsCarried = 0;
    },
    report(transactions) {
      const statements = [...stats.values()].sort((a, b) => b.totalMs - a.totalMs);
      const total = statements.reduce((sum, s) => sum + s.count, 0);
      const sorted = holds.slice().sort((a, b) => a - b);
      return {
        perTransaction: total / transactions,
        appendsPerStatement: appendsCarried / Math.max(1, appendStatements),
        holdIsStatement,
        functions: [],
        statements,
        lockHoldP50Ms: percentile(sorted, 0.5),
        lockHoldMeanMs: mean(holds),
        lockWaitMeanMs: mean(waits),
        roundTripsUnderLock: underLock / Math.max(1, holds.length),
        inStatementsUnderLockMeanMs: mean(inStatements),
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One run, in a child process

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Busy and total jiffies over all cores, from /proc/stat (Linux); null elsewhere. */
async function machineCpu(): Promise<{ busy: number; total: number } | null> {
  try {
    const { readFile } = await import('node:fs/promises');
    const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
    const idleAll = idle! + iowait!;
    const busy = user! + nice! + system! + irq! + softirq! + steal!;
    return { busy, total: busy + idleAll };
  } catch {
    return null;
  }
}

/** utime + stime in ms of each given process, from /proc/<pid>/stat (Linux, 100 ticks/s). */
async function processCpuMs(pids: number[]): Promise<Map<number, number>> {
  const { readFile } = await import('node:fs/promises');
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
    } catch {
      // not on this machine (remote server) or gone
    }
  }
  return out;
}

interface OpenedBackend {
  db: Database;
  where: string;
  /** PIDs of the server processes serving this run's database (PostgreSQL on this machine only). */
  serverPids: () => Promise<number[]>;
  /** Zeroes the server's function statistics for this database (after the warm-up). */
  resetFunctionStats: () => Promise<void>;
  /** Closes the run's connections (their statistics reach the server as they exit), then reads per-function times. */
  closeAndReadFunctionStats: () => Promise<FunctionStat[]>;
  cleanup: () => Promise<void>;
}

async function openBackend(backend: Backend, writers: number, profile: boolean): Promise<OpenedBackend> {
  if (backend === 'embedded') {
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-ledger-'));
    const db = await openDatabase({ kind: 'embedded', dataDir: dir });
    return {
      db,
      where: `PGlite on disk, ${dir}`,
      serverPids: async () => [],
      resetFunctionStats: async () => {},
      closeAndReadFunctionStats: async () => [],
      cleanup: async () => {
        await db.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const serverUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || LOCAL_POSTGRES;
  const { name, url, drop, onServer } = await createThrowawayDatabase(serverUrl, 'ledger_bench');
  // Server time per PL/pgSQL function and trigger, for --profile (superuser, as on the local server).
  if (profile) await onServer(`ALTER DATABASE "${name}" SET track_functions = 'pl'`);
  const db = await openDatabase({ kind: 'postgres', url, poolMax: Math.max(10, writers + 2) });
  let dbOpen = true;
  const closeDb = async () => {
    if (!dbOpen) return;
    dbOpen = false;
    await db.close();
  };
  const monitor = new pg.Client({ connectionString: url });
  await monitor.connect();
  const v = (await monitor.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version;
  const host = new URL(url).host;
  return {
    db,
    where: `PostgreSQL ${v}, database ${name} on ${host}`,
    serverPids: async () =>
      (await monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows.map(
        (r) => r.pid,
      ),
    resetFunctionStats: async () => {
      await monitor.query('SELECT pg_stat_reset()');
    },
    closeAndReadFunctionStats: async () => {
      await closeDb();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const rows = await monitor.query<{ name: string; calls: string; self_time: number; total_time: number }>(
        'SELECT funcname AS name, calls, self_time, total_time FROM pg_stat_user_functions ORDER BY self_time DESC',
      );
      return rows.rows.map((r) => ({ name: r.name, calls: Number(r.calls), selfMs: r.self_time, totalMs: r.total_time }));
    },
    cleanup: async () => {
      await monitor.end();
      await closeDb();
      await drop();
    },
  };
}

async function setUp(db: Database) {
  const prisma = db.prisma;
  const org = (kind: 'civil_affairs' | 'foundation' | 'platform', name: string) =>
    prisma.organisation.create({ data: { id: randomUUID(), code: `${kind}-${randomUUID().slice(0, 8)}`, name, kind } });
  const department = await org('civil_affairs', '青海省民政厅');
  const foundation = await org('foundation', '青山慈善基金会');
  const platform = await org('platform', 'platform');
  const actorOf = async (organisation: { id: string; kind: Actor['organisationKind'] }, role: Actor['role']): Promise<ServiceContext> => {
    const { id } = await createUser(prisma, { organisationId: organisation.id, displayName: `bench ${role}`, role });
    return { db: prisma, actor: { userId: id, organisationId: organisation.id, organisationKind: organisation.kind, role } };
  };
  const admin = await actorOf(platform as { id: string; kind: 'platform' }, 'admin');
  const finance = await actorOf(department as { id: string; kind: 'civil_affairs' }, 'finance');
  const programmes: string[] = [];
  for (let i = 0; i < PROGRAMMES; i++) {
    const p = await createProgramme({
      ctx: admin,
      input: {
        code: `BENCH-${i}-${randomUUID().slice(0, 6)}`,
        name: '青山陪伴·事实无人抚养儿童助学工程',
        funderId: foundation.id,
        administratorId: department.id,
        firstAcademicYear: '2024-2025',
        lastAcademicYear: '2026-2027',
        instalmentPlan: 'semesters',
        budget: '840000000.00',
        bands: [{ academicYear: '2025-2026', level: 'undergraduate', minAmount: '3000.00', maxAmount: '5000.00' }],
      },
    });
    programmes.push(p.id);
  }
  return { finance, foundationId: foundation.id, programmes };
}

const warmupOf = (n: number) => Math.min(200, Math.max(20, Math.floor(n / 50)));

interface ReferenceRun extends ReferenceResult {
  config: RunConfig;
  loadAtStart: number;
}

async function runReference(config: RunConfig): Promise<ReferenceRun> {
  const serverUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || LOCAL_POSTGRES;
  const result = await runReferenceAppends(serverUrl, config.writers, warmupOf(config.n), config.n);
  return { ...result, config, loadAtStart: 0 };
}

async function runOne(config: RunConfig): Promise<RunResult> {
  const setupStarted = performance.now();
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 50);
  const { db, where, serverPids, resetFunctionStats, closeAndReadFunctionStats, cleanup } = await openBackend(config.backend, config.writers, config.profile);
  try {
    await applyMigrations(db.adapterFactory);
    const sealKey = config.sealed ? await deriveSealKey(crypto.getRandomValues(new Uint8Array(32))) : null;
    configureLedgerSeal(sealKey);
    const profiler = config.profile ? installProfiler(db) : null;
    const { finance, foundationId, programmes } = await setUp(db);
    const setupMs = performance.now() - setupStarted;

    const expected = new Map(programmes.map((p) => [p, new Decimal(0)]));
    const amountOf = (i: number) => `${1 + ((i * 7919) % 99_999)}.${String((i * 37) % 100).padStart(2, '0')}`;
    const append = (i: number) => {
      const programmeId = programmes[i % programmes.length]!;
      const amount = amountOf(i);
      expected.set(programmeId, expected.get(programmeId)!.plus(amount));
      return recordFundingReceipt({
        ctx: finance,
        input: { programmeId, remitterId: foundationId, amount, receivedOn: '2025-09-01', bankReference: `BENCH-${String(i).padStart(7, '0')}` },
      });
    };

    // Warm-up (connections, plans, JIT of the service code): posted, verified, not timed.
    const warmup = warmupOf(config.n);
    let next = 0;
    const drive = async (until: number, latencies: number[] | null, doneAt: number[] | null) => {
      const worker = async () => {
        while (next < until) {
          const i = next++;
          const started = performance.now();
          await append(i);
          const done = performance.now();
          latencies?.push(done - started);
          doneAt?.push(done);
        }
      };
      await Promise.all(Array.from({ length: config.writers }, worker));
    };
    await drive(warmup, null, null);
    profiler?.reset();
    if (profiler) await resetFunctionStats();

    const latencies: number[] = [];
    const doneAt: number[] = [];
    const serverBefore = await processCpuMs(await serverPids());
    const cpuBefore = process.cpuUsage();
    const machineBefore = await machineCpu();
    const started = performance.now();
    let lastReport = started;
    const progress = setInterval(() => {
      const now = performance.now();
      if (now - lastReport > 10_000) {
        lastReport = now;
        process.stderr.write(`  … ${config.backend} ×${config.writers}: ${doneAt.length}/${config.n}\n`);
      }
    }, 1000);
    await drive(warmup + config.n, latencies, doneAt);
    clearInterval(progress);
    const elapsedMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const machineAfter = await machineCpu();
    const serverAfter = await processCpuMs(await serverPids());
    let serverCpuMs = 0;
    for (const [pid, ms] of serverAfter) serverCpuMs += ms - (serverBefore.get(pid) ?? 0);
    const machineBusyPercent =
      machineBefore && machineAfter ? (100 * (machineAfter.busy - machineBefore.busy)) / (machineAfter.total - machineBefore.total) : null;
    const profile = profiler?.report(config.n);

    // Throughput of the first and the last tenth, to show a slowdown as the tables grow.
    doneAt.sort((a, b) => a - b);
    const tenth = Math.max(1, Math.floor(config.n / 10));
    const firstTenth = tenth / ((doneAt[tenth - 1]! - started) / 1000);
    const lastTenth = tenth / ((doneAt[doneAt.length - 1]! - doneAt[doneAt.length - 1 - tenth]!) / 1000);

    const verifyStarted = performance.now();
    const verification = await verifyLedger(db.prisma);
    // Sealed: every transaction (setup included) must have a seal that verifies.
    const sealsOk = sealKey ? (await verifySeals(db.prisma, sealKey)).ok : true;
    const verifyMs = performance.now() - verifyStarted;
    const balances = await programmeBalances(db.prisma, programmes);
    const balancesMatch = programmes.every((p) => balances.get(p)!.fund.equals(expected.get(p)!) && balances.get(p)!.bank.equals(expected.get(p)!));

    if (profile) profile.functions = await closeAndReadFunctionStats();

    latencies.sort((a, b) => a - b);
    clearInterval(sampler);
    return {
      config,
      loadAtStart: 0,
      where,
      setupMs,
      warmup,
      elapsedMs,
      txPerSec: config.n / (elapsedMs / 1000),
      firstTenthTxPerSec: firstTenth,
      lastTenthTxPerSec: lastTenth,
      p50Ms: percentile(latencies, 0.5),
      p95Ms: percentile(latencies, 0.95),
      p99Ms: percentile(latencies, 0.99),
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      peakHeapUsedMb: peakHeap / 1024 / 1024,
      verifyOk: verification.ok && sealsOk,
      verifyChecked: verification.transactionsChecked,
      verifyMs,
      balancesMatch,
      nodeCpuMsPerTx: (cpu.user + cpu.system) / 1000 / config.n,
      serverCpuMsPerTx: serverAfter.size > 0 ? serverCpuMs / config.n : null,
      machineBusyPercent,
      ...(profile ? { profile } : {}),
    };
  } finally {
    clearInterval(sampler);
    await cleanup();
  }
}

// ---------------------------------------------------------------------------------------------
// The parent: one child per configuration, then the table.

function runInChild<T extends { loadAtStart: number }>(config: RunConfig): Promise<T> {
  const loadAtStart = loadavg()[0] as number;
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', JSON.stringify(config)], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: T | null = null;
    child.on('message', (m) => {
      result = { ...(m as T), loadAtStart };
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`benchmark child for ${config.subject} ${config.backend} ×${config.writers} exited with ${code} and no result`));
    });
  });
}

const fmt = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

function printTable(results: RunResult[]) {
  const head = [
    'backend',
    'writers',
    'N',
    'tx/s',
    'first 10%',
    'last 10%',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'maxRSS MB',
    'heap MB',
    'node CPU ms/tx',
    'pg CPU ms/tx',
    'CPU busy',
    'verify',
    'verify ms',
  ];
  const rows = results.map((r) => [
    r.config.backend,
    String(r.config.writers),
    String(r.config.n),
    fmt(r.txPerSec),
    fmt(r.firstTenthTxPerSec),
    fmt(r.lastTenthTxPerSec),
    fmt(r.p50Ms, 2),
    fmt(r.p95Ms, 2),
    fmt(r.p99Ms, 2),
    fmt(r.maxRssMb),
    fmt(r.peakHeapUsedMb),
    fmt(r.nodeCpuMsPerTx, 2),
    r.serverCpuMsPerTx === null ? '–' : fmt(r.serverCpuMsPerTx, 2),
    r.machineBusyPercent === null ? '–' : `${fmt(r.machineBusyPercent)}%`,
    `${r.verifyOk && r.balancesMatch ? 'ok' : 'FAILED'} (${r.verifyChecked})`,
    fmt(r.verifyMs),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i < 2 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

function uptime(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')}`;
  }
}

/** Service and reference runs of PostgreSQL, paired in the order they ran (service, then its reference). */
function pairsOf(results: RunResult[], references: ReferenceRun[]) {
  const services = results.filter((r) => r.config.backend === 'postgres');
  return references.map((reference, i) => ({ service: services[i] as RunResult, reference })).filter((p) => p.service);
}

const median = (xs: number[]) =>
  percentile(
    xs.slice().sort((a, b) => a - b),
    0.5,
  );

function printAgainstReference(results: RunResult[], references: ReferenceRun[]) {
  console.log('\nAgainst the raw-SQL reference (same run, same writers; PostgreSQL):');
  console.log(
    '| writers | service receipts/s | reference tx/s | ratio | service p50 ms | reference p50 ms | reference lock hold ms | load at start (service / reference) |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---|');
  const pairs = pairsOf(results, references);
  for (const { service: r, reference: ref } of pairs) {
    console.log(
      `| ${ref.config.writers} | ${fmt(r.txPerSec)} | ${fmt(ref.txPerSec)} | ${fmt(r.txPerSec / ref.txPerSec, 2)} | ${fmt(r.p50Ms, 2)} | ${fmt(ref.p50Ms, 2)} | ${fmt(ref.lockHoldMeanMs, 3)} | ${fmt(r.loadAtStart, 2)} / ${fmt(ref.loadAtStart, 2)} |`,
    );
  }
  const writerCounts = [...new Set(pairs.map((p) => p.reference.config.writers))];
  for (const w of writerCounts) {
    const mine = pairs.filter((p) => p.reference.config.writers === w);
    if (mine.length < 2) continue;
    console.log(
      `| ${w} (median of ${mine.length}) | ${fmt(median(mine.map((p) => p.service.txPerSec)))} | ${fmt(median(mine.map((p) => p.reference.txPerSec)))} | ${fmt(median(mine.map((p) => p.service.txPerSec / p.reference.txPerSec)), 2)} | | | | |`,
    );
  }
  console.log(
    'reference = one database transaction per append from Node with pg: BEGIN, advisory lock, head read, SHA-256 of the canonical transaction,' +
      ` 1 transaction + 2 entries, one balance row, COMMIT (${references[0]?.roundTripsUnderLock} round trips under the lock); no triggers, no business rows.`,
  );
  console.log(`now: ${uptime()}`);
}

function printProfile(r: RunResult) {
  const p = r.profile;
  if (!p) return;
  console.log(
    `\nProfile: ${r.config.backend} ×${r.config.writers} — ${fmt(p.perTransaction, 2)} round trips per appended transaction; ${fmt(p.appendsPerStatement, 1)} receipts per appending statement (group commit);`,
  );
  const hold = p.holdIsStatement ? '≤ ' : '';
  console.log(
    `  append lock held ${hold}${fmt(p.lockHoldMeanMs, 2)} ms mean per statement (p50 ${hold}${fmt(p.lockHoldP50Ms, 2)}), ${fmt(p.roundTripsUnderLock, 1)} round trip(s) under it` +
      ` → ceiling ≈ ${fmt(1000 / p.lockHoldMeanMs)} statements/s ≈ ${fmt((1000 / p.lockHoldMeanMs) * p.appendsPerStatement)} receipts/s at this batch size`,
  );
  if (p.holdIsStatement) {
    console.log(
      '  (the lock is taken inside ledger_post and released by the implicit commit of the same statement: the hold is at most the statement time seen from Node)',
    );
  } else {
    console.log(
      `  of the hold, ${fmt(p.inStatementsUnderLockMeanMs, 2)} ms is inside statements (driver, wire, server) and ${fmt(p.lockHoldMeanMs - p.inStatementsUnderLockMeanMs, 2)} ms is Node between them; mean wait for the lock ${fmt(p.lockWaitMeanMs, 2)} ms`,
    );
  }
  console.log('  statement (client-side time, incl. queueing)        per tx   mean ms   share');
  const total = p.statements.reduce((s, x) => s + x.totalMs, 0);
  for (const s of p.statements) {
    console.log(
      `  ${s.label.padEnd(52)} ${fmt(s.count / r.config.n, 2).padStart(6)} ${fmt(s.totalMs / s.count, 3).padStart(9)} ${fmt((100 * s.totalMs) / total, 1).padStart(6)}%`,
    );
  }
  if (p.functions.length > 0) {
    console.log('  server function / trigger (track_functions)         per tx   self ms/call  total ms/call  self ms per tx');
    for (const f of p.functions) {
      console.log(
        `  ${f.name.padEnd(52)} ${fmt(f.calls / r.config.n, 2).padStart(6)} ${fmt(f.selfMs / f.calls, 4).padStart(13)} ${fmt(f.totalMs / f.calls, 4).padStart(14)} ${fmt(f.selfMs / r.config.n, 4).padStart(15)}`,
      );
    }
  }
}

async function main() {
  const childAt = process.argv.indexOf('--child');
  if (childAt >= 0) {
    const config = JSON.parse(process.argv[childAt + 1]!) as RunConfig;
    const result = config.subject === 'reference' ? await runReference(config) : await runOne(config);
    process.send?.(result);
    return;
  }

  const args = parseArgs(process.argv.slice(2));
  console.log(
    `Ledger append benchmark — Node ${process.version}, ${availableParallelism()} cores; each receipt = recordFundingReceipt (service + journal + triggers); fresh database per run.`,
  );
  const results: RunResult[] = [];
  const references: ReferenceRun[] = [];
  for (const backend of args.backends) {
    for (const writers of args.writers) {
      for (let round = 0; round < (backend === 'postgres' ? args.rounds : 1); round++) {
        const config: RunConfig = { subject: 'service', backend, writers, n: args.n ?? DEFAULT_N[backend], profile: args.profile, sealed: args.sealed };
        process.stderr.write(
          `running ${backend} with ${writers} writer(s), N=${config.n}, ${config.sealed ? 'sealed' : 'unsealed'}${config.profile ? ', profiled' : ''} …\n`,
        );
        const r = await runInChild<RunResult>(config);
        results.push(r);
        process.stderr.write(
          `  ${r.where}: ${fmt(r.txPerSec)} tx/s; verifier ${r.verifyOk ? 'verified' : 'FAILED on'} ${r.verifyChecked} transactions in ${fmt(r.verifyMs)} ms` +
            `; fund balances ${r.balancesMatch ? 'match' : 'DO NOT match'} the receipts\n`,
        );
        if (backend !== 'postgres') continue;
        process.stderr.write(`running the raw-SQL reference with ${writers} writer(s), N=${config.n} …\n`);
        const ref = await runInChild<ReferenceRun>({ ...config, subject: 'reference' });
        references.push(ref);
        process.stderr.write(`  ${ref.where}: ${fmt(ref.txPerSec)} tx/s; chain and balances ${ref.verified ? 'check out' : 'DO NOT check out'}\n`);
      }
    }
  }
  console.log('');
  printTable(results);
  console.log(
    '\ntx/s over the timed N (after a warm-up of 2%, 20–200 receipts); first/last 10% = throughput of the first and last tenth;' +
      " latency = one recordFundingReceipt call incl. waiting for the append lock; maxRSS = the run's process peak; heap = peak heapUsed sampled every 50 ms;" +
      " node CPU = this process's user+system CPU per receipt (embedded: includes the database); pg CPU = this run's PostgreSQL backends, from /proc; CPU busy = all cores of the machine over the timed run (100% = both cores);" +
      ' verify = verifyLedger over the whole chain (warm-up included) and fund = bank = Σ receipts per programme.',
  );
  const embedded = results.find((r) => r.config.backend === 'embedded');
  if (embedded) console.log(`embedded = ${embedded.where.replace(/, \/.*$/, '')} (a new temporary data directory per run).`);
  for (const r of results) printProfile(r);
  if (references.length > 0) printAgainstReference(results, references);
  const eight = pairsOf(results, references).filter((p) => p.reference.config.writers === 8);
  const eightAlone = results.filter((r) => r.config.backend === 'postgres' && r.config.writers === 8);
  if (eightAlone.length > 0) {
    const rate = median(eightAlone.map((r) => r.txPerSec));
    console.log(
      `\nTarget ≥ 1,000 receipts/s on PostgreSQL with 8 writers: ${fmt(rate)} receipts/s${eightAlone.length > 1 ? ' (median)' : ''} — ${rate >= 1000 ? 'met' : 'MISSED'}.`,
    );
  }
  if (eight.length > 0) {
    const ratio = median(eight.map((p) => p.service.txPerSec / p.reference.txPerSec));
    console.log(`Target ≥ 0.6 × the reference of the same run: ${fmt(ratio, 2)} ×${eight.length > 1 ? ' (median)' : ''} — ${ratio >= 0.6 ? 'met' : 'MISSED'}.`);
  }
  if (results.some((r) => !r.verifyOk || !r.balancesMatch) || references.some((r) => !r.verified)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
