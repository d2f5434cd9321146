// The bytes of an intake file → text. UTF-8 (with or without a byte-order mark) or GBK, as a
// spreadsheet saves a CSV on Chinese Windows ("CSV (逗号分隔)"). Without an explicit encoding the
// bytes decide: valid UTF-8 is UTF-8, anything else is read as GBK. GBK is decoded with the GB18030
// table, its superset: identical for every GBK byte sequence, and it also reads the rarer characters
// of some names that plain GBK lacks.
import iconv from 'iconv-lite';
import { ImportFileError } from './errors.ts';

export type ImportEncoding = 'utf-8' | 'gbk';

export interface DecodedFile {
  text: string;
  encoding: ImportEncoding;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function refuseNonText(bytes: Uint8Array): void {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) {
    throw new ImportFileError('not_csv', 'encoding', { cause: 'workbook' });
  }
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    throw new ImportFileError('unsupported_encoding', 'encoding');
  }
  if (bytes.includes(0)) {
    throw new ImportFileError('not_csv', '(body)', { cause: 'binary' });
  }
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

function decodeGbk(bytes: Uint8Array): string | null {
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030');
  return text.includes('\ufffd') ? null : text;
}

/** Decodes the file, or refuses it (400) naming the encoding. `given` is the caller's explicit choice. */
export function decodeImportFile(bytes: Uint8Array, given?: ImportEncoding): DecodedFile {
  refuseNonText(bytes);
  const hasBom = startsWith(bytes, UTF8_BOM);
  if (given === 'utf-8' || (given === undefined && hasBom)) {
    const text = decodeUtf8(bytes);
    if (text === null) {
      throw new ImportFileError('invalid_encoding', 'encoding', { tried: 'utf-8' });
    }
    return { text, encoding: 'utf-8' };
  }
  if (given === undefined) {
    const text = decodeUtf8(bytes);
    if (text !== null) return { text, encoding: 'utf-8' };
  }
  const text = decodeGbk(hasBom ? bytes.subarray(3) : bytes);
  if (text === null) {
    throw new ImportFileError('invalid_encoding', 'encoding', { tried: given === 'gbk' ? 'gbk' : 'either' });
  }
  return { text, encoding: 'gbk' };
}
