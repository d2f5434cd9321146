// Reading and writing the demo snapshot's file (Node).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { projectRootOf } from '../../db/project-root-node.ts';
import { SNAPSHOT_PATH } from './snapshot-format.ts';
import { type SnapshotContent, parseSnapshotLines, snapshotLines } from './take-snapshot.ts';

export function snapshotFile(): string {
  return join(projectRootOf(import.meta.url), SNAPSHOT_PATH);
}

/** The snapshot, or null when the installation has none. */
export function readSnapshot(file = snapshotFile()): SnapshotContent | null {
  if (!existsSync(file)) return null;
  return parseSnapshotLines(gunzipSync(readFileSync(file)).toString('utf8'));
}

export function writeSnapshot(content: SnapshotContent, file = snapshotFile()): number {
  mkdirSync(dirname(file), { recursive: true });
  // mtime 0 in the gzip header, so the same content always makes the same bytes.
  const bytes = gzipSync(Buffer.from(snapshotLines(content), 'utf8'), { level: 9 });
  writeFileSync(file, bytes);
  return bytes.length;
}
