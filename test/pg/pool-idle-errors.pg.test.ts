// The service's PostgreSQL pool outlives a connection the server ends while it is idle (a
// restart, a failover, pg_terminate_backend): the pool reports it as an 'error' event, which with
// no listener would be an uncaught exception and stop the process. The next query opens a new
// connection and is answered.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { openPgTestDatabase } from '../support/database.ts';

describe.skipIf(!process.env.TEST_DATABASE_URL)('an idle connection ended by the server', () => {
  let db: Database & { url: string; drop(): Promise<void> };
  const uncaught: unknown[] = [];
  const record = (error: unknown) => uncaught.push(error);
  beforeAll(async () => {
    db = await openPgTestDatabase(2);
    process.on('uncaughtException', record);
  });
  afterAll(async () => {
    process.off('uncaughtException', record);
    await db?.drop();
  });

  it('is dropped from the pool without an uncaught exception, and the next query is answered', async () => {
    // As the migrations at start use the pool: through the adapter, which stops listening to the
    // pool when it is disposed; the query client has not connected yet.
    const adapter = await db.adapterFactory.connect();
    const result = await adapter.queryRaw({ sql: 'SELECT pg_backend_pid() AS pid', args: [], argTypes: [] });
    await adapter.dispose();
    const mine = { pid: Number(result.rows[0]![0]) };
    expect(db.poolUse()).toMatchObject({ kind: 'postgres', idle: 1 });
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend($1)', [mine.pid]);
    } finally {
      await admin.end();
    }
    // Until the pool has seen the connection end.
    for (let i = 0; i < 50 && (db.poolUse() as { idle: number }).idle > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(db.poolUse()).toMatchObject({ idle: 0 });
    const [next] = await db.prisma.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    expect(next!.pid).not.toBe(mine.pid);
    expect(uncaught).toEqual([]);
  });
});
