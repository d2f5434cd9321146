// Takes a signed checkpoint of each chain whose head moved since its newest checkpoint (daily, after
// a payout batch is sent, and on demand). Before signing it checks that the chain still extends that
// newest checkpoint: a chain cut or rewritten since is never signed over, it is reported.
import type { Tx } from '../db/transaction.ts';
import { CHECKPOINT_CHAINS, type CheckpointChain, type SignedCheckpoint } from '../domain/checkpoint.ts';
import type { CheckpointArchive } from './archive.ts';
import { chainHead, hashAt } from './chain-heads.ts';
import type { CheckpointSigner } from './ed25519.ts';
import { firstSealedSeq } from '../ledger/verify-seals.ts';

export type TakeOutcome =
  | { chain: CheckpointChain; outcome: 'taken'; checkpoint: SignedCheckpoint }
  | { chain: CheckpointChain; outcome: 'unchanged' | 'empty' }
  /** The chain no longer extends its newest checkpoint: nothing signed, someone must look. */
  | { chain: CheckpointChain; outcome: 'refused'; problem: string };

export async function takeCheckpoints(deps: { db: Tx; signer: CheckpointSigner; archive: CheckpointArchive; now?: Date }): Promise<TakeOutcome[]> {
  const outcomes: TakeOutcome[] = [];
  for (const chain of CHECKPOINT_CHAINS) outcomes.push(await takeOne(deps, chain));
  return outcomes;
}

async function takeOne(
  { db, signer, archive, now }: { db: Tx; signer: CheckpointSigner; archive: CheckpointArchive; now?: Date },
  chain: CheckpointChain,
): Promise<TakeOutcome> {
  const head = await chainHead(db, chain);
  const previous = await archive.latest(chain);
  if (previous) {
    const stored = await hashAt(db, chain, previous.sequence);
    if (stored === null) return { chain, outcome: 'refused', problem: `the chain no longer reaches sequence ${previous.sequence} of its newest checkpoint` };
    if (stored !== previous.headHash)
      return { chain, outcome: 'refused', problem: `the hash at sequence ${previous.sequence} differs from its newest checkpoint` };
    if (head && head.sequence === previous.sequence) return { chain, outcome: 'unchanged' };
  }
  if (!head) return { chain, outcome: 'empty' };
  const sealedFrom = chain === 'ledger' ? await ledgerSealedFrom(db, previous) : null;
  const checkpoint = await signer.sign({
    chain,
    sequence: head.sequence,
    headHash: head.hash,
    time: (now ?? new Date()).toISOString(),
    ...(sealedFrom === null ? {} : { sealedFrom }),
  });
  // Another process may have kept this very head meanwhile: same claim, so either file serves.
  await archive.keep(checkpoint);
  return { chain, outcome: 'taken', checkpoint };
}

/**
 * Where the ledger's seals start: as the newest checkpoint signed it (never moved on, so seals
 * deleted since are missed by nobody), else the first seal the database has, else null (unsealed).
 */
async function ledgerSealedFrom(db: Tx, previous: SignedCheckpoint | null): Promise<string | null> {
  if (previous?.sealedFrom) return previous.sealedFrom;
  const first = await firstSealedSeq(db);
  return first === null ? null : String(first);
}
