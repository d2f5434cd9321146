// Correcting a student's name: a name recorded wrongly (a typing error, a character changed on a
// new identity card, or a name from before names were checked that no bank file can carry) keeps
// the student from being paid, and the bank compares it with the account's 户名. The caseworker
// corrects it with the reason; the audit trail keeps the masked names before and after, never the
// names themselves. Payouts already made keep the name they were sent with (their snapshot).
import { z } from 'zod';
import { PersonName, Reason, Uuid } from './fields.ts';
import { parseInput } from './validation.ts';
import { ConflictError } from '../domain/errors.ts';
import { recordAudit } from './audit.ts';
import { type UseCaseCall, inTransaction, vaultOf } from './context.ts';
import { protectName } from './student-pii.ts';
import { type StudentView, studentFor, studentView } from './students.ts';

export const CorrectStudentNameInput = z.strictObject({
  studentId: Uuid,
  name: PersonName.meta({ description: 'The name as on the identity card' }),
  reason: Reason.meta({ description: 'Why, and on what evidence (e.g. the identity card seen)' }),
});
export type CorrectStudentNameInput = z.input<typeof CorrectStudentNameInput>;

export async function correctStudentName({ ctx, input: raw }: UseCaseCall<CorrectStudentNameInput>): Promise<StudentView> {
  const input = parseInput(CorrectStudentNameInput, raw);
  const vault = vaultOf(ctx);
  const name = await protectName(vault, input.name);
  return inTransaction(ctx, async (tx) => {
    const row = await studentFor(tx, ctx, input.studentId, 'student.update');
    const current = await vault.open('name', row.nameSealed);
    // The same name again changes nothing: no write, no audit event.
    if (current === input.name.trim()) return studentView(row);
    // Sealed values differ on every seal (random nonce), so the old one pins the row we read.
    const { count } = await tx.student.updateMany({
      where: { id: row.id, nameSealed: row.nameSealed },
      data: { nameHash: name.hash, nameSealed: name.sealed, nameMasked: name.masked },
    });
    if (count !== 1) throw new ConflictError('concurrent_change');
    await recordAudit(tx, ctx, {
      action: 'student.correct_name',
      recordType: 'student',
      recordId: row.id,
      before: { name: row.nameMasked },
      after: { name: name.masked, reason: input.reason },
    });
    return studentView(await tx.student.findUniqueOrThrow({ where: { id: row.id } }));
  });
}
