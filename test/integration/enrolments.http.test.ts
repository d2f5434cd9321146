import { beforeAll, describe, expect, it } from 'vitest';
import { type TestUser, makeOrganisation, makeProgramme, makeUser } from '../support/fixtures.ts';
import { type MadeStudent, enrolmentInput, linkToProgramme, makeEnrolment, makeStudent } from '../support/students.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let otherCaseworker: TestUser;
let otherViewer: TestUser;
const madeStudents: MadeStudent[] = [];

beforeAll(async () => {
  otherCaseworker = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs'), 'caseworker');
  otherViewer = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'foundation'), 'foundation_viewer');
});

async function student() {
  const m = await makeStudent(t.world);
  madeStudents.push(m);
  return m.student;
}

/** A student with an undergraduate enrolment admitted 2024-09-01. */
async function enrolled() {
  const s = await student();
  return { student: s, enrolment: await makeEnrolment(t.world, s.id) };
}

const enrolmentsPath = (studentId: string) => `/api/v1/students/${studentId}/enrolments`;
const statusPath = (studentId: string, enrolmentId: string) => `${enrolmentsPath(studentId)}/${enrolmentId}/status`;
const verifyPath = (studentId: string, enrolmentId: string) => `${enrolmentsPath(studentId)}/${enrolmentId}/verifications`;

function body(overrides: Record<string, unknown> = {}) {
  const { studentId: _s, ...rest } = enrolmentInput('');
  return { ...rest, ...overrides };
}

async function counts() {
  return {
    enrolments: await t.db.prisma.enrolment.count(),
    events: await t.db.prisma.enrolmentStatusEvent.count(),
    verifications: await t.db.prisma.enrolmentVerification.count(),
    audits: await t.db.prisma.auditEvent.count(),
  };
}

const paths = (errors: { path: string }[]) => errors.map((e) => e.path);
const change = (s: string, e: string, b: Record<string, unknown>, token = t.world.users.caseworker.token) => t.as(token).post(statusPath(s, e), b);

/** The caller answers 403 for every role but the caseworker, and 404 outside the department. */
async function expectCaseworkerOnly(studentId: string, send: (token: string) => Promise<{ status: number }>) {
  const programme = await makeProgramme(t.world);
  await linkToProgramme(t.world, studentId, programme.id);
  const before = await counts();
  for (const [who, user] of Object.entries(t.world.users)) {
    if (who === 'caseworker') continue;
    const res = await send(user.token);
    expect({ who, status: res.status }).toEqual({ who, status: 403 });
  }
  expect((await send(otherCaseworker.token)).status).toBe(404);
  expect((await send(otherViewer.token)).status).toBe(404);
  expect(await counts()).toEqual(before);
}

describe('POST /students/{id}/enrolments', () => {
  it('records the enrolment as enrolled on the admission date, with that first event, audited', async () => {
    const s = await student();
    const res = await t.as.caseworker.post(enrolmentsPath(s.id), body({ level: 'higher_vocational', institutionName: ' 青海交通职业技术学院 ' }));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      studentId: s.id,
      institution: { name: '青海交通职业技术学院', code: '4163010743' },
      level: 'higher_vocational',
      admissionDate: '2024-09-01',
      expectedGraduation: '2028-06-30',
      status: 'enrolled',
      statusEffectiveOn: '2024-09-01',
      verifications: [],
      createdById: t.world.users.caseworker.actor.userId,
    });
    expect(res.json.history).toEqual([
      expect.objectContaining({ status: 'enrolled', effectiveOn: '2024-09-01', recordedById: t.world.users.caseworker.actor.userId }),
    ]);
    expect(await t.db.prisma.auditEvent.count({ where: { recordId: res.json.id, action: 'enrolment.record' } })).toBe(1);
  });

  it('accepts an admission date in the future (newly admitted students)', async () => {
    const s = await student();
    const res = await t.as.caseworker.post(enrolmentsPath(s.id), body({ admissionDate: '2099-09-01', expectedGraduation: '2103-06-30' }));
    expect(res.status).toBe(201);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['graduation before admission', { expectedGraduation: '2024-06-30' }, 'expectedGraduation'],
    ['graduation on the admission date', { expectedGraduation: '2024-09-01' }, 'expectedGraduation'],
    ['an unknown level', { level: 'kindergarten' }, 'level'],
    ['a date that does not exist', { admissionDate: '2024-09-31' }, 'admissionDate'],
    ['an empty institution name', { institutionName: '  ' }, 'institutionName'],
    ['an institution code with spaces', { institutionCode: '41 63' }, 'institutionCode'],
    ['a status given at creation', { status: 'graduated' }, 'status'],
  ];
  it.each(invalid)('%s: 400 naming the field, nothing written', async (_name, overrides, field) => {
    const s = await student();
    const before = await counts();
    const res = await t.as.caseworker.post(enrolmentsPath(s.id), body(overrides));
    expect(res.status).toBe(400);
    expect(res.headers.get('Content-Type')).toContain('application/problem+json');
    expect(paths(res.json.errors)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('the same institution and admission date twice: 409 with the existing id', async () => {
    const { student: s, enrolment } = await enrolled();
    const before = await counts();
    const res = await t.as.caseworker.post(enrolmentsPath(s.id), body({ level: 'junior_college' }));
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ code: 'duplicate_enrolment', existingId: enrolment.id });
    expect(await counts()).toEqual(before);
  });

  it('roles and scope', async () => {
    const s = await student();
    await expectCaseworkerOnly(s.id, (token) => t.as(token).post(enrolmentsPath(s.id), body()));
    expect((await t.as.caseworker.post(enrolmentsPath(crypto.randomUUID()), body())).status).toBe(404);
  });
});

describe('POST …/enrolments/{id}/status', () => {
  it('suspends, resumes and graduates, keeping the history in order; graduation is final', async () => {
    const { student: s, enrolment: e } = await enrolled();
    const suspended = await change(s.id, e.id, { status: 'suspended', effectiveOn: '2025-03-01', reason: '因病休学 medical' });
    expect(suspended.status).toBe(200);
    expect(suspended.json).toMatchObject({ status: 'suspended', statusEffectiveOn: '2025-03-01' });
    await change(s.id, e.id, { status: 'enrolled', effectiveOn: '2025-09-01', reason: '复学 resumed' });
    const graduated = await change(s.id, e.id, { status: 'graduated', effectiveOn: '2025-09-01', reason: '提前毕业 graduated early' });
    expect(graduated.status).toBe(200);
    expect(graduated.json.history.map((h: { status: string; effectiveOn: string }) => `${h.status}@${h.effectiveOn}`)).toEqual([
      'enrolled@2024-09-01',
      'suspended@2025-03-01',
      'enrolled@2025-09-01',
      'graduated@2025-09-01',
    ]);
    const audit = await t.db.prisma.auditEvent.findMany({ where: { recordId: e.id, action: 'enrolment.change_status' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.before, a.after])[0]).toEqual([
      { status: 'enrolled', statusEffectiveOn: '2024-09-01' },
      { status: 'suspended', statusEffectiveOn: '2025-03-01', reason: '因病休学 medical' },
    ]);

    const before = await counts();
    for (const status of ['enrolled', 'suspended', 'withdrawn', 'graduated']) {
      const res = await change(s.id, e.id, { status, effectiveOn: '2025-10-01', reason: '再次变更 again' });
      expect({ status, code: res.json.code, http: res.status }).toEqual({ status, code: 'enrolment_ended', http: 422 });
      expect(res.json.field).toBe('status');
    }
    expect(await counts()).toEqual(before);
  });

  it('withdrawal from suspension is final too', async () => {
    const { student: s, enrolment: e } = await enrolled();
    await change(s.id, e.id, { status: 'suspended', effectiveOn: '2025-03-01', reason: '休学 suspended' });
    const withdrawn = await change(s.id, e.id, { status: 'withdrawn', effectiveOn: '2025-06-01', reason: '退学 withdrew' });
    expect(withdrawn.json.status).toBe('withdrawn');
    const again = await change(s.id, e.id, { status: 'enrolled', effectiveOn: '2025-09-01', reason: '复学 back' });
    expect(again.json.code).toBe('enrolment_ended');
  });

  it('refuses a change to the same status, a date before the current status or after today, naming the rule; nothing written', async () => {
    const { student: s, enrolment: e } = await enrolled();
    await change(s.id, e.id, { status: 'suspended', effectiveOn: '2025-03-01', reason: '休学 suspended' });
    const before = await counts();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ status: 'suspended', effectiveOn: '2025-04-01', reason: '再休学 again' }, 'invalid_status_transition', 'status'],
      [{ status: 'enrolled', effectiveOn: '2025-02-28', reason: '复学 back' }, 'effective_date_before_previous', 'effectiveOn'],
      [{ status: 'enrolled', effectiveOn: '2099-09-01', reason: '复学 back' }, 'date_in_future', 'effectiveOn'],
    ];
    for (const [b, code, field] of cases) {
      const res = await change(s.id, e.id, b);
      expect({ code, status: res.status }).toEqual({ code, status: 422 });
      expect(res.json).toMatchObject({ code, field });
    }
    expect(await counts()).toEqual(before);
  });

  it('bad input names the field', async () => {
    const { student: s, enrolment: e } = await enrolled();
    const before = await counts();
    const cases: [Record<string, unknown>, string][] = [
      [{ status: 'expelled', effectiveOn: '2025-03-01', reason: '开除 expelled' }, 'status'],
      [{ status: 'suspended', effectiveOn: '2025-02-30', reason: '休学 suspended' }, 'effectiveOn'],
      [{ status: 'suspended', effectiveOn: '2025-03-01' }, 'reason'],
      [{ status: 'suspended', effectiveOn: '2025-03-01', reason: ' ' }, 'reason'],
      [{ status: 'suspended', effectiveOn: '2025-03-01', reason: '休学', by: 'me' }, 'by'],
    ];
    for (const [b, field] of cases) {
      const res = await change(s.id, e.id, b);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(paths(res.json.errors)).toContain(field);
    }
    expect(await counts()).toEqual(before);
  });

  it('roles and scope; another student’s enrolment answers 404', async () => {
    const { student: s, enrolment: e } = await enrolled();
    const b = { status: 'suspended', effectiveOn: '2025-03-01', reason: '休学 suspended' };
    await expectCaseworkerOnly(s.id, (token) => change(s.id, e.id, b, token));
    const other = await student();
    expect((await change(other.id, e.id, b)).status).toBe(404);
    expect((await change(s.id, crypto.randomUUID(), b)).status).toBe(404);
  });
});

describe('POST …/enrolments/{id}/verifications', () => {
  const verify = (s: string, e: string, b: Record<string, unknown>, token = t.world.users.caseworker.token) => t.as(token).post(verifyPath(s, e), b);

  it('records who verified, when and from which source, audited', async () => {
    const { student: s, enrolment: e } = await enrolled();
    const res = await verify(s.id, e.id, { verifiedOn: '2025-09-15', source: '学信网 CHSI', reference: 'CHSI-2025-ABCD1234' });
    expect(res.status).toBe(201);
    expect(res.json.verifications).toEqual([
      expect.objectContaining({
        verifiedOn: '2025-09-15',
        source: '学信网 CHSI',
        reference: 'CHSI-2025-ABCD1234',
        verifiedById: t.world.users.caseworker.actor.userId,
      }),
    ]);
    const second = await verify(s.id, e.id, { verifiedOn: '2024-09-20', source: '学校学籍科 registry office' });
    expect(second.json.verifications.map((v: { verifiedOn: string; reference: string | null }) => [v.verifiedOn, v.reference])).toEqual([
      ['2024-09-20', null],
      ['2025-09-15', 'CHSI-2025-ABCD1234'],
    ]);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'enrolment.verify', after: { path: ['enrolmentId'], equals: e.id } } })).toBe(2);
  });

  it('refuses a verification in the future (422), twice the same (409) and bad input (400); nothing written', async () => {
    const { student: s, enrolment: e } = await enrolled();
    await verify(s.id, e.id, { verifiedOn: '2025-09-15', source: '学信网 CHSI', reference: 'R1' });
    const before = await counts();
    const future = await verify(s.id, e.id, { verifiedOn: '2099-01-01', source: '学信网 CHSI' });
    expect(future.status).toBe(422);
    expect(future.json).toMatchObject({ code: 'date_in_future', field: 'verifiedOn' });
    const twice = await verify(s.id, e.id, { verifiedOn: '2025-09-15', source: '学信网 CHSI', reference: 'R1' });
    expect(twice.status).toBe(409);
    expect(twice.json.code).toBe('duplicate_verification');
    for (const [b, field] of [
      [{ verifiedOn: '2025-09-15' }, 'source'],
      [{ verifiedOn: '2025-09-15', source: ' ' }, 'source'],
      [{ verifiedOn: '15/09/2025', source: '学信网' }, 'verifiedOn'],
      [{ verifiedOn: '2025-09-15', source: '学信网', verifier: 'x' }, 'verifier'],
    ] as const) {
      const res = await verify(s.id, e.id, b);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(paths(res.json.errors)).toContain(field);
    }
    expect(await counts()).toEqual(before);
  });

  it('roles and scope', async () => {
    const { student: s, enrolment: e } = await enrolled();
    await expectCaseworkerOnly(s.id, (token) => verify(s.id, e.id, { verifiedOn: '2025-09-15', source: '学信网 CHSI' }, token));
    const other = await student();
    expect((await verify(other.id, e.id, { verifiedOn: '2025-09-15', source: '学信网 CHSI' })).status).toBe(404);
  });
});

describe('GET …/enrolments and …/enrolments/{id}', () => {
  it('lists latest admission first with a cursor, each with its history and verifications', async () => {
    const { student: s, enrolment: first } = await enrolled();
    await change(s.id, first.id, { status: 'withdrawn', effectiveOn: '2025-01-10', reason: '退学 withdrew' });
    const second = await makeEnrolment(t.world, s.id, {
      institutionName: '青海师范大学',
      institutionCode: '4163010746',
      admissionDate: '2025-09-01',
      expectedGraduation: '2029-06-30',
    });
    await t.as.caseworker.post(verifyPath(s.id, second.id), { verifiedOn: '2025-09-20', source: '学信网 CHSI' });
    const page1 = await t.as.auditor.get(`${enrolmentsPath(s.id)}?limit=1`);
    expect(page1.status).toBe(200);
    expect(page1.json.items.map((e: { id: string }) => e.id)).toEqual([second.id]);
    expect(page1.json.items[0].verifications).toHaveLength(1);
    const page2 = await t.as.auditor.get(`${enrolmentsPath(s.id)}?limit=1&cursor=${page1.json.nextCursor}`);
    expect(page2.json.items[0]).toMatchObject({ id: first.id, status: 'withdrawn' });
    expect(page2.json.items[0].history).toHaveLength(2);
    expect(page2.json.nextCursor).toBeNull();
    const one = await t.as.finance.get(`${enrolmentsPath(s.id)}/${first.id}`);
    expect(one.json).toEqual(page2.json.items[0]);
  });

  it('every role in scope reads; other departments, other foundations and other students answer 404', async () => {
    const { student: s, enrolment: e } = await enrolled();
    const programme = await makeProgramme(t.world);
    // Before the student has eligibility in its programme, the funder's viewer does not see them.
    expect((await t.as.foundationViewer.get(enrolmentsPath(s.id))).status).toBe(404);
    await linkToProgramme(t.world, s.id, programme.id);
    for (const [who, user] of Object.entries(t.world.users)) {
      const list = await t.as(user).get(enrolmentsPath(s.id));
      const one = await t.as(user).get(`${enrolmentsPath(s.id)}/${e.id}`);
      expect({ who, list: list.status, one: one.status }).toEqual({ who, list: 200, one: 200 });
    }
    for (const token of [otherCaseworker.token, otherViewer.token]) {
      expect((await t.as(token).get(enrolmentsPath(s.id))).status).toBe(404);
      expect((await t.as(token).get(`${enrolmentsPath(s.id)}/${e.id}`)).status).toBe(404);
    }
    const other = await student();
    expect((await t.as.caseworker.get(`${enrolmentsPath(other.id)}/${e.id}`)).status).toBe(404);
    const bad = await t.as.caseworker.get(`${enrolmentsPath(s.id)}/not-a-uuid`);
    expect(bad.status).toBe(400);
    expect(paths(bad.json.errors)).toContain('enrolmentId');
  });
});

describe('personal data', () => {
  it('the OpenAPI document lists the enrolment and recognition endpoints', async () => {
    const doc = (await t.anonymous.get('/openapi.json')).json;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/students/{studentId}/recognitions',
        '/api/v1/students/{studentId}/enrolments',
        '/api/v1/students/{studentId}/enrolments/{enrolmentId}',
        '/api/v1/students/{studentId}/enrolments/{enrolmentId}/status',
        '/api/v1/students/{studentId}/enrolments/{enrolmentId}/verifications',
      ]),
    );
  });

  it('no log line carries an identity number, account number or name of the students in this file', () => {
    const joined = t.logs.lines.join('\n');
    expect(madeStudents.length).toBeGreaterThan(10);
    for (const { plain } of madeStudents) {
      expect(joined).not.toContain(plain.identityNumber);
      expect(joined).not.toContain(plain.accountNumber);
    }
    expect(joined).not.toContain('韩梅梅');
  });
});
