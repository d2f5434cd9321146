// Eligibility determinations and grants are both proposals decided by another user, listed the same
// way: in the actor's programmes, newest proposal first, filtered by programme, student and academic
// year, a page after a (proposedAt, id) cursor. One place for what the two lists share, so that a
// change of scope or paging reaches both.
import type { Actor } from './context.ts';
import { academicYearField } from './fields.ts';
import { afterProposedAt } from './pagination.ts';
import { programmeScope } from './scope.ts';

export interface ProposalFilters {
  programmeId?: string | undefined;
  studentId?: string | undefined;
  academicYear?: string | undefined;
  cursor?: string | undefined;
}

/** The conditions every list of proposals applies; each list adds its own (status, cohort…). */
export function proposalConditions(actor: Actor, input: ProposalFilters) {
  const year = input.academicYear === undefined ? null : academicYearField(input.academicYear);
  return [
    { programme: programmeScope(actor) },
    input.programmeId ? { programmeId: input.programmeId } : {},
    input.studentId ? { studentId: input.studentId } : {},
    year ? { academicYear: year.startYear } : {},
    afterProposedAt(input.cursor),
  ];
}

/** Newest proposal first; the id breaks ties so that pages never overlap. */
export const NEWEST_PROPOSALS_FIRST = [{ proposedAt: 'desc' as const }, { id: 'desc' as const }];
