// Where a programme's graduate went — employed (with the employer's sector, never a salary), further
// study, or other — with the day it began, and where the coordinator (项目专员) learned it (source
// and date). One per graduate and programme; the cohort outcomes count those within six months.
//
// Refused (nothing written): a student the programme never granted (422 student_not_granted), one
// who has not graduated (422 not_graduated), a sector for a destination other than employment (400
// sector), a source date after today (422 date_in_future), a second destination (409).
import { z } from 'zod';
import { dateFromIso, toIsoDate, todayInChina } from '../domain/dates.ts';
import { ConflictError, RuleViolationError } from '../domain/errors.ts';
import { recordAudit } from './audit.ts';
import { type UseCaseCall, inTransaction } from './context.ts';
import { IsoDate, Uuid, text } from './fields.ts';
import { type MaskedGrantee, maskedGrantees, requireGrantee } from './grantees.ts';
import { EmployerSectorField } from './participations.ts';
import { findProgrammeInScope } from './programmes.ts';
import { requirePermission } from './scope.ts';
import { findStudentInScope, lockStudent } from './students.ts';
import { checkFields, parseInput } from './validation.ts';

export const RecordGraduateDestinationInput = z.strictObject({
  programmeId: Uuid,
  studentId: Uuid,
  destination: z.enum(['employed', 'further_study', 'other']).meta({ description: 'employed 就业 · further_study 升学 · other 其他' }),
  sector: EmployerSectorField.nullable().optional(),
  startedOn: IsoDate.meta({ example: '2025-08-15', description: 'The first day of work or of the further study' }),
  source: text(200, '学校就业信息网 / 用人单位录用通知'),
  sourceDate: IsoDate.meta({ example: '2025-09-01', description: 'When the source said so; not after today' }),
});
export type RecordGraduateDestinationInput = z.input<typeof RecordGraduateDestinationInput>;

export interface GraduateDestinationView {
  id: string;
  programmeId: string;
  studentId: string;
  destination: 'employed' | 'further_study' | 'other';
  sector: z.output<typeof EmployerSectorField> | null;
  startedOn: string;
  source: string;
  sourceDate: string;
  recordedById: string;
  createdAt: string;
}

export async function recordGraduateDestination({ ctx, input: raw }: UseCaseCall<RecordGraduateDestinationInput>): Promise<GraduateDestinationView> {
  const input = parseInput(RecordGraduateDestinationInput, raw);
  return inTransaction(ctx, async (tx) => {
    const programme = await findProgrammeInScope(tx, ctx, input.programmeId);
    requirePermission(ctx.actor, 'graduate_destination.record');
    const student = await findStudentInScope(tx, ctx, input.studentId);
    checkFields((problems) => {
      if (input.sector != null && input.destination !== 'employed') {
        problems.push({ path: 'sector', message: 'sector_only_employed: 只有就业的毕业生才填写单位类别 (only an employed graduate has a sector)' });
      }
    });
    await requireGrantee(tx, student.id, programme.id);
    const graduated = await tx.enrolment.findFirst({ where: { studentId: student.id, status: 'graduated' }, select: { id: true } });
    if (!graduated) throw new RuleViolationError('not_graduated', { field: 'studentId' });
    if (input.sourceDate > todayInChina()) throw new RuleViolationError('date_in_future', { field: 'sourceDate' });

    await lockStudent(tx, student.id);
    const same = await tx.graduateDestination.findFirst({ where: { programmeId: programme.id, studentId: student.id }, select: { id: true } });
    if (same) throw new ConflictError('duplicate_graduate_destination', { existingId: same.id });
    const row = await tx.graduateDestination.create({
      data: {
        id: crypto.randomUUID(),
        programmeId: programme.id,
        studentId: student.id,
        destination: input.destination,
        sector: input.sector ?? null,
        startedOn: dateFromIso(input.startedOn),
        source: input.source,
        sourceDate: dateFromIso(input.sourceDate),
        recordedById: ctx.actor.userId,
      },
    });
    const view: GraduateDestinationView = {
      id: row.id,
      programmeId: row.programmeId,
      studentId: row.studentId,
      destination: row.destination,
      sector: row.sector,
      startedOn: toIsoDate(row.startedOn),
      source: row.source,
      sourceDate: toIsoDate(row.sourceDate),
      recordedById: row.recordedById,
      createdAt: row.createdAt.toISOString(),
    };
    await recordAudit(tx, ctx, { action: 'graduate_destination.record', recordType: 'graduate_destination', recordId: row.id, after: view });
    return view;
  });
}

export const GraduatesAwaitingInput = z.strictObject({ programmeId: Uuid });

/**
 * The programme's graduates (granted by it, an enrolment ended in graduation) whose destination is
 * not recorded yet, masked, for the coordinator's form to offer.
 */
export async function listGraduatesAwaitingDestination({ ctx, input: raw }: UseCaseCall<z.input<typeof GraduatesAwaitingInput>>): Promise<{
  programme: { id: string; name: string };
  graduates: MaskedGrantee[];
}> {
  const input = parseInput(GraduatesAwaitingInput, raw);
  requirePermission(ctx.actor, 'graduate_destination.record');
  const programme = await findProgrammeInScope(ctx.db, ctx, input.programmeId);
  const graduates = await maskedGrantees(ctx, programme.id, {
    enrolments: { some: { status: 'graduated' } },
    graduateDestinations: { none: { programmeId: programme.id } },
  });
  return { programme: { id: programme.id, name: programme.name }, graduates };
}
