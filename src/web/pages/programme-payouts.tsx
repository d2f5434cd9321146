// A programme's payouts, by status: settled, in transit, refused or returned by the bank — and for
// those that came back, what became of them (sent again, or the instalment cancelled).
import { PAYOUT_STATUS_LABELS, type PayoutStatus, labelOf } from '../../domain/status-labels.ts';
import type { PayoutView } from '../../services/payouts/payout-views.ts';
import { FilterLinks, MoneyCell, NextPage, type ProgrammeRef, ProgrammeSectionPage } from '../components.tsx';
import type { Viewer } from '../layout.tsx';

export const PAYOUT_FILTERS: readonly PayoutStatus[] = ['settled', 'sent', 'returned', 'failed', 'pending', 'cancelled'];

/** What became of a payout that came back; empty for the others. */
function aftermath(p: PayoutView): string {
  if (p.status !== 'failed' && p.status !== 'returned') return '';
  return p.resolved ? '已处理（已重新发放或取消该期，见资助详情）' : '待处理';
}

export function PayoutTable(props: { payouts: PayoutView[]; caption: string; programmeId: string }) {
  return (
    <section class="wide" tabindex={0} aria-label="表格，可横向滚动">
      <table>
        <caption class="skip">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">发放参考号</th>
            <th scope="col">学生</th>
            <th scope="col" class="money">
              金额
            </th>
            <th scope="col">状态</th>
            <th scope="col">发出</th>
            <th scope="col">入账</th>
            <th scope="col">银行说明</th>
            <th scope="col">后续处理</th>
            <th scope="col">收款账户</th>
          </tr>
        </thead>
        <tbody>
          {props.payouts.map((p) => (
            <tr>
              <td class="id">{p.reference}</td>
              <td>
                <a href={`/programmes/${props.programmeId}/grants/${p.grantId}`}>{p.student.nameMasked}</a>
              </td>
              <MoneyCell amount={p.amount} />
              <td>{labelOf(PAYOUT_STATUS_LABELS, p.status)}</td>
              <td class="when">{p.sentOn ?? '—'}</td>
              <td class="when">{p.settledOn ?? '—'}</td>
              <td>{p.outcome ? [p.outcome.on, p.outcome.reasonText ?? p.outcome.reason].filter(Boolean).join(' ') : '—'}</td>
              <td>
                {aftermath(p)}
                {p.retryOfId ? '重新发放的款项' : ''}
              </td>
              <td>
                {p.payee.bankName} <span class="id">{p.payee.accountMasked}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function PayoutsPage(props: {
  viewer: Viewer;
  programme: ProgrammeRef;
  status: PayoutStatus | undefined;
  payouts: PayoutView[];
  nextCursor: string | null;
}) {
  const base = `/programmes/${props.programme.id}/payouts`;
  return (
    <ProgrammeSectionPage
      viewer={props.viewer}
      programme={props.programme}
      section="/payouts"
      title="发放记录"
      english="Payouts"
      above={
        <FilterLinks
          label="按状态筛选"
          path={base}
          name="status"
          current={props.status}
          choices={PAYOUT_FILTERS.map((s) => ({ value: s, text: labelOf(PAYOUT_STATUS_LABELS, s) }))}
        />
      }
      empty={{ is: props.payouts.length === 0, text: '没有符合条件的发放记录。' }}
    >
      <PayoutTable payouts={props.payouts} caption="发放记录" programmeId={props.programme.id} />
      <NextPage path={base} query={{ status: props.status }} cursor={props.nextCursor} />
    </ProgrammeSectionPage>
  );
}
