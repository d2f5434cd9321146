// The service's checkpoint taker: one at a time (a daily timer and a batch sent at the same moment
// take one checkpoint, not two racing ones), each outcome logged, a refusal — the chain no longer
// extends its newest checkpoint — logged as an error for someone to look at. Runtime-neutral.
import type { Tx } from '../db/transaction.ts';
import type { Logger } from '../http/logger.ts';
import { describeError } from '../http/logger.ts';
import type { CheckpointArchive } from './archive.ts';
import type { CheckpointSigner } from './ed25519.ts';
import { type TakeOutcome, takeCheckpoints } from './take.ts';

export const CHECKPOINT_INTERVAL_MS = 24 * 60 * 60 * 1000;

export class Checkpointer {
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: { db: Tx; signer: CheckpointSigner; archive: CheckpointArchive; logger: Logger }) {}

  get archive(): CheckpointArchive {
    return this.deps.archive;
  }

  get fingerprint(): string {
    return this.deps.signer.fingerprint;
  }

  /** Takes the checkpoints once the one under way (if any) is done. */
  take(reason: string): Promise<TakeOutcome[]> {
    const next = this.running.then(async () => {
      const outcomes = await takeCheckpoints(this.deps);
      for (const o of outcomes) {
        if (o.outcome === 'taken') this.deps.logger.info('checkpoint signed', { reason, chain: o.chain, sequence: o.checkpoint.sequence });
        if (o.outcome === 'refused')
          this.deps.logger.error('checkpoint refused: chain no longer extends its newest checkpoint', { reason, chain: o.chain, problem: o.problem });
      }
      return outcomes;
    });
    this.running = next.catch(() => {});
    return next;
  }

  /** Takes them without waiting (after a payout batch is sent); a failure is logged, never thrown. */
  soon(reason: string): void {
    this.take(reason).catch((error: unknown) => this.deps.logger.error('checkpoint failed', { reason, ...describeError(error) }));
  }

  /** Every CHECKPOINT_INTERVAL_MS from now on, the first at once; returns the stop. */
  daily(): () => void {
    this.soon('start');
    const timer = setInterval(() => this.soon('daily'), CHECKPOINT_INTERVAL_MS);
    (timer as { unref?: () => void }).unref?.();
    return () => clearInterval(timer);
  }
}
