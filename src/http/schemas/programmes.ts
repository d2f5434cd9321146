import { z } from '@hono/zod-openapi';
import { EnrolmentLevel } from '../../services/fields.ts';
import { AcademicYear, Code, IsoDate, MoneyOut, Name, PositiveMoney, Uuid, pageOf } from './common.ts';

export { EnrolmentLevel };
export const InstalmentPlan = z.enum(['annual', 'semesters', 'quarterly', 'monthly']);
export const OrganisationKind = z.enum(['civil_affairs', 'foundation', 'audit', 'platform']);

export const Band = z.strictObject({
  academicYear: AcademicYear,
  level: EnrolmentLevel,
  minAmount: PositiveMoney,
  maxAmount: PositiveMoney,
});

/** The programme's own account that payouts leave from: not personal data, shown whole. */
export const PayoutAccount = z
  .strictObject({
    accountNumber: z.string().regex(/^[0-9A-Za-z-]{6,34}$/, 'must be 6-34 digits or letters (hyphens allowed), no spaces'),
    accountName: Name,
    bankName: Name,
    bankCode: z.string().regex(/^\d{12}$/, 'must be the 12-digit CNAPS bank code (联行号)').optional(),
  })
  .openapi('PayoutAccount', { example: { accountNumber: '105858000123456789', accountName: '青海省民政厅', bankName: '中国建设银行西宁城西支行', bankCode: '105851000123' } });

export const CreateProgrammeBody = z
  .strictObject({
    code: Code,
    name: Name,
    funderId: Uuid,
    administratorId: Uuid,
    firstAcademicYear: AcademicYear,
    lastAcademicYear: AcademicYear,
    instalmentPlan: InstalmentPlan,
    budget: PositiveMoney,
    bands: z.array(Band).min(1, 'at least one band is needed').max(500),
    payoutAccount: PayoutAccount.optional(),
  })
  .openapi('CreateProgramme');

const OrgRef = z.object({ id: Uuid, name: z.string() });

export const ProgrammeOut = z
  .object({
    id: Uuid,
    code: z.string(),
    name: z.string(),
    funder: OrgRef,
    administrator: OrgRef,
    firstAcademicYear: z.string(),
    lastAcademicYear: z.string(),
    instalmentPlan: InstalmentPlan,
    budget: MoneyOut,
    currency: z.literal('CNY'),
    bands: z.array(z.object({ academicYear: z.string(), level: EnrolmentLevel, minAmount: MoneyOut, maxAmount: MoneyOut })),
    balances: z.object({ bank: MoneyOut, fund: MoneyOut, payable: MoneyOut, inTransit: MoneyOut }),
    payoutAccount: z.object({ accountNumber: z.string(), accountName: z.string(), bankName: z.string().nullable(), bankCode: z.string().nullable() }).nullable(),
    createdAt: z.string(),
  })
  .openapi('Programme');

export const ProgrammePage = pageOf(ProgrammeOut, 'ProgrammePage');

export const CreateOrganisationBody = z.strictObject({ code: Code, name: Name, kind: OrganisationKind }).openapi('CreateOrganisation');
export const OrganisationOut = z
  .object({ id: Uuid, code: z.string(), name: z.string(), kind: OrganisationKind, createdAt: z.string() })
  .openapi('Organisation');
export const OrganisationPage = pageOf(OrganisationOut, 'OrganisationPage');

export const RecordFundingReceiptBody = z
  .strictObject({
    remitterId: Uuid.meta({ description: 'The foundation that sent the money: the programme’s funder' }),
    amount: PositiveMoney,
    receivedOn: IsoDate.meta({ description: 'Value date on the bank statement (Beijing date)' }),
    bankReference: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
    note: z.string().max(500).optional(),
  })
  .openapi('RecordFundingReceipt');

export const ReverseBody = z
  .strictObject({
    reason: z.string().trim().min(5, 'state the reason (at least 5 characters)').max(500),
    eventDate: IsoDate.optional(),
  })
  .openapi('Reversal');

const LedgerLink = z.object({ id: Uuid, seq: z.string(), hash: z.string() });

export const FundingReceiptOut = z
  .object({
    id: Uuid,
    programmeId: Uuid,
    remitter: OrgRef,
    amount: MoneyOut,
    currency: z.literal('CNY'),
    receivedOn: z.string(),
    bankReference: z.string(),
    note: z.string().nullable(),
    status: z.enum(['recorded', 'reversed']),
    ledgerTransaction: LedgerLink,
    reversal: LedgerLink.extend({ reason: z.string(), eventDate: z.string() }).nullable(),
    recordedById: Uuid,
    createdAt: z.string(),
  })
  .openapi('FundingReceipt');
export const FundingReceiptPage = pageOf(FundingReceiptOut, 'FundingReceiptPage');
