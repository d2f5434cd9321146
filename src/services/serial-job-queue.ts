// The jobs a process's runner holds, carried out one at a time in the order taken, in the
// service's own event loop (see reconciliation-job-runner.ts and bulk-step-job-runner.ts for why).
export interface SerialJobQueueOptions<T> {
  /** Carries out one job; what it throws is its own to record (it must not throw). */
  run: (job: T) => Promise<void>;
  /** Called when the queue has run dry. */
  afterDrain?: () => void;
  /** How the queue is set going after a job is taken; default: on the next turn of the event loop. */
  schedule?: (start: () => void) => void;
}

export class SerialJobQueue<T> {
  private readonly jobs: T[] = [];
  private draining: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: SerialJobQueueOptions<T>) {}

  /** Takes a job; it runs after those taken before it. */
  push(job: T): void {
    this.jobs.push(job);
    (this.options.schedule ?? ((start) => setTimeout(start, 0)))(() => {
      this.draining ??= this.drain().finally(() => {
        this.draining = null;
      });
    });
  }

  /** Resolves once nothing is queued or running. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Drops the jobs not yet started and starts no more (the one running finishes its turn). */
  stop(): void {
    this.stopped = true;
    this.jobs.length = 0;
  }

  private async drain(): Promise<void> {
    for (let job = this.jobs.shift(); job !== undefined && !this.stopped; job = this.jobs.shift()) await this.options.run(job);
    this.options.afterDrain?.();
  }
}
