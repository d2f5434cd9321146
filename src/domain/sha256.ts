// SHA-256 in hex, the same on Node, in Workers and in a browser: file fingerprints (bank files,
// imports), token hashes and request fingerprints. Web Crypto's digest is asynchronous and cannot
// be fed a file piece by piece; the audited pure-JS implementation (@noble/hashes) can, and is fast
// enough for what is hashed here (files of a few MiB, short secrets). The hash chains of the ledger
// and the audit trail keep Web Crypto (src/domain/chain-hash.ts).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

const bytesOf = (data: Uint8Array | string): Uint8Array => (typeof data === 'string' ? utf8ToBytes(data) : data);

/** The SHA-256 of bytes, or of a string's UTF-8, in lowercase hex. */
export function sha256Hex(data: Uint8Array | string): string {
  return bytesToHex(sha256(bytesOf(data)));
}

/** A SHA-256 fed piece by piece (a streamed file), read once at the end in lowercase hex. */
export function sha256Stream(): { update(data: Uint8Array | string): void; hex(): string } {
  const hash = sha256.create();
  return {
    update: (data) => {
      hash.update(bytesOf(data));
    },
    hex: () => bytesToHex(hash.digest()),
  };
}
