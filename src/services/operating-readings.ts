// Figures read when the service is scraped for metrics, in one cheap query: the heads of the two
// hash chains (sequence numbers only, what every checkpoint signs; never a hash or a row), and the
// transactions waiting in the database for the ledger's append lock at this moment.
import type { PrismaClient } from '#prisma';

export interface OperatingReadings {
  chainHeads: { ledger: number; audit: number };
  appendLockWaiters: number;
}

/**
 * The lock ledger_post takes is pg_advisory_xact_lock(ledger_append_lock_key()): a bigint key,
 * which pg_locks shows split into classid (high half) and objid (low half) with objsubid 1.
 */
export async function readOperatingReadings(db: PrismaClient): Promise<OperatingReadings> {
  const [row] = await db.$queryRaw<{ ledger: bigint | null; audit: bigint | null; waiters: bigint }[]>`
    SELECT (SELECT max("seq") FROM "ledger_transaction") AS ledger,
           (SELECT max("seq") FROM "audit_chain") AS audit,
           (SELECT count(*) FROM pg_locks
             WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1
               AND ((classid::bigint << 32) | objid::bigint) = ledger_append_lock_key()) AS waiters`;
  return {
    // Sequences stay far below 2^53: a gauge's value is a double in Prometheus anyway.
    chainHeads: { ledger: Number(row?.ledger ?? 0n), audit: Number(row?.audit ?? 0n) },
    appendLockWaiters: Number(row?.waiters ?? 0n),
  };
}
