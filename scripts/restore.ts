// npm run restore -- FILE [--checkpoints DIR] — restores a backup (npm run backup) into an empty
// target: the embedded data directory DATA_DIR for a backup of the embedded database, the database
// of DATABASE_URL for a pg_dump backup. In order, stopping at the first failure:
//   1. the file: its payload's size and SHA-256 are the manifest's (a truncated or edited file is refused);
//   2. its migrations are this release's (a backup from a newer release is refused);
//   3. the target is empty (anything in it is refused, nothing touched);
//   4. the rows go in on the backup's own schema, and the row counts, migrations and both chain
//      heads are compared with the manifest;
//   5. the migrations since the backup are applied;
//   6. both verifiers run from row 1, both chains still hold the manifest's heads and, with
//      --checkpoints DIR, every signed checkpoint up to them.
// Exit 0 only when all of that holds; 1 when the file or the restored database fails a check (an
// embedded target is then removed again; a PostgreSQL one must be dropped by hand); 2 when it could not run.
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { type BackupManifest, BackupFileError } from '../src/backup/backup-file.ts';
import { readBackupFile } from '../src/backup/backup-file-node.ts';
import { type SummaryDifference, summariseDatabase, summaryDifferences } from '../src/backup/database-summary.ts';
import { unknownMigrations, verifyRestoredChains } from '../src/backup/restore-checks.ts';
import { RestoreRefusedError, restorePgDump, restoreTableRows } from '../src/backup/restore-node.ts';
import type { Database } from '../src/db/client.ts';
import { targetFromConfig } from '../src/db/client.ts';
import { applyMigrations, migrationChecksums } from '../src/db/migrations.ts';
import { checkpointsFlag, reportCheckpoints } from './lib/checkpoint-report.ts';
import { configOrExit, runCli } from './lib/open-database.ts';

function refuse(zh: string, en: string): number {
  console.log(`结果 Result: 拒绝 REFUSED — ${zh} ${en}`);
  return 1;
}

function listDifferences(what: string, differences: SummaryDifference[]): void {
  console.log(what);
  for (const d of differences.slice(0, 30)) console.log(`  ${d.zh}; ${d.en}`);
  if (differences.length > 30) console.log(`  … ${differences.length - 30} more`);
}

/** Steps 4–6 on the restored database; true when everything held. */
async function proveRestored(db: Database, manifest: BackupManifest, checkpointDir: string | null): Promise<boolean> {
  const differences = summaryDifferences(manifest, await summariseDatabase(db.prisma));
  if (differences.length > 0) {
    listDifferences('恢复后的数据库与清单不符 The restored database is not what the manifest says:', differences);
    return false;
  }
  console.log('清单核对 Manifest: 通过 OK — 迁移、行数与两条链头均与清单一致 migrations, row counts and both chain heads as the manifest says.');
  const { applied } = await applyMigrations(db.adapterFactory);
  console.log(
    applied.length > 0
      ? `已升级 Migrated forward: ${applied.length} 个迁移 migrations (${applied.join(', ')})`
      : '无需升级 No migration to apply: the backup is of this release’s schema.',
  );
  const chains = await verifyRestoredChains(db.prisma, manifest);
  console.log(
    `账本核验 Ledger: ${chains.ledgerOk ? '通过 OK' : '失败 FAILED'} — ${chains.ledger.transactionsChecked} transactions, head seq ${chains.ledger.head.seq}` +
      (chains.ledger.firstProblem ? `; first problem at ${chains.ledger.firstProblem.seq}: ${chains.ledger.firstProblem.problem}` : ''),
  );
  console.log(
    `审计链核验 Audit chain: ${chains.auditOk ? '通过 OK' : '失败 FAILED'} — ${chains.audit.chainRowsChecked} rows, head seq ${chains.audit.head.seq}` +
      (chains.audit.firstProblem ? `; first problem: ${chains.audit.firstProblem.problem}` : ''),
  );
  if (chains.headProblems.length > 0) listDifferences('链头与清单不符 The chains do not hold the manifest’s heads:', chains.headProblems);
  let checkpointsOk = true;
  if (checkpointDir) {
    checkpointsOk = (await reportCheckpoints(db.prisma, 'ledger', checkpointDir, { upTo: manifest.ledgerHead?.sequence ?? null })) && checkpointsOk;
    checkpointsOk = (await reportCheckpoints(db.prisma, 'audit', checkpointDir, { upTo: manifest.auditHead?.sequence ?? null })) && checkpointsOk;
  }
  return chains.ledgerOk && chains.auditOk && chains.headProblems.length === 0 && checkpointsOk;
}

runCli('restore', async () => {
  const args = process.argv.slice(2);
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--checkpoints');
  if (!file) {
    console.error('用法 usage: npm run restore -- FILE [--checkpoints DIR]');
    return 2;
  }
  const checkpointDir = checkpointsFlag(args);
  const config = configOrExit();
  const target = targetFromConfig(config);
  // The target is empty: its own key file, which verifiers fall back on, does not exist yet (and
  // would be made new, trusting nothing). The key that signed the checkpoints must be named.
  if (checkpointDir && !config.CHECKPOINT_PUBLIC_KEY && !config.CHECKPOINT_SIGNING_KEY) {
    console.error(
      '--checkpoints 需要签名检查点的公钥：请设置 CHECKPOINT_PUBLIC_KEY（原数据目录 checkpoint-signing-key.json 中的公钥）。' +
        ' --checkpoints needs the public key that signed them: set CHECKPOINT_PUBLIC_KEY (from the old data directory’s checkpoint-signing-key.json).',
    );
    return 2;
  }
  const path = resolve(file);
  let manifest: BackupManifest;
  let payloadStart: number;
  try {
    ({ manifest, payloadStart } = await readBackupFile(path));
  } catch (error) {
    if (error instanceof BackupFileError) return refuse(error.zh, error.en);
    throw error;
  }
  console.log(`备份文件 Backup file: ${path}; 时间 taken at ${manifest.takenAt}; ${manifest.payload.kind}; SHA-256 与清单一致 matches the manifest`);
  const unknown = unknownMigrations(manifest, await migrationChecksums());
  if (unknown.length > 0) {
    listDifferences('备份的迁移不是本版本的 The backup’s migrations are not this release’s:', unknown);
    return refuse('本版本不能恢复此备份。', 'this release cannot restore this backup.');
  }
  if (manifest.payload.kind === 'table-rows' && target.kind !== 'embedded') {
    return refuse('这是内嵌数据库的备份，请在未设置 DATABASE_URL 时恢复。', 'this is a backup of an embedded database: restore it with DATABASE_URL unset.');
  }
  if (manifest.payload.kind === 'pg-dump' && target.kind !== 'postgres') {
    return refuse('这是 PostgreSQL 的备份，请设置 DATABASE_URL 指向一个空数据库。', 'this is a PostgreSQL backup: set DATABASE_URL to an empty database.');
  }

  let db: Database;
  try {
    db =
      target.kind === 'postgres'
        ? await restorePgDump(target.url, path, payloadStart)
        : await restoreTableRows(resolve(target.dataDir ?? '.'), manifest, readFileSync(path).subarray(payloadStart));
  } catch (error) {
    if (error instanceof RestoreRefusedError) return refuse(error.zh, error.en);
    throw error;
  }
  console.log(`已恢复到 Restored into: ${db.description}`);
  let ok = false;
  try {
    ok = await proveRestored(db, manifest, checkpointDir);
  } finally {
    await db.close();
    // A restore that does not prove out must not be left where a start would take it for a database.
    if (!ok && target.kind === 'embedded') rmSync(resolve(target.dataDir ?? '.'), { recursive: true, force: true });
  }
  if (ok) {
    console.log('结果 Result: 通过 OK — 已恢复并核验，可以启动服务 restored and verified; the service may start on it.');
    console.log('  提醒 Reminder: 启动前请配置与备份时相同的个人信息密钥 configure the same personal-data keys the backup was taken with before starting.');
    return 0;
  }
  console.log(
    target.kind === 'embedded'
      ? '结果 Result: 失败 FAILED — 恢复的数据未通过核验，已删除目标目录 the restored data did not verify; the target directory was removed.'
      : '结果 Result: 失败 FAILED — 恢复的数据未通过核验；请删除并重建目标数据库 the restored data did not verify; drop and recreate the target database.',
  );
  return 1;
});
