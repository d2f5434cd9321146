// Part of `npm run build`: an empty embedded database with every migration applied, dumped to
// dist/embedded-template.tar.gz. A first start unpacks it into the new data directory instead of
// running PostgreSQL's initdb and the schema engine there (about 3 s and 0.4 GB less on two cores);
// the migrations are still checked against the folder on that start, so a template older than the
// migrations only means those newer ones are applied then.
import { writeFileSync } from 'node:fs';
import { openDatabase } from '../src/db/client.ts';
import { embeddedTemplateFile } from '../src/db/embedded-template-node.ts';
import { applyMigrations } from '../src/db/migrations.ts';

const db = await openDatabase({ kind: 'embedded', dataDir: null });
try {
  await applyMigrations(db.adapterFactory);
  const dump = await db.pglite?.dumpDataDir('gzip');
  if (!dump) throw new Error('no embedded engine to dump');
  writeFileSync(embeddedTemplateFile(), new Uint8Array(await dump.arrayBuffer()));
} finally {
  await db.close();
}
