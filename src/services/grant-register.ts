// The register of a programme's funded grants, as a foundation reads it: one row per grant (the
// student's name and identity number masked, school, level and prefecture shown) with what was
// paid, what is in transit, what was cancelled and what is still to pay. The pages list it a page
// at a time; the CSV and XLSX downloads (grant-register-files.ts) take every row, so a page and a
// download never disagree. Funded: approved or ended, as in the summary (grant-views.ts).
import { z } from 'zod';
import { formatAcademicYear } from '../domain/academic-year.ts';
import type { EnrolmentLevel } from '../domain/eligibility.ts';
import { ValidationError } from '../domain/errors.ts';
import { regionOf } from '../domain/regions.ts';
import { type Money, ZERO, formatMoney, money } from '../domain/money.ts';
import type { GrantStatus, InstalmentStatus } from '../domain/status-labels.ts';
import type { Prisma } from '#prisma';
import type { ServiceContext } from './context.ts';
import { AcademicYearText, PageInput, Uuid, academicYearField } from './fields.ts';
import { type Page, decodeCursor, pageOf } from './pagination.ts';
import { findProgrammeInScope } from './programmes.ts';
import { requirePermission } from './scope.ts';
import { parseInput } from './validation.ts';

export const GrantRegisterFilters = z.strictObject({
  programmeId: Uuid,
  academicYear: AcademicYearText.optional(),
  status: z.enum(['approved', 'ended'], { message: 'must be approved or ended' }).optional(),
});
export const GrantRegisterInput = PageInput.extend(GrantRegisterFilters.shape);
export type GrantRegisterInput = z.input<typeof GrantRegisterInput>;

export interface GrantRegisterRow {
  grantId: string;
  academicYear: string;
  studentNameMasked: string;
  identityNumberMasked: string;
  school: string;
  level: EnrolmentLevel;
  regionName: string;
  status: GrantStatus;
  amount: string;
  paid: string;
  inTransit: string;
  cancelled: string;
  /** Scheduled or held: approved and not yet sent to the bank. */
  toPay: string;
}

const select = {
  id: true,
  academicYear: true,
  level: true,
  status: true,
  amount: true,
  student: { select: { regionCode: true, nameMasked: true, identityNumberMasked: true } },
  eligibilityId: true,
  instalments: { select: { amount: true, status: true } },
} as const;

type Row = Prisma.GrantGetPayload<{ select: typeof select }>;

function rowOf(r: Row, schools: Map<string, string>): GrantRegisterRow {
  const sum = (...statuses: InstalmentStatus[]): Money =>
    r.instalments.filter((i) => statuses.includes(i.status)).reduce((s, i) => s.plus(money(i.amount.toString())), ZERO);
  return {
    grantId: r.id,
    academicYear: formatAcademicYear(r.academicYear),
    studentNameMasked: r.student.nameMasked,
    identityNumberMasked: r.student.identityNumberMasked,
    school: schools.get(r.eligibilityId) ?? '',
    level: r.level,
    regionName: regionOf(r.student.regionCode).regionName,
    status: r.status as GrantStatus,
    amount: formatMoney(r.amount.toString()),
    paid: formatMoney(sum('paid')),
    inTransit: formatMoney(sum('sent')),
    cancelled: formatMoney(sum('cancelled')),
    toPay: formatMoney(sum('scheduled', 'held')),
  };
}

/** The school of each grant: the enrolment its eligibility rests on, by eligibility id. */
async function schoolsOf(ctx: ServiceContext, rows: Row[]): Promise<Map<string, string>> {
  const determinations = await ctx.db.eligibilityDetermination.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.eligibilityId))] } },
    select: { id: true, enrolmentId: true },
  });
  const enrolmentIds = determinations.flatMap((d) => (d.enrolmentId ? [d.enrolmentId] : []));
  const enrolments = await ctx.db.enrolment.findMany({ where: { id: { in: enrolmentIds } }, select: { id: true, institutionName: true } });
  const schoolOf = new Map(enrolments.map((e) => [e.id, e.institutionName]));
  return new Map(determinations.map((d) => [d.id, (d.enrolmentId && schoolOf.get(d.enrolmentId)) || '']));
}

function whereOf(input: z.output<typeof GrantRegisterFilters>): Prisma.GrantWhereInput {
  return {
    programmeId: input.programmeId,
    status: input.status ? input.status : { in: ['approved', 'ended'] },
    ...(input.academicYear ? { academicYear: academicYearField(input.academicYear).startYear } : {}),
  };
}

/** Newest academic year first; inside a year, in the order the grants were proposed. */
export async function listGrantRegister({ ctx, input: raw }: { ctx: ServiceContext; input: GrantRegisterInput }): Promise<Page<GrantRegisterRow>> {
  const input = parseInput(GrantRegisterInput, raw);
  await findProgrammeInScope(ctx.db, ctx, input.programmeId);
  requirePermission(ctx.actor, 'grant.read');
  const after = decodeCursor(input.cursor, ['year', 'proposedAt', 'id']);
  if (after && (!/^\d{4}$/.test(after.year) || Number.isNaN(Date.parse(after.proposedAt)))) {
    throw new ValidationError([{ path: 'cursor', message: 'not a cursor returned by this list' }]);
  }
  const year = after ? Number(after.year) : 0;
  const proposedAt = after ? new Date(after.proposedAt) : new Date(0);
  const rows = await ctx.db.grant.findMany({
    where: {
      AND: [
        whereOf(input),
        ...(after
          ? [
              {
                OR: [
                  { academicYear: { lt: year } },
                  { academicYear: year, proposedAt: { gt: proposedAt } },
                  { academicYear: year, proposedAt, id: { gt: after.id } },
                ],
              },
            ]
          : []),
      ],
    },
    select: { ...select, proposedAt: true },
    orderBy: [{ academicYear: 'desc' }, { proposedAt: 'asc' }, { id: 'asc' }],
    take: input.limit + 1,
  });
  const page = pageOf(rows, input.limit, (r) => ({ year: String(r.academicYear), proposedAt: r.proposedAt.toISOString(), id: r.id }));
  const schools = await schoolsOf(ctx, page.items);
  return { items: page.items.map((r) => rowOf(r, schools)), nextCursor: page.nextCursor };
}

/** Every row the filters select, a page at a time: for the downloads. */
export async function* allGrantRegisterRows(ctx: ServiceContext, filters: z.input<typeof GrantRegisterFilters>): AsyncGenerator<GrantRegisterRow> {
  let cursor: string | undefined;
  do {
    const page = await listGrantRegister({ ctx, input: { ...filters, limit: 200, ...(cursor ? { cursor } : {}) } });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
