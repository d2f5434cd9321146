// A real deadlock on PostgreSQL: two transactions lock two rows in opposite order. Without the
// retry one of them is aborted (40P01) and recognised as transient; through runTransaction both
// commit, the aborted one having been run again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTransientConflict } from '../../src/db/errors.ts';
import { runTransaction } from '../../src/services/context.ts';
import { openPgTestDatabase } from '../support/database.ts';

type PgTestDatabase = Awaited<ReturnType<typeof openPgTestDatabase>>;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!process.env.TEST_DATABASE_URL)('transactions aborted by a deadlock (PostgreSQL)', () => {
  let db: PgTestDatabase;
  beforeAll(async () => {
    db = await openPgTestDatabase(4);
    await db.prisma.$executeRawUnsafe(`CREATE TABLE deadlock_probe (id int PRIMARY KEY, touched int NOT NULL)`);
  });
  afterAll(async () => db?.drop());

  async function reset() {
    await db.prisma.$executeRawUnsafe(`TRUNCATE deadlock_probe`);
    await db.prisma.$executeRawUnsafe(`INSERT INTO deadlock_probe VALUES (1, 0), (2, 0)`);
  }
  const crossing = (first: number, second: number) =>
    db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`UPDATE deadlock_probe SET touched = touched + 1 WHERE id = ${first}`);
      await pause(150);
      await tx.$executeRawUnsafe(`UPDATE deadlock_probe SET touched = touched + 1 WHERE id = ${second}`);
    });

  it('without the retry: one of the two is aborted, and the error is recognised as transient', async () => {
    await reset();
    const results = await Promise.allSettled([crossing(1, 2), crossing(2, 1)]);
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(failures).toHaveLength(1);
    expect(isTransientConflict(failures[0])).toBe(true);
  });

  it('through runTransaction: both commit, every row touched twice', async () => {
    await reset();
    const results = await Promise.allSettled([runTransaction(() => crossing(1, 2)), runTransaction(() => crossing(2, 1))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const rows = await db.prisma.$queryRawUnsafe<{ id: number; touched: number }[]>(`SELECT id, touched FROM deadlock_probe ORDER BY id`);
    expect(rows).toEqual([
      { id: 1, touched: 2 },
      { id: 2, touched: 2 },
    ]);
  });
});
