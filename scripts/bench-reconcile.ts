// Benchmark for the bank check (not a test): a ledger with N payouts (default 1,000,000), the
// bank's statements for them as a camt.053 and as a GBK bank CSV (about N lines each, with a
// sprinkling of breaks), then runBankCheck on each, printing lines/s, time per phase and peak RSS.
// Targets on a 2-core machine: CSV ≥ 100,000 lines/s, camt.053 ≥ 20,000 entries/s, peak RSS < 1 GB.
//
//   npm run bench:reconcile -- [--n 1000000] [--keep] [--only csv|camt] [--reuse URL]
//   BENCH_RECONCILE_N=100000 npm run bench:reconcile
//
// --keep leaves the database (and the statement files); --reuse URL runs on such a kept database
// (made by this script with the same --n) without seeding it again, and leaves it.
//
// Each check runs in a fresh process of its own (this script again, with --check), as an auditor's
// `npm run reconcile` does: measured in the process that seeded the database and wrote the files,
// or after the other check, the garbage those left behind made the second check's figures depend on
// the order (measured: the CSV check alone 156,799 lines/s, after the camt.053 check 84,903).
//
// THE BENCHMARK DATABASE IS NOT A LEDGER. Making a million payouts through the services (or
// ledger_post) would take hours, so this script creates a throwaway database (on DATABASE_URL's
// server, else postgresql://postgres@127.0.0.1:5432), migrates it, and bulk-inserts with set-based
// SQL under `SET session_replication_role = replica` — WHICH BYPASSES EVERY TRIGGER, foreign keys
// included — only the rows the bank check reads: one programme, payout batches, the payouts,
// funding receipts, and the bank account's ledger entries as one aggregate transaction per day and
// kind (only the bank leg; the hash chain is made up). Students, grants and instalments do not
// exist. The database is dropped at the end (--keep leaves it, and prints its URL).
//
// The statements are written with streaming writers (test/support/bank-statements.ts) to a
// temporary folder and read back by the check, streamed. Breaks sprinkled in (per 1,000,000):
// ~50 payouts missing at the bank, ~40 extra debits, ~33 amount differences, ~25 lines twice,
// 100 payouts returned after settling (debit + return line), 100 still in transit, 100 failed,
// 20 lines without a reference (matched on amount + the payee's account hash + date), one funding
// receipt missing at the bank and one unknown credit; the closing balance is the bank's, so it
// differs from the ledger's by the breaks.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Database, openDatabase } from '../src/db/client.ts';
import { applyMigrations } from '../src/db/migrations.ts';
import { csvPreset } from '../src/bank/statement-csv/index.ts';
import { createPiiVault, type PiiVault } from '../src/privacy/pii-vault.ts';
import type { CheckResult, Progress } from '../src/reconcile/check-types.ts';
import { runBankCheck } from '../src/reconcile/bank/index.ts';
import { fileSource } from '../src/reconcile/node/file-source.ts';
import { bankCsv, camt053, gbk, utf8, writeChunks, type StatementEntry } from '../test/support/bank-statements.ts';
import { startMemorySampler, type MemorySampler } from './lib/memory-sampler.ts';
import { LOCAL_POSTGRES, createThrowawayDatabase } from './lib/throwaway-database.ts';

const ACCOUNT = '105858000123456789';
const BATCH_SIZE = 10_000;
const TARGETS = { csv: 100_000, camt: 20_000, rssBytes: 1024 ** 3 };

// ---------------------------------------------------------------------------------------------
// The data, as formulas of the payout number i (0 … N−1): the database and the statements are
// made from the same formulas, so neither is ever held in memory.

const batchOf = (i: number) => Math.floor(i / BATCH_SIZE);
const batchCode = (b: number) => `PB20261101-${String(b + 1).padStart(5, '0')}`;
const referenceOf = (i: number) => `${batchCode(batchOf(i))}-${String((i % BATCH_SIZE) + 1).padStart(6, '0')}`;
const fenOf = (i: number) => 300_000 + ((i * 37) % 2001) * 100 + (i % 100);
const amountOf = (i: number) => fenText(BigInt(fenOf(i)));
const accountOf = (i: number) => `6222${String(i).padStart(15, '0')}`;
/** Day of November a batch settles on: 2 … 28. */
const settleDay = (b: number) => 2 + (b % 27);
const status = (i: number) => (i % 10_000 === 7 ? 'returned' : i % 10_000 === 13 ? 'sent' : i % 10_000 === 17 ? 'failed' : 'settled');
const isMissing = (i: number) => i % 20_011 === 5;
const isAmountDifferent = (i: number) => i % 30_011 === 9;
const isTwice = (i: number) => i % 40_009 === 11;
const isWithoutReference = (i: number) => i % 50_000 === 21;
const hasExtraAfter = (i: number) => i % 25_000 === 24_999;
const november = (d: number) => `2026-11-${String(d).padStart(2, '0')}`;
const RECEIPTS = Array.from({ length: 12 }, (_, k) => ({
  reference: `QS-2026-${String(k + 1).padStart(4, '0')}`,
  fen: 100_000_000n + BigInt(k + 1),
  day: 2 * (k + 1),
}));
const OPENING_FEN = 400_000_000_000n; // 4,000,000,000.00 received on 2026-09-01

function fenText(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** The bank's lines for November, in booking order. */
function* statementEntries(n: number): Generator<StatementEntry> {
  const batches = Math.ceil(n / BATCH_SIZE);
  for (let day = 1; day <= 30; day++) {
    for (const r of RECEIPTS) {
      if (r.day === day && r.reference !== 'QS-2026-0005') {
        yield {
          kind: 'credit',
          amount: fenText(r.fen),
          bookingDate: november(day),
          bankReference: r.reference,
          counterpartyAccount: '310000000000000001',
          counterpartyName: '青山慈善基金会',
          remittance: `青山助学 ${r.reference}`,
        };
      }
    }
    if (day === 15) yield { kind: 'credit', amount: '888.88', bookingDate: november(day), bankReference: 'BK-UNKNOWN-CREDIT', remittance: '利息' };
    // Returns of payouts settled two days before.
    for (let b = 0; b < batches; b++) {
      if (settleDay(b) + 2 !== day) continue;
      for (let i = b * BATCH_SIZE + 7; i < Math.min(n, (b + 1) * BATCH_SIZE); i += 10_000) {
        yield {
          kind: 'return',
          amount: amountOf(i),
          bookingDate: november(day),
          reference: referenceOf(i),
          bankReference: `RT${i}`,
          counterpartyAccount: accountOf(i),
          reason: 'AC04',
        };
      }
    }
    for (let b = 0; b < batches; b++) {
      if (settleDay(b) !== day) continue;
      for (let i = b * BATCH_SIZE; i < Math.min(n, (b + 1) * BATCH_SIZE); i++) {
        const s = status(i);
        if (s === 'sent' || s === 'failed' || isMissing(i)) continue;
        const entry: StatementEntry = {
          kind: 'debit',
          amount: isAmountDifferent(i) ? fenText(BigInt(fenOf(i) - 1)) : amountOf(i),
          bookingDate: november(day),
          bankReference: `BK${i}`,
          counterpartyAccount: accountOf(i),
          counterpartyName: '学生',
          remittance: '助学金',
        };
        if (!isWithoutReference(i)) entry.reference = referenceOf(i);
        yield entry;
        if (isTwice(i)) yield entry;
        if (hasExtraAfter(i))
          yield {
            kind: 'debit',
            amount: '1234.56',
            bookingDate: november(day),
            reference: `PB20990101-00001-${String(i % 1_000_000).padStart(6, '0')}`,
            bankReference: `BKX${i}`,
          };
      }
    }
  }
}

function bankClosing(n: number): { closing: bigint; lines: number } {
  let balance = OPENING_FEN;
  let lines = 0;
  for (const e of statementEntries(n)) {
    lines++;
    const [whole, fraction] = e.amount.split('.');
    const fen = BigInt(`${whole}${fraction}`);
    balance += e.kind === 'debit' ? -fen : fen;
  }
  return { closing: balance, lines };
}

async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

// ---------------------------------------------------------------------------------------------
// The database

interface Bench {
  db: Database;
  url: string;
  name: string;
  close(keep: boolean): Promise<void>;
}

async function reuseBenchDatabase(url: string): Promise<Bench> {
  const db = await openDatabase({ kind: 'postgres', url, poolMax: 4 });
  return { db, url, name: new URL(url).pathname.slice(1), close: () => db.close() };
}

async function openBenchDatabase(): Promise<Bench> {
  const serverUrl = process.env.DATABASE_URL || LOCAL_POSTGRES;
  const { name, url, drop } = await createThrowawayDatabase(serverUrl, 'reconcile_bench');
  const db = await openDatabase({ kind: 'postgres', url, poolMax: 4 });
  await applyMigrations(db.adapterFactory);
  return {
    db,
    url,
    name,
    close: async (keep) => {
      await db.close();
      if (!keep) await drop();
    },
  };
}

const IDS = {
  department: '00000000-0000-4000-8000-000000000001',
  foundation: '00000000-0000-4000-8000-000000000002',
  user: '00000000-0000-4000-8000-000000000003',
  programme: '00000000-0000-4000-8000-000000000004',
  bank: '00000000-0000-4000-8000-000000000005',
  fund: '00000000-0000-4000-8000-000000000006',
};

async function seed(url: string, n: number, vault: PiiVault): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const q = (sql: string, values: unknown[] = []) => c.query(sql, values);
  try {
    await q('BEGIN');
    // Bypasses every trigger (the ledger's rules, foreign keys): for this throwaway database only.
    await q('SET LOCAL session_replication_role = replica');
    await q(
      `INSERT INTO organisation (id, code, name, kind) VALUES ($1, 'BENCH-DEPT', '青海省民政厅', 'civil_affairs'), ($2, 'BENCH-FUND', '青山慈善基金会', 'foundation')`,
      [IDS.department, IDS.foundation],
    );
    await q(`INSERT INTO app_user (id, organisation_id, display_name, role) VALUES ($1, $2, 'bench finance', 'finance')`, [IDS.user, IDS.department]);
    await q(
      `INSERT INTO programme (id, code, name, funder_id, administrator_id, first_academic_year, last_academic_year, instalment_plan, budget,
                              payout_account_number, payout_account_name, payout_bank_name)
       VALUES ($1, 'BENCH-1', '青山陪伴·事实无人抚养儿童助学工程 (benchmark)', $2, $3, 2026, 2026, 'semesters', 999999999999.99, $4, '青海省民政厅', '中国建设银行西宁城西支行')`,
      [IDS.programme, IDS.foundation, IDS.department, ACCOUNT],
    );
    await q(`INSERT INTO ledger_account (id, programme_id, kind, code) VALUES ($1, $3, 'bank', 'bank'), ($2, $3, 'fund', 'fund')`, [
      IDS.bank,
      IDS.fund,
      IDS.programme,
    ]);
    const batches = Math.ceil(n / BATCH_SIZE);
    await q(
      `INSERT INTO payout_batch (id, code, programme_id, cutoff_on, requested_execution_on, status, payout_count, total, created_by_id, sent_by_id, sent_at, sent_on)
       SELECT md5('bench-batch-' || b)::uuid, 'PB20261101-' || lpad((b + 1)::text, 5, '0'), $1, DATE '2026-11-01', DATE '2026-11-01', 'sent', 1, 1, $2, $2,
              TIMESTAMPTZ '2026-11-01 09:00+08', DATE '2026-11-01'
       FROM generate_series(0, $3::int - 1) b`,
      [IDS.programme, IDS.user, batches],
    );
    await q(
      `INSERT INTO payout (id, batch_id, sequence, reference, programme_id, grant_id, instalment_id, student_id, amount,
                           payee_name_sealed, payee_name_masked, payee_account_hash, payee_account_sealed, payee_account_masked, payee_bank_name,
                           status, sent_transaction_id, settled_transaction_id, settled_on, outcome_transaction_id, outcome_on, outcome_reason, bank_reference)
       SELECT md5('bench-payout-' || i)::uuid, md5('bench-batch-' || b)::uuid, i % ${BATCH_SIZE} + 1,
              'PB20261101-' || lpad((b + 1)::text, 5, '0') || '-' || lpad((i % ${BATCH_SIZE} + 1)::text, 6, '0'),
              $1, md5('bench-grant-' || i)::uuid, md5('bench-instalment-' || i)::uuid, md5('bench-student-' || i)::uuid,
              ((300000 + ((i::bigint * 37) % 2001) * 100 + (i % 100)) / 100.0)::numeric(14,2),
              'bench', '学*', encode(sha256(('bench-account-' || i)::bytea), 'hex'), 'bench', '***************' || right(i::text, 4), '中国建设银行',
              s.status::"PayoutStatus",
              md5('bench-sent-' || i)::uuid,
              CASE WHEN s.status IN ('settled', 'returned') THEN md5('bench-settled-' || i)::uuid END,
              CASE WHEN s.status IN ('settled', 'returned') THEN DATE '2026-11-01' + (1 + b % 27) END,
              CASE WHEN s.status IN ('returned', 'failed') THEN md5('bench-outcome-' || i)::uuid END,
              CASE WHEN s.status = 'returned' THEN DATE '2026-11-01' + (3 + b % 27) WHEN s.status = 'failed' THEN DATE '2026-11-01' + (1 + b % 27) END,
              CASE WHEN s.status IN ('returned', 'failed') THEN 'AC04' END,
              CASE WHEN s.status IN ('settled', 'returned') THEN 'BK' || i END
       FROM generate_series(0, $2::int - 1) i
       CROSS JOIN LATERAL (SELECT i / ${BATCH_SIZE} AS b) bb(b)
       CROSS JOIN LATERAL (SELECT CASE i % 10000 WHEN 7 THEN 'returned' WHEN 13 THEN 'sent' WHEN 17 THEN 'failed' ELSE 'settled' END) s(status)`,
      [IDS.programme, n],
    );
    await q(
      `UPDATE payout_batch b SET payout_count = x.n, total = x.total
       FROM (SELECT batch_id, count(*)::int AS n, sum(amount) AS total FROM payout GROUP BY batch_id) x WHERE b.id = x.batch_id`,
    );
    // The payee account hashes a statement line without a reference is matched on: real HMACs from this run's vault.
    const withoutReference: number[] = [];
    for (let i = 21; i < n; i += 50_000) withoutReference.push(i);
    const hashes = await Promise.all(withoutReference.map((i) => vault.lookupHash('bank_account', accountOf(i))));
    await q(`UPDATE payout p SET payee_account_hash = w.hash FROM unnest($1::int[], $2::text[]) AS w(i, hash) WHERE p.id = md5('bench-payout-' || w.i)::uuid`, [
      withoutReference,
      hashes,
    ]);
    await q(
      `INSERT INTO funding_receipt (id, programme_id, remitter_id, amount, received_on, bank_reference, ledger_transaction_id, recorded_by_id)
       SELECT md5('bench-receipt-' || r.ref)::uuid, $1, $2, r.amount, r.day, r.ref, md5('bench-receipt-tx-' || r.ref)::uuid, $3
       FROM unnest($4::text[], $5::numeric[], $6::date[]) AS r(ref, amount, day)`,
      [
        IDS.programme,
        IDS.foundation,
        IDS.user,
        ['QS-2026-0000', ...RECEIPTS.map((r) => r.reference)],
        [fenText(OPENING_FEN), ...RECEIPTS.map((r) => fenText(r.fen))],
        ['2026-09-01', ...RECEIPTS.map((r) => november(r.day))],
      ],
    );
    // The bank account's ledger entries: one aggregate transaction per day and kind (bank leg only).
    const movements = `
      WITH movements AS (
        SELECT received_on AS d, amount, 'debit' AS dir, 'funding_received' AS kind FROM funding_receipt WHERE programme_id = $1
        UNION ALL SELECT settled_on, sum(amount), 'credit', 'payout_settled' FROM payout WHERE programme_id = $1 AND status IN ('settled', 'returned') GROUP BY settled_on
        UNION ALL SELECT outcome_on, sum(amount), 'debit', 'payout_returned' FROM payout WHERE programme_id = $1 AND status = 'returned' GROUP BY outcome_on
      ), numbered AS (SELECT row_number() OVER (ORDER BY d, kind, amount) AS seq, * FROM movements)`;
    await q(
      `${movements}
       INSERT INTO ledger_transaction (id, seq, programme_id, kind, event_date, recorded_at, description, source_type, source_id, actor_id, prev_hash, hash)
       SELECT md5('bench-tx-' || seq)::uuid, seq, $1, kind::"LedgerTransactionKind", d, now(), 'benchmark aggregate: ' || kind || ' on ' || d, 'benchmark',
              md5('bench-source-' || seq)::uuid, $2, repeat('0', 64), encode(sha256(('bench-tx-' || seq)::bytea), 'hex')
       FROM numbered`,
      [IDS.programme, IDS.user],
    );
    await q(
      `${movements}
       INSERT INTO ledger_entry (transaction_id, line, seq, account_id, direction, amount, balance_after)
       SELECT md5('bench-tx-' || seq)::uuid, 1, seq, $2, dir::"EntryDirection", amount, 0 FROM numbered`,
      [IDS.programme, IDS.bank],
    );
    await q('COMMIT');
    await q('ANALYZE');
  } catch (error) {
    await q('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await c.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Running the check

/** Records when each phase the check reports starts and stops; samples memory on every tick. */
class PhaseTimer implements Progress {
  readonly phases: { label: string; ms: number; end: number }[] = [];
  private label = '';
  private started = 0;
  private readonly origin = performance.now();
  constructor(private readonly sampler: MemorySampler) {}
  start(label: string): void {
    this.label = label;
    this.started = performance.now();
  }
  private lastSample = 0;
  tick(): void {
    // Memory is sampled on a timer too; from here at most every 20 ms (memoryUsage() is not free).
    const now = performance.now();
    if (now - this.lastSample >= 20) {
      this.lastSample = now;
      this.sampler.sample();
    }
  }
  stop(): void {
    if (this.label === '') return;
    const now = performance.now();
    this.phases.push({ label: this.label, ms: now - this.started, end: now - this.origin });
    this.label = '';
  }
}

interface Run {
  kind: 'csv' | 'camt';
  seconds: number;
  lines: number;
  peakRss: number;
  peakHeap: number;
  phases: { label: string; ms: number; end: number }[];
  result: CheckResult;
}

async function runCheck(db: Database, kind: 'csv' | 'camt', file: string, vault: PiiVault): Promise<Run> {
  (globalThis as { gc?: () => void }).gc?.();
  const sampler = startMemorySampler(20);
  const timer = new PhaseTimer(sampler);
  const t0 = performance.now();
  const result = await runBankCheck(db.prisma, {
    statements: [fileSource(file)],
    programmeId: IDS.programme,
    vault,
    progress: timer,
    mapping: csvPreset('generic-cn'),
  });
  const seconds = (performance.now() - t0) / 1000;
  const { peakRss, peakHeap } = sampler.stop();
  const lines = Number(result.figures.find((f) => f.key === 'statement_lines')?.value ?? 0);
  return { kind, seconds, lines, peakRss, peakHeap, phases: timer.phases, result };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');

function report(run: Run, target: number): void {
  const rate = run.lines / run.seconds;
  const files = run.phases.filter((p) => p.label.startsWith('bank: /'));
  const reading = files.reduce((s, p) => s + p.ms, 0) / 1000;
  const ledger = run.phases.filter((p) => p.label === 'bank: ledger payouts').reduce((s, p) => s + p.ms, 0) / 1000;
  const before = files.length > 0 ? ((files[0] as { end: number; ms: number }).end - (files[0] as { ms: number }).ms) / 1000 : 0;
  const other = run.seconds - reading - before;
  const byCode = run.result.figures.filter((f) =>
    [
      'matched',
      'matched_without_reference',
      'in_ledger_not_at_bank',
      'at_bank_not_in_ledger',
      'amount_differs',
      'duplicate',
      'return',
      'closing_balance_differs',
      'in_transit',
    ].includes(f.key),
  );
  console.log(
    `\n${run.kind === 'csv' ? 'Bank CSV (GBK)' : 'camt.053'}: ${int(run.lines)} statement lines checked in ${run.seconds.toFixed(2)} s → ${int(rate)} lines/s (target ≥ ${int(target)}: ${rate >= target ? 'met' : 'NOT met'})`,
  );
  console.log(
    `  phases: before reading ${before.toFixed(2)} s (of which the ledger index of payouts ${ledger.toFixed(2)} s), ` +
      `statement read + match ${reading.toFixed(2)} s (${int(run.lines / reading)} lines/s), rest (lines without reference, balances, result) ${other.toFixed(2)} s`,
  );
  console.log(
    `  memory: peak RSS ${mb(run.peakRss)} (target < 1024 MB: ${run.peakRss < TARGETS.rssBytes ? 'met' : 'NOT met'}), peak heap used ${mb(run.peakHeap)}`,
  );
  console.log(`  result: ${run.result.status}; ${byCode.map((f) => `${f.key} ${typeof f.value === 'number' ? int(f.value) : f.value}`).join(', ')}`);
}

/** Runs one check in a fresh process (this script with --check); true when its targets were met. */
function checkInChildProcess(url: string, kind: 'camt' | 'csv', file: string): Promise<boolean> {
  const script = process.argv[1] as string;
  const child = spawn(process.execPath, [...process.execArgv, script, '--check', kind, '--file', file, '--reuse', url], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 || code === 1 ? resolve(code === 0) : reject(new Error(`the ${kind} check's process exited with ${code}`))));
  });
}

/** The child's part: one check on the kept database, its report, exit 0 when the targets were met. */
async function runOneCheck(url: string, kind: 'camt' | 'csv', file: string): Promise<number> {
  // The same fixed lookup key as the seeding process, so that account hashes match.
  const vault = await createPiiVault({ encryption: [{ id: 'bench', key: randomBytes(32) }], lookup: new Uint8Array(32).fill(0x5a) });
  const db = await openDatabase({ kind: 'postgres', url, poolMax: 4 });
  try {
    const run = await runCheck(db, kind, file, vault);
    const target = kind === 'csv' ? TARGETS.csv : TARGETS.camt;
    report(run, target);
    return run.lines / run.seconds >= target && run.peakRss < TARGETS.rssBytes ? 0 : 1;
  } finally {
    await db.close();
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const arg = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const checkKind = arg('check');
  if (checkKind === 'camt' || checkKind === 'csv') return runOneCheck(arg('reuse') as string, checkKind, arg('file') as string);
  const n = Number(arg('n') ?? process.env.BENCH_RECONCILE_N ?? 1_000_000);
  const keep = argv.includes('--keep');
  const only = arg('only');
  const reuse = arg('reuse');
  if (!Number.isInteger(n) || n < BATCH_SIZE) throw new Error(`--n must be an integer ≥ ${BATCH_SIZE}`);
  console.log(`Bank check benchmark: ${int(n)} payouts, statements as camt.053 and bank CSV (GBK).`);
  console.log('NOTE: the benchmark database is bulk-inserted with session_replication_role = replica (ALL TRIGGERS BYPASSED,');
  console.log('      foreign keys included) and holds only what the bank check reads; it is not a valid ledger, and is dropped after (unless --keep).');
  const loadBefore = loadavg();

  // The lookup key is fixed (not secret: a benchmark database holds no personal data), so that a
  // kept database can be reused with the same account hashes.
  const vault = await createPiiVault({ encryption: [{ id: 'bench', key: randomBytes(32) }], lookup: new Uint8Array(32).fill(0x5a) });
  const bench = reuse === undefined ? await openBenchDatabase() : await reuseBenchDatabase(reuse);
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-reconcile-'));
  try {
    let t = performance.now();
    if (reuse === undefined) {
      await seed(bench.url, n, vault);
      console.log(
        `seeded ${int(n)} payouts (+ batches, receipts, aggregate bank entries) into ${bench.name} in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
    } else console.log(`reusing ${bench.name} (seeded earlier by this script)`);

    t = performance.now();
    const { closing, lines } = bankClosing(n);
    const balances = { opening: { amount: fenText(OPENING_FEN), date: '2026-11-01' }, closing: { amount: fenText(closing), date: '2026-11-30' } };
    const checks: { kind: 'camt' | 'csv'; file: string }[] = [];
    if (only !== 'csv') {
      const camt = path.join(dir, 'statement-2026-11.camt053.xml');
      const bytes = await writeChunks(camt, utf8(camt053({ messageId: 'BENCH-STMT-2026-11', account: ACCOUNT, ...balances }, asAsync(statementEntries(n)))));
      console.log(`wrote camt.053: ${int(lines)} entries, ${mb(bytes)}, in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      checks.push({ kind: 'camt', file: camt });
    }
    if (only !== 'camt') {
      t = performance.now();
      const csv = path.join(dir, 'statement-2026-11.csv');
      const bytes = await writeChunks(
        csv,
        gbk(
          bankCsv(
            { account: ACCOUNT, from: '2026-11-01', to: '2026-11-30', opening: balances.opening.amount, closing: balances.closing.amount },
            asAsync(statementEntries(n)),
          ),
        ),
      );
      console.log(`wrote bank CSV (GBK): ${int(lines)} lines, ${mb(bytes)}, in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      checks.push({ kind: 'csv', file: csv });
    }
    let allMet = true;
    for (const check of checks) allMet = (await checkInChildProcess(bench.url, check.kind, check.file)) && allMet;
    console.log(
      `\nLoad average (1, 5, 15 min) before ${load(loadBefore)}, after ${load(loadavg())}, on ${availableParallelism()} cores; PostgreSQL on the same machine.`,
    );
    if (keep) console.log(`kept: ${bench.url} and ${dir}`);
    return allMet ? 0 : 1;
  } finally {
    await bench.close(keep || reuse !== undefined);
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench:reconcile failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  },
);
