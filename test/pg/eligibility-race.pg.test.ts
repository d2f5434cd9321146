// Eligibility under concurrency, through the HTTP app in-process, on a real PostgreSQL server
// (PGlite runs one transaction at a time and hides races — TOOLCHAIN.md). The database keeps one
// open determination per student, programme and year (partial unique index) and the service locks
// a determination's row while deciding it, so concurrent requests queue and each sees the last.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { makeEligibleStudent } from '../support/eligibility-fixtures.ts';
import { makeProgramme, makeUser, type TestUser } from '../support/fixtures.ts';
import { call, makeApp } from '../support/http.ts';
import { testVault } from '../support/vault.ts';
import { race } from './support/concurrency.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';

const CLIENTS = 8;
const YEAR = '2026-2027';

describe.skipIf(!process.env.TEST_DATABASE_URL)('eligibility raced by concurrent clients (PostgreSQL)', () => {
  const t = usePgTestDatabase(20);
  let app: ReturnType<typeof makeApp>['app'];
  let programme: ProgrammeView;
  let caseworkers: TestUser[];
  let approvers: TestUser[];

  beforeAll(async () => {
    ({ app } = makeApp(t.db.prisma, await testVault()));
    programme = await makeProgramme(t.world);
    caseworkers = [];
    approvers = [];
    for (let i = 0; i < CLIENTS; i++) {
      caseworkers.push(await makeUser(t.db.prisma, t.world.department, 'caseworker'));
      approvers.push(await makeUser(t.db.prisma, t.world.department, 'approver'));
    }
  });

  const eligibleStudent = () => makeEligibleStudent(t.db.prisma, { departmentId: t.world.department.id, caseworkerId: t.world.users.caseworker.actor.userId });
  const propose = (studentId: string, token: string) =>
    call(app, 'POST', '/api/v1/eligibility', { token, body: { studentId, programmeId: programme.id, academicYear: YEAR } });

  function settled<T>(results: PromiseSettledResult<T>[]): T[] {
    return results.map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });
  }

  it('8 concurrent proposals for the same student, programme and year: exactly one stored, the others 409', async () => {
    const { student } = await eligibleStudent();
    const answers = settled(await race(CLIENTS, (i) => propose(student.id, caseworkers[i]!.token)));

    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status !== 201);
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(CLIENTS - 1);
    for (const a of refused) {
      expect(a.status).toBe(409);
      expect(a.headers.get('Content-Type')).toContain('application/problem+json');
      expect(a.json).toMatchObject({ status: 409, code: 'duplicate_eligibility' });
    }
    // Racers that passed the check before the winner committed were stopped by the unique index
    // (their answers carry no existingId); the others by the check.
    const byIndex = refused.filter((a) => a.json.existingId === undefined).length;
    console.info(`[eligibility-race] proposals: ${byIndex} refused by the unique index, ${refused.length - byIndex} by the check`);

    const rows = await t.db.prisma.eligibilityDetermination.findMany({ where: { studentId: student.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(created[0]!.json.id);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'eligibility.propose', recordId: rows[0]!.id } })).toBe(1);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'eligibility.propose', after: { path: ['studentId'], equals: student.id } } })).toBe(1);
  });

  it('a proposal that passed the check while another was uncommitted is stopped by the unique index (409, not 500)', async () => {
    const { student } = await eligibleStudent();
    const blocker = new pg.Client({ connectionString: t.db.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(
        `INSERT INTO eligibility_determination (id, student_id, programme_id, academic_year, status, cohort, eligible, rule_results, proposed_by_id)
         VALUES ($1, $2, $3, 2026, 'proposed', 'continuing', true, '[]', $4)`,
        [randomUUID(), student.id, programme.id, t.world.users.caseworker.actor.userId],
      );
      const pending = propose(student.id, caseworkers[0]!.token);
      // Wait until the request is blocked on the index entry of the uncommitted row.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const { rows } = await blocker.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        );
        if (rows[0].n > 0) break;
        if (Date.now() > deadline) throw new Error('the proposal never blocked on the open row');
        await new Promise((r) => setTimeout(r, 20));
      }
      await blocker.query('COMMIT');
      const answer = await pending;
      expect(answer.status).toBe(409);
      expect(answer.json.code).toBe('duplicate_eligibility');
      expect(answer.json.existingId).toBeUndefined();
    } finally {
      await blocker.end();
    }
    // Only the row inserted by hand; the refused proposal left no row and no audit event.
    expect(await t.db.prisma.eligibilityDetermination.count({ where: { studentId: student.id } })).toBe(1);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'eligibility.propose', after: { path: ['studentId'], equals: student.id } } })).toBe(0);
  });

  it('8 concurrent approvals of one proposal by different approvers: exactly one succeeds, the others 409 already_decided', async () => {
    const { student } = await eligibleStudent();
    const proposal = await propose(student.id, t.world.users.caseworker.token);
    expect(proposal.status).toBe(201);
    const id = proposal.json.id as string;

    const answers = settled(
      await race(CLIENTS, (i) => call(app, 'POST', `/api/v1/eligibility/${id}/approval`, { token: approvers[i]!.token, body: { reason: `approver ${i}` } })),
    );
    const approved = answers.map((a, i) => ({ ...a, i })).filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status !== 200);
    expect(approved).toHaveLength(1);
    for (const a of refused) {
      expect(a.status).toBe(409);
      expect(a.json).toMatchObject({ status: 409, code: 'already_decided' });
    }

    const winner = approvers[approved[0]!.i]!;
    const row = await t.db.prisma.eligibilityDetermination.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'approved', decidedById: winner.actor.userId, decisionReason: `approver ${approved[0]!.i}` });
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'eligibility.approve', recordId: id } })).toBe(1);
  });

  it('approvals and rejections raced on one proposal: exactly one decision is recorded', async () => {
    const { student } = await eligibleStudent();
    const proposal = await propose(student.id, t.world.users.caseworker.token);
    const id = proposal.json.id as string;
    const answers = settled(
      await race(CLIENTS, (i) =>
        call(app, 'POST', `/api/v1/eligibility/${id}/${i % 2 === 0 ? 'approval' : 'rejection'}`, {
          token: approvers[i]!.token,
          body: { reason: `decision ${i}` },
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409 && a.json.code === 'already_decided')).toHaveLength(CLIENTS - 1);
    const decisions = await t.db.prisma.auditEvent.count({ where: { recordId: id, action: { in: ['eligibility.approve', 'eligibility.reject'] } } });
    expect(decisions).toBe(1);
  });
});
