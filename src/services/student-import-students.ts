// The students of a committed import (its created and already-on-file rows), for the bulk step
// that follows it: read from the import's stored report, in the department that imported it; an
// import of another department answers not found.
import { z } from 'zod';
import { NotFoundError } from '../domain/errors.ts';
import type { UseCaseCall } from './context.ts';
import { Uuid } from './fields.ts';
import { requirePermission } from './scope.ts';
import type { ImportReport } from './student-import.ts';
import { parseInput } from './validation.ts';

export const ImportedStudentsInput = z.strictObject({ importId: Uuid });

export interface ImportedStudents {
  importId: string;
  importedAt: string;
  /** Masked, as the report holds them. */
  students: { studentId: string; row: number; name: string; identityNumber: string; outcome: 'create' | 'exists' }[];
}

export async function importedStudents({ ctx, input: raw }: UseCaseCall<z.input<typeof ImportedStudentsInput>>): Promise<ImportedStudents> {
  const input = parseInput(ImportedStudentsInput, raw);
  requirePermission(ctx.actor, 'student.read');
  const row = await ctx.db.studentImport.findFirst({ where: { id: input.importId, departmentId: ctx.actor.organisationId } });
  if (!row) throw new NotFoundError('student_import');
  const report = row.report as unknown as ImportReport;
  return {
    importId: row.id,
    importedAt: row.importedAt.toISOString(),
    students: report.rows.flatMap((r) =>
      r.studentId && r.outcome !== 'error' ? [{ studentId: r.studentId, row: r.row, name: r.name, identityNumber: r.identityNumber, outcome: r.outcome }] : [],
    ),
  };
}
