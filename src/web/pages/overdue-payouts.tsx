// Payouts in transit past their programme's business days (listOverduePayouts): on the programme's
// bank-answer page and in finance's home block, for finance to ask the bank. Students masked.
import type { OverduePayoutsView } from '../../services/payouts/overdue-transit.ts';
import { MoneyCell } from '../components.tsx';

export function OverduePayouts(props: { overdue: OverduePayoutsView; headingId: string; programmeName?: string }) {
  const o = props.overdue;
  return (
    <section aria-labelledby={props.headingId}>
      <h2 id={props.headingId}>
        {props.programmeName ? `${props.programmeName}：` : ''}在途逾期，银行未入账
        <small lang="en">Payouts in transit past {o.transitBusinessDays} business days: not booked by the bank</small>
      </h2>
      {o.items.length === 0 ? (
        <p>
          没有逾期的在途付款（截至{o.asOf}，在途期限{o.transitBusinessDays}个银行工作日）。
        </p>
      ) : (
        <>
          <p>
            以下付款自要求执行日起已超过{o.transitBusinessDays}个银行工作日仍未获银行确认（截至{o.asOf}）：请向银行查询，并导入银行回单。
          </p>
          <table>
            <caption class="skip">逾期未入账的在途付款</caption>
            <thead>
              <tr>
                <th scope="col">付款参考号</th>
                <th scope="col">学生</th>
                <th scope="col" class="money">
                  金额
                </th>
                <th scope="col">批次</th>
                <th scope="col">要求执行日</th>
                <th scope="col">应入账日</th>
                <th scope="col" class="money">
                  逾期银行工作日
                </th>
              </tr>
            </thead>
            <tbody>
              {o.items.map((p) => (
                <tr>
                  <td class="id">{p.reference}</td>
                  <td>{p.student.nameMasked}</td>
                  <MoneyCell amount={p.amount} />
                  <td class="id">
                    <a href={`/programmes/${o.programmeId}/payout-batches/${p.batch.id}`}>{p.batch.code}</a>
                  </td>
                  <td>{p.requestedExecutionOn}</td>
                  <td>{p.dueOn}</td>
                  <td class="money">{p.businessDaysOverdue}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {o.yearsWithoutCalendar.length > 0 ? <p class="muted">{o.yearsWithoutCalendar.join('、')}年的银行节假日尚未登记：这些年份仅按周末计算工作日。</p> : null}
    </section>
  );
}
