// Bytes to text for the XML parser, chunk by chunk. saxes only takes strings, and a multi-byte
// character may be split across two chunks, so decoding must be streaming. The encoding is taken
// from a byte-order mark or the XML declaration (ISO 20022 says UTF-8; some banks still declare
// others), and decoding is strict: a wrong byte is an error, not a silent U+FFFD in a name.
import { concatBytes } from '../bytes.ts';
import { CamtFormatError } from './errors.ts';

/** The global TextDecoder (the very class Node's util module exports), as a type. */
type Decoder = InstanceType<typeof TextDecoder>;

/** How many bytes to wait for before giving up on finding the end of the XML declaration. */
const SNIFF_LIMIT = 1024;

export async function* decodeXmlChunks(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  let decoder: Decoder | undefined;
  let label = 'utf-8';
  let head: Uint8Array = new Uint8Array(0);

  const decode = (bytes: Uint8Array, stream: boolean): string => {
    try {
      return (decoder as Decoder).decode(bytes, { stream });
    } catch (err) {
      throw new CamtFormatError(`the bytes are not valid ${label}`, {}, { cause: err });
    }
  };

  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      // Already text: nothing to decode. Bytes held back for sniffing go first, to keep the order.
      if (decoder === undefined && head.length > 0) ({ decoder, label } = chooseDecoder(head));
      if (head.length > 0) yield decode(head, true);
      head = new Uint8Array(0);
      if (chunk.length > 0) yield chunk;
      continue;
    }
    if (decoder !== undefined) {
      const text = decode(chunk, true);
      if (text.length > 0) yield text;
      continue;
    }
    head = concatBytes(head, chunk);
    if (!headIsDecidable(head)) continue;
    ({ decoder, label } = chooseDecoder(head));
    const text = decode(head, true);
    head = new Uint8Array(0);
    if (text.length > 0) yield text;
  }
  if (decoder === undefined) {
    if (head.length === 0) return;
    ({ decoder, label } = chooseDecoder(head));
    const text = decode(head, true);
    if (text.length > 0) yield text;
  }
  const rest = decode(new Uint8Array(0), false);
  if (rest.length > 0) yield rest;
}

/** Enough bytes to see a byte-order mark or the whole XML declaration. */
function headIsDecidable(head: Uint8Array): boolean {
  if (head.length >= SNIFF_LIMIT) return true;
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) return true;
  return head.includes(0x3e); // '>' ends the declaration (or the first tag, when there is none)
}

function chooseDecoder(head: Uint8Array): { decoder: Decoder; label: string } {
  const label = encodingLabel(head);
  try {
    return { decoder: new TextDecoder(label, { fatal: true }), label };
  } catch (err) {
    throw new CamtFormatError(`the declared encoding "${label}" is not supported`, { line: 1 }, { cause: err });
  }
}

function encodingLabel(head: Uint8Array): string {
  const [b0, b1, b2, b3] = head;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return 'utf-8';
  if (b0 === 0xff && b1 === 0xfe) return 'utf-16le';
  if (b0 === 0xfe && b1 === 0xff) return 'utf-16be';
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x3f && b3 === 0x00) return 'utf-16le';
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00 && b3 === 0x3f) return 'utf-16be';
  // The declaration is ASCII in every ASCII-compatible encoding, so latin1 reads it safely.
  const start = new TextDecoder('latin1').decode(head.subarray(0, SNIFF_LIMIT));
  const m = /^<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/.exec(start);
  const declared = m?.[1]?.toLowerCase() ?? 'utf-8';
  // A declaration we could read as ASCII cannot be UTF-16 (that needs a BOM or 0x00 bytes): the
  // declaration is wrong, the bytes are one-byte-per-ASCII, and UTF-8 is the ISO 20022 encoding.
  return declared.startsWith('utf-16') ? 'utf-8' : declared;
}
