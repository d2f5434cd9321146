// The seal of a ledger transaction: HMAC-SHA256(key, "<seq>:<hash>") in lowercase hex. The hash
// already covers the transaction's content and its place in the chain; the seal adds what only the
// key holder can compute, so a transaction that a database superuser appends (hashed with the
// published algorithm) has no seal that verifies. Written in the appending transaction, one
// multi-row INSERT per statement that posted.
//
// The MAC is computed synchronously (@noble/hashes): it runs while the append lock is held, where
// each Web Crypto call would be a wait for a worker thread.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Tx } from '../db/transaction.ts';
import { type SealKey, ledgerSealKey } from './seal-key.ts';

export function sealMac(key: SealKey, seq: bigint, hash: string): string {
  return bytesToHex(hmac(sha256, key, utf8ToBytes(`${seq}:${hash}`)));
}

export interface Sealable {
  id: string;
  seq: bigint;
  hash: string;
}

/** Seals the transactions just posted in `tx`, when a sealing key is configured (else does nothing). */
export async function sealPosted(tx: Tx, posted: readonly Sealable[], key: SealKey | null = ledgerSealKey()): Promise<void> {
  if (!key || posted.length === 0) return;
  await insertSeals(
    tx,
    posted,
    posted.map((p) => sealMac(key, p.seq, p.hash)),
  );
}

/** Writes the seals whose MACs were computed already (`macs[i]` seals `posted[i]`): one INSERT. */
async function insertSeals(tx: Tx, posted: readonly Sealable[], macs: readonly string[]): Promise<void> {
  if (posted.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "ledger_seal" ("transaction_id", "seq", "mac")
    SELECT * FROM unnest(${posted.map((p) => p.id)}::uuid[], ${posted.map((p) => String(p.seq))}::text[]::bigint[], ${[...macs]}::text[])`;
}

/**
 * Seals every transaction that has no seal yet (the demo snapshot's, loaded as rows): only after
 * the ledger was verified, since a seal vouches for what it seals. Does nothing without a key.
 */
export async function sealUnsealed(tx: Tx, key: SealKey | null = ledgerSealKey()): Promise<number> {
  if (!key) return 0;
  let sealed = 0;
  for (;;) {
    const rows = await tx.$queryRaw<{ id: string; seq: bigint; hash: string }[]>`
      SELECT t."id"::text AS id, t."seq", t."hash" FROM "ledger_transaction" t
      WHERE NOT EXISTS (SELECT 1 FROM "ledger_seal" s WHERE s."transaction_id" = t."id") ORDER BY t."seq" LIMIT 5000`;
    if (rows.length === 0) return sealed;
    await sealPosted(tx, rows, key);
    sealed += rows.length;
  }
}
