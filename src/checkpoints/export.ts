// The kept checkpoints handed out whole, for an auditor to hold outside the service: JSON lines (one
// checkpoint per line, the files' exact text) or a zip of the files themselves.
import JSZip from 'jszip';
import type { CheckpointFile } from './archive.ts';

export function checkpointsAsJsonLines(files: readonly CheckpointFile[]): string {
  return files.map((f) => `${f.text.trim()}\n`).join('');
}

export async function checkpointsAsZip(files: readonly CheckpointFile[]): Promise<Uint8Array> {
  const zip = new JSZip();
  // A fixed date: the same checkpoints always give the same archive bytes.
  for (const f of files) zip.file(f.name, f.text, { date: new Date(Date.UTC(2026, 0, 1)) });
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}
