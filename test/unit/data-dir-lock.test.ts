import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir, processStart } from '../../src/db/data-dir-lock.ts';
import { openDatabase } from '../../src/db/client.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

let dir: string;
const releases: (() => void)[] = [];
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'data-dir-lock-'));
});
afterEach(() => {
  for (const release of releases.splice(0)) release();
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function lock(target = dir) {
  const release = lockDataDir(target);
  releases.push(release);
  return release;
}

const lockFile = () => join(dir, 'service.lock');

/** The pid of a process that has already exited. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  expect(result.status).toBe(0);
  expect(result.pid).toBeGreaterThan(0);
  return result.pid as number;
}

describe('lockDataDir', () => {
  it('creates service.lock holding our pid and when this process started', () => {
    lock();
    expect(readFileSync(lockFile(), 'utf8')).toBe(`${process.pid}\nstarted=${processStart(process.pid)}\n`);
    expect(processStart(process.pid)).toMatch(/^[0-9a-f-]{36}\/\d+$/);
  });

  it('creates the directory if it does not exist yet', () => {
    const nested = join(dir, 'a', 'b');
    lock(nested);
    expect(readFileSync(join(nested, 'service.lock'), 'utf8').split('\n')[0]).toBe(String(process.pid));
  });

  it('refuses a second lock on the same directory in the same process', () => {
    lock();
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    try {
      lockDataDir(dir);
    } catch (error) {
      expect(error).toMatchObject({ name: 'DataDirLockedError', dir, pid: process.pid });
      expect((error as Error).message).toContain('in use by another process');
    }
    // The refused attempt must not have taken the file away from the holder.
    expect(readFileSync(lockFile(), 'utf8').split('\n')[0]).toBe(String(process.pid));
  });

  it('release removes the file, may be called twice, and lets the directory be locked again', () => {
    const release = lock();
    release();
    expect(existsSync(lockFile())).toBe(false);
    release();
    expect(existsSync(lockFile())).toBe(false);
    lock();
    expect(existsSync(lockFile())).toBe(true);
  });

  it('a second release does not remove a lock someone else took since', () => {
    const release = lock();
    release();
    lock();
    release();
    expect(existsSync(lockFile())).toBe(true);
  });

  it('releases on process exit, and stops listening for exit once released', () => {
    const before = process.listenerCount('exit');
    const release = lock();
    expect(process.listenerCount('exit')).toBe(before + 1);
    release();
    expect(process.listenerCount('exit')).toBe(before);
  });

  it('takes over a stale lock naming a process that no longer runs', () => {
    const pid = deadPid();
    writeFileSync(lockFile(), `${pid}\n`);
    lock();
    expect(readFileSync(lockFile(), 'utf8').split('\n')[0]).toBe(`${process.pid}`);
  });

  it('takes over a lock file that names no pid', () => {
    writeFileSync(lockFile(), 'garbage\n');
    lock();
    expect(readFileSync(lockFile(), 'utf8').split('\n')[0]).toBe(`${process.pid}`);
  });

  it('takes over a lock naming our own pid from another start (a container restarted as pid 1 after a kill)', () => {
    const [boot] = processStart(process.pid)!.split('/');
    writeFileSync(lockFile(), `${process.pid}\nstarted=${boot}/1\nhttp://127.0.0.1:3000\n`);
    lock();
    expect(readFileSync(lockFile(), 'utf8')).toBe(`${process.pid}\nstarted=${processStart(process.pid)}\n`);
  });

  it('takes over a lock whose pid now names another process (the pid was reused)', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    children.push(other);
    await new Promise((r) => other.once('spawn', r));
    writeFileSync(lockFile(), `${other.pid}\nstarted=another-boot/42\n`);
    lock();
    expect(readFileSync(lockFile(), 'utf8').split('\n')[0]).toBe(`${process.pid}`);
  });

  it('refuses a lock held by another live process that started when the lock says, naming its address', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    children.push(holder);
    await new Promise((r) => holder.once('spawn', r));
    writeFileSync(lockFile(), `${holder.pid}\nstarted=${processStart(holder.pid!)}\nhttp://127.0.0.1:3999\n`);
    expect(() => lockDataDir(dir)).toThrow(expect.objectContaining({ pid: holder.pid, url: 'http://127.0.0.1:3999' }));
  });

  it('refuses a lock held by another live process, naming its pid', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    children.push(holder);
    await new Promise((r) => holder.once('spawn', r));
    writeFileSync(lockFile(), `${holder.pid}\n`);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    try {
      lockDataDir(dir);
    } catch (error) {
      expect((error as DataDirLockedError).pid).toBe(holder.pid);
      expect((error as Error).message).toContain(`pid ${holder.pid}`);
    }
    expect(readFileSync(lockFile(), 'utf8').split('\n')[0]).toBe(String(holder.pid));
  });
});

describe('openDatabase on an embedded data directory', () => {
  function runChild(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    // .mts: the temp directory has no package.json saying "type": "module", and the script uses top-level await.
    const file = join(dir, 'child.mts');
    writeFileSync(file, script);
    return new Promise((resolvePromise, reject) => {
      const child = spawn(TSX, [file], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '' } });
      children.push(child);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    });
  }

  it('a second process cannot open a directory this process holds', async () => {
    const dataDir = join(dir, 'data');
    const db = await openDatabase({ kind: 'embedded', dataDir });
    try {
      expect(readFileSync(join(dataDir, 'service.lock'), 'utf8').split('\n')[0]).toBe(String(process.pid));
      const clientModule = join(ROOT, 'src/db/client.ts');
      const result = await runChild(
        `import { openDatabase } from ${JSON.stringify(clientModule)};\n` +
          `const db = await openDatabase({ kind: 'embedded', dataDir: ${JSON.stringify(dataDir)} });\n` +
          `console.log('opened');\n` +
          `await db.close();\n`,
      );
      expect(result.stdout).not.toContain('opened');
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('in use by another process');
      expect(result.stderr).toContain(`pid ${process.pid}`);
      // Our lock survived the refused attempt.
      expect(readFileSync(join(dataDir, 'service.lock'), 'utf8').split('\n')[0]).toBe(String(process.pid));
    } finally {
      await db.close();
    }
    expect(existsSync(join(dataDir, 'service.lock'))).toBe(false);
  });
});
