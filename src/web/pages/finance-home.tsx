// The finance officer's block on the home page: for each programme the department administers,
// straight to its batches, its bank answers and a new funding receipt; and the payouts in transit
// past their business days, to take up with the bank.
import type { OverduePayoutsView } from '../../services/payouts/overdue-transit.ts';
import type { ProgrammeRef } from '../components.tsx';
import { OverduePayouts } from './overdue-payouts.tsx';

export function FinanceLinks(props: { programmes: ProgrammeRef[]; overdue?: OverduePayoutsView[] }) {
  return (
    <section aria-labelledby="finance-work">
      <h2 id="finance-work">
        资金与发放<small lang="en">Funding and payouts</small>
      </h2>
      {props.programmes.length === 0 ? <p>尚无本部门管理的助学项目。</p> : null}
      <ul class="actions">
        {props.programmes.map((p) => (
          <li>
            {p.name}：<a href={`/programmes/${p.id}/payout-batches`}>发放批次</a> · <a href={`/programmes/${p.id}/bank-results`}>银行回单</a> ·{' '}
            <a href={`/programmes/${p.id}/funding/new`}>登记资金到账</a>
          </li>
        ))}
      </ul>
      {(props.overdue ?? [])
        .filter((o) => o.items.length > 0)
        .map((o) => (
          <OverduePayouts overdue={o} headingId={`overdue-${o.programmeId}`} programmeName={props.programmes.find((p) => p.id === o.programmeId)?.name ?? ''} />
        ))}
    </section>
  );
}
