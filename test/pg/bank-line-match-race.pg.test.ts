// Hand matches of bank lines under concurrency, on a real PostgreSQL server (PGlite runs one
// transaction at a time and hides races). For each of 50 payouts in transit, 20 clients at once
// propose matching one of two lines of the payout's amount to it — exactly one proposal stands —
// then 20 other users at once confirm that proposal: exactly one confirmation applies, the payout
// settles once, and the ledger verifies and balances. Then, 10 times, a confirmation races imports
// of the bank's answer naming the same payout: whichever comes first settles it, the others are
// refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, RuleViolationError } from '../../src/domain/errors.ts';
import { ZERO, formatMoney, money } from '../../src/domain/money.ts';
import { programmeBalances } from '../../src/ledger/balances.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import type { BankLineMatchView } from '../../src/services/payouts/bank-line-match-views.ts';
import { confirmBankLineMatch, proposeBankLineMatch } from '../../src/services/payouts/bank-line-matches.ts';
import { importBankResults } from '../../src/services/payouts/bank-results.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { type AnsweredPayout, camt054Text, chunksOf } from '../support/bank-answers.ts';
import { TEST_TODAY } from '../support/business-clock.ts';
import { makeUser, type TestUser } from '../support/fixtures.ts';
import { PROGRAMME_ACCOUNT, exportAndSendBatch, makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';
import { fulfilled, race, rejected } from './support/concurrency.ts';

const CLIENTS = 20;
const TRIES = 50;
/** Payouts for the second race: a confirmation against imports of the bank's answer naming the payout. */
const AGAINST_IMPORTS = 10;
/** Different amounts inside the 3,000–5,000 band, one per payout. */
const AMOUNTS = Array.from({ length: TRIES + AGAINST_IMPORTS }, (_, i) => formatMoney(money(3000).plus(money(i * 31))));

describe.skipIf(!process.env.TEST_DATABASE_URL)('hand matches of bank lines under concurrency (PostgreSQL)', () => {
  const t = usePgTestDatabase(CLIENTS + 4);
  let programme: ProgrammeView;
  let payouts: { id: string; amount: string }[];
  let importId: string;
  let references: string[];
  /** Finance users of the department (the makers, and checkers of each other's proposals) and an approver. */
  let users: TestUser[];

  beforeAll(async () => {
    programme = await makePayoutProgramme(t.world, '300000.00');
    await makeApprovedGrants(t.db.prisma, t.world, programme.id, AMOUNTS);
    const batch = await createPayoutBatch({ ctx: t.world.users.finance.ctx, input: { programmeId: programme.id, cutoffOn: TEST_TODAY } });
    await exportAndSendBatch(t.world.users.finance.ctx, batch.id);
    const rows = await t.db.prisma.payout.findMany({ where: { batchId: batch.id }, orderBy: { sequence: 'asc' } });
    payouts = rows.map((p) => ({ id: p.id, amount: p.amount.toFixed(2) }));
    expect(new Set(payouts.map((p) => p.amount)).size).toBe(TRIES + AGAINST_IMPORTS);
    references = rows.map((p) => p.reference);
    // Two debits without a reference for each payout's amount: lines 2i+1 and 2i+2.
    const lines: AnsweredPayout[] = payouts.flatMap((p) => [0, 1].map(() => ({ reference: 'NOTPROVIDED', amount: p.amount, kind: 'debit' as const })));
    const text = await camt054Text({ messageId: 'HAND-MATCH-RACE', account: PROGRAMME_ACCOUNT }, lines);
    const imported = await importBankResults({
      ctx: t.world.users.finance.ctx,
      input: { programmeId: programme.id, content: chunksOf(text), acceptExceptions: true },
    });
    importId = imported.import.id;
    users = [t.world.users.finance];
    for (let i = 1; i < CLIENTS; i++) users.push(await makeUser(t.db.prisma, t.world.department, 'finance'));
    users.push(t.world.users.approver);
  }, 600_000);

  it(`${CLIENTS} proposals, then ${CLIENTS} confirmations, racing for each of ${TRIES} payouts: exactly one of each, the payout settled once`, {
    timeout: 600_000,
  }, async () => {
    const inTransitBefore = (await programmeBalances(t.db.prisma, [programme.id])).get(programme.id)!.inTransit;
    for (let i = 0; i < TRIES; i++) {
      const payout = payouts[i]!;
      const proposals = await race(CLIENTS, (c) =>
        proposeBankLineMatch({
          ctx: users[c]!.ctx,
          input: { importId, position: 2 * i + 1 + (c % 2), payoutId: payout.id, reason: `并发提出的手工匹配 ${c}` },
        }),
      );
      const standing = fulfilled(proposals);
      expect(standing).toHaveLength(1);
      expect(rejected(proposals).every((e) => e instanceof ConflictError)).toBe(true);
      const proposal = standing[0] as BankLineMatchView;

      const checkers = users.filter((u) => u.actor.userId !== proposal.proposedById).slice(0, CLIENTS);
      const confirmations = await race(checkers.length, (c) => confirmBankLineMatch({ ctx: checkers[c]!.ctx, input: { matchId: proposal.id } }));
      expect(fulfilled(confirmations)).toHaveLength(1);
      const refusals = rejected(confirmations);
      expect(refusals.every((e) => e instanceof ConflictError && e.code === 'hand_match_already_decided')).toBe(true);
    }

    const raced = payouts.slice(0, TRIES);
    const settled = await t.db.prisma.payout.findMany({
      where: { id: { in: raced.map((p) => p.id) } },
      select: { status: true, settledTransactionId: true },
    });
    expect(settled.every((p) => p.status === 'settled' && p.settledTransactionId !== null)).toBe(true);
    const postings = await t.db.prisma.ledgerTransaction.groupBy({
      by: ['sourceId'],
      where: { kind: 'payout_settled', sourceId: { in: raced.map((p) => p.id) } },
      _count: { _all: true },
    });
    expect(postings.map((p) => p._count._all)).toEqual(Array(TRIES).fill(1));
    expect(await t.db.prisma.bankLineMatch.count({ where: { programmeId: programme.id, status: 'confirmed' } })).toBe(TRIES);
    expect(await t.db.prisma.bankResultLine.count({ where: { importId, outcome: 'matched_by_hand' } })).toBe(TRIES);
    const total = raced.reduce((sum, p) => sum.plus(money(p.amount)), ZERO);
    const balances = (await programmeBalances(t.db.prisma, [programme.id])).get(programme.id)!;
    expect(formatMoney(inTransitBefore.minus(balances.inTransit))).toBe(formatMoney(total));
    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
  });

  it(`a confirmation racing ${CLIENTS / 2} imports of answers naming the same payout, ${AGAINST_IMPORTS} times: the payout settles once, by one of them`, {
    timeout: 600_000,
  }, async () => {
    for (let i = TRIES; i < TRIES + AGAINST_IMPORTS; i++) {
      const payout = payouts[i]!;
      const proposal = await proposeBankLineMatch({
        ctx: users[0]!.ctx,
        input: { importId, position: 2 * i + 1, payoutId: payout.id, reason: '与导入回单并发的手工匹配' },
      });
      const outcomes = await race(CLIENTS, async (c) => {
        if (c % 2 === 0) return confirmBankLineMatch({ ctx: users[1 + (c % (users.length - 1))]!.ctx, input: { matchId: proposal.id } });
        // Each a different file with its own bank reference: after the payout settled, its debit is a second one (refused).
        const text = await camt054Text({ messageId: `HAND-MATCH-VS-IMPORT-${i}-${c}`, account: PROGRAMME_ACCOUNT }, [
          { reference: references[i]!, amount: payout.amount, kind: 'debit', bankReference: `BKRACE${i}X${c}` },
        ]);
        return importBankResults({ ctx: users[c]!.ctx, input: { programmeId: programme.id, content: chunksOf(text) } });
      });
      expect(fulfilled(outcomes)).toHaveLength(1);
      // The others: a confirmation finds it decided or the payout settled (409); an import finds its debit a second one (422).
      const codes = new Set(rejected(outcomes).map((e) => (e instanceof ConflictError || e instanceof RuleViolationError ? e.code : String(e))));
      expect([...codes].filter((c) => !['hand_match_already_decided', 'hand_match_stale', 'bank_file_exceptions'].includes(c))).toEqual([]);
      expect(await t.db.prisma.ledgerTransaction.count({ where: { kind: 'payout_settled', sourceId: payout.id } })).toBe(1);
      expect((await t.db.prisma.payout.findUniqueOrThrow({ where: { id: payout.id } })).status).toBe('settled');
    }
    const balances = (await programmeBalances(t.db.prisma, [programme.id])).get(programme.id)!;
    expect(formatMoney(balances.inTransit)).toBe('0.00');
    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
  });
});
