// What a restore must prove before it says the database is back: the backup's migrations are this
// release's (or older ones of it), and after migrating forward both chains verify from row 1 and
// still hold, at the sequences the manifest names, the hashes the manifest names.
import { verifyAuditChain } from '../audit/verify.ts';
import { hashAt } from '../checkpoints/chain-heads.ts';
import type { Tx } from '../db/transaction.ts';
import { verifyLedger } from '../ledger/verify.ts';
import type { BackupManifest } from './backup-file.ts';
import type { SummaryDifference } from './database-summary.ts';

/**
 * Why this release cannot restore the backup's schema (empty: it can): a migration it does not
 * have (the backup is from a newer release) or has with other content (an edited migration).
 */
export function unknownMigrations(manifest: BackupManifest, local: { name: string; checksum: string }[]): SummaryDifference[] {
  const here = new Map(local.map((m) => [m.name, m.checksum]));
  const out: SummaryDifference[] = [];
  for (const m of manifest.migrations) {
    const checksum = here.get(m.name);
    if (checksum === undefined) {
      out.push({
        zh: `备份含本版本没有的迁移 ${m.name}（备份来自更新的版本）`,
        en: `the backup has migration ${m.name}, which this release does not (it is from a newer release)`,
      });
    } else if (checksum !== m.checksum) {
      out.push({ zh: `迁移 ${m.name} 的内容与本版本不同`, en: `migration ${m.name} differs from this release’s` });
    }
  }
  return out;
}

export interface RestoredChains {
  ledgerOk: boolean;
  auditOk: boolean;
  ledger: Awaited<ReturnType<typeof verifyLedger>>;
  audit: Awaited<ReturnType<typeof verifyAuditChain>>;
  /** The manifest's heads the restored chains do not hold. */
  headProblems: SummaryDifference[];
}

export async function verifyRestoredChains(db: Tx, manifest: BackupManifest): Promise<RestoredChains> {
  const ledger = await verifyLedger(db);
  const audit = await verifyAuditChain(db);
  const headProblems: SummaryDifference[] = [];
  for (const [chain, head] of [
    ['ledger', manifest.ledgerHead],
    ['audit', manifest.auditHead],
  ] as const) {
    if (!head) continue;
    const stored = await hashAt(db, chain, head.sequence);
    if (stored !== head.hash) {
      headProblems.push({
        zh: `${chain === 'ledger' ? '账本' : '审计链'}第 ${head.sequence} 条的哈希不是清单所记（${stored ?? '该条不存在'}）`,
        en: `the ${chain} chain’s hash at ${head.sequence} is not the manifest’s (${stored ?? 'no such row'})`,
      });
    }
  }
  return {
    ledgerOk: ledger.ok && ledger.commitmentProblems.length === 0,
    auditOk: audit.ok,
    ledger,
    audit,
    headProblems,
  };
}
