// Byte helpers the streaming readers share: each holds back the first bytes of a file (to sniff a
// byte-order mark, an XML declaration or an encoding) until it has seen enough of them.

/** `a` followed by `b`; `b` itself when `a` is empty, so the common first chunk is not copied. */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
