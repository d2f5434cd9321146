// Secrets handed to people or machines (API tokens, session cookies, set-password links): random
// bytes from Web Crypto, written base64url without padding (RFC 4648 §5) so they travel in
// headers, cookies and URL paths unescaped. Only their SHA-256 is ever stored.

/** Bytes as base64url without padding. */
export function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** `bytes` random bytes (default 32: 256 bits), base64url. */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}
