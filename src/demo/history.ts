// The programme's history as the department lived it, replayed through the use cases (never
// around them), so that every rule and ledger invariant holds for the demo as for real data:
//
//   2024-2025  84 grants, 300,000.00 CNY      2025-2026  143 grants, 540,000.00 CNY
//   together   227 grants (人次), 840,000.00 CNY — the figures published in early 2026.
//
// Each step runs with the business clock (src/domain/dates.ts) set to the day it happened — the
// services refuse to approve a grant of a year that is over, and date ledger events by that clock —
// so every ledger event date is a plausible day and the dates never go back along the chain. Record
// timestamps (recorded_at, created_at) stay real: they say when the demo was loaded.
//
// Speed: the steps of one day run in one database transaction (ctx.tx, which every use case joins),
// not one transaction per record. What remains is the use cases' own work: about 20,000 SQL
// statements (some 65 per student and year: verification, eligibility proposed and approved, grant
// proposed and approved, each with its checks, audit row and view), at 1–3 ms each in the embedded
// engine and Prisma — about a minute on a two-core machine.
//
// Payout order: each batch names its instalments (CreateBatchInput.instalmentIds) in the students'
// demo order, rather than taking "everything due by the cut-off" (which orders by student id, a
// random UUID). Same batches, same money; but a payout reference such as PB20241018-00001-000007
// then names the same student on every fresh start, which the demo statements rely on.
import { setBusinessClock } from '../domain/dates.ts';
import type { ServiceContext, Tx } from '../services/context.ts';
import { approveEligibility, proposeEligibility, revokeEligibility } from '../services/eligibility.ts';
import { changeEnrolmentStatus, recordEnrolment, verifyEnrolment } from '../services/enrolments.ts';
import { recordFundingReceipt } from '../services/funding-receipts.ts';
import { approveGrant, proposeGrant } from '../services/grants.ts';
import { importBankResults } from '../services/payouts/bank-results.ts';
import { exportBatchFile } from '../services/payouts/bank-files.ts';
import { createPayoutBatch, sendPayoutBatch } from '../services/payouts/batches.ts';
import { cancelInstalmentAfterFailure } from '../services/payouts/instalment-cancel.ts';
import { recordRecognition } from '../services/recognitions.ts';
import { changeBankAccount, registerStudent } from '../services/students.ts';
import { allocateAmounts } from './amounts.ts';
import { type ResultLine, type ReturnLine, asUpload, camt054Returns, daifaResultCsv } from './bank-answers.ts';
import { type BankAccount, type DemoStudent, type IntakeGroup, makeStudents } from './people.ts';
import { seededRandom } from './random.ts';

export interface Actors {
  caseworker: ServiceContext;
  approver: ServiceContext;
  finance: ServiceContext;
}

export interface ProgrammeRef {
  id: string;
  remitterId: string;
  account: { accountNumber: string; accountName: string };
}

interface InstalmentRef {
  id: string;
  sequence: number;
  amount: string;
}

interface Paid {
  reference: string;
  amount: string;
  instalmentId: string;
}

interface PaidBatch {
  code: string;
  /** By student id. */
  payouts: Map<string, Paid>;
}

interface GrantRef {
  id: string;
  amount: string;
  instalments: InstalmentRef[];
}

/** A student on the department's file, as the demo tracks them. */
export interface OnFile {
  demo: DemoStudent;
  studentId: string;
  enrolmentId: string;
  /** The account payouts go to now (changed after a failed payout). */
  account: BankAccount;
  grants: Map<number, GrantRef>;
  eligibilityIds: Map<number, string>;
  /** Graduated, withdrawn or no longer eligible: not proposed again. */
  left: boolean;
}

/** The published figures the history must reproduce (2024-2025, 2025-2026). */
export const COHORTS = [
  { year: 2024, grants: 84, total: 300_000 },
  { year: 2025, grants: 143, total: 540_000 },
] as const;

/** Students funded in 2024-2025 (84): those already studying when the programme began, and that year's freshmen. */
const FIRST_INTAKE: IntakeGroup[] = [
  { level: 'undergraduate', admitted: 2021, count: 6 },
  { level: 'undergraduate', admitted: 2022, count: 8 },
  { level: 'undergraduate', admitted: 2023, count: 9 },
  { level: 'undergraduate', admitted: 2024, count: 9 },
  { level: 'junior_college', admitted: 2022, count: 7 },
  { level: 'junior_college', admitted: 2023, count: 8 },
  { level: 'junior_college', admitted: 2024, count: 9 },
  { level: 'higher_vocational', admitted: 2022, count: 8 },
  { level: 'higher_vocational', admitted: 2023, count: 9 },
  { level: 'higher_vocational', admitted: 2024, count: 11 },
];

/** Freshmen of 2025 (81): with the 62 continuing students, 143 grants in 2025-2026. */
const SECOND_INTAKE: IntakeGroup[] = [
  { level: 'undergraduate', admitted: 2025, count: 28 },
  { level: 'junior_college', admitted: 2025, count: 25 },
  { level: 'higher_vocational', admitted: 2025, count: 28 },
];

/**
 * The students of the two years, as the county lists gave them: the first intake numbered 1–84,
 * the second 85–165. The same on every call (the tests read names from it to check masking).
 */
export function plannedIntakes(): { first: DemoStudent[]; second: DemoStudent[] } {
  const names = new Set<string>();
  const first = makeStudents({ intake: 2024, registeredOn: '2024-09-10', groups: FIRST_INTAKE, firstN: 1, seed: 20240910 }, names);
  const second = makeStudents({ intake: 2025, registeredOn: '2025-09-10', groups: SECOND_INTAKE, firstN: first.length + 1, seed: 20250910 }, names);
  return { first, second };
}

/** The day the year in progress was reviewed: 20 September, or today when that is earlier. */
export function yearInProgressReviewDay(today: string, year: number): string {
  return today < `${year}-09-20` ? today : `${year}-09-20`;
}

/** The new students of the year in progress, registered by DemoHistory.openYear. */
export function yearInProgressIntake(year: number, registeredOn: string, usedNames: Set<string>, firstN = 1): DemoStudent[] {
  return makeStudents(
    {
      intake: year,
      registeredOn,
      groups: [
        { level: 'undergraduate', admitted: year, count: 1 },
        { level: 'junior_college', admitted: year, count: 1 },
        { level: 'higher_vocational', admitted: year, count: 2 },
      ],
      firstN,
      seed: year * 10_000 + 901,
    },
    usedNames,
  );
}

const NOON_BEIJING = 'T04:00:00.000Z';

/** Sets the business day for what follows. */
export function on(date: string): void {
  setBusinessClock(() => new Date(`${date}${NOON_BEIJING}`));
}

/** Runs one day's work in one database transaction that every use case joins. */
async function inOneTransaction<T>(actors: Actors, work: (a: Actors) => Promise<T>): Promise<T> {
  return actors.caseworker.db.$transaction(
    (tx) =>
      work({
        caseworker: { ...actors.caseworker, tx },
        approver: { ...actors.approver, tx },
        finance: { ...actors.finance, tx },
      }),
    { maxWait: 60_000, timeout: 30 * 60_000 },
  );
}

const compact = (date: string) => date.replaceAll('-', '');

export class DemoHistory {
  readonly students: OnFile[] = [];
  private readonly planned = plannedIntakes();
  /** Names already given, so that the year in progress adds new ones. */
  private readonly usedNames = new Set([...this.planned.first, ...this.planned.second].map((s) => s.name));
  private batchNumber = 0;
  /** Instalments cancelled (a revoked grant's remainder): never put in a batch. */
  private readonly cancelled = new Set<string>();
  /** By student id: the instalment whose payout failed or came back, to retry. */
  private readonly failedInstalment = new Map<string, string>();

  constructor(
    private readonly actors: Actors,
    private readonly programme: ProgrammeRef,
  ) {}

  /** Replays 2024-2025 and 2025-2026. Leaves the business clock on the last day it used. */
  async run(): Promise<void> {
    await this.firstYear();
    await this.secondYear();
  }

  // ─── 2024-2025 ────────────────────────────────────────────────────────────────────────────

  private async firstYear(): Promise<void> {
    const year = 2024;
    on('2024-09-02');
    await this.receipt('300000.00', '2024-09-02', 'QS-2024-0001', '青山陪伴助学工程 2024-2025 学年资助款');

    on('2024-09-10');
    await inOneTransaction(this.actors, (a) => this.register(a, this.planned.first));
    const cohort = this.students.filter((s) => s.demo.intake === year);
    await this.fundYear(year, cohort, {
      verifiedOn: '2024-09-20',
      proposedOn: '2024-09-25',
      eligibleOn: '2024-09-27',
      grantsProposedOn: '2024-09-30',
      approvedOn: '2024-10-15',
      seed: 2024,
    });

    // Autumn: the catch-up instalments (late approval) in one batch; the bank refuses one payout
    // (account number wrong on the county's list) and, days later, sends back another that had
    // settled (a dormant account, frozen). Both students give another account; a batch retries both.
    const autumn = await this.payBatch('2024-10-18', this.instalmentsOf(year, 1), '2024-10-21', [{ student: cohort[4] as OnFile, reason: '账号不存在' }]);
    const dormant = cohort[11] as OnFile;
    await this.bankReturns('2024-10-25', autumn, [{ student: dormant, code: 'AC06', text: '收款账户为久悬账户，已冻结' }]);
    await this.newAccounts('2024-10-28', [cohort[4] as OnFile, dormant], '原账户不能入账，学生本人提供新账户');
    await this.payBatch('2024-11-05', this.retriesOf(year, [cohort[4] as OnFile, dormant]), '2024-11-07', []);

    // Spring: the second instalments. One fails (account frozen) and is not paid again: the student
    // declined it in writing (full funding from elsewhere); its money goes back to the fund.
    const declined = cohort[20] as OnFile;
    await this.payBatch('2025-03-03', this.instalmentsOf(year, 2), '2025-03-05', [{ student: declined, reason: '收款账户已冻结' }]);
    await this.cancelFailed('2025-03-20', declined, year, 2, '学生书面申请放弃本期资助（已获其他全额资助），本期不再发放');

    // Summer: graduation (本科 of 2021, 高职/大专 of 2022), and one withdrawal.
    const withdrawn = cohort.find((s) => s.demo.level === 'higher_vocational' && s.demo.admissionDate.startsWith('2023') && s !== declined) as OnFile;
    await this.graduate('2025-07-10', '2025-06-30');
    on('2025-07-15');
    await changeEnrolmentStatus({
      ctx: this.actors.caseworker,
      input: {
        studentId: withdrawn.studentId,
        enrolmentId: withdrawn.enrolmentId,
        status: 'withdrawn',
        effectiveOn: '2025-07-08',
        reason: '因个人原因申请退学，学校已批准',
      },
    });
    withdrawn.left = true;
  }

  // ─── 2025-2026 ────────────────────────────────────────────────────────────────────────────

  private async secondYear(): Promise<void> {
    const year = 2025;
    on('2025-09-01');
    await this.receipt('540000.00', '2025-09-01', 'QS-2025-0001', '青山陪伴助学工程 2025-2026 学年资助款');

    on('2025-09-10');
    await inOneTransaction(this.actors, (a) => this.register(a, this.planned.second));
    const cohort = this.students.filter((s) => !s.left && s.demo.expectedGraduation > '2025-09-01');
    if (cohort.length !== COHORTS[1].grants) throw new Error(`demo plan: ${cohort.length} students for 2025-2026, expected ${COHORTS[1].grants}`);
    await this.fundYear(year, cohort, {
      verifiedOn: '2025-09-19',
      proposedOn: '2025-09-24',
      eligibleOn: '2025-09-26',
      grantsProposedOn: '2025-09-29',
      approvedOn: '2025-10-15',
      seed: 2025,
    });

    const fresh = cohort.filter((s) => s.demo.intake === year);
    const continuing = cohort.filter((s) => s.demo.intake !== year);
    const mismatch = fresh[2] as OnFile;
    await this.payBatch('2025-10-17', this.instalmentsOf(year, 1), '2025-10-20', [{ student: mismatch, reason: '户名与账号不符' }]);
    await this.newAccounts('2025-10-27', [mismatch], '原账户户名与账号不符，学生本人提供新账户');
    await this.payBatch('2025-11-04', this.retriesOf(year, [mismatch]), '2025-11-06', []);

    // Mid-year revocation. The grant was approved and half of it paid; it ENDS, its spring
    // instalment is cancelled and goes back to the fund. Choice for the figures: an approved grant
    // stays a funded person-time (人次) and its approved amount stays in the year's committed total
    // (the grant summary counts approved and ended grants), so 2025-2026 still reads 143 students and
    // 540,000.00 CNY approved; what was not paid shows as cancelled beside it.
    const revoked = fresh[7] as OnFile;
    on('2026-01-12');
    await revokeEligibility({
      ctx: this.actors.approver,
      input: {
        id: revoked.eligibilityIds.get(year) as string,
        effectiveOn: '2026-01-10',
        reason: '经核查，该生已纳入福彩圆梦·孤儿助学工程资助，按规定不重复资助',
      },
    });
    revoked.left = true;
    for (const i of revoked.grants.get(year)?.instalments ?? []) if (i.sequence === 2) this.cancelled.add(i.id);

    // A continuing student still on the account the county first gave (the new account is the retry's).
    const returned = continuing.filter((s) => s.account === s.demo.account)[5] as OnFile;
    const frozen = fresh[30] as OnFile;
    const spring = await this.payBatch('2026-03-02', this.instalmentsOf(year, 2), '2026-03-04', [{ student: frozen, reason: '收款账户已冻结' }]);
    await this.bankReturns('2026-03-09', spring, [{ student: returned, code: 'AC04', text: '收款账户已销户' }]);
    await this.newAccounts('2026-03-12', [returned], '原账户已销户，学生本人提供新账户');
    await this.payBatch('2026-03-16', this.retriesOf(year, [returned]), '2026-03-18', []);
    await this.cancelFailed('2026-03-25', frozen, year, 2, '账户冻结，多次联系学生未果，经项目办审核本期不再发放');

    await this.graduate('2026-07-08', '2026-06-30');
  }

  // ─── the year in progress ─────────────────────────────────────────────────────────────────

  /**
   * The review of the academic year containing `today` (the real day), left half done for a
   * newcomer: four grants proposed and waiting for the approver, two students found eligible with
   * no grant proposed yet, two eligibility proposals waiting. Nothing is approved, so the published
   * figures stay 227 person-times and 840,000.00 CNY. Run with the business clock on `today`.
   */
  async openYear(today: string, year: number): Promise<{ proposedGrants: number; eligibleWithoutGrant: number; proposedEligibility: number }> {
    const label = `${year}-${year + 1}`;
    const verifiedOn = yearInProgressReviewDay(today, year);
    const intake = yearInProgressIntake(year, verifiedOn, this.usedNames, this.students.length + 1);
    const continuing = this.students.filter((s) => !s.left && s.demo.expectedGraduation > `${year}-09-01` && s.demo.intake < year).slice(0, 4);
    const programmeId = this.programme.id;
    return inOneTransaction(this.actors, async (a) => {
      const fresh = await this.register(a, intake);
      const reviewed = [...fresh, ...continuing];
      for (const s of reviewed) {
        await verifyEnrolment({
          ctx: a.caseworker,
          input: {
            studentId: s.studentId,
            enrolmentId: s.enrolmentId,
            verifiedOn,
            source: '学信网 (CHSI) 学籍在线验证',
            reference: `CHSI-${compact(verifiedOn)}-${String(s.demo.n).padStart(4, '0')}`,
          },
        });
      }
      const proposals = [];
      for (const s of reviewed)
        proposals.push(await proposeEligibility({ ctx: a.caseworker, input: { studentId: s.studentId, programmeId, academicYear: label } }));
      // The last two wait for the approver; the others are approved, and four get a grant proposed.
      for (const p of proposals.slice(0, -2)) await approveEligibility({ ctx: a.approver, input: { id: p.id } });
      const amounts: Record<string, string> = { undergraduate: '4500.00', junior_college: '3500.00', higher_vocational: '3000.00' };
      const granted = reviewed.slice(0, 4);
      for (const s of granted)
        await proposeGrant({ ctx: a.caseworker, input: { studentId: s.studentId, programmeId, academicYear: label, amount: amounts[s.demo.level] as string } });
      return { proposedGrants: granted.length, eligibleWithoutGrant: proposals.length - 2 - granted.length, proposedEligibility: 2 };
    });
  }

  // ─── steps ────────────────────────────────────────────────────────────────────────────────

  private async receipt(amount: string, receivedOn: string, bankReference: string, note: string): Promise<void> {
    await recordFundingReceipt({
      ctx: this.actors.finance,
      input: { programmeId: this.programme.id, remitterId: this.programme.remitterId, amount, receivedOn, bankReference, note },
    });
  }

  /** Registers a county's list: each student with recognition and enrolment. */
  async register(a: Actors, intake: DemoStudent[]): Promise<OnFile[]> {
    const added: OnFile[] = [];
    for (const demo of intake) {
      const student = await registerStudent({
        ctx: a.caseworker,
        input: {
          identityNumber: demo.identityNumber,
          name: demo.name,
          gender: demo.gender,
          phone: demo.phone,
          bankAccount: { ...demo.account, holderName: demo.name },
        },
      });
      await recordRecognition({ ctx: a.caseworker, input: { studentId: student.id, ...demo.recognition } });
      const enrolment = await recordEnrolment({
        ctx: a.caseworker,
        input: {
          studentId: student.id,
          institutionName: demo.institutionName,
          institutionCode: demo.institutionCode,
          level: demo.level,
          admissionDate: demo.admissionDate,
          expectedGraduation: demo.expectedGraduation,
        },
      });
      const onFile: OnFile = {
        demo,
        studentId: student.id,
        enrolmentId: enrolment.id,
        account: demo.account,
        grants: new Map(),
        eligibilityIds: new Map(),
        left: false,
      };
      this.students.push(onFile);
      added.push(onFile);
    }
    return added;
  }

  /** A year's review: enrolment verified, eligibility proposed and approved, grants proposed and approved. */
  private async fundYear(
    year: number,
    cohort: OnFile[],
    days: { verifiedOn: string; proposedOn: string; eligibleOn: string; grantsProposedOn: string; approvedOn: string; seed: number },
  ): Promise<void> {
    const label = `${year}-${year + 1}`;
    const cohortTotal = COHORTS.find((c) => c.year === year)?.total as number;
    const amounts = allocateAmounts(
      cohort.map((s) => s.demo.level),
      cohortTotal,
      seededRandom(days.seed),
    );
    const programmeId = this.programme.id;
    await inOneTransaction(this.actors, async (a) => {
      on(days.verifiedOn);
      for (const s of cohort) {
        await verifyEnrolment({
          ctx: a.caseworker,
          input: {
            studentId: s.studentId,
            enrolmentId: s.enrolmentId,
            verifiedOn: days.verifiedOn,
            source: '学信网 (CHSI) 学籍在线验证',
            reference: `CHSI-${compact(days.verifiedOn)}-${String(s.demo.n).padStart(4, '0')}`,
          },
        });
      }
      on(days.proposedOn);
      const proposals: string[] = [];
      for (const s of cohort)
        proposals.push((await proposeEligibility({ ctx: a.caseworker, input: { studentId: s.studentId, programmeId, academicYear: label } })).id);
      on(days.eligibleOn);
      for (const [i, s] of cohort.entries()) {
        const id = proposals[i] as string;
        await approveEligibility({ ctx: a.approver, input: { id } });
        s.eligibilityIds.set(year, id);
      }
      on(days.grantsProposedOn);
      const grants: string[] = [];
      for (const [i, s] of cohort.entries()) {
        grants.push(
          (await proposeGrant({ ctx: a.caseworker, input: { studentId: s.studentId, programmeId, academicYear: label, amount: `${amounts[i]}.00` } })).id,
        );
      }
      on(days.approvedOn);
      for (const id of grants) await approveGrant({ ctx: a.approver, input: { id } });
      const instalments = await (a.finance.tx as Tx).instalment.findMany({
        where: { grantId: { in: grants } },
        select: { id: true, grantId: true, sequence: true, amount: true },
        orderBy: { sequence: 'asc' },
      });
      for (const [i, s] of cohort.entries()) {
        const id = grants[i] as string;
        s.grants.set(year, {
          id,
          amount: `${amounts[i]}.00`,
          instalments: instalments.filter((x) => x.grantId === id).map((x) => ({ id: x.id, sequence: x.sequence, amount: x.amount.toFixed(2) })),
        });
      }
    });
  }

  /** The year's plan instalment `sequence` of every grant, in demo order, except those cancelled. */
  private instalmentsOf(year: number, sequence: number): { student: OnFile; instalment: InstalmentRef }[] {
    return this.students.flatMap((student) => {
      const instalment = student.grants.get(year)?.instalments.find((i) => i.sequence === sequence);
      return instalment && !this.cancelled.has(instalment.id) ? [{ student, instalment }] : [];
    });
  }

  private retriesOf(year: number, students: OnFile[]): { student: OnFile; instalment: InstalmentRef }[] {
    return students.map((student) => {
      const failed = this.failedInstalment.get(student.studentId);
      const instalment = student.grants.get(year)?.instalments.find((i) => i.id === failed);
      if (!instalment) throw new Error(`demo plan: no failed instalment of student ${student.demo.n} to retry`);
      return { student, instalment };
    });
  }

  /**
   * One batch as finance runs it: create (named instalments, see the file comment), export the
   * pain.001, send; then the bank's 代发 result file, answered on `answeredOn`, dated the execution
   * day: 成功, or 失败 for the students named.
   */
  private async payBatch(
    day: string,
    items: { student: OnFile; instalment: InstalmentRef }[],
    answeredOn: string,
    failures: { student: OnFile; reason: string }[],
  ): Promise<PaidBatch> {
    on(day);
    const finance = this.actors.finance;
    const batch = await createPayoutBatch({
      ctx: finance,
      input: { programmeId: this.programme.id, cutoffOn: day, instalmentIds: items.map((i) => i.instalment.id) },
    });
    this.batchNumber += 1;
    await exportBatchFile({ ctx: finance, input: { batchId: batch.id, format: 'pain001' } });
    await sendPayoutBatch({ ctx: finance, input: { batchId: batch.id } });
    const rows = await finance.db.payout.findMany({
      where: { batchId: batch.id },
      select: { reference: true, instalmentId: true, amount: true },
      orderBy: { sequence: 'asc' },
    });
    const byInstalment = new Map(rows.map((r) => [r.instalmentId, { reference: r.reference, amount: r.amount.toFixed(2), instalmentId: r.instalmentId }]));
    const payouts = new Map<string, Paid>();
    const lines: ResultLine[] = items.map(({ student, instalment }, i) => {
      const payout = byInstalment.get(instalment.id) as Paid;
      payouts.set(student.studentId, payout);
      const failure = failures.find((f) => f.student === student);
      if (failure) this.failedInstalment.set(student.studentId, instalment.id);
      return {
        reference: payout.reference,
        accountNumber: student.account.accountNumber,
        name: student.demo.name,
        amount: payout.amount,
        status: failure ? '失败' : '成功',
        ...(failure ? { reason: failure.reason } : {}),
        bankReference: `CCB${compact(day)}${String(this.batchNumber).padStart(2, '0')}${String(i + 1).padStart(4, '0')}`,
        date: day,
      };
    });
    on(answeredOn);
    const file = daifaResultCsv({
      account: this.programme.account.accountNumber,
      accountName: this.programme.account.accountName,
      batchCode: batch.code,
      lines,
    });
    await importBankResults({
      ctx: finance,
      input: { programmeId: this.programme.id, content: asUpload(file), format: 'csv', encoding: 'gbk', fileName: `${batch.code}-代发结果.csv` },
    });
    return { code: batch.code, payouts };
  }

  /** Payouts the students' banks sent back after they had settled: a camt.054 credit notification. */
  private async bankReturns(day: string, batch: PaidBatch, returns: { student: OnFile; code: string; text: string }[]): Promise<void> {
    on(day);
    const lines: ReturnLine[] = returns.map(({ student, code, text }, i) => {
      const payout = batch.payouts.get(student.studentId);
      if (!payout) throw new Error(`demo plan: student ${student.demo.n} was not paid in ${batch.code}`);
      this.failedInstalment.set(student.studentId, payout.instalmentId);
      return {
        reference: payout.reference,
        amount: payout.amount,
        bookingDate: day,
        bankReference: `CCB${compact(day)}R${String(i + 1).padStart(3, '0')}`,
        reasonCode: code,
        reasonText: text,
      };
    });
    const messageId = `CCBQH054-${compact(day)}-RTN`;
    const xml = camt054Returns({ messageId, account: this.programme.account.accountNumber, createdAt: `${day}T17:30:00+08:00`, lines });
    await importBankResults({
      ctx: this.actors.finance,
      input: { programmeId: this.programme.id, content: asUpload(xml), format: 'camt.054', fileName: `${messageId}.xml` },
    });
  }

  private async newAccounts(day: string, students: OnFile[], reason: string): Promise<void> {
    on(day);
    for (const s of students) {
      await changeBankAccount({ ctx: this.actors.caseworker, input: { studentId: s.studentId, ...s.demo.newAccount, holderName: s.demo.name, reason } });
      s.account = s.demo.newAccount;
    }
  }

  private async cancelFailed(day: string, student: OnFile, year: number, sequence: number, reason: string): Promise<void> {
    on(day);
    const instalment = student.grants.get(year)?.instalments.find((i) => i.sequence === sequence);
    if (!instalment) throw new Error(`demo plan: student ${student.demo.n} has no instalment ${sequence} in ${year}`);
    await cancelInstalmentAfterFailure({ ctx: this.actors.finance, input: { instalmentId: instalment.id, reason } });
  }

  /** Records graduation for everyone whose expected graduation is `effectiveOn`. */
  private async graduate(day: string, effectiveOn: string): Promise<void> {
    on(day);
    const graduates = this.students.filter((s) => !s.left && s.demo.expectedGraduation === effectiveOn);
    await inOneTransaction(this.actors, async (a) => {
      for (const s of graduates) {
        await changeEnrolmentStatus({
          ctx: a.caseworker,
          input: { studentId: s.studentId, enrolmentId: s.enrolmentId, status: 'graduated', effectiveOn, reason: '毕业，已取得毕业证书' },
        });
        s.left = true;
      }
    });
  }
}
