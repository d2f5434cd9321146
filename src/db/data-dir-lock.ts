// PGlite does not lock its data directory: two processes on one folder silently lose writes.
// We take a pid lock file the way PostgreSQL's postmaster.pid works: created exclusively, and
// considered stale only when the process it names no longer runs. A service adds the address it
// listens on (recordServiceAddress), so that a command finding the folder in use can say where to
// send its work instead (`npm run reconcile -- --service URL`).
//
// A pid alone can lie: in a container the service is pid 1 at every start, so after a kill the
// lock names "a live process" — the new service itself — and a pid is reused by an unrelated
// process after a while. So the lock also records when its process started (`started=` the boot
// id and the start time in clock ticks, from /proc): a lock whose process, by that pid, started at
// another moment or in another boot is stale. Where /proc is not there (macOS, Windows) the pid
// alone decides, as before.
//
// File: the pid on the first line; then `started=<boot id>/<start ticks>` and the service's
// address, each on a line of its own, when known.
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

/** When the process with this pid started: the boot id and its start time since boot, or null where /proc cannot say. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ")".
    // Field 22 (starttime) is the 20th after it.
    const startTicks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return startTicks && /^\d+$/.test(startTicks) ? `${boot}/${startTicks}` : null;
  } catch {
    return null;
  }
}

function lockContent(url?: string): string {
  const started = processStart(process.pid);
  return `${process.pid}\n${started ? `started=${started}\n` : ''}${url ? `${url}\n` : ''}`;
}

interface LockHolder {
  pid: number;
  started: string | null;
  url: string | null;
}

function readHolder(path: string): LockHolder {
  const [pidLine = '', ...rest] = readFileSync(path, 'utf8').split('\n');
  const started =
    rest
      .find((l) => l.startsWith('started='))
      ?.slice('started='.length)
      .trim() || null;
  const url = rest.find((l) => l.trim() !== '' && !l.startsWith('started='))?.trim() || null;
  return { pid: Number.parseInt(pidLine.trim(), 10), started, url };
}

/** Whether the process the lock names still runs: same pid and, where it was recorded, the same start. */
function holderIsAlive(holder: LockHolder): boolean {
  if (!Number.isInteger(holder.pid)) return false;
  if (holder.started !== null) {
    const now = processStart(holder.pid);
    if (now !== null) return now === holder.started;
  }
  return holder.pid === process.pid || processIsAlive(holder.pid);
}

function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, 'wx', 0o644);
    writeSync(fd, lockContent());
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
    const holder = readHolder(path);
    if (holderIsAlive(holder)) throw new DataDirLockedError(dir, holder.pid, holder.pid === process.pid ? null : holder.url);
    // The holder died without cleaning up (SIGKILL, power loss), or its pid now names another
    // process (a container's pid 1 started again): the lock is stale.
    unlinkSync(path);
  }
  throw new Error(`could not take the lock in ${dir}`);
}

/** Adds the service's address to the lock this process holds on `dir` (a line after the pid). */
export function recordServiceAddress(dir: string, url: string): void {
  writeFileSync(join(dir, 'service.lock'), lockContent(url));
}
