// Which reader a file needs, from its first non-blank character: camt is XML and starts with "<"
// (after a byte-order mark and whitespace); a bank CSV never does. The chunks looked at are handed
// on unchanged, so the reader (and the hash before it) sees every byte once.
import { concatBytes } from '../bytes.ts';

export type SniffedKind = 'xml' | 'text' | 'empty';

export interface Sniffed {
  kind: SniffedKind;
  /** The whole source again, from its first byte. */
  source: AsyncIterable<Uint8Array | string>;
}

export async function sniffSource(source: AsyncIterable<Uint8Array | string>): Promise<Sniffed> {
  const iterator = source[Symbol.asyncIterator]();
  const held: (Uint8Array | string)[] = [];
  let kind: SniffedKind = 'empty';
  let bytes: Uint8Array = new Uint8Array(0);
  let text = '';
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) break;
    held.push(next.value);
    if (typeof next.value === 'string') text += next.value;
    else bytes = concatBytes(bytes, next.value);
    const first = firstCharacter(bytes, text);
    if (first !== undefined) {
      kind = first === '<' ? 'xml' : 'text';
      break;
    }
  }
  return { kind, source: replay(held, iterator) };
}

/** The first character that is not a byte-order mark or whitespace, or undefined when none yet. */
function firstCharacter(bytes: Uint8Array, text: string): string | undefined {
  let decoded = text;
  if (bytes.length > 0) {
    // A byte-order mark may arrive split across chunks: wait for the whole of it.
    if (isPrefixOf(bytes, UTF8_BOM) || isPrefixOf(bytes, [0xff, 0xfe]) || isPrefixOf(bytes, [0xfe, 0xff])) return undefined;
    // UTF-16 (with a BOM) must be read as such; every other encoding a bank uses is ASCII-compatible,
    // so latin1 shows its first ASCII character as it is.
    if (bytes[0] === 0xff && bytes[1] === 0xfe) decoded = new TextDecoder('utf-16le').decode(bytes);
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) decoded = new TextDecoder('utf-16be').decode(bytes);
    else {
      const body = startsWith(bytes, UTF8_BOM) ? bytes.subarray(3) : bytes;
      decoded = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
    }
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL padding before the content is skipped on purpose
  const m = /[^\s\ufeff\u0000]/.exec(decoded);
  return m?.[0];
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** `bytes` is shorter than `mark` and is its beginning. */
function isPrefixOf(bytes: Uint8Array, mark: readonly number[]): boolean {
  return bytes.length < mark.length && bytes.every((b, i) => b === mark[i]);
}

function startsWith(bytes: Uint8Array, mark: readonly number[]): boolean {
  return bytes.length >= mark.length && mark.every((b, i) => bytes[i] === b);
}

async function* replay(held: (Uint8Array | string)[], iterator: AsyncIterator<Uint8Array | string>): AsyncGenerator<Uint8Array | string> {
  try {
    yield* held;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    // A reader that stops early (an error) lets the underlying stream close.
    await iterator.return?.();
  }
}
