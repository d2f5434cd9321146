// Loads the demo snapshot into an empty, migrated database in one transaction: every table's rows
// as the replay left them, the sequences where it left them, the fictional people re-sealed under
// this installation's keys, a fresh token and password for each demo user; then both chains and
// every open commitment are verified before the transaction commits, then (when this process seals
// its appends) every loaded ledger transaction is sealed with this installation's key. Anything
// wrong rolls it all back, and the caller replays the demo through the use cases instead.
//
// The rows go in with the database's triggers off (session_replication_role = replica): they are
// the rows those triggers already checked and completed during the replay (the ledger's running
// balances, the audit chain rows), so firing them again would add a second copy; the verification
// at the end is what proves the result. The embedded database's owner may do this; a PostgreSQL
// server's application role may not, so servers replay.
import { academicYearContaining } from '../../domain/academic-year.ts';
import { todayInChina } from '../../domain/dates.ts';
import { hashPassword } from '../../domain/password-hash.ts';
import { randomToken } from '../../domain/random-token.ts';
import type { Role } from '../../domain/roles.ts';
import { verifyAuditChain } from '../../audit/verify.ts';
import { appliedMigrations, writeTableRows } from '../../backup/table-rows.ts';
import type { PrismaClient } from '#prisma';
import { sealUnsealed } from '../../ledger/seal.ts';
import { verifyLedger } from '../../ledger/verify.ts';
import { type PiiVault, createPiiVault, parseKeyMaterial } from '../../privacy/pii-vault.ts';
import { newTokenSecret } from '../../services/tokens.ts';
import type { DemoToken } from '../seed.ts';
import { rekeyPersonalData } from './rekey-personal-data.ts';
import type { SnapshotContent } from './take-snapshot.ts';

export type SnapshotLoad = { loaded: true; tokens: DemoToken[] } | { loaded: false; reason: string };

/** Why this database cannot take the snapshot as it is (null: it can). */
export async function snapshotMismatch(db: PrismaClient, content: SnapshotContent, today = todayInChina()): Promise<string | null> {
  const [held] = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT ((SELECT count(*) FROM "organisation") + (SELECT count(*) FROM "ledger_transaction") + (SELECT count(*) FROM "audit_event"))::int AS n`,
  );
  if ((held?.n ?? 0) > 0) return 'the database is not empty';
  const year = academicYearContaining(today)?.startYear;
  if (year !== content.header.academicYear) {
    return `the snapshot was made in the academic year ${content.header.academicYear}-${content.header.academicYear + 1}, today is in another`;
  }
  const migrations = await appliedMigrations(db);
  if (JSON.stringify(migrations) !== JSON.stringify(content.header.migrations)) return 'the snapshot was made on a database migrated differently';
  return null;
}

export async function loadSnapshot(db: PrismaClient, vault: PiiVault, content: SnapshotContent): Promise<SnapshotLoad> {
  const mismatch = await snapshotMismatch(db, content);
  if (mismatch) return { loaded: false, reason: mismatch };
  const { header } = content;
  const snapshotVault = await createPiiVault(parseKeyMaterial(header.keys.PII_KEYS, header.keys.PII_LOOKUP_KEY));
  // The slow part (a deliberately slow password hash per user) runs on the thread pool while the
  // rows go in; the transaction waits for it only before writing the hashes.
  const hashing = Promise.all(
    header.users.map(async (u) => {
      const password = `demo-${randomToken(9)}`;
      return { user: u, password, passwordHash: await hashPassword(password), token: newTokenSecret() };
    }),
  );
  // Awaited on every path, so a failed load leaves no rejected promise behind.
  hashing.catch(() => {});
  let credentials: Awaited<typeof hashing> = [];
  await db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`);
      await writeTableRows(tx, content.tables, header.sequences);
      await rekeyPersonalData(tx, snapshotVault, vault);
      credentials = await hashing;
      for (const c of credentials) {
        await tx.$executeRaw`UPDATE "api_token" SET "token_hash" = ${c.token.tokenHash}, "prefix" = ${c.token.prefix} WHERE "id" = ${c.user.tokenId}::uuid`;
        await tx.$executeRaw`UPDATE "app_user" SET "password_hash" = ${c.passwordHash} WHERE "id" = ${c.user.userId}::uuid`;
      }
      await tx.$executeRawUnsafe(`SET LOCAL session_replication_role = origin`);
      const ledger = await verifyLedger(tx);
      const audit = await verifyAuditChain(tx);
      if (!ledger.ok || ledger.commitmentProblems.length > 0 || !audit.ok) throw new Error('the loaded demo snapshot does not verify');
      if (ledger.head.hash !== header.ledgerHead.hash || audit.head.hash !== header.auditHead.hash)
        throw new Error('the loaded demo snapshot ends on other chain heads');
      // Verified: now sealed with this installation's key, when the process seals its appends.
      await sealUnsealed(tx);
    },
    { timeout: 120_000 },
  );
  return {
    loaded: true,
    tokens: credentials.map((c) => ({
      organisation: c.user.organisation,
      role: c.user.role as Role,
      user: c.user.user,
      token: c.token.secret,
      username: c.user.username,
      password: c.password,
    })),
  };
}
