// Benchmark (not a test): how the service's other requests fare while a reconciliation started
// through the API runs in the same process (src/services/reconciliation-job-runner.ts).
//
//   npm run bench:reconcile-jobs -- [--postgres] [--rounds 3]
//
// Seeds the demo (npm start's data: 1,148 ledger transactions, 453 settled payouts; about a minute)
// into a fresh embedded database in memory — or, with --postgres, into a throwaway database on
// DATABASE_URL's server (else the local one) — and serves the app with its job runner on a local
// port, as `npm start` does. Then one client in the same process asks GET /api/v1/programmes as the
// foundation over HTTP, one request after another: alone (the baseline), and while the auditor's
// job runs ledger, rules, bank (the demo's camt.053 with breaks) and figures over the demo
// programme. It prints the job's time per step and the requests' latency (p50, p95, max) alone and
// per step of the job. (Over a socket, not app.request: requests arriving from the network are
// what the event loop interleaves with the job; an in-process loop of app.request calls never
// yields to it.)
//
// On the embedded database a request waits while the run's snapshot transaction is open (PGlite
// runs one transaction at a time): the ledger, rules and figures checks read in it. The bank check
// reads outside it, between which other requests are served.
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { type Database, openDatabase } from '../src/db/client.ts';
import { applyMigrations } from '../src/db/migrations.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { createApp } from '../src/http/app.ts';
import { createLogger } from '../src/http/logger.ts';
import { createPiiVault } from '../src/privacy/pii-vault.ts';
import { ReconciliationJobRunner } from '../src/services/reconciliation-job-runner.ts';
import { LOCAL_POSTGRES, createThrowawayDatabase } from './lib/throwaway-database.ts';

const STATEMENT = path.resolve(import.meta.dirname, '../demo/statements/qinghai-2024-2026.breaks.camt053.xml');
const BASELINE_REQUESTS = 300;

const { values } = parseArgs({ options: { postgres: { type: 'boolean' }, rounds: { type: 'string' } } });
const rounds = Number(values.rounds ?? 3);

function summary(ms: number[]): string {
  if (ms.length === 0) return 'none';
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  return `n=${String(sorted.length).padStart(4)}  p50 ${at(0.5).padStart(7)} ms  p95 ${at(0.95).padStart(7)} ms  max ${sorted.at(-1)!.toFixed(1).padStart(7)} ms`;
}

async function main() {
  const throwaway = values.postgres ? await createThrowawayDatabase(process.env.DATABASE_URL ?? LOCAL_POSTGRES, 'bench_reconcile_jobs') : null;
  const db: Database = await openDatabase(throwaway ? { kind: 'postgres', url: throwaway.url } : { kind: 'embedded', dataDir: null });
  try {
    await applyMigrations(db.adapterFactory);
    const vault = await createPiiVault({
      encryption: [{ id: 'bench', key: crypto.getRandomValues(new Uint8Array(32)) }],
      lookup: crypto.getRandomValues(new Uint8Array(32)),
    });
    let seconds = performance.now();
    const tokens = await seedDemo(db.prisma, vault);
    console.log(`demo seeded on ${db.description} in ${((performance.now() - seconds) / 1000).toFixed(1)} s`);
    const tokenOf = (role: string) => tokens.find((t) => t.role === role)!.token;
    const runner = new ReconciliationJobRunner({ db: db.prisma, database: db.kind });
    const app = createApp({ db: db.prisma, vault, logger: createLogger('silent'), reconciliationJobs: runner });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((ready) => server.once('listening', ready));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const get = async (pathName: string, token: string) => {
      const started = performance.now();
      const res = await fetch(`${base}${pathName}`, { headers: { Authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { items: { id: string }[]; status: string; progress: { phase: string } | null };
      if (res.status !== 200) throw new Error(`${pathName}: ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - started, body };
    };
    const foundation = tokenOf('foundation_viewer');
    const auditor = tokenOf('auditor');
    const programmeId = (await get('/api/v1/programmes', auditor)).body.items[0]!.id;
    const statement = await readFile(STATEMENT);

    for (let round = 1; round <= rounds; round++) {
      const alone: number[] = [];
      for (let i = 0; i < BASELINE_REQUESTS; i++) alone.push((await get('/api/v1/programmes', foundation)).ms);
      console.log(`round ${round}: GET /programmes alone          ${summary(alone)}`);

      const form = new FormData();
      for (const check of ['ledger', 'rules', 'bank', 'figures']) form.append('checks', check);
      form.append('programmeId', programmeId);
      form.append('statements', new File([statement], path.basename(STATEMENT)));
      seconds = performance.now();
      const started = await fetch(`${base}/api/v1/reconciliation-runs`, { method: 'POST', headers: { Authorization: `Bearer ${auditor}` }, body: form });
      const job = (await started.json()) as { id: string };
      if (started.status !== 202) throw new Error(`POST: ${started.status} ${JSON.stringify(job)}`);

      // The job's step, as its own endpoint reports it, polled beside the measured client.
      let phase = 'queued';
      const steps: { phase: string; at: number }[] = [{ phase, at: 0 }];
      let status = 'queued';
      const poll = (async () => {
        while (status === 'queued' || status === 'running') {
          const { body } = await get(`/api/v1/reconciliation-jobs/${job.id}`, auditor);
          status = body.status;
          const now = body.progress?.phase ?? status;
          if (now !== phase) steps.push({ phase: (phase = now), at: performance.now() - seconds });
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      const during = new Map<string, number[]>();
      while (status === 'queued' || status === 'running') {
        const at = phase;
        const { ms } = await get('/api/v1/programmes', foundation);
        during.set(at, [...(during.get(at) ?? []), ms]);
      }
      await poll;
      const total = performance.now() - seconds;
      console.log(`\nround ${round}: job ${status} in ${(total / 1000).toFixed(2)} s`);
      for (const [i, step] of steps.entries()) {
        console.log(`  step ${step.phase.padEnd(48)} from ${(step.at / 1000).toFixed(2)} s to ${((steps[i + 1]?.at ?? total) / 1000).toFixed(2)} s`);
      }
      console.log(`  GET /programmes during the job ${summary([...during.values()].flat())}`);
      for (const [at, ms] of during) console.log(`    while ${at.padEnd(38)} ${summary(ms)}`);
    }
    await runner.idle();
    await new Promise((done) => server.close(done));
  } finally {
    await db.close();
    await throwaway?.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
