// The enrolment a list of students shows beside each student: the latest admission of each, with
// its status, for the students the actor may see (ids of others are ignored, not refused, so that
// a list never tells a hidden student from a missing one). One query for a whole page of students.
import { z } from 'zod';
import type { EnrolmentLevel, EnrolmentStatus } from '#prisma/enums';
import type { UseCaseCall } from './context.ts';
import { Uuid } from './fields.ts';
import { MAX_PAGE_SIZE } from './pagination.ts';
import { requirePermission, studentScope } from './scope.ts';
import { parseInput } from './validation.ts';

export const CurrentEnrolmentsInput = z.strictObject({ studentIds: z.array(Uuid).max(MAX_PAGE_SIZE) });
export type CurrentEnrolmentsInput = z.input<typeof CurrentEnrolmentsInput>;

export interface CurrentEnrolment {
  studentId: string;
  institutionName: string;
  institutionCode: string;
  level: EnrolmentLevel;
  status: EnrolmentStatus;
}

/** By student id: the enrolment with the latest admission (the latest recorded when two share a day). */
export async function currentEnrolments({ ctx, input: raw }: UseCaseCall<CurrentEnrolmentsInput>): Promise<Record<string, CurrentEnrolment>> {
  const input = parseInput(CurrentEnrolmentsInput, raw);
  requirePermission(ctx.actor, 'student.read');
  if (input.studentIds.length === 0) return {};
  const rows = await ctx.db.enrolment.findMany({
    where: { studentId: { in: input.studentIds }, student: studentScope(ctx.actor) },
    orderBy: [{ admissionDate: 'desc' }, { createdAt: 'desc' }, { id: 'desc' }],
    select: { studentId: true, institutionName: true, institutionCode: true, level: true, status: true },
  });
  const current: Record<string, CurrentEnrolment> = {};
  for (const row of rows) current[row.studentId] ??= row;
  return current;
}
