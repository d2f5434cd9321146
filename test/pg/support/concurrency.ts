// Helpers for the PostgreSQL concurrency suites: run many tasks through a fixed number of
// concurrent clients, release them together so that they really race, and sort what they answered.
import { DomainError } from '../../../src/domain/errors.ts';

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

/** Each settled result is a success or a domain error whose code is one of `expected`; anything else is thrown. */
export function outcomes(results: PromiseSettledResult<unknown>[], expected: string[]): { ok: number; refused: Record<string, number> } {
  const refused: Record<string, number> = {};
  let ok = 0;
  for (const r of results) {
    if (r.status === 'fulfilled') {
      ok++;
      continue;
    }
    const error = r.reason as unknown;
    if (!(error instanceof DomainError) || !expected.includes(error.code)) throw error;
    refused[error.code] = (refused[error.code] ?? 0) + 1;
  }
  return { ok, refused };
}
