// Bytes to text, chunk by chunk, for a bank CSV in UTF-8 (with or without BOM) or GBK.
//
// Detection without reading the whole file first: ASCII reads the same in both encodings, so it
// is passed through until the first byte ≥ 0x80; from there up to SNIFF_BYTES more bytes are
// held, and if they are valid UTF-8 the file is UTF-8, otherwise GBK. (A few hundred bytes of GBK
// Chinese that happen to be valid UTF-8 do not occur in practice: GBK's lead bytes 0xB0–0xF7 are
// mostly UTF-8 continuation bytes or need continuations GBK's trail bytes rarely provide.)
//
// GBK is decoded as GB18030, its superset: identical for every GBK byte sequence, and it also
// reads the rarer characters of some names — with the platform's TextDecoder where it has one,
// else iconv-lite. Both streaming decoders keep a multi-byte character split across two chunks. Neither decoder throws: an undecodable byte
// becomes U+FFFD, which the reader refuses with the line it is on (a fatal decoder could not say
// which line).
import iconv from 'iconv-lite';
import { concatBytes } from '../bytes.ts';
import { CsvStatementError } from './errors.ts';
import type { CsvEncodingChoice } from './mapping.ts';

/** Bytes after the first non-ASCII byte looked at before choosing UTF-8 or GBK. */
export const SNIFF_BYTES = 1024;

export type DecoderEncoding = 'utf-8' | 'gb18030';

interface ChunkDecoder {
  write(bytes: Uint8Array): string;
  end(): string;
}

export class StatementDecoder {
  /** The encoding in use; undefined while the file has been pure ASCII so far. */
  encoding: DecoderEncoding | undefined;
  /** True when the caller named the encoding (errors then say "not valid GBK", not "neither"). */
  readonly explicit: boolean;

  private decoder: ChunkDecoder | undefined;
  private held: Uint8Array = new Uint8Array(0);
  private offset = 0;
  private signatureChecked = false;

  constructor(
    choice: CsvEncodingChoice,
    private readonly fileName?: string,
  ) {
    this.explicit = choice !== 'auto';
    if (choice === 'utf-8') this.encoding = 'utf-8';
    else if (choice === 'gbk' || choice === 'gb18030') this.encoding = 'gb18030';
  }

  write(chunk: Uint8Array): string {
    if (this.decoder !== undefined) return this.decoder.write(chunk);
    this.held = concatBytes(this.held, chunk);
    if (!this.signatureChecked) {
      if (this.held.length < 4) return '';
      this.checkSignature();
    }
    return this.advance(false);
  }

  end(): string {
    let text = '';
    if (this.decoder === undefined) {
      if (!this.signatureChecked && this.held.length > 0) this.checkSignature();
      text = this.advance(true);
    }
    return this.decoder === undefined ? text : text + this.decoder.end();
  }

  /** Passes ASCII through, or chooses the decoder once enough bytes after the first non-ASCII one are held. */
  private advance(final: boolean): string {
    const held = this.held;
    if (this.encoding !== undefined) {
      // Explicit: decide at once, after the signature check (which needed the first bytes).
      return this.start(this.encoding, held);
    }
    const first = firstNonAscii(held);
    if (first < 0) {
      this.offset += held.length;
      this.held = new Uint8Array(0);
      return latin1(held);
    }
    if (!final && held.length - first < SNIFF_BYTES) return '';
    const ascii = latin1(held.subarray(0, first));
    this.offset += first;
    const rest = held.subarray(first);
    // Judge the first SNIFF_BYTES only: a later mix of encodings is the reader's error to report, at its line.
    const window = rest.length > SNIFF_BYTES ? rest.subarray(0, SNIFF_BYTES) : rest;
    return ascii + this.start(isUtf8Prefix(window, final && window === rest) ? 'utf-8' : 'gb18030', rest);
  }

  private start(encoding: DecoderEncoding, bytes: Uint8Array): string {
    this.encoding = encoding;
    this.held = new Uint8Array(0);
    let body = bytes;
    const bomHere = this.offset === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    if (bomHere) {
      if (encoding !== 'utf-8') {
        const why = this.explicit
          ? 'the file starts with a UTF-8 byte-order mark, but its encoding was given as GBK'
          : 'the file starts with a UTF-8 byte-order mark, but its bytes are not valid UTF-8';
        throw new CsvStatementError('encoding', why, { line: 1, fileName: this.fileName });
      }
      body = bytes.subarray(3);
    }
    this.decoder = encoding === 'utf-8' ? utf8Decoder() : gb18030Decoder();
    return this.decoder.write(body);
  }

  private checkSignature(): void {
    this.signatureChecked = true;
    const b = this.held;
    const fail = (why: string): never => {
      throw new CsvStatementError('not-csv', why, { line: 1, fileName: this.fileName });
    };
    if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) {
      fail('the file is an Excel workbook (.xlsx, a zip archive), not CSV: save it as CSV (逗号分隔) first');
    }
    if (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) {
      fail('the file is an Excel 97-2003 workbook (.xls), not CSV: save it as CSV (逗号分隔) first');
    }
    if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) {
      fail('the file is UTF-16 (e.g. Excel "Unicode text"); save it as "CSV UTF-8" or "CSV (逗号分隔)"');
    }
  }
}

function utf8Decoder(): ChunkDecoder {
  // ignoreBOM: the byte-order mark is removed above, and only at the start of the file.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  return {
    write: (bytes) => decoder.decode(bytes, { stream: true }),
    end: () => decoder.decode(),
  };
}

function gb18030Decoder(): ChunkDecoder {
  // The platform's decoder (WHATWG Encoding Standard gb18030, native code) is about four times
  // faster than iconv-lite's; iconv-lite remains for runtimes built without it.
  const native = nativeGb18030();
  if (native !== undefined) {
    return {
      write: (bytes) => native.decode(bytes, { stream: true }),
      end: () => native.decode(),
    };
  }
  const decoder = iconv.getDecoder('gb18030', { stripBOM: false });
  return {
    write: (bytes) => decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
    end: () => decoder.end() ?? '',
  };
}

function nativeGb18030(): InstanceType<typeof TextDecoder> | undefined {
  try {
    return new TextDecoder('gb18030');
  } catch {
    return undefined; // a runtime without ICU's legacy encodings
  }
}

/**
 * True when the bytes are UTF-8, allowing an incomplete last character unless `final` (at the
 * end of the file an incomplete character is an error).
 */
function isUtf8Prefix(bytes: Uint8Array, final: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, { stream: !final });
    return true;
  } catch {
    return false;
  }
}

function firstNonAscii(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) >= 0x80) return i;
  return -1;
}

function latin1(bytes: Uint8Array): string {
  return bytes.length === 0 ? '' : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
