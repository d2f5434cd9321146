// The ledger, rules and figures checks on an embedded database: clean on a good world, exact
// figures on a small known one, and each break found when it is made. Breaks are made with raw SQL
// inside a transaction that is rolled back afterwards (triggers off with session_replication_role =
// replica, as a superuser or a restore tool could; CHECK constraints and unique indexes, which
// replica does not switch off, dropped inside the same transaction), and the checks read that
// transaction — so every test starts from the same good world.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/reconcile/check-types.ts';
import { runFiguresCheck } from '../../src/reconcile/checks/figures.ts';
import { runLedgerCheck } from '../../src/reconcile/checks/ledger.ts';
import { RULE_CODES, runRulesCheck } from '../../src/reconcile/checks/rules.ts';
import type { ReconcileDb } from '../../src/reconcile/checks/support.ts';
import { changeBankAccount } from '../../src/services/students.ts';
import { type ReconcileWorld, buildReconcileWorld, runDatabaseChecks } from '../support/reconciliation.ts';
import { fictionalAccountNumber } from '../support/students.ts';
import { useTestApp } from '../support/test-app.ts';

const testApp = useTestApp();
let w: ReconcileWorld;

beforeAll(async () => {
  w = await buildReconcileWorld(testApp.db.prisma, testApp.world);
});

const ROLLBACK = new Error('rollback');

/** Runs `statements` with triggers off, then `body` on the same transaction, and rolls it all back. */
async function tampered<T>(statements: string[], body: (tx: ReconcileDb) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await testApp.db.prisma
    .$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL session_replication_role = replica');
      for (const statement of statements) await tx.$executeRawUnsafe(statement);
      result = await body(tx);
      throw ROLLBACK;
    })
    .catch((error: unknown) => {
      if (error !== ROLLBACK) throw error;
    });
  return result as T;
}

const codes = (r: CheckResult) => r.exceptions.map((e) => e.code);
const table = (r: CheckResult, title: RegExp) => r.tables?.find((t) => title.test(t.title))?.rows ?? [];

describe('on a good world', () => {
  it('ledger: clean, the whole chain verified, balances as the service reports them', async () => {
    const result = await runLedgerCheck(testApp.db.prisma);
    expect(result.exceptions).toEqual([]);
    expect(result.status).toBe('clean');
    const figures = Object.fromEntries(result.figures.map((f) => [f.key, f.value]));
    const transactions = await testApp.db.prisma.ledgerTransaction.count();
    expect(figures).toMatchObject({ transactions_checked: transactions, entries_checked: transactions * 2, chain_problems: 0, programmes_checked: 2 });
    // Programme A: bank 100000 − 2000 − 1500 + 1500; fund 100000 − 12000 + 5000; payable g1 2000 + g2 3000.
    expect(table(result, /balances/).filter((r) => r[0] === w.a.code)).toEqual([
      [w.a.code, '银行 (bank)', '98000.00', '98000.00', '一致 (equal)'],
      [w.a.code, '基金 (fund)', '93000.00', '93000.00', '一致 (equal)'],
      [w.a.code, '应付 (payable)', '5000.00', '5000.00', '一致 (equal)'],
      [w.a.code, '在途 (in transit)', '0.00', '0.00', '一致 (equal)'],
    ]);
  });

  it('rules: clean, every rule applied', async () => {
    const result = await runRulesCheck(testApp.db.prisma);
    expect(result.exceptions).toEqual([]);
    expect(result.status).toBe('clean');
    expect(Object.fromEntries(result.figures.map((f) => [f.key, f.value]))).toEqual({
      rules_applied: 8,
      grants_checked: 5,
      eligibility_checked: 5,
      payouts_checked: 2,
    });
    expect(table(result, /rules/).map((r) => r[2])).toEqual(Array(8).fill(0));
  });

  it('figures: exact per programme, year, level and region, from the ledger', async () => {
    const result = await runFiguresCheck(testApp.db.prisma, { programmeId: w.a.id });
    expect(result.exceptions).toEqual([]);
    const A = w.a.code;
    expect(table(result, /by programme and academic year/)).toEqual([
      [A, '2026-2027', 3, 3, '12000.00', '5000.00', '2000.00', '4000.00'],
      [A, '累计 (cumulative)', 3, 3, '12000.00', '5000.00', '2000.00', '4000.00'],
    ]);
    expect(table(result, /by level/)).toEqual([
      [A, '2026-2027', '高职 (higher_vocational)', 1, 1, '3000.00', '0.00', '0.00', '3000.00'],
      [A, '2026-2027', '大专 (junior_college)', 1, 1, '5000.00', '5000.00', '0.00', '5000.00'],
      [A, '2026-2027', '本科 (undergraduate)', 1, 1, '4000.00', '0.00', '2000.00', '4000.00'],
      [A, '累计 (cumulative)', '高职 (higher_vocational)', 1, 1, '3000.00', '0.00', '0.00', '3000.00'],
      [A, '累计 (cumulative)', '大专 (junior_college)', 1, 1, '5000.00', '5000.00', '0.00', '5000.00'],
      [A, '累计 (cumulative)', '本科 (undergraduate)', 1, 1, '4000.00', '0.00', '2000.00', '4000.00'],
    ]);
    expect(table(result, /by region/)).toEqual([
      [A, '2026-2027', '630100', '青海省西宁市', 1, 1, '4000.00', '0.00', '2000.00', '4000.00'],
      [A, '2026-2027', '630200', '青海省海东市', 1, 1, '3000.00', '0.00', '0.00', '3000.00'],
      [A, '2026-2027', '632100', '青海省海东地区', 1, 1, '5000.00', '5000.00', '0.00', '5000.00'],
      [A, '累计 (cumulative)', '630100', '青海省西宁市', 1, 1, '4000.00', '0.00', '2000.00', '4000.00'],
      [A, '累计 (cumulative)', '630200', '青海省海东市', 1, 1, '3000.00', '0.00', '0.00', '3000.00'],
      [A, '累计 (cumulative)', '632100', '青海省海东地区', 1, 1, '5000.00', '5000.00', '0.00', '5000.00'],
    ]);
  });

  it('figures: the average grant is rounded half-up (3000.005 → 3000.01), and totals span the programmes', async () => {
    const b = await runFiguresCheck(testApp.db.prisma, { programmeId: w.b.id });
    expect(table(b, /by programme and academic year/)[0]).toEqual([w.b.code, '2026-2027', 2, 2, '6000.01', '0.00', '0.00', '3000.01']);
    const all = await runFiguresCheck(testApp.db.prisma);
    expect(Object.fromEntries(all.figures.map((f) => [f.key, f.value]))).toEqual({
      programmes: 2,
      students_funded: 5,
      person_times: 5,
      amount_approved: '18000.01',
      amount_cancelled: '5000.00',
      amount_paid: '2000.00',
      average_grant: '3600.00',
      empowerment_person_times: 0,
    });
    expect(table(all, /by programme and academic year/).map((r) => r[0])).toEqual([w.a.code, w.a.code, w.b.code, w.b.code].sort());
  });

  it('gives byte-identical reports on two runs', async () => {
    const first = await runDatabaseChecks(testApp.db.prisma);
    const second = await runDatabaseChecks(testApp.db.prisma);
    expect(second.json).toBe(first.json);
    expect(second.text).toBe(first.text);
    expect(second.csv).toBe(first.csv);
    expect(first.report.status).toBe('clean');
  });

  it('a student who changed accounts after being paid is still paid to an account the student held', async () => {
    const rules = await tampered([], async (tx) => {
      await changeBankAccount({
        ctx: { ...testApp.world.users.caseworker.ctx, tx },
        input: {
          studentId: w.g1.student.id,
          bankName: '中国农业银行西宁分行',
          accountNumber: fictionalAccountNumber(),
          holderName: w.g1.student.plain.name,
          reason: '原卡挂失 card lost',
        },
      });
      return runRulesCheck(tx);
    });
    expect(rules.exceptions).toEqual([]);
  });
});

describe('ledger breaks', () => {
  it('an edited transaction: hash mismatch at its seq', async () => {
    const [t] = await testApp.db.prisma.$queryRaw<
      { seq: bigint }[]
    >`SELECT seq FROM ledger_transaction WHERE programme_id = ${w.a.id}::uuid ORDER BY seq LIMIT 1 OFFSET 2`;
    const result = await tampered([`UPDATE ledger_transaction SET description = 'edited' WHERE seq = ${t!.seq}`], (tx) => runLedgerCheck(tx));
    expect(result.status).toBe('breaks');
    expect(result.exceptions).toEqual([
      expect.objectContaining({
        code: 'hash_mismatch',
        subject: { seq: Number(t!.seq) },
        message: expect.stringMatching(/^交易哈希不符 \(transaction hash mismatch\): seq \d+/),
      }),
    ]);
  });

  it('a stored running balance changed: the entry and the balance the service reports both differ', async () => {
    const result = await tampered(
      [
        `UPDATE ledger_entry SET balance_after = balance_after + 1
         WHERE (account_id, seq) = (SELECT e.account_id, max(e.seq) FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id
                                    WHERE a.programme_id = '${w.a.id}' AND a.kind = 'fund' GROUP BY e.account_id)`,
      ],
      (tx) => runLedgerCheck(tx),
    );
    expect(codes(result).sort()).toEqual(['balance_differs', 'running_balance_differs']);
    expect(result.exceptions.find((e) => e.code === 'balance_differs')).toMatchObject({ subject: { programme: w.a.code, account: 'fund' }, amount: '1.00' });
  });

  it('a transaction deleted: sequence gap', async () => {
    const [t] = await testApp.db.prisma.$queryRaw<{ seq: bigint }[]>`SELECT max(seq) - 1 AS seq FROM ledger_transaction`;
    const result = await tampered([`DELETE FROM ledger_entry WHERE seq = ${t!.seq}`, `DELETE FROM ledger_transaction WHERE seq = ${t!.seq}`], (tx) =>
      runLedgerCheck(tx),
    );
    expect(codes(result)).toContain('sequence_gap');
    expect(codes(result)).toContain('hash_chain_broken');
  });

  it('for one programme, a break at another programme’s transaction is counted, not described', async () => {
    const [t] = await testApp.db.prisma.$queryRaw<
      { seq: bigint }[]
    >`SELECT seq FROM ledger_transaction WHERE programme_id = ${w.b.id}::uuid ORDER BY seq DESC LIMIT 1`;
    const edit = `UPDATE ledger_transaction SET description = 'edited' WHERE seq = ${t!.seq}`;
    const forA = await tampered([edit], (tx) => runLedgerCheck(tx, { programmeId: w.a.id }));
    expect(forA.exceptions).toEqual([expect.objectContaining({ code: 'chain_broken_elsewhere', subject: { problems: 1 } })]);
    expect(JSON.stringify(forA)).not.toContain(w.b.code);
    const forB = await tampered([edit], (tx) => runLedgerCheck(tx, { programmeId: w.b.id }));
    expect(forB.exceptions).toEqual([expect.objectContaining({ code: 'hash_mismatch', subject: { seq: Number(t!.seq) } })]);
  });
});

describe('rules breaks', () => {
  const g = (k: 'g1' | 'g2' | 'g3') => w[k].grant.id;

  it('grant amount outside its band', async () => {
    const result = await tampered([`UPDATE "grant" SET amount = 6000 WHERE id = '${g('g1')}'`], (tx) => runRulesCheck(tx));
    expect(result.exceptions).toEqual([
      expect.objectContaining({
        code: 'grant_outside_band',
        amount: '6000.00',
        subject: expect.objectContaining({ grantId: g('g1'), programme: w.a.code, academicYear: '2026-2027' }),
      }),
    ]);
    expect(result.exceptions[0]!.message).toContain('6000.00 不在 (not in) 3000.00–5000.00');
  });

  it('no band for the grant’s year and level', async () => {
    const result = await tampered([`DELETE FROM programme_band WHERE programme_id = '${w.a.id}' AND academic_year = 2026 AND level = 'undergraduate'`], (tx) =>
      runRulesCheck(tx),
    );
    expect(result.exceptions).toEqual([expect.objectContaining({ code: 'grant_no_band', subject: expect.objectContaining({ grantId: g('g1') }) })]);
  });

  it('grant level not the enrolment’s', async () => {
    const result = await tampered([`UPDATE "grant" SET level = 'higher_vocational' WHERE id = '${g('g1')}'`], (tx) => runRulesCheck(tx));
    expect(codes(result)).toEqual(['grant_level_mismatch']);
  });

  it('eligibility revoked while the grant stays approved', async () => {
    const result = await tampered(
      [
        `UPDATE eligibility_determination SET status = 'revoked', revoked_by_id = decided_by_id, revoked_at = now(),
           revoked_effective_on = '2026-11-26', revocation_reason = 'test' WHERE id = '${w.g1.eligibility.id}'`,
      ],
      (tx) => runRulesCheck(tx),
    );
    expect(result.exceptions).toEqual([
      expect.objectContaining({
        code: 'grant_eligibility_not_approved',
        subject: expect.objectContaining({ grantId: g('g1'), eligibilityId: w.g1.eligibility.id }),
      }),
    ]);
    expect(result.exceptions[0]!.message).toContain('eligibility revoked while the grant is still approved');
  });

  it('eligibility of another year', async () => {
    const result = await tampered([`UPDATE eligibility_determination SET academic_year = 2025 WHERE id = '${w.g2.eligibility.id}'`], (tx) => runRulesCheck(tx));
    expect(codes(result)).toEqual(['grant_eligibility_not_approved']);
    expect(result.exceptions[0]!.message).toContain('another student, programme or year');
  });

  it('proposer is the approver (grant and eligibility)', async () => {
    const result = await tampered(
      [
        `ALTER TABLE "grant" DROP CONSTRAINT grant_maker_is_not_checker`,
        `ALTER TABLE eligibility_determination DROP CONSTRAINT eligibility_maker_is_not_checker`,
        `UPDATE "grant" SET decided_by_id = proposed_by_id WHERE id = '${g('g2')}'`,
        `UPDATE eligibility_determination SET decided_by_id = proposed_by_id WHERE id = '${w.g3.eligibility.id}'`,
      ],
      (tx) => runRulesCheck(tx),
    );
    expect(result.exceptions.map((e) => [e.code, e.subject.record, e.subject.id]).sort()).toEqual([
      ['maker_is_checker', 'eligibility', w.g3.eligibility.id],
      ['maker_is_checker', 'grant', g('g2')],
    ]);
    expect(result.exceptions.map((e) => e.subject.userId)).toEqual([testApp.world.users.caseworker.actor.userId, testApp.world.users.caseworker.actor.userId]);
  });

  it('settled payouts beyond the grant, and a payout amount not its instalment’s', async () => {
    const result = await tampered([`UPDATE payout SET amount = 5000 WHERE id = '${w.p1.id}'`], (tx) => runRulesCheck(tx));
    expect(codes(result)).toEqual(['payout_amount_differs', 'payout_beyond_grant']);
    expect(result.exceptions[1]).toMatchObject({ amount: '5000.00', subject: { grantId: g('g1') } });
    expect(result.exceptions[1]!.message).toContain('5000.00 > 4000.00');
  });

  it('one instalment settled by two payouts', async () => {
    const result = await tampered(
      [
        `DROP INDEX payout_one_live_per_instalment`,
        `UPDATE payout SET status = 'settled', outcome_transaction_id = NULL, instalment_id = '${w.p1.instalmentId}', grant_id = '${g('g1')}', student_id = '${w.g1.student.id}',
           payee_account_hash = '${w.p1.payeeAccountHash}', amount = 2000 WHERE id = '${w.p2.id}'`,
      ],
      (tx) => runRulesCheck(tx),
    );
    // Two payouts of 2000.00 settle g1's first instalment: 4000.00, not beyond the grant, but twice.
    expect(codes(result)).toEqual(['instalment_paid_twice']);
    expect(result.exceptions[0]).toMatchObject({ subject: { instalmentId: w.p1.instalmentId, grantId: g('g1') }, amount: '4000.00' });
  });

  it('a payout whose student is not its grant’s', async () => {
    const result = await tampered([`UPDATE payout SET student_id = '${w.g2.student.id}' WHERE id = '${w.p1.id}'`], (tx) => runRulesCheck(tx));
    expect(codes(result)).toContain('payout_record_mismatch');
  });

  it('two grants for one student, programme and year', async () => {
    const result = await tampered(
      [
        `DROP INDEX grant_one_per_year`,
        `INSERT INTO "grant" (id, student_id, programme_id, academic_year, eligibility_id, level, amount, currency, status, proposed_by_id, proposed_at)
         SELECT '${randomUUID()}', student_id, programme_id, academic_year, eligibility_id, level, 3500, currency, 'proposed', proposed_by_id, proposed_at
         FROM "grant" WHERE id = '${g('g1')}'`,
      ],
      (tx) => runRulesCheck(tx),
    );
    expect(result.exceptions).toEqual([
      expect.objectContaining({
        code: 'duplicate_grant',
        amount: '7500.00',
        subject: expect.objectContaining({ studentId: w.g1.student.id, academicYear: '2026-2027' }),
      }),
    ]);
  });

  it('a payout to an account the student never held, or to another student’s account', async () => {
    const never = await tampered([`UPDATE payout SET payee_account_hash = repeat('0', 64) WHERE id = '${w.p1.id}'`], (tx) => runRulesCheck(tx));
    expect(never.exceptions).toEqual([
      expect.objectContaining({
        code: 'payout_account_not_students',
        message: expect.stringContaining('did not hold'),
        subject: expect.objectContaining({ payoutId: w.p1.id }),
      }),
    ]);
    const other = await tampered(
      [`UPDATE payout SET payee_account_hash = (SELECT bank_account_hash FROM student WHERE id = '${w.g2.student.id}') WHERE id = '${w.p1.id}'`],
      (tx) => runRulesCheck(tx),
    );
    expect(other.exceptions).toEqual([expect.objectContaining({ code: 'payout_account_not_students', message: expect.stringContaining('another student') })]);
  });

  it('every rule code is named in the rules table', async () => {
    const result = await runRulesCheck(testApp.db.prisma);
    const named = table(result, /rules/).flatMap((r) => String(r[1]).split(', '));
    expect(named).toEqual([...RULE_CODES]);
  });

  it('limits itself to the programme asked for', async () => {
    const result = await tampered([`UPDATE "grant" SET amount = 6000 WHERE id = '${g('g1')}'`], (tx) => runRulesCheck(tx, { programmeId: w.b.id }));
    expect(result.exceptions).toEqual([]);
  });
});

describe('figures breaks', () => {
  it('a ledger transaction whose grant cannot be found', async () => {
    const result = await tampered(
      [`UPDATE ledger_transaction SET source_id = '${randomUUID()}' WHERE source_id = '${w.b1.grant.id}' AND kind = 'grant_approved'`],
      (tx) => runFiguresCheck(tx, { programmeId: w.b.id }),
    );
    expect(result.exceptions).toEqual([expect.objectContaining({ code: 'figures_source_missing', amount: '3000.00' })]);
    expect(table(result, /by programme and academic year/)[0]).toEqual([w.b.code, '2026-2027', 1, 1, '3000.01', '0.00', '0.00', '3000.01']);
  });
});
