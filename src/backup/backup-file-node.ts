// Backup files on disk: written whole or not at all (a `.partial` file renamed into place), never
// over an existing file; read with the payload checked as a stream, so a PostgreSQL dump of any
// size is checked without holding it in memory.
import { once } from 'node:events';
import { closeSync, createReadStream, createWriteStream, existsSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { sha256Stream } from '../domain/sha256.ts';
import { BACKUP_FORMAT, type BackupManifest, checkPayload, parseBackupHead } from './backup-file.ts';

export class BackupTargetExistsError extends Error {}

/** Writes the file from its manifest and its payload (bytes, or a file holding them). */
export async function writeBackupFile(out: string, manifest: BackupManifest, payload: Uint8Array | { file: string }): Promise<void> {
  if (existsSync(out)) throw new BackupTargetExistsError(`${out} 已存在，不覆盖 already exists; not overwritten`);
  const partial = `${out}.partial`;
  try {
    const stream = createWriteStream(partial, { mode: 0o600 });
    stream.write(`${BACKUP_FORMAT}\n${JSON.stringify(manifest)}\n`);
    if (payload instanceof Uint8Array) {
      stream.end(payload);
      await once(stream, 'finish');
    } else {
      await pipeline(createReadStream(payload.file), stream);
    }
    renameSync(partial, out);
  } finally {
    rmSync(partial, { force: true });
  }
}

/** Size and SHA-256 of a file's bytes from `start` on, read as a stream. */
export async function hashFileFrom(file: string, start = 0): Promise<{ bytes: number; sha256: string }> {
  const hash = sha256Stream();
  let bytes = 0;
  for await (const chunk of createReadStream(file, { start })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.hex() };
}

/** A manifest is a few kilobytes; a head this long that holds none is no backup file. */
const HEAD_BYTES = 4 * 1024 * 1024;

/** The file's manifest and where its payload starts, once the payload is checked against the manifest. */
export async function readBackupFile(file: string): Promise<{ manifest: BackupManifest; payloadStart: number }> {
  const head = Buffer.alloc(Math.min(HEAD_BYTES, statSync(file).size));
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const { manifest, payloadStart } = parseBackupHead(head);
  const read = await hashFileFrom(file, payloadStart);
  checkPayload(manifest, read.bytes, read.sha256);
  return { manifest, payloadStart };
}

/** Copies the payload to a file of its own (pg_restore reads a file). */
export async function copyPayload(file: string, payloadStart: number, to: string): Promise<void> {
  await pipeline(createReadStream(file, { start: payloadStart }), createWriteStream(to, { mode: 0o600 }));
}
