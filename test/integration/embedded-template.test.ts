// A new data directory starts from the build's migrated template, unpacked beside it and renamed
// into place whole: a folder that an interrupted unpacking left without PG_VERSION is replaced,
// and what is opened is a whole, migrated database.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, inject } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { migrationStatus } from '../../src/db/migrations.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('a new embedded data directory from the template', () => {
  it('replaces what an interrupted unpacking left, and opens a migrated database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-template-'));
    dirs.push(dir);
    // An earlier start killed while unpacking: some of the database's files, no PG_VERSION.
    mkdirSync(join(dir, 'pg', 'base'), { recursive: true });
    writeFileSync(join(dir, 'pg', 'base', 'half-written'), 'x');
    const template = new Blob([readFileSync(inject('pgliteTemplate'))]);

    const db = await openDatabase({ kind: 'embedded', dataDir: dir, template });
    try {
      expect(await migrationStatus(db.adapterFactory)).toMatchObject({ upToDate: true, pending: [] });
      expect(existsSync(join(dir, 'pg', 'PG_VERSION'))).toBe(true);
      expect(existsSync(join(dir, 'pg', 'base', 'half-written'))).toBe(false);
      expect(existsSync(join(dir, 'pg.unpacking'))).toBe(false);
    } finally {
      await db.close();
    }

    // Opened again, it is the same database, not unpacked a second time.
    const again = await openDatabase({ kind: 'embedded', dataDir: dir, template });
    try {
      await again.prisma.$executeRawUnsafe(`CREATE TABLE "template_probe" ("id" int)`);
    } finally {
      await again.close();
    }
    const third = await openDatabase({ kind: 'embedded', dataDir: dir, template });
    try {
      expect(await third.prisma.$queryRawUnsafe(`SELECT count(*)::int AS n FROM "template_probe"`)).toEqual([{ n: 0 }]);
    } finally {
      await third.close();
    }
  });
});
