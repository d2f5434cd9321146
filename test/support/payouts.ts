// Factories for the payout tests: a programme with a payout account, money in its fund, and
// approved grants whose first instalment is due today (late approval merges the autumn instalment
// into a catch-up due on the approval date).
import type { PrismaClient } from '#prisma';
import { todayInChina } from '../../src/domain/dates.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { approveGrant } from '../../src/services/grants.ts';
import { exportBatchFile } from '../../src/services/payouts/bank-files.ts';
import { type SendPayoutBatchInput, sendPayoutBatch } from '../../src/services/payouts/batches.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { makeProgramme, type World } from './fixtures.ts';
import { fundProgramme, makeProposedGrant } from './grants.ts';

export const PROGRAMME_ACCOUNT = '105858000123456789';

export async function makePayoutProgramme(world: World, fund = '100000.00'): Promise<ProgrammeView> {
  const programme = await makeProgramme(world, {
    payoutAccount: { accountNumber: PROGRAMME_ACCOUNT, accountName: '青海省民政厅', bankName: '中国建设银行西宁城西支行', bankCode: '105851000123' },
  });
  await fundProgramme(world, programme.id, fund);
  return programme;
}

export async function makeApprovedGrants(db: PrismaClient, world: World, programmeId: string, amounts: string[]) {
  const made = [];
  for (const amount of amounts) {
    const proposed = await makeProposedGrant(db, world, programmeId, amount);
    const grant = await approveGrant({ ctx: world.users.approver.ctx, input: { id: proposed.grant.id } });
    made.push({ ...proposed, grant });
  }
  return made;
}

export const TODAY = () => todayInChina();

/** The batch's pain.001 exported, as finance downloads it before handing it to the bank. */
export async function exportBankFile(ctx: ServiceContext, batchId: string): Promise<void> {
  await exportBatchFile({ ctx, input: { batchId, format: 'pain001' } });
}

/** As finance sends a batch: its bank file exported first, then the batch marked sent. */
export async function exportAndSendBatch(ctx: ServiceContext, batchId: string, input: Omit<SendPayoutBatchInput, 'batchId'> = {}) {
  await exportBankFile(ctx, batchId);
  return sendPayoutBatch({ ctx, input: { ...input, batchId } });
}
