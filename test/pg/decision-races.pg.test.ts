// Decisions that rest on each other, raced on a real PostgreSQL server (PGlite runs one transaction
// at a time and hides races). Each try is a pair of use cases started at the same moment on rows
// that depend on each other; many tries run at once through more than 20 database clients. After
// every round the database must hold no anomaly, whatever the interleaving:
// - no approved grant rests on a revoked eligibility, or on an enrolment that ended (graduated,
//   withdrawn) in or before the grant's academic year;
// - no scheduled instalment belongs to a grant whose enrolment is suspended;
// - every refusal is a typed domain error with an expected code (never a raw database error);
// - the ledger verifies, and its commitments check (ledger:verify) finds nothing open on ended facts.
import { beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/domain/money.ts';
import { verifyCommitments } from '../../src/ledger/commitments.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { approveEligibility, proposeEligibility, revokeEligibility } from '../../src/services/eligibility.ts';
import { changeEnrolmentStatus } from '../../src/services/enrolments.ts';
import { approveGrant } from '../../src/services/grants.ts';
import { importBankResults } from '../../src/services/payouts/bank-results.ts';
import { exportBatchFile } from '../../src/services/payouts/bank-files.ts';
import { cancelPayoutBatch, createPayoutBatch, sendPayoutBatch } from '../../src/services/payouts/batches.ts';
import { cancelInstalmentAfterFailure } from '../../src/services/payouts/instalment-cancel.ts';
import { camt054Text, chunksOf } from '../support/bank-answers.ts';
import { TEST_TODAY } from '../support/business-clock.ts';
import { makeProgramme, makeUser, type TestUser } from '../support/fixtures.ts';
import { makeEligibleStudent } from '../support/eligibility-fixtures.ts';
import { makeProposedGrant } from '../support/grants.ts';
import { PROGRAMME_ACCOUNT, exportAndSendBatch, exportBankFile, makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { outcomes, race } from './support/concurrency.ts';
import { type PgTestDatabase, usePgTestDatabase } from '../support/pg-test-database.ts';

/** Pairs raced at once in one round; each pair is two use cases, so 2 × PAIRS requests compete for CLIENTS connections. */
const PAIRS = 30;
const ROUNDS = 2;
const CLIENTS = 24;

type ApprovedGrant = Awaited<ReturnType<typeof makeApprovedGrants>>[number];

interface Anomaly {
  grant_id: string;
  problem: string;
}

/** Every decision that rests on another, read straight from the tables (independent of the services). */
async function anomalies(db: PgTestDatabase): Promise<Anomaly[]> {
  return db.prisma.$queryRaw<Anomaly[]>`
    SELECT g."id"::text AS grant_id, 'approved grant on a revoked eligibility' AS problem
      FROM "grant" g JOIN "eligibility_determination" e ON e."id" = g."eligibility_id"
     WHERE g."status" = 'approved' AND e."status" <> 'approved'
    UNION ALL
    SELECT g."id"::text, 'approved grant on an ended enrolment'
      FROM "grant" g JOIN "eligibility_determination" e ON e."id" = g."eligibility_id" JOIN "enrolment" en ON en."id" = e."enrolment_id"
     WHERE g."status" = 'approved' AND en."status" IN ('graduated', 'withdrawn')
       AND g."academic_year" >= extract(year FROM en."status_effective_on" - interval '8 months')
    UNION ALL
    SELECT g."id"::text, 'scheduled instalment while the enrolment is suspended'
      FROM "grant" g JOIN "eligibility_determination" e ON e."id" = g."eligibility_id" JOIN "enrolment" en ON en."id" = e."enrolment_id"
      JOIN "instalment" i ON i."grant_id" = g."id"
     WHERE g."status" = 'approved' AND en."status" = 'suspended' AND i."status" = 'scheduled'
    UNION ALL
    SELECT g."id"::text, 'ended grant still owes: payable not back to zero after nothing more can be sent'
      FROM "grant" g
     WHERE g."status" = 'ended'
       AND EXISTS (SELECT 1 FROM "instalment" i WHERE i."grant_id" = g."id" AND i."status" IN ('scheduled', 'held'))`;
}

/**
 * For every item, `first` and `second` start at the same moment (all pairs at once, through the
 * pool's clients); the results come in pairs: first of item 0, second of item 0, first of item 1…
 */
function racePairs<T>(items: T[], first: (item: T, n: number) => Promise<unknown>, second: (item: T) => Promise<unknown>) {
  return race<unknown>(items.length * 2, (i) => (i % 2 === 0 ? first(items[i / 2]!, i / 2) : second(items[(i - 1) / 2]!)));
}

/** The second of every pair (the revocation or status change, which the first never blocks) succeeded. */
function expectSecondAlwaysFulfilled(results: PromiseSettledResult<unknown>[]): void {
  expect(results.filter((_, i) => i % 2 === 1).map((r) => (r.status === 'rejected' ? r.reason : 'fulfilled'))).toEqual(
    results.filter((_, i) => i % 2 === 1).map(() => 'fulfilled'),
  );
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('decisions that rest on each other, raced (PostgreSQL)', () => {
  const setup = usePgTestDatabase(CLIENTS);
  let approvers: TestUser[];

  beforeAll(async () => {
    approvers = [];
    for (let i = 0; i < 4; i++) approvers.push(await makeUser(setup.db.prisma, setup.world.department, 'approver'));
  });

  async function expectConsistent(): Promise<void> {
    expect(await anomalies(setup.db)).toEqual([]);
    const ledger = await verifyLedger(setup.db.prisma);
    expect(ledger.firstProblem).toBeNull();
    expect(await verifyCommitments(setup.db.prisma)).toEqual([]);
  }

  /** Proposed grants of 4,000.00 in a programme funded for all of them, each with its eligibility and enrolment. */
  async function proposedGrants(count: number) {
    const programme = await makePayoutProgramme(setup.world, formatMoney(4000 * count + 1000));
    const made = [];
    for (let i = 0; i < count; i++) made.push(await makeProposedGrant(setup.db.prisma, setup.world, programme.id, '4000.00'));
    return made;
  }

  it(`grant approval raced by the revocation of its eligibility: ${PAIRS * ROUNDS} tries, never an approved grant on a revoked eligibility`, {
    timeout: 300_000,
  }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const made = await proposedGrants(PAIRS);
      const results = await racePairs(
        made,
        (m, n) => approveGrant({ ctx: approvers[n % approvers.length]!.ctx, input: { id: m.grant.id } }),
        (m) =>
          revokeEligibility({
            ctx: setup.world.users.approver.ctx,
            input: { id: m.eligibility.id, reason: '查实已被收养 (adopted)', effectiveOn: TEST_TODAY },
          }),
      );
      outcomes(results, ['eligibility_not_approved']);
      await expectConsistent();
      // Every revocation succeeds (it was approved); an approval that committed first had its grant ended by it.
      expectSecondAlwaysFulfilled(results);
      const grants = await setup.db.prisma.grant.findMany({
        where: { id: { in: made.map((m) => m.grant.id) } },
        select: { status: true, endLedgerTransactionId: true },
      });
      for (const g of grants) expect(['proposed', 'ended']).toContain(g.status);
      for (const g of grants.filter((g) => g.status === 'ended')) expect(g.endLedgerTransactionId).not.toBeNull();
    }
  });

  for (const status of ['graduated', 'withdrawn', 'suspended'] as const) {
    it(`grant approval raced by the enrolment becoming ${status}: ${PAIRS * ROUNDS} tries, no anomaly`, { timeout: 300_000 }, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const made = await proposedGrants(PAIRS);
        const results = await racePairs(
          made,
          (m, n) => approveGrant({ ctx: approvers[n % approvers.length]!.ctx, input: { id: m.grant.id } }),
          (m) =>
            changeEnrolmentStatus({
              ctx: setup.world.users.caseworker.ctx,
              input: { studentId: m.student.id, enrolmentId: m.enrolment.id, status, effectiveOn: TEST_TODAY, reason: `${status} (测试)` },
            }),
        );
        outcomes(results, ['enrolment_ended']);
        expectSecondAlwaysFulfilled(results);
        await expectConsistent();
      }
    });
  }

  for (const status of ['withdrawn', 'graduated'] as const) {
    it(`eligibility approval raced by the enrolment becoming ${status}: ${PAIRS * ROUNDS} tries, each decided on the enrolment as it is at commit`, {
      timeout: 300_000,
    }, async () => {
      const programme = await makeProgramme(setup.world);
      for (let round = 0; round < ROUNDS; round++) {
        const proposals = [];
        for (let i = 0; i < PAIRS; i++) {
          const made = await makeEligibleStudent(setup.db.prisma, {
            departmentId: setup.world.department.id,
            caseworkerId: setup.world.users.caseworker.actor.userId,
          });
          const proposal = await proposeEligibility({
            ctx: setup.world.users.caseworker.ctx,
            input: { studentId: made.student.id, programmeId: programme.id, academicYear: '2026-2027' },
          });
          proposals.push({ ...made, proposal });
        }
        const results = await racePairs(
          proposals,
          (m, n) => approveEligibility({ ctx: approvers[n % approvers.length]!.ctx, input: { id: m.proposal.id } }),
          (m) =>
            changeEnrolmentStatus({
              ctx: setup.world.users.caseworker.ctx,
              input: { studentId: m.student.id, enrolmentId: m.enrolment.id, status, effectiveOn: TEST_TODAY, reason: `${status} (测试)` },
            }),
        );
        // The approval either committed first (its rules saw the student enrolled) or read the end
        // the status change committed and refused; never a deadlock or a raw database error.
        const { ok } = outcomes(results, ['rule_failed', 'facts_changed']);
        expectSecondAlwaysFulfilled(results);
        const decided = await setup.db.prisma.eligibilityDetermination.findMany({
          where: { id: { in: proposals.map((m) => m.proposal.id) } },
          select: { status: true, decisionRuleResults: true },
        });
        expect(decided.filter((d) => d.status === 'approved')).toHaveLength(ok - PAIRS);
        for (const d of decided.filter((d) => d.status === 'approved')) {
          // Approved only on rules that all passed when it was decided.
          expect((d.decisionRuleResults as { passed: boolean }[]).every((r) => r.passed)).toBe(true);
        }
        for (const d of decided.filter((d) => d.status !== 'approved')) expect(d.status).toBe('proposed');
        await expectConsistent();
      }
    });
  }

  it(`sending a batch raced by the revocation of a paid student's eligibility: ${PAIRS * ROUNDS} tries, each instalment either sent or cancelled, never both`, {
    timeout: 300_000,
  }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // One programme per try, so that each batch holds one student's payout and races one revocation.
      const tries: { made: ApprovedGrant; batch: Awaited<ReturnType<typeof createPayoutBatch>> }[] = [];
      for (let p = 0; p < PAIRS; p++) {
        const programme = await makePayoutProgramme(setup.world, '10000.00');
        const [made] = await makeApprovedGrants(setup.db.prisma, setup.world, programme.id, ['4000.00']);
        const batch = await createPayoutBatch({ ctx: setup.world.users.finance.ctx, input: { programmeId: programme.id, cutoffOn: TEST_TODAY } });
        await exportBankFile(setup.world.users.finance.ctx, batch.id);
        tries.push({ made: made!, batch });
      }
      const results = await racePairs(
        tries,
        (t, _n) => sendPayoutBatch({ ctx: setup.world.users.finance.ctx, input: { batchId: t.batch.id } }),
        (t) =>
          revokeEligibility({
            ctx: setup.world.users.approver.ctx,
            input: { id: t.made.eligibility.id, reason: '查实已被收养 (adopted)', effectiveOn: TEST_TODAY },
          }),
      );
      outcomes(results, ['batch_out_of_date']);
      expectSecondAlwaysFulfilled(results);
      await expectConsistent();
      for (const t of tries) {
        const instalments = await setup.db.prisma.instalment.findMany({ where: { grantId: t.made.grant.id }, orderBy: { sequence: 'asc' } });
        const payout = await setup.db.prisma.payout.findFirstOrThrow({ where: { batchId: t.batch.id } });
        const first = instalments[0]!;
        // Sent first: the instalment went to the bank and only the spring one was cancelled.
        // Revoked first: the batch is out of date, its payout still pending, the instalment cancelled.
        if (payout.status === 'sent') expect(first.status).toBe('sent');
        else expect([payout.status, first.status]).toEqual(['pending', 'cancelled']);
        for (const later of instalments.slice(1)) expect(later.status).toBe('cancelled');
      }
    }
  });

  it(`making a batch raced by the revocation of a due student's eligibility: ${PAIRS * ROUNDS} tries, no anomaly, every refusal typed`, {
    timeout: 300_000,
  }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const tries: { programmeId: string; made: ApprovedGrant }[] = [];
      for (let p = 0; p < PAIRS; p++) {
        const programme = await makePayoutProgramme(setup.world, '10000.00');
        const [made] = await makeApprovedGrants(setup.db.prisma, setup.world, programme.id, ['4000.00']);
        tries.push({ programmeId: programme.id, made: made! });
      }
      const results = await racePairs(
        tries,
        (t, _n) => createPayoutBatch({ ctx: setup.world.users.finance.ctx, input: { programmeId: t.programmeId, cutoffOn: TEST_TODAY } }),
        (t) =>
          revokeEligibility({
            ctx: setup.world.users.approver.ctx,
            input: { id: t.made.eligibility.id, reason: '查实已被收养 (adopted)', effectiveOn: TEST_TODAY },
          }),
      );
      outcomes(results, ['nothing_due']);
      expectSecondAlwaysFulfilled(results);
      await expectConsistent();
      for (const t of tries) {
        // The revocation ran wholly before the batch (nothing due) or wholly after it (the batch's payout
        // waits on a cancelled instalment, and sending it is refused as out of date).
        const payouts = await setup.db.prisma.payout.findMany({ where: { programmeId: t.programmeId } });
        for (const p of payouts) {
          const instalment = await setup.db.prisma.instalment.findUniqueOrThrow({ where: { id: p.instalmentId } });
          expect([p.status, instalment.status]).toEqual(['pending', 'cancelled']);
        }
      }
    }
  });

  it(`exporting a batch's bank file raced by the batch's cancellation: ${PAIRS * ROUNDS} tries, no file handed out for a batch already cancelled`, {
    timeout: 300_000,
  }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const tries: { batchId: string }[] = [];
      for (let p = 0; p < PAIRS; p++) {
        const programme = await makePayoutProgramme(setup.world, '10000.00');
        await makeApprovedGrants(setup.db.prisma, setup.world, programme.id, ['4000.00']);
        const batch = await createPayoutBatch({ ctx: setup.world.users.finance.ctx, input: { programmeId: programme.id, cutoffOn: TEST_TODAY } });
        tries.push({ batchId: batch.id });
      }
      const results = await racePairs(
        tries,
        (t, _n) => exportBatchFile({ ctx: setup.world.users.finance.ctx, input: { batchId: t.batchId, format: 'pain001' } }),
        (t) => cancelPayoutBatch({ ctx: setup.world.users.finance.ctx, input: { batchId: t.batchId, reason: '重新制作 (made again)' } }),
      );
      outcomes(results, ['batch_cancelled']);
      expectSecondAlwaysFulfilled(results);
      await expectConsistent();
      for (const [i, t] of tries.entries()) {
        // Exported first (its audit chained before the cancellation's), or refused: never recorded after.
        const events = await setup.db.prisma.auditEvent.findMany({
          where: { recordId: t.batchId, action: { in: ['payout_batch.export_file', 'payout_batch.cancel'] } },
          orderBy: { chain: { seq: 'asc' } },
        });
        const exported = results[i * 2]!.status === 'fulfilled';
        expect(events.map((e) => e.action)).toEqual(exported ? ['payout_batch.export_file', 'payout_batch.cancel'] : ['payout_batch.cancel']);
        expect(await setup.db.prisma.payoutExport.count({ where: { batchId: t.batchId } })).toBe(exported ? 1 : 0);
      }
    }
  });

  it(`cancelling a returned instalment raced by making a batch that would pay it again: ${PAIRS * ROUNDS} tries, the instalment is cancelled or paid again, never both`, {
    timeout: 300_000,
  }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const tries: { programmeId: string; instalmentId: string }[] = [];
      for (let p = 0; p < PAIRS; p++) {
        const programme = await makePayoutProgramme(setup.world, '10000.00');
        await makeApprovedGrants(setup.db.prisma, setup.world, programme.id, ['4000.00']);
        const batch = await createPayoutBatch({ ctx: setup.world.users.finance.ctx, input: { programmeId: programme.id, cutoffOn: TEST_TODAY } });
        await exportAndSendBatch(setup.world.users.finance.ctx, batch.id);
        const payout = await setup.db.prisma.payout.findFirstOrThrow({ where: { batchId: batch.id } });
        const answer = await camt054Text({ messageId: `RET-${payout.reference}`, account: PROGRAMME_ACCOUNT }, [
          { reference: payout.reference, amount: payout.amount.toFixed(2), kind: 'return', reason: 'AC04' },
        ]);
        await importBankResults({ ctx: setup.world.users.finance.ctx, input: { programmeId: programme.id, content: chunksOf(answer), format: 'auto' } });
        tries.push({ programmeId: programme.id, instalmentId: payout.instalmentId });
      }
      const results = await racePairs(
        tries,
        (t, _n) =>
          cancelInstalmentAfterFailure({
            ctx: setup.world.users.finance.ctx,
            input: { instalmentId: t.instalmentId, reason: '学生未提供新账户 (no new account)' },
          }),
        (t) => createPayoutBatch({ ctx: setup.world.users.finance.ctx, input: { programmeId: t.programmeId, cutoffOn: TEST_TODAY } }),
      );
      outcomes(results, ['instalment_not_cancellable', 'nothing_due']);
      await expectConsistent();
      for (const t of tries) {
        const instalment = await setup.db.prisma.instalment.findUniqueOrThrow({ where: { id: t.instalmentId } });
        const live = await setup.db.prisma.payout.count({ where: { instalmentId: t.instalmentId, status: { in: ['pending', 'sent', 'settled'] } } });
        // Cancelled first: nothing due, no new payout. Batched first: a new payout waits, the instalment stays scheduled.
        if (instalment.status === 'cancelled') expect(live).toBe(0);
        else expect([instalment.status, live]).toEqual(['scheduled', 1]);
      }
    }
  });

  it(`cancelling a returned instalment raced by the revocation of the student's eligibility: ${PAIRS * ROUNDS} tries, the money goes back to the fund once`, {
    timeout: 300_000,
  }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const tries: { programmeId: string; made: ApprovedGrant; instalmentId: string }[] = [];
      for (let p = 0; p < PAIRS; p++) {
        const programme = await makePayoutProgramme(setup.world, '10000.00');
        const [made] = await makeApprovedGrants(setup.db.prisma, setup.world, programme.id, ['4000.00']);
        const batch = await createPayoutBatch({ ctx: setup.world.users.finance.ctx, input: { programmeId: programme.id, cutoffOn: TEST_TODAY } });
        await exportAndSendBatch(setup.world.users.finance.ctx, batch.id);
        const payout = await setup.db.prisma.payout.findFirstOrThrow({ where: { batchId: batch.id } });
        const answer = await camt054Text({ messageId: `RET-${payout.reference}`, account: PROGRAMME_ACCOUNT }, [
          { reference: payout.reference, amount: payout.amount.toFixed(2), kind: 'return', reason: 'AC04' },
        ]);
        await importBankResults({ ctx: setup.world.users.finance.ctx, input: { programmeId: programme.id, content: chunksOf(answer), format: 'auto' } });
        tries.push({ programmeId: programme.id, made: made!, instalmentId: payout.instalmentId });
      }
      const results = await racePairs(
        tries,
        (t, _n) =>
          cancelInstalmentAfterFailure({
            ctx: setup.world.users.finance.ctx,
            input: { instalmentId: t.instalmentId, reason: '学生未提供新账户 (no new account)' },
          }),
        (t) =>
          revokeEligibility({
            ctx: setup.world.users.approver.ctx,
            input: { id: t.made.eligibility.id, reason: '查实已被收养 (adopted)', effectiveOn: TEST_TODAY },
          }),
      );
      outcomes(results, ['instalment_not_cancellable']);
      expectSecondAlwaysFulfilled(results);
      await expectConsistent();
      for (const t of tries) {
        // Whoever came first, the whole 4,000.00 is back in the fund exactly once and nothing is owed.
        const returned = await setup.db.prisma.$queryRaw<{ total: string }[]>`
          SELECT coalesce(sum(e."amount"), 0)::text AS total FROM "ledger_entry" e JOIN "ledger_transaction" t ON t."id" = e."transaction_id"
          JOIN "ledger_account" a ON a."id" = e."account_id"
          WHERE t."kind" = 'remainder_cancelled' AND t."programme_id" = ${t.programmeId}::uuid AND a."kind" = 'fund'`;
        expect(returned[0]!.total).toBe('4000.00');
      }
    }
  });
});
