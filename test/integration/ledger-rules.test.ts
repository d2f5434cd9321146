// The ledger rules of DESIGN.md §3, proved where they are enforced: the database triggers and
// constraints (migration `ledger_rules`), hit directly with SQL so that no service check stands in
// front of them, and the journal/reversal services on top.
import { randomBytes, randomUUID } from 'node:crypto';
import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { applyMigrations } from '../../src/db/migrations.ts';
import { GENESIS_HASH, hashTransaction } from '../../src/domain/chain-hash.ts';
import { toIsoDate } from '../../src/domain/dates.ts';
import { ConflictError, NotFoundError, RuleViolationError } from '../../src/domain/errors.ts';
import { postings } from '../../src/domain/ledger-postings.ts';
import { money } from '../../src/domain/money.ts';
import { postTransaction } from '../../src/ledger/journal.ts';
import { reverseTransaction } from '../../src/ledger/reversal.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import type { Tx } from '../../src/services/context.ts';
import { type FundingReceiptView, recordFundingReceipt, reverseFundingReceipt } from '../../src/services/funding-receipts.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { makeProgramme, makeWorld } from '../support/fixtures.ts';
import { useTestApp } from '../support/test-app.ts';

const testApp = useTestApp();
let pglite: PGlite;
let programmeA: ProgrammeView;
let programmeB: ProgrammeView;

beforeAll(async () => {
  // The same in-process database under Prisma: its own transactions report a failed COMMIT.
  pglite = testApp.db.pglite as PGlite;
  programmeA = await makeProgramme(testApp.world);
  programmeB = await makeProgramme(testApp.world);
  await receive(programmeA, '1000.00');
  await receive(programmeB, '500.00');
});

// ---------------------------------------------------------------------------------------------
// Helpers

function receive(programme: ProgrammeView, amount: string): Promise<FundingReceiptView> {
  return recordFundingReceipt({
    ctx: testApp.world.users.finance.ctx,
    input: { programmeId: programme.id, remitterId: testApp.world.foundation.id, amount, receivedOn: '2025-09-01', bankReference: `REF-${randomUUID()}` },
  });
}

/** Runs SQL inside one database transaction, whichever client opened it. */
interface Sql {
  rows<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}
const viaPrisma = (tx: Tx): Sql => ({ rows: (text, params = []) => tx.$queryRawUnsafe(text, ...params) });
const viaPGlite = (tx: PGliteTransaction): Sql => ({ rows: async <T>(text: string, params: unknown[] = []) => (await tx.query<T>(text, params)).rows });
const outside: () => Sql = () => ({ rows: (text, params = []) => testApp.db.prisma.$queryRawUnsafe(text, ...params) });

interface Head {
  id: string;
  seq: bigint;
  hash: string;
  programme_id: string;
}
async function head(sql: Sql = outside()): Promise<Head> {
  const [row] = await sql.rows<{ id: string; seq: string; hash: string; programme_id: string }>(
    `SELECT t.id::text, t.seq::text, t.hash, t.programme_id::text FROM ledger_transaction t ORDER BY t.seq DESC LIMIT 1`,
  );
  if (!row) throw new Error('empty ledger');
  return { ...row, seq: BigInt(row.seq) };
}

async function accountId(programmeId: string, code: string, sql: Sql = outside()): Promise<string> {
  const [row] = await sql.rows<{ id: string }>(`SELECT id::text FROM ledger_account WHERE programme_id = $1::uuid AND code = $2`, [programmeId, code]);
  if (!row) throw new Error(`no ${code} account in ${programmeId}`);
  return row.id;
}

async function balance(programmeId: string, code: string): Promise<string> {
  const [row] = await outside().rows<{ b: string | null }>(
    `SELECT (SELECT e.balance_after::text FROM ledger_entry e WHERE e.account_id = a.id ORDER BY e.seq DESC LIMIT 1) AS b
     FROM ledger_account a WHERE a.programme_id = $1::uuid AND a.code = $2`,
    [programmeId, code],
  );
  return row?.b ?? '0.00';
}

async function openPayable(programmeId: string): Promise<string> {
  const grantId = randomUUID();
  await testApp.db.prisma.$executeRawUnsafe(
    `INSERT INTO ledger_account (id, programme_id, kind, code, grant_id) VALUES ($1::uuid, $2::uuid, 'payable', $3, $4::uuid)`,
    randomUUID(),
    programmeId,
    `payable:${grantId}`,
    grantId,
  );
  return `payable:${grantId}`;
}

async function counts() {
  const [row] = await outside().rows<{ t: number; e: number; a: number }>(
    `SELECT (SELECT count(*)::int FROM ledger_transaction) AS t, (SELECT count(*)::int FROM ledger_entry) AS e, (SELECT count(*)::int FROM audit_event) AS a`,
  );
  return row;
}

interface EntrySpec {
  /** Account code in the transaction's programme, unless accountId is given. */
  account: string;
  direction: 'debit' | 'credit';
  amount: string;
  accountId?: string;
  currency?: string;
  balanceAfter?: string;
  line?: number;
  seq?: bigint;
  transactionId?: string;
}

interface TxSpec {
  id?: string;
  seq?: bigint;
  prevHash?: string;
  hash?: string;
  programmeId?: string;
  kind?: string;
  reversesId?: string | null;
  eventDate?: string;
  entries?: EntrySpec[];
}

const randomHash = () => randomBytes(32).toString('hex');

/** A valid receipt-shaped transaction: Dr bank / Cr fund, following the head. */
const receiptEntries = (amount = '1.00'): EntrySpec[] => [
  { account: 'bank', direction: 'debit', amount },
  { account: 'fund', direction: 'credit', amount },
];

/**
 * Inserts a transaction and its entries with plain SQL (one statement per line), the way a buggy
 * or hostile writer would. Every field defaults to a valid value that follows the current head,
 * and the hash is the real one, so a test changes exactly the one thing it is about.
 */
async function craft(sql: Sql, spec: TxSpec = {}): Promise<{ id: string; seq: bigint }> {
  const current = await head(sql);
  const programmeId = spec.programmeId ?? programmeA.id;
  const id = spec.id ?? randomUUID();
  const seq = spec.seq ?? current.seq + 1n;
  const prevHash = spec.prevHash ?? current.hash;
  const kind = spec.kind ?? 'funding_received';
  const reversesId = spec.reversesId ?? null;
  const eventDate = spec.eventDate ?? '2025-09-01';
  const recordedAt = new Date().toISOString();
  const entries = (spec.entries ?? receiptEntries()).map((e, i) => ({ ...e, line: e.line ?? i + 1 }));
  const fields = {
    seq,
    id,
    programmeId,
    kind,
    eventDate,
    recordedAt,
    description: 'raw SQL test',
    sourceType: 'test',
    sourceId: randomUUID(),
    actorId: testApp.world.users.finance.actor.userId,
    reversesId,
    prevHash,
  };
  const hash =
    spec.hash ??
    (await hashTransaction({
      ...fields,
      entries: entries.map((e) => ({ line: e.line, account: e.account, direction: e.direction, amount: e.amount, currency: e.currency ?? 'CNY' })),
    }));
  await sql.rows(
    `INSERT INTO ledger_transaction (id, seq, programme_id, kind, event_date, recorded_at, description, source_type, source_id, actor_id, reverses_id, prev_hash, hash)
     VALUES ($1::uuid, $2::bigint, $3::uuid, $4::"LedgerTransactionKind", $5::date, $6::timestamptz, $7, $8, $9::uuid, $10::uuid, $11::uuid, $12, $13)`,
    [
      id,
      seq.toString(),
      programmeId,
      kind,
      eventDate,
      recordedAt,
      fields.description,
      fields.sourceType,
      fields.sourceId,
      fields.actorId,
      reversesId,
      prevHash,
      hash,
    ],
  );
  for (const e of entries) {
    await sql.rows(
      `INSERT INTO ledger_entry (transaction_id, line, seq, account_id, direction, amount, currency, balance_after)
       VALUES ($1::uuid, $2::int, $3::bigint, $4::uuid, $5::"EntryDirection", $6::numeric, $7, $8::numeric)`,
      [
        e.transactionId ?? id,
        e.line,
        (e.seq ?? seq).toString(),
        e.accountId ?? (await accountId(programmeId, e.account, sql)),
        e.direction,
        e.amount,
        e.currency ?? 'CNY',
        e.balanceAfter ?? '0',
      ],
    );
  }
  return { id, seq };
}

/** `craft` inside a Prisma interactive transaction. */
const viaPrismaTx = (spec: TxSpec = {}) => testApp.db.prisma.$transaction((tx) => craft(viaPrisma(tx), spec));

/** `craft` inside a PGlite transaction, which — unlike Prisma's here — reports a failed COMMIT. */
async function viaCommit(spec: TxSpec = {}): Promise<{ reachedCommit: boolean; error: unknown }> {
  let reachedCommit = false;
  try {
    await pglite.transaction(async (tx) => {
      await craft(viaPGlite(tx), spec);
      reachedCommit = true;
    });
    return { reachedCommit, error: null };
  } catch (error) {
    return { reachedCommit, error };
  }
}

async function expectNothingWritten(attempt: () => Promise<unknown>, message: RegExp) {
  const before = await counts();
  const headBefore = await head();
  await expect(attempt()).rejects.toThrow(message);
  expect(await counts()).toEqual(before);
  expect(await head()).toEqual(headBefore);
}

// ---------------------------------------------------------------------------------------------

describe('a crafted transaction that keeps every rule', () => {
  it('is accepted (so every refusal below is due to the one thing changed)', async () => {
    const before = await head();
    const { id, seq } = await viaPrismaTx();
    expect(seq).toBe(before.seq + 1n);
    expect((await head()).id).toBe(id);
  });
});

describe('rule 3: ledger rows are never updated, deleted or truncated', () => {
  let targets: Record<string, { key: string; id: string; update: string }>;

  beforeAll(async () => {
    const receipt = await receive(programmeA, '10.00');
    const [audit] = await outside().rows<{ id: string }>(`SELECT id::text FROM audit_event ORDER BY id DESC LIMIT 1`);
    targets = {
      ledger_transaction: { key: 'id', id: receipt.ledgerTransaction.id, update: `description = 'rewritten'` },
      ledger_entry: { key: 'transaction_id', id: receipt.ledgerTransaction.id, update: 'amount = amount + 1, balance_after = balance_after + 1' },
      ledger_account: { key: 'id', id: await accountId(programmeA.id, 'fund'), update: `created_at = now() - interval '1 day'` },
      audit_event: { key: 'id', id: audit!.id, update: `action = 'nothing.happened'` },
      funding_receipt: { key: 'id', id: receipt.id, update: 'amount = 1' },
    };
  });

  async function snapshot(table: string) {
    const t = targets[table]!;
    const cast = table === 'audit_event' ? 'bigint' : 'uuid';
    return outside().rows(`SELECT * FROM ${table} WHERE ${t.key} = $1::${cast} ORDER BY 1`, [t.id]);
  }

  const tables = ['ledger_transaction', 'ledger_entry', 'ledger_account', 'audit_event', 'funding_receipt'];

  it.each(tables)('UPDATE on %s is rejected', async (table) => {
    const t = targets[table]!;
    const before = await snapshot(table);
    expect(before.length).toBeGreaterThan(0);
    const cast = table === 'audit_event' ? 'bigint' : 'uuid';
    await expect(testApp.db.prisma.$executeRawUnsafe(`UPDATE ${table} SET ${t.update} WHERE ${t.key} = $1::${cast}`, t.id)).rejects.toThrow(
      `ledger is append-only: UPDATE on ${table} is not allowed`,
    );
    expect(await snapshot(table)).toEqual(before);
  });

  it.each(tables)('DELETE on %s is rejected', async (table) => {
    const t = targets[table]!;
    const before = await snapshot(table);
    const cast = table === 'audit_event' ? 'bigint' : 'uuid';
    await expect(testApp.db.prisma.$executeRawUnsafe(`DELETE FROM ${table} WHERE ${t.key} = $1::${cast}`, t.id)).rejects.toThrow(
      `ledger is append-only: DELETE on ${table} is not allowed`,
    );
    expect(await snapshot(table)).toEqual(before);
  });

  // CASCADE so that the foreign keys pointing at ledger_transaction / ledger_account do not
  // refuse the TRUNCATE first: only the trigger stands in the way.
  it.each(tables)('TRUNCATE on %s is rejected', async (table) => {
    const before = await counts();
    const [{ n: rowsBefore }] = (await outside().rows<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)) as [{ n: number }];
    await expect(testApp.db.prisma.$executeRawUnsafe(`TRUNCATE ${table} CASCADE`)).rejects.toThrow(
      `ledger is append-only: TRUNCATE on ${table} is not allowed`,
    );
    expect(await counts()).toEqual(before);
    expect(await outside().rows(`SELECT count(*)::int AS n FROM ${table}`)).toEqual([{ n: rowsBefore }]);
  });

  it('also refuses changes made through the Prisma client', async () => {
    const t = targets.ledger_transaction!;
    await expect(testApp.db.prisma.ledgerTransaction.update({ where: { id: t.id }, data: { description: 'x' } })).rejects.toThrow(/append-only/);
    await expect(testApp.db.prisma.ledgerEntry.deleteMany({ where: { transactionId: t.id } })).rejects.toThrow(/append-only/);
  });
});

describe('rule 4: one gapless sequence and one hash chain', () => {
  it('refuses a gap in the sequence', async () => {
    const h = await head();
    await expectNothingWritten(
      () => viaPrismaTx({ seq: h.seq + 2n }),
      new RegExp(`ledger sequence must be gapless: expected ${h.seq + 1n}, got ${h.seq + 2n}`),
    );
  });

  it('refuses a repeated sequence number', async () => {
    const h = await head();
    await expectNothingWritten(() => viaPrismaTx({ seq: h.seq }), new RegExp(`ledger sequence must be gapless: expected ${h.seq + 1n}, got ${h.seq}`));
    await expectNothingWritten(() => viaPrismaTx({ seq: 1n }), /ledger sequence must be gapless/);
  });

  it('refuses a prev_hash that is not the hash of the head', async () => {
    await expectNothingWritten(() => viaPrismaTx({ prevHash: randomHash() }), /ledger chain broken: prev_hash of \d+ does not match the head/);
    await expectNothingWritten(() => viaPrismaTx({ prevHash: GENESIS_HASH }), /ledger chain broken/);
  });

  it('refuses a fork: prev_hash naming an older transaction', async () => {
    const [older] = await outside().rows<{ hash: string }>(`SELECT hash FROM ledger_transaction ORDER BY seq DESC OFFSET 1 LIMIT 1`);
    await expectNothingWritten(() => viaPrismaTx({ prevHash: older!.hash }), /ledger chain broken/);
  });
});

describe('rule 1: every transaction balances, checked at COMMIT', () => {
  it('lets lines be inserted one by one, unbalanced until the last (the check is deferred)', async () => {
    // craft inserts one line per statement: after line 1 the transaction is unbalanced.
    const result = await viaCommit({
      entries: [
        { account: 'bank', direction: 'debit', amount: '3.00' },
        { account: 'fund', direction: 'credit', amount: '1.00' },
        { account: 'in_transit', direction: 'credit', amount: '2.00' },
      ],
    });
    expect(result).toEqual({ reachedCommit: true, error: null });
  });

  it('refuses an unbalanced transaction at COMMIT, and nothing of it remains', async () => {
    const before = await counts();
    const id = randomUUID();
    const result = await viaCommit({
      id,
      entries: [
        { account: 'bank', direction: 'debit', amount: '100.00' },
        { account: 'fund', direction: 'credit', amount: '99.99' },
      ],
    });
    // Every statement succeeded; only COMMIT refused.
    expect(result.reachedCommit).toBe(true);
    expect(String(result.error)).toMatch(/ledger transaction is unbalanced: debits 100.00 and credits 99.99/);
    expect(await counts()).toEqual(before);
    expect(await outside().rows(`SELECT 1 FROM ledger_transaction WHERE id = $1::uuid`, [id])).toEqual([]);
    expect(await outside().rows(`SELECT 1 FROM ledger_entry WHERE transaction_id = $1::uuid`, [id])).toEqual([]);
  });

  it('refuses a transaction of debits only', async () => {
    const before = await counts();
    const result = await viaCommit({
      entries: [
        { account: 'bank', direction: 'debit', amount: '1.00' },
        { account: 'fund', direction: 'debit', amount: '1.00' },
      ],
    });
    expect(String(result.error)).toMatch(/unbalanced: debits 2.00 and credits 0/);
    expect(await counts()).toEqual(before);
  });

  it('refuses a transaction with one entry', async () => {
    const before = await counts();
    const result = await viaCommit({ entries: [{ account: 'bank', direction: 'debit', amount: '5.00' }] });
    expect(result.reachedCommit).toBe(true);
    expect(String(result.error)).toMatch(/ledger transaction must have at least two entries/);
    expect(await counts()).toEqual(before);
  });

  it('refuses a transaction with no entries', async () => {
    const before = await counts();
    const result = await viaCommit({ entries: [] });
    expect(result.reachedCommit).toBe(true);
    expect(String(result.error)).toMatch(/ledger transaction must have at least two entries/);
    expect(await counts()).toEqual(before);
  });

  // pglite-prisma-adapter 0.7.2 swallows a failed COMMIT; src/db/pglite-adapter.ts fixes it.
  it('an interactive Prisma transaction reports the failed COMMIT to its caller', async () => {
    const before = await counts();
    await expect(
      viaPrismaTx({
        entries: [
          { account: 'bank', direction: 'debit', amount: '100.00' },
          { account: 'fund', direction: 'credit', amount: '99.99' },
        ],
      }),
    ).rejects.toThrow(/unbalanced/);
    expect(await counts()).toEqual(before);
  });
});

describe('rule 2: fund, payable and in_transit never go below zero (the trigger, without the service precheck)', () => {
  it('refuses to take fund below zero', async () => {
    const fund = money(await balance(programmeA.id, 'fund'));
    const amount = fund.plus('0.01').toFixed(2);
    await expectNothingWritten(
      () =>
        viaPrismaTx({
          kind: 'grant_approved',
          entries: [
            { account: 'fund', direction: 'debit', amount },
            { account: 'bank', direction: 'credit', amount },
          ],
        }),
      /ledger balance of fund account would go below zero/,
    );
  });

  it('allows fund to reach exactly zero', async () => {
    const programme = await makeProgramme(testApp.world);
    await receive(programme, '7.00');
    await viaPrismaTx({
      programmeId: programme.id,
      entries: [
        { account: 'fund', direction: 'debit', amount: '7.00' },
        { account: 'bank', direction: 'credit', amount: '7.00' },
      ],
    });
    expect(await balance(programme.id, 'fund')).toBe('0.00');
  });

  it('refuses to take in_transit below zero', async () => {
    expect(await balance(programmeB.id, 'in_transit')).toBe('0.00');
    await expectNothingWritten(
      () =>
        viaPrismaTx({
          programmeId: programmeB.id,
          entries: [
            { account: 'in_transit', direction: 'debit', amount: '0.01' },
            { account: 'bank', direction: 'credit', amount: '0.01' },
          ],
        }),
      /ledger balance of in_transit account would go below zero/,
    );
  });

  it('refuses to take a payable below zero', async () => {
    const payable = await openPayable(programmeB.id);
    await expectNothingWritten(
      () =>
        viaPrismaTx({
          programmeId: programmeB.id,
          entries: [
            { account: payable, direction: 'debit', amount: '0.01' },
            { account: 'bank', direction: 'credit', amount: '0.01' },
          ],
        }),
      /ledger balance of payable account would go below zero/,
    );
  });
});

describe('entries belong to their transaction', () => {
  it('refuses an entry on an account of another programme', async () => {
    const foreignFund = await accountId(programmeB.id, 'fund');
    await expectNothingWritten(
      () =>
        viaPrismaTx({
          programmeId: programmeA.id,
          entries: [
            { account: 'bank', direction: 'debit', amount: '1.00' },
            { account: 'fund', accountId: foreignFund, direction: 'credit', amount: '1.00' },
          ],
        }),
      /ledger entry account belongs to another programme/,
    );
  });

  it('refuses an entry added to an older transaction (not the newest), even one written in the same database transaction', async () => {
    // The older transaction moves fund and in_transit; a balanced pair on bank and a new payable
    // would pass every other rule, so only "newest transaction only" refuses it.
    const bank = await accountId(programmeA.id, 'bank');
    const payable = await accountId(programmeA.id, await openPayable(programmeA.id));
    const before = await counts();
    const attempt = testApp.db.prisma.$transaction(async (tx) => {
      const sql = viaPrisma(tx);
      const older = await craft(sql, {
        entries: [
          { account: 'fund', direction: 'debit', amount: '5.00' },
          { account: 'in_transit', direction: 'credit', amount: '5.00' },
        ],
      });
      await craft(sql);
      for (const [line, account, direction] of [
        [3, bank, 'debit'],
        [4, payable, 'credit'],
      ] as const) {
        await sql.rows(
          `INSERT INTO ledger_entry (transaction_id, line, seq, account_id, direction, amount, currency, balance_after)
           VALUES ($1::uuid, $2::int, $3::bigint, $4::uuid, $5::"EntryDirection", 0.50, 'CNY', 0)`,
          [older.id, line, older.seq.toString(), account, direction],
        );
      }
    });
    await expect(attempt).rejects.toThrow(/entries may only be added to the newest transaction/);
    expect(await counts()).toEqual(before);
  });

  it('refuses entries added to the head transaction after it has committed', async () => {
    // A committed grant approval at the head: a balanced pair on bank and in_transit would pass
    // every other rule (it is the newest transaction), and change what it records.
    const grantId = randomUUID();
    const grant = await testApp.db.prisma.$transaction((tx) =>
      postTransaction(tx, {
        programmeId: programmeA.id,
        kind: 'grant_approved',
        eventDate: '2025-09-02',
        description: 'grant',
        sourceType: 'grant',
        sourceId: grantId,
        actorId: testApp.world.users.finance.actor.userId,
        postings: postings.grantApproved(grantId, money('60.00')),
      }),
    );
    expect((await head()).id).toBe(grant.id);
    const [bank, inTransit] = [await accountId(programmeA.id, 'bank'), await accountId(programmeA.id, 'in_transit')];
    await expectNothingWritten(
      () =>
        testApp.db.prisma.$executeRawUnsafe(
          `INSERT INTO ledger_entry (transaction_id, line, seq, account_id, direction, amount, currency, balance_after)
           VALUES ($1::uuid, 3, $2::bigint, $3::uuid, 'debit', 10, 'CNY', 0), ($1::uuid, 4, $2::bigint, $4::uuid, 'credit', 10, 'CNY', 0)`,
          grant.id,
          grant.seq.toString(),
          bank,
          inTransit,
        ),
      /entries are written with their transaction; a committed transaction is closed/,
    );
  });

  it('refuses an entry whose seq differs from its transaction’s', async () => {
    const h = await head();
    await expectNothingWritten(
      () =>
        viaPrismaTx({
          entries: [
            { account: 'bank', direction: 'debit', amount: '1.00', seq: h.seq },
            { account: 'fund', direction: 'credit', amount: '1.00' },
          ],
        }),
      /ledger entry seq \d+ does not match its transaction/,
    );
  });

  it('refuses an entry for a transaction that does not exist', async () => {
    const bank = await accountId(programmeA.id, 'bank');
    await expectNothingWritten(
      () =>
        testApp.db.prisma.$executeRawUnsafe(
          `INSERT INTO ledger_entry (transaction_id, line, seq, account_id, direction, amount, currency, balance_after)
           SELECT $1::uuid, 1, max(seq) + 1, $2::uuid, 'debit', 1, 'CNY', 0 FROM ledger_transaction`,
          randomUUID(),
          bank,
        ),
      /ledger entry for an unknown transaction/,
    );
  });
});

describe('corrections', () => {
  let reversedReceipt: FundingReceiptView;
  let correctionId: string;

  beforeAll(async () => {
    const receipt = await receive(programmeA, '10.00');
    reversedReceipt = await reverseFundingReceipt({
      ctx: testApp.world.users.finance.ctx,
      input: { programmeId: programmeA.id, receiptId: receipt.id, reason: 'entered twice', eventDate: '2025-09-03' },
    });
    correctionId = reversedReceipt.reversal!.id;
  });

  const mirrorOfReceipt = (amount = '10.00'): EntrySpec[] => [
    { account: 'bank', direction: 'credit', amount },
    { account: 'fund', direction: 'debit', amount },
  ];

  it('refuses a correction that reverses a correction', async () => {
    await expectNothingWritten(
      () => viaPrismaTx({ kind: 'correction', reversesId: correctionId, entries: receiptEntries('10.00') }),
      /a correction cannot itself be reversed/,
    );
  });

  it('refuses to reverse the same transaction twice (unique reverses_id)', async () => {
    await expectNothingWritten(
      () => viaPrismaTx({ kind: 'correction', reversesId: reversedReceipt.ledgerTransaction.id, entries: mirrorOfReceipt() }),
      /ledger_transaction_reverses_id_key/,
    );
  });

  it('refuses a correction that names no transaction', async () => {
    await expectNothingWritten(
      () => viaPrismaTx({ kind: 'correction', reversesId: null, entries: mirrorOfReceipt('1.00') }),
      /a correction must name the transaction it reverses/,
    );
  });

  it('refuses a link to a reversed transaction from anything but a correction', async () => {
    const receipt = await receive(programmeA, '3.00');
    await expectNothingWritten(
      () => viaPrismaTx({ kind: 'funding_received', reversesId: receipt.ledgerTransaction.id }),
      /only a correction may reverse a transaction/,
    );
  });

  it('refuses a correction of a transaction that does not exist', async () => {
    await expectNothingWritten(
      () => viaPrismaTx({ kind: 'correction', reversesId: randomUUID(), entries: mirrorOfReceipt('1.00') }),
      /reversed transaction does not exist/,
    );
  });

  it('refuses a correction in another programme than the transaction it reverses', async () => {
    const receipt = await receive(programmeA, '4.00');
    await expectNothingWritten(
      () => viaPrismaTx({ programmeId: programmeB.id, kind: 'correction', reversesId: receipt.ledgerTransaction.id, entries: mirrorOfReceipt('4.00') }),
      /a correction must stay in the programme of the transaction it reverses/,
    );
  });

  it('accepts a well-formed correction (control)', async () => {
    const receipt = await receive(programmeA, '6.00');
    const { id } = await viaPrismaTx({ kind: 'correction', reversesId: receipt.ledgerTransaction.id, entries: mirrorOfReceipt('6.00') });
    const [row] = await outside().rows<{ reverses_id: string }>(`SELECT reverses_id::text FROM ledger_transaction WHERE id = $1::uuid`, [id]);
    expect(row?.reverses_id).toBe(receipt.ledgerTransaction.id);
  });
});

describe('amounts: CNY only, positive', () => {
  it.each(['USD', 'CNH'])('refuses an entry in %s', async (currency) => {
    await expectNothingWritten(
      () =>
        viaPrismaTx({
          entries: [
            { account: 'bank', direction: 'debit', amount: '1.00', currency },
            { account: 'fund', direction: 'credit', amount: '1.00' },
          ],
        }),
      /ledger_entry_currency_cny/,
    );
  });

  it.each(['0.00', '-5.00'])('refuses an entry amount of %s', async (amount) => {
    await expectNothingWritten(
      () =>
        viaPrismaTx({
          entries: [
            { account: 'bank', direction: 'debit', amount },
            { account: 'fund', direction: 'credit', amount },
          ],
        }),
      /ledger_entry_amount_positive/,
    );
  });

  it('refuses a funding receipt in another currency or of a non-positive amount', async () => {
    const insert = (amount: string, currency: string) =>
      testApp.db.prisma.$executeRawUnsafe(
        `INSERT INTO funding_receipt (id, programme_id, remitter_id, amount, currency, received_on, bank_reference, ledger_transaction_id, recorded_by_id)
         VALUES ($1::uuid, $2::uuid, $3::uuid, $4::numeric, $5, '2025-09-01', $6, $7::uuid, $8::uuid)`,
        randomUUID(),
        programmeA.id,
        testApp.world.foundation.id,
        amount,
        currency,
        `RAW-${randomUUID()}`,
        randomUUID(),
        testApp.world.users.finance.actor.userId,
      );
    await expect(insert('1.00', 'USD')).rejects.toThrow(/funding_receipt_currency_cny/);
    await expect(insert('0.00', 'CNY')).rejects.toThrow(/funding_receipt_amount_positive/);
    await expect(insert('-1.00', 'CNY')).rejects.toThrow(/funding_receipt_amount_positive/);
  });
});

describe('balance_after is computed by the database', () => {
  it('overwrites whatever running balance the writer supplies', async () => {
    const before = {
      bank: money(await balance(programmeA.id, 'bank')),
      fund: money(await balance(programmeA.id, 'fund')),
      inTransit: money(await balance(programmeA.id, 'in_transit')),
    };
    const { id } = await viaPrismaTx({
      entries: [
        { account: 'bank', direction: 'debit', amount: '3.00', balanceAfter: '12345.67' },
        { account: 'fund', direction: 'credit', amount: '1.00', balanceAfter: '-99.00' },
        { account: 'in_transit', direction: 'credit', amount: '2.00', balanceAfter: '0' },
      ],
    });
    const rows = await outside().rows<{ line: number; balance_after: string }>(
      `SELECT line, balance_after::text FROM ledger_entry WHERE transaction_id = $1::uuid ORDER BY line`,
      [id],
    );
    expect(rows).toEqual([
      { line: 1, balance_after: before.bank.plus(3).toFixed(2) },
      { line: 2, balance_after: before.fund.plus(1).toFixed(2) },
      { line: 3, balance_after: before.inTransit.plus(2).toFixed(2) },
    ]);
  });

  it('measures each balance on the account’s normal side (a debit lowers fund, a credit lowers bank)', async () => {
    const bank = money(await balance(programmeA.id, 'bank'));
    const fund = money(await balance(programmeA.id, 'fund'));
    const { id } = await viaPrismaTx({
      entries: [
        { account: 'fund', direction: 'debit', amount: '0.25', balanceAfter: '1' },
        { account: 'bank', direction: 'credit', amount: '0.25', balanceAfter: '1' },
      ],
    });
    const rows = await outside().rows<{ line: number; balance_after: string }>(
      `SELECT line, balance_after::text FROM ledger_entry WHERE transaction_id = $1::uuid ORDER BY line`,
      [id],
    );
    expect(rows).toEqual([
      { line: 1, balance_after: fund.minus('0.25').toFixed(2) },
      { line: 2, balance_after: bank.minus('0.25').toFixed(2) },
    ]);
  });
});

describe('postTransaction (the journal service)', () => {
  async function storedHash(id: string): Promise<{ stored: string; recomputed: string; row: Awaited<ReturnType<typeof loadTx>> }> {
    const row = await loadTx(id);
    const recomputed = await hashTransaction({
      seq: row.seq,
      id: row.id,
      programmeId: row.programmeId,
      kind: row.kind,
      eventDate: toIsoDate(row.eventDate),
      recordedAt: row.recordedAt.toISOString(),
      description: row.description,
      sourceType: row.sourceType,
      sourceId: row.sourceId,
      actorId: row.actorId,
      reversesId: row.reversesId,
      entries: row.entries.map((e) => ({ line: e.line, account: e.account.code, direction: e.direction, amount: e.amount.toFixed(2), currency: e.currency })),
      prevHash: row.prevHash,
    });
    return { stored: row.hash, recomputed, row };
  }
  async function loadTx(id: string) {
    return testApp.db.prisma.ledgerTransaction.findUniqueOrThrow({
      where: { id },
      include: { entries: { include: { account: true }, orderBy: { line: 'asc' } } },
    });
  }

  it('appends at seq head+1, links prev_hash to the head and stores the hash of its canonical form', async () => {
    const programme = await makeProgramme(testApp.world);
    const actorId = testApp.world.users.finance.actor.userId;
    const grantId = randomUUID();
    const inputs = [
      { kind: 'funding_received' as const, eventDate: '2025-08-31', postings: postings.fundingReceived(money('500.00')) },
      { kind: 'grant_approved' as const, eventDate: '2025-09-01', postings: postings.grantApproved(grantId, money('300.00')) },
      { kind: 'payout_sent' as const, eventDate: '2025-09-02', postings: postings.payoutSent(grantId, money('299.99')) },
      { kind: 'payout_settled' as const, eventDate: '2025-09-03', postings: postings.payoutSettled(money('299.99')) },
    ];
    let previous = await head();
    for (const input of inputs) {
      const startedAt = Date.now();
      const posted = await testApp.db.prisma.$transaction((tx) =>
        postTransaction(tx, { programmeId: programme.id, description: input.kind, sourceType: 'test', sourceId: randomUUID(), actorId, ...input }),
      );
      const finishedAt = Date.now();
      expect(posted.seq).toBe(previous.seq + 1n);
      expect(posted.prevHash).toBe(previous.hash);
      const { stored, recomputed, row } = await storedHash(posted.id);
      expect(stored).toBe(posted.hash);
      expect(recomputed).toBe(posted.hash);
      expect(row.seq).toBe(posted.seq);
      expect(row.prevHash).toBe(previous.hash);
      // Rule 6: when it happened and when it was recorded.
      expect(toIsoDate(row.eventDate)).toBe(input.eventDate);
      expect(row.recordedAt.getTime()).toBe(posted.recordedAt.getTime());
      expect(row.recordedAt.getTime()).toBeGreaterThanOrEqual(startedAt);
      expect(row.recordedAt.getTime()).toBeLessThanOrEqual(finishedAt);
      // The returned running balances are the database's.
      expect(posted.entries.map((e) => e.balanceAfter.toFixed(2))).toEqual(row.entries.map((e) => e.balanceAfter.toFixed(2)));
      previous = { id: posted.id, seq: posted.seq, hash: posted.hash, programme_id: programme.id };
    }
    expect(await balance(programme.id, 'bank')).toBe('200.01');
    expect(await balance(programme.id, 'fund')).toBe('200.00');
    expect(await balance(programme.id, `payable:${grantId}`)).toBe('0.01');
    expect(await balance(programme.id, 'in_transit')).toBe('0.00');
  });

  // Regression: PGlite learns array types when it starts, so enum arrays created by a migration in
  // the same process (the server's first start on an empty DATA_DIR) must be sent as text[].
  it('posts in the process that has just migrated an empty embedded database', { timeout: 120_000 }, async () => {
    const fresh = await openDatabase({ kind: 'embedded', dataDir: null });
    try {
      await applyMigrations(fresh.adapterFactory);
      const w = await makeWorld(fresh.prisma);
      const p = await makeProgramme(w);
      const receipt = await recordFundingReceipt({
        ctx: w.users.finance.ctx,
        input: { programmeId: p.id, remitterId: w.foundation.id, amount: '100.00', receivedOn: '2025-09-01', bankReference: 'FIRST' },
      });
      expect(receipt.ledgerTransaction.seq).toBe('1');
    } finally {
      await fresh.close();
    }
  });

  it('refuses, before writing, a posting that would take fund below zero', async () => {
    const programme = await makeProgramme(testApp.world);
    await receive(programme, '100.00');
    const grantId = randomUUID();
    await expectNothingWritten(
      () =>
        testApp.db.prisma.$transaction((tx) =>
          postTransaction(tx, {
            programmeId: programme.id,
            kind: 'grant_approved',
            eventDate: '2025-09-01',
            description: 'too much',
            sourceType: 'test',
            sourceId: randomUUID(),
            actorId: testApp.world.users.finance.actor.userId,
            postings: postings.grantApproved(grantId, money('100.01')),
          }),
        ),
      /The fund account holds 100.00 CNY; 100.01 CNY is needed/,
    );
  });

  it('refuses unbalanced postings before touching the database', async () => {
    await expectNothingWritten(
      () =>
        testApp.db.prisma.$transaction((tx) =>
          postTransaction(tx, {
            programmeId: programmeA.id,
            kind: 'funding_received',
            eventDate: '2025-09-01',
            description: 'unbalanced',
            sourceType: 'test',
            sourceId: randomUUID(),
            actorId: testApp.world.users.finance.actor.userId,
            postings: [
              { account: { kind: 'bank' }, direction: 'debit', amount: money('1.00') },
              { account: { kind: 'fund' }, direction: 'credit', amount: money('0.99') },
            ],
          }),
        ),
      /invalid postings: .*unbalanced/,
    );
  });
});

describe('reverseTransaction (corrections through the service)', () => {
  it('posts the mirror, linked to the original, and restores the balances', async () => {
    const programme = await makeProgramme(testApp.world);
    await receive(programme, '1000.00');
    const grantId = randomUUID();
    const actorId = testApp.world.users.finance.actor.userId;
    const original = await testApp.db.prisma.$transaction((tx) =>
      postTransaction(tx, {
        programmeId: programme.id,
        kind: 'grant_approved',
        eventDate: '2025-09-01',
        description: 'grant',
        sourceType: 'grant',
        sourceId: grantId,
        actorId,
        postings: postings.grantApproved(grantId, money('400.00')),
      }),
    );
    expect(await balance(programme.id, 'fund')).toBe('600.00');
    const h = await head();
    const correction = await testApp.db.prisma.$transaction((tx) =>
      reverseTransaction(tx, { transactionId: original.id, eventDate: '2025-09-05', reason: 'approved in error', actorId }),
    );
    expect(correction.seq).toBe(h.seq + 1n);
    expect(correction.prevHash).toBe(h.hash);
    expect(correction.entries.map((e) => [e.line, e.account, e.direction, e.amount.toFixed(2)])).toEqual(
      original.entries.map((e) => [e.line, e.account, e.direction === 'debit' ? 'credit' : 'debit', e.amount.toFixed(2)]),
    );
    const row = await testApp.db.prisma.ledgerTransaction.findUniqueOrThrow({ where: { id: correction.id } });
    expect(row).toMatchObject({ kind: 'correction', reversesId: original.id, description: 'approved in error', sourceType: 'grant', sourceId: grantId });
    expect(toIsoDate(row.eventDate)).toBe('2025-09-05');
    expect(await balance(programme.id, 'fund')).toBe('1000.00');
    expect(await balance(programme.id, `payable:${grantId}`)).toBe('0.00');
  });

  it('refuses a second reversal with ConflictError already_reversed, writing nothing', async () => {
    const receipt = await receive(programmeA, '2.00');
    const actorId = testApp.world.users.finance.actor.userId;
    const first = await testApp.db.prisma.$transaction((tx) =>
      reverseTransaction(tx, { transactionId: receipt.ledgerTransaction.id, eventDate: '2025-09-05', reason: 'first', actorId }),
    );
    const before = await counts();
    const second = testApp.db.prisma.$transaction((tx) =>
      reverseTransaction(tx, { transactionId: receipt.ledgerTransaction.id, eventDate: '2025-09-05', reason: 'again', actorId }),
    );
    await expect(second).rejects.toBeInstanceOf(ConflictError);
    await expect(second).rejects.toMatchObject({ code: 'already_reversed', details: { reversalId: first.id } });
    expect(await counts()).toEqual(before);
  });

  it('refuses to reverse a correction with RuleViolationError correction_not_reversible', async () => {
    const receipt = await receive(programmeA, '2.00');
    const actorId = testApp.world.users.finance.actor.userId;
    const correction = await testApp.db.prisma.$transaction((tx) =>
      reverseTransaction(tx, { transactionId: receipt.ledgerTransaction.id, eventDate: '2025-09-05', reason: 'wrong', actorId }),
    );
    const before = await counts();
    const attempt = testApp.db.prisma.$transaction((tx) =>
      reverseTransaction(tx, { transactionId: correction.id, eventDate: '2025-09-05', reason: 'undo', actorId }),
    );
    await expect(attempt).rejects.toBeInstanceOf(RuleViolationError);
    await expect(attempt).rejects.toMatchObject({ code: 'correction_not_reversible' });
    expect(await counts()).toEqual(before);
  });

  it('answers NotFoundError for a transaction that does not exist', async () => {
    const attempt = testApp.db.prisma.$transaction((tx) =>
      reverseTransaction(tx, { transactionId: randomUUID(), eventDate: '2025-09-05', reason: 'x', actorId: testApp.world.users.finance.actor.userId }),
    );
    await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('after every refused attempt above', () => {
  it('the ledger is one gapless, linked, verifiable chain', async () => {
    const rows = await outside().rows<{ seq: string; prev_hash: string; hash: string }>(
      `SELECT t.seq::text, t.prev_hash, t.hash FROM ledger_transaction t ORDER BY t.seq`,
    );
    expect(rows.length).toBeGreaterThan(20);
    rows.forEach((row, i) => {
      expect(row.seq).toBe(String(i + 1));
      expect(row.prev_hash).toBe(i === 0 ? GENESIS_HASH : rows[i - 1]!.hash);
    });
    const result = await verifyLedger(testApp.db.prisma);
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, transactionsChecked: rows.length, head: { seq: String(rows.length), hash: rows.at(-1)!.hash } });
  });
});
