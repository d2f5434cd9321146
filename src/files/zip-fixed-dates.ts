// A zip archive written again with every entry dated 1 January 1980 (the first date a zip can hold),
// in the same order: exceljs's zip writer stamps each entry with the time of writing, so the same
// workbook written a second later differs in its bytes. Files that must hash the same every time
// they are made (the disclosure report's XLSX) pass through here.
import JSZip from 'jszip';

const ZIP_EPOCH = new Date(Date.UTC(1980, 0, 1));

export async function withFixedZipDates(bytes: Uint8Array): Promise<Uint8Array> {
  const source = await JSZip.loadAsync(bytes);
  const target = new JSZip();
  for (const [name, entry] of Object.entries(source.files)) {
    if (entry.dir) continue;
    target.file(name, await entry.async('uint8array'), { date: ZIP_EPOCH, createFolders: false });
  }
  return target.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}
