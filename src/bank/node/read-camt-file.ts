// A camt file by its path, collected whole: for small files, tests and tools. Apart from the
// reader because it opens the file with node:fs; the reader itself takes any stream of bytes.
import { createReadStream } from 'node:fs';
import { collectCamt } from '../camt/collect.ts';
import type { CamtDocument } from '../camt/types.ts';

export function readCamtFile(path: string): Promise<CamtDocument> {
  return collectCamt(createReadStream(path, { highWaterMark: 64 * 1024 }));
}
