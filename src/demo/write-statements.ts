// Writes the demo programme's bank statements (src/demo/statements.ts) from an embedded database
// that holds the demo, into a folder:
//
//   npx tsx src/demo/write-statements.ts [DATA_DIR=./data] [OUT=demo/statements]
//
// The service must not be running on that DATA_DIR (it holds the folder's lock). The files under
// demo/statements were written this way from a fresh `npm start`; since the demo is deterministic,
// test/e2e/start.test.ts checks that a fresh start gives the same bytes. After changing the demo,
// start it on an empty DATA_DIR, stop it, run this, and commit the files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '../db/client.ts';
import { resolveKeyMaterial } from '../privacy/key-source.ts';
import { createPiiVault } from '../privacy/pii-vault.ts';
import { buildDemoStatements } from './statements.ts';

const dataDir = resolve(process.argv[2] ?? 'data');
const out = resolve(process.argv[3] ?? 'demo/statements');
const db = await openDatabase({ kind: 'embedded', dataDir });
try {
  const vault = await createPiiVault(resolveKeyMaterial({ DATA_DIR: dataDir }));
  mkdirSync(out, { recursive: true });
  for (const file of await buildDemoStatements(db.prisma, vault)) {
    writeFileSync(join(out, file.name), file.bytes);
    console.log(`${join(out, file.name)}  ${file.bytes.byteLength} bytes`);
  }
} finally {
  await db.close();
}
