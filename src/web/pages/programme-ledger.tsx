// A programme's journal as an auditor or a foundation reads it: each transaction with its kind,
// date, amount and place in the hash chain; one transaction with its entries and balances.
import { formatMoney, sumMoney } from '../../domain/money.ts';
import { TRANSACTION_KIND_LABELS, labelOf } from '../../domain/status-labels.ts';
import type { LedgerTransactionKind } from '../../domain/ledger-postings.ts';
import type { LedgerTransactionView } from '../../services/ledger-queries.ts';
import { FilterLinks, MoneyCell, NextPage, type ProgrammeRef, ProgrammeSectionPage } from '../components.tsx';
import { beijingMinute, beijingTime } from '../format.ts';
import type { Viewer } from '../layout.tsx';

/** A transaction's amount: the sum of its debit lines (equal to its credits), exact in fen. */
function debitTotal(t: LedgerTransactionView): string {
  return formatMoney(sumMoney(t.entries.filter((e) => e.direction === 'debit').map((e) => e.amount)));
}

export const LEDGER_KINDS = Object.keys(TRANSACTION_KIND_LABELS) as LedgerTransactionKind[];

export function LedgerPage(props: {
  viewer: Viewer;
  programme: ProgrammeRef;
  kind: LedgerTransactionKind | undefined;
  transactions: LedgerTransactionView[];
  nextCursor: string | null;
}) {
  const base = `/programmes/${props.programme.id}/ledger`;
  return (
    <ProgrammeSectionPage
      viewer={props.viewer}
      programme={props.programme}
      section="/ledger"
      title="账本"
      english="Ledger"
      above={
        <FilterLinks
          label="按交易类型筛选"
          path={base}
          name="kind"
          current={props.kind}
          choices={LEDGER_KINDS.map((k) => ({ value: k, text: labelOf(TRANSACTION_KIND_LABELS, k) }))}
        />
      }
      empty={{ is: props.transactions.length === 0, text: '没有符合条件的账本交易。' }}
    >
      <section class="wide" tabindex={0} aria-label="表格，可横向滚动">
        <table>
          <caption class="skip">账本交易（按序号）</caption>
          <thead>
            <tr>
              <th scope="col">序号</th>
              <th scope="col">业务日期</th>
              <th scope="col">类型</th>
              <th scope="col">摘要</th>
              <th scope="col" class="money">
                金额
              </th>
              <th scope="col">记账时间</th>
            </tr>
          </thead>
          <tbody>
            {props.transactions.map((t) => (
              <tr>
                <td>
                  <a href={`${base}/${t.id}`}>{t.seq}</a>
                </td>
                <td class="when">{t.eventDate}</td>
                <td>
                  {labelOf(TRANSACTION_KIND_LABELS, t.kind)}
                  {t.reversedById ? '（已冲正）' : ''}
                </td>
                <td>{t.description}</td>
                <MoneyCell amount={debitTotal(t)} />
                <td class="when">{beijingMinute(t.recordedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <NextPage path={base} query={{ kind: props.kind }} cursor={props.nextCursor} />
    </ProgrammeSectionPage>
  );
}

const DIRECTION = { debit: '借', credit: '贷' } as const;

export function LedgerTransactionPage(props: { viewer: Viewer; programme: ProgrammeRef; transaction: LedgerTransactionView }) {
  const t = props.transaction;
  const base = `/programmes/${props.programme.id}/ledger`;
  return (
    <ProgrammeSectionPage viewer={props.viewer} programme={props.programme} section="/ledger" title={`账本交易第 ${t.seq} 号`} english="Ledger transaction">
      <dl class="facts">
        <dt>类型</dt>
        <dd>{labelOf(TRANSACTION_KIND_LABELS, t.kind)}</dd>
        <dt>业务日期</dt>
        <dd>{t.eventDate}</dd>
        <dt>记账时间</dt>
        <dd>{beijingTime(t.recordedAt)}</dd>
        <dt>摘要</dt>
        <dd>{t.description}</dd>
        {t.reversesId ? (
          <>
            <dt>冲正</dt>
            <dd>
              <a href={`${base}/${t.reversesId}`}>被冲正的交易</a>
            </dd>
          </>
        ) : null}
        {t.reversedById ? (
          <>
            <dt>已被冲正</dt>
            <dd>
              <a href={`${base}/${t.reversedById}`}>冲正交易</a>
            </dd>
          </>
        ) : null}
        <dt>前一哈希</dt>
        <dd class="hash">{t.prevHash}</dd>
        <dt>本笔哈希</dt>
        <dd class="hash">{t.hash}</dd>
      </dl>
      <table>
        <caption>分录</caption>
        <thead>
          <tr>
            <th scope="col">行</th>
            <th scope="col">账户</th>
            <th scope="col">借/贷</th>
            <th scope="col" class="money">
              金额
            </th>
            <th scope="col" class="money">
              记账后余额
            </th>
          </tr>
        </thead>
        <tbody>
          {t.entries.map((e) => (
            <tr>
              <td>{e.line}</td>
              <td class="id">{e.account}</td>
              <td>{DIRECTION[e.direction]}</td>
              <MoneyCell amount={e.amount} />
              <MoneyCell amount={e.balanceAfter} />
            </tr>
          ))}
        </tbody>
      </table>
    </ProgrammeSectionPage>
  );
}
