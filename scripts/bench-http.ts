// Benchmark (not a test): the compiled service over HTTP, as a client sees it. Starts the service
// itself (a child process, `node scripts/build/launch.mjs src/server`, so dist/ as `npm start`
// runs it) on a fresh database with the demo data, then offers each request a fixed number of
// times per second (evenly spaced, open loop: scripts/lib/open-loop-load.ts) and prints, per request and rate: offered and
// achieved rate, p50/p99 latency, answers that were not 2xx (with their statuses), socket errors
// and timeouts, the service's resident memory (peak during the run) and its CPU time per answered
// request (user + system, from /proc: on a shared machine the figure that moves least with the
// load of others; 503s count as answered, and a deadline's abandoned work is charged to the run).
//
//   npm run bench:http -- [--backend embedded,postgres] [--rates 50,100,200] [--duration 10]
//                         [--targets grants,programmes,students,page,receipt] [--connections 100]
//                         [--profile DIR] [--env NAME=VALUE]…
//
// embedded: a new DATA_DIR in a temporary folder (removed afterwards), the demo loaded by the
//           service's own first start (about a minute);
// postgres: a throwaway database on DATABASE_URL's server, else postgresql://postgres@127.0.0.1:5432/postgres
//           (dropped afterwards), with generated personal-data keys and DEMO_DATA=true.
// The demo is loaded by a first start, which is then stopped; the measured service is a second
// start on that data, so its memory and profile are those of a service that serves, not of one
// that loaded a demo. --profile DIR runs it under `node --cpu-prof` and prints the functions with
// the most CPU time (self time) over the whole measured run; the .cpuprofile stays in DIR.
//
// Requests (the demo's users and tokens, as `npm start` prints them):
//   grants      GET  /api/v1/grants?limit=50                    approver of the department
//   programmes  GET  /api/v1/programmes (with balances)         the foundation's viewer
//   students    GET  /api/v1/students?regionCode=63&limit=20    caseworker (names opened per row)
//   page        GET  /programmes/<id>  (a programme's money)    the foundation's viewer, signed in with a session cookie
//   receipt     POST /api/v1/programmes/<id>/funding-receipts   finance, 1.00 CNY, a fresh Idempotency-Key and bank reference each
//
// Past MAX_REQUESTS_IN_FLIGHT (or the request deadline) the service answers 503: those are
// counted among the answers that were not 2xx, not among the achieved rate. A client has at most
// --connections requests open at once: when the service is slower than connections / rate, the
// achieved rate falls below the offered one, and says so.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { projectRootOf } from '../src/db/project-root-node.ts';
import { type OpenLoopRequest, offerAtRate, quantile } from './lib/open-loop-load.ts';
import { LOCAL_POSTGRES, createThrowawayDatabase } from './lib/throwaway-database.ts';
import { serviceArguments } from './lib/service-command.ts';

type Backend = 'embedded' | 'postgres';
const TARGETS = ['grants', 'programmes', 'students', 'page', 'receipt'] as const;
type Target = (typeof TARGETS)[number];

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'embedded,postgres' },
    rates: { type: 'string', default: '50,100,200' },
    duration: { type: 'string', default: '10' },
    targets: { type: 'string', default: TARGETS.join(',') },
    connections: { type: 'string', default: '100' },
    profile: { type: 'string' },
    env: { type: 'string', multiple: true, default: [] },
  },
});
const backends = values.backend.split(',').map((b) => b.trim()) as Backend[];
const rates = values.rates.split(',').map(Number);
const durationSeconds = Number(values.duration);
const targets = values.targets.split(',').map((t) => t.trim()) as Target[];
const connections = Number(values.connections);
for (const t of targets) if (!TARGETS.includes(t)) throw new Error(`unknown target ${t}; one of ${TARGETS.join(', ')}`);
for (const b of backends) if (b !== 'embedded' && b !== 'postgres') throw new Error(`unknown backend ${b}`);
if (rates.some((r) => !Number.isFinite(r) || r <= 0) || !(durationSeconds > 0) || !(connections > 0))
  throw new Error('rates, duration and connections must be positive');
const extraEnv = Object.fromEntries(
  values.env.map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--env NAME=VALUE, not ${pair}`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);

const ROOT = projectRootOf(import.meta.url);

interface Service {
  child: ChildProcess;
  base: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts the compiled service and resolves once it says where it listens. */
async function startService(env: Record<string, string>, nodeOptions: string[] = []): Promise<Service> {
  const child = spawn(process.execPath, [...nodeOptions, ...serviceArguments()], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /listening on (http:\/\/\S+)/.exec(text);
      if (m?.[1]) {
        clearInterval(timer);
        // The banner is printed whole; give the pipe a moment to deliver the lines after it.
        setTimeout(() => resolve(m[1]!), 200);
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`the service stopped (exit ${code}) before it listened:\n${text.slice(-3000)}`));
    });
  });
  return {
    child,
    base,
    output: () => text,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

interface Credentials {
  tokens: { role: string; organisation: string; token: string }[];
  people: { role: string; organisation: string; username: string; password: string }[];
}

/** The demo's tokens and users, from the banner the service prints (PostgreSQL keeps no tokens file). */
function credentialsFrom(banner: string): Credentials {
  const tokens: Credentials['tokens'] = [];
  const people: Credentials['people'] = [];
  for (const line of banner.split('\n')) {
    const t = /^\s{2}(\S+)\s+(\S+)\s+(sl_[A-Za-z0-9_-]+)\s*$/.exec(line);
    if (t) tokens.push({ role: t[1]!, organisation: t[2]!, token: t[3]! });
    const p = /^\s{2}(\S+)\s+(\S+)\s+用户名 (\S+)\s+密码 (\S+)\s*$/.exec(line);
    if (p) people.push({ role: p[1]!, organisation: p[2]!, username: p[3]!, password: p[4]! });
  }
  return { tokens, people };
}

/** The process's CPU time so far (user + system), in ms; /proc counts it in clock ticks of 10 ms. */
function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command's name.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function signIn(base: string, username: string, password: string): Promise<string> {
  const page = await fetch(`${base}/`, { headers: { Accept: 'text/html' } });
  const formCookie = page.headers.getSetCookie()[0]!.split(';')[0]!;
  const formToken = /name="token" value="([^"]+)"/.exec(await page.text())![1]!;
  const signedIn = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: base, Cookie: formCookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: formToken, username, password }).toString(),
  });
  if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}`);
  return signedIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
}

type Request = OpenLoopRequest;

async function requestsFor(base: string, credentials: Credentials): Promise<Record<Target, Request>> {
  const token = (role: string, organisation: string) => {
    const found = credentials.tokens.find((t) => t.role === role && t.organisation === organisation);
    if (!found) throw new Error(`no demo token for ${role} of ${organisation}`);
    return { Authorization: `Bearer ${found.token}` };
  };
  const viewer = token('foundation_viewer', 'QINGSHAN-FDN');
  const listed = await fetch(`${base}/api/v1/programmes`, { headers: viewer });
  const programme = ((await listed.json()) as { items: { id: string; funder: { id: string } }[] }).items[0]!;
  const person = credentials.people.find((p) => p.role === 'foundation_viewer' && p.organisation === 'QINGSHAN-FDN')!;
  const cookie = await signIn(base, person.username, person.password);
  const finance = token('finance', 'QH-MZT');
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  return {
    grants: { method: 'GET', path: '/api/v1/grants?limit=50', headers: token('approver', 'QH-MZT') },
    programmes: { method: 'GET', path: '/api/v1/programmes', headers: viewer },
    students: { method: 'GET', path: '/api/v1/students?regionCode=63&limit=20', headers: token('caseworker', 'QH-MZT') },
    page: { method: 'GET', path: `/programmes/${programme.id}`, headers: { Cookie: cookie, Accept: 'text/html' } },
    receipt: {
      method: 'POST',
      path: `/api/v1/programmes/${programme.id}/funding-receipts`,
      headers: { ...finance, 'Content-Type': 'application/json' },
      fresh: () => ({
        headers: { ...finance, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
        body: JSON.stringify({ remitterId: programme.funder.id, amount: '1.00', receivedOn: today, bankReference: `BENCH-${randomUUID()}` }),
      }),
    },
  };
}

interface Row {
  target: Target;
  offered: number;
  achieved: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  statuses: string;
  errors: number;
  timeouts: number;
  peakRss: number;
  /** The service's CPU time per answered request: what a request costs, however busy the machine. */
  cpuMsPerRequest: number;
}

async function drive(service: Service, target: Target, request: Request, rate: number): Promise<Row> {
  let peakRss = rssOf(service.child.pid!);
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(service.child.pid!))), 200);
  const cpuBefore = cpuMsOf(service.child.pid!);
  const result = await offerAtRate(service.base, request, rate, durationSeconds, connections);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, rssOf(service.child.pid!));
  const ok = [...result.statuses].filter(([s]) => s >= 200 && s < 300).reduce((n, [, count]) => n + count, 0);
  const answered = result.latencies.length;
  return {
    cpuMsPerRequest: (cpuMsOf(service.child.pid!) - cpuBefore) / Math.max(1, answered),
    target,
    offered: rate,
    achieved: ok / (result.elapsedMs / 1000),
    p50: quantile(result.latencies, 0.5),
    p99: quantile(result.latencies, 0.99),
    ok,
    non2xx: answered - ok,
    statuses: [...result.statuses]
      .filter(([s]) => s < 200 || s >= 300)
      .map(([s, n]) => `${s}×${n}`)
      .join(' '),
    errors: result.errors,
    timeouts: result.timeouts,
    peakRss,
  };
}

const LOAD = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function printRow(r: Row): void {
  const cells = [
    r.target.padEnd(10),
    String(r.offered).padStart(7),
    r.achieved.toFixed(1).padStart(8),
    r.p50.toFixed(1).padStart(7),
    r.p99.toFixed(1).padStart(7),
    String(r.ok).padStart(6),
    String(r.non2xx).padStart(6),
    String(r.errors + r.timeouts).padStart(6),
    `${(r.peakRss / 1024 / 1024).toFixed(0)} MB`.padStart(8),
    r.cpuMsPerRequest.toFixed(1).padStart(6),
    r.statuses,
  ];
  console.log(cells.join('  '));
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  startTime: number;
  endTime: number;
  samples: number[];
}

/** The functions with the most self time in a .cpuprofile, and the same by package or source folder. */
async function summariseProfile(dir: string): Promise<void> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).sort();
  const file = files.at(-1);
  if (!file) return console.log(`(no .cpuprofile in ${dir})`);
  const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const perSample = totalMs / Math.max(1, profile.samples.length);
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  const short = (url: string) => url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '');
  const area = (url: string) => {
    const u = short(url);
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u);
    if (pkg) return pkg[1]!;
    if (u.startsWith('dist/')) return u.split('/').slice(0, 3).join('/');
    return u === '' ? '(native, GC, idle)' : u.startsWith('node:') ? 'node:*' : u;
  };
  for (const node of profile.nodes) {
    const ms = (node.hitCount ?? 0) * perSample;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'}  ${short(url) || ''}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    byArea.set(area(url), (byArea.get(area(url)) ?? 0) + ms);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, ms]) => `  ${((ms / totalMs) * 100).toFixed(1).padStart(5)} %  ${(ms / 1000).toFixed(2).padStart(7)} s  ${k}`)
      .join('\n');
  console.log(`\nCPU profile ${path.join(dir, file)} (${(totalMs / 1000).toFixed(1)} s; self time)`);
  console.log(`by function:\n${top(byFunction, 25)}`);
  console.log(`by package or source:\n${top(byArea, 15)}`);
}

async function runBackend(backend: Backend): Promise<void> {
  const dataDir = backend === 'embedded' ? await mkdtemp(path.join(tmpdir(), 'bench-http-')) : null;
  const throwaway = backend === 'postgres' ? await createThrowawayDatabase(process.env.DATABASE_URL ?? LOCAL_POSTGRES, 'bench_http') : null;
  const env: Record<string, string> = { DEMO_DATA: 'true' };
  if (dataDir) env.DATA_DIR = dataDir;
  if (throwaway) {
    env.DATABASE_URL = throwaway.url;
    env.PII_KEYS = `bench:${randomBytes(32).toString('base64')}`;
    env.PII_LOOKUP_KEY = randomBytes(32).toString('base64');
    // Required with DATABASE_URL (signed checkpoints); the files go to a folder of the run's own.
    env.CHECKPOINT_SIGNING_KEY = randomBytes(32).toString('base64');
    env.CHECKPOINT_DIR = await mkdtemp(path.join(tmpdir(), 'bench-http-checkpoints-'));
  }
  try {
    let seconds = performance.now();
    const seeding = await startService(env);
    const credentials = credentialsFrom(seeding.output());
    await seeding.stop();
    console.log(`\n== ${backend}: demo loaded by a first start in ${((performance.now() - seconds) / 1000).toFixed(1)} s`);
    const profileDir = values.profile ? path.resolve(values.profile, backend) : null;
    const service = await startService(env, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
    try {
      const requests = await requestsFor(service.base, credentials);
      console.log(`service restarted on the demo data; RSS idle ${(rssOf(service.child.pid!) / 1024 / 1024).toFixed(0)} MB; load average ${LOAD()}`);
      console.log(`${durationSeconds} s per rate, up to ${connections} connections; latencies in ms`);
      console.log(
        [
          'request'.padEnd(10),
          'offered'.padStart(7),
          'achieved'.padStart(8),
          'p50'.padStart(7),
          'p99'.padStart(7),
          '2xx'.padStart(6),
          'non2xx'.padStart(6),
          'errors'.padStart(6),
          'peak RSS'.padStart(8),
          'CPU ms'.padStart(6),
          'statuses',
        ].join('  '),
      );
      for (const target of targets) {
        // A short warm-up, unmeasured: the first requests compile code and fill caches.
        const warm = requests[target];
        for (let i = 0; i < 20; i++) {
          const fresh = warm.fresh?.();
          await fetch(`${service.base}${warm.path}`, { method: warm.method, headers: fresh?.headers ?? warm.headers, body: fresh?.body ?? null });
        }
        for (const rate of rates) printRow(await drive(service, target, requests[target], rate));
      }
      console.log(`load average after ${backend}: ${LOAD()}`);
    } finally {
      await service.stop();
    }
    if (profileDir) await summariseProfile(profileDir);
    seconds = performance.now();
  } finally {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (env.CHECKPOINT_DIR) await rm(env.CHECKPOINT_DIR, { recursive: true, force: true });
    await throwaway?.drop();
  }
}

async function main() {
  console.log(`bench:http on ${process.platform}, ${(await import('node:os')).availableParallelism()} cores; load average at start ${LOAD()}`);
  for (const backend of backends) await runBackend(backend);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
