// A new embedded data directory is prepared in a child process: PostgreSQL's initdb, the
// migrations (the schema engine) and the demo's load each leave memory behind in the process that
// ran them — WebAssembly memory is never handed back — about 180 MB more than a service that opens
// a prepared directory. The child exits, its memory goes with it, and the service then starts as
// on any later day. The child takes the data directory's lock itself, so two first starts at once
// still cannot both prepare it.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** True when the directory holds no embedded database yet (initdb writes PG_VERSION first of all). */
export function isNewDataDir(dataDir: string): boolean {
  return !existsSync(join(dataDir, 'pg', 'PG_VERSION'));
}

/** Runs the preparation in a child process with this process's environment; its output is shown as it comes. */
export function prepareDataDirInChild(): Promise<void> {
  // The sibling module, compiled (.js under dist/) or not (.ts), like this one.
  const self = fileURLToPath(import.meta.url);
  const child = self.replace(/new-data-dir-node\.(\w+)$/, 'prepare-data-dir-child.$1');
  return new Promise((done, fail) => {
    const running = fork(child, [], { stdio: 'inherit' });
    running.on('error', fail);
    running.on('exit', (code, signal) => {
      if (code === 0) done();
      else fail(new NewDataDirError(`preparing the new data directory stopped (${signal ?? `exit code ${code}`})`, code ?? 1));
    });
  });
}

export class NewDataDirError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
