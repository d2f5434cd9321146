// Passwords of the people who sign in to the pages, stored as PBKDF2-SHA256 hashes through Web
// Crypto, so that the same code runs on Node and on Workers (neither offers a memory-hard KDF
// natively in both). OWASP's Password Storage Cheat Sheet asks for at least 600,000 iterations of
// PBKDF2-HMAC-SHA256; the parameters are stored with every hash, so raising them later needs no
// migration: a hash with fewer iterations than the current policy is re-made at the next sign-in.
//
// Stored form: `pbkdf2-sha256$<iterations>$<salt, base64>$<derived key, base64>` (16-byte salt,
// 32-byte key).

export const PASSWORD_HASH_SCHEME = 'pbkdf2-sha256';
/** The policy for new hashes. */
export const PASSWORD_ITERATIONS = 600_000;
/** Below this, a stored hash is refused outright (tests may use fewer, never below this floor). */
const MIN_ITERATIONS = 1_000;
const SALT_BYTES = 16;
const KEY_BITS = 256;

export interface PasswordHashParts {
  iterations: number;
  salt: Uint8Array;
  key: Uint8Array;
}

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(password.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as Uint8Array<ArrayBuffer>, iterations }, material, KEY_BITS);
  return new Uint8Array(bits);
}

/** A new hash of `password` with a fresh random salt. */
export async function hashPassword(password: string, iterations = PASSWORD_ITERATIONS): Promise<string> {
  if (!Number.isInteger(iterations) || iterations < MIN_ITERATIONS) throw new RangeError(`PBKDF2 needs at least ${MIN_ITERATIONS} iterations`);
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const key = await derive(password, salt, iterations);
  return [PASSWORD_HASH_SCHEME, String(iterations), toBase64(salt), toBase64(key)].join('$');
}

/** The parts of a stored hash, or null when it is not one this code wrote. */
export function parsePasswordHash(stored: string): PasswordHashParts | null {
  const parts = stored.split('$');
  if (parts.length !== 4 || parts[0] !== PASSWORD_HASH_SCHEME || !/^\d{4,9}$/.test(parts[1] ?? '')) return null;
  const iterations = Number(parts[1]);
  if (iterations < MIN_ITERATIONS) return null;
  try {
    const salt = fromBase64(parts[2] ?? '');
    const key = fromBase64(parts[3] ?? '');
    if (salt.length !== SALT_BYTES || key.length !== KEY_BITS / 8) return null;
    return { iterations, salt, key };
  } catch {
    return null;
  }
}

/** Compares every byte whatever the first difference, so the time taken tells nothing. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] as number) ^ (b[i] as number);
  return difference === 0;
}

/** Whether `password` matches the stored hash; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = parsePasswordHash(stored);
  if (!parts) return false;
  return sameBytes(await derive(password, parts.salt, parts.iterations), parts.key);
}

/** True when the stored hash was made with weaker parameters than the current policy. */
export function needsRehash(stored: string, iterations = PASSWORD_ITERATIONS): boolean {
  const parts = parsePasswordHash(stored);
  return !parts || parts.iterations < iterations;
}

/** Why a new password is refused (null when acceptable): long enough, and not only one kind of character repeated. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < 12) return '密码至少12个字符 (at least 12 characters)';
  if (length > 200) return '密码至多200个字符 (at most 200 characters)';
  if (new Set(password).size < 4) return '密码过于简单 (too simple: use more different characters)';
  return null;
}
