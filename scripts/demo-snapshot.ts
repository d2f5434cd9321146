// npm run demo:snapshot — replays the demo through the use cases into a new in-memory database
// (about a minute) and writes what it left as demo/snapshot/qinghai-demo.jsonl.gz, which a first
// `npm start` loads in a second or two. Run it after changing the demo, a migration or a use case
// the demo goes through: test/e2e/demo-snapshot.test.ts fails until the snapshot matches a replay.
import { openDatabase } from '../src/db/client.ts';
import { applyMigrations } from '../src/db/migrations.ts';
import { academicYearContaining } from '../src/domain/academic-year.ts';
import { todayInChina } from '../src/domain/dates.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { writeSnapshot, snapshotFile } from '../src/demo/snapshot/snapshot-file-node.ts';
import { takeSnapshot } from '../src/demo/snapshot/take-snapshot.ts';
import { createPiiVault, generateKeyMaterial, parseKeyMaterial } from '../src/privacy/pii-vault.ts';
import { runCli } from './lib/open-database.ts';

runCli('demo:snapshot', async () => {
  const started = performance.now();
  const made = new Date();
  const businessDate = todayInChina(made);
  const academicYear = academicYearContaining(businessDate)?.startYear;
  if (academicYear === undefined) throw new Error(`no academic year contains ${businessDate}`);
  const keys = generateKeyMaterial('demo');
  const vault = await createPiiVault(parseKeyMaterial(keys.PII_KEYS, keys.PII_LOOKUP_KEY));
  const db = await openDatabase({ kind: 'embedded', dataDir: null });
  try {
    await applyMigrations(db.adapterFactory);
    console.error('正在通过业务用例重放演示数据… Replaying the demo through the use cases…');
    const tokens = await seedDemo(db.prisma, vault, { now: () => made });
    const content = await takeSnapshot(db.prisma, { madeAt: made, businessDate, academicYear, keys, tokens });
    const bytes = writeSnapshot(content);
    const rows = content.header.tables.reduce((n, t) => n + t.rows, 0);
    console.log(
      `演示快照已写入 Demo snapshot written: ${snapshotFile()} (${(bytes / 1024).toFixed(0)} KiB, ${rows} rows in ${content.tables.length} tables, ` +
        `ledger head ${content.header.ledgerHead.seq}/${content.header.ledgerHead.hash.slice(0, 12)}…, ${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    return 0;
  } finally {
    await db.close();
  }
});
