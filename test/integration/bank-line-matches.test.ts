// Matching a line of the bank's answer to its payout by hand, with maker-checker
// (src/services/payouts/bank-line-matches.ts), on the embedded database: one finance user proposes,
// another (or an approver) confirms, and the payout then settles through the same writing as an
// imported line; every rule refuses what it must, and the database holds the rules on its own.
import { beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '../../src/domain/errors.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { programmeBalances } from '../../src/ledger/balances.ts';
import { listBankLineMatches } from '../../src/services/payouts/bank-line-match-views.ts';
import { confirmBankLineMatch, proposeBankLineMatch, rejectBankLineMatch } from '../../src/services/payouts/bank-line-matches.ts';
import { importBankResults } from '../../src/services/payouts/bank-results.ts';
import { camt054Text, chunksOf } from '../support/bank-answers.ts';
import { importExceptions, makeSentPayouts } from '../support/bank-line-matches.ts';
import { makeOrganisation, makeUser, type TestUser } from '../support/fixtures.ts';
import { PROGRAMME_ACCOUNT, TODAY, makeApprovedGrants } from '../support/payouts.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let checker: TestUser;
let outsider: TestUser;

beforeAll(async () => {
  checker = await makeUser(t.db.prisma, t.world.department, 'finance');
  outsider = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs'), 'finance');
});

const reason = '银行流水未带参考号，经与开户行核对为该笔发放';
const refusedWith = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

async function scene() {
  const hm = await makeSentPayouts(t.db.prisma, t.world);
  const imported = await importExceptions(t.world, hm);
  return { ...hm, imported };
}

describe('a hand match, proposed and confirmed', () => {
  it('settles the payout through the bank-answer path: ledger posted, line matched_by_hand, each step audited', async () => {
    const s = await scene();
    const proposed = await proposeBankLineMatch({
      ctx: t.world.users.finance.ctx,
      input: { importId: s.imported.id, position: 1, payoutId: s.payouts[0]!.id, reason },
    });
    expect(proposed).toMatchObject({
      status: 'proposed',
      position: 1,
      payout: { reference: s.payouts[0]!.reference, status: 'sent' },
      line: { reference: null },
    });
    expect((await listBankLineMatches({ ctx: checker.ctx, input: { programmeId: s.programme.id } })).items.map((m) => m.id)).toEqual([proposed.id]);

    const confirmed = await confirmBankLineMatch({ ctx: checker.ctx, input: { matchId: proposed.id } });
    expect(confirmed).toMatchObject({
      status: 'confirmed',
      confirmedById: checker.actor.userId,
      payout: { status: 'settled' },
      line: { outcome: 'matched_by_hand' },
    });

    const payout = await t.db.prisma.payout.findUniqueOrThrow({ where: { id: s.payouts[0]!.id } });
    expect(payout.status).toBe('settled');
    expect(payout.settledTransactionId).not.toBeNull();
    const instalment = await t.db.prisma.instalment.findUniqueOrThrow({ where: { id: payout.instalmentId } });
    expect(instalment.status).toBe('paid');
    const line = await t.db.prisma.bankResultLine.findUniqueOrThrow({ where: { importId_position: { importId: s.imported.id, position: 1 } } });
    expect(line).toMatchObject({ outcome: 'matched_by_hand', payoutId: payout.id });
    const posted = await t.db.prisma.ledgerTransaction.findUniqueOrThrow({ where: { id: payout.settledTransactionId! } });
    expect(posted).toMatchObject({ kind: 'payout_settled', sourceId: payout.id, actorId: checker.actor.userId });
    const balances = (await programmeBalances(t.db.prisma, [s.programme.id])).get(s.programme.id)!;
    expect(balances.inTransit.toFixed(2)).toBe(s.payouts[1]!.amount);
    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);

    const events = await t.db.prisma.auditEvent.findMany({ where: { recordType: 'bank_line_match', recordId: proposed.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.action, e.actorId])).toEqual([
      ['bank_line_match.propose', t.world.users.finance.actor.userId],
      ['bank_line_match.confirm', checker.actor.userId],
    ]);
    expect(JSON.stringify(events.map((e) => e.after))).toContain(reason);
    expect((await listBankLineMatches({ ctx: checker.ctx, input: { programmeId: s.programme.id } })).items).toEqual([]);
  });

  it('an approver of the department may confirm; the payout may be named by its reference', async () => {
    const s = await scene();
    const proposed = await proposeBankLineMatch({
      ctx: t.world.users.finance.ctx,
      input: { importId: s.imported.id, position: 2, payoutReference: s.payouts[1]!.reference, reason },
    });
    const confirmed = await confirmBankLineMatch({ ctx: t.world.users.approver.ctx, input: { matchId: proposed.id } });
    expect(confirmed.payout).toMatchObject({ id: s.payouts[1]!.id, status: 'settled' });
  });

  it('a return line matched to a settled payout returns it (Dr bank / Cr payable), the instalment payable again', async () => {
    const s = await scene();
    const p = await proposeBankLineMatch({
      ctx: t.world.users.finance.ctx,
      input: { importId: s.imported.id, position: 1, payoutId: s.payouts[0]!.id, reason },
    });
    await confirmBankLineMatch({ ctx: checker.ctx, input: { matchId: p.id } });
    const back = await importExceptions(t.world, s, [
      { reference: 'NOTPROVIDED', amount: s.payouts[0]!.amount, kind: 'return', bookingDate: TODAY(), reason: 'AC04' },
    ]);
    const r = await proposeBankLineMatch({ ctx: t.world.users.finance.ctx, input: { importId: back.id, position: 1, payoutId: s.payouts[0]!.id, reason } });
    await confirmBankLineMatch({ ctx: checker.ctx, input: { matchId: r.id } });
    const payout = await t.db.prisma.payout.findUniqueOrThrow({ where: { id: s.payouts[0]!.id } });
    expect(payout.status).toBe('returned');
    // The return keeps the bank's reason, not the import's explanation of why the line was an exception.
    expect(payout.outcomeReason).toBe('AC04: 账户已销户');
    const line = await t.db.prisma.bankResultLine.findUniqueOrThrow({ where: { importId_position: { importId: back.id, position: 1 } } });
    expect(line).toMatchObject({ outcome: 'matched_by_hand', reason: 'AC04: 账户已销户', explanation: expect.stringContaining('no payout reference') });
    expect((await t.db.prisma.instalment.findUniqueOrThrow({ where: { id: payout.instalmentId } })).status).toBe('scheduled');
    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
  });
});

describe('what is refused', () => {
  it('a role that may not propose or confirm (403), and the confirmation by the proposer (422 maker_checker)', async () => {
    const s = await scene();
    const input = { importId: s.imported.id, position: 1, payoutId: s.payouts[0]!.id, reason };
    for (const role of ['caseworker', 'approver', 'auditor', 'admin'] as const) {
      expect(await refusedWith(proposeBankLineMatch({ ctx: t.world.users[role].ctx, input }))).toBeInstanceOf(ForbiddenError);
    }
    const p = await proposeBankLineMatch({ ctx: t.world.users.finance.ctx, input });
    expect(await refusedWith(confirmBankLineMatch({ ctx: t.world.users.caseworker.ctx, input: { matchId: p.id } }))).toBeInstanceOf(ForbiddenError);
    expect(await refusedWith(confirmBankLineMatch({ ctx: t.world.users.auditor.ctx, input: { matchId: p.id } }))).toBeInstanceOf(ForbiddenError);
    const same = await refusedWith(confirmBankLineMatch({ ctx: t.world.users.finance.ctx, input: { matchId: p.id } }));
    expect(same).toBeInstanceOf(RuleViolationError);
    expect(same).toMatchObject({ code: 'maker_checker' });
    expect((await t.db.prisma.payout.findUniqueOrThrow({ where: { id: s.payouts[0]!.id } })).status).toBe('sent');
  });

  it('another department’s finance user sees neither the import nor the proposal (404)', async () => {
    const s = await scene();
    const input = { importId: s.imported.id, position: 1, payoutId: s.payouts[0]!.id, reason };
    expect(await refusedWith(proposeBankLineMatch({ ctx: outsider.ctx, input }))).toBeInstanceOf(NotFoundError);
    const p = await proposeBankLineMatch({ ctx: t.world.users.finance.ctx, input });
    expect(await refusedWith(confirmBankLineMatch({ ctx: outsider.ctx, input: { matchId: p.id } }))).toBeInstanceOf(NotFoundError);
    expect(await refusedWith(rejectBankLineMatch({ ctx: outsider.ctx, input: { matchId: p.id, reason } }))).toBeInstanceOf(NotFoundError);
    expect(await refusedWith(listBankLineMatches({ ctx: outsider.ctx, input: { programmeId: s.programme.id } }))).toBeInstanceOf(NotFoundError);
  });

  it('a payout of another programme is not found (404 naming payoutId)', async () => {
    const s = await scene();
    const other = await makeSentPayouts(t.db.prisma, t.world);
    const refused = await refusedWith(
      proposeBankLineMatch({ ctx: t.world.users.finance.ctx, input: { importId: s.imported.id, position: 1, payoutId: other.payouts[0]!.id, reason } }),
    );
    expect(refused).toBeInstanceOf(NotFoundError);
    expect(refused).toMatchObject({ fields: [{ path: 'payoutId' }] });
  });

  it('another amount (422 hand_match_amount_differs)', async () => {
    const s = await scene();
    const refused = await refusedWith(
      proposeBankLineMatch({ ctx: t.world.users.finance.ctx, input: { importId: s.imported.id, position: 1, payoutId: s.payouts[1]!.id, reason } }),
    );
    expect(refused).toMatchObject({ code: 'hand_match_amount_differs', details: { lineAmount: s.payouts[0]!.amount, payoutAmount: s.payouts[1]!.amount } });
  });

  it('a payout that is not in transit (422 hand_match_payout_state), and a line that applied (422 bank_line_not_matchable)', async () => {
    const s = await scene();
    const settling = await camt054Text({ messageId: `HM-SETTLE-${Date.now()}`, account: PROGRAMME_ACCOUNT }, [
      { reference: s.payouts[0]!.reference, amount: s.payouts[0]!.amount, kind: 'debit', bookingDate: TODAY() },
    ]);
    const applied = await importBankResults({ ctx: t.world.users.finance.ctx, input: { programmeId: s.programme.id, content: chunksOf(settling) } });
    const notSent = await refusedWith(
      proposeBankLineMatch({ ctx: t.world.users.finance.ctx, input: { importId: s.imported.id, position: 1, payoutId: s.payouts[0]!.id, reason } }),
    );
    expect(notSent).toMatchObject({ code: 'hand_match_payout_state', details: { payoutStatus: 'settled', kind: 'debit' } });
    const appliedLine = await refusedWith(
      proposeBankLineMatch({ ctx: t.world.users.finance.ctx, input: { importId: applied.import.id, position: 1, payoutId: s.payouts[1]!.id, reason } }),
    );
    expect(appliedLine).toMatchObject({ code: 'bank_line_not_matchable', details: { outcome: 'settled' } });
  });

  it('a payout never sent — its batch still open — is refused (422 hand_match_payout_state)', async () => {
    const s = await scene();
    await makeApprovedGrants(t.db.prisma, t.world, s.programme.id, ['3000.00']);
    const open = await createPayoutBatch({ ctx: t.world.users.finance.ctx, input: { programmeId: s.programme.id, cutoffOn: TODAY() } });
    const pending = await t.db.prisma.payout.findFirstOrThrow({ where: { batchId: open.id } });
    const amount = pending.amount.toFixed(2);
    const imported = await importExceptions(t.world, s, [{ reference: 'NOTPROVIDED', amount, kind: 'debit', bookingDate: TODAY() }]);
    const refused = await refusedWith(
      proposeBankLineMatch({ ctx: t.world.users.finance.ctx, input: { importId: imported.id, position: 1, payoutId: pending.id, reason } }),
    );
    expect(refused).toMatchObject({ code: 'hand_match_payout_state', details: { payoutStatus: 'pending', kind: 'debit' } });
  });

  it('the same line matched twice, and the same payout matched twice (409)', async () => {
    const s = await scene();
    const first = await proposeBankLineMatch({
      ctx: t.world.users.finance.ctx,
      input: { importId: s.imported.id, position: 1, payoutId: s.payouts[0]!.id, reason },
    });
    // Line 1 again, to the other payout of the same amount? There is none: to the same payout by a second user.
    const again = await refusedWith(
      proposeBankLineMatch({ ctx: checker.ctx, input: { importId: s.imported.id, position: 1, payoutId: s.payouts[0]!.id, reason } }),
    );
    expect(again).toBeInstanceOf(ConflictError);
    expect(again).toMatchObject({ code: 'bank_line_already_matched', details: { matchId: first.id } });
    // Line 3 is for the same amount as payout 1: the payout already has an open match.
    const twice = await refusedWith(
      proposeBankLineMatch({ ctx: checker.ctx, input: { importId: s.imported.id, position: 3, payoutId: s.payouts[0]!.id, reason } }),
    );
    expect(twice).toMatchObject({ code: 'payout_already_matched', details: { matchId: first.id } });
  });

  it('a rejected proposal frees the line; a decided one is never decided again (409)', async () => {
    const s = await scene();
    const first = await proposeBankLineMatch({
      ctx: t.world.users.finance.ctx,
      input: { importId: s.imported.id, position: 3, payoutId: s.payouts[0]!.id, reason },
    });
    const rejected = await rejectBankLineMatch({ ctx: checker.ctx, input: { matchId: first.id, reason: '参考号不符，应为其他款项' } });
    expect(rejected).toMatchObject({ status: 'rejected', rejectedById: checker.actor.userId, rejectionReason: '参考号不符，应为其他款项' });
    expect(await refusedWith(confirmBankLineMatch({ ctx: checker.ctx, input: { matchId: first.id } }))).toMatchObject({ code: 'hand_match_already_decided' });
    const second = await proposeBankLineMatch({
      ctx: t.world.users.finance.ctx,
      input: { importId: s.imported.id, position: 1, payoutId: s.payouts[0]!.id, reason },
    });
    await confirmBankLineMatch({ ctx: checker.ctx, input: { matchId: second.id } });
    expect(await refusedWith(rejectBankLineMatch({ ctx: checker.ctx, input: { matchId: second.id, reason } }))).toMatchObject({
      code: 'hand_match_already_decided',
    });
    const audit = await t.db.prisma.auditEvent.findFirstOrThrow({ where: { recordId: first.id, action: 'bank_line_match.reject' } });
    expect(audit.actorId).toBe(checker.actor.userId);
  });

  it('a payout settled meanwhile (by an imported answer) is a 409 at confirmation, and nothing is written', async () => {
    const s = await scene();
    const p = await proposeBankLineMatch({
      ctx: t.world.users.finance.ctx,
      input: { importId: s.imported.id, position: 1, payoutId: s.payouts[0]!.id, reason },
    });
    const settling = await camt054Text({ messageId: `HM-MEANWHILE-${Date.now()}`, account: PROGRAMME_ACCOUNT }, [
      { reference: s.payouts[0]!.reference, amount: s.payouts[0]!.amount, kind: 'debit', bookingDate: TODAY() },
    ]);
    await importBankResults({ ctx: t.world.users.finance.ctx, input: { programmeId: s.programme.id, content: chunksOf(settling) } });
    const before = await t.db.prisma.ledgerTransaction.count();
    const stale = await refusedWith(confirmBankLineMatch({ ctx: checker.ctx, input: { matchId: p.id } }));
    expect(stale).toBeInstanceOf(ConflictError);
    expect(stale).toMatchObject({ code: 'hand_match_stale', details: { payoutStatus: 'settled' } });
    expect(await t.db.prisma.ledgerTransaction.count()).toBe(before);
    expect((await t.db.prisma.bankLineMatch.findUniqueOrThrow({ where: { id: p.id } })).status).toBe('proposed');
    expect((await t.db.prisma.bankResultLine.findUniqueOrThrow({ where: { importId_position: { importId: s.imported.id, position: 1 } } })).outcome).toBe(
      'unmatched',
    );
  });

  it('bad input: a reason under 5 characters, both or neither payout given', async () => {
    const s = await scene();
    const base = { importId: s.imported.id, position: 1 };
    expect(
      await refusedWith(proposeBankLineMatch({ ctx: t.world.users.finance.ctx, input: { ...base, payoutId: s.payouts[0]!.id, reason: '核对' } })),
    ).toMatchObject({
      code: 'invalid_request',
      fields: [{ path: 'reason' }],
    });
    expect(await refusedWith(proposeBankLineMatch({ ctx: t.world.users.finance.ctx, input: { ...base, reason } }))).toMatchObject({
      fields: [{ path: 'payoutId' }],
    });
    expect(
      await refusedWith(
        proposeBankLineMatch({
          ctx: t.world.users.finance.ctx,
          input: { ...base, payoutId: s.payouts[0]!.id, payoutReference: s.payouts[0]!.reference, reason },
        }),
      ),
    ).toMatchObject({ fields: [{ path: 'payoutId' }] });
    expect(
      await refusedWith(proposeBankLineMatch({ ctx: t.world.users.finance.ctx, input: { ...base, position: 99, payoutId: s.payouts[0]!.id, reason } })),
    ).toMatchObject({
      fields: [{ path: 'position' }],
    });
  });
});

describe('the database holds the rules whatever path writes', () => {
  const sql = (text: string) =>
    t.db.prisma.$executeRawUnsafe(text).then(
      () => null,
      (e: Error) => e.message,
    );

  it('a line becomes matched_by_hand only with a confirmed match; nothing else of it changes', async () => {
    const s = await scene();
    const where = `"import_id" = '${s.imported.id}' AND "position" = 1`;
    expect(await sql(`UPDATE "bank_result_line" SET "outcome" = 'matched_by_hand', "payout_id" = '${s.payouts[0]!.id}' WHERE ${where}`)).toMatch(/append-only/);
    const p = await proposeBankLineMatch({
      ctx: t.world.users.finance.ctx,
      input: { importId: s.imported.id, position: 1, payoutId: s.payouts[0]!.id, reason },
    });
    await confirmBankLineMatch({ ctx: checker.ctx, input: { matchId: p.id } });
    expect(await sql(`UPDATE "bank_result_line" SET "amount" = 1 WHERE ${where}`)).toMatch(/append-only/);
    expect(await sql(`DELETE FROM "bank_result_line" WHERE ${where}`)).toMatch(/append-only/);
  });

  it('maker is not checker, one open match per line, decided once, never deleted', async () => {
    const s = await scene();
    const p = await proposeBankLineMatch({
      ctx: t.world.users.finance.ctx,
      input: { importId: s.imported.id, position: 1, payoutId: s.payouts[0]!.id, reason },
    });
    expect(
      await sql(`UPDATE "bank_line_match" SET "status" = 'confirmed', "confirmed_by_id" = "proposed_by_id", "confirmed_at" = now() WHERE "id" = '${p.id}'`),
    ).toMatch(/bank_line_match_maker_is_not_checker/);
    expect(
      await sql(`INSERT INTO "bank_line_match" ("id", "programme_id", "import_id", "position", "payout_id", "kind", "reason", "proposed_by_id")
                 SELECT gen_random_uuid(), "programme_id", "import_id", "position", "payout_id", "kind", "reason", '${checker.actor.userId}' FROM "bank_line_match" WHERE "id" = '${p.id}'`),
    ).toMatch(/bank_line_match_one_open_per_line/);
    expect(await sql(`DELETE FROM "bank_line_match" WHERE "id" = '${p.id}'`)).toMatch(/decided once/);
    await rejectBankLineMatch({ ctx: checker.ctx, input: { matchId: p.id, reason } });
    expect(
      await sql(
        `UPDATE "bank_line_match" SET "status" = 'proposed', "rejected_by_id" = NULL, "rejected_at" = NULL, "rejection_reason" = NULL WHERE "id" = '${p.id}'`,
      ),
    ).toMatch(/decided once/);
  });
});
