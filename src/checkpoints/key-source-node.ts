// Where the checkpoint signing key comes from (Node): CHECKPOINT_SIGNING_KEY in production; for the
// embedded default, a key file created beside the data on first start, readable by the owner only.
// Never the database: a key that the database holds would let whoever rewrites the chain re-sign it.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CheckpointKeyError, type CheckpointSigner, fromBase64, newSigningSeed, signerFromSeed, toBase64 } from './ed25519.ts';

export const CHECKPOINT_KEY_FILE = 'checkpoint-signing-key.json';

export interface CheckpointKeyConfig {
  CHECKPOINT_SIGNING_KEY?: string | undefined;
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
}

function seedOf(text: string, from: string): Uint8Array {
  const seed = fromBase64(text.trim());
  if (seed.length !== 32) throw new CheckpointKeyError(`${from} must be 32 bytes in base64 (an Ed25519 seed); it has ${seed.length}`);
  return seed;
}

/** The signer, or a CheckpointKeyError saying what to configure. */
export async function resolveCheckpointSigner(config: CheckpointKeyConfig): Promise<CheckpointSigner> {
  return signerFromSeed(await resolveCheckpointSeed(config));
}

/**
 * The 32-byte signing seed: CHECKPOINT_SIGNING_KEY, else the key file beside the embedded data
 * (created on first use). The ledger's sealing key is derived from it too (src/ledger/seal-key.ts).
 */
export async function resolveCheckpointSeed(config: CheckpointKeyConfig): Promise<Uint8Array> {
  if (config.CHECKPOINT_SIGNING_KEY) return seedOf(config.CHECKPOINT_SIGNING_KEY, 'CHECKPOINT_SIGNING_KEY');
  if (config.DATABASE_URL) {
    throw new CheckpointKeyError('CHECKPOINT_SIGNING_KEY is required with DATABASE_URL (see README, "Signed checkpoints")');
  }
  const dir = resolve(config.DATA_DIR);
  const file = join(dir, CHECKPOINT_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const seed = newSigningSeed();
    const signer = await signerFromSeed(seed);
    const stored = { CHECKPOINT_SIGNING_KEY: toBase64(seed), CHECKPOINT_PUBLIC_KEY: toBase64(signer.publicKey) };
    try {
      writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
    } catch (error) {
      // Another process made it first: read theirs, never replace a key that may have signed.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { CHECKPOINT_SIGNING_KEY?: string };
  if (!stored.CHECKPOINT_SIGNING_KEY) throw new CheckpointKeyError(`${file} holds no CHECKPOINT_SIGNING_KEY`);
  return seedOf(stored.CHECKPOINT_SIGNING_KEY, file);
}

/**
 * The public key a verifier trusts: CHECKPOINT_PUBLIC_KEY when given (an auditor holds only that),
 * else the one of the signing key configured as above.
 */
export async function resolveCheckpointPublicKey(config: CheckpointKeyConfig & { CHECKPOINT_PUBLIC_KEY?: string | undefined }): Promise<Uint8Array> {
  if (config.CHECKPOINT_PUBLIC_KEY) {
    const key = fromBase64(config.CHECKPOINT_PUBLIC_KEY.trim());
    if (key.length !== 32) throw new CheckpointKeyError(`CHECKPOINT_PUBLIC_KEY must be 32 bytes in base64; it has ${key.length}`);
    return key;
  }
  return (await resolveCheckpointSigner(config)).publicKey;
}

/** Where the checkpoint files live: CHECKPOINT_DIR, else DATA_DIR/checkpoints. */
export function checkpointDirectory(config: { CHECKPOINT_DIR?: string | undefined; DATA_DIR: string }): string {
  return resolve(config.CHECKPOINT_DIR ?? join(config.DATA_DIR, 'checkpoints'));
}
