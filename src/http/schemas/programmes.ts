import { z } from '@hono/zod-openapi';
import { EnrolmentLevel } from '../../services/fields.ts';
import { ListFundingReceiptsInput, RecordFundingReceiptInput, ReverseFundingReceiptInput } from '../../services/funding-receipts.ts';
import { CreateOrganisationInput, ListOrganisationsInput, OrganisationKind } from '../../services/organisations.ts';
import { CreateProgrammeInput, InstalmentPlan, ListProgrammesInput, PayoutAccountInput, UpdateProgrammeSettingsInput } from '../../services/programmes.ts';
import { MoneyOut, Uuid, pageOf } from './common.ts';

export { EnrolmentLevel };
export { InstalmentPlan, OrganisationKind };

export const PayoutAccount = PayoutAccountInput.meta({
  id: 'PayoutAccount',
  example: { accountNumber: '105858000123456789', accountName: '青海省民政厅', bankName: '中国建设银行西宁城西支行', bankCode: '105851000123' },
});

export const CreateProgrammeBody = CreateProgrammeInput.extend({ payoutAccount: PayoutAccount.optional() }).meta({ id: 'CreateProgramme' });

export const ProgrammeQuery = ListProgrammesInput;

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
    payoutAccount: z
      .object({ accountNumber: z.string(), accountName: z.string(), bankName: z.string().nullable(), bankCode: z.string().nullable() })
      .nullable(),
    transitBusinessDays: z
      .number()
      .int()
      .meta({ description: 'Bank business days after the requested execution date before a payout in transit is overdue (1–30).' }),
    createdAt: z.string(),
  })
  .openapi('Programme');

export const ProgrammeSettingsBody = UpdateProgrammeSettingsInput.omit({ id: true }).meta({ id: 'ProgrammeSettings', example: { transitBusinessDays: 3 } });

export const ProgrammePage = pageOf(ProgrammeOut, 'ProgrammePage');

export const CreateOrganisationBody = CreateOrganisationInput.meta({ id: 'CreateOrganisation' });
export const OrganisationQuery = ListOrganisationsInput;
export const OrganisationOut = z
  .object({ id: Uuid, code: z.string(), name: z.string(), kind: OrganisationKind, createdAt: z.string() })
  .openapi('Organisation');
export const OrganisationPage = pageOf(OrganisationOut, 'OrganisationPage');

export const RecordFundingReceiptBody = RecordFundingReceiptInput.omit({ programmeId: true }).meta({ id: 'RecordFundingReceipt' });

export const ReverseBody = ReverseFundingReceiptInput.omit({ programmeId: true, receiptId: true }).meta({ id: 'Reversal' });

export const FundingReceiptQuery = ListFundingReceiptsInput.omit({ programmeId: true });

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
