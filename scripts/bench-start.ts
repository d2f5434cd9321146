// npm run bench:start — what a newcomer and an operator feel: the compiled service started as
// `npm start` starts it, on a new embedded data directory (the demo loads), then restarted on it.
// Prints, per start: time to a ready /readyz, the service's CPU time, its memory when idle (RSS
// five seconds after healthy, and after a few requests) and its peak (VmHWM); and the machine's
// load, since a busy machine stretches the wall-clock figures (the CPU time is steadier). A first
// start prepares the new data directory in a child process (src/db/new-data-dir-node.ts): its CPU
// time and peak RSS are the last two columns; the service's own columns exclude it.
//
//   npm run bench:start -- [--runs 1] [--keep]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRootOf } from '../src/db/project-root-node.ts';
import { serviceArguments } from './lib/service-command.ts';

interface StartFigures {
  healthyMs: number;
  /** The child process that prepares a new data directory (first start only): its peak RSS and CPU time. */
  childPeakRssMb: number;
  childCpuMs: number;
  cpuMs: number;
  idleRssMb: number;
  afterRequestsRssMb: number;
  peakRssMb: number;
}

const root = projectRootOf(import.meta.url);
const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1] ?? 1) || 1;
const keep = argv.includes('--keep');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line =
    readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${field}:`)) ?? '';
  return Number(line.replace(/\D+/g, '')) / 1024;
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat, after the command in parentheses, is the parent's pid.
      const parent = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
      if (parent === pid) children.push(Number(entry));
    } catch {
      // Exited meanwhile.
    }
  }
  return children;
}

/** Follows the service's child processes while it starts: the highest VmHWM and CPU time each reached before it exited. */
function watchChildren(pid: number): { stop(): { peakRssMb: number; cpuMs: number } } {
  const seen = new Map<number, { peakRssMb: number; cpuMs: number }>();
  const timer = setInterval(() => {
    for (const child of childrenOf(pid)) {
      try {
        // A child that has exited but is not yet reaped reads as 0 MB: keep what it reached.
        const before = seen.get(child) ?? { peakRssMb: 0, cpuMs: 0 };
        seen.set(child, { peakRssMb: Math.max(before.peakRssMb, procStatus(child, 'VmHWM')), cpuMs: Math.max(before.cpuMs, cpuMsOf(child)) });
      } catch {
        // Exited between the listing and the reading.
      }
    }
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      const all = [...seen.values()];
      return { peakRssMb: Math.max(0, ...all.map((c) => c.peakRssMb)), cpuMs: all.reduce((n, c) => n + c.cpuMs, 0) };
    },
  };
}

function cpuMsOf(pid: number): number {
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second here).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function startOnce(dataDir: string, port: number): Promise<{ child: ChildProcess; figures: StartFigures }> {
  const started = performance.now();
  // The embedded default, whatever this shell points at.
  const { DATABASE_URL: _server, DEMO_DATA: _demo, ...env } = process.env;
  const child = spawn(process.execPath, serviceArguments(), {
    cwd: root,
    env: { ...env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const base = `http://127.0.0.1:${port}`;
  const children = watchChildren(child.pid as number);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service stopped: ${stderr}`);
    const ok = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await sleep(50);
  }
  const healthyMs = performance.now() - started;
  const prepared = children.stop();
  const pid = child.pid as number;
  const cpuMs = cpuMsOf(pid);
  await sleep(5000);
  const idleRssMb = procStatus(pid, 'VmRSS');
  const tokens = JSON.parse(readFileSync(join(dataDir, 'demo-tokens.json'), 'utf8')) as { role: string; token: string }[];
  const finance = tokens.find((t) => t.role === 'finance')?.token;
  for (const path of ['/api/v1/programmes', '/api/v1/grants?limit=50', '/api/v1/students?limit=50']) {
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${finance}` } });
      if (!r.ok) throw new Error(`${path} answered ${r.status}`);
      await r.arrayBuffer();
    }
  }
  await sleep(1000);
  return {
    child,
    figures: {
      healthyMs,
      childPeakRssMb: prepared.peakRssMb,
      childCpuMs: prepared.cpuMs,
      cpuMs,
      idleRssMb,
      afterRequestsRssMb: procStatus(pid, 'VmRSS'),
      peakRssMb: procStatus(pid, 'VmHWM'),
    },
  };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

function row(label: string, f: StartFigures): string {
  const child =
    f.childPeakRssMb > 0
      ? `${(f.childCpuMs / 1000).toFixed(1).padStart(7)} s ${f.childPeakRssMb.toFixed(0).padStart(8)} MB`
      : `${'—'.padStart(9)} ${'—'.padStart(11)}`;
  return `${label.padEnd(28)} ${(f.healthyMs / 1000).toFixed(1).padStart(7)} s ${(f.cpuMs / 1000).toFixed(1).padStart(7)} s ${f.idleRssMb.toFixed(0).padStart(8)} MB ${f.afterRequestsRssMb.toFixed(0).padStart(8)} MB ${f.peakRssMb.toFixed(0).padStart(8)} MB ${child}`;
}

const lines = [
  `${'start'.padEnd(28)} ${'healthy'.padStart(9)} ${'CPU'.padStart(9)} ${'idle RSS'.padStart(11)} ${'after reqs'.padStart(11)} ${'peak RSS'.padStart(11)}`,
];
for (let run = 1; run <= runs; run++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-start-'));
  const port = 39_000 + Math.floor(Math.random() * 900);
  try {
    const load = loadavg()[0]?.toFixed(2);
    const first = await startOnce(dataDir, port);
    await stop(first.child);
    lines.push(row(`first start (demo) #${run}`, first.figures));
    const again = await startOnce(dataDir, port);
    await stop(again.child);
    lines.push(row(`restart #${run}`, again.figures));
    lines.push(`  load average before run ${run}: ${load}, after: ${loadavg()[0]?.toFixed(2)} (${cpus().length} cores)`);
  } finally {
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  }
}
console.log(lines.join('\n'));
