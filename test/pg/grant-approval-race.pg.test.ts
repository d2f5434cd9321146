// Grant approvals racing for the last yuan, on a real PostgreSQL server (PGlite runs one transaction
// at a time and hides races). Each approval is one database transaction: status, instalments,
// audit and Dr fund / Cr payable commit together or not at all, and the ledger's lock decides.
import { describe, expect, it } from 'vitest';
import { RuleViolationError } from '../../src/domain/errors.ts';
import { formatMoney, money } from '../../src/domain/money.ts';
import { programmeBalances } from '../../src/ledger/balances.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { approveGrant, type GrantView } from '../../src/services/grants.ts';
import { setProgrammeBands } from '../../src/services/bands.ts';
import { makeProgramme, makeUser, type TestUser } from '../support/fixtures.ts';
import { fundProgramme, makeProposedGrant } from '../support/grants.ts';
import { fulfilled, race, rejected } from './support/concurrency.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';

describe.skipIf(!process.env.TEST_DATABASE_URL)('grant approvals under concurrency (PostgreSQL)', () => {
  const t = usePgTestDatabase(20, { perTest: true });

  it('8 grants of 3,000.00 approved at once by 8 approvers against a fund of 10,000.00: exactly 3 pass, the fund ends at 1,000.00', {
    timeout: 120_000,
  }, async () => {
    const programme = await makeProgramme(t.world);
    await fundProgramme(t.world, programme.id, '10000.00');
    const grants: GrantView[] = [];
    for (let i = 0; i < 8; i++) grants.push((await makeProposedGrant(t.db.prisma, t.world, programme.id, '3000.00')).grant);
    const approvers: TestUser[] = [];
    for (let i = 0; i < 8; i++) approvers.push(await makeUser(t.db.prisma, t.world.department, 'approver'));

    const results = await race(8, (i) => approveGrant({ ctx: approvers[i]!.ctx, input: { id: grants[i]!.id } }));
    const ok = fulfilled(results);
    const failures = rejected(results);
    expect(ok).toHaveLength(3);
    expect(failures).toHaveLength(5);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(RuleViolationError);
      expect(failure).toMatchObject({ code: 'insufficient_fund', details: { needed: '3000.00' } });
    }

    const balances = (await programmeBalances(t.db.prisma, [programme.id])).get(programme.id)!;
    expect(formatMoney(balances.fund)).toBe('1000.00');
    expect(formatMoney(balances.payable)).toBe('9000.00');
    // Only the winners are approved, with instalments adding up; the losers are untouched.
    const stored = await t.db.prisma.grant.findMany({ where: { programmeId: programme.id }, include: { instalments: true } });
    const approved = stored.filter((g) => g.status === 'approved');
    expect(approved.map((g) => g.id).sort()).toEqual(ok.map((g) => g.id).sort());
    for (const g of approved) expect(formatMoney(g.instalments.reduce((s, i) => s.plus(i.amount.toString()), money(0)))).toBe('3000.00');
    for (const g of stored.filter((g) => g.status !== 'approved')) {
      expect(g).toMatchObject({ status: 'proposed', ledgerTransactionId: null, decidedById: null });
      expect(g.instalments).toHaveLength(0);
    }
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'grant.approve' } })).toBe(3);
    const [row] = await t.db.prisma.$queryRaw<{ min_balance: string }[]>`
      SELECT min(e."balance_after")::text AS min_balance FROM "ledger_entry" e JOIN "ledger_account" a ON a."id" = e."account_id" WHERE a."kind" = 'fund'`;
    expect(money(row!.min_balance).isNegative()).toBe(false);

    const verification = await verifyLedger(t.db.prisma);
    expect(verification.firstProblem).toBeNull();
    expect(verification).toMatchObject({ ok: true, transactionsChecked: 1 + 3 });
  });

  it('approving one grant twice at once (two approvers): one approval, one already_decided, one posting', { timeout: 60_000 }, async () => {
    const programme = await makeProgramme(t.world);
    await fundProgramme(t.world, programme.id, '10000.00');
    const { grant } = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
    const second = await makeUser(t.db.prisma, t.world.department, 'approver');
    const results = await race(2, (i) => approveGrant({ ctx: (i === 0 ? t.world.users.approver : second).ctx, input: { id: grant.id } }));
    expect(fulfilled(results)).toHaveLength(1);
    expect(rejected(results)).toEqual([expect.objectContaining({ code: 'already_decided' })]);
    expect(await t.db.prisma.ledgerTransaction.count({ where: { sourceId: grant.id } })).toBe(1);
    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
  });

  it('a band change racing approvals of the same year: either the bands change before any approval, or they are refused', { timeout: 60_000 }, async () => {
    const programme = await makeProgramme(t.world);
    await fundProgramme(t.world, programme.id, '10000.00');
    const { grant } = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
    const newBands = ['higher_vocational', 'junior_college', 'undergraduate'].map((level) => ({
      level: level as 'undergraduate',
      minAmount: '4500.00',
      maxAmount: '6000.00',
    }));
    const results = await race<unknown>(2, (i) =>
      i === 0
        ? approveGrant({ ctx: t.world.users.approver.ctx, input: { id: grant.id } })
        : setProgrammeBands({ ctx: t.world.users.admin.ctx, input: { programmeId: programme.id, academicYear: '2026-2027', bands: newBands } }),
    );
    const [approval, bands] = results;
    // Never both: an approved 4,000.00 grant under a 4,500–6,000 band would break the rule.
    expect(approval!.status === 'fulfilled' && bands!.status === 'fulfilled').toBe(false);
    if (approval!.status === 'fulfilled') expect(bands).toMatchObject({ status: 'rejected', reason: { code: 'bands_locked' } });
    else expect(approval).toMatchObject({ status: 'rejected', reason: { code: 'amount_outside_band' } });
    const stored = await t.db.prisma.programmeBand.findFirstOrThrow({ where: { programmeId: programme.id, academicYear: 2026, level: 'undergraduate' } });
    const g = await t.db.prisma.grant.findUniqueOrThrow({ where: { id: grant.id } });
    if (g.status === 'approved') expect(formatMoney(stored.minAmount.toString())).toBe('3000.00');
  });
});
