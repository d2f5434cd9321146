// Where the personal-data keys come from (Node): the environment in production; for the embedded
// default, a key file created beside the data on first start, readable by the owner only.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type PiiKeyMaterial, PiiKeyError, generateKeyMaterial, parseKeyMaterial } from './pii-vault.ts';

export function resolveKeyMaterial(config: {
  PII_KEYS?: string | undefined;
  PII_LOOKUP_KEY?: string | undefined;
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
}): PiiKeyMaterial {
  if (config.PII_KEYS && config.PII_LOOKUP_KEY) return parseKeyMaterial(config.PII_KEYS, config.PII_LOOKUP_KEY);
  if (config.PII_KEYS || config.PII_LOOKUP_KEY) throw new PiiKeyError('set both PII_KEYS and PII_LOOKUP_KEY, or neither');
  if (config.DATABASE_URL) {
    throw new PiiKeyError('PII_KEYS and PII_LOOKUP_KEY are required with DATABASE_URL (see README, "Production")');
  }
  const dir = resolve(config.DATA_DIR);
  const file = join(dir, 'pii-keys.json');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(generateKeyMaterial(), null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { PII_KEYS: string; PII_LOOKUP_KEY: string };
  return parseKeyMaterial(stored.PII_KEYS, stored.PII_LOOKUP_KEY);
}
