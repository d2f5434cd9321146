// Peak memory for benchmark scripts: RSS and heap sampled on a timer (and on demand from hot
// loops, where the timer may not get a turn), from the moment the sampler starts.
export interface MemorySampler {
  readonly rssBefore: number;
  /** Takes a sample now. */
  sample(): void;
  /** Stops the timer, takes a last sample and returns the peaks in bytes. */
  stop(): { peakRss: number; peakHeap: number };
}

export function startMemorySampler(intervalMs = 25): MemorySampler {
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  let peakHeap = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, intervalMs);
  return {
    rssBefore,
    sample,
    stop() {
      clearInterval(timer);
      sample();
      return { peakRss, peakHeap };
    },
  };
}
