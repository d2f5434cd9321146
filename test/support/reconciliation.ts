// Factories for the reconciliation tests: run the database checks the way the command line does
// (one repeatable-read snapshot), render the reports, and record a run.
import type { PrismaClient } from '#prisma';
import { formatMoney } from '../../src/domain/money.ts';
import { programmeBalances } from '../../src/ledger/balances.ts';
import type { CheckName, CheckResult } from '../../src/reconcile/check-types.ts';
import { runFiguresCheck } from '../../src/reconcile/checks/figures.ts';
import { runLedgerCheck } from '../../src/reconcile/checks/ledger.ts';
import { runRulesCheck } from '../../src/reconcile/checks/rules.ts';
import { type RenderedReports, renderReports } from '../../src/reconcile/report/index.ts';
import { RULES_VERSION } from '../../src/reconcile/rules-version.ts';
import { recordReconciliationRun } from '../../src/services/reconciliation-runs.ts';
import { changeEnrolmentStatus } from '../../src/services/enrolments.ts';
import { approveGrant, proposeGrant } from '../../src/services/grants.ts';
import { importBankResults } from '../../src/services/payouts/bank-results.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { camt054, camt054Text, chunksOf } from './bank-answers.ts';
import type { World } from './fixtures.ts';
import { GRANT_YEAR, makeApprovedStudent } from './grants.ts';
import { PROGRAMME_ACCOUNT, TODAY, makeApprovedGrants, makePayoutProgramme, exportAndSendBatch } from './payouts.ts';
import type { PiiVault } from '../../src/privacy/pii-vault.ts';

export async function runDatabaseChecks(prisma: PrismaClient, programmeId?: string): Promise<RenderedReports> {
  const options = programmeId ? { programmeId } : {};
  const { results, head, code } = await prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const results: CheckResult[] = [await runLedgerCheck(tx, options), await runRulesCheck(tx, options), await runFiguresCheck(tx, options)];
      const newest = await tx.ledgerTransaction.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
      const programme = programmeId ? await tx.programme.findUniqueOrThrow({ where: { id: programmeId }, select: { code: true } }) : null;
      return { results, head: newest ? { seq: newest.seq.toString(), hash: newest.hash } : null, code: programme?.code ?? null };
    },
    { isolationLevel: 'RepeatableRead' },
  );
  const checks: CheckName[] = ['ledger', 'rules', 'figures'];
  return renderReports({ rulesVersion: RULES_VERSION, database: 'embedded', chainHead: head, programme: code, checks }, results);
}

/** Runs the database checks for one programme (or all) and records the run; returns its id. */
export async function makeReconciliationRun(prisma: PrismaClient, options: { programmeId?: string; operator?: string } = {}) {
  const reports = await runDatabaseChecks(prisma, options.programmeId);
  const programmeIds = options.programmeId ? [options.programmeId] : (await prisma.programme.findMany({ select: { id: true } })).map((p) => p.id);
  const startedAt = new Date();
  const run = await recordReconciliationRun(prisma, {
    startedAt,
    finishedAt: new Date(startedAt.getTime() + 1),
    operator: options.operator ?? 'test auditor',
    programmeId: options.programmeId ?? null,
    programmeIds,
    databaseKind: 'embedded',
    reports,
  });
  return { id: run.id, reports };
}

/**
 * A small known world for the reconciliation checks, on the business day 2026-11-26 (2026-2027):
 *
 * Programme A (funded 100000.00, semesters):
 *   g1  4000.00 本科 undergraduate,     region 630102 (西宁市)        first instalment 2000.00 settled
 *   g2  3000.00 高职 higher vocational, region 630202 (海东市)        first instalment 1500.00 settled, then returned
 *   g3  5000.00 大专 junior college,    region 632123 (former 海东地区) withdrawn before any payout: 5000.00 cancelled
 * Programme B (funded 50000.00): b1 3000.00 and b2 3000.01, 大专 junior college, region 630102.
 */
export async function buildReconcileWorld(prisma: PrismaClient, world: World) {
  const grantFor = async (programmeId: string, amount: string, regionCode: string, level: 'undergraduate' | 'higher_vocational' | 'junior_college') => {
    const s = await makeApprovedStudent(prisma, world, programmeId, { student: { regionCode, enrolment: { level } } });
    const proposed = await proposeGrant({ ctx: world.users.caseworker.ctx, input: { studentId: s.student.id, programmeId, academicYear: GRANT_YEAR, amount } });
    const grant = await approveGrant({ ctx: world.users.approver.ctx, input: { id: proposed.id } });
    return { ...s, grant };
  };
  const a = await makePayoutProgramme(world, '100000.00');
  const g1 = await grantFor(a.id, '4000.00', '630102', 'undergraduate');
  const g2 = await grantFor(a.id, '3000.00', '630202', 'higher_vocational');
  const g3 = await grantFor(a.id, '5000.00', '632123', 'junior_college');
  await changeEnrolmentStatus({
    ctx: world.users.caseworker.ctx,
    input: { studentId: g3.student.id, enrolmentId: g3.enrolment.id, status: 'withdrawn', effectiveOn: '2026-11-26', reason: '退学 withdrew' },
  });
  const batch = await createPayoutBatch({ ctx: world.users.finance.ctx, input: { programmeId: a.id, cutoffOn: '2026-11-26' } });
  await exportAndSendBatch(world.users.finance.ctx, batch.id);
  const p1 = await prisma.payout.findFirstOrThrow({ where: { batchId: batch.id, grantId: g1.grant.id } });
  const p2 = await prisma.payout.findFirstOrThrow({ where: { batchId: batch.id, grantId: g2.grant.id } });
  const settle = await camt054Text({ messageId: `SETTLE-${a.id.slice(0, 8)}`, account: PROGRAMME_ACCOUNT }, [
    { reference: p1.reference, amount: '2000.00', kind: 'debit' },
    { reference: p2.reference, amount: '1500.00', kind: 'debit' },
  ]);
  await importBankResults({ ctx: world.users.finance.ctx, input: { programmeId: a.id, content: chunksOf(settle), format: 'auto' } });
  const back = await camt054Text({ messageId: `RETURN-${a.id.slice(0, 8)}`, account: PROGRAMME_ACCOUNT }, [
    { reference: p2.reference, amount: '1500.00', kind: 'return' },
  ]);
  await importBankResults({ ctx: world.users.finance.ctx, input: { programmeId: a.id, content: chunksOf(back), format: 'auto' } });

  const b = await makePayoutProgramme(world, '50000.00');
  const b1 = await grantFor(b.id, '3000.00', '630102', 'junior_college');
  const b2 = await grantFor(b.id, '3000.01', '630102', 'junior_college');
  return { a, b, g1, g2, g3, b1, b2, batch, p1, p2 };
}

export type ReconcileWorld = Awaited<ReturnType<typeof buildReconcileWorld>>;

/**
 * A programme whose payouts of today (one per amount) were sent and settled by the bank's camt.054
 * of 2026-11-25: what its statement of November shows. `paid` has each payout's reference, amount
 * and the payee's account in clear (as the bank writes it); `opening` and `closing` are the ledger's
 * bank balance before and after.
 */
export async function makeSettledPayouts(prisma: PrismaClient, world: World, vault: PiiVault, amounts = ['4000.00', '5000.00', '3000.00']) {
  const programmeId = (await makePayoutProgramme(world)).id;
  await makeApprovedGrants(prisma, world, programmeId, amounts);
  const ctx = world.users.finance.ctx;
  const batch = await createPayoutBatch({ ctx, input: { programmeId, cutoffOn: TODAY() } });
  await exportAndSendBatch(ctx, batch.id);
  const payouts = await prisma.payout.findMany({ where: { batchId: batch.id }, orderBy: { sequence: 'asc' } });
  const paid = await Promise.all(
    payouts.map(async (p) => ({ reference: p.reference, amount: p.amount.toFixed(2), account: await vault.open('bank_account', p.payeeAccountSealed) })),
  );
  const bankBalance = async () => formatMoney((await programmeBalances(prisma, [programmeId])).get(programmeId)!.bank);
  const opening = await bankBalance();
  await importBankResults({
    ctx,
    input: {
      programmeId,
      format: 'camt.054',
      content: camt054(
        { messageId: `N-1125-${programmeId.slice(0, 8)}`, account: PROGRAMME_ACCOUNT },
        paid.map((p) => ({ reference: p.reference, amount: p.amount, kind: 'debit' as const, bookingDate: '2026-11-25' })),
      ),
    },
  });
  return { programmeId, paid, opening, closing: await bankBalance() };
}
