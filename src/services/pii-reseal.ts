// Key rotation, second step (src/privacy/pii-vault.ts explains the first): every personal value
// still sealed with an older key is opened and sealed again with the active key. A page of rows per
// short transaction, so the service keeps serving throughout (both keys are configured while this
// runs); run it again at any time — it only touches what is not yet under the active key.
//
// Before a page commits, each new value is opened again and compared with the old one, and the
// identity number's and account's keyed hashes are recomputed and compared with the stored ones: a
// wrong key or a damaged value stops the run with nothing of that page changed.
import type { PrismaClient } from '#prisma';
import type { PiiField, PiiVault } from '../privacy/pii-vault.ts';
import type { Tx } from './context.ts';

/** Who re-sealed, for the audit trail: the operator's command line, or a user. */
export interface ResealActor {
  actorId: string;
  organisationId: string;
  requestId: string;
}

export interface ResealReport {
  activeKeyId: string;
  studentsResealed: number;
  payoutsResealed: number;
}

const DEFAULT_PAGE_SIZE = 200;

export class ResealIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResealIntegrityError';
  }
}

/** Re-seals everything not yet under the vault's active key; `onPage` reports progress. */
export async function resealPersonalData(
  db: PrismaClient,
  vault: PiiVault,
  actor: ResealActor,
  options: { pageSize?: number; onPage?: (table: 'student' | 'payout', rows: number) => void } = {},
): Promise<ResealReport> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const report: ResealReport = { activeKeyId: vault.activeKeyId, studentsResealed: 0, payoutsResealed: 0 };
  for (;;) {
    const rows = await db.$transaction((tx) => resealStudentPage(tx, vault, actor, pageSize), { timeout: 120_000 });
    if (rows === 0) break;
    report.studentsResealed += rows;
    options.onPage?.('student', rows);
  }
  for (;;) {
    const rows = await db.$transaction((tx) => resealPayoutPage(tx, vault, actor, pageSize), { timeout: 120_000 });
    if (rows === 0) break;
    report.payoutsResealed += rows;
    options.onPage?.('payout', rows);
  }
  return report;
}

/** The key id a sealed value names (`v1.<key id>.<iv>.<ciphertext>`). */
export function sealedKeyId(sealed: string): string {
  return sealed.split('.')[1] ?? '';
}

async function reseal(vault: PiiVault, field: PiiField, sealed: string): Promise<{ sealed: string; plain: string }> {
  const plain = await vault.open(field, sealed);
  const again = await vault.seal(field, plain);
  if ((await vault.open(field, again)) !== plain) throw new ResealIntegrityError(`a re-sealed ${field} does not open to the same value`);
  return { sealed: again, plain };
}

async function expectHash(vault: PiiVault, field: PiiField, plain: string, stored: string, where: string): Promise<void> {
  if ((await vault.lookupHash(field, plain)) !== stored.trim()) {
    // The stored hash and the sealed value disagree: the data was damaged, or the lookup key is not the one that made the hashes.
    throw new ResealIntegrityError(
      `${where}: the ${field} opens to a value whose keyed hash differs from the stored one (wrong PII_LOOKUP_KEY, or damaged data)`,
    );
  }
}

interface StudentSealedRow {
  id: string;
  identity_number_hash: string;
  identity_number_sealed: string;
  name_sealed: string;
  phone_sealed: string | null;
  bank_account_hash: string;
  bank_account_sealed: string;
}

async function resealStudentPage(tx: Tx, vault: PiiVault, actor: ResealActor, pageSize: number): Promise<number> {
  const key = vault.activeKeyId;
  const rows = await tx.$queryRaw<StudentSealedRow[]>`
    SELECT "id"::text, "identity_number_hash", "identity_number_sealed", "name_sealed", "phone_sealed", "bank_account_hash", "bank_account_sealed"
    FROM "student"
    WHERE split_part("identity_number_sealed", '.', 2) <> ${key} OR split_part("name_sealed", '.', 2) <> ${key}
       OR split_part("bank_account_sealed", '.', 2) <> ${key} OR ("phone_sealed" IS NOT NULL AND split_part("phone_sealed", '.', 2) <> ${key})
    ORDER BY "id" LIMIT ${pageSize} FOR UPDATE`;
  const fromKeys = new Set<string>();
  for (const row of rows) {
    for (const s of [row.identity_number_sealed, row.name_sealed, row.bank_account_sealed, row.phone_sealed]) if (s) fromKeys.add(sealedKeyId(s));
    const identity = await reseal(vault, 'identity_number', row.identity_number_sealed);
    await expectHash(vault, 'identity_number', identity.plain, row.identity_number_hash, `student ${row.id}`);
    const account = await reseal(vault, 'bank_account', row.bank_account_sealed);
    await expectHash(vault, 'bank_account', account.plain, row.bank_account_hash, `student ${row.id}`);
    const name = await reseal(vault, 'name', row.name_sealed);
    const phone = row.phone_sealed === null ? null : await reseal(vault, 'phone', row.phone_sealed);
    await tx.$executeRaw`
      UPDATE "student" SET "identity_number_sealed" = ${identity.sealed}, "name_sealed" = ${name.sealed},
             "bank_account_sealed" = ${account.sealed}, "phone_sealed" = ${phone?.sealed ?? null}
      WHERE "id" = ${row.id}::uuid`;
  }
  if (rows.length > 0) await auditPage(tx, actor, 'student', rows, fromKeys, key);
  return rows.length;
}

interface PayoutSealedRow {
  id: string;
  payee_name_sealed: string;
  payee_account_hash: string;
  payee_account_sealed: string;
}

async function resealPayoutPage(tx: Tx, vault: PiiVault, actor: ResealActor, pageSize: number): Promise<number> {
  const key = vault.activeKeyId;
  // The payout guard lets the sealed payee change only in a transaction that says it re-seals.
  await tx.$executeRaw`SELECT set_config('scholarship.pii_reseal', 'on', true)`;
  const rows = await tx.$queryRaw<PayoutSealedRow[]>`
    SELECT "id"::text, "payee_name_sealed", "payee_account_hash", "payee_account_sealed"
    FROM "payout"
    WHERE split_part("payee_name_sealed", '.', 2) <> ${key} OR split_part("payee_account_sealed", '.', 2) <> ${key}
    ORDER BY "id" LIMIT ${pageSize} FOR UPDATE`;
  const fromKeys = new Set<string>();
  for (const row of rows) {
    fromKeys.add(sealedKeyId(row.payee_name_sealed));
    fromKeys.add(sealedKeyId(row.payee_account_sealed));
    if (sealedKeyId(row.payee_name_sealed) === key || sealedKeyId(row.payee_account_sealed) === key) {
      // The guard admits only a change of key for both; a half-rotated row needs a person to look.
      throw new ResealIntegrityError(`payout ${row.id}: its name and account are sealed with different keys`);
    }
    const account = await reseal(vault, 'bank_account', row.payee_account_sealed);
    await expectHash(vault, 'bank_account', account.plain, row.payee_account_hash, `payout ${row.id}`);
    const name = await reseal(vault, 'name', row.payee_name_sealed);
    await tx.$executeRaw`
      UPDATE "payout" SET "payee_name_sealed" = ${name.sealed}, "payee_account_sealed" = ${account.sealed} WHERE "id" = ${row.id}::uuid`;
  }
  if (rows.length > 0) await auditPage(tx, actor, 'payout', rows, fromKeys, key);
  return rows.length;
}

/** One audit event per page: which rows, from which keys to which; never a value. */
async function auditPage(tx: Tx, actor: ResealActor, table: string, rows: { id: string }[], fromKeys: Set<string>, toKey: string): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: actor.actorId,
      organisationId: actor.organisationId,
      action: 'personal_data.reseal',
      recordType: table,
      recordId: rows[0]?.id ?? '',
      after: { rows: rows.length, ids: rows.map((r) => r.id), fromKeys: [...fromKeys].sort(), toKey },
      requestId: actor.requestId,
    },
  });
}
