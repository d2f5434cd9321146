// The backup file's own checks, before any database is involved: only a file of the format, with a
// readable manifest, and a payload of exactly the manifest's size and SHA-256, is accepted.
import { describe, expect, it } from 'vitest';
import { BackupFileError, backupManifest, decodeBackup, encodeBackup } from '../../src/backup/backup-file.ts';

const payload = new TextEncoder().encode('rows of every table\n'.repeat(50));
const manifest = backupManifest(
  {
    migrations: [{ name: '20261126111526_init', checksum: 'a'.repeat(64) }],
    ledgerHead: { sequence: '7', hash: 'b'.repeat(64) },
    auditHead: null,
    tables: [{ name: 'student', rows: 3 }],
  },
  'table-rows',
  payload,
  new Date('2026-12-08T01:02:03Z'),
);
const file = encodeBackup(manifest, payload);

function refusal(bytes: Uint8Array): BackupFileError {
  try {
    decodeBackup(bytes);
  } catch (error) {
    if (error instanceof BackupFileError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('the backup file', () => {
  it('gives back the manifest and the payload it was made from', () => {
    const decoded = decodeBackup(file);
    expect(decoded.manifest).toEqual(manifest);
    expect(decoded.manifest.lastMigration).toBe('20261126111526_init');
    expect(Buffer.from(decoded.payload).equals(Buffer.from(payload))).toBe(true);
  });

  it('refuses what is not a backup, a cut manifest and an unreadable one', () => {
    expect(refusal(new TextEncoder().encode('PK\u0003\u0004 a zip file')).en).toContain('not a backup file');
    expect(refusal(file.subarray(0, 60)).en).toContain('truncated (in its manifest)');
    const text = Buffer.from(file).toString('latin1').replace('"format"', '"format');
    expect(refusal(Buffer.from(text, 'latin1')).en).toContain('cannot be read');
  });

  it('refuses a payload cut short, one longer than said, and one with a byte changed', () => {
    expect(refusal(file.subarray(0, file.length - 1)).zh).toContain('被截断');
    const longer = new Uint8Array(file.length + 1);
    longer.set(file);
    expect(refusal(longer).en).toContain('SHA-256');
    const changed = Uint8Array.from(file);
    changed[changed.length - 3] = (changed[changed.length - 3] as number) ^ 1;
    expect(refusal(changed).zh).toContain('SHA-256 与清单不符');
  });

  it('refuses a manifest whose payload size was edited', () => {
    const edited = encodeBackup({ ...manifest, payload: { ...manifest.payload, bytes: manifest.payload.bytes - 1 } }, payload);
    expect(refusal(edited).en).toContain('SHA-256');
  });
});
