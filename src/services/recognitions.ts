// Recognition as de facto unsupported (事实无人抚养认定), as the county bureau decided it.
//
// What is refused and what is kept:
// - REFUSED (nothing written): a recognition dated in the future, before the child's birth, or on or
//   after the 18th birthday (only children are recognised — the bad-input rule); evidence
//   dated after the recognition; details that contradict the situation (a disability grade without
//   severe_disability, lost_contact without its months); no evidence at all.
// - KEPT, marked not qualifying, with the rule's reasons: everything else the rule says no to — an
//   adopted child, both parents deceased/missing (an orphan), a parent able to raise the child, a
//   grade 3–4 disability, lost contact under 6 months. That is the caseworker's record of what the
//   authority decided; eligibility later reads `qualifies` and never has to re-derive it.
// Recognitions are append-only (a database trigger): a mistake is corrected by recording a new one.
import { dateFromIso, toIsoDate, todayInChina } from '../domain/dates.ts';
import { ConflictError, RuleViolationError, ValidationError, type FieldProblem } from '../domain/errors.ts';
import {
  PARENT_SITUATION_KINDS,
  type ParentRole,
  type ParentSituation as DomainParentSituation,
  type ParentSituationKind,
  type RecognitionReason,
  checkRecognitionTiming,
  evaluateRecognition,
} from '../domain/recognition.ts';
import { may } from '../domain/roles.ts';
import { z } from 'zod';
import type { Prisma } from '#prisma';
import { IsoDate, PageInput, Uuid, text } from './fields.ts';
import { parseInput } from './validation.ts';
import { recordAudit } from './audit.ts';
import { type Tx, type UseCaseCall, inTransaction } from './context.ts';
import { type Page, mapPage } from './pagination.ts';
import { requirePermission } from './scope.ts';
import { birthDateOf, findStudentInScope, lockStudent, studentRecordsPage } from './students.ts';

export const ParentSituation = z.enum(PARENT_SITUATION_KINDS as [ParentSituationKind, ...ParentSituationKind[]]).meta({
  description:
    'deceased 死亡 · missing 失踪 · severe_disability 重残 (with disabilityGrade) · serious_illness 重病 · serving_sentence 服刑在押 · compulsory_drug_rehab 强制隔离戒毒 · other_liberty_restriction 被执行其他限制人身自由的措施 · lost_contact 失联 (with lostContactMonths) · guardianship_revoked 被撤销监护资格 · deported 被遣送(驱逐)出境 · none 有抚养能力',
});

const ParentInput = z.strictObject({
  situation: ParentSituation,
  disabilityGrade: z
    .number()
    .int('must be a whole number')
    .min(1)
    .max(4)
    .nullable()
    .optional()
    .meta({ description: 'Only with severe_disability: grade 1–4 on the certificate' }),
  lostContactMonths: z
    .number()
    .int('must be a whole number')
    .min(0)
    .max(1200)
    .nullable()
    .optional()
    .meta({ description: 'Only with lost_contact: completed months without contact or support' }),
});
export type ParentInput = z.input<typeof ParentInput>;

const EvidenceInput = z.strictObject({
  documentType: text(100, '死亡证明'),
  documentNumber: text(100, 'QH-SW-2019-000123'),
  issuer: text(200, '西宁市第一人民医院'),
  issuedOn: IsoDate.meta({ example: '2019-03-02' }),
});
export type EvidenceInput = z.input<typeof EvidenceInput>;

export const RecordRecognitionInput = z.strictObject({
  studentId: Uuid,
  recognisedOn: IsoDate.meta({ example: '2019-06-10', description: 'Before the 18th birthday, not after today' }),
  authority: text(200, '西宁市城东区民政局'),
  father: ParentInput.meta({ example: { situation: 'deceased' } }),
  mother: ParentInput.meta({ example: { situation: 'severe_disability', disabilityGrade: 1 } }),
  adopted: z.boolean().meta({ example: false }),
  evidence: z.array(EvidenceInput).min(1, 'at least one document is needed').max(50),
});
export type RecordRecognitionInput = z.input<typeof RecordRecognitionInput>;

export const ListRecognitionsInput = PageInput.extend({ studentId: Uuid });
export type ListRecognitionsInput = z.input<typeof ListRecognitionsInput>;

export interface ParentView {
  situation: ParentSituationKind;
  disabilityGrade: number | null;
  lostContactMonths: number | null;
}

export interface RecognitionView {
  id: string;
  studentId: string;
  recognisedOn: string;
  authority: string;
  father: ParentView;
  mother: ParentView;
  adopted: boolean;
  qualifies: boolean;
  reasons: RecognitionReason[];
  evidence: { id: string; documentType: string; documentNumber: string; issuer: string; issuedOn: string }[];
  recordedById: string;
  createdAt: string;
}

const include = { evidence: { orderBy: [{ issuedOn: 'asc' as const }, { id: 'asc' as const }] } };
type RecognitionRow = Prisma.RecognitionGetPayload<{ include: typeof include }>;

/**
 * Certificate numbers can carry a parent's identity number (a disability certificate number is the
 * holder's identity number plus two digits), so they are shown whole only to roles that may unmask
 * a student, and stored masked in audit rows: all but the last four characters hidden.
 */
export function maskDocumentNumber(value: string): string {
  const chars = [...value];
  if (chars.length < 8) return '*'.repeat(chars.length);
  return '*'.repeat(chars.length - 4) + chars.slice(-4).join('');
}

function view(row: RecognitionRow, wholeDocumentNumbers: boolean): RecognitionView {
  const parent = (situation: ParentSituationKind, disabilityGrade: number | null, lostContactMonths: number | null): ParentView => ({
    situation,
    disabilityGrade,
    lostContactMonths,
  });
  return {
    id: row.id,
    studentId: row.studentId,
    recognisedOn: toIsoDate(row.recognisedOn),
    authority: row.authority,
    father: parent(row.fatherSituation, row.fatherDisabilityGrade, row.fatherLostContactMonths),
    mother: parent(row.motherSituation, row.motherDisabilityGrade, row.motherLostContactMonths),
    adopted: row.adopted,
    qualifies: row.qualifies,
    reasons: row.reasons as unknown as RecognitionReason[],
    evidence: row.evidence.map((e) => ({
      id: e.id,
      documentType: e.documentType,
      documentNumber: wholeDocumentNumbers ? e.documentNumber : maskDocumentNumber(e.documentNumber),
      issuer: e.issuer,
      issuedOn: toIsoDate(e.issuedOn),
    })),
    recordedById: row.recordedById,
    createdAt: row.createdAt.toISOString(),
  };
}

function checkParent(role: ParentRole, parent: ParentInput, problems: FieldProblem[]): void {
  const grade = parent.disabilityGrade ?? null;
  const months = parent.lostContactMonths ?? null;
  if (parent.situation === 'severe_disability') {
    if (grade === null) problems.push({ path: `${role}.disabilityGrade`, message: 'is required with severe_disability (1–4)' });
    else if (!Number.isInteger(grade) || grade < 1 || grade > 4) problems.push({ path: `${role}.disabilityGrade`, message: 'must be a grade from 1 to 4' });
  } else if (grade !== null) {
    problems.push({ path: `${role}.disabilityGrade`, message: 'is given only with severe_disability' });
  }
  if (parent.situation === 'lost_contact') {
    if (months === null) problems.push({ path: `${role}.lostContactMonths`, message: 'is required with lost_contact' });
    else if (!Number.isInteger(months) || months < 0)
      problems.push({ path: `${role}.lostContactMonths`, message: 'must be a whole number of months, 0 or more' });
  } else if (months !== null) {
    problems.push({ path: `${role}.lostContactMonths`, message: 'is given only with lost_contact' });
  }
}

/**
 * Every refusal of a recognition that needs no stored fact but the child's birth date (unknown:
 * null, the timing is then not judged): the field problems (400), then the timing rule (422).
 * The bulk intake shows them all at once, also for a row whose student cannot be registered.
 */
export function recognitionRefusals(input: Omit<RecordRecognitionInput, 'studentId'>, birthDate: string | null): (ValidationError | RuleViolationError)[] {
  const refusals: (ValidationError | RuleViolationError)[] = [];
  const problems = inputProblems(input);
  if (problems.length > 0) refusals.push(new ValidationError(problems));
  const timing = birthDate === null ? null : timingRefusal(birthDate, input.recognisedOn);
  if (timing) refusals.push(timing);
  return refusals;
}

/** Field problems (400): what the request itself contradicts, before any stored fact is consulted. */
function inputProblems(input: Omit<RecordRecognitionInput, 'studentId'>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.authority.trim().length === 0) problems.push({ path: 'authority', message: 'must not be empty' });
  checkParent('father', input.father, problems);
  checkParent('mother', input.mother, problems);
  if (input.evidence.length === 0) problems.push({ path: 'evidence', message: 'at least one document is needed: recognition is made on evidence' });
  input.evidence.forEach((e, i) => {
    for (const key of ['documentType', 'documentNumber', 'issuer'] as const) {
      if (e[key].trim().length === 0) problems.push({ path: `evidence.${i}.${key}`, message: 'must not be empty' });
    }
    if (e.issuedOn > input.recognisedOn)
      problems.push({ path: `evidence.${i}.issuedOn`, message: 'must not be after recognisedOn: evidence comes before the decision' });
  });
  return problems;
}

/** Rules against stored facts (422): the date against today and the student's birth date. */
function timingRefusal(birthDate: string, recognisedOn: string): RuleViolationError | null {
  if (recognisedOn > todayInChina()) return new RuleViolationError('date_in_future', { field: 'recognisedOn' });
  const [reason] = checkRecognitionTiming(birthDate, recognisedOn);
  return reason ? new RuleViolationError(reason.code, { field: 'recognisedOn' }) : null;
}

function toDomain(parent: ParentInput): DomainParentSituation {
  switch (parent.situation) {
    case 'severe_disability':
      return { kind: 'severe_disability', disabilityGrade: parent.disabilityGrade as number };
    case 'lost_contact':
      return { kind: 'lost_contact', monthsWithoutContact: parent.lostContactMonths as number };
    default:
      return { kind: parent.situation };
  }
}

/** The facts of a recognition as stored: what a duplicate is compared on, and what is written. */
function recognitionFacts(input: RecordRecognitionInput) {
  return {
    recognisedOn: dateFromIso(input.recognisedOn),
    authority: input.authority.trim(),
    fatherSituation: input.father.situation,
    fatherDisabilityGrade: input.father.disabilityGrade ?? null,
    fatherLostContactMonths: input.father.lostContactMonths ?? null,
    motherSituation: input.mother.situation,
    motherDisabilityGrade: input.mother.disabilityGrade ?? null,
    motherLostContactMonths: input.mother.lostContactMonths ?? null,
    adopted: input.adopted,
  };
}

/** The same decision recorded twice (a double submit) is refused; a correction differs in some fact. */
async function refuseDuplicate(tx: Tx, input: RecordRecognitionInput): Promise<void> {
  const same = await tx.recognition.findFirst({
    where: { studentId: input.studentId, ...recognitionFacts(input) },
    select: { id: true },
  });
  if (same) throw new ConflictError('duplicate_recognition', { existingId: same.id });
}

export async function recordRecognition({ ctx, input: raw }: UseCaseCall<RecordRecognitionInput>): Promise<RecognitionView> {
  const input = parseInput(RecordRecognitionInput, raw);
  return inTransaction(ctx, async (tx) => {
    const student = await findStudentInScope(tx, ctx, input.studentId);
    requirePermission(ctx.actor, 'recognition.record');
    const [refusal] = recognitionRefusals(input, birthDateOf(student));
    if (refusal) throw refusal;
    const birthDate = birthDateOf(student);
    // The duplicate check and the insert are one step per student (a double submit raced itself).
    await lockStudent(tx, student.id);
    await refuseDuplicate(tx, input);
    const result = evaluateRecognition({
      childBirthDate: birthDate,
      recognitionDate: input.recognisedOn,
      adopted: input.adopted,
      father: toDomain(input.father),
      mother: toDomain(input.mother),
    });
    const id = crypto.randomUUID();
    const row = await tx.recognition.create({
      data: {
        id,
        studentId: student.id,
        ...recognitionFacts(input),
        qualifies: result.qualifies,
        reasons: result.reasons as unknown as Prisma.InputJsonValue,
        recordedById: ctx.actor.userId,
        evidence: {
          create: input.evidence.map((e) => ({
            id: crypto.randomUUID(),
            documentType: e.documentType.trim(),
            documentNumber: e.documentNumber.trim(),
            issuer: e.issuer.trim(),
            issuedOn: dateFromIso(e.issuedOn),
          })),
        },
      },
      include,
    });
    await recordAudit(tx, ctx, { action: 'recognition.record', recordType: 'recognition', recordId: id, after: view(row, false) });
    return view(row, may(ctx.actor.role, 'student.unmask'));
  });
}

export async function listRecognitions({ ctx, input: raw }: UseCaseCall<ListRecognitionsInput>): Promise<Page<RecognitionView>> {
  const input = parseInput(ListRecognitionsInput, raw);
  const page = await studentRecordsPage(ctx, input, 'recognisedOn', (where, order) => ctx.db.recognition.findMany({ where, include, ...order }));
  const whole = may(ctx.actor.role, 'student.unmask');
  return mapPage(page, (r) => view(r, whole));
}
