// The facts an eligibility determination is evaluated on, read from the database and shaped for the
// pure rules in src/domain/eligibility.ts. Used at proposal and again at decision time, with the same
// choices, so that both evaluations see the facts the same way.
//
// Choices (each one is a policy reading; change it here and both evaluations follow):
// - Recognition: the latest RECORDED one (created_at, then id). Recognitions are never edited; a
//   correction or a later adoption is recorded as a new row, so the newest row is the current view.
//   None on record: the rules run with `recognition: null` and `recognised_before_18` fails.
// - Enrolment, when the student has several: those whose period of study overlaps the academic year
//   first; among them the ones active (enrolled or suspended) on the status date below; then the
//   latest admission; then the latest recorded. With no enrolment overlapping the year, the latest
//   admitted one is evaluated, so that `enrolment_covers_year` fails and says why. No enrolment at
//   all: nothing can be evaluated and the proposal is refused (422 `no_enrolment`).
// - Status date: the status in effect today (Beijing date), or on the year's last day when the year
//   is already over. Before any recorded status an enrolment counts as enrolled (it starts that way).
//   Graduation or withdrawal later in the year is handled by revocation (and, later, by cancelling
//   unpaid instalments), not by looking into the future.
// - Funded levels: the levels the programme has a band for in that academic year.
import { academicYearEnd, academicYearStart, type AcademicYear } from '../domain/academic-year.ts';
import { toIsoDate } from '../domain/dates.ts';
import type { EligibilityInput, EnrolmentLevel, EnrolmentStatus } from '../domain/eligibility.ts';
import { RuleViolationError } from '../domain/errors.ts';
import type { ParentSituation } from '../domain/recognition.ts';
import type { ParentSituation as ParentSituationKind } from '#prisma/enums';
import type { Tx } from './context.ts';

export interface EligibilityFacts {
  input: EligibilityInput;
  enrolmentId: string;
  recognitionId: string | null;
}

interface StatusEntry {
  status: EnrolmentStatus;
  effectiveOn: string;
}

interface EnrolmentCandidate {
  id: string;
  level: EnrolmentLevel;
  admissionDate: Date;
  expectedGraduation: Date;
  status: EnrolmentStatus;
  statusEffectiveOn: Date;
  createdAt: Date;
  events: { status: EnrolmentStatus; effectiveOn: Date; recordedAt: Date; id: string }[];
  verifications: { verifiedOn: Date }[];
}

/** The day whose status counts: today, or the year's last day for a year already over. */
export function statusDate(year: AcademicYear, today: string): string {
  const end = academicYearEnd(year);
  return today < end ? today : end;
}

/** The enrolment's status on `date`, from its history (events, then the current status row). */
export function statusOn(enrolment: Pick<EnrolmentCandidate, 'events' | 'status' | 'statusEffectiveOn'>, date: string): EnrolmentStatus {
  const history: StatusEntry[] = [...enrolment.events]
    .sort((a, b) => a.effectiveOn.getTime() - b.effectiveOn.getTime() || a.recordedAt.getTime() - b.recordedAt.getTime() || a.id.localeCompare(b.id))
    .map((e) => ({ status: e.status, effectiveOn: toIsoDate(e.effectiveOn) }));
  // The current status row is the latest fact even if its event is missing; on the same date it wins.
  history.push({ status: enrolment.status, effectiveOn: toIsoDate(enrolment.statusEffectiveOn) });
  history.sort((a, b) => (a.effectiveOn < b.effectiveOn ? -1 : a.effectiveOn > b.effectiveOn ? 1 : 0));
  let status: EnrolmentStatus = 'enrolled';
  for (const entry of history) if (entry.effectiveOn <= date) status = entry.status;
  return status;
}

/** Picks the enrolment to evaluate (see the file comment); undefined only when there is none. */
export function chooseEnrolment<E extends EnrolmentCandidate>(enrolments: E[], year: AcademicYear, today: string): E | undefined {
  const start = academicYearStart(year);
  const end = academicYearEnd(year);
  const on = statusDate(year, today);
  const rank = (e: E) => {
    const overlaps = toIsoDate(e.admissionDate) <= end && toIsoDate(e.expectedGraduation) > start;
    const status = statusOn(e, on);
    const active = status === 'enrolled' || status === 'suspended';
    return [overlaps ? 1 : 0, active ? 1 : 0, e.admissionDate.getTime(), e.createdAt.getTime()] as const;
  };
  const ranked = enrolments.map((e) => ({ e, r: rank(e) }));
  ranked.sort((a, b) => {
    for (let i = 0; i < a.r.length; i++) {
      const d = (b.r[i] as number) - (a.r[i] as number);
      if (d !== 0) return d;
    }
    return b.e.id.localeCompare(a.e.id);
  });
  return ranked[0]?.e;
}

function parent(kind: ParentSituationKind, grade: number | null, months: number | null): ParentSituation {
  switch (kind) {
    case 'severe_disability':
      // A missing grade reaches the rule as NaN, which it reports as invalid rather than guessing.
      return { kind, disabilityGrade: grade ?? Number.NaN };
    case 'lost_contact':
      return { kind, monthsWithoutContact: months ?? Number.NaN };
    default:
      return { kind } as ParentSituation;
  }
}

export async function loadEligibilityFacts(
  db: Tx,
  args: { student: { id: string; birthDate: Date }; programmeId: string; year: AcademicYear; today: string },
): Promise<EligibilityFacts> {
  const [recognition, enrolments, bands] = await Promise.all([
    db.recognition.findFirst({ where: { studentId: args.student.id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    db.enrolment.findMany({
      where: { studentId: args.student.id },
      include: { events: true, verifications: { select: { verifiedOn: true } } },
    }),
    db.programmeBand.findMany({ where: { programmeId: args.programmeId, academicYear: args.year.startYear }, select: { level: true } }),
  ]);
  const enrolment = chooseEnrolment(enrolments, args.year, args.today);
  if (!enrolment) {
    throw new RuleViolationError('no_enrolment', { field: 'studentId' });
  }
  return {
    enrolmentId: enrolment.id,
    recognitionId: recognition?.id ?? null,
    input: {
      academicYear: args.year,
      student: { birthDate: toIsoDate(args.student.birthDate) },
      recognition: recognition
        ? {
            recognitionDate: toIsoDate(recognition.recognisedOn),
            adopted: recognition.adopted,
            father: parent(recognition.fatherSituation, recognition.fatherDisabilityGrade, recognition.fatherLostContactMonths),
            mother: parent(recognition.motherSituation, recognition.motherDisabilityGrade, recognition.motherLostContactMonths),
          }
        : null,
      enrolment: {
        level: enrolment.level,
        status: statusOn(enrolment, statusDate(args.year, args.today)),
        admissionDate: toIsoDate(enrolment.admissionDate),
        expectedGraduationDate: toIsoDate(enrolment.expectedGraduation),
        verifications: enrolment.verifications.map((v) => ({ verifiedOn: toIsoDate(v.verifiedOn) })),
      },
      programme: { fundedLevels: bands.map((b) => b.level) },
    },
  };
}
