// verifyLedger recomputes the chain from transaction 1: tampering that the triggers would have
// refused is done here with triggers off (session_replication_role = replica, as a superuser or a
// restore tool could), and the verifier must name the first bad sequence number.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { applyMigrations } from '../../src/db/migrations.ts';
import { postings } from '../../src/domain/ledger-postings.ts';
import { money } from '../../src/domain/money.ts';
import type { PrismaClient } from '#prisma';
import { postTransaction } from '../../src/ledger/journal.ts';
import { type VerificationProblem, verifyLedger } from '../../src/ledger/verify.ts';
import { recordFundingReceipt, reverseFundingReceipt } from '../../src/services/funding-receipts.ts';
import { openTestDatabase } from '../support/database.ts';
import { makeProgramme, makeWorld, type World } from '../support/fixtures.ts';
import { type ScriptResult, runScript } from '../support/run-script.ts';
import { TEST_TODAY } from '../support/business-clock.ts';
import { makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { revokeEligibility } from '../../src/services/eligibility.ts';
import { changeEnrolmentStatus } from '../../src/services/enrolments.ts';

async function receive(world: World, programmeId: string, amount: string) {
  return recordFundingReceipt({
    ctx: world.users.finance.ctx,
    input: { programmeId, remitterId: world.foundation.id, amount, receivedOn: '2025-09-01', bankReference: `REF-${randomUUID()}` },
  });
}

/**
 * Seven transactions over two programmes:
 *   1 A funding 1000 · 2 B funding 500 · 3 A grant 300 · 4 A payout sent 200 ·
 *   5 B funding 50 · 6 B correction of 5 · 7 A payout settled 200
 */
async function buildLedger(prisma: PrismaClient) {
  const world = await makeWorld(prisma);
  const a = await makeProgramme(world);
  const b = await makeProgramme(world);
  const actorId = world.users.finance.actor.userId;
  const grantId = randomUUID();
  const post = (kind: 'grant_approved' | 'payout_sent' | 'payout_settled', p: ReturnType<typeof postings.fundingReceived>) =>
    prisma.$transaction((tx) =>
      postTransaction(tx, {
        programmeId: a.id,
        kind,
        eventDate: '2025-09-02',
        description: kind,
        sourceType: 'grant',
        sourceId: grantId,
        actorId,
        postings: p,
      }),
    );
  await receive(world, a.id, '1000.00');
  await receive(world, b.id, '500.00');
  await post('grant_approved', postings.grantApproved(grantId, money('300.00')));
  await post('payout_sent', postings.payoutSent(grantId, money('200.00')));
  const mistaken = await receive(world, b.id, '50.00');
  await reverseFundingReceipt({
    ctx: world.users.finance.ctx,
    input: { programmeId: b.id, receiptId: mistaken.id, reason: 'entered twice', eventDate: '2025-09-03' },
  });
  await post('payout_settled', postings.payoutSettled(money('200.00')));
  return { world, a, b };
}

/** Runs statements with every trigger off, in one transaction, and checks that they took effect. */
async function tamper(prisma: PrismaClient, ...statements: string[]) {
  let changed = 0;
  await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`);
    for (const statement of statements) changed += await tx.$executeRawUnsafe(statement);
  });
  expect(changed).toBeGreaterThan(0);
}

const problem = (seq: string, text: string | RegExp): VerificationProblem =>
  ({ seq, problem: typeof text === 'string' ? text : expect.stringMatching(text) }) as VerificationProblem;

const HASH_MISMATCH = 'hash does not match the recomputed hash of its content';
const PREV_HASH_MISMATCH = 'prev_hash does not match the hash of the transaction before it';

describe('verifyLedger on an embedded database', () => {
  let db: Database;
  beforeEach(async () => {
    await db?.close();
    db = await openTestDatabase();
    await buildLedger(db.prisma);
  });
  afterAll(async () => db?.close());

  it('verifies an untampered ledger of several programmes, with exact counts', async () => {
    const [headRow] = await db.prisma.$queryRawUnsafe<{ hash: string }[]>(`SELECT hash FROM ledger_transaction WHERE seq = 7`);
    expect(await db.prisma.ledgerTransaction.count()).toBe(7);
    const result = await verifyLedger(db.prisma);
    expect(result).toEqual({
      ok: true,
      transactionsChecked: 7,
      entriesChecked: 14,
      head: { seq: '7', hash: headRow!.hash },
      firstProblem: null,
      problems: [],
      commitmentProblems: [],
    });
  });

  it('reports progress', async () => {
    const seen: number[] = [];
    await verifyLedger(db.prisma, (n) => seen.push(n));
    expect(seen.at(-1)).toBe(7);
  });

  it('an entry amount changed (both lines, still balanced): hash mismatch and running balances at that seq', async () => {
    await tamper(db.prisma, `UPDATE ledger_entry SET amount = 250 WHERE seq = 4`);
    const result = await verifyLedger(db.prisma);
    expect(result.ok).toBe(false);
    expect(result.firstProblem).toEqual(problem('4', HASH_MISMATCH));
    expect(result.problems).toEqual(
      expect.arrayContaining([
        problem('4', HASH_MISMATCH),
        problem('4', /^line 1: payable:[0-9a-f-]+ running balance is 100\.00, recomputed 50\.00$/),
        problem('4', 'line 2: in_transit running balance is 200.00, recomputed 250.00'),
      ]),
    );
    expect(result.problems.some((p) => p.problem.startsWith('unbalanced'))).toBe(false);
  });

  it('one line’s amount changed: also unbalanced at that seq', async () => {
    await tamper(db.prisma, `UPDATE ledger_entry SET amount = 199.99 WHERE seq = 4 AND line = 2`);
    const result = await verifyLedger(db.prisma);
    expect(result.ok).toBe(false);
    expect(result.firstProblem?.seq).toBe('4');
    expect(result.problems).toEqual(expect.arrayContaining([problem('4', HASH_MISMATCH), problem('4', 'unbalanced: debits 200.00, credits 199.99')]));
  });

  it('only a running balance changed (not covered by the hash): reported at that seq, and nothing else', async () => {
    await tamper(db.prisma, `UPDATE ledger_entry SET balance_after = 250 WHERE seq = 4 AND line = 2`);
    const result = await verifyLedger(db.prisma);
    expect(result).toMatchObject({ ok: false, transactionsChecked: 7, entriesChecked: 14 });
    expect(result.problems).toEqual([problem('4', 'line 2: in_transit running balance is 250.00, recomputed 200.00')]);
    expect(result.firstProblem).toEqual(result.problems[0]);
  });

  it('an amount raised with its running balance so that fund goes below zero: reported at that seq', async () => {
    // Grant 300 → 1500: the stored balances are made consistent, so only the recomputation finds it.
    await tamper(db.prisma, `UPDATE ledger_entry SET amount = 1500, balance_after = CASE line WHEN 1 THEN -500 ELSE 1500 END WHERE seq = 3`);
    const result = await verifyLedger(db.prisma);
    expect(result.ok).toBe(false);
    expect(result.firstProblem?.seq).toBe('3');
    expect(result.problems).toEqual(expect.arrayContaining([problem('3', HASH_MISMATCH), problem('3', 'line 1: fund goes below zero')]));
  });

  it('a description changed: hash mismatch at that seq, and only there', async () => {
    await tamper(db.prisma, `UPDATE ledger_transaction SET description = 'payout sent (edited)' WHERE seq = 4`);
    const result = await verifyLedger(db.prisma);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([problem('4', HASH_MISMATCH)]);
    expect(result.firstProblem).toEqual(problem('4', HASH_MISMATCH));
  });

  it.each([
    ['event_date', `event_date = '2025-09-05'`],
    ['recorded_at', `recorded_at = recorded_at + interval '1 millisecond'`],
    ['actor_id', `actor_id = gen_random_uuid()`],
    ['source_id', `source_id = gen_random_uuid()`],
    ['kind', `kind = 'payout_failed'`],
  ])('%s changed: hash mismatch at that seq', async (_field, assignment) => {
    await tamper(db.prisma, `UPDATE ledger_transaction SET ${assignment} WHERE seq = 4`);
    const result = await verifyLedger(db.prisma);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([problem('4', HASH_MISMATCH)]);
  });

  it('a transaction deleted in the middle: "sequence gap" naming the missing seq', async () => {
    await tamper(db.prisma, `DELETE FROM ledger_entry WHERE seq = 4`, `DELETE FROM ledger_transaction WHERE seq = 4`);
    const result = await verifyLedger(db.prisma);
    expect(result).toMatchObject({ ok: false, transactionsChecked: 6, entriesChecked: 12 });
    expect(result.firstProblem).toEqual(problem('4', 'sequence gap: transaction 4 is missing (next is 5)'));
    // The next transaction's link to the deleted one is broken too.
    expect(result.problems).toContainEqual(problem('5', PREV_HASH_MISMATCH));
  });

  it('the newest transaction deleted: not detectable from the chain alone (the head moves back)', async () => {
    // A documented limit: the verifier reports the head it ends on, so an auditor compares it
    // with a head published earlier. The head seq/hash it returns must show the truncation.
    const [before] = await db.prisma.$queryRawUnsafe<{ hash: string }[]>(`SELECT hash FROM ledger_transaction WHERE seq = 6`);
    await tamper(db.prisma, `DELETE FROM ledger_entry WHERE seq = 7`, `DELETE FROM ledger_transaction WHERE seq = 7`);
    const result = await verifyLedger(db.prisma);
    expect(result.head).toEqual({ seq: '6', hash: before!.hash });
  });

  it('one entry deleted: reported at that seq (hash, too few entries, unbalanced)', async () => {
    await tamper(db.prisma, `DELETE FROM ledger_entry WHERE seq = 4 AND line = 2`);
    const result = await verifyLedger(db.prisma);
    expect(result).toMatchObject({ ok: false, entriesChecked: 13 });
    expect(result.firstProblem?.seq).toBe('4');
    expect(result.problems.filter((p) => p.seq === '4')).toEqual([
      problem('4', HASH_MISMATCH),
      problem('4', 'has 1 entries; at least two are needed'),
      problem('4', 'unbalanced: debits 200.00, credits 0.00'),
    ]);
  });

  it('an entry moved to an account of another programme: reported at that seq', async () => {
    await tamper(
      db.prisma,
      `UPDATE ledger_entry e SET account_id = other.id
       FROM ledger_account mine, ledger_account other
       WHERE e.seq = 4 AND e.line = 2 AND mine.id = e.account_id AND other.code = mine.code AND other.programme_id <> mine.programme_id`,
    );
    const result = await verifyLedger(db.prisma);
    expect(result.firstProblem?.seq).toBe('4');
    expect(result.problems).toContainEqual(problem('4', 'line 2: account of another programme'));
  });

  it('a prev_hash swapped for another transaction’s hash: reported at that seq', async () => {
    await tamper(db.prisma, `UPDATE ledger_transaction SET prev_hash = (SELECT hash FROM ledger_transaction WHERE seq = 2) WHERE seq = 4`);
    const result = await verifyLedger(db.prisma);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([problem('4', PREV_HASH_MISMATCH), problem('4', HASH_MISMATCH)]);
  });

  it('two transactions re-numbered (4 ↔ 5, with their entries): reported at the first of them', async () => {
    await tamper(
      db.prisma,
      `UPDATE ledger_transaction SET seq = 1000 WHERE seq = 4`,
      `UPDATE ledger_transaction SET seq = 4 WHERE seq = 5`,
      `UPDATE ledger_transaction SET seq = 5 WHERE seq = 1000`,
      `UPDATE ledger_entry SET seq = 1000 WHERE seq = 4`,
      `UPDATE ledger_entry SET seq = 4 WHERE seq = 5`,
      `UPDATE ledger_entry SET seq = 5 WHERE seq = 1000`,
    );
    const result = await verifyLedger(db.prisma);
    expect(result).toMatchObject({ ok: false, transactionsChecked: 7, entriesChecked: 14 });
    expect(result.firstProblem).toEqual(problem('4', PREV_HASH_MISMATCH));
    expect(result.problems).toEqual([
      problem('4', PREV_HASH_MISMATCH),
      problem('4', HASH_MISMATCH),
      problem('5', PREV_HASH_MISMATCH),
      problem('5', HASH_MISMATCH),
      // 6 still links to the hash of the transaction that is now at 4.
      problem('6', PREV_HASH_MISMATCH),
    ]);
  });

  it('a transaction re-numbered without its entries: its seq is reported', async () => {
    await tamper(db.prisma, `UPDATE ledger_transaction SET seq = 8 WHERE seq = 7`);
    const result = await verifyLedger(db.prisma);
    expect(result.ok).toBe(false);
    expect(result.firstProblem).toEqual(problem('7', 'sequence gap: transaction 7 is missing (next is 8)'));
  });

  it('a second correction of the same transaction (unique index bypassed): reported', async () => {
    // Re-link the funding correction (6) to reverse the grant (3) as well: 6 now reverses 3,
    // which is not the mistake it corrects — the hash covers reverses_id.
    await tamper(db.prisma, `UPDATE ledger_transaction SET reverses_id = (SELECT id FROM ledger_transaction WHERE seq = 3) WHERE seq = 6`);
    const result = await verifyLedger(db.prisma);
    expect(result.firstProblem).toEqual(problem('6', HASH_MISMATCH));
  });
});

describe('open commitments must rest on facts that hold (ledger:verify runs this too)', () => {
  let db: Database;
  beforeEach(async () => {
    await db?.close();
    db = await openTestDatabase();
  });
  afterAll(async () => db?.close());

  async function approvedGrant() {
    const world = await makeWorld(db.prisma);
    const programme = await makePayoutProgramme(world, '10000.00');
    const [made] = await makeApprovedGrants(db.prisma, world, programme.id, ['4000.00']);
    return { world, ...made! };
  }

  it('the use cases keep it: revoking, graduating and suspending through them leaves nothing to report', async () => {
    const a = await approvedGrant();
    await revokeEligibility({ ctx: a.world.users.approver.ctx, input: { id: a.eligibility.id, reason: '已被收养 (adopted)', effectiveOn: TEST_TODAY } });
    const b = await approvedGrant();
    const c = await approvedGrant();
    for (const [m, status] of [
      [b, 'graduated'],
      [c, 'suspended'],
    ] as const) {
      await changeEnrolmentStatus({
        ctx: m.world.users.caseworker.ctx,
        input: { studentId: m.student.id, enrolmentId: m.enrolment.id, status, effectiveOn: TEST_TODAY, reason: `${status} (测试)` },
      });
    }
    const result = await verifyLedger(db.prisma);
    expect(result.commitmentProblems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('an approved grant left on a revoked eligibility (written around the use cases): reported, the ledger fails verification though its chain holds', async () => {
    const { grant, eligibility } = await approvedGrant();
    await tamper(
      db.prisma,
      `UPDATE eligibility_determination SET status = 'revoked', revoked_by_id = decided_by_id, revoked_at = now(), revoked_effective_on = '${TEST_TODAY}', revocation_reason = 'x' WHERE id = '${eligibility.id}'`,
    );
    const result = await verifyLedger(db.prisma);
    expect(result.firstProblem).toBeNull();
    expect(result.ok).toBe(false);
    expect(result.commitmentProblems).toEqual([
      { code: 'grant_open_on_revoked_eligibility', grantId: grant.id, problem: 'grant approved, its eligibility is revoked' },
    ]);
  });

  it.each([
    ['graduated', '2026-06-30', 'grant_open_on_ended_enrolment'],
    ['withdrawn', '2026-11-01', 'grant_open_on_ended_enrolment'],
    ['suspended', '2026-10-01', 'instalment_scheduled_while_suspended'],
  ] as const)('an approved 2026-2027 grant whose enrolment became %s on %s without its grant following: %s', async (status, on, code) => {
    const { grant, enrolment } = await approvedGrant();
    await tamper(db.prisma, `UPDATE enrolment SET status = '${status}', status_effective_on = '${on}' WHERE id = '${enrolment.id}'`);
    const result = await verifyLedger(db.prisma);
    expect(result.ok).toBe(false);
    expect(result.commitmentProblems).toEqual([expect.objectContaining({ code, grantId: grant.id })]);
  });

  it('an enrolment that ended in an earlier academic year than the grant’s is no commitment problem for an earlier year’s grant, but is for the year it ended in', async () => {
    const { grant, enrolment } = await approvedGrant();
    // Graduated on 2026-08-31: the last day of 2025-2026; the 2026-2027 grant (approved) rests on it.
    await tamper(db.prisma, `UPDATE enrolment SET status = 'graduated', status_effective_on = '2026-08-31' WHERE id = '${enrolment.id}'`);
    expect((await verifyLedger(db.prisma)).commitmentProblems).toEqual([expect.objectContaining({ grantId: grant.id })]);
    // Moved to after the grant's year ended (2027-09-01): the grant's year was over, nothing to report.
    await tamper(db.prisma, `UPDATE enrolment SET status_effective_on = '2027-09-01' WHERE id = '${enrolment.id}'`);
    expect((await verifyLedger(db.prisma)).commitmentProblems).toEqual([]);
  });
});

describe('npm run ledger:verify (the CLI)', () => {
  let dataDir: string;
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const runVerify = (dir: string): Promise<ScriptResult> => runScript('ledger-verify', [], dir);

  it('exits 0 on an intact ledger and 1 naming the first bad sequence number once tampered', { timeout: 240_000 }, async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-verify-cli-'));
    let db = await openDatabase({ kind: 'embedded', dataDir });
    try {
      await applyMigrations(db.adapterFactory);
      const world = await makeWorld(db.prisma);
      const programme = await makeProgramme(world);
      for (const amount of ['100.00', '200.00', '300.00']) await receive(world, programme.id, amount);
    } finally {
      await db.close();
    }

    const intact = await runVerify(dataDir);
    expect(intact.stderr).toBe('');
    expect(intact.stdout).toContain('Transactions checked: 3; 分录 entries: 6');
    expect(intact.stdout).toContain('通过 OK');
    expect(intact.code).toBe(0);

    db = await openDatabase({ kind: 'embedded', dataDir });
    try {
      await tamper(db.prisma, `UPDATE ledger_transaction SET description = 'edited' WHERE seq = 2`);
    } finally {
      await db.close();
    }

    const tampered = await runVerify(dataDir);
    expect(tampered.stdout).toContain(`first bad sequence number 2: ${HASH_MISMATCH}`);
    expect(tampered.stdout).toContain('失败 FAILED');
    expect(tampered.code).toBe(1);
  });
});
