// Payouts in transit past their programme's business days: what finance takes up with the bank.
import { z } from '@hono/zod-openapi';
import { listOverduePayouts } from '../../services/payouts/overdue-transit.ts';
import { jsonResponse, routeGroup } from '../define-route.ts';
import { MoneyOut, Uuid } from '../schemas/common.ts';

const { get } = routeGroup({ tags: ['Payouts'] });

const OverduePayoutOut = z.object({
  id: Uuid,
  reference: z.string(),
  batch: z.object({ id: Uuid, code: z.string() }),
  student: z.object({ id: Uuid, nameMasked: z.string() }),
  amount: MoneyOut,
  currency: z.literal('CNY'),
  requestedExecutionOn: z.string().meta({ description: "The batch's requested execution date (pain.001 ReqdExctnDt)." }),
  dueOn: z.string().meta({ description: 'The last bank business day the bank could book it by.' }),
  businessDaysOverdue: z.number().int().meta({ description: 'Bank business days after dueOn, up to and including asOf.' }),
});

const OverduePayoutsOut = z
  .object({
    programmeId: Uuid,
    asOf: z.string().meta({ description: 'Today in China: the day judged.' }),
    transitBusinessDays: z.number().int(),
    items: z.array(OverduePayoutOut),
    yearsWithoutCalendar: z.array(z.number().int()).meta({ description: 'Years without a known bank holiday calendar: weekends alone were counted.' }),
  })
  .openapi('OverduePayouts');

export const overduePayoutRoutes = [
  get('/programmes/{programmeId}/payouts/overdue', 'payout.follow_up', {
    summary: 'Payouts in transit past the programme’s business days: not booked by the bank (finance, auditors, admins)',
    description:
      'Payouts `sent` and not confirmed by the bank more than the programme’s `transitBusinessDays` bank business days (mainland China’s holidays counted) after their batch’s requested execution date, as of today in China: the same rule as the bank check’s `not_booked_by_bank`. Oldest due day first. Students named masked. Another organisation’s programme answers 404.',
    request: { params: z.object({ programmeId: Uuid }) },
    responses: { 200: jsonResponse('The overdue payouts', OverduePayoutsOut) },
  }).runs(listOverduePayouts),
];
