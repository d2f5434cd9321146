// Key rotation without downtime: values sealed with the old key are re-sealed under the new one, a
// page per transaction, checked against the stored keyed hashes; afterwards the old key can go.
// The payout snapshot stays locked except for exactly that change of key.
import { beforeAll, describe, expect, it } from 'vitest';
import { createPiiVault, PiiKeyError, type PiiVault } from '../../src/privacy/pii-vault.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { ResealIntegrityError, resealPersonalData, sealedKeyId } from '../../src/services/pii-reseal.ts';
import { TODAY, makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { testVault } from '../support/vault.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let oldVault: PiiVault;

const OLD_KEY = { id: 'test1', key: new Uint8Array(32).fill(7) };
const NEW_KEY = { id: 'k2027', key: new Uint8Array(32).fill(11) };
const LOOKUP = new Uint8Array(32).fill(9);
const CLI = { actorId: '00000000-0000-0000-0000-000000000000', organisationId: '00000000-0000-0000-0000-000000000000', requestId: 'pii:reseal' };

beforeAll(async () => {
  oldVault = await testVault();
  const programme = await makePayoutProgramme(t.world);
  await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['4000.00', '5000.00', '3000.00']);
  await createPayoutBatch({ ctx: t.world.users.finance.ctx, input: { programmeId: programme.id, cutoffOn: TODAY() } });
});

const sql = (text: string) =>
  t.db.prisma.$executeRawUnsafe(text).then(
    () => null,
    (e: Error) => e.message,
  );

/** Every sealed value in clear, by row, opened with `vault`. */
async function everythingInClear(vault: PiiVault) {
  const students = await t.db.prisma.student.findMany({ orderBy: { id: 'asc' } });
  const payouts = await t.db.prisma.payout.findMany({ orderBy: { id: 'asc' } });
  return {
    students: await Promise.all(
      students.map(async (s) => [
        await vault.open('identity_number', s.identityNumberSealed),
        await vault.open('name', s.nameSealed),
        await vault.open('bank_account', s.bankAccountSealed),
        s.phoneSealed === null ? null : await vault.open('phone', s.phoneSealed),
      ]),
    ),
    payouts: await Promise.all(payouts.map(async (p) => [await vault.open('name', p.payeeNameSealed), await vault.open('bank_account', p.payeeAccountSealed)])),
  };
}

async function keysInUse(): Promise<string[]> {
  const students = await t.db.prisma.student.findMany();
  const payouts = await t.db.prisma.payout.findMany();
  const ids = [
    ...students.flatMap((s) => [s.identityNumberSealed, s.nameSealed, s.bankAccountSealed, ...(s.phoneSealed ? [s.phoneSealed] : [])]),
    ...payouts.flatMap((p) => [p.payeeNameSealed, p.payeeAccountSealed]),
  ].map(sealedKeyId);
  return [...new Set(ids)].sort();
}

describe('re-sealing personal data under a new key', () => {
  it('refuses when the lookup key is not the one that made the hashes, changing nothing', async () => {
    const wrongLookup = await createPiiVault({ encryption: [NEW_KEY, OLD_KEY], lookup: new Uint8Array(32).fill(1) });
    await expect(resealPersonalData(t.db.prisma, wrongLookup, CLI)).rejects.toBeInstanceOf(ResealIntegrityError);
    expect(await keysInUse()).toEqual(['test1']);
  });

  it('refuses when the key that sealed a value is no longer configured, changing nothing', async () => {
    const withoutOld = await createPiiVault({ encryption: [NEW_KEY], lookup: LOOKUP });
    await expect(resealPersonalData(t.db.prisma, withoutOld, CLI)).rejects.toBeInstanceOf(PiiKeyError);
    expect(await keysInUse()).toEqual(['test1']);
  });

  it('re-seals students and payout snapshots under the new key, page by page, audited without values; the old key can then go', async () => {
    const before = await everythingInClear(oldVault);
    const students = await t.db.prisma.student.count();
    const payouts = await t.db.prisma.payout.count();
    expect(payouts).toBe(3);
    const rotating = await createPiiVault({ encryption: [NEW_KEY, OLD_KEY], lookup: LOOKUP });
    const pages: string[] = [];
    const report = await resealPersonalData(t.db.prisma, rotating, CLI, { pageSize: 2, onPage: (table, rows) => pages.push(`${table}:${rows}`) });
    expect(report).toEqual({ activeKeyId: 'k2027', studentsResealed: students, payoutsResealed: 3 });
    expect(pages).toContain('payout:2');
    expect(pages).toContain('payout:1');
    expect(await keysInUse()).toEqual(['k2027']);

    const newOnly = await createPiiVault({ encryption: [NEW_KEY], lookup: LOOKUP });
    expect(await everythingInClear(newOnly)).toEqual(before);

    const audit = await t.db.prisma.auditEvent.findMany({ where: { action: 'personal_data.reseal' } });
    expect(audit.map((a) => a.recordType).sort()).toEqual([...Array(Math.ceil(students / 2)).fill('student'), 'payout', 'payout'].sort());
    const written = JSON.stringify(audit.map((a) => ({ ...a, id: String(a.id) })));
    for (const row of [...before.students, ...before.payouts]) for (const value of row) if (value) expect(written).not.toContain(value);

    // Nothing left to do: a second run changes nothing.
    expect(await resealPersonalData(t.db.prisma, rotating, CLI)).toEqual({ activeKeyId: 'k2027', studentsResealed: 0, payoutsResealed: 0 });
  });

  it('a payout snapshot changes only by a change of key inside a re-sealing transaction', async () => {
    const [p, q] = await t.db.prisma.payout.findMany({ orderBy: { id: 'asc' } });
    const other = q!.payeeNameSealed;
    // Outside a re-sealing transaction: refused.
    expect(await sql(`UPDATE "payout" SET "payee_name_sealed" = '${other}' WHERE "id" = '${p!.id}'`)).toMatch(/payout_snapshot_locked/);
    // Inside one, but the same key (another payee's value, not a re-seal): refused.
    const sameKey = await t.db.prisma
      .$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('scholarship.pii_reseal', 'on', true)`;
        await tx.$executeRawUnsafe(
          `UPDATE "payout" SET "payee_name_sealed" = '${other}', "payee_account_sealed" = '${q!.payeeAccountSealed}' WHERE "id" = '${p!.id}'`,
        );
      })
      .then(
        () => null,
        (e: Error) => e.message,
      );
    expect(sameKey).toMatch(/payout_snapshot_locked/);
    // The account's keyed hash never changes, re-sealing or not.
    const hash = await t.db.prisma
      .$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('scholarship.pii_reseal', 'on', true)`;
        await tx.$executeRawUnsafe(`UPDATE "payout" SET "payee_account_hash" = '${q!.payeeAccountHash}' WHERE "id" = '${p!.id}'`);
      })
      .then(
        () => null,
        (e: Error) => e.message,
      );
    expect(hash).toMatch(/payout_snapshot_locked/);
  });
});
