// A backup of the whole database, taken through the running service: the embedded database's
// data directory is held by the service, so `npm run backup` asks the service for it. It holds
// every organisation's rows (personal data sealed), so only the platform's admins may take one, and
// each is audited with the file's SHA-256 and chain heads, so a file found later can be matched to
// who took it. The audit row is written after the backup's own transaction: the audit chain is
// extended at commit, so a row written inside it would be in the backup without its chain row.
import { takeTableRowsBackup } from '../backup/take-table-rows-backup.ts';
import { ForbiddenError } from '../domain/errors.ts';
import { recordAudit } from './audit.ts';
import type { ServiceContext } from './context.ts';
import { requirePermission } from './scope.ts';

export interface DatabaseBackupFile {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

export const BACKUP_CONTENT_TYPE = 'application/octet-stream';

export async function takeDatabaseBackup({ ctx }: { ctx: ServiceContext; input?: unknown }): Promise<DatabaseBackupFile> {
  requirePermission(ctx.actor, 'database.backup');
  if (ctx.actor.organisationKind !== 'platform') throw new ForbiddenError('back up the database outside the platform organisation');
  const { manifest, file } = await takeTableRowsBackup(ctx.db);
  await recordAudit(ctx.db, ctx, {
    action: 'database.backup',
    recordType: 'database',
    recordId: 'backup',
    after: {
      takenAt: manifest.takenAt,
      sha256: manifest.payload.sha256,
      bytes: file.length,
      lastMigration: manifest.lastMigration,
      ledgerHead: manifest.ledgerHead,
      auditHead: manifest.auditHead,
    },
  });
  const stamp = manifest.takenAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return { filename: `scholarship-ledger-${stamp}.backup`, contentType: BACKUP_CONTENT_TYPE, bytes: file };
}
