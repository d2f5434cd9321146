// The Worker's migration state, read with plain SQL from _prisma_migrations (no engine, no folder):
// up to date exactly when every migration the build knows is applied, naming those that are not.
import { describe, expect, it } from 'vitest';
import { migrationStateOf } from '../../src/db/migration-state-sql.ts';
import { MIGRATION_NAMES } from '../../src/generated/migration-names.ts';
import { listMigrationNames, migrationStatus } from '../../src/db/migrations.ts';
import { projectRoot } from '../support/conformance.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';

describe.skipIf(!process.env.TEST_DATABASE_URL)('migrationStateOf (PostgreSQL)', () => {
  const t = usePgTestDatabase(2);

  it('knows every migration of prisma/migrations (generated with the clients)', async () => {
    expect(MIGRATION_NAMES).toEqual(await listMigrationNames(`${projectRoot}/prisma/migrations`));
  });

  it('agrees with the engine on a migrated database, and names a migration it has not got', async () => {
    const state = await migrationStateOf(t.db.prisma, MIGRATION_NAMES);
    expect(state).toMatchObject({ upToDate: true, pending: [], failed: [] });
    expect(state.applied).toEqual((await migrationStatus(t.db.adapterFactory)).applied);
    expect(await migrationStateOf(t.db.prisma, [...MIGRATION_NAMES, '29991231000000_later'])).toMatchObject({
      upToDate: false,
      pending: ['29991231000000_later'],
    });
  });

  it('counts a rolled-back migration as not applied, and a database without the table as having none', async () => {
    const last = MIGRATION_NAMES.at(-1)!;
    await t.db.prisma.$executeRaw`UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = ${last}`;
    expect(await migrationStateOf(t.db.prisma, MIGRATION_NAMES)).toMatchObject({ upToDate: false, pending: [last] });
    await t.db.prisma.$executeRaw`UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE migration_name = ${last}`;
    await t.db.prisma.$executeRawUnsafe('ALTER TABLE _prisma_migrations RENAME TO _prisma_migrations_away');
    try {
      expect(await migrationStateOf(t.db.prisma, ['a', 'b'])).toEqual({ applied: [], pending: ['a', 'b'], failed: [], upToDate: false });
    } finally {
      await t.db.prisma.$executeRawUnsafe('ALTER TABLE _prisma_migrations_away RENAME TO _prisma_migrations');
    }
  });
});
