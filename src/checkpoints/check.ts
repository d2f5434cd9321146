// Proves that a chain still extends every kept checkpoint of it: the checkpoint's signature holds
// for the configured public key (a checkpoint whose signature fails is reported and never trusted),
// the chain still reaches its sequence (a chain shorter than a checkpoint has lost rows), and the
// hash at that sequence is the one signed (anything before it edited, removed or re-chained); and,
// for a sealed ledger, that every transaction from the signed `sealedFrom` up to it has a seal.
import type { Tx } from '../db/transaction.ts';
import { CHECKPOINT_FILE_NAME, type CheckpointChain, parseCheckpoint } from '../domain/checkpoint.ts';
import type { CheckpointFile } from './archive.ts';
import { hashAt } from './chain-heads.ts';
import { checkpointSignatureHolds, keyFingerprint } from './ed25519.ts';
import { countSeals } from '../ledger/verify-seals.ts';

export interface CheckpointProblem {
  file: string;
  sequence: string | null;
  zh: string;
  en: string;
}

export interface CheckpointCheck {
  chain: CheckpointChain;
  ok: boolean;
  /** Checkpoints of this chain whose signature held and whose hash the chain still has. */
  confirmed: number;
  /** The highest confirmed sequence: the chain up to it is what was signed. */
  confirmedUpTo: string | null;
  problems: CheckpointProblem[];
}

export async function checkAgainstCheckpoints(db: Tx, chain: CheckpointChain, files: CheckpointFile[], publicKey: Uint8Array): Promise<CheckpointCheck> {
  const problems: CheckpointProblem[] = [];
  let confirmed = 0;
  let confirmedUpTo: bigint | null = null;
  const mine = files.filter((f) => CHECKPOINT_FILE_NAME.exec(f.name)?.[1] === chain);
  for (const file of mine) {
    const checkpoint = parseCheckpoint(file.text);
    const named = BigInt((CHECKPOINT_FILE_NAME.exec(file.name) as RegExpExecArray)[2] as string).toString();
    const report = (sequence: string | null, zh: string, en: string) => problems.push({ file: file.name, sequence, zh, en });
    if (!checkpoint || checkpoint.chain !== chain || checkpoint.sequence !== named) {
      report(null, '不是有效的检查点文件，未采信', 'not a valid checkpoint file (or its name and content disagree); not trusted');
      continue;
    }
    if (!(await checkpointSignatureHolds(checkpoint, publicKey))) {
      const other = checkpoint.keyFingerprint !== keyFingerprint(publicKey);
      report(
        checkpoint.sequence,
        other ? '签名密钥不是所配置的公钥，未采信' : '签名无效（文件被改动），未采信',
        other ? 'signed by a key other than the configured public key; not trusted' : 'the signature does not hold (the file was altered); not trusted',
      );
      continue;
    }
    const stored = await hashAt(db, chain, checkpoint.sequence);
    if (stored === null) {
      report(
        checkpoint.sequence,
        `链中已没有第 ${checkpoint.sequence} 条：链比检查点短，记录被删除`,
        `the chain no longer has sequence ${checkpoint.sequence}: it is shorter than a signed checkpoint (rows deleted)`,
      );
      continue;
    }
    if (stored !== checkpoint.headHash) {
      report(
        checkpoint.sequence,
        `第 ${checkpoint.sequence} 条的哈希与签名检查点不符：此前的记录被修改、删除或重新链接`,
        `the hash at sequence ${checkpoint.sequence} is not the signed one: rows up to it were edited, deleted or re-chained`,
      );
      continue;
    }
    const seq = BigInt(checkpoint.sequence);
    if (checkpoint.sealedFrom !== undefined) {
      // The seals themselves are checked with the secret key (ledger:verify --seals); here, that
      // none of those the checkpoint vouches for was removed.
      const from = BigInt(checkpoint.sealedFrom);
      const missing = seq - from + 1n - (await countSeals(db, from, seq));
      if (missing > 0n) {
        report(
          checkpoint.sequence,
          `第 ${checkpoint.sealedFrom} 至 ${checkpoint.sequence} 条中有 ${missing} 条缺少封印：封印被删除`,
          `${missing} of the transactions ${checkpoint.sealedFrom} to ${checkpoint.sequence} have no seal: seals were deleted`,
        );
        continue;
      }
    }
    confirmed++;
    if (confirmedUpTo === null || seq > confirmedUpTo) confirmedUpTo = seq;
  }
  if (mine.length === 0) {
    problems.push({ file: '', sequence: null, zh: '没有找到该链的检查点，无从证明', en: 'no checkpoint of this chain was found: nothing can be proven' });
  }
  return { chain, ok: problems.length === 0, confirmed, confirmedUpTo: confirmedUpTo === null ? null : String(confirmedUpTo), problems };
}
