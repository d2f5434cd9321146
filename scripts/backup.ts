// npm run backup -- --out FILE — a backup file (manifest + payload, src/backup/backup-file.ts).
//   PostgreSQL (DATABASE_URL set): `pg_dump --format=custom` of a snapshot exported from the
//   transaction that reads the manifest's figures, so both describe the same moment.
//   Embedded, service running: the service holds the data directory, so the backup is asked of it
//   (GET /api/v1/backup) with a platform admin's token from BACKUP_TOKEN — never in the URL; the
//   service's address from --service URL, else the one its lock file names, else PORT on 127.0.0.1.
//   Embedded, service stopped: the data directory is opened (and locked) here and read the same way.
// The file is checked against its manifest before it is written, and never written over another.
// Exit 0 when the file is written; 1 when the service refused or the file did not check; 2 when it could not run.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type BackupManifest, BackupFileError, decodeBackup } from '../src/backup/backup-file.ts';
import { BackupTargetExistsError, writeBackupFile } from '../src/backup/backup-file-node.ts';
import { takePgDumpBackup } from '../src/backup/take-pg-dump-backup-node.ts';
import { takeTableRowsBackup } from '../src/backup/take-table-rows-backup.ts';
import { openDatabase, targetFromConfig } from '../src/db/client.ts';
import { DataDirLockedError } from '../src/db/data-dir-lock.ts';
import { isNewDataDir } from '../src/db/new-data-dir-node.ts';
import { configOrExit, runCli } from './lib/open-database.ts';

function flag(args: readonly string[], name: string): string | null {
  const at = args.indexOf(name);
  if (at < 0) return null;
  const value = args[at + 1];
  if (!value || value.startsWith('--')) {
    console.error(`${name} 需要一个值 needs a value`);
    process.exit(2);
  }
  return value;
}

function describe(manifest: BackupManifest, out: string): void {
  const head = (h: BackupManifest['ledgerHead']) => (h ? `seq ${h.sequence}, hash ${h.hash}` : '（空 empty）');
  const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
  console.log(`备份已写入 Backup written: ${out}`);
  console.log(`  时间 Taken at: ${manifest.takenAt}; 方式 kind: ${manifest.payload.kind}; ${manifest.payload.bytes} bytes, SHA-256 ${manifest.payload.sha256}`);
  console.log(`  迁移 Last migration: ${manifest.lastMigration}; ${rows} 行 rows in ${manifest.tables.length} tables`);
  console.log(`  账本链头 Ledger head: ${head(manifest.ledgerHead)}`);
  console.log(`  审计链头 Audit head: ${head(manifest.auditHead)}`);
  console.log('  个人信息密钥不在备份中，请另行保管 The personal-data keys are not in the backup: keep them apart (README).');
}

/** The backup from the running service, checked against its manifest; exits 1 on a refusal. */
async function fromService(base: string): Promise<{ manifest: BackupManifest; payload: Uint8Array }> {
  const token = process.env.BACKUP_TOKEN;
  if (!token) {
    console.error('服务正在运行：请在环境变量 BACKUP_TOKEN 中提供平台管理员令牌 The service is running: give a platform admin token in BACKUP_TOKEN.');
    process.exit(2);
  }
  const url = new URL('/api/v1/backup', base);
  console.error(`正在通过运行中的服务备份 Backing up through the running service at ${url.origin}…`);
  const answer = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  if (answer.status !== 200) {
    const body = await answer.text();
    let title = body.slice(0, 300);
    try {
      title = (JSON.parse(body) as { title?: string }).title ?? title;
    } catch {}
    console.error(`服务拒绝备份 The service refused the backup: HTTP ${answer.status} ${title}`);
    process.exit(1);
  }
  return decodeBackup(new Uint8Array(await answer.arrayBuffer()));
}

runCli('backup', async () => {
  const args = process.argv.slice(2);
  const outFlag = flag(args, '--out');
  if (!outFlag) {
    console.error('用法 usage: npm run backup -- --out FILE [--service URL]');
    return 2;
  }
  const out = resolve(outFlag);
  if (existsSync(out)) {
    console.error(`${out} 已存在，不覆盖 already exists; not overwritten`);
    return 2;
  }
  const config = configOrExit();
  try {
    const target = targetFromConfig(config);
    if (target.kind === 'postgres') {
      const db = await openDatabase(target);
      try {
        describe(await takePgDumpBackup(db.prisma, target.url, out), out);
      } finally {
        await db.close();
      }
      return 0;
    }
    if (isNewDataDir(resolve(target.dataDir ?? '.'))) {
      console.error(`${target.dataDir} 中没有数据库 holds no embedded database: nothing to back up (DATA_DIR).`);
      return 2;
    }
    let taken: { manifest: BackupManifest; payload: Uint8Array };
    try {
      const db = await openDatabase(target);
      try {
        console.error('服务未运行，直接读取数据目录 The service is not running: reading the data directory directly…');
        const { file } = await takeTableRowsBackup(db.prisma);
        taken = decodeBackup(file);
      } finally {
        await db.close();
      }
    } catch (error) {
      if (!(error instanceof DataDirLockedError)) throw error;
      taken = await fromService(flag(args, '--service') ?? error.url ?? `http://127.0.0.1:${config.PORT}`);
    }
    await writeBackupFile(out, taken.manifest, taken.payload);
    describe(taken.manifest, out);
    return 0;
  } catch (error) {
    if (error instanceof BackupFileError) {
      console.error(`收到的备份未通过校验，未写入 The backup received does not check; nothing written: ${error.zh} ${error.en}`);
      return 1;
    }
    if (error instanceof BackupTargetExistsError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
});
