// The child process of new-data-dir-node.ts: creates the embedded database (from the build's
// migrated template where there is one, else by initdb), migrates it and loads
// the demo (when the service will want it), then exits. Its messages are the service's own.
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { startDemo } from '../demo/demo-start-node.ts';
import { sealLedgerAppends } from '../ledger/seal-key-node.ts';
import { resolveKeyMaterial } from '../privacy/key-source.ts';
import { createPiiVault } from '../privacy/pii-vault.ts';
import { openDatabase } from './client.ts';
import { DataDirLockedError } from './data-dir-lock.ts';
import { readEmbeddedTemplate } from './embedded-template-node.ts';
import { applyMigrations } from './migrations.ts';

async function prepare(): Promise<number> {
  const config = loadConfig();
  const dataDir = resolve(config.DATA_DIR);
  const vault = await createPiiVault(resolveKeyMaterial(config));
  // The demo's transactions are sealed like the service's (the service checked the key already).
  await sealLedgerAppends(config);
  const db = await openDatabase({ kind: 'embedded', dataDir, template: readEmbeddedTemplate() });
  try {
    await applyMigrations(db.adapterFactory);
    if (config.DEMO_DATA ?? true) await startDemo({ db, vault, dataDir, replay: config.DEMO_REPLAY, say: (line) => console.error(line) });
  } finally {
    await db.close();
  }
  return 0;
}

// The service that started this child is gone (killed, its terminal closed): stop too, rather than
// go on holding the data directory's lock with nobody to hand it to. What is half done is what a
// killed first start leaves, and the next start deals with it (demo-loading-node.ts).
process.on('disconnect', () => process.exit(1));

prepare().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof DataDirLockedError ? error.message : `preparing the data directory failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
