// The audit chain under real concurrency (PGlite runs one transaction at a time and hides races):
// 16 clients writing audit events, some through use cases that take the ledger's append lock,
// while one long transaction holds that lock — the chain must end gapless and verifying, with no
// deadlock and no failure.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import { recordAudit } from '../../src/services/audit.ts';
import { recordFundingReceipt } from '../../src/services/funding-receipts.ts';
import { makeProgramme } from '../support/fixtures.ts';
import { rejected, runWithClients } from './support/concurrency.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';

const POOL = 20;
const CLIENTS = 16;

describe.skipIf(!process.env.TEST_DATABASE_URL)('audit chain under concurrent writers (PostgreSQL)', () => {
  const t = usePgTestDatabase(POOL, { perTest: true });

  it('16 clients, 600 units of work (multi-event transactions and funding receipts) while the ledger lock is held: gapless and verifying', {
    timeout: 300_000,
  }, async () => {
    const programme = await makeProgramme(t.world);
    const TOTAL = 600;
    // A long transaction that holds the ledger's append lock (as a payout batch send does) and
    // writes audit events before and after waiting: everyone else's audit rows must still commit.
    let releaseLong!: () => void;
    const longMayEnd = new Promise<void>((r) => (releaseLong = r));
    const long = t.db.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(ledger_append_lock_key())`;
        await recordAudit(tx, t.world.users.finance.ctx, { action: 'test.long_start', recordType: 'note', recordId: 'long' });
        await longMayEnd;
        await recordAudit(tx, t.world.users.finance.ctx, { action: 'test.long_end', recordType: 'note', recordId: 'long' });
      },
      { timeout: 120_000 },
    );

    // While it holds the lock: plain audit transactions must all commit (the chain takes no lock
    // they would wait on behind the ledger).
    const whileHeld = await runWithClients(200, CLIENTS - 1, (i) =>
      t.db.prisma.$transaction(async (tx) => {
        for (let k = 0; k < 1 + (i % 3); k++)
          await recordAudit(tx, t.world.users.caseworker.ctx, { action: 'test.note', recordType: 'note', recordId: `h${i}-${k}` });
      }),
    );
    expect(rejected(whileHeld)).toEqual([]);

    // Funding receipts queue behind the long transaction's ledger lock; release it meanwhile.
    const mixed = runWithClients(TOTAL, CLIENTS, async (i) => {
      if (i % 4 === 0) {
        return recordFundingReceipt({
          ctx: t.world.users.finance.ctx,
          input: {
            programmeId: programme.id,
            remitterId: t.world.foundation.id,
            amount: '10.00',
            receivedOn: '2025-09-01',
            bankReference: `R-${randomUUID()}`,
          },
        });
      }
      return t.db.prisma.$transaction(async (tx) => {
        await recordAudit(tx, t.world.users.caseworker.ctx, { action: 'test.note', recordType: 'note', recordId: `m${i}-a` });
        if (i % 5 === 0) throw new Error('rolled back on purpose');
        await recordAudit(tx, t.world.users.caseworker.ctx, { action: 'test.note', recordType: 'note', recordId: `m${i}-b` });
      });
    });
    setTimeout(releaseLong, 1500);
    const results = await mixed;
    await long;
    const failures = rejected(results).filter((e) => !(e instanceof Error && e.message === 'rolled back on purpose'));
    expect(failures, String(failures[0])).toEqual([]);

    const [shape] = await t.db.prisma.$queryRaw<{ events: bigint; chained: bigint; min: bigint; max: bigint; distinct_seqs: bigint }[]>`
      SELECT (SELECT count(*) FROM audit_event) AS events, count(*) AS chained, min(seq) AS min, max(seq) AS max, count(DISTINCT seq) AS distinct_seqs
      FROM audit_chain`;
    expect(shape!.chained).toBe(shape!.events);
    expect(shape!.min).toBe(1n);
    expect(shape!.max).toBe(shape!.events);
    expect(shape!.distinct_seqs).toBe(shape!.events);
    expect(await t.db.prisma.auditEvent.count({ where: { recordId: { endsWith: '-b' }, action: 'test.note' } })).toBe(
      Array.from({ length: TOTAL }, (_, i) => i).filter((i) => i % 4 !== 0 && i % 5 !== 0).length,
    );

    const verification = await verifyAuditChain(t.db.prisma);
    expect(verification.firstProblem).toBeNull();
    expect(verification).toMatchObject({ ok: true, chainRowsChecked: Number(shape!.events), unchainedEvents: 0 });
  });
});
