// Finding students without ever putting a whole personal value in a URL: a name is matched
// exactly through its keyed hash; an identity number only by its masked form or its last four
// characters. Results are the caller's scope only, newest first, cursor-paginated.
import { ValidationError } from '../domain/errors.ts';
import type { EnrolmentStatus } from '../domain/enrolment-status.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { type ServiceContext, vaultOf } from './context.ts';
import { type Page, decodeCursor, pageOf } from './pagination.ts';
import { programmeScope, requirePermission, studentScope } from './scope.ts';
import { nameHash } from './student-pii.ts';
import { type StudentView, studentView } from './students.ts';

export interface SearchStudentsInput {
  cursor?: string;
  limit: number;
  /** The whole name, matched exactly (whitespace ignored). */
  name?: string;
  /** `630102********1234` (as shown by this service) or the last four characters, `1234` / `123X`. */
  identityNumber?: string;
  /** A region-code prefix: `63` (Qinghai), `6301` (Xining), `630102`. */
  regionCode?: string;
  /** Has an enrolment at this institution (with `status`, the same enrolment has that status). */
  institutionCode?: string;
  status?: EnrolmentStatus;
  /** Has an eligibility determination (of any status) in this programme. */
  programmeId?: string;
}

export const MASKED_IDENTITY_NUMBER = /^\d{6}\*{8}\d{3}[\dX]$/;
export const IDENTITY_LAST_FOUR = /^\d{3}[\dX]$/;
export const REGION_PREFIX = /^\d{2,6}$/;

function identityFilter(text: string): Prisma.StudentWhereInput {
  const value = text.trim().toUpperCase();
  if (MASKED_IDENTITY_NUMBER.test(value)) return { identityNumberMasked: value };
  if (IDENTITY_LAST_FOUR.test(value)) return { identityNumberMasked: { endsWith: value } };
  throw new ValidationError([
    { path: 'identityNumber', message: 'search by the masked number (630102********1234) or its last 4 characters; whole numbers do not belong in URLs' },
  ]);
}

export async function searchStudents({ ctx, input }: { ctx: ServiceContext; input: SearchStudentsInput }): Promise<Page<StudentView>> {
  requirePermission(ctx.actor, 'student.read');
  const after = decodeCursor(input.cursor, ['createdAt', 'id']);
  if (input.regionCode !== undefined && !REGION_PREFIX.test(input.regionCode)) {
    throw new ValidationError([{ path: 'regionCode', message: 'must be 2–6 digits of a region code' }]);
  }
  const filters: Prisma.StudentWhereInput[] = [studentScope(ctx.actor)];
  if (input.name !== undefined) filters.push({ nameHash: await nameHash(vaultOf(ctx), input.name) });
  if (input.identityNumber !== undefined) filters.push(identityFilter(input.identityNumber));
  if (input.regionCode !== undefined) filters.push({ regionCode: { startsWith: input.regionCode } });
  if (input.institutionCode !== undefined || input.status !== undefined) {
    filters.push({
      enrolments: {
        some: {
          ...(input.institutionCode !== undefined ? { institutionCode: input.institutionCode } : {}),
          ...(input.status !== undefined ? { status: input.status } : {}),
        },
      },
    });
  }
  // Only a programme the caller sees filters anything: else the answer would tell which of its
  // students also have a determination in a programme outside its scope.
  if (input.programmeId !== undefined) filters.push({ eligibility: { some: { programmeId: input.programmeId, programme: programmeScope(ctx.actor) } } });
  if (after) {
    const at = new Date(after.createdAt);
    if (Number.isNaN(at.getTime())) throw new ValidationError([{ path: 'cursor', message: 'not a cursor returned by this list' }]);
    filters.push({ OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: after.id } }] });
  }
  const rows = await ctx.db.student.findMany({
    where: { AND: filters },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
  });
  const page = pageOf(rows, input.limit, (r) => ({ createdAt: r.createdAt.toISOString(), id: r.id }));
  return { items: page.items.map(studentView), nextCursor: page.nextCursor };
}
