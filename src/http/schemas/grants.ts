import { ExportGrantRegisterInput } from '../../services/grant-register-files.ts';
import { z } from '@hono/zod-openapi';
import { SetProgrammeBandsInput } from '../../services/bands.ts';
import { GrantCsvInput, GrantSummaryInput } from '../../services/grant-views.ts';
import { ApproveGrantInput, GrantStatus, ListGrantsInput, ProposeGrantInput, RejectGrantInput } from '../../services/grants.ts';
import { MoneyOut, Uuid, pageOf } from './common.ts';
import { ProgrammeRef, StudentRef } from './references.ts';
import { EnrolmentLevel } from './programmes.ts';

export const InstalmentStatus = z.enum(['scheduled', 'held', 'sent', 'paid', 'cancelled']).openapi({
  description: 'scheduled · held (enrolment suspended) · sent (in a payout batch) · paid (settled) · cancelled (returned to the fund)',
});

export { GrantStatus };

export const ProposeGrantBody = ProposeGrantInput.meta({
  id: 'ProposeGrant',
  example: {
    studentId: '6a1d6f0e-3c1b-4f0e-9a57-1b2c3d4e5f60',
    programmeId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    academicYear: '2026-2027',
    amount: '4000.00',
  },
});

export const ApproveGrantBody = ApproveGrantInput.omit({ id: true }).meta({ id: 'ApproveGrant', example: { reason: '金额在标准范围内，同意' } });

export const RejectGrantBody = RejectGrantInput.omit({ id: true }).meta({ id: 'RejectGrant', example: { reason: '金额与家庭情况不符，请按4000元重新申报' } });

export const GrantQuery = ListGrantsInput;

export const InstalmentOut = z
  .object({
    sequence: z.number().int().openapi({ example: 1 }),
    dueOn: z.string().openapi({ format: 'date', example: '2026-11-26' }),
    amount: MoneyOut,
    status: InstalmentStatus,
    catchUp: z.boolean().openapi({ description: 'Also carries plan instalments already due when the grant was approved (late approval)' }),
    statusReason: z.string().nullable().openapi({ description: 'Why it is held or was cancelled (or last scheduled again after a suspension)' }),
    statusEffectiveOn: z.string().nullable().openapi({ format: 'date', description: 'From when that status applies' }),
  })
  .openapi('Instalment');

export const GrantOut = z
  .object({
    id: Uuid,
    student: StudentRef,
    programme: ProgrammeRef,
    academicYear: z.string().openapi({ example: '2026-2027' }),
    level: EnrolmentLevel,
    amount: MoneyOut,
    currency: z.literal('CNY'),
    status: GrantStatus,
    eligibilityId: Uuid,
    proposedById: Uuid,
    proposedAt: z.string(),
    decision: z.object({ decidedById: Uuid, decidedAt: z.string(), reason: z.string().nullable() }).nullable(),
    approvedOn: z.string().nullable().openapi({ format: 'date', description: 'Beijing date of approval: the ledger’s event date and the instalment split' }),
    ledgerTransaction: z
      .object({ id: Uuid, seq: z.string(), hash: z.string() })
      .nullable()
      .openapi({ description: 'Dr fund / Cr payable:<grant id>, posted on approval' }),
    ending: z
      .object({ endedOn: z.string().openapi({ format: 'date' }), reason: z.string(), ledgerTransactionId: Uuid.nullable() })
      .nullable()
      .openapi({
        description:
          'Set when the grant ended: effective date, reason, and the Dr payable / Cr fund transaction that returned the unpaid remainder (null when nothing was left)',
      }),
    instalments: z.array(InstalmentOut),
  })
  .openapi('Grant', {
    example: {
      id: '3b241101-e2bb-4255-8caf-4136c566a962',
      student: { id: '6a1d6f0e-3c1b-4f0e-9a57-1b2c3d4e5f60', nameMasked: '才***', identityNumberMasked: '630102********1234' },
      programme: { id: '0f8fad5b-d9cb-469f-a165-70867728950e', code: 'QH-QINGSHAN-2024', name: '青山陪伴·事实无人抚养儿童助学工程' },
      academicYear: '2026-2027',
      level: 'undergraduate',
      amount: '4000.00',
      currency: 'CNY',
      status: 'approved',
      eligibilityId: 'c56a4180-65aa-42ec-a945-5fd21dec0538',
      proposedById: '1c9b3f0e-8a4d-4f7e-b1a2-3c4d5e6f7a80',
      proposedAt: '2026-11-20T02:15:00.000Z',
      decision: { decidedById: '7d444840-9dc0-11d1-b245-5ffdce74fad2', decidedAt: '2026-11-26T06:40:00.000Z', reason: '金额在标准范围内，同意' },
      approvedOn: '2026-11-26',
      ledgerTransaction: { id: '9b2e0c44-0f8a-4c8e-9d43-7a1e5b6c7d80', seq: '42', hash: 'a3f1c9e0b7d24e5f8a6b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f' },
      ending: null,
      instalments: [
        { sequence: 1, dueOn: '2026-11-26', amount: '2000.00', status: 'scheduled', catchUp: true, statusReason: null, statusEffectiveOn: null },
        { sequence: 2, dueOn: '2027-03-01', amount: '2000.00', status: 'scheduled', catchUp: false, statusReason: null, statusEffectiveOn: null },
      ],
    },
  });

export const GrantPage = pageOf(GrantOut, 'GrantPage');

export const SetBandsBody = SetProgrammeBandsInput.omit({ programmeId: true, academicYear: true }).meta({
  id: 'SetProgrammeBands',
  example: {
    bands: [
      { level: 'higher_vocational', minAmount: '3000.00', maxAmount: '4000.00' },
      { level: 'junior_college', minAmount: '3000.00', maxAmount: '4500.00' },
      { level: 'undergraduate', minAmount: '3500.00', maxAmount: '5000.00' },
    ],
  },
});

export const ProgrammeYearBandsOut = z
  .object({
    programmeId: Uuid,
    academicYear: z.string().openapi({ example: '2027-2028' }),
    replaced: z.boolean().openapi({ description: 'The year had bands, now replaced; false when it had none' }),
    bands: z.array(z.object({ level: EnrolmentLevel, minAmount: MoneyOut, maxAmount: MoneyOut })),
  })
  .openapi('ProgrammeYearBands');

// ─── views ────────────────────────────────────────────────────────────────────

const FiguresShape = {
  studentsFunded: z.number().int().openapi({ description: 'Distinct students with an approved or ended grant' }),
  grants: z.number().int(),
  committed: MoneyOut.openapi({ description: 'Sum of approved and ended grants' }),
  paid: MoneyOut.openapi({ description: 'Instalments paid' }),
  cancelled: MoneyOut.openapi({ description: 'Instalments cancelled (returned to the fund)' }),
  remaining: MoneyOut.openapi({ description: 'committed − paid − cancelled: scheduled, held and sent instalments' }),
};

const YearSummaryOut = z
  .object({
    academicYear: z.string().nullable().openapi({ description: 'null for the cumulative figures', example: '2026-2027' }),
    ...FiguresShape,
    byLevel: z.array(z.object({ level: EnrolmentLevel, ...FiguresShape })),
    byRegion: z.array(
      z.object({
        regionCode: z
          .string()
          .openapi({ description: 'Prefecture of the registered region (a province code where no county table exists)', example: '630100' }),
        regionName: z.string().openapi({ example: '青海省西宁市' }),
        ...FiguresShape,
      }),
    ),
  })
  .openapi('GrantYearSummary');

export const GrantSummaryOut = z
  .object({
    programme: z.object({ id: Uuid, code: z.string(), name: z.string() }),
    academicYear: z.string().nullable().openapi({ description: 'The year asked for; null when all years are summarised' }),
    uncommittedFund: MoneyOut.openapi({ description: 'The programme’s ledger `fund` balance now (not per year)' }),
    currency: z.literal('CNY'),
    years: z.array(YearSummaryOut),
    cumulative: YearSummaryOut,
  })
  .openapi('GrantSummary');

export const GrantSummaryQuery = GrantSummaryInput.omit({ programmeId: true });

export const GrantCsvQuery = GrantCsvInput.omit({ programmeId: true });
export const GrantXlsxQuery = ExportGrantRegisterInput.omit({ programmeId: true, format: true, encoding: true });

export const StudentGrantsOut = z
  .object({
    student: z.object({ id: Uuid, nameMasked: z.string(), identityNumberMasked: z.string() }),
    grants: z.array(GrantOut),
  })
  .openapi('StudentGrantHistory');
