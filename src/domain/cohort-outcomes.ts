// What became of a programme's students, per cohort (the academic year of a student's first grant
// in the programme): graduated on time or late, still studying, withdrawn; and of the graduates,
// who was employed or in further study within six months of graduating, as the coordinator
// recorded it. Beside them, the internships and courses the cohort completed. Counts only, so the
// foundation can read and publish them without anyone's personal data.
import { monthsAfter } from './empowerment.ts';
import type { EnrolmentStatus } from './enrolment-status.ts';

/** How long after graduation a job or further study still counts as the graduation's outcome. */
export const DESTINATION_WINDOW_MONTHS = 6;

export interface StudentOutcomeFacts {
  /** Start year of the academic year of the student's first grant in the programme. */
  cohortYear: number;
  /** The enrolment the student's latest grant rests on; null when none is known. */
  enrolment: { status: EnrolmentStatus; statusEffectiveOn: string; expectedGraduation: string } | null;
  destination: { destination: 'employed' | 'further_study' | 'other'; startedOn: string } | null;
  internshipsCompleted: number;
  coursesCompleted: number;
}

export interface CohortOutcome {
  cohortYear: number;
  students: number;
  graduatedOnTime: number;
  graduatedLate: number;
  stillStudying: number;
  withdrawn: number;
  /** Graduates employed, or in further study, with a start on or before six months after graduating. */
  employedWithinSixMonths: number;
  furtherStudyWithinSixMonths: number;
  /** Graduates whose destination is other (待业、参军…), not recorded, or began later than six months after. */
  otherOrUnknown: number;
  internshipsCompleted: number;
  coursesCompleted: number;
}

/** A cohort of no students yet: every count zero. */
export function emptyCohortOutcome(cohortYear: number): CohortOutcome {
  return {
    cohortYear,
    students: 0,
    graduatedOnTime: 0,
    graduatedLate: 0,
    stillStudying: 0,
    withdrawn: 0,
    employedWithinSixMonths: 0,
    furtherStudyWithinSixMonths: 0,
    otherOrUnknown: 0,
    internshipsCompleted: 0,
    coursesCompleted: 0,
  };
}

/** Graduated on time: the graduation took effect on or before the expected graduation date. */
export function graduatedOnTime(enrolment: NonNullable<StudentOutcomeFacts['enrolment']>): boolean {
  return enrolment.status === 'graduated' && enrolment.statusEffectiveOn <= enrolment.expectedGraduation;
}

/** The destination counts when it started no later than six months after graduation (a job signed before graduating counts too). */
export function destinationWithinWindow(graduatedOn: string, startedOn: string): boolean {
  return startedOn <= monthsAfter(graduatedOn, DESTINATION_WINDOW_MONTHS);
}

/** One row per cohort, oldest first. */
export function cohortOutcomes(students: readonly StudentOutcomeFacts[]): CohortOutcome[] {
  const byYear = new Map<number, CohortOutcome>();
  for (const s of students) {
    const row = byYear.get(s.cohortYear) ?? emptyCohortOutcome(s.cohortYear);
    byYear.set(s.cohortYear, row);
    row.students++;
    row.internshipsCompleted += s.internshipsCompleted;
    row.coursesCompleted += s.coursesCompleted;
    const e = s.enrolment;
    if (e === null || e.status === 'enrolled' || e.status === 'suspended') {
      row.stillStudying++;
      continue;
    }
    if (e.status === 'withdrawn') {
      row.withdrawn++;
      continue;
    }
    if (graduatedOnTime(e)) row.graduatedOnTime++;
    else row.graduatedLate++;
    const d = s.destination;
    if (d && d.destination !== 'other' && destinationWithinWindow(e.statusEffectiveOn, d.startedOn)) {
      if (d.destination === 'employed') row.employedWithinSixMonths++;
      else row.furtherStudyWithinSixMonths++;
    } else {
      row.otherOrUnknown++;
    }
  }
  return [...byYear.values()].sort((a, b) => a.cohortYear - b.cohortYear);
}
