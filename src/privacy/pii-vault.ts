// Personal data at rest: identity numbers, bank account numbers, names and phone numbers are
// stored encrypted (AES-256-GCM) with a keyed hash (HMAC-SHA-256) beside them for exact lookup.
// Web Crypto only, so the same code runs on Node and on Workers.
//
// Key rotation without downtime: encryption keys carry ids; the first key encrypts, every listed
// key decrypts, and each sealed value names the key that sealed it. Deploy the new key first in
// the list (old ones still listed), re-seal at leisure, then drop the old key.
// The lookup key cannot rotate that way (hashes must stay comparable); rotating it means
// recomputing every hash, which is a planned maintenance step.

/** Which kind of value is sealed: bound into the ciphertext, so values cannot be swapped between fields. */
export type PiiField = 'identity_number' | 'bank_account' | 'name' | 'phone';

export interface PiiKeyMaterial {
  /** Encryption keys, newest first; ids are short labels such as `k2026a`. */
  encryption: { id: string; key: Uint8Array }[];
  lookup: Uint8Array;
}

export interface PiiVault {
  seal(field: PiiField, plaintext: string): Promise<string>;
  open(field: PiiField, sealed: string): Promise<string>;
  /** Keyed hash for exact lookup; the value is normalised by the caller. */
  lookupHash(field: PiiField, value: string): Promise<string>;
  /** The id of the key new values are sealed with. */
  activeKeyId: string;
}

type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

const FORMAT = 'v1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function copy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

export class PiiKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PiiKeyError';
  }
}

export async function createPiiVault(material: PiiKeyMaterial): Promise<PiiVault> {
  if (material.encryption.length === 0) throw new PiiKeyError('at least one encryption key is needed');
  if (material.lookup.length !== 32) throw new PiiKeyError('the lookup key must be 32 bytes');
  const keys = new Map<string, CryptoKey>();
  for (const { id, key } of material.encryption) {
    if (!KEY_ID.test(id)) throw new PiiKeyError(`key id "${id}" must be 1–32 letters, digits, - or _`);
    if (key.length !== 32) throw new PiiKeyError(`encryption key ${id} must be 32 bytes (AES-256)`);
    if (keys.has(id)) throw new PiiKeyError(`key id ${id} is listed twice`);
    keys.set(id, await crypto.subtle.importKey('raw', copy(key), 'AES-GCM', false, ['encrypt', 'decrypt']));
  }
  const hmac = await crypto.subtle.importKey('raw', copy(material.lookup), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const activeKeyId = (material.encryption[0] as { id: string }).id;
  const encoder = new TextEncoder();

  return {
    activeKeyId,
    async seal(field, plaintext) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const key = keys.get(activeKeyId) as CryptoKey;
      const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(field) }, key, encoder.encode(plaintext));
      return `${FORMAT}.${activeKeyId}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(ct))}`;
    },
    async open(field, sealed) {
      const [format, keyId, iv, ct] = sealed.split('.');
      if (format !== FORMAT || !keyId || !iv || !ct) throw new PiiKeyError('not a sealed value');
      const key = keys.get(keyId);
      if (!key) throw new PiiKeyError(`the key ${keyId} that sealed this value is not configured`);
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64Url(iv), additionalData: encoder.encode(field) }, key, fromBase64Url(ct));
      return new TextDecoder().decode(plain);
    },
    async lookupHash(field, value) {
      const mac = await crypto.subtle.sign('HMAC', hmac, encoder.encode(`${field}:${value}`));
      return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, '0')).join('');
    },
  };
}

/** Parses `PII_KEYS` (`id:base64,id:base64`, newest first) and `PII_LOOKUP_KEY` (base64). */
export function parseKeyMaterial(keys: string, lookup: string): PiiKeyMaterial {
  const decode = (b64: string, what: string) => {
    try {
      return fromBase64Url(b64.trim().replace(/\+/g, '-').replace(/\//g, '_'));
    } catch {
      throw new PiiKeyError(`${what} is not base64`);
    }
  };
  const encryption = keys.split(',').map((pair) => {
    const [id, b64] = pair.trim().split(':');
    if (!id || !b64) throw new PiiKeyError('PII_KEYS must look like id:base64key[,id:base64key…]');
    return { id, key: decode(b64, `PII_KEYS key ${id}`) };
  });
  return { encryption, lookup: decode(lookup, 'PII_LOOKUP_KEY') };
}

export function generateKeyMaterial(id = 'k1'): { PII_KEYS: string; PII_LOOKUP_KEY: string } {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const lookup = crypto.getRandomValues(new Uint8Array(32));
  return { PII_KEYS: `${id}:${toBase64Url(key)}`, PII_LOOKUP_KEY: toBase64Url(lookup) };
}
