// How database refusals surface through Prisma 7 (PGlite and adapter-pg alike).
import { DriverAdapterError } from '@prisma/driver-adapter-utils';
import { DATABASE_RULES, type DatabaseRuleCode, type ErrorCode, isDatabaseRuleCode } from '../domain/error-catalogue.ts';
import { Prisma } from '#prisma';

/** What the driver said, as Prisma 7 passes it on (`meta.driverAdapterError.cause`) or as the driver threw it. */
interface DriverError {
  /** SQLSTATE, e.g. P0001 (a trigger's RAISE), 23505 (unique), 23514 (check). */
  code?: string;
  message?: string;
  hint?: string;
  detail?: string;
  /** The constraint or index: on the driver's own error, or `{ index }` in a Prisma unique violation. */
  constraint?: string | { index?: string };
}

type AdapterCause = DriverError & { originalCode?: string; originalMessage?: string };

const fromAdapter = (cause: AdapterCause | undefined): DriverError | null =>
  cause ? { ...cause, code: cause.originalCode ?? cause.code, message: cause.originalMessage ?? cause.message } : null;

function driverErrorOf(error: unknown): DriverError | null {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    return fromAdapter((error.meta as { driverAdapterError?: { cause?: AdapterCause } } | undefined)?.driverAdapterError?.cause);
  }
  // A refusal at COMMIT (a deferred trigger) of an interactive transaction: adapter-pg's error as
  // is, or the driver's own (PGlite's DatabaseError, through src/db/pglite-adapter.ts).
  if (error instanceof DriverAdapterError) return fromAdapter(error.cause as AdapterCause);
  if (error instanceof Error && typeof (error as DriverError).code === 'string' && 'severity' in error) return error as DriverError;
  return null;
}

/** A refusal of the database named by its rule, with the facts it gave (DETAIL, when it is JSON). */
export interface DatabaseRefusal {
  rule: DatabaseRuleCode;
  /** The API code that answers this rule (src/domain/error-catalogue.ts), or null when the API has none. */
  answer: ErrorCode | null;
  facts: Record<string, string>;
}

/**
 * The constraint PostgreSQL names in its own words for a unique or CHECK violation (`… violates
 * unique constraint "grant_one_per_year"`): the PGlite adapter passes no constraint beside them,
 * and neither adapter does for a CHECK. A fixed format of the server's, not text of ours.
 */
const CONSTRAINT_IN_MESSAGE = /violates (?:unique|check) constraint "([a-z0-9_]+)"/;

function constraintOf(driver: DriverError): string | undefined {
  const named = typeof driver.constraint === 'string' ? driver.constraint : driver.constraint?.index;
  return named ?? CONSTRAINT_IN_MESSAGE.exec(driver.message ?? '')?.[1];
}

/**
 * The database rule behind a refusal, or null when the error is not one. Triggers name their rule
 * in HINT (migration *_error_codes, SQLSTATE P0001); a unique index (23505) or a CHECK constraint
 * (23514) is named by the constraint. Whatever the driver, PGlite or pg, and whether Prisma wrapped
 * the error (P2039, P2010, P2002) or the driver threw it at COMMIT.
 */
export function databaseRuleOf(error: unknown): DatabaseRefusal | null {
  const driver = driverErrorOf(error);
  if (!driver) return null;
  const name = driver.code === 'P0001' ? driver.hint : driver.code === '23505' || driver.code === '23514' ? constraintOf(driver) : undefined;
  if (!name || !isDatabaseRuleCode(name)) return null;
  return { rule: name, answer: DATABASE_RULES[name], facts: factsOf(driver.detail) };
}

function factsOf(detail: string | undefined): Record<string, string> {
  if (!detail?.startsWith('{')) return {};
  try {
    const parsed: unknown = JSON.parse(detail);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

/**
 * A number did not fit its column (PostgreSQL 22003, numeric_value_out_of_range): an amount that
 * would take a balance past NUMERIC(14,2). The statement wrote nothing.
 */
export function isNumericOverflow(error: unknown): boolean {
  return driverErrorOf(error)?.code === '22003';
}

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
