import { beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../src/domain/dates.ts';
import { type TestUser, makeOrganisation, makeProgramme, makeUser } from '../support/fixtures.ts';
import { type MadeStudent, linkToProgramme, makeRecognition, makeStudent, recognitionInput } from '../support/students.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let otherCaseworker: TestUser;
let otherViewer: TestUser;
const madeStudents: MadeStudent[] = [];

beforeAll(async () => {
  otherCaseworker = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs'), 'caseworker');
  otherViewer = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'foundation'), 'foundation_viewer');
});

/** A student born 2006-05-20 (18 on 2024-05-20), in the world's department. */
async function student() {
  const m = await makeStudent(t.world);
  madeStudents.push(m);
  return m.student;
}

const path = (studentId: string) => `/api/v1/students/${studentId}/recognitions`;

/** The HTTP body: the fixture's qualifying recognition without its studentId, with overrides. */
function body(overrides: Record<string, unknown> = {}) {
  const { studentId: _s, ...rest } = recognitionInput('');
  return { ...rest, ...overrides };
}

async function counts() {
  return {
    recognitions: await t.db.prisma.recognition.count(),
    evidence: await t.db.prisma.recognitionEvidence.count(),
    audits: await t.db.prisma.auditEvent.count(),
  };
}

const paths = (errors: { path: string }[]) => errors.map((e) => e.path);

describe('POST /students/{id}/recognitions — happy path', () => {
  it('records a qualifying recognition with its evidence and audits it with document numbers masked', async () => {
    const s = await student();
    const res = await t.as.caseworker.post(path(s.id), body({ mother: { situation: 'severe_disability', disabilityGrade: 2 } }));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      studentId: s.id,
      recognisedOn: '2019-06-10',
      authority: '西宁市城东区民政局',
      father: { situation: 'deceased', disabilityGrade: null, lostContactMonths: null },
      mother: { situation: 'severe_disability', disabilityGrade: 2, lostContactMonths: null },
      adopted: false,
      qualifies: true,
      reasons: [],
      recordedById: t.world.users.caseworker.actor.userId,
    });
    // Evidence oldest first; whole numbers for the caseworker, who may unmask the student anyway.
    expect(res.json.evidence.map((e: { documentNumber: string; issuedOn: string }) => [e.issuedOn, e.documentNumber])).toEqual([
      ['2018-11-20', '(2018)青0102刑初45号'],
      ['2019-03-02', 'QH-SW-2019-000123'],
    ]);
    const audit = await t.db.prisma.auditEvent.findFirstOrThrow({ where: { recordId: res.json.id, action: 'recognition.record' } });
    expect(audit.after).toMatchObject({ qualifies: true, studentId: s.id });
    const auditText = JSON.stringify(audit.after);
    expect(auditText).not.toContain('QH-SW-2019-000123');
    expect(auditText).toContain('*************0123');
  });

  it('accepts a recognition the day before the 18th birthday', async () => {
    const s = await student();
    const res = await t.as.caseworker.post(path(s.id), body({ recognisedOn: '2024-05-19' }));
    expect(res.status).toBe(201);
    expect(res.json.qualifies).toBe(true);
  });

  const notQualifying: [string, Record<string, unknown>, string[]][] = [
    ['an adopted child', { adopted: true }, ['adopted']],
    ['both parents deceased (an orphan)', { mother: { situation: 'deceased' } }, ['orphan_not_de_facto_unsupported']],
    ['a parent able to raise the child', { mother: { situation: 'none' } }, ['parent_able_to_raise']],
    ['a grade 3 disability', { mother: { situation: 'severe_disability', disabilityGrade: 3 } }, ['disability_grade_not_severe']],
    [
      'lost contact for 5 months',
      { father: { situation: 'lost_contact', lostContactMonths: 5 }, mother: { situation: 'missing' } },
      ['lost_contact_under_6_months'],
    ],
    ['adopted and a parent able', { adopted: true, father: { situation: 'none' } }, ['adopted', 'parent_able_to_raise']],
  ];
  it.each(notQualifying)('stores %s as not qualifying, with the reasons', async (_name, overrides, codes) => {
    const s = await student();
    const res = await t.as.caseworker.post(path(s.id), body(overrides));
    expect(res.status).toBe(201);
    expect(res.json.qualifies).toBe(false);
    expect(res.json.reasons.map((r: { code: string }) => r.code)).toEqual(codes);
    expect(res.json.reasons[0].message_zh).toBeTruthy();
    const row = await t.db.prisma.recognition.findUniqueOrThrow({ where: { id: res.json.id } });
    expect(row.qualifies).toBe(false);
  });

  it('lost contact for 6 months or more qualifies', async () => {
    const s = await student();
    const res = await t.as.caseworker.post(
      path(s.id),
      body({ father: { situation: 'lost_contact', lostContactMonths: 6 }, mother: { situation: 'guardianship_revoked' } }),
    );
    expect(res.json).toMatchObject({ qualifies: true, father: { situation: 'lost_contact', lostContactMonths: 6 } });
  });
});

describe('POST /students/{id}/recognitions — refused, nothing written', () => {
  const refused: [string, Record<string, unknown>, string][] = [
    ['on the 18th birthday', { recognisedOn: '2024-05-20' }, 'recognised_at_or_after_18'],
    ['after the 18th birthday', { recognisedOn: '2025-01-10' }, 'recognised_at_or_after_18'],
    ['before the child was born', { recognisedOn: '2006-05-19' }, 'recognised_before_birth'],
    ['in the future', { recognisedOn: '2099-01-01' }, 'date_in_future'],
  ];
  it.each(refused)('a recognition dated %s: 422 naming the rule', async (_name, overrides, code) => {
    const s = await student();
    const before = await counts();
    const b = body(overrides);
    // Evidence must not post-date the recognition, or the 400 would answer first.
    const res = await t.as.caseworker.post(path(s.id), { ...b, evidence: [{ ...body().evidence[0], issuedOn: '2006-01-01' }] });
    expect(res.status).toBe(422);
    expect(res.headers.get('Content-Type')).toContain('application/problem+json');
    expect(res.json).toMatchObject({ status: 422, code, field: 'recognisedOn' });
    expect(await counts()).toEqual(before);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    [
      'evidence dated after the recognition',
      { evidence: [{ documentType: '诊断证明', documentNumber: 'ZD-1', issuer: '青海省人民医院', issuedOn: '2019-06-11' }] },
      'evidence.0.issuedOn',
    ],
    ['no evidence', { evidence: [] }, 'evidence'],
    ['a disability grade without severe_disability', { father: { situation: 'deceased', disabilityGrade: 1 } }, 'father.disabilityGrade'],
    ['severe_disability without a grade', { mother: { situation: 'severe_disability' } }, 'mother.disabilityGrade'],
    ['a grade outside 1–4', { mother: { situation: 'severe_disability', disabilityGrade: 5 } }, 'mother.disabilityGrade'],
    ['lost_contact without months', { father: { situation: 'lost_contact' } }, 'father.lostContactMonths'],
    ['months without lost_contact', { mother: { situation: 'serving_sentence', lostContactMonths: 12 } }, 'mother.lostContactMonths'],
    ['negative months', { father: { situation: 'lost_contact', lostContactMonths: -1 } }, 'father.lostContactMonths'],
    ['an unknown situation', { father: { situation: 'abroad' } }, 'father.situation'],
    ['a date that does not exist', { recognisedOn: '2019-02-29' }, 'recognisedOn'],
    ['adopted missing', { adopted: undefined }, 'adopted'],
    ['adopted as a string', { adopted: 'no' }, 'adopted'],
    ['an empty authority', { authority: ' ' }, 'authority'],
    ['an evidence field missing', { evidence: [{ documentType: '死亡证明', issuer: '医院', issuedOn: '2019-01-01' }] }, 'evidence.0.documentNumber'],
    ['an unknown field', { guardian: '祖母' }, 'guardian'],
  ];
  it.each(invalid)('%s: 400 naming the field', async (_name, overrides, field) => {
    const s = await student();
    const before = await counts();
    const res = await t.as.caseworker.post(path(s.id), body(overrides));
    expect(res.status).toBe(400);
    expect(paths(res.json.errors)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('the same recognition twice: 409 with the existing id; a corrected one is kept', async () => {
    const s = await student();
    const first = await t.as.caseworker.post(path(s.id), body());
    const before = await counts();
    const again = await t.as.caseworker.post(path(s.id), body());
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ code: 'duplicate_recognition', existingId: first.json.id });
    expect(await counts()).toEqual(before);
    const corrected = await t.as.caseworker.post(path(s.id), body({ mother: { situation: 'compulsory_drug_rehab' } }));
    expect(corrected.status).toBe(201);
  });

  it('today is accepted, for a student still under 18', async () => {
    const today = todayInChina();
    const m = await makeStudent(t.world, { birthDate: `${Number(today.slice(0, 4)) - 10}-01-15` });
    madeStudents.push(m);
    const res = await t.as.caseworker.post(path(m.student.id), body({ recognisedOn: today, evidence: [{ ...body().evidence[0], issuedOn: today }] }));
    expect(res.status).toBe(201);
  });
});

describe('recognitions — roles and scope', () => {
  it('only the department’s caseworkers record: 403 for other roles, 404 outside the scope', async () => {
    const s = await student();
    const programme = await makeProgramme(t.world);
    await linkToProgramme(t.world, s.id, programme.id);
    const before = await counts();
    for (const [who, user] of Object.entries(t.world.users)) {
      if (who === 'caseworker') continue;
      const res = await t.as(user).post(path(s.id), body());
      expect({ who, status: res.status }).toEqual({ who, status: 403 });
    }
    for (const [who, token, id] of [
      ['caseworker of another department', otherCaseworker.token, s.id],
      ['viewer of another foundation', otherViewer.token, s.id],
      ['unknown student', t.world.users.caseworker.token, crypto.randomUUID()],
    ] as const) {
      const res = await t.as(token).post(path(id), body());
      expect({ who, status: res.status }).toEqual({ who, status: 404 });
    }
    expect(await counts()).toEqual(before);
  });

  it('GET lists latest first with a cursor; every role in scope reads, others 404; masked document numbers for non-department roles', async () => {
    const s = await student();
    await makeRecognition(t.world, s.id, {
      recognisedOn: '2018-01-10',
      evidence: [{ documentType: '残疾人证', documentNumber: '63010219800101123442', issuer: '西宁市残联', issuedOn: '2017-12-01' }],
      mother: { situation: 'severe_disability', disabilityGrade: 1 },
    });
    const later = await makeRecognition(t.world, s.id, { recognisedOn: '2020-03-01' });
    const page1 = await t.as.approver.get(`${path(s.id)}?limit=1`);
    expect(page1.status).toBe(200);
    expect(page1.json.items.map((r: { id: string }) => r.id)).toEqual([later.id]);
    const page2 = await t.as.approver.get(`${path(s.id)}?limit=1&cursor=${page1.json.nextCursor}`);
    expect(page2.json.items[0].recognisedOn).toBe('2018-01-10');
    expect(page2.json.items[0].evidence[0].documentNumber).toBe('63010219800101123442');
    expect(page2.json.nextCursor).toBeNull();

    const programme = await makeProgramme(t.world);
    await linkToProgramme(t.world, s.id, programme.id);
    for (const [who, user] of Object.entries(t.world.users)) {
      const res = await t.as(user).get(path(s.id));
      expect({ who, status: res.status }).toEqual({ who, status: 200 });
      expect(res.json.items).toHaveLength(2);
      const numbers = res.json.items.flatMap((r: { evidence: { documentNumber: string }[] }) => r.evidence.map((e) => e.documentNumber));
      const whole = ['caseworker', 'approver', 'finance'].includes(who);
      expect({ who, leaks: numbers.includes('63010219800101123442') }).toEqual({ who, leaks: whole });
      if (!whole) expect(numbers).toContain('****************3442');
    }
    expect((await t.as(otherCaseworker).get(path(s.id))).status).toBe(404);
    expect((await t.as(otherViewer).get(path(s.id))).status).toBe(404);
    const bad = await t.as.auditor.get(`${path(s.id)}?cursor=nonsense`);
    expect(bad.status).toBe(400);
  });
});

describe('personal data', () => {
  it('no log line carries an identity number or name of the students in this file', () => {
    const joined = t.logs.lines.join('\n');
    expect(madeStudents.length).toBeGreaterThan(10);
    for (const { plain } of madeStudents) {
      expect(joined).not.toContain(plain.identityNumber);
      expect(joined).not.toContain(plain.accountNumber);
    }
    expect(joined).not.toContain('韩梅梅');
    expect(joined).not.toContain('63010219800101123442');
  });
});
