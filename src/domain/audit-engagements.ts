// Audit engagements: an audit body sees every programme, or the programmes listed, between two
// China dates (both inclusive). Pure rules: which engagements cover a day, what several current
// engagements add up to, and whether a new engagement is well formed.
import type { FieldProblem } from './errors.ts';
import type { IsoDate } from './calendar-date.ts';

export const ENGAGEMENT_SCOPES = ['all', 'programmes'] as const;
export type EngagementScope = (typeof ENGAGEMENT_SCOPES)[number];

/** What an auditor sees today. `programmes` with no ids is an auditor without a current engagement: nothing. */
export type Coverage = { kind: 'all' } | { kind: 'programmes'; programmeIds: string[] };

export const NO_COVERAGE: Coverage = Object.freeze({ kind: 'programmes', programmeIds: [] as string[] }) as Coverage;

export interface EngagementTerms {
  scope: EngagementScope;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
  /** Ended by an admin: covers nothing from that moment, whatever its dates say. */
  ended: boolean;
  programmeIds: string[];
}

/** True when `today` lies in [startsOn, endsOn] (ISO dates compare as strings; an open end never ends). */
export function coversDay(terms: Pick<EngagementTerms, 'startsOn' | 'endsOn'>, today: IsoDate): boolean {
  return terms.startsOn <= today && (terms.endsOn === null || today <= terms.endsOn);
}

/** Whether an engagement is in force on `today`: within its dates and not ended. */
export function isCurrent(terms: EngagementTerms, today: IsoDate): boolean {
  return !terms.ended && coversDay(terms, today);
}

/** The union of the engagements current on `today`: one `all` is enough; else every listed programme, once. */
export function coverageOn(engagements: EngagementTerms[], today: IsoDate): Coverage {
  const current = engagements.filter((e) => isCurrent(e, today));
  if (current.some((e) => e.scope === 'all')) return { kind: 'all' };
  const ids = [...new Set(current.flatMap((e) => e.programmeIds))].sort();
  return { kind: 'programmes', programmeIds: ids };
}

/** Problems with a new engagement's terms, field by field (empty when it is well formed). */
export function engagementProblems(terms: EngagementTerms): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (terms.endsOn !== null && terms.endsOn < terms.startsOn) problems.push({ path: 'endsOn', message: 'ends before it starts' });
  if (terms.scope === 'programmes' && terms.programmeIds.length === 0) {
    problems.push({ path: 'programmeIds', message: 'an engagement on listed programmes needs at least one programme' });
  }
  if (terms.scope === 'all' && terms.programmeIds.length > 0) {
    problems.push({ path: 'programmeIds', message: 'an engagement on all programmes lists none' });
  }
  if (new Set(terms.programmeIds).size !== terms.programmeIds.length) problems.push({ path: 'programmeIds', message: 'a programme is listed twice' });
  return problems;
}
