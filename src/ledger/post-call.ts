// The call to the database function ledger_post (migration ledger_append_functions), built so
// that a use case can run it alone or inside one statement together with its business record:
// the append lock is then held for one statement and the commit.
import { type CanonicalTransaction, canonicalSegments, hashTransaction } from '../domain/chain-hash.ts';
import { accountCode } from '../domain/ledger-accounts.ts';
import { type LedgerTransactionKind, type Posting, checkPostings } from '../domain/ledger-postings.ts';
import { CURRENCY, type Money, formatMoney, money } from '../domain/money.ts';
import { RuleViolationError } from '../domain/errors.ts';
import { databaseRuleOf } from '../db/errors.ts';
import { Prisma } from '#prisma';

export interface PostInput {
  programmeId: string;
  kind: LedgerTransactionKind;
  /** The day the event happened (value date), YYYY-MM-DD. */
  eventDate: string;
  description: string;
  /** The business record this transaction belongs to, e.g. `funding_receipt` + its id. */
  sourceType: string;
  sourceId: string;
  actorId: string;
  postings: Posting[];
  reversesId?: string | null;
  /** Fixed id, for callers that must reference the transaction before it is posted. */
  id?: string;
}

export interface PostedEntry {
  line: number;
  account: string;
  direction: 'debit' | 'credit';
  amount: Money;
  balanceAfter: Money;
}

export interface PostedTransaction {
  id: string;
  seq: bigint;
  hash: string;
  prevHash: string;
  recordedAt: Date;
  entries: PostedEntry[];
}

/** Raised when a posting would take `fund`, a `payable` or `in_transit` below zero. */
export class InsufficientBalanceError extends RuleViolationError<'insufficient_balance'> {
  constructor(account: string, available: Money, needed: Money) {
    super('insufficient_balance', { account: account.split(':')[0] ?? account, available: formatMoney(available), needed: formatMoney(needed) });
  }
}

/** Columns ledger_post returns, one row per entry. */
export interface PostRow {
  seq: bigint;
  prev_hash: string;
  hash: string;
  line: number;
  balance_after: string;
}

export interface PreparedPost {
  /** The id the transaction will have, for business records that point at it. */
  transactionId: string;
  /** `ledger_post(…)` with every argument bound; select `seq, prev_hash, hash, line, balance_after::text` from it. */
  call: Prisma.Sql;
  /** Checks the database's answer and shapes it. Must run before commit. */
  finish(rows: PostRow[]): Promise<PostedTransaction>;
}

/** A transaction ready to post: its content, and the canonical form cut for ledger_post. */
export interface DescribedPost {
  id: string;
  recordedAt: Date;
  content: Omit<CanonicalTransaction, 'seq' | 'prevHash'>;
  segments: [string, string, string];
}

export function describePost(input: PostInput): DescribedPost {
  const problem = checkPostings(input.postings);
  if (problem) throw new Error(`invalid postings: ${JSON.stringify(problem)}`);
  const id = input.id ?? crypto.randomUUID();
  const recordedAt = new Date();
  const content = {
    id,
    programmeId: input.programmeId,
    kind: input.kind,
    eventDate: input.eventDate,
    recordedAt: recordedAt.toISOString(),
    description: input.description,
    sourceType: input.sourceType,
    sourceId: input.sourceId,
    actorId: input.actorId,
    reversesId: input.reversesId ?? null,
    entries: input.postings.map((p, i) => ({
      line: i + 1,
      account: accountCode(p.account),
      direction: p.direction,
      amount: formatMoney(p.amount),
      currency: CURRENCY,
    })),
  };
  return { id, recordedAt, content, segments: canonicalSegments(content) };
}

/** Checks ledger_post's answer for one transaction and shapes it. Must run before commit. */
export async function finishPost(described: DescribedPost, rows: PostRow[]): Promise<PostedTransaction> {
  const { content } = described;
  const first = rows[0];
  if (!first || rows.length !== content.entries.length) throw new Error('ledger_post returned no entries');
  const seq = BigInt(first.seq);
  // The database hashed the canonical form; Web Crypto must agree.
  const hash = await hashTransaction({ ...content, seq, prevHash: first.prev_hash });
  if (hash !== first.hash) throw new Error(`ledger hash mismatch at seq ${seq}: the database and the service disagree`);
  const balanceByLine = new Map(rows.map((r) => [Number(r.line), money(r.balance_after)]));
  return {
    id: described.id,
    seq,
    hash,
    prevHash: first.prev_hash,
    recordedAt: described.recordedAt,
    entries: content.entries.map((e) => ({
      line: e.line,
      account: e.account,
      direction: e.direction,
      amount: money(e.amount),
      balanceAfter: balanceByLine.get(e.line) as Money,
    })),
  };
}

/**
 * Prepares the append of one transaction. `accountIds` gives, per posting line, the account id,
 * or an SQL expression that yields it (so a single statement can look it up).
 */
export function preparePost(input: PostInput, accountIds: (string | Prisma.Sql)[]): PreparedPost {
  if (accountIds.length !== input.postings.length) throw new Error('one account id per posting');
  const described = describePost(input);
  const { content } = described;
  // Arrays travel as built-in types (text[], not "EntryDirection"[]): the embedded driver learns
  // array types when it connects, so a type created by a migration in the same process would be
  // sent as a plain string.
  const ids = Prisma.join(accountIds.map((a) => (typeof a === 'string' ? Prisma.sql`${a}::uuid` : a)));
  const call = Prisma.sql`ledger_post(
    ${content.id}::uuid, ${content.programmeId}::uuid, ${content.kind}::"LedgerTransactionKind", ${content.eventDate}::date,
    ${content.recordedAt}::timestamptz, ${content.description}, ${content.sourceType}, ${content.sourceId}::uuid,
    ${content.actorId}::uuid, ${content.reversesId}::uuid, ${described.segments}::text[],
    ${content.entries.map((e) => e.line)}::int[], ARRAY[${ids}]::uuid[],
    ${content.entries.map((e) => e.direction)}::text[]::"EntryDirection"[], ${content.entries.map((e) => e.amount)}::numeric[])`;
  return { transactionId: described.id, call, finish: (rows) => finishPost(described, rows) };
}

/** Turns ledger_post's refusal of a negative balance (with its figures) into the domain error; rethrows anything else. */
export function rethrowPostError(error: unknown): never {
  const refusal = databaseRuleOf(error);
  if (refusal?.rule === 'ledger_insufficient_balance') {
    const { account, available, needed } = refusal.facts;
    if (account && available && needed) throw new InsufficientBalanceError(account, money(available), money(needed));
  }
  throw error;
}
