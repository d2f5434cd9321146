// Starts the Worker (src/worker.ts) under `wrangler dev --local`, that is in workerd on this
// machine, with its Hyperdrive binding pointed at a local PostgreSQL database and its secrets in a
// temporary env file (never on the command line, where `ps` would show them). Offline: wrangler's
// metrics and the request.cf fetch are switched off. For test/workers.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from './conformance.ts';

export interface RunningWorker {
  /** http://127.0.0.1:PORT */
  base: string;
  /** Milliseconds from starting wrangler to the first answer of /healthz (bundling included). */
  startMs: number;
  /** Everything wrangler and the Worker printed so far (the Worker's JSON log lines among it). */
  output(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Hyperdrive's local connection string must carry a password; a trust-auth server ignores it. */
function withPassword(url: string): string {
  const u = new URL(url);
  if (!u.password) u.password = 'local';
  return u.toString();
}

async function waitForHealth(base: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output()}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`wrangler dev did not answer /healthz within ${timeoutMs} ms:\n${output()}`);
}

export async function startWorker(options: { databaseUrl: string; vars: Record<string, string>; timeoutMs?: number }): Promise<RunningWorker> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'wrangler-dev-'));
  const envFile = path.join(dir, 'worker.env');
  writeFileSync(
    envFile,
    `${Object.entries(options.vars)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join('\n')}\n`,
    { mode: 0o600 },
  );
  const wrangler = path.join(projectRoot, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
  const args = [wrangler, 'dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--env-file', envFile, '--persist-to', path.join(dir, 'state')];
  const started = performance.now();
  const child = spawn(process.execPath, [...args, '--show-interactive-dev-session=false'], {
    cwd: projectRoot,
    detached: true, // its own process group: stop() ends wrangler and its workerd together
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: withPassword(options.databaseUrl),
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      CHECKPOINT_DISABLE: '1',
      NO_COLOR: '1',
    },
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const output = () => text;
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(base, child, output, options.timeoutMs ?? 90_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, startMs: Math.round(performance.now() - started), output, stop };
}
