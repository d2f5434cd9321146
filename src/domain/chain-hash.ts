// The ledger's hash chain: each transaction's hash covers the previous hash and the canonical form
// of the transaction. Computed with Web Crypto so the same code runs on Node and on Workers.
import { canonicalJson } from './canonical-json.ts';
import type { Direction } from './ledger-accounts.ts';

/** The previous hash of transaction 1. */
export const GENESIS_HASH = '0'.repeat(64);

/** Bumped if the canonical form ever changes; old transactions keep the version they were hashed with. */
export const CANONICAL_VERSION = 1;

export interface CanonicalEntry {
  line: number;
  account: string;
  direction: Direction;
  /** Two decimals, e.g. "3500.00". */
  amount: string;
  currency: string;
}

export interface CanonicalTransaction {
  seq: bigint;
  id: string;
  programmeId: string;
  kind: string;
  /** YYYY-MM-DD */
  eventDate: string;
  /** ISO 8601 UTC with milliseconds, as stored (timestamptz(3)). */
  recordedAt: string;
  description: string;
  sourceType: string;
  sourceId: string;
  actorId: string;
  reversesId: string | null;
  entries: CanonicalEntry[];
  prevHash: string;
}

export function canonicalTransaction(tx: CanonicalTransaction): string {
  return canonicalText({ ...tx, seq: tx.seq.toString() });
}

function canonicalText(tx: Omit<CanonicalTransaction, 'seq'> & { seq: string }): string {
  return canonicalJson({
    v: CANONICAL_VERSION,
    seq: tx.seq,
    id: tx.id,
    programmeId: tx.programmeId,
    kind: tx.kind,
    eventDate: tx.eventDate,
    recordedAt: tx.recordedAt,
    description: tx.description,
    sourceType: tx.sourceType,
    sourceId: tx.sourceId,
    actorId: tx.actorId,
    reversesId: tx.reversesId,
    entries: [...tx.entries]
      .sort((a, b) => a.line - b.line)
      .map((e) => ({ line: e.line, account: e.account, direction: e.direction, amount: e.amount, currency: e.currency })),
    prevHash: tx.prevHash,
  });
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function hashTransaction(tx: CanonicalTransaction): Promise<string> {
  return sha256Hex(canonicalTransaction(tx));
}

/**
 * The canonical form cut around the two values that only the chain's head knows:
 * canonical = segments[0] + prevHash + segments[1] + seq + segments[2].
 * Lets the database complete and hash the form under the append lock in one statement.
 */
export function canonicalSegments(tx: Omit<CanonicalTransaction, 'seq' | 'prevHash'>): [string, string, string] {
  // Sentinels that cannot occur in the rest of the text: retried in the astronomically unlikely case.
  for (;;) {
    const nonce = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    const prevMark = `P${nonce}`;
    const seqMark = `S${nonce}`;
    const text = canonicalText({ ...tx, seq: seqMark, prevHash: prevMark });
    const parts = text.split(prevMark);
    if (parts.length !== 2) continue;
    const rest = (parts[1] as string).split(seqMark);
    if (rest.length !== 2) continue;
    return [parts[0] as string, rest[0] as string, rest[1] as string];
  }
}
