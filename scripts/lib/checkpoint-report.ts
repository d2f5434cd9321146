// The --checkpoints part of ledger:verify and audit:verify: reads the checkpoint files of a
// directory, checks the chain against each with the configured public key, and prints the result in
// Chinese and English. True when every checkpoint held.
import { resolve } from 'node:path';
import { directoryArchive } from '../../src/checkpoints/archive-node.ts';
import { checkAgainstCheckpoints } from '../../src/checkpoints/check.ts';
import { CheckpointKeyError, keyFingerprint } from '../../src/checkpoints/ed25519.ts';
import { resolveCheckpointPublicKey } from '../../src/checkpoints/key-source-node.ts';
import { loadConfig } from '../../src/config.ts';
import type { Tx } from '../../src/db/transaction.ts';
import { CHECKPOINT_FILE_NAME, type CheckpointChain } from '../../src/domain/checkpoint.ts';

/** The directory after `--checkpoints`, or null when not asked; exits 2 when the flag has no value. */
export function checkpointsFlag(args: readonly string[]): string | null {
  const at = args.indexOf('--checkpoints');
  if (at < 0) return null;
  const dir = args[at + 1];
  if (!dir || dir.startsWith('--')) {
    console.error('--checkpoints needs a directory: --checkpoints DIR');
    process.exit(2);
  }
  return resolve(dir);
}

/**
 * `upTo`: a restore's chain ends where its backup was taken; checkpoints signed later name rows the
 * backup cannot have. They are counted and named as such (what the restore lacks), not checked.
 */
export async function reportCheckpoints(db: Tx, chain: CheckpointChain, dir: string, options: { upTo?: string | null } = {}): Promise<boolean> {
  let publicKey: Uint8Array;
  try {
    publicKey = await resolveCheckpointPublicKey(loadConfig());
  } catch (error) {
    if (error instanceof CheckpointKeyError) {
      console.error(`检查点公钥 checkpoint public key: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  let files = await directoryArchive(dir).files();
  if (options.upTo !== undefined) {
    const upTo = BigInt(options.upTo ?? '0');
    const later = (name: string) => {
      const named = CHECKPOINT_FILE_NAME.exec(name);
      return named?.[1] === chain && BigInt(named[2] as string) > upTo;
    };
    const after = files.filter((f) => later(f.name));
    if (after.length > 0) {
      console.log(
        `  ${chain}: ${after.length} 个检查点签于此备份之后（至第 ${after.map((f) => BigInt(CHECKPOINT_FILE_NAME.exec(f.name)?.[2] ?? '0')).reduce((a, b) => (a > b ? a : b))} 条），其后的记录不在此备份中; ` +
          `${after.length} checkpoints were signed after this backup: the rows after it are not in it.`,
      );
    }
    files = files.filter((f) => !later(f.name));
  }
  const result = await checkAgainstCheckpoints(db, chain, files, publicKey);
  console.log(`签名检查点 Signed checkpoints: ${dir}; 公钥指纹 key fingerprint ${keyFingerprint(publicKey)}`);
  if (result.ok) {
    console.log(
      `检查点结果 Checkpoints: 通过 OK — 链仍延续全部 ${result.confirmed} 个检查点（至第 ${result.confirmedUpTo} 条）; the chain still extends all ${result.confirmed} checkpoints (up to sequence ${result.confirmedUpTo}).`,
    );
    return true;
  }
  console.log(`检查点结果 Checkpoints: 失败 FAILED — ${result.problems.length} 个问题 problems; ${result.confirmed} 个检查点成立 held`);
  for (const p of result.problems.slice(0, 50)) console.log(`  ${p.file || dir}: ${p.zh}; ${p.en}`);
  if (result.problems.length > 50) console.log(`  … ${result.problems.length - 50} more`);
  return false;
}
