// How database refusals surface through Prisma 7 (PGlite and adapter-pg alike).
import { Prisma } from '../generated/prisma/client.ts';

/** A unique index refused the row (PostgreSQL 23505, Prisma P2002): a concurrent duplicate. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/**
 * PostgreSQL aborted the transaction to break a deadlock (40P01) or a serialization conflict
 * (40001). Nothing of it was kept, so running the whole transaction again is safe. Through Prisma 7
 * the model API reports it as P2034, raw queries as P2010 with the driver's original code.
 */
export function isTransientConflict(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === 'P2034') return true;
  const cause = (error.meta as { driverAdapterError?: { cause?: { originalCode?: string; kind?: string } } } | undefined)?.driverAdapterError?.cause;
  return cause?.originalCode === '40P01' || cause?.originalCode === '40001' || cause?.kind === 'TransactionWriteConflict';
}

/** How many times a transaction aborted by a deadlock or a serialization conflict is run in all. */
export const TRANSIENT_CONFLICT_ATTEMPTS = 3;

/**
 * Runs `transaction` again when the database aborted it for a deadlock or serialization conflict,
 * after a short random pause so that the two sides do not meet again; at most
 * TRANSIENT_CONFLICT_ATTEMPTS runs, then the last error is thrown.
 */
export async function retryTransientConflicts<T>(transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= TRANSIENT_CONFLICT_ATTEMPTS || !isTransientConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
