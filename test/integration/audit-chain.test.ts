// The audit trail's hash chain: extended at commit by a deferred trigger, recomputed in TypeScript
// by verifyAuditChain. Tampering that the triggers would refuse is done with triggers off
// (session_replication_role = replica, as a superuser or a restore tool could); the verifier must
// name the right chain position.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { applyMigrations } from '../../src/db/migrations.ts';
import { AUDIT_GENESIS_HASH, canonicalAuditEvent } from '../../src/domain/audit-chain.ts';
import type { PrismaClient } from '#prisma';
import { recordAudit } from '../../src/services/audit.ts';
import { recordFundingReceipt } from '../../src/services/funding-receipts.ts';
import { openTestDatabase } from '../support/database.ts';
import { makeProgramme, makeWorld, type World } from '../support/fixtures.ts';
import { type ScriptResult, runScript } from '../support/run-script.ts';

/** Events from several use cases, and three written in one transaction. */
async function buildTrail(prisma: PrismaClient) {
  const world = await makeWorld(prisma);
  const programme = await makeProgramme(world);
  for (const amount of ['100.00', '200.00']) {
    await recordFundingReceipt({
      ctx: world.users.finance.ctx,
      input: { programmeId: programme.id, remitterId: world.foundation.id, amount, receivedOn: '2025-09-01', bankReference: `REF-${randomUUID()}` },
    });
  }
  await prisma.$transaction(async (tx) => {
    for (const n of [1, 2, 3]) {
      await recordAudit(tx, world.users.caseworker.ctx, {
        action: 'test.note',
        recordType: 'note',
        recordId: `n${n}`,
        after: { n, text: '说明 "quoted"\nline 🙂' },
      });
    }
  });
  return { world, programme };
}

async function tamper(prisma: PrismaClient, ...statements: string[]) {
  let changed = 0;
  await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`);
    for (const statement of statements) changed += await tx.$executeRawUnsafe(statement);
  });
  expect(changed).toBeGreaterThan(0);
}

async function chainOf(prisma: PrismaClient) {
  return prisma.$queryRawUnsafe<{ seq: bigint; event_id: bigint; action: string; record_id: string }[]>(
    `SELECT c.seq, c.audit_event_id AS event_id, e.action, e.record_id FROM audit_chain c JOIN audit_event e ON e.id = c.audit_event_id ORDER BY c.seq`,
  );
}

const CONTENT_EDITED = 'hash does not match the recomputed hash of its event (content edited)';

describe('the audit chain on an embedded database', () => {
  let db: Database;
  let world: World;
  beforeEach(async () => {
    await db?.close();
    db = await openTestDatabase();
    ({ world } = await buildTrail(db.prisma));
  });
  afterAll(async () => db?.close());

  it('chains every event gaplessly at commit, and the verifier agrees with the database', async () => {
    const events = await db.prisma.auditEvent.count();
    const chain = await chainOf(db.prisma);
    expect(events).toBeGreaterThanOrEqual(6);
    expect(chain.map((r) => Number(r.seq))).toEqual(Array.from({ length: events }, (_, i) => i + 1));
    // The three events of one transaction take consecutive places, in the order written.
    const notes = chain.filter((r) => r.action === 'test.note');
    expect(notes.map((r) => r.record_id)).toEqual(['n1', 'n2', 'n3']);
    expect(Number(notes[2]!.seq) - Number(notes[0]!.seq)).toBe(2);
    expect(new Set(chain.map((r) => r.action))).toEqual(new Set(['programme.create', 'funding_receipt.record', 'test.note']));

    const [head] = await db.prisma.$queryRawUnsafe<{ seq: bigint; hash: string }[]>(`SELECT seq, hash FROM audit_chain_head`);
    const result = await verifyAuditChain(db.prisma);
    expect(result).toEqual({
      ok: true,
      chainRowsChecked: events,
      unchainedEvents: 0,
      head: { seq: String(events), hash: head!.hash },
      firstProblem: null,
      problems: [],
    });
    expect(head!.seq).toBe(BigInt(events));
  });

  it('the first row follows the genesis hash, and the database’s canonical text is the verifier’s', async () => {
    const [row] = await db.prisma.$queryRawUnsafe<
      {
        prev_hash: string;
        canonical: string;
        id: bigint;
        occurred_at: Date;
        actor_id: string;
        organisation_id: string;
        action: string;
        record_type: string;
        record_id: string;
        before: string | null;
        after: string | null;
        request_id: string | null;
      }[]
    >(
      `SELECT c.prev_hash, audit_chain_canonical(e, c.seq, c.prev_hash) AS canonical, e.id, e.occurred_at, e.actor_id::text AS actor_id,
              e.organisation_id::text AS organisation_id, e.action, e.record_type, e.record_id, e.before::text AS before, e.after::text AS after, e.request_id
       FROM audit_chain c JOIN audit_event e ON e.id = c.audit_event_id WHERE e.action = 'test.note' ORDER BY c.seq LIMIT 1`,
    );
    const [first] = await db.prisma.$queryRawUnsafe<{ prev_hash: string }[]>(`SELECT prev_hash FROM audit_chain WHERE seq = 1`);
    expect(first!.prev_hash).toBe(AUDIT_GENESIS_HASH);
    const [{ seq }] = (await db.prisma.$queryRawUnsafe<{ seq: bigint }[]>(`SELECT seq FROM audit_chain WHERE audit_event_id = ${row!.id}`)) as [
      { seq: bigint },
    ];
    const mine = canonicalAuditEvent({
      seq,
      prevHash: row!.prev_hash,
      id: row!.id,
      occurredAt: row!.occurred_at,
      actorId: row!.actor_id,
      organisationId: row!.organisation_id,
      action: row!.action,
      recordType: row!.record_type,
      recordId: row!.record_id,
      beforeText: row!.before,
      afterText: row!.after,
      requestId: row!.request_id,
    });
    expect(mine).toBe(row!.canonical);
    expect(mine).toContain('before=-\n');
    expect(mine).toMatch(/after=\d+:\{"n": 1, "text": "说明 \\"quoted\\"\\nline 🙂"\}\n/);
  });

  it('an event’s after edited: content edited at its seq', async () => {
    const target = (await chainOf(db.prisma)).find((r) => r.record_id === 'n2')!;
    await tamper(db.prisma, `UPDATE audit_event SET after = '{"n": 2, "text": "changed"}' WHERE id = ${target.event_id}`);
    const result = await verifyAuditChain(db.prisma);
    expect(result.ok).toBe(false);
    expect(result.firstProblem).toEqual({ seq: String(target.seq), eventId: String(target.event_id), problem: CONTENT_EDITED });
    expect(result.problems).toHaveLength(1);
  });

  it('an event’s action edited: content edited at its seq', async () => {
    const target = (await chainOf(db.prisma)).find((r) => r.action === 'funding_receipt.record')!;
    await tamper(db.prisma, `UPDATE audit_event SET action = 'nothing.happened' WHERE id = ${target.event_id}`);
    const result = await verifyAuditChain(db.prisma);
    expect(result.firstProblem).toEqual({ seq: String(target.seq), eventId: String(target.event_id), problem: CONTENT_EDITED });
  });

  it('an event deleted with its chain row: the gap at its seq', async () => {
    const target = (await chainOf(db.prisma)).find((r) => r.record_id === 'n2')!;
    await tamper(db.prisma, `DELETE FROM audit_chain WHERE seq = ${target.seq}`, `DELETE FROM audit_event WHERE id = ${target.event_id}`);
    const result = await verifyAuditChain(db.prisma);
    expect(result.ok).toBe(false);
    expect(result.firstProblem).toEqual({
      seq: String(target.seq),
      eventId: null,
      problem: `sequence gap: chain row ${target.seq} is missing (next is ${target.seq + 1n})`,
    });
    expect(result.problems.map((p) => p.seq)).toEqual([String(target.seq), String(target.seq + 1n)]);
    expect(result.unchainedEvents).toBe(0);
  });

  it('an event deleted, its chain row kept: the missing event at its seq', async () => {
    const target = (await chainOf(db.prisma)).find((r) => r.record_id === 'n1')!;
    await tamper(db.prisma, `DELETE FROM audit_event WHERE id = ${target.event_id}`);
    const result = await verifyAuditChain(db.prisma);
    expect(result.firstProblem).toEqual({
      seq: String(target.seq),
      eventId: String(target.event_id),
      problem: `its audit event ${target.event_id} is missing`,
    });
  });

  it('only a chain row deleted: the gap at its seq and the event named as not chained', async () => {
    const target = (await chainOf(db.prisma)).find((r) => r.action === 'programme.create')!;
    await tamper(db.prisma, `DELETE FROM audit_chain WHERE seq = ${target.seq}`);
    const result = await verifyAuditChain(db.prisma);
    expect(result.firstProblem?.seq).toBe(String(target.seq));
    expect(result.firstProblem?.problem).toMatch(/^sequence gap/);
    expect(result.unchainedEvents).toBe(1);
    expect(result.problems.at(-1)).toEqual({ seq: null, eventId: String(target.event_id), problem: `audit event ${target.event_id} is not chained` });
  });

  it('the last chain row deleted: head mismatch at its seq', async () => {
    const chain = await chainOf(db.prisma);
    const last = chain.at(-1)!;
    await tamper(db.prisma, `DELETE FROM audit_chain WHERE seq = ${last.seq}`);
    const result = await verifyAuditChain(db.prisma);
    expect(result.firstProblem).toEqual({
      seq: String(last.seq),
      eventId: null,
      problem: `head mismatch: the head says seq ${last.seq}, the chain ends at ${last.seq - 1n}`,
    });
  });

  it('an event written with the triggers off is reported as not chained', async () => {
    await tamper(
      db.prisma,
      `INSERT INTO audit_event (actor_id, organisation_id, action, record_type, record_id) VALUES ('${world.users.admin.actor.userId}', '${world.platform.id}', 'sneaked.in', 'x', 'y')`,
    );
    const result = await verifyAuditChain(db.prisma);
    expect(result.ok).toBe(false);
    expect(result.unchainedEvents).toBe(1);
    expect(result.firstProblem).toMatchObject({ seq: null, problem: expect.stringMatching(/^audit event \d+ is not chained$/) });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on audit_chain, and any head move but the next step', async () => {
    await expect(db.prisma.$executeRawUnsafe(`UPDATE audit_chain SET hash = repeat('a', 64) WHERE seq = 1`)).rejects.toThrow(
      'ledger is append-only: UPDATE on audit_chain is not allowed',
    );
    await expect(db.prisma.$executeRawUnsafe(`DELETE FROM audit_chain WHERE seq = 1`)).rejects.toThrow(
      'ledger is append-only: DELETE on audit_chain is not allowed',
    );
    await expect(db.prisma.$executeRawUnsafe(`TRUNCATE audit_chain`)).rejects.toThrow('ledger is append-only: TRUNCATE on audit_chain is not allowed');
    await expect(db.prisma.$executeRawUnsafe(`UPDATE audit_chain_head SET seq = 1, hash = (SELECT hash FROM audit_chain WHERE seq = 1)`)).rejects.toThrow(
      'audit chain head may only advance onto the next chain row',
    );
    await expect(db.prisma.$executeRawUnsafe(`DELETE FROM audit_chain_head`)).rejects.toThrow('audit chain head: DELETE is not allowed');
    await expect(db.prisma.$executeRawUnsafe(`TRUNCATE audit_chain_head`)).rejects.toThrow(
      'ledger is append-only: TRUNCATE on audit_chain_head is not allowed',
    );
    expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
  });

  it('a rolled-back transaction leaves no chain row and no gap', async () => {
    const before = await db.prisma.auditChain.count();
    await expect(
      db.prisma.$transaction(async (tx) => {
        await recordAudit(tx, world.users.caseworker.ctx, { action: 'test.rolled_back', recordType: 'note', recordId: 'r' });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await db.prisma.auditChain.count()).toBe(before);
    await recordAudit(db.prisma, world.users.caseworker.ctx, { action: 'test.after', recordType: 'note', recordId: 'a' });
    const chain = await chainOf(db.prisma);
    expect(chain.at(-1)).toMatchObject({ seq: BigInt(before + 1), action: 'test.after' });
    expect(chain.some((r) => r.action === 'test.rolled_back')).toBe(false);
    expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
  });
});

describe('npm run audit:verify (the CLI)', () => {
  let dataDir: string;
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const runVerify = (dir: string): Promise<ScriptResult> => runScript('audit-verify', [], dir);

  it('exits 0 on an intact trail and 1 naming the first bad seq once tampered', { timeout: 240_000 }, async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'audit-verify-cli-'));
    let db = await openDatabase({ kind: 'embedded', dataDir });
    let events = 0;
    try {
      await applyMigrations(db.adapterFactory);
      await buildTrail(db.prisma);
      events = await db.prisma.auditEvent.count();
    } finally {
      await db.close();
    }

    const intact = await runVerify(dataDir);
    expect(intact.stderr).toBe('');
    expect(intact.stdout).toContain(`Audit chain rows checked: ${events}; 未入链事件 unchained events: 0`);
    expect(intact.stdout).toContain('通过 OK');
    expect(intact.code).toBe(0);

    db = await openDatabase({ kind: 'embedded', dataDir });
    try {
      await tamper(db.prisma, `UPDATE audit_event SET after = '{}' WHERE id = (SELECT audit_event_id FROM audit_chain WHERE seq = 2)`);
    } finally {
      await db.close();
    }

    const tampered = await runVerify(dataDir);
    expect(tampered.stdout).toContain(`first: seq 2: ${CONTENT_EDITED}`);
    expect(tampered.stdout).toContain('失败 FAILED');
    expect(tampered.code).toBe(1);
  });
});
