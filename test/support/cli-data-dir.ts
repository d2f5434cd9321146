// For tests of command-line scripts run as child processes: temporary folders removed after the
// file's tests, and the embedded database in a DATA_DIR opened for the test's own reads and writes
// (closed again, so that the script can take the folder's lock).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/client.ts';

export type EmbeddedDatabase = Awaited<ReturnType<typeof openDatabase>>;

/** Makes temporary folders, and removes them all on `removeAll()` (call it in afterAll). */
export function temporaryFolders() {
  const made: string[] = [];
  return {
    make(prefix: string): string {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    removeAll(): void {
      for (const dir of made) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function withEmbeddedDatabase<T>(dataDir: string, body: (db: EmbeddedDatabase) => Promise<T>): Promise<T> {
  const db = await openDatabase({ kind: 'embedded', dataDir });
  try {
    return await body(db);
  } finally {
    await db.close();
  }
}
