// The demo a first start loads from demo/snapshot is the demo the use cases make: a replay through
// the use cases (on the day the snapshot was made, with other personal-data keys) and a load of
// the snapshot give the same ledger, entry by entry, the same rows in every table, the same money
// and the same people. Fails when the demo, a migration or a use case the demo goes through
// changed since the snapshot was made: `npm run demo:snapshot` makes it again.
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { setBusinessClock } from '../../src/domain/dates.ts';
import { personTimesByYearAndKind } from '../../src/domain/empowerment.ts';
import { PUBLISHED_EMPOWERMENT_PERSON_TIMES } from '../../src/demo/empowerment.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { participationTallies } from '../../src/services/empowerment-figures.ts';
import { loadSnapshot } from '../../src/demo/snapshot/load-snapshot.ts';
import { readSnapshot } from '../../src/demo/snapshot/snapshot-file-node.ts';
import { authenticate } from '../../src/services/tokens.ts';
import { createPiiVault } from '../../src/privacy/pii-vault.ts';
import { TEST_TODAY } from '../support/business-clock.ts';
import { openTestDatabase } from '../support/database.ts';
import { projectDemo } from '../support/demo-projection.ts';
import { testVault } from '../support/vault.ts';

const opened: Database[] = [];
afterAll(async () => {
  setBusinessClock(() => new Date(`${TEST_TODAY}T04:00:00.000Z`));
  for (const db of opened) await db.close();
});

describe('the demo snapshot', () => {
  it('loads as the same demo a replay through the use cases makes', async () => {
    const snapshot = readSnapshot();
    expect(snapshot, 'demo/snapshot is missing: npm run demo:snapshot').not.toBeNull();
    if (!snapshot) return;

    const loaded = await openTestDatabase();
    opened.push(loaded);
    const loadedVault = await testVault();
    const load = await loadSnapshot(loaded.prisma, loadedVault, snapshot);
    expect(load).toMatchObject({ loaded: true });
    if (!load.loaded) return;

    const replayed = await openTestDatabase();
    opened.push(replayed);
    const replayVault = await createPiiVault({ encryption: [{ id: 'other', key: new Uint8Array(32).fill(3) }], lookup: new Uint8Array(32).fill(4) });
    const made = new Date(snapshot.header.madeAt);
    await seedDemo(replayed.prisma, replayVault, { now: () => made });
    setBusinessClock(() => new Date(`${TEST_TODAY}T04:00:00.000Z`));

    const [fromSnapshot, fromReplay] = [await projectDemo(loaded, loadedVault), await projectDemo(replayed, replayVault)];
    expect(fromSnapshot.ledgerTransactions).toBe(1148);
    expect(fromSnapshot.people).toHaveLength(169);
    expect(fromSnapshot.tableRows).toEqual(fromReplay.tableRows);
    expect(fromSnapshot.moneyByAccountKind).toEqual(fromReplay.moneyByAccountKind);
    expect(fromSnapshot.auditActions).toEqual(fromReplay.auditActions);
    expect(fromSnapshot.people).toEqual(fromReplay.people);
    expect(fromSnapshot.ledgerContentHash).toBe(fromReplay.ledgerContentHash);

    // The empowerment track's published "80 多人次": 83 person-times, all four kinds, 2024–2026.
    const programme = await loaded.prisma.programme.findUniqueOrThrow({ where: { code: 'QH-QINGSHAN-ZXGC' } });
    const empowerment = personTimesByYearAndKind(await participationTallies(loaded.prisma, programme.id));
    expect(empowerment.cumulative).toEqual({
      public_benefit_marketing: 22,
      career_planning_course: 29,
      summer_internship: 14,
      employment_assistance: 18,
      other: 0,
      total: PUBLISHED_EMPOWERMENT_PERSON_TIMES,
    });
    expect(PUBLISHED_EMPOWERMENT_PERSON_TIMES).toBe(83);
    expect(empowerment.years.map((y) => [y.academicYear, y.personTimes.total])).toEqual([
      ['2024-2025', 38],
      ['2025-2026', 45],
    ]);
    expect(await loaded.prisma.graduateDestination.count()).toBe(18);

    // Each demo user signs in with a token made by this load, never the snapshot's.
    for (const t of load.tokens) {
      const actor = await authenticate(loaded.prisma, t.token);
      expect(actor.role).toBe(t.role);
    }
  }, 600_000);
});
