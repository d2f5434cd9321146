// The ledger's sealing key: 32 bytes derived with HKDF-SHA256 (info "ledger-seal/1") from the
// checkpoint signing seed, so no second secret is kept and, like that seed, it is never in the
// database. Process-wide: the Node service (and the CLIs that append) configure it once at start,
// and every append path seals with it; while it is not configured nothing is sealed.
const INFO = new TextEncoder().encode('ledger-seal/1');

/** The HMAC key's bytes (seal.ts computes the MAC synchronously, inside the serialised append). */
export type SealKey = Uint8Array;

let configured: SealKey | null = null;

export async function deriveSealKey(seed: Uint8Array): Promise<SealKey> {
  const base = await crypto.subtle.importKey('raw', seed as Uint8Array<ArrayBuffer>, 'HKDF', false, ['deriveBits']);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: INFO }, base, 256));
}

/** From now on every append in this process is sealed with `key` (null: none is). */
export function configureLedgerSeal(key: SealKey | null): void {
  configured = key;
}

/** The configured sealing key, or null when appends are not sealed. */
export function ledgerSealKey(): SealKey | null {
  return configured;
}
