import { describe, expect, it } from 'vitest';
import { GroupCommit, type Outcome } from '../../src/services/group-commit.ts';

describe('GroupCommit', () => {
  it('writes requests of the same tick together, and later ones in the next batch', async () => {
    const batches: number[][] = [];
    const ones: number[] = [];
    const gc = new GroupCommit<number, number>(
      async (items) => {
        batches.push(items);
        await new Promise((r) => setTimeout(r, 5));
        return items.map((i) => ({ ok: true, value: i * 10 }));
      },
      async (item) => {
        ones.push(item);
        return item * 10;
      },
    );
    const first = [1, 2, 3].map((i) => gc.submit(i));
    await new Promise((r) => setTimeout(r, 1));
    const second = [4, 5].map((i) => gc.submit(i));
    expect(await Promise.all([...first, ...second])).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(ones).toEqual([]);
  });

  it('writes a lone request alone', async () => {
    const ones: number[] = [];
    const gc = new GroupCommit<number, number>(
      async () => {
        throw new Error('no batch expected');
      },
      async (item) => {
        ones.push(item);
        return item;
      },
    );
    expect(await gc.submit(7)).toBe(7);
    expect(ones).toEqual([7]);
  });

  it('answers each request with its own outcome', async () => {
    const gc = new GroupCommit<number, number>(
      async (items) => items.map((i): Outcome<number> => (i % 2 ? { ok: true, value: i } : { ok: false, error: new Error(`even ${i}`) })),
      async (item) => item,
    );
    const results = await Promise.allSettled([1, 2, 3].map((i) => gc.submit(i)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('even 2');
  });

  it('retries each item alone when the batch fails as a whole, so one bad item fails alone', async () => {
    const gc = new GroupCommit<number, number>(
      async () => {
        throw new Error('batch failed');
      },
      async (item) => {
        if (item === 2) throw new Error('bad item');
        return item;
      },
    );
    const results = await Promise.allSettled([1, 2, 3].map((i) => gc.submit(i)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([1, 'bad item', 3]);
  });

  it('caps a batch at its maximum size', async () => {
    const sizes: number[] = [];
    const gc = new GroupCommit<number, number>(
      async (items) => {
        sizes.push(items.length);
        return items.map((i) => ({ ok: true, value: i }));
      },
      async (item) => item,
      3,
    );
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((i) => gc.submit(i)));
    expect(sizes).toEqual([3, 3]);
  });
});
