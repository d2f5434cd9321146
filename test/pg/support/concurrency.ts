// Helpers for the PostgreSQL concurrency suites: run many tasks through a fixed number of
// concurrent clients, and release them together so that they really race.

/** Runs `count` tasks through `clients` concurrent workers; results in task order, failures kept. */
export async function runWithClients<T>(count: number, clients: number, task: (index: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      try {
        results[i] = { status: 'fulfilled', value: await task(i) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(clients, count) }, worker));
  return results;
}

/** A gate: every task awaits `wait()`; `open()` releases them in the same tick. */
export function startingGate(): { wait: () => Promise<void>; open: () => void } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait: () => gate, open };
}

/** Starts `count` tasks that all wait on one gate, opens it, and settles them all. */
export async function race<T>(count: number, task: (index: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  const gate = startingGate();
  const running = Array.from({ length: count }, async (_, i) => {
    await gate.wait();
    return task(i);
  });
  gate.open();
  return Promise.allSettled(running);
}

export const fulfilled = <T>(results: PromiseSettledResult<T>[]): T[] => results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));

export const rejected = <T>(results: PromiseSettledResult<T>[]): unknown[] => results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
