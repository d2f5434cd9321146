// Demo students for the current academic year: registered, recognised, enrolled and verified,
// found eligible by a caseworker and an approver, and granted within the band — so that a
// newcomer's first `npm start` shows every step of the flow. Fictional people only; dates are
// derived from today so the demo works in any year.
import { academicYearContaining, formatAcademicYear } from '../domain/academic-year.ts';
import { todayInChina } from '../domain/dates.ts';
import { makeIdentityNumber } from '../domain/identity-number.ts';
import type { ServiceContext } from '../services/context.ts';
import { approveEligibility, proposeEligibility } from '../services/eligibility.ts';
import { recordEnrolment, verifyEnrolment } from '../services/enrolments.ts';
import { approveGrant, proposeGrant } from '../services/grants.ts';
import { recordRecognition } from '../services/recognitions.ts';
import { registerStudent } from '../services/students.ts';

type Level = 'higher_vocational' | 'junior_college' | 'undergraduate';

const STUDENTS: {
  name: string;
  gender: 'male' | 'female';
  region: string;
  birth: string;
  father: { situation: 'deceased' | 'serving_sentence' | 'lost_contact' | 'severe_disability'; lostContactMonths?: number; disabilityGrade?: number };
  mother: { situation: 'missing' | 'serious_illness' | 'lost_contact' | 'guardianship_revoked'; lostContactMonths?: number };
  institution: [string, string];
  level: Level;
  amount: string;
}[] = [
  { name: '才让卓玛', gender: 'female', region: '632521', birth: '2006-03-14', father: { situation: 'deceased' }, mother: { situation: 'lost_contact', lostContactMonths: 30 }, institution: ['青海大学', '4163010743'], level: 'undergraduate', amount: '5000.00' },
  { name: '马晓军', gender: 'male', region: '630203', birth: '2005-11-02', father: { situation: 'serving_sentence' }, mother: { situation: 'missing' }, institution: ['青海交通职业技术学院', '4163013940'], level: 'higher_vocational', amount: '4000.00' },
  { name: '李娜', gender: 'female', region: '630102', birth: '2006-07-21', father: { situation: 'severe_disability', disabilityGrade: 1 }, mother: { situation: 'serious_illness' }, institution: ['青海卫生职业技术学院', '4163012887'], level: 'junior_college', amount: '3000.00' },
];

/** Adds the demo students to `programmeId` for the academic year that contains today. */
export async function seedDemoStudents(caseworker: ServiceContext, approver: ServiceContext, programmeId: string): Promise<number> {
  const today = todayInChina();
  const year = academicYearContaining(today);
  if (!year) return 0;
  const label = formatAcademicYear(year);
  for (const [i, s] of STUDENTS.entries()) {
    const identityNumber = makeIdentityNumber(s.region, s.birth, 100 + i * 2 + (s.gender === 'male' ? 1 : 0));
    const student = await registerStudent({
      ctx: caseworker,
      input: {
        identityNumber,
        name: s.name,
        gender: s.gender,
        phone: `1390971${String(1000 + i).padStart(4, '0')}`,
        bankAccount: { bankName: '中国农业银行西宁分行', accountNumber: `62284800${String(12345678901 + i)}`, holderName: s.name },
      },
    });
    const recognisedOn = `${Number(s.birth.slice(0, 4)) + 12}-06-10`;
    await recordRecognition({
      ctx: caseworker,
      input: {
        studentId: student.id,
        recognisedOn,
        authority: '青海省民政厅',
        father: s.father,
        mother: s.mother,
        adopted: false,
        evidence: [{ documentType: '认定审批表', documentNumber: `QH-RD-${recognisedOn.slice(0, 4)}-${100 + i}`, issuer: '县民政局', issuedOn: recognisedOn }],
      },
    });
    const enrolment = await recordEnrolment({
      ctx: caseworker,
      input: {
        studentId: student.id,
        institutionName: s.institution[0],
        institutionCode: s.institution[1],
        level: s.level,
        admissionDate: `${year.startYear}-09-01`,
        expectedGraduation: `${year.startYear + (s.level === 'undergraduate' ? 4 : 3)}-06-30`,
      },
    });
    await verifyEnrolment({ ctx: caseworker, input: { studentId: student.id, enrolmentId: enrolment.id, verifiedOn: today, source: '学信网 CHSI' } });
    const eligibility = await proposeEligibility({ ctx: caseworker, input: { studentId: student.id, programmeId, academicYear: label } });
    await approveEligibility({ ctx: approver, input: { id: eligibility.id } });
    const grant = await proposeGrant({ ctx: caseworker, input: { studentId: student.id, programmeId, academicYear: label, amount: s.amount } });
    await approveGrant({ ctx: approver, input: { id: grant.id } });
  }
  return STUDENTS.length;
}
