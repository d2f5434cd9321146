// The empowerment track (青山陪伴赋能工程) beside the grants: its kinds of activity, how a student's
// participation moves, which outcome belongs to which kind, and what one person-time (人次) is.
// The published "80 多人次" is counted by personTimes() below and nowhere else.
import { academicYearContaining, formatAcademicYear } from './academic-year.ts';
import { daysInMonth, formatIsoDate, parseIsoDate } from './calendar-date.ts';

export const EMPOWERMENT_KINDS = ['public_benefit_marketing', 'career_planning_course', 'summer_internship', 'employment_assistance', 'other'] as const;
export type EmpowermentKind = (typeof EMPOWERMENT_KINDS)[number];

export const EMPOWERMENT_KIND_LABELS: Readonly<Record<EmpowermentKind, { zh: string; en: string }>> = Object.freeze({
  public_benefit_marketing: { zh: '公益营销活动', en: 'public-benefit marketing event' },
  career_planning_course: { zh: '职业规划课程', en: 'career-planning course' },
  summer_internship: { zh: '暑假实习', en: 'summer internship' },
  employment_assistance: { zh: '就业援助', en: 'employment assistance' },
  other: { zh: '其他', en: 'other' },
});

export const PARTICIPATION_STATUSES = ['registered', 'attended', 'completed', 'withdrawn'] as const;
export type ParticipationStatus = (typeof PARTICIPATION_STATUSES)[number];

export const PARTICIPATION_STATUS_LABELS: Readonly<Record<ParticipationStatus, { zh: string; en: string }>> = Object.freeze({
  registered: { zh: '已报名', en: 'registered' },
  attended: { zh: '已参加', en: 'attended' },
  completed: { zh: '已完成', en: 'completed' },
  withdrawn: { zh: '已退出', en: 'withdrawn' },
});

export const EMPLOYER_SECTORS = [
  'government',
  'public_institution',
  'state_enterprise',
  'private_enterprise',
  'social_organisation',
  'self_employed',
  'other',
] as const;
export type EmployerSector = (typeof EMPLOYER_SECTORS)[number];

export const EMPLOYER_SECTOR_LABELS: Readonly<Record<EmployerSector, string>> = Object.freeze({
  government: '机关',
  public_institution: '事业单位',
  state_enterprise: '国有企业',
  private_enterprise: '民营企业',
  social_organisation: '社会组织',
  self_employed: '自主创业',
  other: '其他',
});

/** From each status, where it may go: attendance may be followed by completion; completion and withdrawal are final. */
const NEXT: Readonly<Record<ParticipationStatus, readonly ParticipationStatus[]>> = Object.freeze({
  registered: ['attended', 'completed', 'withdrawn'],
  attended: ['completed', 'withdrawn'],
  completed: [],
  withdrawn: [],
});

export function mayChangeParticipation(from: ParticipationStatus, to: ParticipationStatus): boolean {
  return NEXT[from].includes(to);
}

/**
 * 人次 (person-times) of the empowerment track: one participation that was attended or completed
 * is one person-time. A registration alone, or a withdrawal, is none: the student took no part.
 */
export function countsAsPersonTime(status: ParticipationStatus): boolean {
  return status === 'attended' || status === 'completed';
}

/** Person-times of participations, or of groups of them counted by status (`count` each, default 1). */
export function personTimes(participations: readonly { status: ParticipationStatus; count?: number }[]): number {
  return participations.reduce((sum, p) => sum + (countsAsPersonTime(p.status) ? (p.count ?? 1) : 0), 0);
}

/** The outcome a participation may carry; which parts are allowed depends on the activity's kind. */
export interface ParticipationOutcome {
  internshipHost?: string | null | undefined;
  internshipWeeks?: number | null | undefined;
  employmentSector?: EmployerSector | null | undefined;
  employmentStartOn?: string | null | undefined;
}

const OUTCOME_FIELDS_OF: Readonly<Record<EmpowermentKind, readonly (keyof ParticipationOutcome)[]>> = Object.freeze({
  public_benefit_marketing: [],
  // A course's outcome is its completion: the status `completed` says it.
  career_planning_course: [],
  summer_internship: ['internshipHost', 'internshipWeeks'],
  employment_assistance: ['employmentSector', 'employmentStartOn'],
  other: [],
});

/** The outcome fields given that the kind of activity does not have (an internship host on a course…), in a stable order. */
export function outcomeFieldsNotFitting(kind: EmpowermentKind, outcome: ParticipationOutcome): (keyof ParticipationOutcome)[] {
  const allowed = OUTCOME_FIELDS_OF[kind];
  return (['internshipHost', 'internshipWeeks', 'employmentSector', 'employmentStartOn'] as const).filter(
    (field) => outcome[field] !== undefined && outcome[field] !== null && !allowed.includes(field),
  );
}

/** Whether a date (ISO) lies on or between an activity's first and last day. */
export function withinActivity(date: string, activity: { startsOn: string; endsOn: string }): boolean {
  return date >= activity.startsOn && date <= activity.endsOn;
}

/** The day `months` calendar months after `date` (the month's last day when it is shorter: 31 Aug + 6 → 28/29 Feb). */
export function monthsAfter(date: string, months: number): string {
  const parts = parseIsoDate(date);
  if (!parts) throw new Error(`not an ISO date: ${date}`);
  const index = parts.year * 12 + (parts.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return formatIsoDate({ year, month, day: Math.min(parts.day, daysInMonth(year, month)) });
}

/** Participations of one activity's kind, first day and status, counted (as the database groups them). */
export interface ParticipationTally {
  kind: EmpowermentKind;
  /** The activity's first day: its academic year is the year the person-times count in. */
  startsOn: string;
  status: ParticipationStatus;
  count: number;
}

export type PersonTimesByKind = Record<EmpowermentKind, number> & { total: number };

export interface EmpowermentPersonTimes {
  /** Oldest first; only years with an activity. */
  years: { academicYear: string; personTimes: PersonTimesByKind }[];
  cumulative: PersonTimesByKind;
}

/** The academic year ('2024-2025') a date falls in; a summer activity counts in the year it closes. */
function academicYearLabelOf(date: string): string {
  const year = academicYearContaining(date);
  if (!year) throw new Error(`not an ISO date: ${date}`);
  return formatAcademicYear(year);
}

function noPersonTimes(): PersonTimesByKind {
  return { public_benefit_marketing: 0, career_planning_course: 0, summer_internship: 0, employment_assistance: 0, other: 0, total: 0 };
}

/** Person-times by academic year (of the activity's first day) and kind, and over all years. */
export function personTimesByYearAndKind(tallies: readonly ParticipationTally[]): EmpowermentPersonTimes {
  const years = new Map<string, PersonTimesByKind>();
  const cumulative = noPersonTimes();
  for (const t of tallies) {
    const year = academicYearLabelOf(t.startsOn);
    const row = years.get(year) ?? noPersonTimes();
    years.set(year, row);
    const n = personTimes([t]);
    row[t.kind] += n;
    row.total += n;
    cumulative[t.kind] += n;
    cumulative.total += n;
  }
  return {
    years: [...years.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([academicYear, personTimes]) => ({ academicYear, personTimes })),
    cumulative,
  };
}
