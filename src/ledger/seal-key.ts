// The ledger's sealing key: HMAC-SHA256, derived with HKDF-SHA256 (info "ledger-seal/1") from the
// checkpoint signing seed, so no second secret is kept and, like that seed, it is never in the
// database. Process-wide: the Node service (and the CLIs that append) configure it once at start,
// and every append path seals with it; while it is not configured nothing is sealed.
/** Web Crypto's key type, named without the DOM library. */
export type SealKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

const INFO = new TextEncoder().encode('ledger-seal/1');

let configured: SealKey | null = null;

export async function deriveSealKey(seed: Uint8Array): Promise<SealKey> {
  const base = await crypto.subtle.importKey('raw', seed as Uint8Array<ArrayBuffer>, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: INFO },
    base,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign'],
  );
}

/** From now on every append in this process is sealed with `key` (null: none is). */
export function configureLedgerSeal(key: SealKey | null): void {
  configured = key;
}

/** The configured sealing key, or null when appends are not sealed. */
export function ledgerSealKey(): SealKey | null {
  return configured;
}
