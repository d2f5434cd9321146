// The caseworker's bulk step (批量核验与申报): for a list of students — those of an import, or any
// selection — and one programme and academic year, this year's enrolment verification, the
// eligibility proposal and the grant proposal at the amount chosen per level, in one request instead
// of three per student.
//
// Each student is a transaction of their own, running the single-record use cases themselves
// (verifyEnrolment, proposeEligibility, proposeGrant: each record keeps its rule results and its
// audit event). A student a rule refuses is rolled back whole — nothing written for them — and
// listed with the catalogue's Chinese reasons (for eligibility: every failed rule's detail); the
// others go on. The result lists every student as `written`, `unchanged` or `refused`, and which
// step did what.
//
// Run again on the same students it writes nothing twice: a verification already dated inside the
// year, an eligibility already proposed or approved and a grant already proposed are reported as
// such (`unchanged`), not as errors. That is also how the step is meant to be used: a grant needs
// APPROVED eligibility (maker-checker), so the first run verifies and proposes eligibility, an
// approver decides, and the same step run again proposes the grants (`awaiting_approval` until then).
import { z } from 'zod';
import { academicYearEnd, academicYearStart, formatAcademicYear } from '../domain/academic-year.ts';
import { toIsoDate, todayInChina } from '../domain/dates.ts';
import { ENROLMENT_LEVELS, ENROLMENT_LEVEL_LABELS, type RuleResult } from '../domain/eligibility.ts';
import { ConflictError, DomainError, RuleViolationError, ValidationError, type FieldProblem } from '../domain/errors.ts';
import { fieldMessageZh, messageZh } from '../domain/error-catalogue.ts';
import { formatMoney, money } from '../domain/money.ts';
import type { EnrolmentLevel } from '#prisma/enums';
import { type ServiceContext, type Tx, type UseCaseCall, runTransaction } from './context.ts';
import { chooseEnrolment } from './eligibility-facts.ts';
import { proposeEligibility } from './eligibility.ts';
import { verifyEnrolment } from './enrolments.ts';
import { AcademicYearText, IsoDate, PositiveMoney, Uuid, academicYearField, text } from './fields.ts';
import { proposeGrant } from './grants.ts';
import { findProgrammeInScope } from './programmes.ts';
import { requirePermission, studentScope } from './scope.ts';
import { parseInput } from './validation.ts';

/** Most students one step takes: an import's worth. More is split by the caller. */
export const MAX_BULK_STUDENTS = 5000;

export const BulkStepInput = z.strictObject({
  studentIds: z
    .array(Uuid)
    .min(1, 'bulk_no_students: 请至少选择一名学生 (must list at least one student)')
    .max(MAX_BULK_STUDENTS, `too_many_students: 每次最多${MAX_BULK_STUDENTS}名学生，请分批处理 (must list at most ${MAX_BULK_STUDENTS} students)`),
  programmeId: Uuid,
  academicYear: AcademicYearText,
  /** This year's enrolment verification (学籍核验), recorded for each student not yet verified inside the year. */
  verification: z.strictObject({
    verifiedOn: IsoDate.meta({ example: '2026-09-15', description: 'Inside the academic year, not after today' }),
    source: text(100, '学信网 CHSI'),
    reference: z.string().trim().max(200).nullable().optional(),
  }),
  /** The annual amount per level, inside that level's band; a level without one gets no grant proposed. */
  amounts: z
    .strictObject({
      higher_vocational: PositiveMoney.optional(),
      junior_college: PositiveMoney.optional(),
      undergraduate: PositiveMoney.optional(),
    })
    .default({}),
});
export type BulkStepInput = z.input<typeof BulkStepInput>;

export type StepDone = 'recorded' | 'proposed' | 'already' | 'already_approved' | 'awaiting_approval' | 'no_amount' | null;

export interface BulkStudentResult {
  studentId: string;
  /** Masked (韩**, 630102********1234); null for an id that names no student the caller may see. */
  name: string | null;
  identityNumber: string | null;
  level: EnrolmentLevel | null;
  /** written: this run wrote something for the student; unchanged: everything was done before; refused: nothing written, see reasons. */
  outcome: 'written' | 'unchanged' | 'refused';
  verification: StepDone;
  eligibility: StepDone;
  grant: StepDone;
  grantAmount: string | null;
  reasons: { code: string; message_zh: string }[];
}

export interface BulkStepResult {
  programmeId: string;
  academicYear: string;
  counts: { students: number; written: number; unchanged: number; refused: number };
  students: BulkStudentResult[];
}

/** Ends a student's transaction when a rule refuses them: nothing of theirs stays. */
class StudentRefused extends Error {
  constructor(readonly reasons: BulkStudentResult['reasons']) {
    super('student refused');
  }
}

/** A use case's refusal as reasons in Chinese; null for what is not a refusal (rethrown). */
function reasonsOf(error: unknown): BulkStudentResult['reasons'] | null {
  if (error instanceof ValidationError) return error.fields.map((f) => ({ code: error.code, message_zh: fieldMessageZh(f.message) }));
  if (error instanceof DomainError && error.kind !== 'forbidden' && error.kind !== 'unauthenticated')
    return [{ code: error.code, message_zh: error.messageZh }];
  return null;
}

export interface Plan {
  programmeId: string;
  year: ReturnType<typeof academicYearField>;
  verification: z.output<typeof BulkStepInput>['verification'];
  amounts: Partial<Record<EnrolmentLevel, string>>;
}

/** The amounts against the year's bands and the verification date against the year: one 400 naming each field, before any student. */
async function checkPlan(ctx: ServiceContext, input: z.output<typeof BulkStepInput>): Promise<Plan> {
  const year = academicYearField(input.academicYear);
  const programme = await findProgrammeInScope(ctx.db, ctx, input.programmeId);
  requirePermission(ctx.actor, 'eligibility.propose');
  const problems: FieldProblem[] = [];
  if (year.startYear < programme.firstAcademicYear || year.startYear > programme.lastAcademicYear) {
    throw new RuleViolationError('academic_year_outside_programme', {
      from: formatAcademicYear(programme.firstAcademicYear),
      to: formatAcademicYear(programme.lastAcademicYear),
      field: 'academicYear',
    });
  }
  const verifiedOn = input.verification.verifiedOn;
  if (verifiedOn < academicYearStart(year) || verifiedOn > academicYearEnd(year)) {
    problems.push({
      path: 'verification.verifiedOn',
      message: `verified_outside_year: 核验日期须在${year.label}学年内（${academicYearStart(year)}至${academicYearEnd(year)}） (must lie inside academic year ${year.label})`,
    });
  } else if (verifiedOn > todayInChina()) {
    problems.push({ path: 'verification.verifiedOn', message: 'date_in_future: 日期不能晚于今天（北京时间） (must not be after today)' });
  }
  const bands = await bandsOf(ctx, input.programmeId, input.academicYear);
  const amounts: Partial<Record<EnrolmentLevel, string>> = {};
  for (const level of ENROLMENT_LEVELS) {
    const given = input.amounts[level];
    if (given === undefined) continue;
    const band = bands.find((b) => b.level === level);
    const amount = money(given);
    if (!band) {
      problems.push({
        path: `amounts.${level}`,
        message: `no_band: 本项目该学年不资助${ENROLMENT_LEVEL_LABELS[level].zh} (the programme funds no such level this year)`,
      });
    } else if (amount.lessThan(band.minAmount) || amount.greaterThan(band.maxAmount)) {
      problems.push({
        path: `amounts.${level}`,
        message: `amount_outside_band: 金额须在${band.minAmount}至${band.maxAmount}元之间 (must lie within the band ${band.minAmount}–${band.maxAmount})`,
      });
    } else amounts[level] = formatMoney(amount);
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return { programmeId: programme.id, year, verification: input.verification, amounts };
}

async function bandsOf(ctx: ServiceContext, programmeId: string, academicYear: string) {
  const year = academicYearField(academicYear);
  const rows = await ctx.db.programmeBand.findMany({ where: { programmeId, academicYear: year.startYear }, orderBy: { level: 'asc' } });
  return rows.map((b) => ({ level: b.level, minAmount: formatMoney(b.minAmount.toString()), maxAmount: formatMoney(b.maxAmount.toString()) }));
}

/** Verification: recorded unless one is dated inside the year already (on the enrolment eligibility will read). */
async function verifyStep(tx: Tx, ctx: ServiceContext, plan: Plan, studentId: string): Promise<{ done: StepDone; level: EnrolmentLevel }> {
  const enrolments = await tx.enrolment.findMany({
    where: { studentId },
    include: { events: true, verifications: { select: { verifiedOn: true } } },
  });
  const enrolment = chooseEnrolment(enrolments, plan.year, todayInChina());
  if (!enrolment) throw new StudentRefused([{ code: 'no_enrolment', message_zh: messageZh('no_enrolment') }]);
  const [start, end] = [academicYearStart(plan.year), academicYearEnd(plan.year)];
  const verified = enrolment.verifications.some((v) => toIsoDate(v.verifiedOn) >= start && toIsoDate(v.verifiedOn) <= end);
  if (verified) return { done: 'already', level: enrolment.level };
  await verifyEnrolment({ ctx: { ...ctx, tx }, input: { studentId, enrolmentId: enrolment.id, ...plan.verification } });
  return { done: 'recorded', level: enrolment.level };
}

/** Eligibility: proposed unless one is open; an ineligible proposal refuses the student with every failed rule. */
async function eligibilityStep(tx: Tx, ctx: ServiceContext, plan: Plan, studentId: string): Promise<StepDone> {
  const open = await tx.eligibilityDetermination.findFirst({
    where: { studentId, programmeId: plan.programmeId, academicYear: plan.year.startYear, status: { in: ['proposed', 'approved'] } },
    select: { status: true },
  });
  if (open) return open.status === 'approved' ? 'already_approved' : 'already';
  const proposed = await proposeEligibility({ ctx: { ...ctx, tx }, input: { studentId, programmeId: plan.programmeId, academicYear: plan.year.label } });
  if (!proposed.eligible) {
    const failed = proposed.ruleResults.filter((r: RuleResult) => !r.passed);
    throw new StudentRefused(failed.map((r) => ({ code: r.rule, message_zh: r.detail_zh })));
  }
  return 'proposed';
}

/** Grant: proposed at the level's amount once eligibility is approved; a grant on file already is left alone. */
async function grantStep(
  tx: Tx,
  ctx: ServiceContext,
  plan: Plan,
  studentId: string,
  eligibility: StepDone,
): Promise<{ done: StepDone; amount: string | null; level: EnrolmentLevel | null }> {
  const existing = await tx.grant.findFirst({
    where: { studentId, programmeId: plan.programmeId, academicYear: plan.year.startYear, status: { not: 'rejected' } },
    select: { amount: true, level: true },
  });
  if (existing) return { done: 'already', amount: formatMoney(existing.amount.toString()), level: existing.level };
  if (eligibility !== 'already_approved') return { done: 'awaiting_approval', amount: null, level: null };
  const approved = await tx.eligibilityDetermination.findFirst({
    where: { studentId, programmeId: plan.programmeId, academicYear: plan.year.startYear, status: 'approved' },
    select: { enrolmentId: true },
  });
  const enrolment = approved?.enrolmentId ? await tx.enrolment.findUnique({ where: { id: approved.enrolmentId }, select: { level: true } }) : null;
  const level = enrolment?.level ?? null;
  const amount = level ? plan.amounts[level] : undefined;
  if (!level || amount === undefined) return { done: 'no_amount', amount: null, level };
  const grant = await proposeGrant({ ctx: { ...ctx, tx }, input: { studentId, programmeId: plan.programmeId, academicYear: plan.year.label, amount } });
  return { done: 'proposed', amount: grant.amount, level };
}

const WRITES: readonly StepDone[] = ['recorded', 'proposed'];

const DUPLICATES = new Set(['duplicate_verification', 'duplicate_eligibility', 'duplicate_grant']);

/**
 * A student's transaction, run once more when a single-record request wrote the same record
 * meanwhile (the use case then answers a duplicate, and the transaction is spoilt): run again, it
 * finds that record and reports it as done before.
 */
async function onceMoreAfterDuplicate<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await runTransaction(work);
  } catch (error) {
    if (!(error instanceof ConflictError && DUPLICATES.has(error.code))) throw error;
    return runTransaction(work);
  }
}

async function stepForStudent(
  ctx: ServiceContext,
  plan: Plan,
  student: { id: string; nameMasked: string; identityNumberMasked: string },
): Promise<BulkStudentResult> {
  const base = { studentId: student.id, name: student.nameMasked, identityNumber: student.identityNumberMasked };
  try {
    return await onceMoreAfterDuplicate(() =>
      ctx.db.$transaction(async (tx) => {
        // Two steps over the same student (two caseworkers, two tabs) queue here, so that the second sees what the first wrote.
        await tx.$queryRaw`SELECT "id" FROM "student" WHERE "id" = ${student.id}::uuid FOR UPDATE`;
        const verification = await verifyStep(tx, ctx, plan, student.id);
        const eligibility = await eligibilityStep(tx, ctx, plan, student.id);
        const grant = await grantStep(tx, ctx, plan, student.id, eligibility);
        const steps = [verification.done, eligibility, grant.done];
        return {
          ...base,
          level: grant.level ?? verification.level,
          outcome: steps.some((s) => WRITES.includes(s)) ? ('written' as const) : ('unchanged' as const),
          verification: verification.done,
          eligibility,
          grant: grant.done,
          grantAmount: grant.amount,
          reasons: [],
        };
      }),
    );
  } catch (error) {
    const reasons = error instanceof StudentRefused ? error.reasons : reasonsOf(error);
    if (reasons === null) throw error;
    return { ...base, level: null, outcome: 'refused', verification: null, eligibility: null, grant: null, grantAmount: null, reasons };
  }
}

/** A checked bulk step: the plan, and the students in the order given, each once. */
export interface PreparedBulkStep {
  plan: Plan;
  studentIds: string[];
}

/**
 * Checks the input, the role and the plan (amounts against the bands, the verification date against
 * the year) before any student: a 400 naming each field, or the rule's refusal. Writes nothing.
 */
export async function prepareBulkStep({ ctx, input: raw }: UseCaseCall<BulkStepInput>): Promise<PreparedBulkStep> {
  const input = parseInput(BulkStepInput, raw);
  const plan = await checkPlan(ctx, input);
  return { plan, studentIds: [...new Set(input.studentIds)] };
}

/**
 * The students one by one, each in a transaction of their own, `onStudent` told after each (it may
 * write progress; what it throws ends the step there, the students before it kept).
 */
export async function stepStudents(
  ctx: ServiceContext,
  prepared: PreparedBulkStep,
  onStudent: (result: BulkStudentResult) => Promise<void> | void = () => {},
): Promise<BulkStudentResult[]> {
  const { plan, studentIds: ids } = prepared;
  const found = await ctx.db.student.findMany({
    where: { AND: [{ id: { in: ids } }, studentScope(ctx.actor)] },
    select: { id: true, nameMasked: true, identityNumberMasked: true },
  });
  const byId = new Map(found.map((s) => [s.id, s]));
  const students: BulkStudentResult[] = [];
  for (const id of ids) {
    const student = byId.get(id);
    // Missing and another department's alike: the reason says no more than "not found".
    const result = student ? await stepForStudent(ctx, plan, student) : notFound(id);
    students.push(result);
    await onStudent(result);
  }
  return students;
}

function notFound(studentId: string): BulkStudentResult {
  return {
    studentId,
    name: null,
    identityNumber: null,
    level: null,
    outcome: 'refused',
    verification: null,
    eligibility: null,
    grant: null,
    grantAmount: null,
    reasons: [{ code: 'not_found', message_zh: messageZh('not_found', { record: 'student' }) }],
  };
}

/** The students' results with their counts. */
export function bulkStepResult(programmeId: string, academicYear: string, students: BulkStudentResult[]): BulkStepResult {
  const count = (o: BulkStudentResult['outcome']) => students.filter((s) => s.outcome === o).length;
  return {
    programmeId,
    academicYear,
    counts: { students: students.length, written: count('written'), unchanged: count('unchanged'), refused: count('refused') },
    students,
  };
}

/** The whole step in the caller's request (the API, and tests); the pages run it as a job (bulk-step-jobs.ts). */
export async function runBulkStep(call: UseCaseCall<BulkStepInput>): Promise<BulkStepResult> {
  const prepared = await prepareBulkStep(call);
  const students = await stepStudents(call.ctx, prepared);
  return bulkStepResult(prepared.plan.programmeId, prepared.plan.year.label, students);
}
