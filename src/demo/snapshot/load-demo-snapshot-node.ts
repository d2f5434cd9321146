// A first start's demo from the snapshot file (Node): the tokens when it loaded, null (with the
// reason said) when the installation's snapshot cannot be used and the demo must be replayed.
import type { PrismaClient } from '#prisma';
import type { PiiVault } from '../../privacy/pii-vault.ts';
import type { DemoToken } from '../seed.ts';
import { loadSnapshot } from './load-snapshot.ts';
import { readSnapshot } from './snapshot-file-node.ts';

export async function loadDemoSnapshot(db: PrismaClient, vault: PiiVault, say: (line: string) => void): Promise<DemoToken[] | null> {
  const started = performance.now();
  const content = readSnapshot();
  if (!content) return null;
  say(
    `正在载入演示数据快照（${content.header.businessDate} 通过业务用例生成）… Loading the demo snapshot (made through the use cases on ${content.header.businessDate})…`,
  );
  try {
    const result = await loadSnapshot(db, vault, content);
    if (!result.loaded) {
      say(`演示快照不适用：${result.reason}。The demo snapshot does not apply: ${result.reason}.`);
      return null;
    }
    say(`  演示数据已载入并通过账本与审计链校验 Demo loaded and both chains verified (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return result.tokens;
  } catch (error) {
    say(`演示快照载入失败，已全部回滚：${(error as Error).message}。The demo snapshot failed to load and was rolled back: ${(error as Error).message}.`);
    return null;
  }
}
