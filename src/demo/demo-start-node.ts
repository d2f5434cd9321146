// The demo at start (Node, embedded by default): loaded once into an empty database — from the
// snapshot where it applies, else replayed through the use cases — with its tokens kept beside the
// data; a load that an earlier start left half done is emptied and done again; later starts read
// the tokens back. Used by the service and by the child process that prepares a new data directory.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../db/client.ts';
import { applyMigrations } from '../db/migrations.ts';
import type { PiiVault } from '../privacy/pii-vault.ts';
import { demoLoadInterrupted, emptyDemoDatabase, markDemoLoaded, markDemoLoading, reportDemoProgress } from './demo-loading-node.ts';
import { type DemoToken, isEmpty, seedDemo } from './seed.ts';
import { loadDemoSnapshot } from './snapshot/load-demo-snapshot-node.ts';
import { writeDemoCountyLists } from './write-county-list.ts';

export interface DemoStart {
  db: Database;
  vault: PiiVault;
  /** The embedded database's data directory; null on a PostgreSQL server (no files, no snapshot). */
  dataDir: string | null;
  /** Replay through the use cases even where the snapshot applies (DEMO_REPLAY). */
  replay: boolean;
  say: (line: string) => void;
}

/** The demo's tokens: just loaded, or kept from an earlier start (none when there is no demo). */
export async function startDemo({ db, vault, dataDir, replay, say }: DemoStart): Promise<{ tokens: DemoToken[]; loadedNow: boolean }> {
  const tokensFile = dataDir ? join(dataDir, 'demo-tokens.json') : null;
  if (dataDir && demoLoadInterrupted(dataDir)) {
    say(
      '演示数据上次未载入完成（启动被中断），现清空后从头重新载入。\nThe demo was not fully loaded last time (the start was interrupted): emptying the database and loading it again from the start.',
    );
    await emptyDemoDatabase(db.prisma);
    await applyMigrations(db.adapterFactory);
  }
  if (!(await isEmpty(db.prisma))) {
    const tokens = tokensFile && existsSync(tokensFile) ? (JSON.parse(readFileSync(tokensFile, 'utf8')) as DemoToken[]) : [];
    return { tokens, loadedNow: false };
  }
  if (dataDir) markDemoLoading(dataDir);
  let tokens = dataDir && !replay ? await loadDemoSnapshot(db.prisma, vault, say) : null;
  if (!tokens) {
    say(
      '正在载入演示数据：通过业务用例重放两个学年的发放历史（约一分钟）… Loading the demo through the use cases (two academic years of history, about a minute)…',
    );
    const stopProgress = reportDemoProgress(db.prisma, say);
    try {
      tokens = await seedDemo(db.prisma, vault);
    } finally {
      stopProgress();
    }
  }
  if (tokensFile) {
    writeFileSync(tokensFile, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tokensFile, 0o600);
  }
  if (dataDir) {
    await writeDemoCountyLists(dataDir);
    markDemoLoaded(dataDir);
  }
  return { tokens, loadedNow: true };
}
