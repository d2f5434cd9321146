// Finding students without ever putting a whole personal value in a URL: a name is matched
// exactly through its keyed hash; an identity number only by its masked form or its last four
// characters. Results are the caller's scope only, newest first, cursor-paginated.
import { ValidationError } from '../domain/errors.ts';
import { z } from 'zod';
import type { Prisma } from '#prisma';
import { type UseCaseCall, vaultOf } from './context.ts';
import { type Page, mapPage, newestFirst } from './pagination.ts';
import { programmeScope, requirePermission, studentScope } from './scope.ts';
import { EnrolmentStatus, PageInput, Uuid } from './fields.ts';
import { nameHash } from './student-pii.ts';
import { parseInput } from './validation.ts';
import { type StudentView, studentView } from './students.ts';

export const SearchStudentsInput = PageInput.extend({
  name: z.string().trim().min(1).max(50).optional().meta({ description: 'Whole name, exact match (through a keyed hash)', example: '韩梅梅' }),
  identityNumber: z
    .string()
    .regex(/^(\d{6}\*{8}\d{3}[\dXx]|\d{3}[\dXx])$/, 'must be the masked number (630102********1234) or its last 4 characters')
    .optional()
    .meta({ description: 'Masked number or last four characters; whole numbers are not accepted in URLs', example: '1249' }),
  regionCode: z
    .string()
    .regex(/^\d{2,6}$/, 'must be 2–6 digits of a region code')
    .optional()
    .meta({ description: 'Prefix: 63 Qinghai, 6301 Xining', example: '6301' }),
  institutionCode: z.string().max(64).optional().meta({ example: '4163010743' }),
  status: EnrolmentStatus.optional().meta({ description: 'Has an enrolment with this status (at institutionCode when both are given)' }),
  programmeId: Uuid.optional().meta({ description: 'Has an eligibility determination in this programme' }),
});
export type SearchStudentsInput = z.input<typeof SearchStudentsInput>;

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

export async function searchStudents({ ctx, input: raw }: UseCaseCall<SearchStudentsInput>): Promise<Page<StudentView>> {
  const input = parseInput(SearchStudentsInput, raw);
  requirePermission(ctx.actor, 'student.read');
  const keyset = newestFirst('createdAt', 'moment', input);
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
  filters.push(keyset.after);
  const rows = await ctx.db.student.findMany({ where: { AND: filters }, ...keyset.order });
  return mapPage(keyset.page(rows), studentView);
}
