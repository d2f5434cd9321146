// npm run db:migrate — applies pending migrations to DATABASE_URL, else to the embedded database.
import { applyMigrations } from '../src/db/migrations.ts';
import { openConfiguredDatabase, runCli } from './lib/open-database.ts';

runCli('db:migrate', async () => {
  const db = await openConfiguredDatabase();
  try {
    console.log(`Database: ${db.description}`);
    const { applied } = await applyMigrations(db.adapterFactory);
    if (applied.length === 0) console.log('No pending migrations.');
    for (const name of applied) console.log(`Applied ${name}`);
    return 0;
  } finally {
    await db.close();
  }
});
