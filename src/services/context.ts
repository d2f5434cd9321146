// What every use case receives: who is acting, and the database. Services own their transaction
// (one per use case, audit event inside it); they know nothing about HTTP.
import { isNumericOverflow, isTransientConflict, retryTransientConflicts } from '../db/errors.ts';
import { RuleViolationError, TransientConflictError } from '../domain/errors.ts';
import type { Tx } from '../db/transaction.ts';
import type { PrismaClient } from '#prisma';
import type { Coverage } from '../domain/audit-engagements.ts';
import type { Role } from '../domain/roles.ts';
import type { PiiVault } from '../privacy/pii-vault.ts';

/** The client inside an interactive transaction (src/db/transaction.ts), for the services. */
export type { Tx };

export type OrganisationKind = 'civil_affairs' | 'foundation' | 'audit' | 'platform';

export interface Actor {
  userId: string;
  organisationId: string;
  organisationKind: OrganisationKind;
  role: Role;
  /**
   * Auditors only: what their organisation's current audit engagements cover, loaded when the
   * token is authenticated (src/services/tokens.ts). An auditor without it sees nothing.
   */
  coverage?: Coverage;
}

export interface ServiceContext {
  db: PrismaClient;
  actor: Actor;
  /** Seals and opens personal data; needed by the services that touch students. */
  vault?: PiiVault;
  /** Carried into audit events so a log line and an audit row can be matched. */
  requestId?: string;
  /**
   * An open transaction to join instead of starting one: the idempotency guard claims its key in
   * the same transaction as the use case, so both commit or neither does.
   */
  tx?: Tx;
}

/** What a use case is called with: `verbNoun({ ctx, input })`; it parses `input` with its own schema. */
export interface UseCaseCall<I> {
  ctx: ServiceContext;
  input: I;
}

/**
 * Runs `work` in the context's open transaction, or in a new one. `timeoutMs` lengthens the
 * client's default limit for use cases whose size grows with a batch (sending or settling
 * tens of thousands of payouts), so a large batch is not rolled back for taking long.
 */
export async function inTransaction<T>(ctx: ServiceContext, work: (tx: Tx) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
  if (ctx.tx) return work(ctx.tx);
  return runTransaction(() => ctx.db.$transaction((tx) => work(tx), options.timeoutMs ? { timeout: options.timeoutMs } : undefined));
}

/**
 * Runs a whole database transaction, again when PostgreSQL aborted it to break a deadlock or a
 * serialization conflict (src/db/errors.ts); if that keeps happening, a typed 409 the caller may
 * retry, instead of a raw database error.
 */
export async function runTransaction<T>(transaction: () => Promise<T>): Promise<T> {
  try {
    return await retryTransientConflicts(transaction);
  } catch (error) {
    if (isTransientConflict(error)) throw new TransientConflictError();
    if (isNumericOverflow(error)) throw new RuleViolationError('amount_out_of_range');
    throw error;
  }
}

/** For use cases that write one row per payout of a batch: ten minutes. */
export const BATCH_TRANSACTION_TIMEOUT_MS = 600_000;

/** The vault, for services that store or show personal data. */
export function vaultOf(ctx: ServiceContext): PiiVault {
  if (!ctx.vault) throw new Error('this use case needs the personal-data vault in its context');
  return ctx.vault;
}
