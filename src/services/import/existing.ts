// A row whose student is already on the department's file: the row is `exists` when everything it
// says is already recorded (the same student details, a recognition with the same facts and
// documents, an enrolment with the same institution, level and dates); otherwise each column that
// differs is reported as `conflicts_with_existing`, and nothing is changed. An import adds students;
// it never corrects one — corrections carry a reason and go through the single-record endpoints
// (bank account, contact, a new recognition, a status change), so a clerk looks at each of them.
import { toIsoDate } from '../../domain/dates.ts';
import type { RowProblem } from '../../domain/student-import/row.ts';
import type { Student } from '#prisma';
import type { PiiVault } from '../../privacy/pii-vault.ts';
import type { Tx } from '../context.ts';
import { nameHash, normaliseAccountNumber, normalisePhone } from '../student-pii.ts';
import type { CheckedParts } from './row-schemas.ts';

const DIFFERS = {
  zh: '与该学生已登记的信息不一致；请核对，如需更正请通过单条记录功能办理，或从文件中删除此行',
  en: 'differs from what is on file for this student; check it, correct the file or use the single-record endpoints, or remove the row',
};

function conflict(column: string, zh = DIFFERS.zh, en = DIFFERS.en): RowProblem {
  return { column, code: 'conflicts_with_existing', message_zh: zh, message_en: en };
}

/** A row with a recognition or an enrolment for a student on file who has none of that kind. */
const NONE_ON_FILE = {
  recognition: conflict(
    'recognised_on',
    '该学生已登记，但尚无认定记录；请通过认定登记功能录入，或从文件中删除此行',
    'the student is on file without a recognition; record it through the recognition endpoint, or remove the row',
  ),
  enrolment: conflict(
    'institution_code',
    '该学生已登记，但尚无学籍记录；请通过学籍登记功能录入，或从文件中删除此行',
    'the student is on file without an enrolment; record it through the enrolment endpoint, or remove the row',
  ),
};

type Evidence = { documentType: string; documentNumber: string; issuer: string; issuedOn: string };
const evidenceKey = (e: Evidence) => JSON.stringify([e.documentType.trim(), e.documentNumber.trim(), e.issuer.trim(), e.issuedOn]);
const sameEvidence = (a: Evidence[], b: Evidence[]) => JSON.stringify(a.map(evidenceKey).sort()) === JSON.stringify(b.map(evidenceKey).sort());

async function studentDifferences(vault: PiiVault, row: Student, part: NonNullable<CheckedParts['student']>): Promise<string[]> {
  const differing: string[] = [];
  if ((await nameHash(vault, part.name)) !== row.nameHash) differing.push('name');
  if (part.gender !== row.gender) differing.push('gender');
  if (part.bankAccount.bankName.trim() !== row.bankName) differing.push('bank_name');
  if ((await vault.lookupHash('bank_account', normaliseAccountNumber(part.bankAccount.accountNumber))) !== row.bankAccountHash)
    differing.push('account_number');
  if ((await nameHash(vault, part.bankAccount.holderName)) !== row.nameHash) differing.push('holder_name');
  // Phones have no lookup hash; the sealed value is opened here only to compare, never shown.
  const onFile = row.phoneSealed === null ? null : await vault.open('phone', row.phoneSealed);
  const inRow = part.phone === undefined || part.phone === null ? null : normalisePhone(part.phone);
  if (onFile !== inRow) differing.push('phone');
  return differing;
}

/**
 * The row against the records of a kind on file: nothing when one of them says the same, else the
 * columns in which the closest one differs; `none` when there is no record of the kind at all.
 */
function closestOnFile<R>(onFile: R[], none: RowProblem, differences: (record: R) => string[]): RowProblem[] {
  if (onFile.length === 0) return [none];
  let best: string[] | null = null;
  for (const record of onFile) {
    const differing = differences(record);
    if (differing.length === 0) return [];
    if (best === null || differing.length < best.length) best = differing;
  }
  return (best ?? []).map((c) => conflict(c));
}

async function recognitionDifferences(tx: Tx, studentId: string, part: NonNullable<CheckedParts['recognition']>): Promise<RowProblem[]> {
  const onFile = await tx.recognition.findMany({
    where: { studentId },
    include: { evidence: true },
    orderBy: [{ recognisedOn: 'desc' }, { createdAt: 'desc' }],
  });
  return closestOnFile(onFile, NONE_ON_FILE.recognition, (r) => {
    const differing: string[] = [];
    if (toIsoDate(r.recognisedOn) !== part.recognisedOn) differing.push('recognised_on');
    if (r.authority !== part.authority.trim()) differing.push('authority');
    for (const [role, situation, grade, months] of [
      ['father', r.fatherSituation, r.fatherDisabilityGrade, r.fatherLostContactMonths],
      ['mother', r.motherSituation, r.motherDisabilityGrade, r.motherLostContactMonths],
    ] as const) {
      const p = part[role];
      if (p.situation !== situation) differing.push(`${role}_situation`);
      if ((p.disabilityGrade ?? null) !== grade) differing.push(`${role}_disability_grade`);
      if ((p.lostContactMonths ?? null) !== months) differing.push(`${role}_lost_contact_months`);
    }
    if (r.adopted !== part.adopted) differing.push('adopted');
    if (
      !sameEvidence(
        r.evidence.map((e) => ({ ...e, issuedOn: toIsoDate(e.issuedOn) })),
        part.evidence,
      )
    )
      differing.push('evidence');
    return differing;
  });
}

async function enrolmentDifferences(tx: Tx, studentId: string, part: NonNullable<CheckedParts['enrolment']>): Promise<RowProblem[]> {
  const onFile = await tx.enrolment.findMany({ where: { studentId }, orderBy: [{ admissionDate: 'desc' }, { id: 'asc' }] });
  return closestOnFile(onFile, NONE_ON_FILE.enrolment, (e) => {
    const differing: string[] = [];
    if (e.institutionName !== part.institutionName.trim()) differing.push('institution_name');
    if (e.institutionCode !== part.institutionCode.trim()) differing.push('institution_code');
    if (e.level !== part.level) differing.push('level');
    if (toIsoDate(e.admissionDate) !== part.admissionDate) differing.push('admission_date');
    if (toIsoDate(e.expectedGraduation) !== part.expectedGraduation) differing.push('expected_graduation');
    return differing;
  });
}

/** What the row says that the student's file does not: empty when the row is already recorded. */
export async function differencesFromFile(tx: Tx, vault: PiiVault, student: Student, parts: CheckedParts): Promise<RowProblem[]> {
  const problems: RowProblem[] = [];
  if (parts.student) problems.push(...(await studentDifferences(vault, student, parts.student)).map((c) => conflict(c)));
  if (parts.recognition) problems.push(...(await recognitionDifferences(tx, student.id, parts.recognition)));
  if (parts.enrolment) problems.push(...(await enrolmentDifferences(tx, student.id, parts.enrolment)));
  return problems;
}
