// Signed checkpoints, pure and cryptographic parts: the signed text is canonical and covers every
// member, a signature holds for its key only and for the exact claim, a file reads back as it was
// written, malformed files are not checkpoints, and the signing key never comes from nowhere: the
// environment, or a 0600 file beside the embedded data, and required with DATABASE_URL.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointKeyError, checkpointSignatureHolds, keyFingerprint, signerFromSeed, toBase64 } from '../../src/checkpoints/ed25519.ts';
import { CHECKPOINT_KEY_FILE, checkpointDirectory, resolveCheckpointPublicKey, resolveCheckpointSigner } from '../../src/checkpoints/key-source-node.ts';
import { sealMac } from '../../src/ledger/seal.ts';
import { deriveSealKey } from '../../src/ledger/seal-key.ts';
import { checkpointFileName, checkpointFileText, checkpointSignedText, parseCheckpoint } from '../../src/domain/checkpoint.ts';

const CLAIM = { chain: 'ledger', sequence: '123', headHash: 'a'.repeat(64), time: '2026-11-26T02:00:00.000Z' } as const;

describe('checkpoint signatures', () => {
  it('signs the canonical text of every member, and the signature holds for that key and claim only', async () => {
    const signer = await signerFromSeed(new Uint8Array(32).fill(1));
    const signed = await signer.sign(CLAIM);
    expect(signed.keyFingerprint).toBe(keyFingerprint(signer.publicKey));
    expect(checkpointSignedText(signed)).toBe(
      `{"chain":"ledger","headHash":"${'a'.repeat(64)}","keyFingerprint":"${signed.keyFingerprint}","sequence":"123","time":"2026-11-26T02:00:00.000Z","v":1}`,
    );
    expect(await checkpointSignatureHolds(signed, signer.publicKey)).toBe(true);
    for (const altered of [
      { ...signed, sequence: '124' },
      { ...signed, headHash: 'b'.repeat(64) },
      { ...signed, time: '2026-11-27T02:00:00.000Z' },
      { ...signed, chain: 'audit' as const },
      { ...signed, signature: toBase64(new Uint8Array(64)) },
      { ...signed, signature: 'AAAA' },
    ]) {
      expect(await checkpointSignatureHolds(altered, signer.publicKey)).toBe(false);
    }
    const other = await signerFromSeed(new Uint8Array(32).fill(2));
    expect(await checkpointSignatureHolds(signed, other.publicKey)).toBe(false);
    // Even naming the other key's fingerprint does not make it hold.
    expect(await checkpointSignatureHolds({ ...signed, keyFingerprint: other.fingerprint }, other.publicKey)).toBe(false);
  });

  it('a sealed ledger’s checkpoint signs where its seals start: removing or changing sealedFrom breaks the signature; it reads back', async () => {
    const signer = await signerFromSeed(new Uint8Array(32).fill(1));
    const signed = await signer.sign({ ...CLAIM, sealedFrom: '7' });
    expect(checkpointSignedText(signed)).toContain('"sealedFrom":"7"');
    expect(await checkpointSignatureHolds(signed, signer.publicKey)).toBe(true);
    const { sealedFrom: _dropped, ...without } = signed;
    expect(await checkpointSignatureHolds(without, signer.publicKey)).toBe(false);
    expect(await checkpointSignatureHolds({ ...signed, sealedFrom: '8' }, signer.publicKey)).toBe(false);
    expect(parseCheckpoint(checkpointFileText(signed))).toEqual(signed);
    expect(parseCheckpoint(checkpointFileText(signed).replace('"sealedFrom":"7"', '"sealedFrom":"x"'))).toBeNull();
    // Checkpoints of an unsealed ledger keep the text they were signed with.
    expect(checkpointSignedText(await signer.sign(CLAIM))).not.toContain('sealedFrom');
  });

  it('the ledger’s sealing key is derived from the signing seed: same seed, same MACs; another seed, others', async () => {
    const mac = async (fill: number) => sealMac(await deriveSealKey(new Uint8Array(32).fill(fill)), 12n, 'c'.repeat(64));
    expect(await mac(1)).toMatch(/^[0-9a-f]{64}$/);
    expect(await mac(1)).toBe(await mac(1));
    expect(await mac(1)).not.toBe(await mac(2));
    const key = await deriveSealKey(new Uint8Array(32).fill(1));
    expect(await sealMac(key, 13n, 'c'.repeat(64))).not.toBe(await mac(1));
  });

  it('the same seed always gives the same public key (RFC 8032 test vector 1)', async () => {
    const seed = Uint8Array.from(Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex'));
    expect(Buffer.from((await signerFromSeed(seed)).publicKey).toString('hex')).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  });

  it('a file reads back as written, and is named so that names sort by sequence', async () => {
    const signed = await (await signerFromSeed(new Uint8Array(32).fill(1))).sign(CLAIM);
    expect(parseCheckpoint(checkpointFileText(signed))).toEqual(signed);
    expect(checkpointFileName('ledger', '123')).toBe('ledger-000000000123.json');
    expect(checkpointFileName('audit', '9') < checkpointFileName('audit', '10')).toBe(true);
  });

  it('anything else is not a checkpoint', async () => {
    const signed = await (await signerFromSeed(new Uint8Array(32).fill(1))).sign(CLAIM);
    const text = (o: object) => JSON.stringify({ v: 1, ...signed, ...o });
    for (const bad of [
      '',
      'null',
      '[]',
      '{',
      text({ v: 2 }),
      text({ chain: 'other' }),
      text({ sequence: '0' }),
      text({ sequence: 5 }),
      text({ headHash: 'A'.repeat(64) }),
      text({ time: 'yesterday' }),
    ]) {
      expect(parseCheckpoint(bad)).toBeNull();
    }
  });

  it('refuses a key that is not 32 bytes', async () => {
    await expect(signerFromSeed(new Uint8Array(31))).rejects.toThrow(CheckpointKeyError);
  });
});

describe('where the signing key comes from', () => {
  const dir = mkdtempSync(join(tmpdir(), 'checkpoint-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('embedded: a key file beside the data, created once with mode 0600, the same key after', async () => {
    const first = await resolveCheckpointSigner({ DATA_DIR: dir });
    expect(statSync(join(dir, CHECKPOINT_KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = await resolveCheckpointSigner({ DATA_DIR: dir });
    expect(again.fingerprint).toBe(first.fingerprint);
    const stored = JSON.parse(readFileSync(join(dir, CHECKPOINT_KEY_FILE), 'utf8'));
    expect(stored.CHECKPOINT_PUBLIC_KEY).toBe(toBase64(first.publicKey));
    expect(checkpointDirectory({ DATA_DIR: dir })).toBe(join(dir, 'checkpoints'));
  });

  it('PostgreSQL: CHECKPOINT_SIGNING_KEY is required, and used when given', async () => {
    await expect(resolveCheckpointSigner({ DATA_DIR: dir, DATABASE_URL: 'postgresql://x@h/db' })).rejects.toThrow(/CHECKPOINT_SIGNING_KEY is required/);
    const seed = new Uint8Array(32).fill(4);
    const signer = await resolveCheckpointSigner({ DATA_DIR: dir, DATABASE_URL: 'postgresql://x@h/db', CHECKPOINT_SIGNING_KEY: toBase64(seed) });
    expect(signer.fingerprint).toBe((await signerFromSeed(seed)).fingerprint);
    await expect(resolveCheckpointSigner({ DATA_DIR: dir, CHECKPOINT_SIGNING_KEY: toBase64(new Uint8Array(16)) })).rejects.toThrow(/32 bytes/);
  });

  it('a verifier may hold the public key alone', async () => {
    const other = await signerFromSeed(new Uint8Array(32).fill(8));
    const key = await resolveCheckpointPublicKey({ DATA_DIR: dir, DATABASE_URL: 'postgresql://x@h/db', CHECKPOINT_PUBLIC_KEY: toBase64(other.publicKey) });
    expect(toBase64(key)).toBe(toBase64(other.publicKey));
  });
});
