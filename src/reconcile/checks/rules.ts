// Check `rules`: the programme's rules hold for every record, whatever path wrote it. The database
// refuses most of these on write (triggers, CHECK constraints, unique indexes); this check reads
// what is there, so that a restore, a superuser's edit or a bug in a trigger would still be found.
//
// Rules, each one SQL query over grant, programme_band, eligibility_determination, enrolment,
// payout, instalment, student and audit_event (codes as in the report):
//   grant_no_band / grant_outside_band   every grant that is not rejected has a band for its
//                                        programme, year and level, and its amount lies inside it;
//   grant_level_mismatch                 its level is that of the enrolment its eligibility rests on;
//   grant_eligibility_not_approved       an approved or ended grant rests on an eligibility
//                                        determination of the same student, programme and year that
//                                        is eligible and approved (revoked only if the grant ended),
//                                        decided no later than the grant;
//   maker_is_checker                     the user who proposed a grant or an eligibility never decided it;
//   payout_beyond_grant                  settled payouts of a grant (returned ones excluded) add up to
//                                        no more than the grant;
//   instalment_paid_twice                an instalment is settled by one payout at most;
//   payout_amount_differs                a payout's amount is its instalment's amount;
//   payout_record_mismatch               a payout's instalment, grant, student and programme agree;
//   duplicate_grant                      one grant at most per student, programme and year (rejected aside);
//   payout_account_not_students          a payout went to an account the student held (see below).
import type { CheckResult, Exception, Figure } from '../check-types.ts';
import { formatAcademicYear } from '../../domain/academic-year.ts';
import { formatMoney, money } from '../../domain/money.ts';
import { Prisma } from '#prisma';
import { type CheckOptions, type ReconcileDb, silentProgress, sortExceptions } from './support.ts';

interface Rule {
  codes: string[];
  label: string;
  run(db: ReconcileDb, scope: (column: Prisma.Sql) => Prisma.Sql): Promise<Exception[]>;
}

const year = (y: number) => formatAcademicYear(y);
const col = (name: string) => Prisma.raw(name);

const RULES: Rule[] = [
  {
    codes: ['grant_no_band', 'grant_outside_band', 'grant_level_mismatch'],
    label: '资助金额在标准区间内且层次与学籍一致 (grant inside its band, level as enrolled)',
    async run(db, scope) {
      const rows = await db.$queryRaw<
        {
          grant_id: string;
          student_id: string;
          programme: string;
          academic_year: number;
          level: string;
          status: string;
          amount: string;
          min_amount: string | null;
          max_amount: string | null;
          enrolment_level: string | null;
        }[]
      >`
        SELECT g."id"::text AS grant_id, g."student_id"::text AS student_id, pr."code" AS programme, g."academic_year",
               g."level"::text AS level, g."status"::text AS status, g."amount"::text AS amount,
               b."min_amount"::text AS min_amount, b."max_amount"::text AS max_amount, en."level"::text AS enrolment_level
        FROM "grant" g
        JOIN "programme" pr ON pr."id" = g."programme_id"
        LEFT JOIN "programme_band" b ON b."programme_id" = g."programme_id" AND b."academic_year" = g."academic_year" AND b."level" = g."level"
        LEFT JOIN "eligibility_determination" e ON e."id" = g."eligibility_id"
        LEFT JOIN "enrolment" en ON en."id" = e."enrolment_id"
        WHERE g."status" <> 'rejected' AND ${scope(col('g."programme_id"'))}
          AND (b."programme_id" IS NULL OR g."amount" < b."min_amount" OR g."amount" > b."max_amount" OR en."level" IS DISTINCT FROM g."level")`;
      const out: Exception[] = [];
      for (const r of rows) {
        const subject = {
          grantId: r.grant_id,
          studentId: r.student_id,
          programme: r.programme,
          academicYear: year(r.academic_year),
          level: r.level,
          status: r.status,
        };
        if (r.min_amount === null || r.max_amount === null) {
          out.push({
            code: 'grant_no_band',
            message: `资助无对应标准 (no band for the grant's programme, year and level): ${r.programme} ${year(r.academic_year)} ${r.level}`,
            subject,
            amount: formatMoney(r.amount),
          });
        } else if (money(r.amount).lessThan(r.min_amount) || money(r.amount).greaterThan(r.max_amount)) {
          out.push({
            code: 'grant_outside_band',
            message: `资助金额超出标准区间 (grant amount outside its band): ${formatMoney(r.amount)} 不在 (not in) ${formatMoney(r.min_amount)}–${formatMoney(r.max_amount)}`,
            subject,
            amount: formatMoney(r.amount),
          });
        }
        if (r.enrolment_level !== r.level) {
          out.push({
            code: 'grant_level_mismatch',
            message: `资助层次与学籍不符 (grant level differs from the enrolment's): ${r.level} ≠ ${r.enrolment_level ?? '无学籍 (no enrolment)'}`,
            subject,
          });
        }
      }
      return out;
    },
  },
  {
    codes: ['grant_eligibility_not_approved'],
    label: "资助所依据的资格已获批准 (eligibility approved for the grant's year)",
    async run(db, scope) {
      const rows = await db.$queryRaw<
        {
          grant_id: string;
          student_id: string;
          programme: string;
          academic_year: number;
          status: string;
          eligibility_id: string | null;
          eligibility_status: string | null;
          eligible: boolean | null;
          same_record: boolean | null;
          decided_later: boolean | null;
        }[]
      >`
        SELECT g."id"::text AS grant_id, g."student_id"::text AS student_id, pr."code" AS programme, g."academic_year", g."status"::text AS status,
               e."id"::text AS eligibility_id, e."status"::text AS eligibility_status, e."eligible",
               (e."student_id" = g."student_id" AND e."programme_id" = g."programme_id" AND e."academic_year" = g."academic_year") AS same_record,
               (e."decided_at" IS NULL OR e."decided_at" > g."decided_at") AS decided_later
        FROM "grant" g
        JOIN "programme" pr ON pr."id" = g."programme_id"
        LEFT JOIN "eligibility_determination" e ON e."id" = g."eligibility_id"
        WHERE g."status" IN ('approved', 'ended') AND ${scope(col('g."programme_id"'))}
          AND (e."id" IS NULL
               OR NOT (e."student_id" = g."student_id" AND e."programme_id" = g."programme_id" AND e."academic_year" = g."academic_year")
               OR NOT e."eligible"
               OR NOT (e."status" = 'approved' OR (e."status" = 'revoked' AND g."status" = 'ended'))
               OR e."decided_at" IS NULL OR e."decided_at" > g."decided_at")`;
      return rows.map((r) => {
        const why =
          r.eligibility_id === null
            ? '无资格认定 (no eligibility determination)'
            : !r.same_record
              ? '资格属于其他学生、项目或学年 (the eligibility is for another student, programme or year)'
              : !r.eligible
                ? '资格认定结果为不符合 (the determination found the student not eligible)'
                : r.eligibility_status !== 'approved' && r.eligibility_status !== 'revoked'
                  ? `资格状态为 ${r.eligibility_status} (eligibility is ${r.eligibility_status})`
                  : r.eligibility_status === 'revoked'
                    ? '资格已撤销而资助仍有效 (eligibility revoked while the grant is still approved)'
                    : '资格批准晚于资助批准 (eligibility decided after the grant)';
        return {
          code: 'grant_eligibility_not_approved',
          message: `资助缺少已批准的资格 (grant without approved eligibility for its year): ${why}`,
          subject: {
            grantId: r.grant_id,
            studentId: r.student_id,
            programme: r.programme,
            academicYear: year(r.academic_year),
            eligibilityId: r.eligibility_id,
          },
        };
      });
    },
  },
  {
    codes: ['maker_is_checker'],
    label: '提议人与审批人不同 (proposer is never the approver)',
    async run(db, scope) {
      const rows = await db.$queryRaw<{ record: string; id: string; programme: string; academic_year: number; user_id: string }[]>`
        SELECT 'grant' AS record, g."id"::text AS id, pr."code" AS programme, g."academic_year", g."proposed_by_id"::text AS user_id
        FROM "grant" g JOIN "programme" pr ON pr."id" = g."programme_id"
        WHERE g."decided_by_id" = g."proposed_by_id" AND ${scope(col('g."programme_id"'))}
        UNION ALL
        SELECT 'eligibility' AS record, e."id"::text AS id, pr."code" AS programme, e."academic_year", e."proposed_by_id"::text AS user_id
        FROM "eligibility_determination" e JOIN "programme" pr ON pr."id" = e."programme_id"
        WHERE e."decided_by_id" = e."proposed_by_id" AND ${scope(col('e."programme_id"'))}`;
      return rows.map((r) => ({
        code: 'maker_is_checker',
        message: `同一用户提议并审批 (the same user proposed and decided): ${r.record === 'grant' ? '资助 (grant)' : '资格 (eligibility)'}`,
        subject: { record: r.record, id: r.id, programme: r.programme, academicYear: year(r.academic_year), userId: r.user_id },
      }));
    },
  },
  {
    codes: ['payout_beyond_grant'],
    label: '已结算发放不超过资助金额 (settled payouts within the grant)',
    async run(db, scope) {
      const rows = await db.$queryRaw<
        { grant_id: string; student_id: string; programme: string; academic_year: number; amount: string; settled: string; payouts: number }[]
      >`
        SELECT g."id"::text AS grant_id, g."student_id"::text AS student_id, pr."code" AS programme, g."academic_year",
               g."amount"::text AS amount, sum(p."amount")::text AS settled, count(*)::int AS payouts
        FROM "grant" g
        JOIN "programme" pr ON pr."id" = g."programme_id"
        JOIN "payout" p ON p."grant_id" = g."id" AND p."status" = 'settled'
        WHERE ${scope(col('g."programme_id"'))}
        GROUP BY g."id", g."student_id", pr."code", g."academic_year", g."amount"
        HAVING sum(p."amount") > g."amount"`;
      return rows.map((r) => ({
        code: 'payout_beyond_grant',
        message: `已结算发放超过资助金额 (settled payouts exceed the grant): ${formatMoney(r.settled)} > ${formatMoney(r.amount)} (${r.payouts} 笔 payouts)`,
        subject: { grantId: r.grant_id, studentId: r.student_id, programme: r.programme, academicYear: year(r.academic_year) },
        amount: formatMoney(r.settled),
      }));
    },
  },
  {
    codes: ['instalment_paid_twice'],
    label: '每期至多结算一次 (an instalment settled once at most)',
    async run(db, scope) {
      const rows = await db.$queryRaw<{ instalment_id: string; grant_id: string; programme: string; payouts: number; settled: string }[]>`
        SELECT p."instalment_id"::text AS instalment_id, min(p."grant_id"::text) AS grant_id, pr."code" AS programme,
               count(*)::int AS payouts, sum(p."amount")::text AS settled
        FROM "payout" p JOIN "programme" pr ON pr."id" = p."programme_id"
        WHERE p."status" = 'settled' AND ${scope(col('p."programme_id"'))}
        GROUP BY p."instalment_id", pr."code"
        HAVING count(*) > 1`;
      return rows.map((r) => ({
        code: 'instalment_paid_twice',
        message: `同一期被结算多次 (one instalment settled by several payouts): ${r.payouts}`,
        subject: { instalmentId: r.instalment_id, grantId: r.grant_id, programme: r.programme },
        amount: formatMoney(r.settled),
      }));
    },
  },
  {
    codes: ['payout_amount_differs', 'payout_record_mismatch'],
    label: "发放金额等于分期金额，记录一致 (payout amount is its instalment's; records agree)",
    async run(db, scope) {
      const rows = await db.$queryRaw<
        {
          payout_id: string;
          reference: string;
          programme: string;
          status: string;
          amount: string;
          instalment_id: string;
          instalment_amount: string | null;
          same_grant: boolean | null;
          same_student: boolean | null;
          same_programme: boolean | null;
        }[]
      >`
        SELECT p."id"::text AS payout_id, p."reference", pr."code" AS programme, p."status"::text AS status, p."amount"::text AS amount,
               p."instalment_id"::text AS instalment_id, i."amount"::text AS instalment_amount,
               (i."grant_id" = p."grant_id") AS same_grant, (g."student_id" = p."student_id") AS same_student,
               (g."programme_id" = p."programme_id") AS same_programme
        FROM "payout" p
        JOIN "programme" pr ON pr."id" = p."programme_id"
        LEFT JOIN "instalment" i ON i."id" = p."instalment_id"
        LEFT JOIN "grant" g ON g."id" = p."grant_id"
        WHERE ${scope(col('p."programme_id"'))}
          AND (i."id" IS NULL OR g."id" IS NULL OR p."amount" <> i."amount" OR i."grant_id" <> p."grant_id"
               OR g."student_id" <> p."student_id" OR g."programme_id" <> p."programme_id")`;
      const out: Exception[] = [];
      for (const r of rows) {
        const subject = { payoutId: r.payout_id, reference: r.reference, programme: r.programme, status: r.status, instalmentId: r.instalment_id };
        if (r.instalment_amount !== null && !money(r.instalment_amount).equals(r.amount)) {
          out.push({
            code: 'payout_amount_differs',
            message: `发放金额与分期金额不符 (payout amount differs from its instalment): ${formatMoney(r.amount)} ≠ ${formatMoney(r.instalment_amount)}`,
            subject,
            amount: formatMoney(r.amount),
          });
        }
        if (r.instalment_amount === null || r.same_grant !== true || r.same_student !== true || r.same_programme !== true) {
          out.push({
            code: 'payout_record_mismatch',
            message: '发放记录与其分期、资助、学生或项目不一致 (payout does not agree with its instalment, grant, student or programme)',
            subject,
          });
        }
      }
      return out;
    },
  },
  {
    codes: ['duplicate_grant'],
    label: '每名学生每项目每学年至多一笔资助 (one grant per student, programme and year)',
    async run(db, scope) {
      const rows = await db.$queryRaw<{ student_id: string; programme: string; academic_year: number; grants: number; grant_ids: string; total: string }[]>`
        SELECT g."student_id"::text AS student_id, pr."code" AS programme, g."academic_year", count(*)::int AS grants,
               string_agg(g."id"::text, ' ' ORDER BY g."id") AS grant_ids, sum(g."amount")::text AS total
        FROM "grant" g JOIN "programme" pr ON pr."id" = g."programme_id"
        WHERE g."status" <> 'rejected' AND ${scope(col('g."programme_id"'))}
        GROUP BY g."student_id", pr."code", g."academic_year"
        HAVING count(*) > 1`;
      return rows.map((r) => ({
        code: 'duplicate_grant',
        message: `同一学生同一项目学年有多笔资助 (more than one grant for the same student, programme and year): ${r.grants}`,
        subject: { studentId: r.student_id, programme: r.programme, academicYear: year(r.academic_year), grantIds: r.grant_ids },
        amount: formatMoney(r.total),
      }));
    },
  },
  {
    codes: ['payout_account_not_students'],
    label: "收款账户为学生本人账户 (payouts to the student's own account)",
    // There is no table of a student's past accounts: the student row holds the current account
    // (keyed hash), and each change leaves an audit event `student.change_bank_account` whose
    // `before` keeps the previous account in MASKED form and its bank. So a payout is to the
    // student's account when its snapshot hash equals the student's current hash; or, when the
    // student changed accounts after the payout was made (its batch's creation), when the first
    // such change's `before` equals the payout's masked account and bank (the account the student
    // held when the payout was made, compared on its masked form: exact on the hash is not possible
    // without a history of hashes). Never when the account is the current account of another student.
    async run(db, scope) {
      const rows = await db.$queryRaw<
        { payout_id: string; reference: string; programme: string; status: string; student_id: string; amount: string; other_student: boolean }[]
      >`
        SELECT p."id"::text AS payout_id, p."reference", pr."code" AS programme, p."status"::text AS status,
               p."student_id"::text AS student_id, p."amount"::text AS amount,
               EXISTS (SELECT 1 FROM "student" o WHERE o."bank_account_hash" = p."payee_account_hash" AND o."id" <> p."student_id") AS other_student
        FROM "payout" p
        JOIN "programme" pr ON pr."id" = p."programme_id"
        JOIN "payout_batch" b ON b."id" = p."batch_id"
        LEFT JOIN "student" s ON s."id" = p."student_id"
        LEFT JOIN LATERAL (
          SELECT a."before" FROM "audit_event" a
          WHERE a."record_type" = 'student' AND a."record_id" = p."student_id"::text AND a."action" = 'student.change_bank_account'
            AND a."occurred_at" >= b."created_at"
          ORDER BY a."occurred_at", a."id" LIMIT 1
        ) ch ON true
        WHERE p."status" <> 'cancelled' AND ${scope(col('p."programme_id"'))}
          AND (s."id" IS NULL
               OR EXISTS (SELECT 1 FROM "student" o WHERE o."bank_account_hash" = p."payee_account_hash" AND o."id" <> p."student_id")
               OR (p."payee_account_hash" <> s."bank_account_hash"
                   AND NOT (ch."before" IS NOT NULL AND ch."before"->>'accountNumber' = p."payee_account_masked"
                            AND ch."before"->>'bankName' = p."payee_bank_name")))`;
      return rows.map((r) => ({
        code: 'payout_account_not_students',
        message: r.other_student
          ? '收款账户为其他学生的账户 (payout to an account held by another student)'
          : '收款账户不是学生本人的账户 (payout to an account the student did not hold)',
        subject: { payoutId: r.payout_id, reference: r.reference, programme: r.programme, status: r.status, studentId: r.student_id },
        amount: formatMoney(r.amount),
      }));
    },
  },
];

/** The codes this check can report, in the order of its rules. */
export const RULE_CODES: readonly string[] = RULES.flatMap((r) => r.codes);

export async function runRulesCheck(db: ReconcileDb, options: CheckOptions = {}): Promise<CheckResult> {
  const progress = options.progress ?? silentProgress;
  const programmeId = options.programmeId ?? null;
  const scope = (column: Prisma.Sql) => Prisma.sql`(${programmeId}::uuid IS NULL OR ${column} = ${programmeId}::uuid)`;
  const exceptions: Exception[] = [];
  const perRule: (string | number)[][] = [];
  progress.start('规则 rules', RULES.length);
  try {
    for (const rule of RULES) {
      const found = await rule.run(db, scope);
      exceptions.push(...found);
      perRule.push([rule.label, rule.codes.join(', '), found.length]);
      progress.tick(1);
    }
  } finally {
    progress.stop();
  }

  const [counts] = await db.$queryRaw<{ grants: number; eligibility: number; payouts: number }[]>`
    SELECT (SELECT count(*)::int FROM "grant" WHERE "status" <> 'rejected' AND (${programmeId}::uuid IS NULL OR "programme_id" = ${programmeId}::uuid)) AS grants,
           (SELECT count(*)::int FROM "eligibility_determination" WHERE "decided_by_id" IS NOT NULL AND (${programmeId}::uuid IS NULL OR "programme_id" = ${programmeId}::uuid)) AS eligibility,
           (SELECT count(*)::int FROM "payout" WHERE (${programmeId}::uuid IS NULL OR "programme_id" = ${programmeId}::uuid)) AS payouts`;
  const figures: Figure[] = [
    { key: 'rules_applied', label: '适用规则 (rules applied)', value: RULES.length },
    { key: 'grants_checked', label: '已核对资助 (grants checked, rejected aside)', value: counts?.grants ?? 0 },
    { key: 'eligibility_checked', label: '已核对资格决定 (eligibility decisions checked)', value: counts?.eligibility ?? 0 },
    { key: 'payouts_checked', label: '已核对发放 (payouts checked)', value: counts?.payouts ?? 0 },
  ];
  const sorted = sortExceptions(exceptions);
  return {
    check: 'rules',
    status: sorted.length === 0 ? 'clean' : 'breaks',
    figures,
    exceptions: sorted,
    tables: [{ title: '规则 (rules)', columns: ['规则 (rule)', '代码 (codes)', '异常 (exceptions)'], rows: perRule }],
  };
}
