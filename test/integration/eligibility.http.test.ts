// Eligibility per academic year with maker-checker, through the HTTP API on an embedded database.
// Students, recognitions and enrolments are inserted directly (test/support/eligibility-fixtures.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { ELIGIBILITY_RULES } from '../../src/domain/eligibility.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import {
  addVerification,
  changeStatus,
  makeEligibleStudent,
  makeRecognition,
  makeStudent,
  type EligibleStudentOptions,
} from '../support/eligibility-fixtures.ts';
import { makeOrganisation, makeProgramme, makeUser, type TestUser, type World } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let programme: ProgrammeView;
/** Another department, with its own staff and programme, and another foundation's viewer. */
let other: { caseworker: TestUser; approver: TestUser; finance: TestUser; viewer: TestUser; programme: ProgrammeView; departmentId: string };

beforeAll(async () => {
  programme = await makeProgramme(t.world);
  const department = await makeOrganisation(t.db.prisma, 'civil_affairs');
  const foundation = await makeOrganisation(t.db.prisma, 'foundation');
  other = {
    caseworker: await makeUser(t.db.prisma, department, 'caseworker'),
    approver: await makeUser(t.db.prisma, department, 'approver'),
    finance: await makeUser(t.db.prisma, department, 'finance'),
    viewer: await makeUser(t.db.prisma, foundation, 'foundation_viewer'),
    programme: await makeProgramme({ ...t.world, department, foundation } as World),
    departmentId: department.id,
  };
});

const YEAR = '2026-2027';

function student(options: Partial<EligibleStudentOptions> = {}) {
  return makeEligibleStudent(t.db.prisma, { departmentId: t.world.department.id, caseworkerId: t.world.users.caseworker.actor.userId, ...options });
}

function propose(body: Record<string, unknown>, token = t.world.users.caseworker.token) {
  return t.as(token).post('/api/v1/eligibility', body);
}
const proposeFor = (studentId: string, academicYear = YEAR, programmeId = programme.id, token?: string) =>
  propose({ studentId, programmeId, academicYear }, token);
/** `body: null` sends no body at all. */
const approve = (id: string, token = t.world.users.approver.token, body: unknown = { reason: '材料齐全' }) =>
  t.as(token).post(`/api/v1/eligibility/${id}/approval`, body === null ? undefined : body);
const reject = (id: string, token = t.world.users.approver.token, body: unknown = { reason: '学籍信息待核实' }) =>
  t.as(token).post(`/api/v1/eligibility/${id}/rejection`, body);
const revoke = (id: string, token = t.world.users.approver.token, body: unknown = { reason: '学生已退学', effectiveOn: '2027-03-01' }) =>
  t.as(token).post(`/api/v1/eligibility/${id}/revocation`, body);

async function counts() {
  return { determinations: await t.db.prisma.eligibilityDetermination.count(), audits: await t.db.prisma.auditEvent.count() };
}

/** A proposed determination for a fresh student who passes every rule. */
async function proposed(options: Partial<EligibleStudentOptions> = {}) {
  const s = await student(options);
  const res = await proposeFor(s.student.id);
  expect(res.status).toBe(201);
  return { ...s, determination: res.json };
}

async function approved() {
  const p = await proposed();
  const res = await approve(p.determination.id);
  expect(res.status).toBe(200);
  return { ...p, determination: res.json };
}

describe('propose → approve, reject, revoke', () => {
  it('proposes with every rule evaluated and stored, then an approver approves on re-evaluated rules', async () => {
    const s = await student();
    const res = await proposeFor(s.student.id);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      academicYear: YEAR,
      status: 'proposed',
      eligible: true,
      cohort: 'continuing',
      failedRules: [],
      decisionRuleResults: null,
      decision: null,
      revocation: null,
      recognitionId: s.recognition!.id,
      enrolment: { id: s.enrolment.id, level: 'undergraduate', institutionName: '青海大学' },
      programme: { id: programme.id, code: programme.code },
      proposedById: t.world.users.caseworker.actor.userId,
    });
    expect(res.json.ruleResults.map((r: { rule: string }) => r.rule)).toEqual([...ELIGIBILITY_RULES]);
    expect(res.json.ruleResults.every((r: { passed: boolean; detail_zh: string; detail_en: string }) => r.passed && r.detail_zh && r.detail_en)).toBe(true);
    const stored = await t.db.prisma.eligibilityDetermination.findUniqueOrThrow({ where: { id: res.json.id } });
    expect(stored).toMatchObject({ status: 'proposed', eligible: true, academicYear: 2026, enrolmentId: s.enrolment.id, recognitionId: s.recognition!.id });
    expect(await t.db.prisma.auditEvent.findFirst({ where: { recordId: res.json.id, action: 'eligibility.propose' } })).toMatchObject({
      actorId: t.world.users.caseworker.actor.userId,
    });

    const ok = await approve(res.json.id);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ status: 'approved', eligible: true, decision: { decidedById: t.world.users.approver.actor.userId, reason: '材料齐全' } });
    expect(ok.json.decisionRuleResults).toHaveLength(ELIGIBILITY_RULES.length);
    const audit = await t.db.prisma.auditEvent.findFirst({ where: { recordId: res.json.id, action: 'eligibility.approve' } });
    expect(audit).toMatchObject({ actorId: t.world.users.approver.actor.userId, before: { status: 'proposed' }, after: { status: 'approved' } });
    const got = await t.as.foundationViewer.get(`/api/v1/eligibility/${res.json.id}`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(ok.json);
  });

  it('approval without a body is accepted (the reason is optional)', async () => {
    const p = await proposed();
    const res = await approve(p.determination.id, t.world.users.approver.token, null);
    expect(res.status).toBe(200);
    expect(res.json.decision.reason).toBeNull();
  });

  it('shows the student masked only, and never the identity number, name or account in clear', async () => {
    const p = await proposed();
    expect(p.determination.student).toEqual({ id: p.student.id, nameMasked: '才***', identityNumberMasked: p.student.identityNumberMasked });
    expect(p.determination.student.identityNumberMasked).toMatch(/^630102\*{8}[0-9X]{4}$/);
    const text = JSON.stringify(p.determination);
    for (const secret of [p.student.plain.identityNumber, p.student.plain.name, p.student.plain.account]) expect(text).not.toContain(secret);
    expect(text).not.toContain(p.student.identityNumberSealed);
    const audits = await t.db.prisma.auditEvent.findMany({ where: { recordId: p.determination.id }, select: { before: true, after: true } });
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits)).not.toContain('才');
  });

  it('rejects with a reason; a new proposal for the same year is then allowed', async () => {
    const p = await proposed();
    const res = await reject(p.determination.id);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'rejected', decision: { decidedById: t.world.users.approver.actor.userId, reason: '学籍信息待核实' } });
    expect(res.json.decisionRuleResults).toHaveLength(ELIGIBILITY_RULES.length);
    expect(await t.db.prisma.auditEvent.count({ where: { recordId: p.determination.id, action: 'eligibility.reject' } })).toBe(1);
    const again = await proposeFor(p.student.id);
    expect(again.status).toBe(201);
    expect(again.json.id).not.toBe(p.determination.id);
  });

  it('revokes an approved eligibility with a reason and effective date, once', async () => {
    const a = await approved();
    const res = await revoke(a.determination.id);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      status: 'revoked',
      decision: { decidedById: t.world.users.approver.actor.userId },
      revocation: { revokedById: t.world.users.approver.actor.userId, effectiveOn: '2027-03-01', reason: '学生已退学' },
    });
    expect(await t.db.prisma.auditEvent.count({ where: { recordId: a.determination.id, action: 'eligibility.revoke' } })).toBe(1);
    const before = await counts();
    const twice = await revoke(a.determination.id);
    expect(twice.status).toBe(409);
    expect(twice.json.code).toBe('already_revoked');
    expect(await counts()).toEqual(before);
  });

  it('revokes only approved ones, effective inside the academic year', async () => {
    const p = await proposed();
    const before = await counts();
    const notApproved = await revoke(p.determination.id);
    expect(notApproved.status).toBe(409);
    expect(notApproved.json).toMatchObject({ code: 'not_approved', currentStatus: 'proposed' });
    const a = await approved();
    const outside = await revoke(a.determination.id, t.world.users.approver.token, { reason: '学生已退学', effectiveOn: '2027-09-01' });
    expect(outside.status).toBe(422);
    expect(outside.json).toMatchObject({ code: 'effective_date_outside_year', field: 'effectiveOn' });
    const after = await counts();
    expect(after.determinations).toBe(before.determinations + 1);
    expect((await t.db.prisma.eligibilityDetermination.findUniqueOrThrow({ where: { id: a.determination.id } })).status).toBe('approved');
    expect((await t.db.prisma.eligibilityDetermination.findUniqueOrThrow({ where: { id: p.determination.id } })).status).toBe('proposed');
  });
});

describe('each rule failing yields a stored ineligible proposal whose approval is refused naming the rule', () => {
  const cases: [string, () => Promise<{ student: { id: string } }>][] = [
    ['age_18_at_year_start', () => student({ birthDate: '2009-03-01' })],
    ['recognised_before_18', () => student({ recognition: { recognisedOn: '2024-06-01' } })],
    ['recognised_before_18', () => student({ recognition: { father: { situation: 'none' }, mother: { situation: 'serving_sentence' } } })],
    ['not_adopted', () => student({ recognition: { adopted: true } })],
    [
      'level_funded',
      async () => {
        const s = await student({ enrolment: { level: 'higher_vocational' } });
        return s;
      },
    ],
    [
      'enrolment_active',
      async () => {
        const s = await student();
        await changeStatus(t.db.prisma, s.enrolment.id, 'withdrawn', '2026-10-01', t.world.users.caseworker.actor.userId);
        return s;
      },
    ],
    [
      'enrolment_active',
      async () => {
        const s = await student({ enrolment: { expectedGraduation: '2027-06-30' } });
        await changeStatus(t.db.prisma, s.enrolment.id, 'graduated', '2026-10-15', t.world.users.caseworker.actor.userId);
        return s;
      },
    ],
    ['enrolment_verified_for_year', () => student({ enrolment: { verifiedOn: ['2025-09-20'] } })],
    ['enrolment_covers_year', () => student({ enrolment: { admissionDate: '2020-09-01', expectedGraduation: '2024-06-30' } })],
  ];

  let undergraduateOnly: ProgrammeView;
  beforeAll(async () => {
    undergraduateOnly = await makeProgramme(t.world, {
      bands: ['2024-2025', '2025-2026', '2026-2027'].map((academicYear) => ({
        academicYear,
        level: 'undergraduate' as const,
        minAmount: '3000.00',
        maxAmount: '5000.00',
      })),
    });
  });

  it.each(cases)('%s', async (rule, build) => {
    const s = await build();
    const target = rule === 'level_funded' ? undergraduateOnly.id : programme.id;
    const res = await proposeFor(s.student.id, YEAR, target);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ status: 'proposed', eligible: false, failedRules: [rule] });
    const failing = res.json.ruleResults.find((r: { rule: string }) => r.rule === rule);
    expect(failing.passed).toBe(false);

    const before = await counts();
    const refused = await approve(res.json.id);
    expect(refused.status).toBe(422);
    expect(refused.headers.get('Content-Type')).toContain('application/problem+json');
    expect(refused.json.code).toBe('rule_failed');
    expect(refused.json.failedRules).toEqual([rule]);
    expect(refused.json.detail).toContain(rule);
    expect(await counts()).toEqual(before);
    const stored = await t.db.prisma.eligibilityDetermination.findUniqueOrThrow({ where: { id: res.json.id } });
    expect(stored).toMatchObject({ status: 'proposed', decidedById: null, decisionRuleResults: null });
    // The approver can still reject it, which closes it.
    expect((await reject(res.json.id)).json.status).toBe('rejected');
  });

  it('no recognition on record fails both recognition rules', async () => {
    const s = await student({ recognition: null });
    const res = await proposeFor(s.student.id);
    expect(res.json).toMatchObject({ eligible: false, failedRules: ['recognised_before_18', 'not_adopted'], recognitionId: null });
    const refused = await approve(res.json.id);
    expect(refused.json).toMatchObject({ code: 'rule_failed', failedRules: ['recognised_before_18', 'not_adopted'] });
  });
});

describe('facts at decision time', () => {
  it('a rule that fails at decision time refuses the approval, though it passed at proposal', async () => {
    const p = await proposed();
    await changeStatus(t.db.prisma, p.enrolment.id, 'withdrawn', '2026-11-01', t.world.users.caseworker.actor.userId);
    const before = await counts();
    const res = await approve(p.determination.id);
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ code: 'rule_failed', failedRules: ['enrolment_active'], failedAtProposal: [], failedAtDecision: ['enrolment_active'] });
    expect(await counts()).toEqual(before);
  });

  it('an adoption recorded after the proposal refuses the approval', async () => {
    const p = await proposed();
    await makeRecognition(t.db.prisma, p.student.id, {
      recordedById: t.world.users.caseworker.actor.userId,
      adopted: true,
      createdAt: new Date(Date.now() + 1000),
    });
    const res = await approve(p.determination.id);
    expect(res.status).toBe(422);
    expect(res.json.failedRules).toEqual(['not_adopted']);
  });

  it('an ineligible proposal stays unapprovable after the facts are fixed: reject and propose again', async () => {
    const s = await student({ enrolment: { verifiedOn: [] } });
    const first = await proposeFor(s.student.id);
    expect(first.json.failedRules).toEqual(['enrolment_verified_for_year']);
    await addVerification(t.db.prisma, s.enrolment.id, '2026-09-15', t.world.users.caseworker.actor.userId);
    const refused = await approve(first.json.id);
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ code: 'rule_failed', failedAtProposal: ['enrolment_verified_for_year'], failedAtDecision: [] });
    expect((await reject(first.json.id)).status).toBe(200);
    const second = await proposeFor(s.student.id);
    expect(second.json.eligible).toBe(true);
    expect((await approve(second.json.id)).status).toBe(200);
  });

  it('a recognition superseded after the proposal refuses the approval (facts_changed)', async () => {
    const p = await proposed();
    await makeRecognition(t.db.prisma, p.student.id, {
      recordedById: t.world.users.caseworker.actor.userId,
      recognisedOn: '2019-01-10',
      createdAt: new Date(Date.now() + 1000),
    });
    const res = await approve(p.determination.id);
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('facts_changed');
    expect(res.json.proposed.recognitionId).toBe(p.recognition!.id);
  });
});

describe('cohorts and academic years', () => {
  it('new in the year of admission, continuing afterwards', async () => {
    const freshman = await student({ enrolment: { admissionDate: '2026-09-01', expectedGraduation: '2030-06-30', verifiedOn: ['2026-09-20'] } });
    const senior = await student({ enrolment: { admissionDate: '2024-09-01', expectedGraduation: '2028-06-30' } });
    const a = await proposeFor(freshman.student.id);
    const b = await proposeFor(senior.student.id);
    expect([a.json.cohort, a.json.eligible]).toEqual(['new', true]);
    expect([b.json.cohort, b.json.eligible]).toEqual(['continuing', true]);
    const list = await t.as.approver.get(`/api/v1/eligibility?cohort=new&studentId=${freshman.student.id}`);
    expect(list.json.items.map((i: { id: string }) => i.id)).toEqual([a.json.id]);
    const none = await t.as.approver.get(`/api/v1/eligibility?cohort=continuing&studentId=${freshman.student.id}`);
    expect(none.json.items).toEqual([]);
  });

  it('eligibility never carries over: an approved 2025-2026 does not make 2026-2027 eligible without a verification in 2026-2027', async () => {
    const s = await student({ enrolment: { verifiedOn: ['2025-09-20'] } });
    const last = await proposeFor(s.student.id, '2025-2026');
    expect(last.json).toMatchObject({ eligible: true, cohort: 'new' });
    expect((await approve(last.json.id)).status).toBe(200);
    const next = await proposeFor(s.student.id, '2026-2027');
    expect(next.status).toBe(201);
    expect(next.json).toMatchObject({ eligible: false, cohort: 'continuing', failedRules: ['enrolment_verified_for_year'] });
    expect((await approve(next.json.id)).json.code).toBe('rule_failed');
    const years = await t.as.auditor.get(`/api/v1/eligibility?studentId=${s.student.id}&status=approved`);
    expect(years.json.items.map((i: { academicYear: string }) => i.academicYear)).toEqual(['2025-2026']);
  });
});

describe('maker-checker and decisions', () => {
  it('a proposer later made approver cannot decide their own proposal; nothing is written', async () => {
    const maker = await makeUser(t.db.prisma, t.world.department, 'caseworker');
    const s = await student();
    const res = await proposeFor(s.student.id, YEAR, programme.id, maker.token);
    expect(res.status).toBe(201);
    await t.db.prisma.appUser.update({ where: { id: maker.actor.userId }, data: { role: 'approver' } });
    const before = await counts();
    const own = await approve(res.json.id, maker.token);
    expect(own.status).toBe(422);
    expect(own.json.code).toBe('maker_checker');
    const ownReject = await reject(res.json.id, maker.token);
    expect(ownReject.json.code).toBe('maker_checker');
    expect(await counts()).toEqual(before);
    expect((await t.db.prisma.eligibilityDetermination.findUniqueOrThrow({ where: { id: res.json.id } })).status).toBe('proposed');
    expect((await approve(res.json.id)).status).toBe(200);
  });

  it('the database refuses decider = proposer even when the service is bypassed', async () => {
    const p = await proposed();
    await expect(
      t.db.prisma
        .$executeRaw`UPDATE eligibility_determination SET status = 'approved', decided_by_id = proposed_by_id, decided_at = now(), decision_rule_results = rule_results WHERE id = ${p.determination.id}::uuid`,
    ).rejects.toThrow(/eligibility_maker_is_not_checker/);
    expect((await t.db.prisma.eligibilityDetermination.findUniqueOrThrow({ where: { id: p.determination.id } })).status).toBe('proposed');
  });

  it('the database refuses approving an ineligible determination even when the service is bypassed', async () => {
    const s = await student({ birthDate: '2009-03-01' });
    const res = await proposeFor(s.student.id);
    await expect(
      t.db.prisma
        .$executeRaw`UPDATE eligibility_determination SET status = 'approved', decided_by_id = ${t.world.users.approver.actor.userId}::uuid, decided_at = now() WHERE id = ${res.json.id}::uuid`,
    ).rejects.toThrow(/eligibility_approved_only_if_eligible/);
  });

  it('approving twice, or deciding what is decided, answers 409 already_decided and writes nothing', async () => {
    const a = await approved();
    const before = await counts();
    const second = await approve(a.determination.id);
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ code: 'already_decided', status: 409, currentStatus: 'approved' });
    const rejectApproved = await reject(a.determination.id);
    expect(rejectApproved.json.code).toBe('already_decided');
    const p = await proposed();
    await reject(p.determination.id);
    const approveRejected = await approve(p.determination.id);
    expect(approveRejected.json.code).toBe('already_decided');
    const after = await counts();
    expect(after.determinations).toBe(before.determinations + 1);
  });
});

describe('one open determination per student, programme and year', () => {
  it('a second proposal while one is proposed or approved answers 409 duplicate_eligibility; other years and programmes are separate', async () => {
    const p = await proposed();
    const before = await counts();
    const dup = await proposeFor(p.student.id);
    expect(dup.status).toBe(409);
    expect(dup.json).toMatchObject({ code: 'duplicate_eligibility', existingId: p.determination.id });
    expect(await counts()).toEqual(before);
    await approve(p.determination.id);
    expect((await proposeFor(p.student.id)).json.code).toBe('duplicate_eligibility');
    expect((await proposeFor(p.student.id, '2025-2026')).status).toBe(201);
    const second = await makeProgramme(t.world);
    expect((await proposeFor(p.student.id, YEAR, second.id)).status).toBe(201);
  });

  it('after a revocation a new proposal for the year may be made', async () => {
    const a = await approved();
    await revoke(a.determination.id);
    expect((await proposeFor(a.student.id)).status).toBe(201);
  });
});

describe('bad input names the field and writes nothing', () => {
  it.each([
    ['an academic year with a slash', { academicYear: '2026/2027' }, 'academicYear'],
    ['an academic year that is not consecutive', { academicYear: '2026-2028' }, 'academicYear'],
    ['a short academic year', { academicYear: '26-27' }, 'academicYear'],
    ['a student id that is not a uuid', { studentId: 'abc' }, 'studentId'],
    ['a programme id that is not a uuid', { programmeId: 42 }, 'programmeId'],
    ['an unknown field', { colour: 'red' }, 'colour'],
    ['a missing academic year', { academicYear: undefined }, 'academicYear'],
  ])('%s → 400', async (_name, overrides, field) => {
    const s = await student();
    const before = await counts();
    const res = await propose({ studentId: s.student.id, programmeId: programme.id, academicYear: YEAR, ...overrides });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('an unknown student or programme → 404 naming the field', async () => {
    const s = await student();
    const before = await counts();
    const noStudent = await proposeFor(crypto.randomUUID());
    expect(noStudent.status).toBe(404);
    expect(noStudent.json.errors).toEqual([{ path: 'studentId', message: 'no such student' }]);
    const noProgramme = await proposeFor(s.student.id, YEAR, crypto.randomUUID());
    expect(noProgramme.status).toBe(404);
    expect(noProgramme.json.errors).toEqual([{ path: 'programmeId', message: 'no such programme' }]);
    expect(await counts()).toEqual(before);
  });

  it('a year outside the programme (422), and a student without any enrolment (422)', async () => {
    const s = await student();
    const bare = await makeStudent(t.db.prisma, { departmentId: t.world.department.id, createdById: t.world.users.caseworker.actor.userId });
    await makeRecognition(t.db.prisma, bare.id, { recordedById: t.world.users.caseworker.actor.userId });
    const before = await counts();
    const outside = await proposeFor(s.student.id, '2023-2024');
    expect(outside.status).toBe(422);
    expect(outside.json).toMatchObject({ code: 'academic_year_outside_programme', field: 'academicYear' });
    const noEnrolment = await proposeFor(bare.id);
    expect(noEnrolment.status).toBe(422);
    expect(noEnrolment.json).toMatchObject({ code: 'no_enrolment', field: 'studentId' });
    expect(await counts()).toEqual(before);
  });

  it('decisions: missing or empty reason, bad dates, unknown fields, bad and unknown ids', async () => {
    const a = await approved();
    const p = await proposed();
    const before = await counts();
    const expectations: [Promise<Awaited<ReturnType<typeof call>>>, number, string | null][] = [
      [reject(p.determination.id, undefined, {}), 400, 'reason'],
      [reject(p.determination.id, undefined, { reason: '  ' }), 400, 'reason'],
      [revoke(a.determination.id, undefined, { effectiveOn: '2027-03-01' }), 400, 'reason'],
      [revoke(a.determination.id, undefined, { reason: '学生已退学' }), 400, 'effectiveOn'],
      [revoke(a.determination.id, undefined, { reason: '学生已退学', effectiveOn: '2027-02-30' }), 400, 'effectiveOn'],
      [approve(p.determination.id, undefined, { override: true }), 400, 'override'],
      [approve('nope'), 400, 'id'],
      [reject('nope'), 400, 'id'],
      [revoke('nope'), 400, 'id'],
      [approve(crypto.randomUUID()), 404, null],
      [reject(crypto.randomUUID()), 404, null],
      [revoke(crypto.randomUUID()), 404, null],
    ];
    for (const [pending, status, field] of expectations) {
      const res = await pending;
      expect(res.status).toBe(status);
      expect(res.headers.get('Content-Type')).toContain('application/problem+json');
      if (field) expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    expect(await counts()).toEqual(before);
  });

  it('list and get: bad filters, bad cursor, bad and unknown ids', async () => {
    const token = t.world.users.auditor.token;
    for (const [query, field] of [
      ['academicYear=2026', 'academicYear'],
      ['status=pending', 'status'],
      ['cohort=old', 'cohort'],
      ['programmeId=x', 'programmeId'],
      ['limit=0', 'limit'],
      ['cursor=nonsense', 'cursor'],
    ] as const) {
      const res = await t.as(token).get(`/api/v1/eligibility?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    expect((await t.as(token).get('/api/v1/eligibility/nope')).status).toBe(400);
    expect((await t.as(token).get(`/api/v1/eligibility/${crypto.randomUUID()}`)).status).toBe(404);
  });
});

describe('roles and scope on every endpoint', () => {
  it('requires a token everywhere', async () => {
    const id = crypto.randomUUID();
    for (const [method, path] of [
      ['POST', '/api/v1/eligibility'],
      ['GET', '/api/v1/eligibility'],
      ['GET', `/api/v1/eligibility/${id}`],
      ['POST', `/api/v1/eligibility/${id}/approval`],
      ['POST', `/api/v1/eligibility/${id}/rejection`],
      ['POST', `/api/v1/eligibility/${id}/revocation`],
    ] as const) {
      const res = await call(t.app, method, path, { body: method === 'POST' ? {} : undefined });
      expect({ path, method, status: res.status }).toEqual({ path, method, status: 401 });
    }
  });

  it('POST /eligibility: only a caseworker of the administering department; others 403, or 404 outside their scope', async () => {
    const s = await student();
    const before = await counts();
    const expectations: [string, string, number][] = [
      ['approver', t.world.users.approver.token, 403],
      ['finance', t.world.users.finance.token, 403],
      ['foundation viewer of the funder', t.world.users.foundationViewer.token, 403],
      ['auditor', t.world.users.auditor.token, 403],
      ['admin', t.world.users.admin.token, 403],
      ['caseworker of another department', other.caseworker.token, 404],
      ['viewer of another foundation', other.viewer.token, 404],
    ];
    for (const [who, token, status] of expectations) {
      const res = await proposeFor(s.student.id, YEAR, programme.id, token);
      expect({ who, status: res.status }).toEqual({ who, status });
    }
    // A caseworker cannot reach another department's student through its own programme, nor the reverse.
    const foreign = await makeEligibleStudent(t.db.prisma, { departmentId: other.departmentId, caseworkerId: other.caseworker.actor.userId });
    const cross = await proposeFor(foreign.student.id);
    expect(cross.status).toBe(404);
    expect(cross.json.errors[0].path).toBe('studentId');
    const reverse = await proposeFor(s.student.id, YEAR, other.programme.id);
    expect(reverse.status).toBe(404);
    expect(reverse.json.errors[0].path).toBe('programmeId');
    expect(await counts()).toEqual(before);
  });

  it('approval, rejection, revocation: only an approver of the department; others 403, or 404 outside their scope', async () => {
    const p = await proposed();
    const a = await approved();
    const before = await counts();
    const expectations: [string, string, number][] = [
      ['caseworker', t.world.users.caseworker.token, 403],
      ['finance', t.world.users.finance.token, 403],
      ['foundation viewer of the funder', t.world.users.foundationViewer.token, 403],
      ['auditor', t.world.users.auditor.token, 403],
      ['admin', t.world.users.admin.token, 403],
      ['approver of another department', other.approver.token, 404],
      ['caseworker of another department', other.caseworker.token, 404],
      ['viewer of another foundation', other.viewer.token, 404],
    ];
    for (const [who, token, status] of expectations) {
      const results = {
        approval: (await approve(p.determination.id, token)).status,
        rejection: (await reject(p.determination.id, token)).status,
        revocation: (await revoke(a.determination.id, token)).status,
      };
      expect({ who, ...results }).toEqual({ who, approval: status, rejection: status, revocation: status });
    }
    expect(await counts()).toEqual(before);
  });

  it('GET /eligibility/{id}: every role in scope reads it; other departments and foundations get 404', async () => {
    const p = await proposed();
    for (const [who, user] of Object.entries(t.world.users)) {
      const res = await t.as(user).get(`/api/v1/eligibility/${p.determination.id}`);
      expect({ who, status: res.status }).toEqual({ who, status: 200 });
    }
    for (const [who, user] of Object.entries(other)) {
      if (typeof user !== 'object' || !('token' in user)) continue;
      const res = await t.as(user).get(`/api/v1/eligibility/${p.determination.id}`);
      expect({ who, status: res.status }).toEqual({ who, status: 404 });
    }
  });

  it('GET /eligibility lists only what the caller may see', async () => {
    const mine = await proposed();
    const foreign = await makeEligibleStudent(t.db.prisma, { departmentId: other.departmentId, caseworkerId: other.caseworker.actor.userId });
    const theirs = await proposeFor(foreign.student.id, YEAR, other.programme.id, other.caseworker.token);
    expect(theirs.status).toBe(201);
    const idsFor = async (token: string) => {
      const res = await t.as(token).get('/api/v1/eligibility?limit=200');
      expect(res.status).toBe(200);
      return res.json.items.map((i: { id: string }) => i.id) as string[];
    };
    for (const token of [t.world.users.caseworker.token, t.world.users.approver.token, t.world.users.finance.token, t.world.users.foundationViewer.token]) {
      const ids = await idsFor(token);
      expect(ids).toContain(mine.determination.id);
      expect(ids).not.toContain(theirs.json.id);
    }
    for (const token of [other.caseworker.token, other.viewer.token]) {
      const ids = await idsFor(token);
      expect(ids).toContain(theirs.json.id);
      expect(ids).not.toContain(mine.determination.id);
    }
    for (const token of [t.world.users.auditor.token, t.world.users.admin.token]) {
      const ids = await idsFor(token);
      expect(ids).toEqual(expect.arrayContaining([mine.determination.id, theirs.json.id]));
    }
    const filtered = await t.as.approver.get(`/api/v1/eligibility?programmeId=${other.programme.id}`);
    expect(filtered.json.items).toEqual([]);
  });
});

describe('GET /eligibility', () => {
  it('pages newest first with a cursor and filters by programme, year, status and student', async () => {
    const own = await makeProgramme(t.world);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await student();
      const res = await proposeFor(s.student.id, YEAR, own.id);
      ids.push(res.json.id);
    }
    await approve(ids[0] as string);
    const token = t.world.users.foundationViewer.token;
    const page1 = await t.as(token).get(`/api/v1/eligibility?programmeId=${own.id}&limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.json.items.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
    const page2 = await t.as(token).get(`/api/v1/eligibility?programmeId=${own.id}&limit=2&cursor=${page1.json.nextCursor}`);
    expect(page2.json.items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    expect(page2.json.nextCursor).toBeNull();
    const approvedOnly = await t.as(token).get(`/api/v1/eligibility?programmeId=${own.id}&status=approved&academicYear=${YEAR}`);
    expect(approvedOnly.json.items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    const otherYear = await t.as(token).get(`/api/v1/eligibility?programmeId=${own.id}&academicYear=2025-2026`);
    expect(otherYear.json.items).toEqual([]);
  });

  it('is described in /openapi.json with examples', async () => {
    const doc = await t.anonymous.get('/openapi.json');
    for (const path of [
      '/api/v1/eligibility',
      '/api/v1/eligibility/{id}',
      '/api/v1/eligibility/{id}/approval',
      '/api/v1/eligibility/{id}/rejection',
      '/api/v1/eligibility/{id}/revocation',
    ]) {
      expect(doc.json.paths[path]).toBeDefined();
    }
    expect(doc.json.paths['/api/v1/eligibility'].post.responses['409']).toBeDefined();
    expect(doc.json.components.schemas.ProposeEligibility.example).toMatchObject({ academicYear: '2026-2027' });
    expect(doc.json.components.schemas.EligibilityDetermination.example.ruleResults).toHaveLength(ELIGIBILITY_RULES.length);
  });
});
