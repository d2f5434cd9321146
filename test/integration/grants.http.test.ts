// Grants through the HTTP API on an embedded database: proposal within the band, maker-checker
// approval that commits the money and splits the grant into instalments, rejection; bad input,
// wrong roles and other organisations; the database's own backstops by raw SQL.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { academicYearStartingIn, type AcademicYear } from '../../src/domain/academic-year.ts';
import { todayInChina } from '../../src/domain/dates.ts';
import { splitIntoInstalments } from '../../src/domain/instalments.ts';
import { formatMoney, money } from '../../src/domain/money.ts';
import { programmeBalances } from '../../src/ledger/balances.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { approveGrant } from '../../src/services/grants.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { makeEligibleStudent } from '../support/eligibility-fixtures.ts';
import { makeOrganisation, makeProgramme, makeUser, type TestUser, type World } from '../support/fixtures.ts';
import { GRANT_YEAR, fundProgramme, makeApprovedStudent, makeProposedGrant } from '../support/grants.ts';
import { call, newKey } from '../support/http.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let programme: ProgrammeView;
let other: { caseworker: TestUser; approver: TestUser; viewer: TestUser; programme: ProgrammeView };

beforeAll(async () => {
  programme = await makeProgramme(t.world);
  await fundProgramme(t.world, programme.id, '200000.00');
  const department = await makeOrganisation(t.db.prisma, 'civil_affairs');
  const foundation = await makeOrganisation(t.db.prisma, 'foundation');
  other = {
    caseworker: await makeUser(t.db.prisma, department, 'caseworker'),
    approver: await makeUser(t.db.prisma, department, 'approver'),
    viewer: await makeUser(t.db.prisma, foundation, 'foundation_viewer'),
    programme: await makeProgramme({ ...t.world, department, foundation } as World),
  };
});

const YEAR = academicYearStartingIn(2026) as AcademicYear;

const propose = (body: Record<string, unknown>, token = t.world.users.caseworker.token) => t.as(token).post('/api/v1/grants', body);
const proposeFor = (studentId: string, amount = '4000.00', academicYear = GRANT_YEAR, programmeId = programme.id, token?: string) =>
  propose({ studentId, programmeId, academicYear, amount }, token);
const approve = (id: string, token = t.world.users.approver.token, key: string | null = newKey(), body: unknown = { reason: '同意' }) =>
  t.as(token).post(`/api/v1/grants/${id}/approval`, body === null ? undefined : body, key ? { idempotencyKey: key } : {});
const reject = (id: string, token = t.world.users.approver.token, body: unknown = { reason: '金额需重新核定' }) =>
  t.as(token).post(`/api/v1/grants/${id}/rejection`, body);

const approvedStudent = (programmeId = programme.id) => makeApprovedStudent(t.db.prisma, t.world, programmeId);
const proposed = async (amount = '4000.00', programmeId = programme.id) => makeProposedGrant(t.db.prisma, t.world, programmeId, amount);

async function counts() {
  return {
    grants: await t.db.prisma.grant.count(),
    instalments: await t.db.prisma.instalment.count(),
    audits: await t.db.prisma.auditEvent.count(),
    ledger: await t.db.prisma.ledgerTransaction.count(),
    bands: await t.db.prisma.programmeBand.count(),
  };
}

/** Runs `act` and checks that nothing at all was written. */
async function nothingWritten(act: () => Promise<unknown>) {
  const before = await counts();
  await act();
  expect(await counts()).toEqual(before);
}

const fundOf = async (programmeId = programme.id) => formatMoney((await programmeBalances(t.db.prisma, [programmeId])).get(programmeId)!.fund);

describe('propose → approve (commit + instalments) or reject', () => {
  it('proposes inside the band, then an approver approves: status, instalments, ledger posting and audit in one go', async () => {
    const s = await approvedStudent();
    const res = await proposeFor(s.student.id, '4000.00');
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      status: 'proposed',
      academicYear: GRANT_YEAR,
      level: 'undergraduate',
      amount: '4000.00',
      currency: 'CNY',
      eligibilityId: s.eligibility.id,
      proposedById: t.world.users.caseworker.actor.userId,
      decision: null,
      approvedOn: null,
      ledgerTransaction: null,
      instalments: [],
      student: { id: s.student.id, nameMasked: '才***', identityNumberMasked: s.student.identityNumberMasked },
      programme: { id: programme.id, code: programme.code },
    });
    expect(await t.db.prisma.auditEvent.findFirst({ where: { recordId: res.json.id, action: 'grant.propose' } })).toMatchObject({
      actorId: t.world.users.caseworker.actor.userId,
      after: { status: 'proposed', amount: '4000.00', level: 'undergraduate' },
    });

    const fundBefore = money(await fundOf());
    const key = newKey();
    const ok = await approve(res.json.id, t.world.users.approver.token, key);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('Idempotency-Replayed')).toBe('false');
    const today = todayInChina();
    const expected = splitIntoInstalments({ amount: money('4000.00'), plan: 'semesters', year: YEAR, approvedOn: today });
    expect(ok.json).toMatchObject({
      status: 'approved',
      approvedOn: today,
      decision: { decidedById: t.world.users.approver.actor.userId, reason: '同意' },
      instalments: expected.map((i) => ({ sequence: i.sequence, dueOn: i.dueOn, amount: formatMoney(i.amount), status: 'scheduled', catchUp: i.catchUp })),
    });
    expect(ok.json.instalments.reduce((s: number, i: { amount: string }) => s + Math.round(Number(i.amount) * 100), 0)).toBe(400000);

    // The ledger: Dr fund / Cr payable:<grant>, event date = approval date, linked to the grant.
    const posted = await t.db.prisma.ledgerTransaction.findUniqueOrThrow({
      where: { id: ok.json.ledgerTransaction.id },
      include: { entries: { include: { account: true }, orderBy: { line: 'asc' } } },
    });
    expect(posted).toMatchObject({ kind: 'grant_approved', sourceType: 'grant', sourceId: res.json.id, programmeId: programme.id });
    expect(posted.eventDate.toISOString().slice(0, 10)).toBe(today);
    expect(posted.entries.map((e) => [e.direction, e.account.code, e.amount.toString()])).toEqual([
      ['debit', 'fund', '4000'],
      ['credit', `payable:${res.json.id}`, '4000'],
    ]);
    expect(await fundOf()).toBe(formatMoney(fundBefore.minus('4000.00')));
    const audit = await t.db.prisma.auditEvent.findFirst({ where: { recordId: res.json.id, action: 'grant.approve' } });
    expect(audit).toMatchObject({
      actorId: t.world.users.approver.actor.userId,
      before: { status: 'proposed' },
      after: { status: 'approved', approvedOn: today },
    });

    // Idempotent: the same key and body replay the answer and write nothing.
    await nothingWritten(async () => {
      const again = await approve(res.json.id, t.world.users.approver.token, key);
      expect(again.status).toBe(200);
      expect(again.headers.get('Idempotency-Replayed')).toBe('true');
      expect(again.json).toEqual(ok.json);
    });
    // Read by every reading role of the scope.
    for (const user of [t.world.users.caseworker, t.world.users.finance, t.world.users.foundationViewer, t.world.users.auditor, t.world.users.admin]) {
      const got = await t.as(user).get(`/api/v1/grants/${res.json.id}`);
      expect(got.status).toBe(200);
      expect(got.json).toEqual(ok.json);
    }
    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
  });

  it('accepts the band limits themselves (inclusive) and amounts with fen', async () => {
    for (const amount of ['3000.00', '5000.00', '3456.78', '4000']) {
      const s = await approvedStudent();
      const res = await proposeFor(s.student.id, amount);
      expect(res.status, amount).toBe(201);
      expect(res.json.amount).toBe(formatMoney(money(amount)));
    }
  });

  it('approval without a body is accepted (the reason is optional)', async () => {
    const { grant } = await proposed();
    const res = await approve(grant.id, t.world.users.approver.token, newKey(), null);
    expect(res.status).toBe(200);
    expect(res.json.decision.reason).toBeNull();
  });

  it('rejects with a reason: nothing is committed, and a new proposal for the same year is then allowed', async () => {
    const { grant, student } = await proposed();
    const ledgerBefore = await t.db.prisma.ledgerTransaction.count();
    const res = await reject(grant.id);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      status: 'rejected',
      decision: { decidedById: t.world.users.approver.actor.userId, reason: '金额需重新核定' },
      instalments: [],
    });
    expect(await t.db.prisma.ledgerTransaction.count()).toBe(ledgerBefore);
    expect(await t.db.prisma.auditEvent.count({ where: { recordId: grant.id, action: 'grant.reject' } })).toBe(1);
    const again = await proposeFor(student.id, '3500.00');
    expect(again.status).toBe(201);
    expect(again.json.id).not.toBe(grant.id);
    // A decided grant is not decided again.
    expect((await approve(grant.id)).json.code).toBe('already_decided');
  });

  it('lists with filters and a cursor, newest proposals first', async () => {
    const p2 = await makeProgramme(t.world);
    await fundProgramme(t.world, p2.id, '50000.00');
    const made = [];
    for (const amount of ['3100.00', '3200.00', '3300.00']) made.push(await proposed(amount, p2.id));
    await approve(made[0]!.grant.id);
    const first = await t.as.auditor.get(`/api/v1/grants?programmeId=${p2.id}&limit=2`);
    expect(first.status).toBe(200);
    expect(first.json.items.map((g: { amount: string }) => g.amount)).toEqual(['3300.00', '3200.00']);
    const second = await t.as.auditor.get(`/api/v1/grants?programmeId=${p2.id}&limit=2&cursor=${first.json.nextCursor}`);
    expect(second.json.items.map((g: { amount: string }) => g.amount)).toEqual(['3100.00']);
    expect(second.json.nextCursor).toBeNull();
    const approved = await t.as.finance.get(`/api/v1/grants?programmeId=${p2.id}&status=approved&academicYear=${GRANT_YEAR}`);
    expect(approved.json.items.map((g: { id: string }) => g.id)).toEqual([made[0]!.grant.id]);
    expect(approved.json.items[0].instalments.length).toBeGreaterThan(0);
    const byStudent = await t.as.caseworker.get(`/api/v1/grants?studentId=${made[1]!.student.id}`);
    expect(byStudent.json.items.map((g: { id: string }) => g.id)).toEqual([made[1]!.grant.id]);
    expect((await t.as.auditor.get('/api/v1/grants?cursor=nonsense')).status).toBe(400);
    expect((await t.as.auditor.get('/api/v1/grants?status=paid')).status).toBe(400);
  });
});

describe('bad input: a problem naming the rule, and nothing written', () => {
  it.each([
    ['below the band', '2999.99'],
    ['above the band', '5000.01'],
  ])('amount %s → 422 amount_outside_band naming min and max', async (_what, amount) => {
    const s = await approvedStudent();
    await nothingWritten(async () => {
      const res = await proposeFor(s.student.id, amount);
      expect(res.status).toBe(422);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
      expect(res.json).toMatchObject({ code: 'amount_outside_band', min: '3000.00', max: '5000.00', level: 'undergraduate' });
    });
  });

  it.each([
    ['three decimals', '4000.001'],
    ['zero', '0.00'],
    ['negative', '-4000.00'],
    ['a JSON number', 4000],
    ['words', 'four thousand'],
  ])('amount %s → 400 naming the field', async (_what, amount) => {
    const s = await approvedStudent();
    await nothingWritten(async () => {
      const res = await propose({ studentId: s.student.id, programmeId: programme.id, academicYear: GRANT_YEAR, amount });
      expect(res.status).toBe(400);
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain('amount');
    });
  });

  it('a student without approved eligibility → 422 eligibility_not_approved (none, proposed only, or rejected)', async () => {
    const none = await makeEligibleStudent(t.db.prisma, { departmentId: t.world.department.id, caseworkerId: t.world.users.caseworker.actor.userId });
    const onlyProposed = await makeEligibleStudent(t.db.prisma, { departmentId: t.world.department.id, caseworkerId: t.world.users.caseworker.actor.userId });
    await t.as.caseworker.post('/api/v1/eligibility', { studentId: onlyProposed.student.id, programmeId: programme.id, academicYear: GRANT_YEAR });
    for (const s of [none, onlyProposed]) {
      await nothingWritten(async () => {
        const res = await proposeFor(s.student.id);
        expect(res.status).toBe(422);
        expect(res.json.code).toBe('eligibility_not_approved');
      });
    }
    // Approved for another year does not count.
    const lastYear = await makeApprovedStudent(t.db.prisma, t.world, programme.id, { academicYear: '2025-2026' });
    expect((await proposeFor(lastYear.student.id)).json.code).toBe('eligibility_not_approved');
  });

  it('an unknown student or programme → 404 naming the field', async () => {
    const s = await approvedStudent();
    await nothingWritten(async () => {
      const res = await proposeFor(randomUUID());
      expect(res.status).toBe(404);
      expect(res.json.errors).toEqual([{ path: 'studentId', message: 'no such student' }]);
      const noProgramme = await proposeFor(s.student.id, '4000.00', GRANT_YEAR, randomUUID());
      expect(noProgramme.status).toBe(404);
      expect(noProgramme.json.errors).toEqual([{ path: 'programmeId', message: 'no such programme' }]);
    });
  });

  it('a second grant for the same student, programme and year → 409 duplicate_grant (proposed or approved)', async () => {
    const { grant, student } = await proposed();
    await nothingWritten(async () => {
      const res = await proposeFor(student.id, '3000.00');
      expect(res.status).toBe(409);
      expect(res.json).toMatchObject({ code: 'duplicate_grant', existingId: grant.id });
    });
    await approve(grant.id);
    await nothingWritten(async () => {
      expect((await proposeFor(student.id, '3000.00')).json.code).toBe('duplicate_grant');
    });
  });

  it('an academic year outside the programme → 422; a malformed year → 400', async () => {
    const s = await approvedStudent();
    await nothingWritten(async () => {
      expect((await proposeFor(s.student.id, '4000.00', '2030-2031')).json.code).toBe('academic_year_outside_programme');
      expect((await proposeFor(s.student.id, '4000.00', '2026/2027')).status).toBe(400);
    });
  });

  it('approval by the proposer is refused: the caseworker role may not decide (403), and a proposer who became an approver gets 422 maker_checker', async () => {
    const { grant } = await proposed();
    await nothingWritten(async () => {
      const res = await approve(grant.id, t.world.users.caseworker.token);
      expect(res.status).toBe(403);
      // Same user id, now holding the approver role (e.g. after a change of post).
      const proposer = t.world.users.caseworker.actor;
      await expect(
        approveGrant({ ctx: { db: t.db.prisma, actor: { ...t.world.users.approver.actor, userId: proposer.userId } }, input: { id: grant.id } }),
      ).rejects.toMatchObject({
        code: 'maker_checker',
      });
    });
  });

  it('approval with an insufficient fund → 422 insufficient_fund with the amount missing; nothing is written, and it passes once money arrives', async () => {
    const poor = await makeProgramme(t.world);
    await fundProgramme(t.world, poor.id, '3999.99');
    const { grant } = await proposed('4000.00', poor.id);
    const before = await counts();
    const res = await approve(grant.id);
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ code: 'insufficient_fund', available: '3999.99', needed: '4000.00', missing: '0.01' });
    expect(res.json.detail).toContain('尚缺0.01元');
    expect({ ...(await counts()), grants: before.grants }).toEqual(before);
    expect(await t.db.prisma.grant.findUniqueOrThrow({ where: { id: grant.id } })).toMatchObject({
      status: 'proposed',
      ledgerTransactionId: null,
      decidedById: null,
    });
    expect(await t.db.prisma.instalment.count({ where: { grantId: grant.id } })).toBe(0);
    await fundProgramme(t.world, poor.id, '0.01');
    const ok = await approve(grant.id);
    expect(ok.status).toBe(200);
    expect(await fundOf(poor.id)).toBe('0.00');
  });

  it('approving an approved grant with a new key → 409 already_decided; a missing Idempotency-Key → 400', async () => {
    const { grant } = await proposed();
    await nothingWritten(async () => {
      const res = await approve(grant.id, t.world.users.approver.token, null);
      expect(res.status).toBe(400);
      expect(res.json.errors[0].path).toBe('idempotency-key');
    });
    expect((await approve(grant.id)).status).toBe(200);
    await nothingWritten(async () => {
      const again = await approve(grant.id, t.world.users.approver.token, newKey());
      expect(again.status).toBe(409);
      expect(again.json).toMatchObject({ code: 'already_decided', currentStatus: 'approved' });
      expect((await reject(grant.id)).json.code).toBe('already_decided');
    });
  });

  it('an approved grant’s amount cannot change: no endpoint offers it, and the database refuses it', async () => {
    const { grant } = await proposed('4000.00');
    await approve(grant.id);
    await nothingWritten(async () => {
      for (const method of ['PATCH', 'PUT']) {
        const res = await call(t.app, method, `/api/v1/grants/${grant.id}`, { token: t.world.users.approver.token, body: { amount: '4500.00' } });
        expect(res.status).toBe(404);
      }
      await expect(t.db.prisma.$executeRaw`UPDATE "grant" SET "amount" = 4500 WHERE "id" = ${grant.id}::uuid`).rejects.toThrow(/grant_amount_locked/);
      await expect(t.db.prisma.$executeRaw`UPDATE "instalment" SET "amount" = "amount" + 1 WHERE "grant_id" = ${grant.id}::uuid`).rejects.toThrow(
        /instalment_amount_locked/,
      );
      await expect(t.db.prisma.$executeRaw`DELETE FROM "grant" WHERE "id" = ${grant.id}::uuid`).rejects.toThrow(/grant_history/);
      await expect(t.db.prisma.$executeRaw`UPDATE "grant" SET "status" = 'proposed' WHERE "id" = ${grant.id}::uuid`).rejects.toThrow(/grant_status_transition/);
    });
    expect((await t.db.prisma.grant.findUniqueOrThrow({ where: { id: grant.id } })).amount.toString()).toBe('4000');
  });

  it('reject needs a reason → 400', async () => {
    const { grant } = await proposed();
    await nothingWritten(async () => {
      expect((await reject(grant.id, t.world.users.approver.token, {})).status).toBe(400);
      expect((await reject(grant.id, t.world.users.approver.token, { reason: ' ' })).status).toBe(400);
    });
  });

  it('a year that is over: proposal and approval → 422 academic_year_over', async () => {
    const s = await makeApprovedStudent(t.db.prisma, t.world, programme.id, { academicYear: '2025-2026' });
    await nothingWritten(async () => {
      const res = await proposeFor(s.student.id, '4000.00', '2025-2026');
      expect(res.status).toBe(422);
      expect(res.json).toMatchObject({ code: 'academic_year_over', yearEnd: '2026-08-31' });
    });
    // A proposal made while the year was running (inserted directly: the database accepts it).
    const id = randomUUID();
    await t.db.prisma.grant.create({
      data: {
        id,
        studentId: s.student.id,
        programmeId: programme.id,
        academicYear: 2025,
        eligibilityId: s.eligibility.id,
        level: 'undergraduate',
        amount: '4000.00',
        status: 'proposed',
        proposedById: t.world.users.caseworker.actor.userId,
      },
    });
    await nothingWritten(async () => {
      const res = await approve(id);
      expect(res.status).toBe(422);
      expect(res.json.code).toBe('academic_year_over');
    });
  });
});

describe('the database enforces the rules whatever path writes', () => {
  async function rawInsert(s: Awaited<ReturnType<typeof approvedStudent>>, amount: string, level = 'undergraduate', eligibilityId = s.eligibility.id) {
    return t.db.prisma.$executeRaw`
      INSERT INTO "grant" ("id", "student_id", "programme_id", "academic_year", "eligibility_id", "level", "amount", "status", "proposed_by_id")
      VALUES (${randomUUID()}::uuid, ${s.student.id}::uuid, ${programme.id}::uuid, 2026, ${eligibilityId}::uuid, ${level}::"EnrolmentLevel", ${amount}::numeric, 'proposed', ${t.world.users.caseworker.actor.userId}::uuid)`;
  }

  it('a raw INSERT outside the band, at another level, or without approved eligibility is refused', async () => {
    const s = await approvedStudent();
    await nothingWritten(async () => {
      await expect(rawInsert(s, '2999.99')).rejects.toThrow(/grant_amount_outside_band/);
      await expect(rawInsert(s, '5000.01')).rejects.toThrow(/grant_amount_outside_band/);
      await expect(rawInsert(s, '4000.00', 'junior_college')).rejects.toThrow(/grant_level_mismatch/);
      await expect(rawInsert(s, '4000.00', 'undergraduate', randomUUID())).rejects.toThrow(/grant_eligibility_not_approved/);
      await expect(rawInsert(s, '0.00')).rejects.toThrow();
    });
    expect(await rawInsert(s, '5000.00')).toBe(1);
    // One grant per year, by the partial unique index.
    await expect(rawInsert(s, '3000.00')).rejects.toThrow();
  });

  it('a raw approval of a grant whose enrolment has ended is refused (grant_enrolment_ended); the service answers 422 enrolment_ended', async () => {
    const { grant, enrolment } = await proposed('4000.00');
    await t.db.prisma.enrolment.update({ where: { id: enrolment.id }, data: { status: 'withdrawn' } });
    await expect(
      t.db.prisma
        .$executeRaw`UPDATE "grant" SET "status" = 'approved', "decided_by_id" = ${t.world.users.approver.actor.userId}::uuid, "decided_at" = now() WHERE "id" = ${grant.id}::uuid`,
    ).rejects.toThrow(/grant_enrolment_ended/);
    await nothingWritten(async () => {
      const res = await approve(grant.id);
      expect(res.status).toBe(422);
      expect(res.json).toMatchObject({ code: 'enrolment_ended', enrolmentStatus: 'withdrawn' });
    });
  });

  it('a raw UPDATE of a proposed grant out of its band is refused; maker = checker is refused by a CHECK', async () => {
    const { grant } = await proposed('4000.00');
    await expect(t.db.prisma.$executeRaw`UPDATE "grant" SET "amount" = 6000 WHERE "id" = ${grant.id}::uuid`).rejects.toThrow(/grant_amount_outside_band/);
    await expect(
      t.db.prisma
        .$executeRaw`UPDATE "grant" SET "status" = 'rejected', "decided_by_id" = "proposed_by_id", "decided_at" = now(), "decision_reason" = 'x' WHERE "id" = ${grant.id}::uuid`,
    ).rejects.toThrow(/grant_maker_is_not_checker/);
    // Approval without instalments or a ledger transaction is refused (at commit).
    await expect(
      t.db.prisma
        .$executeRaw`UPDATE "grant" SET "status" = 'approved', "decided_by_id" = ${t.world.users.approver.actor.userId}::uuid, "decided_at" = now() WHERE "id" = ${grant.id}::uuid`,
    ).rejects.toThrow(/grant_approval_complete/);
  });
});

describe('roles and scope', () => {
  it('propose: other roles → 403; another department → 404; nothing written', async () => {
    const s = await approvedStudent();
    await nothingWritten(async () => {
      for (const user of [t.world.users.approver, t.world.users.finance, t.world.users.foundationViewer, t.world.users.auditor, t.world.users.admin]) {
        expect((await proposeFor(s.student.id, '4000.00', GRANT_YEAR, programme.id, user.token)).status, user.actor.role).toBe(403);
      }
      expect((await proposeFor(s.student.id, '4000.00', GRANT_YEAR, programme.id, other.caseworker.token)).status).toBe(404);
      // Another department's caseworker on its own programme cannot reach this student either.
      const res = await proposeFor(s.student.id, '4000.00', GRANT_YEAR, other.programme.id, other.caseworker.token);
      expect(res.status).toBe(404);
      expect(res.json.errors[0].path).toBe('studentId');
    });
  });

  it('approve and reject: other roles → 403; another department → 404; nothing written', async () => {
    const { grant } = await proposed();
    await nothingWritten(async () => {
      for (const user of [t.world.users.caseworker, t.world.users.finance, t.world.users.foundationViewer, t.world.users.auditor, t.world.users.admin]) {
        expect((await approve(grant.id, user.token)).status, user.actor.role).toBe(403);
        expect((await reject(grant.id, user.token)).status, user.actor.role).toBe(403);
      }
      expect((await approve(grant.id, other.approver.token)).status).toBe(404);
      expect((await reject(grant.id, other.approver.token)).status).toBe(404);
      expect((await approve(randomUUID())).status).toBe(404);
    });
  });

  it('read: another department or another foundation → 404 and absent from lists; no token → 401', async () => {
    const { grant } = await proposed();
    for (const user of [other.caseworker, other.approver, other.viewer]) {
      expect((await t.as(user).get(`/api/v1/grants/${grant.id}`)).status).toBe(404);
      const list = await t.as(user).get('/api/v1/grants?limit=200');
      expect(list.status).toBe(200);
      expect(list.json.items.map((g: { id: string }) => g.id)).not.toContain(grant.id);
    }
    expect((await t.anonymous.get(`/api/v1/grants/${grant.id}`)).status).toBe(401);
    expect((await t.anonymous.get('/api/v1/grants')).status).toBe(401);
  });

  it('never shows the student’s identity number, name or account in clear, and keeps them out of audit rows', async () => {
    const { grant, student } = await proposed();
    const res = await approve(grant.id);
    const text = JSON.stringify(res.json);
    for (const secret of [student.plain.identityNumber, student.plain.name, student.plain.account]) expect(text).not.toContain(secret);
    const audits = await t.db.prisma.auditEvent.findMany({ where: { recordId: grant.id } });
    expect(audits.map((a) => a.action).sort()).toEqual(['grant.approve', 'grant.propose']);
    expect(JSON.stringify(audits.map((a) => [a.before, a.after]))).not.toContain('才');
  });
});

describe('OpenAPI', () => {
  it('documents the grant and band endpoints with examples', async () => {
    const doc = (await t.anonymous.get('/openapi.json')).json;
    for (const path of [
      '/api/v1/grants',
      '/api/v1/grants/{id}',
      '/api/v1/grants/{id}/approval',
      '/api/v1/grants/{id}/rejection',
      '/api/v1/programmes/{programmeId}/bands/{academicYear}',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.components.schemas.Grant.example.instalments).toHaveLength(2);
    expect(doc.components.schemas.ProposeGrant.example.amount).toBe('4000.00');
  });
});
