// A programme with two payouts in transit (the first instalments of grants of 4,000.00 and
// 5,000.00) and an import of the bank's answer whose lines name neither by reference: the
// exceptions a person matches by hand. Shared by the service, API, page and browser tests.
import type { PrismaClient } from '#prisma';
import type { BankResultImportView } from '../../src/services/payouts/bank-result-views.ts';
import { importBankResults } from '../../src/services/payouts/bank-results.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { type AnsweredPayout, camt054Text, chunksOf } from './bank-answers.ts';
import type { World } from './fixtures.ts';
import { PROGRAMME_ACCOUNT, TODAY, exportAndSendBatch, makeApprovedGrants, makePayoutProgramme } from './payouts.ts';

let files = 0;

export interface HandMatchWorld {
  programme: ProgrammeView;
  /** Both sent, in sequence order (the students' order): first instalments of 2,000.00 and 2,500.00, in either order. */
  payouts: { id: string; reference: string; amount: string }[];
}

/** Two payouts sent to the bank, nothing heard back yet. */
export async function makeSentPayouts(db: PrismaClient, world: World): Promise<HandMatchWorld> {
  const programme = await makePayoutProgramme(world);
  await makeApprovedGrants(db, world, programme.id, ['4000.00', '5000.00']);
  const batch = await createPayoutBatch({ ctx: world.users.finance.ctx, input: { programmeId: programme.id, cutoffOn: TODAY() } });
  await exportAndSendBatch(world.users.finance.ctx, batch.id);
  const rows = await db.payout.findMany({ where: { batchId: batch.id }, orderBy: { sequence: 'asc' } });
  return { programme, payouts: rows.map((p) => ({ id: p.id, reference: p.reference, amount: p.amount.toFixed(2) })) };
}

/**
 * An import of the bank's answer, its exceptions kept: by default a debit without a reference for
 * each payout's amount (lines 1, 2) and a debit naming a reference no payout has (line 3).
 */
export async function importExceptions(world: World, hm: HandMatchWorld, lines?: AnsweredPayout[]): Promise<BankResultImportView> {
  const answered: AnsweredPayout[] = lines ?? [
    { reference: 'NOTPROVIDED', amount: hm.payouts[0]!.amount, kind: 'debit', bookingDate: TODAY() },
    { reference: 'NOTPROVIDED', amount: hm.payouts[1]!.amount, kind: 'debit', bookingDate: TODAY() },
    { reference: 'PB20990101-99999-000001', amount: hm.payouts[0]!.amount, kind: 'debit', bookingDate: TODAY() },
  ];
  const text = await camt054Text({ messageId: `HM-${process.pid}-${++files}-${Date.now()}`, account: PROGRAMME_ACCOUNT }, answered);
  const result = await importBankResults({
    ctx: world.users.finance.ctx,
    input: { programmeId: hm.programme.id, content: chunksOf(text), acceptExceptions: true },
  });
  return result.import;
}

/**
 * A line of the programme's account without a reference, kept as an exception, and a hand match
 * of it to `payout` proposed by finance and waiting for a checker (written straight to the table:
 * the walks that use it need the record, not the proposal's rules).
 */
export async function makeWaitingHandMatch(db: PrismaClient, world: World, programmeId: string, payout: { id: string; amount: string }) {
  const unmatched = await importBankResults({
    ctx: world.users.finance.ctx,
    input: {
      programmeId,
      content: chunksOf(
        await camt054Text({ messageId: `WAITING-${++files}-${crypto.randomUUID().slice(0, 8)}`, account: PROGRAMME_ACCOUNT }, [
          { reference: 'NOTPROVIDED', amount: payout.amount, kind: 'debit' },
        ]),
      ),
      acceptExceptions: true,
    },
  });
  return db.bankLineMatch.create({
    data: {
      id: crypto.randomUUID(),
      programmeId,
      importId: unmatched.import.id,
      position: 1,
      payoutId: payout.id,
      kind: 'debit',
      reason: '待另一名人员确认的手工匹配',
      proposedById: world.users.finance.actor.userId,
    },
  });
}
