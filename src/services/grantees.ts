// A programme's grantees: the students it granted (an approved grant, or one approved and since
// ended). Only they take part in its empowerment track, and only their destinations are recorded.
import { RuleViolationError } from '../domain/errors.ts';
import type { Prisma } from '#prisma';
import type { ServiceContext, Tx } from './context.ts';
import { studentScope } from './scope.ts';

/** Grants that make a student one of the programme's: approved, or approved and since ended. */
export const GRANTED = { in: ['approved' as const, 'ended' as const] };

/** Refuses (422 student_not_granted, on studentId) a student the programme never granted. */
export async function requireGrantee(tx: Tx, studentId: string, programmeId: string): Promise<void> {
  const granted = await tx.grant.findFirst({ where: { studentId, programmeId, status: GRANTED }, select: { id: true } });
  if (granted) return;
  const programme = await tx.programme.findUniqueOrThrow({ where: { id: programmeId }, select: { code: true } });
  throw new RuleViolationError('student_not_granted', { field: 'studentId', programme: programme.code });
}

export interface MaskedGrantee {
  id: string;
  name: string;
  identityNumber: string;
}

/** The programme's grantees the actor sees that also meet `where`, masked, for a form to offer (500 at most). */
export async function maskedGrantees(ctx: ServiceContext, programmeId: string, where: Prisma.StudentWhereInput): Promise<MaskedGrantee[]> {
  const rows = await ctx.db.student.findMany({
    where: { AND: [studentScope(ctx.actor), { grants: { some: { programmeId, status: GRANTED } } }, where] },
    select: { id: true, nameMasked: true, identityNumberMasked: true },
    orderBy: [{ identityNumberMasked: 'asc' }, { id: 'asc' }],
    take: 500,
  });
  return rows.map((r) => ({ id: r.id, name: r.nameMasked, identityNumber: r.identityNumberMasked }));
}
