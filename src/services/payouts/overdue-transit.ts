// Finance's list of payouts to take up with the bank: sent, not confirmed, and past the programme's
// business days in transit (src/domain/payout-transit.ts, the rule the bank check applies too) as
// of today in China. Students are named masked, as on every payout list.
import { z } from 'zod';
import { todayInChina, toIsoDate } from '../../domain/dates.ts';
import { CURRENCY, formatMoney } from '../../domain/money.ts';
import { transitAgeing, yearsWithoutCalendar } from '../../domain/payout-transit.ts';
import type { UseCaseCall } from '../context.ts';
import { Uuid } from '../fields.ts';
import { findProgrammeInScope } from '../programmes.ts';
import { requirePermission } from '../scope.ts';
import { parseInput } from '../validation.ts';

export const ListOverduePayoutsInput = z.strictObject({ programmeId: Uuid });
export type ListOverduePayoutsInput = z.input<typeof ListOverduePayoutsInput>;

export interface OverduePayoutView {
  id: string;
  reference: string;
  batch: { id: string; code: string };
  student: { id: string; nameMasked: string };
  amount: string;
  currency: typeof CURRENCY;
  requestedExecutionOn: string;
  /** The last business day the bank could book it by. */
  dueOn: string;
  businessDaysOverdue: number;
}

export interface OverduePayoutsView {
  programmeId: string;
  /** The day judged (today in China). */
  asOf: string;
  transitBusinessDays: number;
  /** Oldest due day first, then by reference. */
  items: OverduePayoutView[];
  /** Years the ageing went through without a known holiday calendar (weekends alone counted). */
  yearsWithoutCalendar: number[];
}

export async function listOverduePayouts({ ctx, input: raw }: UseCaseCall<ListOverduePayoutsInput>): Promise<OverduePayoutsView> {
  const input = parseInput(ListOverduePayoutsInput, raw);
  requirePermission(ctx.actor, 'payout.follow_up');
  const programme = await findProgrammeInScope(ctx.db, ctx, input.programmeId);
  const asOf = todayInChina();
  const rows = await ctx.db.payout.findMany({
    where: { programmeId: programme.id, status: 'sent' },
    select: { id: true, reference: true, amount: true, studentId: true, batch: { select: { id: true, code: true, requestedExecutionOn: true } } },
    orderBy: { reference: 'asc' },
  });
  const aged = rows
    .map((r) => ({ row: r, requested: toIsoDate(r.batch.requestedExecutionOn) }))
    .map((x) => ({ ...x, ageing: transitAgeing(x.requested, programme.transitBusinessDays, asOf) }))
    .filter((x) => x.ageing.overdue);
  const students = await ctx.db.student.findMany({
    where: { id: { in: [...new Set(aged.map((x) => x.row.studentId))] } },
    select: { id: true, nameMasked: true },
  });
  const byId = new Map(students.map((s) => [s.id, s]));
  const items = aged
    .map(({ row, requested, ageing }) => ({
      id: row.id,
      reference: row.reference,
      batch: { id: row.batch.id, code: row.batch.code },
      student: byId.get(row.studentId) as { id: string; nameMasked: string },
      amount: formatMoney(row.amount.toString()),
      currency: CURRENCY,
      requestedExecutionOn: requested,
      dueOn: ageing.dueOn,
      businessDaysOverdue: ageing.businessDaysOverdue,
    }))
    .sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.reference < b.reference ? -1 : 1));
  const earliest = aged.reduce<string | null>((min, x) => (min === null || x.requested < min ? x.requested : min), null);
  return {
    programmeId: programme.id,
    asOf,
    transitBusinessDays: programme.transitBusinessDays,
    items,
    yearsWithoutCalendar: earliest === null ? [] : yearsWithoutCalendar(earliest, asOf),
  };
}
