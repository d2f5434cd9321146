// A programme's bands for one academic year: per enrolment level, the minimum and maximum annual
// grant (inclusive); a level with a band is funded. An admin sets a year's bands as a whole: a year
// without bands gets them, a year with bands has them replaced — only while no grant of that year
// is approved (or later ended): the grants already committed were judged against those bands.
// The database refuses the same change whatever path writes (trigger programme_band_guard), and a
// band change and a grant approval of the same year queue on one lock, so neither slips past the other.
// Proposed grants of the year are not touched: their approval checks the band again.
import { formatAcademicYear } from '../domain/academic-year.ts';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError, type FieldProblem } from '../domain/errors.ts';
import { formatMoney, money } from '../domain/money.ts';
import { z } from 'zod';
import type { EnrolmentLevel as EnrolmentLevelValue } from '#prisma/enums';
import { databaseRuleOf } from '../db/errors.ts';
import { recordAudit } from './audit.ts';
import { AcademicYearText, EnrolmentLevel, PositiveMoney, Uuid, academicYearField } from './fields.ts';
import { parseInput } from './validation.ts';
import { type UseCaseCall, inTransaction } from './context.ts';
import { type ProgrammeView, findProgrammeInScope, getProgramme } from './programmes.ts';
import { managesProgrammesOf, requirePermission } from './scope.ts';

const YearBand = z.strictObject({ level: EnrolmentLevel, minAmount: PositiveMoney, maxAmount: PositiveMoney });

export const SetProgrammeBandsInput = z.strictObject({
  programmeId: Uuid,
  academicYear: AcademicYearText,
  bands: z.array(YearBand).min(1, 'at least one band is needed').max(3, 'one band per level at most'),
});
export type SetProgrammeBandsInput = z.input<typeof SetProgrammeBandsInput>;

export interface ProgrammeYearBandsView {
  programmeId: string;
  academicYear: string;
  /** True when the year had bands before and they were replaced; false when it had none. */
  replaced: boolean;
  bands: { level: EnrolmentLevelValue; minAmount: string; maxAmount: string }[];
}

const LEVEL_ORDER: EnrolmentLevelValue[] = ['higher_vocational', 'junior_college', 'undergraduate'];

const locked = (year: string) => new ConflictError('bands_locked', { year });

export const ManagedProgrammeInput = z.strictObject({ programmeId: Uuid });

/**
 * A programme whose bands the actor manages, for the page that sets them: the platform's admins
 * any, a department's admin its own department's; any other answers not found.
 */
export async function getManagedProgramme({ ctx, input: raw }: UseCaseCall<z.input<typeof ManagedProgrammeInput>>): Promise<ProgrammeView> {
  const input = parseInput(ManagedProgrammeInput, raw);
  requirePermission(ctx.actor, 'band.manage');
  const programme = await getProgramme({ ctx, input: { id: input.programmeId } });
  if (!managesProgrammesOf(ctx.actor, programme.administrator.id)) throw new NotFoundError('programme');
  return programme;
}

export async function setProgrammeBands({ ctx, input: raw }: UseCaseCall<SetProgrammeBandsInput>): Promise<ProgrammeYearBandsView> {
  const input = parseInput(SetProgrammeBandsInput, raw);
  const year = academicYearField(input.academicYear);
  const problems: FieldProblem[] = [];
  const seen = new Set<EnrolmentLevelValue>();
  input.bands.forEach((band, i) => {
    if (seen.has(band.level)) problems.push({ path: `bands.${i}.level`, message: 'a band for this level is given twice' });
    seen.add(band.level);
    if (money(band.minAmount).greaterThan(money(band.maxAmount))) problems.push({ path: `bands.${i}.maxAmount`, message: 'must not be below minAmount' });
  });
  return inTransaction(ctx, async (tx) => {
    const programme = await findProgrammeInScope(tx, ctx, input.programmeId);
    requirePermission(ctx.actor, 'band.manage');
    // Another department's programme: not this admin's to manage, and answered as not found.
    if (!managesProgrammesOf(ctx.actor, programme.administratorId)) throw new NotFoundError('programme');
    if (problems.length > 0) throw new ValidationError(problems);
    if (year.startYear < programme.firstAcademicYear || year.startYear > programme.lastAcademicYear) {
      throw new RuleViolationError('academic_year_outside_programme', {
        from: formatAcademicYear(programme.firstAcademicYear),
        to: formatAcademicYear(programme.lastAcademicYear),
        field: 'academicYear',
      });
    }
    // The lock the database's band guard and every grant approval of this programme year take
    // (grant_band_lock), taken first: two band changes of the year then run one after the other,
    // each reading (below, after the lock) the bands and grants the other left, instead of both
    // deleting the same bands and colliding on the insert.
    await tx.$executeRaw`SELECT grant_band_lock(${programme.id}::uuid, ${year.startYear}::int)`;
    const approved = await tx.grant.count({ where: { programmeId: programme.id, academicYear: year.startYear, status: { in: ['approved', 'ended'] } } });
    if (approved > 0) throw locked(year.label);
    const where = { programmeId: programme.id, academicYear: year.startYear };
    const before = await tx.programmeBand.findMany({ where });
    const show = (b: { level: EnrolmentLevelValue; minAmount: { toString(): string }; maxAmount: { toString(): string } }) => ({
      level: b.level,
      minAmount: formatMoney(b.minAmount.toString()),
      maxAmount: formatMoney(b.maxAmount.toString()),
    });
    const bands = [...input.bands].sort((a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level)).map(show);
    try {
      await tx.programmeBand.deleteMany({ where });
      await tx.programmeBand.createMany({ data: bands.map((b) => ({ ...where, ...b })) });
    } catch (error) {
      if (databaseRuleOf(error)?.answer === 'bands_locked') throw locked(year.label);
      throw error;
    }
    const view: ProgrammeYearBandsView = { programmeId: programme.id, academicYear: year.label, replaced: before.length > 0, bands };
    await recordAudit(tx, ctx, {
      action: 'programme.set_bands',
      recordType: 'programme',
      recordId: programme.id,
      before: { academicYear: year.label, bands: before.map(show).sort((a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level)) },
      after: { academicYear: year.label, bands },
    });
    return view;
  });
}
