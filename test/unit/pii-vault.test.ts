import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveKeyMaterial } from '../../src/privacy/key-source.ts';
import { PiiKeyError, createPiiVault, generateKeyMaterial, parseKeyMaterial } from '../../src/privacy/pii-vault.ts';

const key = (fill: number) => new Uint8Array(32).fill(fill);

describe('PiiVault', () => {
  it('seals to a value that names its key and never contains the clear text, and opens it again', async () => {
    const vault = await createPiiVault({ encryption: [{ id: 'k1', key: key(1) }], lookup: key(2) });
    const sealed = await vault.seal('identity_number', '630102200603151249');
    expect(sealed).toMatch(/^v1\.k1\./);
    expect(sealed).not.toContain('630102');
    expect(await vault.open('identity_number', sealed)).toBe('630102200603151249');
  });

  it('seals the same value differently each time (random IV), but hashes it the same way', async () => {
    const vault = await createPiiVault({ encryption: [{ id: 'k1', key: key(1) }], lookup: key(2) });
    expect(await vault.seal('name', '韩梅梅')).not.toBe(await vault.seal('name', '韩梅梅'));
    expect(await vault.lookupHash('name', '韩梅梅')).toBe(await vault.lookupHash('name', '韩梅梅'));
    expect(await vault.lookupHash('name', '韩梅梅')).not.toBe(await vault.lookupHash('phone', '韩梅梅'));
  });

  it('binds a sealed value to its field: an identity number cannot be opened as a bank account', async () => {
    const vault = await createPiiVault({ encryption: [{ id: 'k1', key: key(1) }], lookup: key(2) });
    const sealed = await vault.seal('identity_number', '630102200603151249');
    await expect(vault.open('bank_account', sealed)).rejects.toThrow();
  });

  it('rotates without downtime: a new key seals, the old one still opens what it sealed', async () => {
    const old = await createPiiVault({ encryption: [{ id: 'k1', key: key(1) }], lookup: key(2) });
    const sealedBefore = await old.seal('bank_account', '6222020200112233445');
    const rotated = await createPiiVault({
      encryption: [
        { id: 'k2', key: key(3) },
        { id: 'k1', key: key(1) },
      ],
      lookup: key(2),
    });
    expect(rotated.activeKeyId).toBe('k2');
    expect(await rotated.open('bank_account', sealedBefore)).toBe('6222020200112233445');
    expect(await rotated.seal('bank_account', 'x')).toMatch(/^v1\.k2\./);
    const withoutOld = await createPiiVault({ encryption: [{ id: 'k2', key: key(3) }], lookup: key(2) });
    await expect(withoutOld.open('bank_account', sealedBefore)).rejects.toThrow(/k1/);
  });

  it('refuses bad key material', async () => {
    await expect(createPiiVault({ encryption: [], lookup: key(2) })).rejects.toThrow(PiiKeyError);
    await expect(createPiiVault({ encryption: [{ id: 'k1', key: new Uint8Array(16) }], lookup: key(2) })).rejects.toThrow(/32 bytes/);
    await expect(
      createPiiVault({
        encryption: [
          { id: 'k1', key: key(1) },
          { id: 'k1', key: key(3) },
        ],
        lookup: key(2),
      }),
    ).rejects.toThrow(/twice/);
    await expect(createPiiVault({ encryption: [{ id: 'bad id', key: key(1) }], lookup: key(2) })).rejects.toThrow(/key id/);
    expect(() => parseKeyMaterial('nokey', 'x')).toThrow(PiiKeyError);
  });

  it('parses generated material', async () => {
    const generated = generateKeyMaterial('k2026');
    const vault = await createPiiVault(parseKeyMaterial(generated.PII_KEYS, generated.PII_LOOKUP_KEY));
    expect(vault.activeKeyId).toBe('k2026');
  });
});

describe('where the keys come from', () => {
  it('PostgreSQL requires them from the environment; the embedded default creates its own, owner-only, once', () => {
    expect(() => resolveKeyMaterial({ DATABASE_URL: 'postgresql://x@y/z', DATA_DIR: './data' })).toThrow(/PII_KEYS/);
    expect(() => resolveKeyMaterial({ PII_KEYS: generateKeyMaterial().PII_KEYS, DATA_DIR: './data' })).toThrow(/both/);
    const dir = mkdtempSync(join(tmpdir(), 'pii-keys-'));
    try {
      const first = resolveKeyMaterial({ DATA_DIR: dir });
      const file = join(dir, 'pii-keys.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const again = resolveKeyMaterial({ DATA_DIR: dir });
      expect(Buffer.from(again.lookup).equals(Buffer.from(first.lookup))).toBe(true);
      expect(readFileSync(file, 'utf8')).toContain('PII_KEYS');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
