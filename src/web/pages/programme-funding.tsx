// Each transfer of the foundation into the programme and what became of it: the part grants have
// drawn on (first in, first used: the fund is one pool) and the part still uncommitted, with the
// ledger transaction that recorded it.
import { formatYuan } from '../../domain/money.ts';
import type { FundingUse } from '../../services/funding-use.ts';
import { MoneyCell, type ProgrammeRef, ProgrammeSectionPage } from '../components.tsx';
import type { Viewer } from '../layout.tsx';

function FundingSummary(props: { use: FundingUse }) {
  const { use } = props;
  return (
    <>
      <p>
        累计到账 <strong>{formatYuan(use.received)}</strong>，其中已承诺给学生 <strong>{formatYuan(use.netCommitted)}</strong>
        （已批准资助减去退回资金池的部分）， 未承诺 <strong>{formatYuan(use.fundBalance)}</strong>。
      </p>
      <p class="muted">项目资金为一个资金池，账本不按笔划分；下表按“先到先用”的原则，把已承诺的金额依到账先后归入各笔拨款。</p>
    </>
  );
}

export function FundingPage(props: {
  viewer: Viewer;
  programme: ProgrammeRef;
  use: FundingUse;
  mayReadLedger: boolean;
  /** Finance: a link to record a transfer, and one to reverse each transfer not yet reversed. */
  mayRecord?: boolean;
  mayReverse?: boolean;
}) {
  const { use } = props;
  const base = `/programmes/${props.programme.id}`;
  return (
    <ProgrammeSectionPage
      viewer={props.viewer}
      programme={props.programme}
      section="/funding"
      title="资金到账"
      english="Funding received"
      above={
        <>
          <FundingSummary use={use} />
          {props.mayRecord ? (
            <p>
              <a href={`${base}/funding/new`}>登记资金到账</a>
            </p>
          ) : null}
        </>
      }
      empty={{ is: use.receipts.length === 0, text: '尚无资金到账记录。' }}
    >
      <section class="wide" tabindex={0} aria-label="表格，可横向滚动">
        <table>
          <caption class="skip">各笔拨款及其使用情况</caption>
          <thead>
            <tr>
              <th scope="col">到账日期</th>
              <th scope="col">汇款方</th>
              <th scope="col">银行流水号</th>
              <th scope="col" class="money">
                金额
              </th>
              <th scope="col" class="money">
                已承诺
              </th>
              <th scope="col" class="money">
                未承诺
              </th>
              <th scope="col">账本交易</th>
              <th scope="col">备注</th>
            </tr>
          </thead>
          <tbody>
            {use.receipts.map((r) => (
              <tr class={r.status === 'reversed' ? 'reversed' : undefined}>
                <td class="when">{r.receivedOn}</td>
                <td>{r.remitter.name}</td>
                <td class="id">{r.bankReference}</td>
                <MoneyCell amount={r.amount} />
                <MoneyCell amount={r.committed} />
                <MoneyCell amount={r.uncommitted} />
                <td>
                  {props.mayReadLedger ? (
                    <a href={`${base}/ledger/${r.ledgerTransaction.id}`}>第 {r.ledgerTransaction.seq} 号</a>
                  ) : (
                    `第 ${r.ledgerTransaction.seq} 号`
                  )}
                </td>
                <td>
                  {r.status === 'reversed' && r.reversal ? `已冲正（${r.reversal.eventDate}：${r.reversal.reason}）` : (r.note ?? '')}
                  {props.mayReverse && r.status !== 'reversed' ? (
                    <>
                      {' '}
                      <a href={`${base}/funding/${r.id}/reverse`}>冲正</a>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </ProgrammeSectionPage>
  );
}
