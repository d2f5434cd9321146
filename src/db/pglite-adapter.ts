// The embedded database's Prisma driver adapter (pglite-prisma-adapter 0.7.2), with one fix:
// its transactions swallow a failed COMMIT. It resolves the commit with the result of
// `pglite.transaction(...).catch(reject)`, and that `reject` belongs to a promise that has
// already resolved, so an error raised at COMMIT (a deferred constraint trigger: "every ledger
// transaction balances") vanishes and Prisma reports success for rows that were rolled back.
// This wrapper starts transactions itself and lets the commit reject. Remove it when the
// adapter is fixed (test: ledger-rules "an interactive Prisma transaction reports the failed COMMIT").
import type { PGlite, Transaction as PGliteTx } from '@electric-sql/pglite';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

type QueryableClass = new (client: PGliteTx) => Transaction & { onError(error: unknown): never };

/**
 * Resolves after the event loop has polled for I/O and run its timers once. PGlite runs a query
 * synchronously and resolves it at once, so a request's queries, and those of every request in
 * flight, follow one another as microtasks: without a pause the loop would neither read new
 * requests (to count or shed them) nor fire the request deadlines until all of them had ended.
 */
function nextTurn(): Promise<void> {
  return new Promise((resume) => setImmediate(resume));
}

/** Lets the event loop take a turn after each query of `queryable` (see nextTurn). */
function yieldAfterEachQuery<T extends Pick<Transaction, 'queryRaw' | 'executeRaw'>>(queryable: T): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  const executeRaw = queryable.executeRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    try {
      return await queryRaw(query);
    } finally {
      await nextTurn();
    }
  };
  queryable.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } finally {
      await nextTurn();
    }
  };
  return queryable;
}

export function embeddedAdapterFactory(pglite: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaPGlite(pglite);
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connectToShadowDb: () => inner.connectToShadowDb(),
    async connect(): Promise<SqlDriverAdapter> {
      const adapter = await inner.connect();
      // The adapter's base class runs queries on whatever client it is given; reuse it for a
      // transaction whose commit and rollback report what PGlite reports.
      const Queryable = Object.getPrototypeOf(Object.getPrototypeOf(adapter)).constructor as QueryableClass;
      class EmbeddedTransaction extends Queryable {
        override readonly options = { usePhantomQuery: true };
        constructor(
          tx: PGliteTx,
          private readonly finish: (outcome: 'commit' | 'rollback') => Promise<void>,
        ) {
          super(tx);
          yieldAfterEachQuery(this);
        }
        override async commit(): Promise<void> {
          await this.finish('commit');
        }
        override async rollback(): Promise<void> {
          await this.finish('rollback');
        }
      }
      (adapter as unknown as { startTransactionInner: unknown }).startTransactionInner = (conn: PGlite) =>
        new Promise<Transaction>((resolveStart, rejectStart) => {
          let started = false;
          let release!: (outcome: 'commit' | 'rollback') => void;
          const outcome = new Promise<'commit' | 'rollback'>((r) => (release = r));
          const result = conn.transaction(async (tx) => {
            started = true;
            const finish = async (how: 'commit' | 'rollback') => {
              if (how === 'rollback') await tx.rollback();
              release(how);
              await result;
            };
            resolveStart(new EmbeddedTransaction(tx, finish));
            await outcome;
          });
          // Before the transaction started, a failure is the start's; after, the commit's.
          result.catch((error: unknown) => {
            if (!started) rejectStart(error);
          });
        });
      return yieldAfterEachQuery(adapter);
    },
  };
}
