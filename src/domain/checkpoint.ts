// A signed checkpoint (签名检查点) of one hash chain: "on <time>, the <chain> chain ended at
// <sequence> with <head hash>", signed with a key that the database never holds. A copy kept
// outside the database lets a verifier prove later that the chain still extends it: a row deleted,
// edited or re-chained before the checkpoint changes the hash at that sequence or shortens the
// chain, and nobody without the key can sign a checkpoint to match. Pure: the text that is signed,
// the file's text and name, and reading a file back.
import { canonicalJson } from './canonical-json.ts';

export const CHECKPOINT_CHAINS = ['ledger', 'audit'] as const;
export type CheckpointChain = (typeof CHECKPOINT_CHAINS)[number];

/** Bumped if the signed form ever changes. */
export const CHECKPOINT_VERSION = 1;

export interface CheckpointClaim {
  chain: CheckpointChain;
  /** The chain's last sequence number, as decimal text (sequences are bigints). */
  sequence: string;
  /** The hash of the row at that sequence, lowercase hex. */
  headHash: string;
  /** When it was signed, ISO 8601 UTC. */
  time: string;
  /** SHA-256 (hex) of the raw 32-byte Ed25519 public key that signed it. */
  keyFingerprint: string;
  /**
   * Ledger only, when its appends are sealed: the sequence from which every transaction has a seal
   * (src/ledger/seal.ts). Signed, so that deleting the seals is caught: a verifier checks that
   * they exist from there up to the checkpoint. Absent from checkpoints of an unsealed ledger.
   */
  sealedFrom?: string;
}

export interface SignedCheckpoint extends CheckpointClaim {
  /** Ed25519 signature over checkpointSignedText(claim), base64. */
  signature: string;
}

/** The exact text that is signed: canonical JSON (keys sorted, no whitespace) with the version. */
export function checkpointSignedText(claim: CheckpointClaim): string {
  return canonicalJson({
    v: CHECKPOINT_VERSION,
    chain: claim.chain,
    sequence: claim.sequence,
    headHash: claim.headHash,
    time: claim.time,
    keyFingerprint: claim.keyFingerprint,
    // Only when present: the checkpoints signed before sealing keep their signed text.
    ...(claim.sealedFrom === undefined ? {} : { sealedFrom: claim.sealedFrom }),
  });
}

/** The file's text: the same canonical JSON with the signature beside, one line. */
export function checkpointFileText(c: SignedCheckpoint): string {
  return `${canonicalJson({
    v: CHECKPOINT_VERSION,
    chain: c.chain,
    sequence: c.sequence,
    headHash: c.headHash,
    time: c.time,
    keyFingerprint: c.keyFingerprint,
    ...(c.sealedFrom === undefined ? {} : { sealedFrom: c.sealedFrom }),
    signature: c.signature,
  })}\n`;
}

/** `ledger-000000000123.json`: sorted by name is sorted by sequence. */
export function checkpointFileName(chain: CheckpointChain, sequence: string): string {
  return `${chain}-${sequence.padStart(12, '0')}.json`;
}

export const CHECKPOINT_FILE_NAME = /^(ledger|audit)-(\d{12,})\.json$/;

const HEX64 = /^[0-9a-f]{64}$/;
const SEQUENCE = /^[1-9]\d*$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Reads a checkpoint file's text; null when it is not one (a reader reports that, never trusts it). */
export function parseCheckpoint(text: string): SignedCheckpoint | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v.v !== CHECKPOINT_VERSION) return null;
  if (v.chain !== 'ledger' && v.chain !== 'audit') return null;
  const strings = ['sequence', 'headHash', 'time', 'keyFingerprint', 'signature'] as const;
  if (!strings.every((k) => typeof v[k] === 'string')) return null;
  const c = v as unknown as SignedCheckpoint;
  if (!SEQUENCE.test(c.sequence) || !HEX64.test(c.headHash) || !HEX64.test(c.keyFingerprint) || !BASE64.test(c.signature)) return null;
  if (Number.isNaN(Date.parse(c.time))) return null;
  if (v.sealedFrom !== undefined && (typeof v.sealedFrom !== 'string' || !SEQUENCE.test(v.sealedFrom))) return null;
  const sealed = typeof v.sealedFrom === 'string' ? { sealedFrom: v.sealedFrom } : {};
  return { chain: c.chain, sequence: c.sequence, headHash: c.headHash, time: c.time, keyFingerprint: c.keyFingerprint, ...sealed, signature: c.signature };
}
