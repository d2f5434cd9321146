// npm run pii:reseal — key rotation, second step: re-seals every identity number, account number,
// name and phone number still sealed with an older key under the active (first) key of PII_KEYS.
// Runs beside the service on PostgreSQL (short transactions, a page of rows each); keep the old key
// listed in PII_KEYS until this has finished, then remove it. See README, "Rotating the keys".
import { loadConfig } from '../src/config.ts';
import { migrationStatus } from '../src/db/migrations.ts';
import { resolveKeyMaterial } from '../src/privacy/key-source.ts';
import { PiiKeyError, createPiiVault } from '../src/privacy/pii-vault.ts';
import { ResealIntegrityError, resealPersonalData } from '../src/services/pii-reseal.ts';
import { openConfiguredDatabase, runCli } from './lib/open-database.ts';

/** The actor of writes made by an operator's command-line tool (the nil UUID). */
const COMMAND_LINE_ACTOR = '00000000-0000-0000-0000-000000000000';

runCli('pii:reseal', async () => {
  let vault;
  try {
    vault = await createPiiVault(resolveKeyMaterial(loadConfig()));
  } catch (error) {
    if (error instanceof PiiKeyError) {
      console.error(`密钥配置有误 (the personal-data keys are not usable): ${error.message}`);
      return 2;
    }
    throw error;
  }
  const db = await openConfiguredDatabase();
  try {
    // The database rules that admit a re-sealed payout snapshot come with a migration.
    if (!(await migrationStatus(db.adapterFactory)).upToDate) {
      console.error('数据库结构不是最新的，请先运行 npm run db:migrate (the database schema is not up to date: run npm run db:migrate first)');
      return 2;
    }
    const report = await resealPersonalData(
      db.prisma,
      vault,
      { actorId: COMMAND_LINE_ACTOR, organisationId: COMMAND_LINE_ACTOR, requestId: 'pii:reseal' },
      {
        onPage: (table, rows) => console.error(`  ${table}: ${rows}`),
      },
    );
    console.log(`当前密钥 (active key): ${report.activeKeyId}`);
    console.log(`重新加密的学生 (students re-sealed): ${report.studentsResealed}`);
    console.log(`重新加密的发放快照 (payout snapshots re-sealed): ${report.payoutsResealed}`);
    console.log('完成：旧密钥可以从 PII_KEYS 中移除 (done: older keys can now be removed from PII_KEYS)');
    return 0;
  } catch (error) {
    if (error instanceof PiiKeyError || error instanceof ResealIntegrityError) {
      console.error(`重新加密中止，本页未改动 (re-sealing stopped; the page in hand is unchanged): ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await db.close();
  }
});
