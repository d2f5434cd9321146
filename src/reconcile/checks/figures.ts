// Check `figures`: the numbers a department publishes ("143 students, 540,000 CNY; since 2024 227
// person-times, 840,000 CNY"), computed from the LEDGER, not from the grant table, per programme
// and academic year and cumulatively, by level and by region.
//
// From each ledger transaction of these kinds, joined to its grant (directly, or through the payout
// for payout transactions) for the academic year, level and student, and to the student for the
// registered region; the programme is the transaction's own:
//   grant_approved        approved amount (+), person-times (+1)
//   remainder_cancelled   cancelled amount (+): what went back to the fund unpaid
//   payout_settled        paid (+)
//   payout_returned       paid (−): returned after it settled
//   correction            the mirror of the transaction it reverses (approved −, person-times −1, …)
// Payouts that failed before settling never counted as paid, so they need no entry here.
//
// - students funded: distinct students with a grant approved (and not reversed) in the group; in a
//   cumulative row, distinct over all years (a student funded three years counts once);
// - person-times (人次): grants approved, net of corrections;
// - amount paid: settled net of returns;
// - average grant: amount approved ÷ person-times, rounded half-up to two decimals (fen), or 0.00
//   when there are none;
// - region: the prefecture of the student's registered region code, i.e. its first four digits
//   (code xxxx00), named from src/domain/regions.ts (Qinghai's table; elsewhere the province name).
// Transactions whose grant cannot be found are exceptions (`figures_source_missing`).
// Beside them, the empowerment track's person-times (赋能人次) by year and kind (empowerment-figures.ts).
//
// The database adds up (GROUPING SETS over per-grant sums), so memory grows with the number of
// programmes, years, levels and regions, never with the number of transactions.
import { Decimal } from 'decimal.js';
import type { CheckResult, Exception, Figure } from '../check-types.ts';
import { formatAcademicYear } from '../../domain/academic-year.ts';
import { ENROLMENT_LEVELS, ENROLMENT_LEVEL_LABELS, type EnrolmentLevel } from '../../domain/eligibility.ts';
import { type Money, ZERO, formatMoney, money } from '../../domain/money.ts';
import { prefectureOf, provinceOf } from '../../domain/regions.ts';
import { Prisma } from '#prisma';
import { type GrantPersonTimes, academicYearKey, empowermentFigures } from './empowerment-figures.ts';
import { type CheckOptions, type ReconcileDb, byText, programmesInScope, silentProgress, sortExceptions } from './support.ts';

/** One group's sums as the database gives them; `g*` = 1 when that column is rolled up. */
interface GroupRow {
  programme_id: string | null;
  academic_year: number | null;
  level: EnrolmentLevel | null;
  prefix: string | null;
  gp: number;
  gy: number;
  gl: number;
  gr: number;
  students: number;
  person_times: number;
  approved: string;
  cancelled: string;
  paid: string;
}

interface Measures {
  students: number;
  personTimes: number;
  approved: Money;
  cancelled: Money;
  paid: Money;
}

function measures(row: GroupRow): Measures {
  return { students: row.students, personTimes: row.person_times, approved: money(row.approved), cancelled: money(row.cancelled), paid: money(row.paid) };
}

/** Amount approved ÷ person-times, half-up to the fen; 0.00 with no person-times. */
export function averageGrant(approved: Money, personTimes: number): Money {
  if (personTimes <= 0) return ZERO;
  return approved.dividedBy(personTimes).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

function cells(m: Measures): (string | number)[] {
  return [
    m.students,
    m.personTimes,
    formatMoney(m.approved),
    formatMoney(m.cancelled),
    formatMoney(m.paid),
    formatMoney(averageGrant(m.approved, m.personTimes)),
  ];
}

const MEASURE_COLUMNS = [
  '受助学生 (students funded)',
  '人次 (person-times)',
  '批准金额 (approved)',
  '取消金额 (cancelled)',
  '已发放 (paid, net of returns)',
  '平均资助 (average grant)',
];
const CUMULATIVE = '累计 (cumulative)';

/** Prefecture of a registered region code: its first four digits, with a name when one is known. */
export function prefectureKey(regionCode: string): { code: string; name: string } {
  const code = `${regionCode.slice(0, 4)}00`;
  const province = provinceOf(regionCode);
  const prefecture = prefectureOf(regionCode);
  if (province && prefecture) return { code, name: province.name + prefecture.name };
  if (province) return { code, name: province.name };
  return { code, name: '未知 (unknown)' };
}

const levelLabel = (level: EnrolmentLevel) => `${ENROLMENT_LEVEL_LABELS[level].zh} (${level})`;
const levelRank = (level: EnrolmentLevel | null) => (level === null ? -1 : ENROLMENT_LEVELS.indexOf(level));

/**
 * The money transactions of the scope with the grant each one is about: `kind` and `sign` are the
 * reversed transaction's with −1 for a correction.
 */
function moneyTransactions(programmeId: string | null): Prisma.Sql {
  return Prisma.sql`
    SELECT t."seq", t."programme_id", k.kind, k.sign,
           CASE WHEN k.source_type = 'grant' THEN k.source_id ELSE p."grant_id" END AS grant_id, a.amount
    FROM "ledger_transaction" t
    LEFT JOIN "ledger_transaction" o ON o."id" = t."reverses_id"
    CROSS JOIN LATERAL (
      SELECT CASE WHEN t."kind" = 'correction' THEN o."kind" ELSE t."kind" END AS kind,
             CASE WHEN t."kind" = 'correction' THEN -1 ELSE 1 END AS sign,
             CASE WHEN t."kind" = 'correction' THEN o."source_type" ELSE t."source_type" END AS source_type,
             CASE WHEN t."kind" = 'correction' THEN o."source_id" ELSE t."source_id" END AS source_id
    ) k
    LEFT JOIN "payout" p ON k.source_type = 'payout' AND p."id" = k.source_id
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(e."amount"), 0) AS amount FROM "ledger_entry" e WHERE e."transaction_id" = t."id" AND e."direction" = 'debit'
    ) a
    WHERE k.kind IN ('grant_approved', 'remainder_cancelled', 'payout_settled', 'payout_returned')
      AND (${programmeId}::uuid IS NULL OR t."programme_id" = ${programmeId}::uuid)`;
}

export async function runFiguresCheck(db: ReconcileDb, options: CheckOptions = {}): Promise<CheckResult> {
  const progress = options.progress ?? silentProgress;
  const programmeId = options.programmeId ?? null;
  const programmes = await programmesInScope(db, options.programmeId);
  const codeOf = new Map(programmes.map((p) => [p.id, p.code]));
  progress.start('数字 figures', 2);

  const groups = await db.$queryRaw<GroupRow[]>`
    WITH tx AS (${moneyTransactions(programmeId)}),
    per_grant AS (
      SELECT tx."programme_id", tx.grant_id,
             sum(CASE WHEN tx.kind = 'grant_approved' THEN tx.sign ELSE 0 END) AS approvals,
             sum(CASE WHEN tx.kind = 'grant_approved' THEN tx.sign * tx.amount ELSE 0 END) AS approved,
             sum(CASE WHEN tx.kind = 'remainder_cancelled' THEN tx.sign * tx.amount ELSE 0 END) AS cancelled,
             sum(CASE WHEN tx.kind = 'payout_settled' THEN tx.sign * tx.amount
                      WHEN tx.kind = 'payout_returned' THEN -tx.sign * tx.amount ELSE 0 END) AS paid
      FROM tx WHERE tx.grant_id IS NOT NULL
      GROUP BY tx."programme_id", tx.grant_id
    ),
    j AS (
      SELECT pg."programme_id", g."academic_year", g."level"::text AS level, g."student_id", left(coalesce(s."region_code", '000000'), 4) AS prefix,
             pg.approvals, pg.approved, pg.cancelled, pg.paid
      FROM per_grant pg JOIN "grant" g ON g."id" = pg.grant_id LEFT JOIN "student" s ON s."id" = g."student_id"
    )
    SELECT j."programme_id"::text AS programme_id, j."academic_year", j.level, j.prefix,
           GROUPING(j."programme_id")::int AS gp, GROUPING(j."academic_year")::int AS gy, GROUPING(j.level)::int AS gl, GROUPING(j.prefix)::int AS gr,
           count(DISTINCT j."student_id") FILTER (WHERE j.approvals > 0)::int AS students,
           coalesce(sum(j.approvals), 0)::int AS person_times,
           coalesce(sum(j.approved), 0)::text AS approved, coalesce(sum(j.cancelled), 0)::text AS cancelled, coalesce(sum(j.paid), 0)::text AS paid
    FROM j
    GROUP BY GROUPING SETS (
      (j."programme_id", j."academic_year"), (j."programme_id", j."academic_year", j.level), (j."programme_id", j."academic_year", j.prefix),
      (j."programme_id"), (j."programme_id", j.level), (j."programme_id", j.prefix), ()
    )`;
  progress.tick(1);

  const missing = await db.$queryRaw<{ seq: bigint; kind: string; amount: string }[]>`
    WITH tx AS (${moneyTransactions(programmeId)})
    SELECT tx."seq", tx.kind::text AS kind, tx.amount::text AS amount
    FROM tx LEFT JOIN "grant" g ON g."id" = tx.grant_id
    WHERE g."id" IS NULL
    ORDER BY tx."seq"`;
  progress.tick(1);
  progress.stop();

  const exceptions: Exception[] = missing.map((m) => ({
    code: 'figures_source_missing',
    message: `账本交易找不到其资助 (ledger transaction whose grant cannot be found): seq ${m.seq.toString()} ${m.kind}`,
    subject: { seq: Number(m.seq), kind: m.kind },
    amount: formatMoney(m.amount),
  }));

  // Rows in a fixed order: programme code, then years ascending with the cumulative row last, then
  // level in the order of the levels, or region code.
  const yearKey = (r: GroupRow) => (r.gy === 1 ? Number.MAX_SAFE_INTEGER : (r.academic_year as number));
  const yearLabel = (r: GroupRow) => (r.gy === 1 ? CUMULATIVE : formatAcademicYear(r.academic_year as number));
  const ordered = groups
    .filter((r) => r.gp === 0)
    .sort(
      (a, b) =>
        byText(codeOf.get(a.programme_id as string) ?? '', codeOf.get(b.programme_id as string) ?? '') ||
        yearKey(a) - yearKey(b) ||
        levelRank(a.level) - levelRank(b.level) ||
        byText(a.prefix ?? '', b.prefix ?? ''),
    );
  const summaryRows: (string | number)[][] = [];
  const levelRows: (string | number)[][] = [];
  const regionRows: (string | number)[][] = [];
  for (const r of ordered) {
    const code = codeOf.get(r.programme_id as string) ?? (r.programme_id as string);
    if (r.gl === 1 && r.gr === 1) summaryRows.push([code, yearLabel(r), ...cells(measures(r))]);
    else if (r.gl === 0) levelRows.push([code, yearLabel(r), levelLabel(r.level as EnrolmentLevel), ...cells(measures(r))]);
    else {
      const region = prefectureKey(`${r.prefix as string}00`);
      regionRows.push([code, yearLabel(r), region.code, region.name, ...cells(measures(r))]);
    }
  }

  // Grant person-times per programme and year (null: all years), for the empowerment table beside them.
  const grantPersonTimes: GrantPersonTimes = new Map();
  for (const r of ordered) {
    if (r.gl !== 1 || r.gr !== 1) continue;
    const byYear = grantPersonTimes.get(r.programme_id as string) ?? new Map<string | null, number>();
    grantPersonTimes.set(r.programme_id as string, byYear);
    byYear.set(academicYearKey(r.gy === 1 ? null : r.academic_year), r.person_times);
  }
  const empowerment = await empowermentFigures(db, programmes, grantPersonTimes);

  const total = groups.find((r) => r.gp === 1);
  const overall: Measures = total ? measures(total) : { students: 0, personTimes: 0, approved: ZERO, cancelled: ZERO, paid: ZERO };
  const figures: Figure[] = [
    { key: 'programmes', label: '项目数 (programmes)', value: programmes.length },
    { key: 'students_funded', label: '受助学生累计 (students funded, all years, counted once)', value: overall.students },
    { key: 'person_times', label: '资助人次累计 (person-times, all years)', value: overall.personTimes },
    { key: 'amount_approved', label: '批准金额累计 (amount approved)', value: formatMoney(overall.approved) },
    { key: 'amount_cancelled', label: '取消金额累计 (amount cancelled, back to the fund)', value: formatMoney(overall.cancelled) },
    { key: 'amount_paid', label: '已发放累计 (amount paid, settled net of returns)', value: formatMoney(overall.paid) },
    {
      key: 'average_grant',
      label: '平均资助 (average grant: approved ÷ person-times, half-up to the fen)',
      value: formatMoney(averageGrant(overall.approved, overall.personTimes)),
    },
    empowerment.figure,
  ];
  const sorted = sortExceptions(exceptions);
  return {
    check: 'figures',
    status: sorted.length === 0 ? 'clean' : 'breaks',
    figures,
    exceptions: sorted,
    tables: [
      { title: '按项目和学年 (by programme and academic year)', columns: ['项目 (programme)', '学年 (academic year)', ...MEASURE_COLUMNS], rows: summaryRows },
      { title: '按层次 (by level)', columns: ['项目 (programme)', '学年 (academic year)', '层次 (level)', ...MEASURE_COLUMNS], rows: levelRows },
      {
        title: '按地区 (by region: prefecture of the registered region)',
        columns: ['项目 (programme)', '学年 (academic year)', '地区代码 (region code)', '地区 (region)', ...MEASURE_COLUMNS],
        rows: regionRows,
      },
      empowerment.table,
    ],
  };
}
