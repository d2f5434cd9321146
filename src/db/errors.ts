// How database refusals surface through Prisma 7 (PGlite and adapter-pg alike).
import { Prisma } from '../generated/prisma/client.ts';

/** A unique index refused the row (PostgreSQL 23505, Prisma P2002): a concurrent duplicate. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
