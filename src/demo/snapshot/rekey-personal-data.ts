// A snapshot's fictional people are sealed with the snapshot's public keys; a load re-seals every
// value under the installation's own keys and recomputes each lookup hash, in the loading
// transaction. Each old hash is first checked against the value it was made from, so a value the
// load would hash differently from the services (another normal form) stops the load instead of
// leaving a student who can no longer be found.
import type { Tx } from '../../db/transaction.ts';
import type { PiiField, PiiVault } from '../../privacy/pii-vault.ts';
import { nameHash } from '../../services/student-pii.ts';

interface StudentRow {
  id: string;
  identity_number_hash: string;
  identity_number_sealed: string;
  name_hash: string;
  name_sealed: string;
  phone_sealed: string | null;
  bank_account_hash: string;
  bank_account_sealed: string;
}

interface PayoutRow {
  id: string;
  payee_name_sealed: string;
  payee_account_hash: string;
  payee_account_sealed: string;
}

export class SnapshotKeyError extends Error {}

async function move(from: PiiVault, to: PiiVault, field: PiiField, sealed: string): Promise<{ plain: string; sealed: string }> {
  const plain = await from.open(field, sealed);
  return { plain, sealed: await to.seal(field, plain) };
}

async function rehash(from: PiiVault, to: PiiVault, field: PiiField, plain: string, stored: string, where: string): Promise<string> {
  if ((await from.lookupHash(field, plain)) !== stored.trim())
    throw new SnapshotKeyError(`${where}: the ${field}'s stored hash is not the snapshot key's hash of its value`);
  return to.lookupHash(field, plain);
}

export async function rekeyPersonalData(tx: Tx, from: PiiVault, to: PiiVault): Promise<{ students: number; payouts: number }> {
  const students = await tx.$queryRawUnsafe<StudentRow[]>(
    `SELECT "id"::text, "identity_number_hash", "identity_number_sealed", "name_hash", "name_sealed", "phone_sealed", "bank_account_hash", "bank_account_sealed" FROM "student"`,
  );
  const studentUpdates = [];
  for (const s of students) {
    const where = `student ${s.id}`;
    const identity = await move(from, to, 'identity_number', s.identity_number_sealed);
    const account = await move(from, to, 'bank_account', s.bank_account_sealed);
    const name = await move(from, to, 'name', s.name_sealed);
    if ((await nameHash(from, name.plain)) !== s.name_hash.trim())
      throw new SnapshotKeyError(`${where}: the name's stored hash is not the snapshot key's hash of it`);
    studentUpdates.push({
      id: s.id,
      identity_number_hash: await rehash(from, to, 'identity_number', identity.plain, s.identity_number_hash, where),
      identity_number_sealed: identity.sealed,
      name_hash: await nameHash(to, name.plain),
      name_sealed: name.sealed,
      phone_sealed: s.phone_sealed === null ? null : (await move(from, to, 'phone', s.phone_sealed)).sealed,
      bank_account_hash: await rehash(from, to, 'bank_account', account.plain, s.bank_account_hash, where),
      bank_account_sealed: account.sealed,
    });
  }
  await tx.$executeRawUnsafe(
    `UPDATE "student" s SET "identity_number_hash" = n.identity_number_hash, "identity_number_sealed" = n.identity_number_sealed,
            "name_hash" = n.name_hash, "name_sealed" = n.name_sealed, "phone_sealed" = n.phone_sealed,
            "bank_account_hash" = n.bank_account_hash, "bank_account_sealed" = n.bank_account_sealed
     FROM json_to_recordset($1::json) AS n(id uuid, identity_number_hash text, identity_number_sealed text, name_hash text, name_sealed text,
                                            phone_sealed text, bank_account_hash text, bank_account_sealed text)
     WHERE s."id" = n.id`,
    JSON.stringify(studentUpdates),
  );

  const payouts = await tx.$queryRawUnsafe<PayoutRow[]>(`SELECT "id"::text, "payee_name_sealed", "payee_account_hash", "payee_account_sealed" FROM "payout"`);
  const payoutUpdates = [];
  for (const p of payouts) {
    const account = await move(from, to, 'bank_account', p.payee_account_sealed);
    payoutUpdates.push({
      id: p.id,
      payee_name_sealed: (await move(from, to, 'name', p.payee_name_sealed)).sealed,
      payee_account_hash: await rehash(from, to, 'bank_account', account.plain, p.payee_account_hash, `payout ${p.id}`),
      payee_account_sealed: account.sealed,
    });
  }
  await tx.$executeRawUnsafe(
    `UPDATE "payout" p SET "payee_name_sealed" = n.payee_name_sealed, "payee_account_hash" = n.payee_account_hash, "payee_account_sealed" = n.payee_account_sealed
     FROM json_to_recordset($1::json) AS n(id uuid, payee_name_sealed text, payee_account_hash text, payee_account_sealed text)
     WHERE p."id" = n.id`,
    JSON.stringify(payoutUpdates),
  );
  return { students: students.length, payouts: payouts.length };
}
