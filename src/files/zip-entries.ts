// How large a zip archive (an .xlsx workbook is one) would be once unpacked, read from its central
// directory alone, before anything is inflated: a few kilobytes that unpack to gigabytes (a zip
// bomb) are refused by the caller on these numbers. Pure; null when the bytes are not a zip this
// reader understands (no end record, a ZIP64 archive, entries past the end) — refuse those too.
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
/** The end record is 22 bytes, followed by a comment of at most 65,535. */
const END_SEARCH = 22 + 0xffff;

export interface ZipSize {
  entries: number;
  unpackedBytes: number;
}

export function zipSize(bytes: Uint8Array): ZipSize | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - END_SEARCH); i--) {
    if (view.getUint32(i, true) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const entries = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  // 0xffff / 0xffffffff mark a ZIP64 archive, which no spreadsheet list needs.
  if (entries === 0xffff || at === 0xffffffff) return null;
  let unpackedBytes = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_DIRECTORY_ENTRY) return null;
    const unpacked = view.getUint32(at + 24, true);
    if (unpacked === 0xffffffff) return null;
    unpackedBytes += unpacked;
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return { entries, unpackedBytes };
}
