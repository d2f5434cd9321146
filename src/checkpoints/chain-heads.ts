// What the database says of each hash chain: its last row (the head a checkpoint signs), and the
// hash at a given sequence (what a checkpoint is checked against). The rows, not the audit trail's
// head row: a head row can be rewritten alone, the chain rows are what the verifiers recompute.
import type { Tx } from '../db/transaction.ts';
import type { CheckpointChain } from '../domain/checkpoint.ts';

export interface ChainHead {
  sequence: string;
  hash: string;
}

export async function chainHead(db: Tx, chain: CheckpointChain): Promise<ChainHead | null> {
  const rows =
    chain === 'ledger'
      ? await db.$queryRaw<{ seq: bigint; hash: string }[]>`SELECT "seq", "hash" FROM "ledger_transaction" ORDER BY "seq" DESC LIMIT 1`
      : await db.$queryRaw<{ seq: bigint; hash: string }[]>`SELECT "seq", "hash" FROM "audit_chain" ORDER BY "seq" DESC LIMIT 1`;
  const [row] = rows;
  return row ? { sequence: String(row.seq), hash: row.hash } : null;
}

/** The hash stored at `sequence`, or null when no row has it. */
export async function hashAt(db: Tx, chain: CheckpointChain, sequence: string): Promise<string | null> {
  const seq = BigInt(sequence);
  const rows =
    chain === 'ledger'
      ? await db.$queryRaw<{ hash: string }[]>`SELECT "hash" FROM "ledger_transaction" WHERE "seq" = ${seq}`
      : await db.$queryRaw<{ hash: string }[]>`SELECT "hash" FROM "audit_chain" WHERE "seq" = ${seq}`;
  return rows[0]?.hash ?? null;
}
