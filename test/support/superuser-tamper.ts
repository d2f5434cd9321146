// What a database superuser can do to the chains with the append-only triggers off, and with the
// published algorithms (src/domain/chain-hash.ts, audit-chain.ts) at hand: edit, delete or append
// rows, then recompute every running balance and every hash so that the verifiers' recomputation
// agrees. The tests of signed checkpoints use it to show what only a checkpoint catches.
import { randomUUID } from 'node:crypto';
import { GENESIS_HASH, hashTransaction } from '../../src/domain/chain-hash.ts';
import { toIsoDate } from '../../src/domain/dates.ts';
import type { AccountKind } from '../../src/domain/ledger-accounts.ts';
import { balanceEffect } from '../../src/domain/ledger-postings.ts';
import { type Money, ZERO, formatMoney, money } from '../../src/domain/money.ts';
import type { Tx } from '../../src/db/transaction.ts';
import type { PrismaClient } from '#prisma';

const CHAIN_TABLES = ['ledger_transaction', 'ledger_entry', 'ledger_seal', 'audit_event', 'audit_chain', 'audit_chain_head'];

/**
 * Runs `work` in one transaction with every trigger off, as a superuser can: by default with
 * session_replication_role = replica; with 'disable-triggers', by ALTER TABLE … DISABLE TRIGGER ALL
 * on the chains' tables (enabled again before commit).
 */
export async function asSuperuser(prisma: PrismaClient, work: (tx: Tx) => Promise<void>, how: 'replica' | 'disable-triggers' = 'replica'): Promise<void> {
  await prisma.$transaction(
    async (tx) => {
      if (how === 'replica') await tx.$executeRawUnsafe('SET LOCAL session_replication_role = replica');
      else for (const table of CHAIN_TABLES) await tx.$executeRawUnsafe(`ALTER TABLE "${table}" DISABLE TRIGGER ALL`);
      await work(tx);
      if (how === 'disable-triggers') for (const table of CHAIN_TABLES) await tx.$executeRawUnsafe(`ALTER TABLE "${table}" ENABLE TRIGGER ALL`);
    },
    { timeout: 60_000 },
  );
}

/** Recomputes every entry's running balance and every transaction's prev_hash and hash, from seq 1. */
export async function rechainLedger(tx: Tx): Promise<void> {
  const txs = await tx.$queryRawUnsafe<
    {
      id: string;
      seq: bigint;
      programme_id: string;
      kind: string;
      event_date: Date;
      recorded_at: Date;
      description: string;
      source_type: string;
      source_id: string;
      actor_id: string;
      reverses_id: string | null;
    }[]
  >(`SELECT id::text, seq, programme_id::text, kind::text, event_date, recorded_at, description, source_type, source_id::text, actor_id::text,
            reverses_id::text FROM ledger_transaction ORDER BY seq`);
  const entries = await tx.$queryRawUnsafe<
    {
      transaction_id: string;
      line: number;
      account_id: string;
      code: string;
      kind: AccountKind;
      direction: 'debit' | 'credit';
      amount: string;
      currency: string;
    }[]
  >(`SELECT e.transaction_id::text, e.line, e.account_id::text, a.code, a.kind::text AS kind, e.direction::text AS direction, e.amount::text AS amount, e.currency
     FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id JOIN ledger_transaction t ON t.id = e.transaction_id ORDER BY t.seq, e.line`);
  const balances = new Map<string, Money>();
  let prevHash = GENESIS_HASH;
  for (const t of txs) {
    const lines = entries.filter((e) => e.transaction_id === t.id);
    for (const e of lines) {
      const balance = (balances.get(e.account_id) ?? ZERO).plus(balanceEffect(e.kind, e.direction, money(e.amount)));
      balances.set(e.account_id, balance);
      await tx.$executeRawUnsafe(
        `UPDATE ledger_entry SET balance_after = $1::numeric, seq = $2 WHERE transaction_id = $3::uuid AND line = $4`,
        formatMoney(balance),
        t.seq,
        t.id,
        e.line,
      );
    }
    const hash = await hashTransaction({
      seq: t.seq,
      id: t.id,
      programmeId: t.programme_id,
      kind: t.kind,
      eventDate: toIsoDate(t.event_date),
      recordedAt: t.recorded_at.toISOString(),
      description: t.description,
      sourceType: t.source_type,
      sourceId: t.source_id,
      actorId: t.actor_id,
      reversesId: t.reverses_id,
      entries: lines.map((e) => ({ line: e.line, account: e.code, direction: e.direction, amount: e.amount, currency: e.currency })),
      prevHash,
    });
    await tx.$executeRawUnsafe(`UPDATE ledger_transaction SET prev_hash = $1, hash = $2 WHERE id = $3::uuid`, prevHash, hash, t.id);
    prevHash = hash;
  }
}

/** Deletes the transactions at `seqs` and their entries, then closes the gaps (later ones move down). */
export async function deleteTransactions(tx: Tx, ...seqs: number[]): Promise<void> {
  for (const seq of [...seqs].sort((a, b) => b - a)) {
    await tx.$executeRawUnsafe(`DELETE FROM ledger_entry WHERE transaction_id IN (SELECT id FROM ledger_transaction WHERE seq = $1)`, seq);
    await tx.$executeRawUnsafe(`DELETE FROM ledger_transaction WHERE seq = $1`, seq);
    // Through a far range, so that no two rows ever share a sequence on the way.
    await tx.$executeRawUnsafe(`UPDATE ledger_transaction SET seq = seq + 1000000 WHERE seq > $1`, seq);
    await tx.$executeRawUnsafe(`UPDATE ledger_transaction SET seq = seq - 1000001 WHERE seq > 1000000`);
  }
}

/** Appends a copy of transaction `likeSeq` (same accounts and amounts, new ids, recorded now) at the end. */
export async function appendForgedCopy(tx: Tx, likeSeq: number): Promise<void> {
  const id = randomUUID();
  const [{ seq } = { seq: 0n }] = await tx.$queryRawUnsafe<{ seq: bigint }[]>(`SELECT max(seq) AS seq FROM ledger_transaction`);
  await tx.$executeRawUnsafe(
    `INSERT INTO ledger_transaction (id, seq, programme_id, kind, event_date, recorded_at, description, source_type, source_id, actor_id, reverses_id, prev_hash, hash)
     SELECT $1::uuid, $2, programme_id, kind, event_date, now(), description, source_type, $3::uuid, actor_id, NULL, $4, $4
     FROM ledger_transaction WHERE seq = $5`,
    id,
    seq + 1n,
    randomUUID(),
    'f'.repeat(64),
    likeSeq,
  );
  await tx.$executeRawUnsafe(
    `INSERT INTO ledger_entry (transaction_id, line, seq, account_id, direction, amount, currency, balance_after)
     SELECT $1::uuid, line, $2, account_id, direction, amount, currency, 0 FROM ledger_entry
     WHERE transaction_id = (SELECT id FROM ledger_transaction WHERE seq = $3)`,
    id,
    seq + 1n,
    likeSeq,
  );
}

/** Deletes the newest audit event and its chain row, and points the head at the row before it. */
export async function deleteNewestAuditEvent(tx: Tx): Promise<void> {
  const [last] = await tx.$queryRawUnsafe<{ seq: bigint; audit_event_id: bigint }[]>(`SELECT seq, audit_event_id FROM audit_chain ORDER BY seq DESC LIMIT 1`);
  if (!last) throw new Error('no audit chain to cut');
  await tx.$executeRawUnsafe(`DELETE FROM audit_chain WHERE seq = $1`, last.seq);
  await tx.$executeRawUnsafe(`DELETE FROM audit_event WHERE id = $1`, last.audit_event_id);
  await tx.$executeRawUnsafe(
    `UPDATE audit_chain_head SET seq = c.seq, hash = c.hash FROM (SELECT seq, hash FROM audit_chain ORDER BY seq DESC LIMIT 1) c WHERE id = 1`,
  );
}
