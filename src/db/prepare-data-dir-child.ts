// The child process of new-data-dir-node.ts: creates the embedded database, migrates it and loads
// the demo (when the service will want it), then exits. Its messages are the service's own.
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { startDemo } from '../demo/demo-start-node.ts';
import { resolveKeyMaterial } from '../privacy/key-source.ts';
import { createPiiVault } from '../privacy/pii-vault.ts';
import { openDatabase } from './client.ts';
import { DataDirLockedError } from './data-dir-lock.ts';
import { applyMigrations } from './migrations.ts';

async function prepare(): Promise<number> {
  const config = loadConfig();
  const dataDir = resolve(config.DATA_DIR);
  const vault = await createPiiVault(resolveKeyMaterial(config));
  const db = await openDatabase({ kind: 'embedded', dataDir });
  try {
    await applyMigrations(db.adapterFactory);
    if (config.DEMO_DATA ?? true) await startDemo({ db, vault, dataDir, replay: config.DEMO_REPLAY, say: (line) => console.error(line) });
  } finally {
    await db.close();
  }
  return 0;
}

prepare().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof DataDirLockedError ? error.message : `preparing the data directory failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
