// The bulk step on the wire: the body is the use case's own schema; the answer lists every student.
import { z } from '@hono/zod-openapi';
import { BulkStepInput } from '../../services/bulk-step.ts';
import { Uuid } from './common.ts';
import { EnrolmentLevel } from './programmes.ts';

export const BulkStepBody = BulkStepInput.meta({
  id: 'BulkStep',
  example: {
    studentIds: ['6a1d6f0e-3c1b-4f0e-9a57-1b2c3d4e5f60'],
    programmeId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    academicYear: '2026-2027',
    verification: { verifiedOn: '2026-09-15', source: '学信网 CHSI', reference: 'CHSI-2026-ABCD1234' },
    amounts: { undergraduate: '4000.00', junior_college: '3500.00' },
  },
});

const Step = z.enum(['recorded', 'proposed', 'already', 'already_approved', 'awaiting_approval', 'no_amount']).nullable().openapi({
  description:
    'recorded / proposed: written now · already: done before (not written again) · already_approved: eligibility approved before · awaiting_approval: the grant waits for the eligibility to be approved; run the step again then · no_amount: no amount was given for the student’s level · null: the student was refused',
});

export const BulkStepOut = z
  .object({
    programmeId: Uuid,
    academicYear: z.string().openapi({ example: '2026-2027' }),
    counts: z.object({ students: z.number().int(), written: z.number().int(), unchanged: z.number().int(), refused: z.number().int() }),
    students: z.array(
      z.object({
        studentId: Uuid,
        name: z.string().nullable().openapi({ example: '韩**', description: 'Masked; null for an id naming no student the caller may see' }),
        identityNumber: z.string().nullable().openapi({ example: '630102********1249' }),
        level: EnrolmentLevel.nullable(),
        outcome: z.enum(['written', 'unchanged', 'refused']),
        verification: Step,
        eligibility: Step,
        grant: Step,
        grantAmount: z.string().nullable().openapi({ example: '4000.00' }),
        reasons: z.array(z.object({ code: z.string().openapi({ example: 'not_adopted' }), message_zh: z.string() })),
      }),
    ),
  })
  .openapi('BulkStepResult');
