// Programmes: who funds, who administers, which academic years, the bands and the instalment plan.
// Creating a programme opens its ledger accounts (bank, fund, in_transit) in the same transaction.
import { formatAcademicYear, parseAcademicYear } from '../domain/academic-year.ts';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError, ValidationError, type FieldProblem } from '../domain/errors.ts';
import { PROGRAMME_ACCOUNTS, accountCode } from '../domain/ledger-accounts.ts';
import { CURRENCY, formatMoney, money } from '../domain/money.ts';
import { z } from 'zod';
import type { EnrolmentLevel as EnrolmentLevelValue, InstalmentPlan as InstalmentPlanValue } from '#prisma/enums';
import { AcademicYearText, Code, EnrolmentLevel, Name, PageInput, PositiveMoney, Uuid } from './fields.ts';
import { parseInput } from './validation.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { programmeBalances } from '../ledger/balances.ts';
import { recordAudit } from './audit.ts';
import { type ServiceContext, type Tx, type UseCaseCall, inTransaction } from './context.ts';
import { type Page, decodeCursor, pageOf } from './pagination.ts';
import { managesProgrammesOf, programmeScope, requirePermission } from './scope.ts';

export const InstalmentPlan = z.enum(['annual', 'semesters', 'quarterly', 'monthly']);

export const BandInput = z.strictObject({
  academicYear: AcademicYearText,
  level: EnrolmentLevel,
  minAmount: PositiveMoney,
  maxAmount: PositiveMoney,
});
export type BandInput = z.input<typeof BandInput>;

/** The programme's own account that payouts leave from: not personal data, shown whole. */
export const PayoutAccountInput = z.strictObject({
  accountNumber: z.string().regex(/^[0-9A-Za-z-]{6,34}$/, 'must be 6-34 digits or letters (hyphens allowed), no spaces'),
  accountName: Name,
  bankName: Name,
  bankCode: z
    .string()
    .regex(/^\d{12}$/, 'must be the 12-digit CNAPS bank code (联行号)')
    .optional(),
});

/** Business days a payout may stay in transit before it is overdue (src/domain/payout-transit.ts); the database holds it to 1–30 too. */
export const TransitBusinessDays = z
  .number({ message: 'must be a whole number of business days from 1 to 30' })
  .int('must be a whole number of business days from 1 to 30')
  .min(1, 'must be a whole number of business days from 1 to 30')
  .max(30, 'must be a whole number of business days from 1 to 30');

export const CreateProgrammeInput = z.strictObject({
  code: Code,
  name: Name,
  funderId: Uuid,
  administratorId: Uuid,
  firstAcademicYear: AcademicYearText,
  lastAcademicYear: AcademicYearText,
  instalmentPlan: InstalmentPlan,
  budget: PositiveMoney,
  bands: z.array(BandInput).min(1, 'at least one band is needed').max(500),
  payoutAccount: PayoutAccountInput.optional(),
  /** Default 3. */
  transitBusinessDays: TransitBusinessDays.optional(),
});
export type CreateProgrammeInput = z.input<typeof CreateProgrammeInput>;

export const ListProgrammesInput = PageInput.extend({ funderId: Uuid.optional(), administratorId: Uuid.optional(), academicYear: AcademicYearText.optional() });
export type ListProgrammesInput = z.input<typeof ListProgrammesInput>;

export const GetProgrammeInput = z.strictObject({ id: Uuid });

export const UpdateProgrammeSettingsInput = z.strictObject({ id: Uuid, transitBusinessDays: TransitBusinessDays });
export type UpdateProgrammeSettingsInput = z.input<typeof UpdateProgrammeSettingsInput>;

export interface ProgrammeView {
  id: string;
  code: string;
  name: string;
  funder: { id: string; name: string };
  administrator: { id: string; name: string };
  firstAcademicYear: string;
  lastAcademicYear: string;
  instalmentPlan: InstalmentPlanValue;
  budget: string;
  currency: typeof CURRENCY;
  bands: { academicYear: string; level: EnrolmentLevelValue; minAmount: string; maxAmount: string }[];
  balances: { bank: string; fund: string; payable: string; inTransit: string };
  /** The account payouts leave from; null until recorded. */
  payoutAccount: { accountNumber: string; accountName: string; bankName: string | null; bankCode: string | null } | null;
  /** Bank business days after the requested execution date before a payout in transit is overdue. */
  transitBusinessDays: number;
  createdAt: string;
}

const include = {
  funder: { select: { id: true, name: true } },
  administrator: { select: { id: true, name: true } },
  bands: { orderBy: [{ academicYear: 'asc' as const }, { level: 'asc' as const }] },
};

type ProgrammeRow = NonNullable<Awaited<ReturnType<Tx['programme']['findFirst']>>> & {
  funder: { id: string; name: string };
  administrator: { id: string; name: string };
  bands: { academicYear: number; level: EnrolmentLevelValue; minAmount: { toString(): string }; maxAmount: { toString(): string } }[];
};

async function views(db: Tx, rows: ProgrammeRow[]): Promise<ProgrammeView[]> {
  const balances = await programmeBalances(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((p) => {
    const b = balances.get(p.id);
    return {
      id: p.id,
      code: p.code,
      name: p.name,
      funder: p.funder,
      administrator: p.administrator,
      firstAcademicYear: formatAcademicYear(p.firstAcademicYear),
      lastAcademicYear: formatAcademicYear(p.lastAcademicYear),
      instalmentPlan: p.instalmentPlan,
      budget: formatMoney(p.budget.toString()),
      currency: CURRENCY,
      bands: p.bands.map((band) => ({
        academicYear: formatAcademicYear(band.academicYear),
        level: band.level,
        minAmount: formatMoney(band.minAmount.toString()),
        maxAmount: formatMoney(band.maxAmount.toString()),
      })),
      balances: {
        bank: formatMoney(b?.bank ?? 0),
        fund: formatMoney(b?.fund ?? 0),
        payable: formatMoney(b?.payable ?? 0),
        inTransit: formatMoney(b?.inTransit ?? 0),
      },
      payoutAccount:
        p.payoutAccountNumber && p.payoutAccountName
          ? { accountNumber: p.payoutAccountNumber, accountName: p.payoutAccountName, bankName: p.payoutBankName, bankCode: p.payoutBankCode }
          : null,
      transitBusinessDays: p.transitBusinessDays,
      createdAt: p.createdAt.toISOString(),
    };
  });
}

function startYear(text: string, path: string, problems: FieldProblem[]): number {
  const parsed = parseAcademicYear(text);
  if (!parsed.ok) {
    problems.push({ path, message: 'must be an academic year written like 2025-2026' });
    return Number.NaN;
  }
  return parsed.value.startYear;
}

/** Checks that need the whole input at once; field shapes were checked at the edge. */
function checkProgrammeInput(input: CreateProgrammeInput) {
  const problems: FieldProblem[] = [];
  const first = startYear(input.firstAcademicYear, 'firstAcademicYear', problems);
  const last = startYear(input.lastAcademicYear, 'lastAcademicYear', problems);
  if (first > last) problems.push({ path: 'lastAcademicYear', message: 'must not be before firstAcademicYear' });
  const seen = new Set<string>();
  const bands = input.bands.map((band, i) => {
    const year = startYear(band.academicYear, `bands.${i}.academicYear`, problems);
    if (year < first || year > last) problems.push({ path: `bands.${i}.academicYear`, message: 'must lie within the programme years' });
    const key = `${year}/${band.level}`;
    if (seen.has(key)) problems.push({ path: `bands.${i}`, message: 'a band for this year and level is given twice' });
    seen.add(key);
    const min = money(band.minAmount);
    const max = money(band.maxAmount);
    if (min.greaterThan(max)) problems.push({ path: `bands.${i}.maxAmount`, message: 'must not be below minAmount' });
    return { academicYear: year, level: band.level, minAmount: band.minAmount, maxAmount: band.maxAmount };
  });
  if (problems.length > 0) throw new ValidationError(problems);
  return { first, last, bands };
}

export async function createProgramme({ ctx, input: raw }: UseCaseCall<CreateProgrammeInput>): Promise<ProgrammeView> {
  const input = parseInput(CreateProgrammeInput, raw);
  requirePermission(ctx.actor, 'programme.create');
  if (!managesProgrammesOf(ctx.actor, input.administratorId)) throw new ForbiddenError('create a programme administered by another organisation');
  const { first, last, bands } = checkProgrammeInput(input);
  return inTransaction(ctx, async (tx) => {
    // One after the other: a transaction is one connection, which runs one query at a time.
    const funder = await tx.organisation.findUnique({ where: { id: input.funderId } });
    const administrator = await tx.organisation.findUnique({ where: { id: input.administratorId } });
    if (!funder) throw new ValidationError([{ path: 'funderId', message: 'no such organisation' }]);
    if (!administrator) throw new ValidationError([{ path: 'administratorId', message: 'no such organisation' }]);
    if (funder.kind !== 'foundation') throw new RuleViolationError('funder_not_foundation');
    if (administrator.kind !== 'civil_affairs') {
      throw new RuleViolationError('administrator_not_civil_affairs');
    }
    if (await tx.programme.findUnique({ where: { code: input.code } })) {
      throw new ConflictError('duplicate_programme_code');
    }
    const id = crypto.randomUUID();
    await tx.programme
      .create({
        data: {
          id,
          code: input.code,
          name: input.name,
          funderId: funder.id,
          administratorId: administrator.id,
          firstAcademicYear: first,
          lastAcademicYear: last,
          instalmentPlan: input.instalmentPlan,
          budget: input.budget,
          payoutAccountNumber: input.payoutAccount?.accountNumber ?? null,
          payoutAccountName: input.payoutAccount?.accountName ?? null,
          payoutBankName: input.payoutAccount?.bankName ?? null,
          payoutBankCode: input.payoutAccount?.bankCode ?? null,
          ...(input.transitBusinessDays !== undefined ? { transitBusinessDays: input.transitBusinessDays } : {}),
          bands: { create: bands },
        },
      })
      .catch((error: unknown) => {
        // A concurrent creation of the same code won the unique index after the check above.
        if (isUniqueViolation(error)) throw new ConflictError('duplicate_programme_code');
        throw error;
      });
    await tx.ledgerAccount.createMany({
      data: PROGRAMME_ACCOUNTS.map((ref) => ({ id: crypto.randomUUID(), programmeId: id, kind: ref.kind, code: accountCode(ref) })),
    });
    const row = await tx.programme.findUniqueOrThrow({ where: { id }, include });
    const [created] = await views(tx, [row as ProgrammeRow]);
    await recordAudit(tx, ctx, { action: 'programme.create', recordType: 'programme', recordId: id, after: created });
    return created as ProgrammeView;
  });
}

export async function listProgrammes({ ctx, input: raw }: UseCaseCall<ListProgrammesInput>): Promise<Page<ProgrammeView>> {
  const input = parseInput(ListProgrammesInput, raw);
  requirePermission(ctx.actor, 'programme.read');
  const after = decodeCursor(input.cursor, ['code']);
  const year = input.academicYear ? parseAcademicYear(input.academicYear) : null;
  if (year && !year.ok) throw new ValidationError([{ path: 'academicYear', message: 'must be written like 2025-2026' }]);
  const rows = await ctx.db.programme.findMany({
    where: {
      AND: [
        programmeScope(ctx.actor),
        input.funderId ? { funderId: input.funderId } : {},
        input.administratorId ? { administratorId: input.administratorId } : {},
        year?.ok ? { firstAcademicYear: { lte: year.value.startYear }, lastAcademicYear: { gte: year.value.startYear } } : {},
        after ? { code: { gt: after.code } } : {},
      ],
    },
    include,
    orderBy: { code: 'asc' },
    take: input.limit + 1,
  });
  const page = pageOf(rows as ProgrammeRow[], input.limit, (p) => ({ code: p.code }));
  return { items: await views(ctx.db, page.items), nextCursor: page.nextCursor };
}

/** Loads a programme the actor may see, or answers not found. */
export async function findProgrammeInScope(db: Tx, ctx: ServiceContext, id: string) {
  const row = await db.programme.findFirst({ where: { AND: [{ id }, programmeScope(ctx.actor)] } });
  if (!row) throw new NotFoundError('programme');
  return row;
}

export async function getProgramme({ ctx, input: raw }: UseCaseCall<z.input<typeof GetProgrammeInput>>): Promise<ProgrammeView> {
  const input = parseInput(GetProgrammeInput, raw);
  requirePermission(ctx.actor, 'programme.read');
  const row = await ctx.db.programme.findFirst({ where: { AND: [{ id: input.id }, programmeScope(ctx.actor)] }, include });
  if (!row) throw new NotFoundError('programme');
  const [view] = await views(ctx.db, [row as ProgrammeRow]);
  return view as ProgrammeView;
}

/**
 * A programme's settings that may change after it was made: for now, the bank business days a
 * payout may stay in transit. Its managing admin only (another department's programme: 404).
 */
export async function updateProgrammeSettings({ ctx, input: raw }: UseCaseCall<UpdateProgrammeSettingsInput>): Promise<ProgrammeView> {
  const input = parseInput(UpdateProgrammeSettingsInput, raw);
  requirePermission(ctx.actor, 'programme.update');
  return inTransaction(ctx, async (tx) => {
    // Held to commit and read after the lock (the row batches and bank imports lock too), so that
    // the audit's `before` is what the last change left, not what a concurrent one is replacing.
    await tx.$queryRaw`SELECT "id" FROM "programme" WHERE "id" = ${input.id}::uuid FOR NO KEY UPDATE`;
    const programme = await findProgrammeInScope(tx, ctx, input.id);
    if (!managesProgrammesOf(ctx.actor, programme.administratorId)) throw new NotFoundError('programme');
    const before = { transitBusinessDays: programme.transitBusinessDays };
    await tx.programme.update({ where: { id: programme.id }, data: { transitBusinessDays: input.transitBusinessDays } });
    const row = await tx.programme.findUniqueOrThrow({ where: { id: programme.id }, include });
    const [view] = await views(tx, [row as ProgrammeRow]);
    await recordAudit(tx, ctx, {
      action: 'programme.update',
      recordType: 'programme',
      recordId: programme.id,
      before,
      after: { transitBusinessDays: input.transitBusinessDays },
    });
    return view as ProgrammeView;
  });
}
