// The backup file: a line naming the format, a line of manifest (JSON), then the payload's bytes.
// The manifest says what the payload must restore to — when it was taken, the migrations the
// database was built by, both hash chains' heads, every table's row count — and the payload's size
// and SHA-256, so a truncated or edited file is refused before anything is restored. It never holds
// the personal-data keys: the sealed values in the payload cannot be opened without them.
import { sha256Hex } from '../domain/sha256.ts';

export const BACKUP_FORMAT = 'scholarship-ledger-backup/1';

/**
 * `table-rows`: every table's rows and the sequences, gzip-compressed JSON lines (the embedded
 * database, taken through the running service); `pg-dump`: a `pg_dump --format=custom` archive.
 */
export const PAYLOAD_KINDS = ['table-rows', 'pg-dump'] as const;
export type PayloadKind = (typeof PAYLOAD_KINDS)[number];

export interface ChainHeadAt {
  sequence: string;
  hash: string;
}

export interface DatabaseSummary {
  migrations: { name: string; checksum: string }[];
  ledgerHead: ChainHeadAt | null;
  auditHead: ChainHeadAt | null;
  tables: { name: string; rows: number }[];
}

export interface BackupManifest extends DatabaseSummary {
  format: typeof BACKUP_FORMAT;
  takenAt: string;
  /** The newest migration the database had: a restore migrates forward from it. */
  lastMigration: string | null;
  payload: { kind: PayloadKind; bytes: number; sha256: string };
}

/** Why a file cannot be restored, in Chinese with English beside. */
export class BackupFileError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh} ${en}`);
  }
}

/** `payload`: its bytes, or (a dump on disk) their size and SHA-256. */
export function backupManifest(
  summary: DatabaseSummary,
  kind: PayloadKind,
  payload: Uint8Array | { bytes: number; sha256: string },
  takenAt: Date,
): BackupManifest {
  const facts = payload instanceof Uint8Array ? { bytes: payload.length, sha256: sha256Hex(payload) } : payload;
  return {
    format: BACKUP_FORMAT,
    takenAt: takenAt.toISOString(),
    lastMigration: summary.migrations.at(-1)?.name ?? null,
    ...summary,
    payload: { kind, ...facts },
  };
}

export function encodeBackup(manifest: BackupManifest, payload: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(`${BACKUP_FORMAT}\n${JSON.stringify(manifest)}\n`);
  const file = new Uint8Array(head.length + payload.length);
  file.set(head, 0);
  file.set(payload, head.length);
  return file;
}

const NEWLINE = 10;

/** The manifest, and where the payload starts, from the file's first bytes (its first two lines). */
export function parseBackupHead(head: Uint8Array): { manifest: BackupManifest; payloadStart: number } {
  const firstEnd = head.indexOf(NEWLINE);
  const secondEnd = firstEnd < 0 ? -1 : head.indexOf(NEWLINE, firstEnd + 1);
  const decoder = new TextDecoder();
  if (firstEnd < 0 || decoder.decode(head.subarray(0, firstEnd)) !== BACKUP_FORMAT) {
    throw new BackupFileError('不是本系统的备份文件。', `not a backup file of this service (${BACKUP_FORMAT}).`);
  }
  if (secondEnd < 0) throw new BackupFileError('备份文件不完整（清单被截断）。', 'the backup file is truncated (in its manifest).');
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(decoder.decode(head.subarray(firstEnd + 1, secondEnd))) as BackupManifest;
  } catch {
    throw new BackupFileError('备份清单无法读取（文件被改动）。', 'the manifest cannot be read (the file was altered).');
  }
  const kind = manifest?.payload?.kind;
  if (manifest?.format !== BACKUP_FORMAT || !PAYLOAD_KINDS.includes(kind) || !Number.isSafeInteger(manifest.payload.bytes)) {
    throw new BackupFileError('备份清单不完整（文件被改动）。', 'the manifest is incomplete (the file was altered).');
  }
  return { manifest, payloadStart: secondEnd + 1 };
}

/** Throws unless the payload read has the manifest's size and SHA-256. */
export function checkPayload(manifest: BackupManifest, bytes: number, sha256: string): void {
  if (bytes < manifest.payload.bytes) {
    throw new BackupFileError(
      `备份文件不完整：内容应有 ${manifest.payload.bytes} 字节，只有 ${bytes} 字节（被截断）。`,
      `the backup file is truncated: its payload should have ${manifest.payload.bytes} bytes, it has ${bytes}.`,
    );
  }
  if (bytes !== manifest.payload.bytes || sha256 !== manifest.payload.sha256) {
    throw new BackupFileError(
      '备份内容的 SHA-256 与清单不符：文件被改动或损坏。',
      'the payload’s SHA-256 is not the manifest’s: the file was altered or damaged.',
    );
  }
}

/** The manifest and the payload of a whole file held in memory, once the payload is the manifest's. */
export function decodeBackup(file: Uint8Array): { manifest: BackupManifest; payload: Uint8Array } {
  const { manifest, payloadStart } = parseBackupHead(file);
  const payload = file.subarray(payloadStart);
  checkPayload(manifest, payload.length, sha256Hex(payload));
  return { manifest, payload };
}
