// npm run db:status — compares the migrations folder with the database; exits 1 unless up to date.
import { migrationStatus } from '../src/db/migrations.ts';
import { openConfiguredDatabase, runCli } from './lib/open-database.ts';

function printList(title: string, names: string[]): void {
  console.log(`${title}: ${names.length}`);
  for (const name of names) console.log(`  ${name}`);
}

runCli('db:status', async () => {
  const db = await openConfiguredDatabase();
  try {
    console.log(`Database: ${db.description}`);
    const status = await migrationStatus(db.adapterFactory);
    printList('Applied', status.applied);
    printList('Pending', status.pending);
    printList('Failed (resolve before migrating)', status.failed);
    console.log(status.upToDate ? 'Database schema is up to date.' : 'Database schema is NOT up to date.');
    return status.upToDate ? 0 : 1;
  } finally {
    await db.close();
  }
});
