// Group commit: requests that arrive while a write is in flight are written together by the
// next one, in one statement and one commit. Each request stays atomic on its own (the
// statement writes a request's rows entirely or not at all); what they share is the round trip,
// the append lock and the fsync. This is how the ledger keeps up with bursts on two cores.
export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export class GroupCommit<I, O> {
  private queue: { item: I; resolve: (value: O) => void; reject: (error: unknown) => void }[] = [];
  private running = false;

  constructor(
    /** Writes a batch; returns one outcome per item, in order. A throw fails the whole batch. */
    private readonly writeBatch: (items: I[]) => Promise<Outcome<O>[]>,
    /** Writes one item alone: used when a batch failed as a whole, so one bad item fails alone. */
    private readonly writeOne: (item: I) => Promise<O>,
    private readonly maxBatch = 128,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Let the requests of the same tick join the first batch.
        queueMicrotask(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        if (batch.length === 1) {
          const [only] = batch as [(typeof batch)[number]];
          await this.writeOne(only.item).then(only.resolve, only.reject);
          continue;
        }
        let outcomes: Outcome<O>[] | null = null;
        try {
          outcomes = await this.writeBatch(batch.map((b) => b.item));
        } catch {
          outcomes = null;
        }
        if (outcomes) {
          batch.forEach((b, i) => {
            const outcome = outcomes[i] as Outcome<O>;
            if (outcome.ok) b.resolve(outcome.value);
            else b.reject(outcome.error);
          });
        } else {
          // Nothing of the batch was written; each item is tried alone and answers for itself.
          for (const b of batch) await this.writeOne(b.item).then(b.resolve, b.reject);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
