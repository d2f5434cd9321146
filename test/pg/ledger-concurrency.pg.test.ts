// The ledger under real concurrency, on a real PostgreSQL server (PGlite runs one transaction at a
// time and hides races — TOOLCHAIN.md). Each test gets its own freshly created database, so the
// global sequence starts at 1 and nothing from another test is visible.
import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { hashTransaction } from '../../src/domain/chain-hash.ts';
import { ConflictError } from '../../src/domain/errors.ts';
import { postings } from '../../src/domain/ledger-postings.ts';
import { formatMoney, money } from '../../src/domain/money.ts';
import { InsufficientBalanceError, postTransaction } from '../../src/ledger/journal.ts';
import { programmeBalances } from '../../src/ledger/balances.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { recordFundingReceipt, reverseFundingReceipt } from '../../src/services/funding-receipts.ts';
import { makeProgramme } from '../support/fixtures.ts';
import { fulfilled, race, rejected, runWithClients } from './support/concurrency.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';

const POOL = 20;
const CLIENTS = 16;

describe.skipIf(!process.env.TEST_DATABASE_URL)('ledger under concurrent writers (PostgreSQL)', () => {
  const t = usePgTestDatabase(POOL, { perTest: true });

  async function fund(programmeId: string, amount: string, bankReference = `FUND-${randomUUID()}`) {
    return recordFundingReceipt({
      ctx: t.world.users.finance.ctx,
      input: { programmeId, remitterId: t.world.foundation.id, amount, receivedOn: '2025-09-01', bankReference },
    });
  }

  async function ledgerShape() {
    const [row] = await t.db.prisma.$queryRaw<{ n: bigint; distinct_seqs: bigint; min_seq: bigint | null; max_seq: bigint | null }[]>`
      SELECT count(*) AS n, count(DISTINCT "seq") AS distinct_seqs, min("seq") AS min_seq, max("seq") AS max_seq FROM "ledger_transaction"`;
    return { n: Number(row!.n), distinct: Number(row!.distinct_seqs), min: Number(row!.min_seq ?? 0), max: Number(row!.max_seq ?? 0) };
  }

  it('16 writers appending 2,000 funding receipts over 3 programmes leave a gapless, verifying chain and exact fund balances', {
    timeout: 300_000,
  }, async () => {
    const TOTAL = 2000;
    const programmes = [await makeProgramme(t.world), await makeProgramme(t.world), await makeProgramme(t.world)];
    // Amounts with fen, varied, so that a lost or doubled posting changes the sum.
    const amountOf = (i: number) => `${1 + ((i * 7919) % 99_999)}.${String((i * 37) % 100).padStart(2, '0')}`;
    const programmeOf = (i: number) => programmes[i % programmes.length]!.id;

    const started = performance.now();
    const results = await runWithClients(TOTAL, CLIENTS, (i) => fund(programmeOf(i), amountOf(i), `BR-${String(i).padStart(5, '0')}`));
    const elapsed = performance.now() - started;
    const failures = rejected(results);
    expect(failures, String(failures[0])).toEqual([]);
    console.info(`[ledger-concurrency] ${TOTAL} receipts, ${CLIENTS} clients: ${Math.round(elapsed)} ms, ${Math.round(TOTAL / (elapsed / 1000))}/s`);

    // Every seq handed out once, 1..2000, no gap.
    expect(await ledgerShape()).toEqual({ n: TOTAL, distinct: TOTAL, min: 1, max: TOTAL });
    const seqs = fulfilled(results)
      .map((r) => Number(r.ledgerTransaction.seq))
      .sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));

    const verification = await verifyLedger(t.db.prisma);
    expect(verification.firstProblem).toBeNull();
    expect(verification).toMatchObject({ ok: true, transactionsChecked: TOTAL, entriesChecked: TOTAL * 2, head: { seq: String(TOTAL) } });

    const expected = new Map<string, Decimal>(programmes.map((p) => [p.id, new Decimal(0)]));
    for (let i = 0; i < TOTAL; i++) expected.set(programmeOf(i), expected.get(programmeOf(i))!.plus(amountOf(i)));
    const balances = await programmeBalances(
      t.db.prisma,
      programmes.map((p) => p.id),
    );
    for (const p of programmes) {
      const want = formatMoney(expected.get(p.id)!);
      expect(formatMoney(balances.get(p.id)!.fund)).toBe(want);
      expect(formatMoney(balances.get(p.id)!.bank)).toBe(want);
      const [sum] = await t.db.prisma.$queryRaw<{ total: string }[]>`
        SELECT sum("amount")::text AS total FROM "funding_receipt" WHERE "programme_id" = ${p.id}::uuid`;
      expect(formatMoney(sum!.total)).toBe(want);
    }
  });

  it('40 spends of 500.00 racing one fund of 10,000.00 from 16 clients: exactly 20 pass, none overdraws, nothing is lost', async () => {
    const programme = await makeProgramme(t.world);
    const other = await makeProgramme(t.world);
    await fund(programme.id, '10000.00');
    await fund(other.id, '777.77'); // a second programme's fund must not be touched

    const SPENDS = 40;
    const grantIds = Array.from({ length: SPENDS }, () => randomUUID());
    const actorId = t.world.users.approver.actor.userId;
    const results = await runWithClients(SPENDS, CLIENTS, (i) =>
      t.db.prisma.$transaction((tx) =>
        postTransaction(tx, {
          programmeId: programme.id,
          kind: 'grant_approved',
          eventDate: '2025-09-02',
          description: `Grant ${i} approved`,
          sourceType: 'grant',
          sourceId: grantIds[i]!,
          actorId,
          postings: postings.grantApproved(grantIds[i]!, money('500.00')),
        }),
      ),
    );

    const ok = fulfilled(results);
    const failures = rejected(results);
    expect(ok).toHaveLength(20);
    expect(failures).toHaveLength(20);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(InsufficientBalanceError);
      expect(failure).toMatchObject({ code: 'insufficient_balance', details: { account: 'fund' } });
    }
    // The fund's running balances seen by the winners step down by 500.00 each, in seq order.
    const fundAfter = ok
      .slice()
      .sort((a, b) => Number(a.seq - b.seq))
      .map((t) => formatMoney(t.entries.find((e) => e.account === 'fund')!.balanceAfter));
    expect(fundAfter).toEqual(Array.from({ length: 20 }, (_, i) => formatMoney(money(10_000 - 500 * (i + 1)))));

    const balances = await programmeBalances(t.db.prisma, [programme.id, other.id]);
    expect(formatMoney(balances.get(programme.id)!.fund)).toBe('0.00');
    expect(formatMoney(balances.get(programme.id)!.payable)).toBe('10000.00');
    expect(formatMoney(balances.get(programme.id)!.bank)).toBe('10000.00');
    expect(formatMoney(balances.get(other.id)!.fund)).toBe('777.77');

    const [row] = await t.db.prisma.$queryRaw<{ min_balance: string; payables: bigint }[]>`
      SELECT min(e."balance_after")::text AS min_balance, count(DISTINCT a."id") FILTER (WHERE a."kind" = 'payable') AS payables
      FROM "ledger_entry" e JOIN "ledger_account" a ON a."id" = e."account_id" WHERE a."kind" <> 'bank'`;
    // No running balance of fund, payable or in_transit was ever below zero; 20 grants got a payable.
    expect(money(row!.min_balance).isNegative()).toBe(false);
    expect(Number(row!.payables)).toBe(20);

    const verification = await verifyLedger(t.db.prisma);
    expect(verification.firstProblem).toBeNull();
    expect(verification).toMatchObject({ ok: true, transactionsChecked: 2 + 20 });
  });

  /**
   * Posts Dr fund / Cr payable:<new grant> by raw SQL on its own connection, skipping the service
   * and its balance precheck: only the database's triggers stand between it and an overdraft.
   * The hash is computed properly, so an accepted transaction leaves a verifying chain.
   */
  async function rawSpend(client: pg.ClientBase, programmeId: string, amount: string): Promise<void> {
    const grantId = randomUUID();
    const txId = randomUUID();
    const actorId = t.world.users.approver.actor.userId;
    const recordedAt = new Date().toISOString();
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock(ledger_append_lock_key())');
      // int8 arrives as a string from pg; ordering stays on the bigint column.
      const head = await client.query<{ seq: string; hash: string }>('SELECT "seq", "hash" FROM "ledger_transaction" ORDER BY "seq" DESC LIMIT 1');
      const seq = BigInt(head.rows[0]?.seq ?? '0') + 1n;
      const prevHash = head.rows[0]?.hash ?? '0'.repeat(64);
      const fundId = (
        await client.query<{ id: string }>(`SELECT "id"::text AS id FROM "ledger_account" WHERE "programme_id" = $1 AND "code" = 'fund'`, [programmeId])
      ).rows[0]!.id;
      const payableId = randomUUID();
      const code = `payable:${grantId}`;
      await client.query(`INSERT INTO "ledger_account" ("id", "programme_id", "kind", "code", "grant_id") VALUES ($1, $2, 'payable', $3, $4)`, [
        payableId,
        programmeId,
        code,
        grantId,
      ]);
      const hash = await hashTransaction({
        seq,
        id: txId,
        programmeId,
        kind: 'grant_approved',
        eventDate: '2025-09-02',
        recordedAt,
        description: 'raw spend',
        sourceType: 'grant',
        sourceId: grantId,
        actorId,
        reversesId: null,
        entries: [
          { line: 1, account: 'fund', direction: 'debit', amount, currency: 'CNY' },
          { line: 2, account: code, direction: 'credit', amount, currency: 'CNY' },
        ],
        prevHash,
      });
      await client.query(
        `INSERT INTO "ledger_transaction" ("id", "seq", "programme_id", "kind", "event_date", "recorded_at", "description",
           "source_type", "source_id", "actor_id", "prev_hash", "hash")
         VALUES ($1, $2, $3, 'grant_approved', '2025-09-02', $4, 'raw spend', 'grant', $5, $6, $7, $8)`,
        [txId, seq.toString(), programmeId, recordedAt, grantId, actorId, prevHash, hash],
      );
      // balance_after is a placeholder: the trigger computes it, and refuses a negative one.
      await client.query(
        `INSERT INTO "ledger_entry" ("transaction_id", "line", "seq", "account_id", "direction", "amount", "currency", "balance_after")
         VALUES ($1, 1, $2, $3, 'debit', $5, 'CNY', 0), ($1, 2, $2, $4, 'credit', $5, 'CNY', 0)`,
        [txId, seq.toString(), fundId, payableId, amount],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }

  it('the database alone refuses an overdraft written by raw SQL that skips the service precheck (P0001)', async () => {
    const programme = await makeProgramme(t.world);
    await fund(programme.id, '10000.00');

    const client = new pg.Client({ connectionString: t.db.url });
    await client.connect();
    try {
      await expect(rawSpend(client, programme.id, '10000.01')).rejects.toMatchObject({
        code: 'P0001',
        message: 'ledger balance of fund account would go below zero',
      });
      // The same raw path is accepted when it does not overdraw: the refusal was the balance rule.
      await expect(rawSpend(client, programme.id, '10000.00')).resolves.toBeUndefined();
      await expect(rawSpend(client, programme.id, '0.01')).rejects.toMatchObject({ code: 'P0001' });
    } finally {
      await client.end();
    }

    const balances = await programmeBalances(t.db.prisma, [programme.id]);
    expect(formatMoney(balances.get(programme.id)!.fund)).toBe('0.00');
    expect(formatMoney(balances.get(programme.id)!.payable)).toBe('10000.00');
    const verification = await verifyLedger(t.db.prisma);
    expect(verification.firstProblem).toBeNull();
    expect(verification).toMatchObject({ ok: true, transactionsChecked: 2 });
  });

  it('16 raw-SQL clients racing 40 overdrafting spends: the trigger lets exactly 20 through', async () => {
    const programme = await makeProgramme(t.world);
    await fund(programme.id, '10000.00');

    const pool = new pg.Pool({ connectionString: t.db.url, max: CLIENTS });
    try {
      const results = await runWithClients(40, CLIENTS, async () => {
        const client = await pool.connect();
        try {
          await rawSpend(client, programme.id, '500.00');
        } finally {
          client.release();
        }
      });
      const failures = rejected(results);
      expect(fulfilled(results)).toHaveLength(20);
      expect(failures).toHaveLength(20);
      for (const failure of failures) expect(failure).toMatchObject({ code: 'P0001', message: 'ledger balance of fund account would go below zero' });
    } finally {
      await pool.end();
    }

    const balances = await programmeBalances(t.db.prisma, [programme.id]);
    expect(formatMoney(balances.get(programme.id)!.fund)).toBe('0.00');
    expect(formatMoney(balances.get(programme.id)!.payable)).toBe('10000.00');
    expect(await ledgerShape()).toEqual({ n: 21, distinct: 21, min: 1, max: 21 });
    const verification = await verifyLedger(t.db.prisma);
    expect(verification.firstProblem).toBeNull();
    expect(verification).toMatchObject({ ok: true, transactionsChecked: 21 });
  });

  it('8 clients reversing the same funding receipt: exactly one correction is posted', async () => {
    const programme = await makeProgramme(t.world);
    const receipt = await fund(programme.id, '1234.56', 'REV-1');
    await fund(programme.id, '100.00', 'REV-2');

    const results = await race(8, (i) =>
      reverseFundingReceipt({
        ctx: t.world.users.finance.ctx,
        input: { programmeId: programme.id, receiptId: receipt.id, reason: `Recorded in error (client ${i})`, eventDate: '2025-09-03' },
      }),
    );

    const ok = fulfilled(results);
    const failures = rejected(results);
    expect(ok).toHaveLength(1);
    expect(ok[0]).toMatchObject({ id: receipt.id, status: 'reversed' });
    expect(failures).toHaveLength(7);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(ConflictError);
      expect(failure).toMatchObject({ code: 'already_reversed', details: { reversalId: ok[0]!.reversal!.id } });
    }

    const corrections = await t.db.prisma.ledgerTransaction.findMany({ where: { kind: 'correction' } });
    expect(corrections).toHaveLength(1);
    expect(corrections[0]!.reversesId).toBe(receipt.ledgerTransaction.id);
    const audits = await t.db.prisma.auditEvent.count({ where: { action: 'funding_receipt.reverse', recordId: receipt.id } });
    expect(audits).toBe(1);

    const balances = await programmeBalances(t.db.prisma, [programme.id]);
    expect(formatMoney(balances.get(programme.id)!.fund)).toBe('100.00');
    expect(formatMoney(balances.get(programme.id)!.bank)).toBe('100.00');
    expect(await ledgerShape()).toEqual({ n: 3, distinct: 3, min: 1, max: 3 });
    const verification = await verifyLedger(t.db.prisma);
    expect(verification.firstProblem).toBeNull();
    expect(verification).toMatchObject({ ok: true, transactionsChecked: 3 });
  });
});
