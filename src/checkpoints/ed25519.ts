// Ed25519 signing and verifying of checkpoints through Web Crypto, so the same code runs on Node
// (20+) and on Workers. A key is its 32-byte seed (what CHECKPOINT_SIGNING_KEY holds, base64);
// Web Crypto imports a seed only wrapped as PKCS#8, whose prefix for Ed25519 is fixed (RFC 8410).
import { type CheckpointClaim, type SignedCheckpoint, checkpointSignedText } from '../domain/checkpoint.ts';
import { sha256Hex } from '../domain/sha256.ts';

const PKCS8_ED25519_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const ED25519 = { name: 'Ed25519' } as const;
const encoder = new TextEncoder();

export class CheckpointKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointKeyError';
  }
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

export function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** The public key's fingerprint: SHA-256 of its 32 raw bytes, hex. */
export const keyFingerprint = (publicKey: Uint8Array): string => sha256Hex(publicKey);

export interface CheckpointSigner {
  publicKey: Uint8Array;
  fingerprint: string;
  sign(claim: Omit<CheckpointClaim, 'keyFingerprint'>): Promise<SignedCheckpoint>;
}

export function newSigningSeed(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

/** A signer from a 32-byte seed. */
export async function signerFromSeed(seed: Uint8Array): Promise<CheckpointSigner> {
  if (seed.length !== 32) throw new CheckpointKeyError(`an Ed25519 signing key is 32 bytes, this one is ${seed.length}`);
  const pkcs8 = new Uint8Array(PKCS8_ED25519_PREFIX.length + 32);
  pkcs8.set(PKCS8_ED25519_PREFIX);
  pkcs8.set(seed, PKCS8_ED25519_PREFIX.length);
  const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, ED25519, true, ['sign']);
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  if (!jwk.x) throw new CheckpointKeyError('the runtime did not derive the public key');
  const publicKey = fromBase64(jwk.x);
  const fingerprint = keyFingerprint(publicKey);
  return {
    publicKey,
    fingerprint,
    async sign(claim) {
      const full: CheckpointClaim = { ...claim, keyFingerprint: fingerprint };
      const signature = new Uint8Array(await crypto.subtle.sign(ED25519, privateKey, encoder.encode(checkpointSignedText(full))));
      return { ...full, signature: toBase64(signature) };
    },
  };
}

/**
 * Whether `checkpoint` was signed by `publicKey`: the fingerprint it names must be this key's and
 * the signature must hold over its claim. A checkpoint that fails is never to be trusted.
 */
export async function checkpointSignatureHolds(checkpoint: SignedCheckpoint, publicKey: Uint8Array): Promise<boolean> {
  if (checkpoint.keyFingerprint !== keyFingerprint(publicKey)) return false;
  let signature: Uint8Array;
  try {
    signature = fromBase64(checkpoint.signature);
  } catch {
    return false;
  }
  if (signature.length !== 64) return false;
  const key = await crypto.subtle.importKey('raw', publicKey as Uint8Array<ArrayBuffer>, ED25519, false, ['verify']);
  return crypto.subtle.verify(ED25519, key, signature as Uint8Array<ArrayBuffer>, encoder.encode(checkpointSignedText(checkpoint)));
}
