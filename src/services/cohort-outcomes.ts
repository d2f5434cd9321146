// The outcomes of a programme's cohorts for its foundation (src/domain/cohort-outcomes.ts): from the
// grants (which year a student was first granted), the enrolment the latest grant rests on
// (graduated, withdrawn, still studying), the destinations the coordinator recorded, and the
// internships and courses completed in the programme's activities. Counts only, no one named.
import { z } from 'zod';
import { formatAcademicYear } from '../domain/academic-year.ts';
import { type CohortOutcome, type StudentOutcomeFacts, cohortOutcomes } from '../domain/cohort-outcomes.ts';
import { dateFromIso, toIsoDate } from '../domain/dates.ts';
import { type Tx, type UseCaseCall, inTransaction } from './context.ts';
import { Uuid } from './fields.ts';
import { findProgrammeInScope } from './programmes.ts';
import { requirePermission } from './scope.ts';
import { parseInput } from './validation.ts';

export const CohortOutcomesInput = z.strictObject({ programmeId: Uuid });

export type CohortOutcomeView = Omit<CohortOutcome, 'cohortYear'> & { cohort: string };

export async function programmeCohortOutcomes({
  ctx,
  input: raw,
}: UseCaseCall<z.input<typeof CohortOutcomesInput>>): Promise<{ programmeId: string; cohorts: CohortOutcomeView[] }> {
  const input = parseInput(CohortOutcomesInput, raw);
  requirePermission(ctx.actor, 'empowerment.read');
  const programme = await findProgrammeInScope(ctx.db, ctx, input.programmeId);
  // One consistent view of grants, enrolments, destinations and participations.
  const rows = await inTransaction(ctx, (tx) => cohortOutcomeFacts(tx, programme.id, null));
  return {
    programmeId: programme.id,
    cohorts: cohortOutcomes(rows).map(({ cohortYear, ...rest }) => ({ cohort: formatAcademicYear(cohortYear), ...rest })),
  };
}

/**
 * Each student's outcome facts in the programme, as they stood at the end of `asOf` (an ISO date;
 * null: now): grants approved by then, an enrolment's change that took effect later read as still
 * studying, destinations begun and internships and courses completed by then.
 */
export async function cohortOutcomeFacts(tx: Tx, programmeId: string, asOf: string | null): Promise<StudentOutcomeFacts[]> {
  const until = asOf === null ? undefined : dateFromIso(asOf);
  const grants = await tx.grant.findMany({
    where: { programmeId, status: { in: ['approved', 'ended'] }, ...(until ? { approvedOn: { lte: until } } : {}) },
    select: { studentId: true, academicYear: true, eligibilityId: true },
    orderBy: [{ academicYear: 'asc' }, { id: 'asc' }],
  });
  const eligibility = await tx.eligibilityDetermination.findMany({
    where: { id: { in: [...new Set(grants.map((g) => g.eligibilityId))] } },
    select: { id: true, enrolmentId: true },
  });
  const enrolmentOf = new Map(eligibility.map((e) => [e.id, e.enrolmentId]));
  const enrolments = await tx.enrolment.findMany({
    where: { id: { in: eligibility.flatMap((e) => (e.enrolmentId ? [e.enrolmentId] : [])) } },
    select: { id: true, status: true, statusEffectiveOn: true, expectedGraduation: true },
  });
  const destinations = await tx.graduateDestination.findMany({
    where: { programmeId, ...(until ? { startedOn: { lte: until } } : {}) },
    select: { studentId: true, destination: true, startedOn: true },
  });
  const completedOf = async (kind: 'summer_internship' | 'career_planning_course') =>
    tx.empowermentParticipation.groupBy({
      by: ['studentId'],
      where: { status: 'completed', activity: { programmeId, kind }, ...(until ? { completedOn: { lte: until } } : {}) },
      _count: { _all: true },
    });
  const internships = new Map((await completedOf('summer_internship')).map((c) => [c.studentId, c._count._all]));
  const courses = new Map((await completedOf('career_planning_course')).map((c) => [c.studentId, c._count._all]));

  const enrolmentById = new Map(enrolments.map((e) => [e.id, e]));
  const destinationOf = new Map(destinations.map((d) => [d.studentId, d]));
  // Grants come oldest year first: the first seen is the cohort, the last the enrolment now.
  const students = new Map<string, { cohortYear: number; enrolmentId: string | null }>();
  for (const g of grants) {
    const enrolmentId = enrolmentOf.get(g.eligibilityId) ?? null;
    const seen = students.get(g.studentId);
    students.set(g.studentId, { cohortYear: seen?.cohortYear ?? g.academicYear, enrolmentId: enrolmentId ?? seen?.enrolmentId ?? null });
  }
  return [...students.entries()].map(([studentId, s]) => {
    const e = s.enrolmentId ? enrolmentById.get(s.enrolmentId) : undefined;
    const d = destinationOf.get(studentId);
    const effectiveOn = e ? toIsoDate(e.statusEffectiveOn) : '';
    // A graduation or withdrawal after the day asked about: on that day the student was still studying.
    const status = e && asOf !== null && effectiveOn > asOf ? 'enrolled' : e?.status;
    return {
      cohortYear: s.cohortYear,
      enrolment: e && status ? { status, statusEffectiveOn: effectiveOn, expectedGraduation: toIsoDate(e.expectedGraduation) } : null,
      destination: d ? { destination: d.destination, startedOn: toIsoDate(d.startedOn) } : null,
      internshipsCompleted: internships.get(studentId) ?? 0,
      coursesCompleted: courses.get(studentId) ?? 0,
    };
  });
}
