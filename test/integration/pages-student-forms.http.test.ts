// The caseworker's forms on a student's record — recognition, enrolment, status change, this
// year's verification — each held to the same four things: it does its work once however often it
// is posted and leads back to the student's page; bad input is refused beside the field in Chinese
// with nothing written; a role that may only read gets the 404 page and writes nothing; and another
// department's caseworker gets the 404 page for our student and writes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { makeEnrolment, makeStudent } from '../support/students.ts';
import { fieldError, foreignKeys, formKeys, type StudentPageBrowsers, studentPageBrowsers, textOf } from '../support/student-pages.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let b: StudentPageBrowsers;

beforeAll(async () => {
  b = await studentPageBrowsers(t);
}, 60_000);

interface Subject {
  studentId: string;
  enrolmentId: string;
}

interface FormCase {
  name: string;
  path(s: Subject): string;
  good: Record<string, string>;
  /** Fields that make the use case refuse, the field it names, and the Chinese label the notice names it by. */
  bad: { fields: Record<string, string>; field: string; label: string };
  done: string;
  written(s: Subject): Promise<number>;
}

const RECOGNITION = {
  recognisedOn: '2019-06-10',
  authority: '西宁市城东区民政局',
  'father.situation': 'deceased',
  'mother.situation': 'serving_sentence',
  adopted: 'no',
  'evidence.0.documentType': '死亡证明',
  'evidence.0.documentNumber': 'QH-SW-2019-000123',
  'evidence.0.issuer': '西宁市第一人民医院',
  'evidence.0.issuedOn': '2019-03-02',
};

const CASES: FormCase[] = [
  {
    name: 'record a recognition',
    path: (s) => `/students/${s.studentId}/recognitions/new`,
    good: RECOGNITION,
    bad: { fields: { 'evidence.0.issuedOn': '2019-07-01' }, field: 'evidence.0.issuedOn', label: '第1份材料的出具日期' },
    done: 'recognition',
    written: (s) => t.db.prisma.recognition.count({ where: { studentId: s.studentId } }),
  },
  {
    name: 'record an enrolment',
    path: (s) => `/students/${s.studentId}/enrolments/new`,
    good: {
      institutionName: '青海民族大学',
      institutionCode: '4163010748',
      level: 'undergraduate',
      admissionDate: '2025-09-01',
      expectedGraduation: '2029-06-30',
    },
    bad: { fields: { expectedGraduation: '2025-06-30' }, field: 'expectedGraduation', label: '预计毕业日期' },
    done: 'enrolment',
    written: (s) => t.db.prisma.enrolment.count({ where: { studentId: s.studentId } }),
  },
  {
    name: 'change the enrolment status',
    path: (s) => `/students/${s.studentId}/enrolments/${s.enrolmentId}/status`,
    good: { status: 'suspended', effectiveOn: '2026-03-01', reason: '因病休学一年' },
    bad: { fields: { reason: '' }, field: 'reason', label: '原因' },
    done: 'status',
    written: (s) => t.db.prisma.enrolmentStatusEvent.count({ where: { enrolmentId: s.enrolmentId } }),
  },
  {
    name: 'verify the enrolment this year',
    path: (s) => `/students/${s.studentId}/enrolments/${s.enrolmentId}/verifications/new`,
    good: { verifiedOn: '2026-09-15', source: '学信网 CHSI', reference: 'CHSI-2026-0001' },
    bad: { fields: { verifiedOn: '2026-02-30' }, field: 'verifiedOn', label: '核验日期' },
    done: 'verification',
    written: (s) => t.db.prisma.enrolmentVerification.count({ where: { enrolmentId: s.enrolmentId } }),
  },
];

/** A fresh student of the world's department with an enrolment, so that each test starts clean. */
async function subject(): Promise<Subject> {
  const { student } = await makeStudent(t.world);
  const enrolment = await makeEnrolment(t.world, student.id);
  return { studentId: student.id, enrolmentId: enrolment.id };
}

describe.each(CASES)('the form to $name', (form) => {
  it('does the work once when posted twice, and leads back to the student’s page saying so', async () => {
    const s = await subject();
    const before = await form.written(s);
    const fields = { ...(await formKeys(b.caseworker, form.path(s))), ...form.good };
    const res = await b.caseworker.request('POST', form.path(s), fields);
    expect(res.status).toBe(303);
    expect(res.location).toMatch(new RegExp(`^/students/${s.studentId}\\?done=${form.done}(&|$)`));
    const again = await b.caseworker.request('POST', form.path(s), fields);
    expect(again).toMatchObject({ status: 303, location: res.location });
    expect(await form.written(s)).toBe(before + 1);
    const page = await b.caseworker.request('GET', res.location!);
    expect(page.status).toBe(200);
    expect(page.html).toContain('class="notice ok"');
  });

  it('refuses bad input beside the field, naming it in Chinese; nothing is written', async () => {
    const s = await subject();
    const before = await form.written(s);
    const res = await b.caseworker.request('POST', form.path(s), { ...(await formKeys(b.caseworker, form.path(s))), ...form.good, ...form.bad.fields });
    expect(res.status).toBe(400);
    expect(fieldError(res.html, form.bad.field)).toMatch(/[\u4e00-\u9fff]/);
    expect(textOf(res.html)).toContain(`需要修改：${form.bad.label}`);
    expect(res.html).toMatch(
      new RegExp(`id="${form.bad.field.replace(/\./g, '\\.')}"[^>]*aria-invalid="true"[^>]*aria-describedby="${form.bad.field.replace(/\./g, '\\.')}-error"`),
    );
    expect(await form.written(s)).toBe(before);
  });

  it('is the 404 page for the funder’s viewer, who may read the student; nothing is written', async () => {
    const s = await subject();
    const before = await form.written(s);
    expect((await b.viewer.request('GET', form.path(s))).status).toBe(404);
    const res = await b.viewer.request('POST', form.path(s), { ...(await foreignKeys(b.viewer)), ...form.good });
    expect(res.status).toBe(404);
    expect(textOf(res.html)).toContain('页面不存在');
    expect(await form.written(s)).toBe(before);
  });

  it('is the 404 page for another department’s caseworker; nothing is written', async () => {
    const s = await subject();
    const before = await form.written(s);
    expect((await b.otherCaseworker.request('GET', form.path(s))).status).toBe(404);
    const res = await b.otherCaseworker.request('POST', form.path(s), { ...(await foreignKeys(b.otherCaseworker)), ...form.good });
    expect(res.status).toBe(404);
    expect(await form.written(s)).toBe(before);
  });
});

describe('what the forms show and refuse beyond their fields', () => {
  it('offers each parent’s situation as a choice from the rule’s list, and asks for a choice when none is made', async () => {
    const s = await subject();
    const page = await b.caseworker.request('GET', `/students/${s.studentId}/recognitions/new`);
    expect(page.html).toContain('<option value="serving_sentence">服刑在押</option>');
    expect(page.html).toContain('<option value="lost_contact">失联（6个月以上）</option>');
    const res = await b.caseworker.request('POST', `/students/${s.studentId}/recognitions/new`, {
      ...(await formKeys(b.caseworker, `/students/${s.studentId}/recognitions/new`)),
      ...RECOGNITION,
      'father.situation': '',
    });
    expect(res.status).toBe(400);
    expect(fieldError(res.html, 'father.situation')).toBe('请从列表中选择一项');
    expect(textOf(res.html)).toContain('需要修改：父亲情况');
  });

  it('needs at least one evidence document, and keeps a second one given in the form', async () => {
    const s = await subject();
    const path = `/students/${s.studentId}/recognitions/new`;
    const none = Object.fromEntries(Object.entries(RECOGNITION).filter(([k]) => !k.startsWith('evidence.')));
    const refused = await b.caseworker.request('POST', path, { ...(await formKeys(b.caseworker, path)), ...none });
    expect(refused.status).toBe(400);
    expect(fieldError(refused.html, 'evidence')).toContain('证明材料');
    const two = {
      ...RECOGNITION,
      'evidence.1.documentType': '判决书',
      'evidence.1.documentNumber': '(2018)青0102刑初45号',
      'evidence.1.issuer': '西宁市城东区人民法院',
      'evidence.1.issuedOn': '2018-11-20',
    };
    expect((await b.caseworker.request('POST', path, { ...(await formKeys(b.caseworker, path)), ...two })).status).toBe(303);
    const recognition = await t.db.prisma.recognition.findFirstOrThrow({ where: { studentId: s.studentId }, include: { evidence: true } });
    expect(recognition.evidence.map((e) => e.documentType).sort()).toEqual(['判决书', '死亡证明']);
    expect(recognition.qualifies).toBe(true);
  });

  it('reads the disability grade as a number and refuses one that is not', async () => {
    const s = await subject();
    const path = `/students/${s.studentId}/recognitions/new`;
    const bad = await b.caseworker.request('POST', path, {
      ...(await formKeys(b.caseworker, path)),
      ...RECOGNITION,
      'mother.situation': 'severe_disability',
      'mother.disabilityGrade': '一级',
    });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.html, 'mother.disabilityGrade')).toBeTruthy();
    const good = await b.caseworker.request('POST', path, {
      ...(await formKeys(b.caseworker, path)),
      ...RECOGNITION,
      'mother.situation': 'severe_disability',
      'mother.disabilityGrade': '1',
    });
    expect(good.status).toBe(303);
    expect((await t.db.prisma.recognition.findFirstOrThrow({ where: { studentId: s.studentId } })).motherDisabilityGrade).toBe(1);
  });

  it('says a refused status change in the catalogue’s words (422), and nothing is written', async () => {
    const s = await subject();
    const path = `/students/${s.studentId}/enrolments/${s.enrolmentId}/status`;
    const res = await b.caseworker.request('POST', path, {
      ...(await formKeys(b.caseworker, path)),
      status: 'enrolled',
      effectiveOn: '2026-03-01',
      reason: '复学',
    });
    expect(res.status).toBe(422);
    expect(res.html).toContain('class="notice error"');
    expect(await t.db.prisma.enrolmentStatusEvent.count({ where: { enrolmentId: s.enrolmentId } })).toBe(1);
  });

  it('an enrolment of another student is the 404 page, even for the caseworker', async () => {
    const s = await subject();
    const other = await subject();
    const res = await b.caseworker.request('GET', `/students/${s.studentId}/enrolments/${other.enrolmentId}/status`);
    expect(res.status).toBe(404);
  });

  it('suggests today for a verification and names the academic year it counts for', async () => {
    const s = await subject();
    const page = await b.caseworker.request('GET', `/students/${s.studentId}/enrolments/${s.enrolmentId}/verifications/new`);
    expect(page.html).toMatch(/id="verifiedOn" name="verifiedOn" type="date" value="2026-11-26"/);
    expect(textOf(page.html)).toContain('2026-2027 学年');
  });
});
