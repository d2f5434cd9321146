// The --seals part of ledger:verify: derives the sealing key from the checkpoint signing key (the
// secret, not the public key: a MAC is checked with the key that made it), checks every seal from
// the first sealed transaction on, and prints the result in Chinese and English. True when all hold.
import { CheckpointKeyError } from '../../src/checkpoints/ed25519.ts';
import { loadConfig } from '../../src/config.ts';
import type { Tx } from '../../src/db/transaction.ts';
import { resolveLedgerSealKey } from '../../src/ledger/seal-key-node.ts';
import type { SealKey } from '../../src/ledger/seal-key.ts';
import { verifySeals } from '../../src/ledger/verify-seals.ts';

export const sealsFlag = (args: readonly string[]): boolean => args.includes('--seals');

/** The sealing key, or exit 2 saying what to configure. */
export async function sealKeyOrExit(): Promise<SealKey> {
  try {
    return await resolveLedgerSealKey(loadConfig());
  } catch (error) {
    if (error instanceof CheckpointKeyError) {
      console.error(`封印密钥 sealing key (from the checkpoint signing key): ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}

export async function reportSeals(db: Tx, key: SealKey): Promise<boolean> {
  const result = await verifySeals(db, key);
  const from = result.sealedFrom === null ? '无 none' : `第 ${result.sealedFrom} 条起 from seq ${result.sealedFrom}`;
  console.log(`封印 Seals: 账本封印自 ledger sealed ${from}; 已核验封印 seals checked ${result.sealsChecked} / ${result.transactionsChecked} transactions`);
  if (result.ok) {
    console.log(
      `封印结果 Seals: 通过 OK — 自第 ${result.sealedFrom} 条起每笔交易的封印均成立; every transaction from seq ${result.sealedFrom} on has a seal that verifies.`,
    );
    return true;
  }
  const first = result.problems[0];
  console.log(`封印结果 Seals: 失败 FAILED — 第一个问题 first bad sequence number ${first?.seq}: ${first?.problem}`);
  for (const p of result.problems.slice(1, 20)) console.log(`  seq ${p.seq}: ${p.problem}`);
  if (result.problems.length > 20) console.log(`  … ${result.problems.length - 20} more`);
  return false;
}
