// Loading the demo snapshot is all or nothing, and only where it applies: a snapshot whose rows
// were changed does not verify and leaves the database empty; one made in another academic year,
// or on other migrations, or offered to a database that holds data, is not loaded at all. Where the
// process seals its appends, every loaded transaction is sealed with this installation's key.
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { loadSnapshot, snapshotMismatch } from '../../src/demo/snapshot/load-snapshot.ts';
import { readSnapshot } from '../../src/demo/snapshot/snapshot-file-node.ts';
import type { SnapshotContent } from '../../src/demo/snapshot/take-snapshot.ts';
import { configureLedgerSeal, deriveSealKey } from '../../src/ledger/seal-key.ts';
import { verifySeals } from '../../src/ledger/verify-seals.ts';
import { openTestDatabase } from '../support/database.ts';
import { testVault } from '../support/vault.ts';

const opened: Database[] = [];
afterAll(async () => {
  for (const db of opened) await db.close();
});

async function freshDatabase(): Promise<Database> {
  const db = await openTestDatabase();
  opened.push(db);
  return db;
}

function snapshot(): SnapshotContent {
  const content = readSnapshot();
  if (!content) throw new Error('demo/snapshot is missing: npm run demo:snapshot');
  return content;
}

async function ledgerRows(db: Database): Promise<number> {
  const [row] = await db.prisma.$queryRawUnsafe<{ n: number }[]>(
    `SELECT ((SELECT count(*) FROM "ledger_transaction") + (SELECT count(*) FROM "student"))::int AS n`,
  );
  return row?.n ?? -1;
}

describe('loading the demo snapshot', () => {
  it('refuses a snapshot whose ledger was changed, and leaves nothing behind', async () => {
    const content = snapshot();
    const tampered = {
      ...content,
      tables: content.tables.map((t) =>
        // One payout's amount in one entry, as an edit of the file would.
        t.name === 'ledger_entry'
          ? { ...t, rowsJson: t.rowsJson.replace(/"amount":(\d+)(\.\d+)?/, (_m, whole: string) => `"amount":${Number(whole) + 1}.00`) }
          : t,
      ),
    };
    expect(tampered.tables.find((t) => t.name === 'ledger_entry')?.rowsJson).not.toBe(content.tables.find((t) => t.name === 'ledger_entry')?.rowsJson);
    const db = await freshDatabase();
    await expect(loadSnapshot(db.prisma, await testVault(), tampered)).rejects.toThrow(/does not verify/);
    expect(await ledgerRows(db)).toBe(0);
  });

  it('refuses a snapshot whose people were sealed under other keys, and leaves nothing behind', async () => {
    const content = snapshot();
    const other = {
      ...content,
      header: { ...content.header, keys: { ...content.header.keys, PII_LOOKUP_KEY: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } },
    };
    const db = await freshDatabase();
    await expect(loadSnapshot(db.prisma, await testVault(), other)).rejects.toThrow(/hash/);
    expect(await ledgerRows(db)).toBe(0);
  });

  it('does not load a snapshot of another academic year, of other migrations, or into a database that holds data', async () => {
    const content = snapshot();
    const db = await freshDatabase();
    const nextYear = { ...content, header: { ...content.header, academicYear: content.header.academicYear + 1 } };
    expect(await loadSnapshot(db.prisma, await testVault(), nextYear)).toMatchObject({ loaded: false, reason: expect.stringMatching(/academic year/) });
    const otherMigrations = { ...content, header: { ...content.header, migrations: content.header.migrations.slice(1) } };
    expect(await snapshotMismatch(db.prisma, otherMigrations)).toMatch(/migrated differently/);
    expect(await ledgerRows(db)).toBe(0);

    expect(await loadSnapshot(db.prisma, await testVault(), content)).toMatchObject({ loaded: true });
    expect(await snapshotMismatch(db.prisma, content)).toMatch(/not empty/);
    // Not sealing: nothing sealed.
    expect(await db.prisma.ledgerSeal.count()).toBe(0);
  });

  it('seals every loaded transaction when the process seals its appends, and only then', async () => {
    const content = snapshot();
    const key = await deriveSealKey(new Uint8Array(32).fill(4));
    const db = await freshDatabase();
    configureLedgerSeal(key);
    try {
      expect(await loadSnapshot(db.prisma, await testVault(), content)).toMatchObject({ loaded: true });
    } finally {
      configureLedgerSeal(null);
    }
    const seals = await verifySeals(db.prisma, key);
    expect(seals).toMatchObject({ ok: true, sealedFrom: '1', problems: [] });
    expect(seals.sealsChecked).toBe(Number(content.header.ledgerHead.seq));
  });
});
