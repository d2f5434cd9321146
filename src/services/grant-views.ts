// Views of a programme's grants: the summary per academic year, and the CSV list
// for the foundation. Everything is computed from the database on each call; nothing is stored.
//
// What counts:
// - A grant is FUNDED once approved: status `approved` or `ended` (ended grants keep what was paid
//   and say what was cancelled). Proposed and rejected grants appear in neither the summary nor the CSV.
// - committed = sum of funded grants' amounts; paid = instalments `paid`; cancelled = instalments
//   `cancelled`; remaining = committed − paid − cancelled (scheduled, held and sent instalments).
// - Region: the prefecture of the student's registered region code (Qinghai: 西宁市, 海东市, …; for
//   a province without a county table, the province itself), named from src/domain/regions.ts.
// - Uncommitted fund: the programme's ledger `fund` balance now (it is not per year).
// Scope: programmes the actor may see (foundation: those it funds; department: those it administers;
// auditors: those their engagement covers; admins: all); any other answers 404.
import { z } from 'zod';
import { AcademicYearText, Uuid } from './fields.ts';
import { parseInput } from './validation.ts';
import { formatAcademicYear, type AcademicYear } from '../domain/academic-year.ts';
import { NotFoundError } from '../domain/errors.ts';
import { type Money, ZERO, formatMoney, money } from '../domain/money.ts';
import { regionOf } from '../domain/regions.ts';
import type { Action } from '../domain/roles.ts';
import type { EnrolmentLevel, GrantStatus } from '#prisma/enums';
import { programmeBalances } from '../ledger/balances.ts';
import { exportGrantRegister } from './grant-register-files.ts';
import { academicYearField } from './fields.ts';
import type { ServiceContext, UseCaseCall } from './context.ts';
import { programmeScope, requirePermission } from './scope.ts';

export const GrantSummaryInput = z.strictObject({ programmeId: Uuid, academicYear: AcademicYearText.optional() });
export type GrantSummaryInput = z.input<typeof GrantSummaryInput>;

export const GrantCsvInput = z.strictObject({
  programmeId: Uuid,
  academicYear: AcademicYearText.optional(),
  encoding: z.enum(['utf-8', 'gbk'], { message: 'must be utf-8 or gbk' }).default('utf-8').meta({ description: 'utf-8 (with a BOM, the default) or gbk' }),
});
export type GrantCsvInput = z.input<typeof GrantCsvInput>;

export interface Figures {
  studentsFunded: number;
  grants: number;
  committed: string;
  paid: string;
  cancelled: string;
  remaining: string;
}

export interface YearSummary extends Figures {
  /** '2026-2027', or null for the cumulative figures over the years listed. */
  academicYear: string | null;
  byLevel: (Figures & { level: EnrolmentLevel })[];
  byRegion: (Figures & { regionCode: string; regionName: string })[];
}

export interface GrantSummary {
  programme: { id: string; code: string; name: string };
  /** The year asked for, or null when all years are summarised. */
  academicYear: string | null;
  uncommittedFund: string;
  currency: 'CNY';
  years: YearSummary[];
  cumulative: YearSummary;
}

interface FundedGrant {
  id: string;
  academicYear: number;
  studentId: string;
  level: EnrolmentLevel;
  status: GrantStatus;
  amount: Money;
  paid: Money;
  cancelled: Money;
  regionCode: string;
  regionName: string;
}

function parseYear(text: string | undefined): AcademicYear | null {
  return text === undefined ? null : academicYearField(text);
}

async function programmeInScope(ctx: ServiceContext, id: string) {
  const programme = await ctx.db.programme.findFirst({ where: { AND: [{ id }, programmeScope(ctx.actor)] }, select: { id: true, code: true, name: true } });
  if (!programme) throw new NotFoundError('programme');
  return programme;
}

/**
 * The funded grants of a programme the actor may see (else 404), for the action (else 403): of the
 * academic year asked for, or of every year.
 */
async function fundedGrantsFor(ctx: ServiceContext, input: { programmeId: string; academicYear?: string | undefined }, action: Action) {
  const year = parseYear(input.academicYear);
  const programme = await programmeInScope(ctx, input.programmeId);
  requirePermission(ctx.actor, action);
  return { programme, year, grants: await fundedGrants(ctx, programme.id, year) };
}

interface FundedGrantRow {
  id: string;
  academic_year: number;
  student_id: string;
  level: EnrolmentLevel;
  status: GrantStatus;
  amount: string;
  paid: string;
  cancelled: string;
  region_code: string;
}

/**
 * One statement, the instalments summed per grant by the database: the dashboard asks it on every
 * view, for every funded grant of the programme (hundreds), and objects for each instalment row
 * were most of its cost.
 */
async function fundedGrants(ctx: ServiceContext, programmeId: string, year: AcademicYear | null): Promise<FundedGrant[]> {
  const rows = await ctx.db.$queryRaw<FundedGrantRow[]>`
    SELECT g."id", g."academic_year", g."student_id", g."level"::text AS "level", g."status"::text AS "status", g."amount"::text AS "amount",
           COALESCE(sum(i."amount") FILTER (WHERE i."status" = 'paid'), 0)::text AS "paid",
           COALESCE(sum(i."amount") FILTER (WHERE i."status" = 'cancelled'), 0)::text AS "cancelled",
           s."region_code"
      FROM "grant" g
      JOIN "student" s ON s."id" = g."student_id"
      LEFT JOIN "instalment" i ON i."grant_id" = g."id"
     WHERE g."programme_id" = ${programmeId}::uuid AND g."status" IN ('approved', 'ended')
       AND (${year?.startYear ?? null}::int IS NULL OR g."academic_year" = ${year?.startYear ?? null}::int)
     GROUP BY g."id", s."region_code"
     ORDER BY g."academic_year", g."proposed_at", g."id"`;
  return rows.map((r) => ({
    id: r.id,
    academicYear: r.academic_year,
    studentId: r.student_id,
    level: r.level,
    status: r.status,
    amount: money(r.amount),
    paid: money(r.paid),
    cancelled: money(r.cancelled),
    ...regionOf(r.region_code),
  }));
}

function figures(grants: FundedGrant[]): Figures {
  const committed = grants.reduce((s, g) => s.plus(g.amount), ZERO);
  const paid = grants.reduce((s, g) => s.plus(g.paid), ZERO);
  const cancelled = grants.reduce((s, g) => s.plus(g.cancelled), ZERO);
  return {
    studentsFunded: new Set(grants.map((g) => g.studentId)).size,
    grants: grants.length,
    committed: formatMoney(committed),
    paid: formatMoney(paid),
    cancelled: formatMoney(cancelled),
    remaining: formatMoney(committed.minus(paid).minus(cancelled)),
  };
}

function groupBy<K extends string>(grants: FundedGrant[], key: (g: FundedGrant) => K): Map<K, FundedGrant[]> {
  const groups = new Map<K, FundedGrant[]>();
  for (const g of grants) groups.set(key(g), [...(groups.get(key(g)) ?? []), g]);
  return groups;
}

function summarise(academicYear: string | null, grants: FundedGrant[]): YearSummary {
  const levels = [...groupBy(grants, (g) => g.level)].sort(([a], [b]) => a.localeCompare(b));
  const regions = [...groupBy(grants, (g) => g.regionCode)].sort(([a], [b]) => a.localeCompare(b));
  return {
    academicYear,
    ...figures(grants),
    byLevel: levels.map(([level, gs]) => ({ level, ...figures(gs) })),
    byRegion: regions.map(([regionCode, gs]) => ({ regionCode, regionName: (gs[0] as FundedGrant).regionName, ...figures(gs) })),
  };
}

export async function programmeGrantSummary({ ctx, input: raw }: UseCaseCall<GrantSummaryInput>): Promise<GrantSummary> {
  const input = parseInput(GrantSummaryInput, raw);
  const { programme, year, grants } = await fundedGrantsFor(ctx, input, 'grant.summary');
  const years = year ? [year.startYear] : [...new Set(grants.map((g) => g.academicYear))].sort((a, b) => a - b);
  const balances = (await programmeBalances(ctx.db, [programme.id])).get(programme.id);
  return {
    programme,
    academicYear: year ? year.label : null,
    uncommittedFund: formatMoney(balances?.fund ?? ZERO),
    currency: 'CNY',
    years: years.map((y) =>
      summarise(
        formatAcademicYear(y),
        grants.filter((g) => g.academicYear === y),
      ),
    ),
    cumulative: summarise(null, grants),
  };
}

// ─── CSV for the foundation ─────────────────────────────────────────────────────────────────────

/** The grant register as CSV (grant-register-files.ts): the API's grants.csv. */
export async function exportProgrammeGrantsCsv({ ctx, input: raw }: UseCaseCall<GrantCsvInput>) {
  const input = parseInput(GrantCsvInput, raw);
  return exportGrantRegister({ ctx, input: { ...input, format: 'csv' } });
}
