// A county's list of this year's new students, for a person walking the demo's year: the students
// of the year in progress who are not on file yet, as a county sends them — one row each in the
// intake template's columns (src/domain/student-import/layout.ts), Chinese words in the cells —
// and the same list with three mistakes of the kind counties make, for the check to find. The
// service writes both as workbooks beside the demo's data (src/server.ts). Pure; deterministic for
// a year: new names and identity numbers, none of them already on the demo's file.
import { ENROLMENT_LEVEL_LABELS } from '../domain/eligibility.ts';
import { IMPORT_COLUMNS } from '../domain/student-import/layout.ts';
import type { Table } from '../files/table.ts';
import type { ParentInput } from '../services/recognitions.ts';
import { plannedIntakes, yearInProgressIntake, yearInProgressReviewDay } from './history.ts';
import { type DemoStudent, makeStudents } from './people.ts';

/** The words a county writes for each parent situation (those the import reads). */
const SITUATION_WORDS: Readonly<Record<ParentInput['situation'], string>> = Object.freeze({
  deceased: '死亡',
  missing: '失踪',
  severe_disability: '重残',
  serious_illness: '重病',
  serving_sentence: '服刑在押',
  compulsory_drug_rehab: '强制隔离戒毒',
  other_liberty_restriction: '其他限制人身自由',
  lost_contact: '失联',
  guardianship_revoked: '被撤销监护资格',
  deported: '被遣送出境',
  none: '无',
});

/** Six students admitted in September of `year`, not on the demo's file, as their county lists them on `today`. */
export function countyListStudents(today: string, year: number): DemoStudent[] {
  const planned = plannedIntakes();
  const used = new Set([...planned.first, ...planned.second].map((s) => s.name));
  const onFile = [...planned.first, ...planned.second, ...yearInProgressIntake(year, yearInProgressReviewDay(today, year), used)];
  return makeStudents(
    {
      intake: year,
      registeredOn: today,
      groups: [
        { level: 'undergraduate', admitted: year, count: 2 },
        { level: 'junior_college', admitted: year, count: 2 },
        { level: 'higher_vocational', admitted: year, count: 2 },
      ],
      firstN: onFile.length + 1,
      seed: year * 10_000 + 902,
    },
    used,
  );
}

function parentCells(parent: ParentInput): [string, string, string] {
  return [
    SITUATION_WORDS[parent.situation],
    parent.disabilityGrade ? String(parent.disabilityGrade) : '',
    parent.lostContactMonths ? String(parent.lostContactMonths) : '',
  ];
}

/** One student as a row of the intake template, by column key. */
export function countyListRow(s: DemoStudent): Record<string, string> {
  const [fatherSituation, fatherGrade, fatherMonths] = parentCells(s.recognition.father);
  const [motherSituation, motherGrade, motherMonths] = parentCells(s.recognition.mother);
  return {
    name: s.name,
    identity_number: s.identityNumber,
    gender: s.gender === 'female' ? '女' : '男',
    phone: s.phone,
    bank_name: s.account.bankName,
    account_number: s.account.accountNumber,
    holder_name: s.name,
    recognised_on: s.recognition.recognisedOn,
    authority: s.recognition.authority,
    father_situation: fatherSituation,
    father_disability_grade: fatherGrade,
    father_lost_contact_months: fatherMonths,
    mother_situation: motherSituation,
    mother_disability_grade: motherGrade,
    mother_lost_contact_months: motherMonths,
    adopted: '否',
    evidence: s.recognition.evidence.map((e) => [e.documentType, e.documentNumber, e.issuer, e.issuedOn].join('|')).join('; '),
    institution_name: s.institutionName,
    institution_code: s.institutionCode,
    level: ENROLMENT_LEVEL_LABELS[s.level].zh,
    admission_date: s.admissionDate,
    expected_graduation: s.expectedGraduation,
  };
}

/**
 * Three mistakes counties make, in the second and third rows: the gender against the identity
 * number, the account in a parent's name, a graduation date before the admission.
 */
export function withMistakes(rows: Record<string, string>[]): Record<string, string>[] {
  return rows.map((row, i) => {
    if (i === 1) return { ...row, gender: row.gender === '女' ? '男' : '女', holder_name: `${row.name!.slice(0, 1)}建国` };
    if (i === 2) return { ...row, expected_graduation: row.admission_date!.replace(/^(\d{4})/, (y) => String(Number(y) - 1)) };
    return row;
  });
}

/** The rows as the template's table (every column text), for the workbook writer. */
export function countyListTable(rows: Record<string, string>[]): Table {
  return {
    name: '学生名单',
    columns: IMPORT_COLUMNS.map((c) => ({ header: c.zh, kind: 'text' as const })),
    rows: rows.map((row) => IMPORT_COLUMNS.map((c) => row[c.key] ?? '')),
  };
}
