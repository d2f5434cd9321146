// PGlite does not lock its data directory: two processes on one folder silently lose writes.
// We take a pid lock file the way PostgreSQL's postmaster.pid works: created exclusively, and
// considered stale only when the process it names no longer runs. A service adds the address it
// listens on (recordServiceAddress), so that a command finding the folder in use can say where to
// send its work instead (`npm run reconcile -- --service URL`).
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
    /** Where the holder serves HTTP, when it is a service that said so. */
    readonly url: string | null = null,
  ) {
    super(`The embedded database in ${dir} is in use by another process (pid ${pid}). Stop that process, or point DATA_DIR at another folder.`);
    this.name = 'DataDirLockedError';
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, 'wx', 0o644);
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Takes the lock or throws DataDirLockedError; returns the function that releases it. */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'service.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(path)) {
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.on('exit', release);
      return release;
    }
    const [pidLine = '', url] = readFileSync(path, 'utf8').split('\n');
    const holder = Number.parseInt(pidLine.trim(), 10);
    if (Number.isInteger(holder) && holder !== process.pid && processIsAlive(holder)) {
      throw new DataDirLockedError(dir, holder, url?.trim() || null);
    }
    if (holder === process.pid) throw new DataDirLockedError(dir, holder);
    // The holder died without cleaning up (SIGKILL, power loss): the lock is stale.
    unlinkSync(path);
  }
  throw new Error(`could not take the lock in ${dir}`);
}

/** Adds the service's address to the lock this process holds on `dir` (a line after the pid). */
export function recordServiceAddress(dir: string, url: string): void {
  writeFileSync(join(dir, 'service.lock'), `${process.pid}\n${url}\n`);
}
