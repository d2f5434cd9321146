// What the finance officer's pages share: the two hidden fields every form that changes something
// carries (submit-once.ts), the refusal shown above a form, and the programme's four balances —
// shown beside every money action so that the officer sees them move (a receipt fills the fund,
// a batch sent moves payable to in transit, a bank answer moves in transit to the bank).
import type { Child } from 'hono/jsx';
import { formatYuan } from '../../domain/money.ts';
import type { FormRefusal } from '../submit-once.ts';
import { Notice, type Viewer } from '../layout.tsx';

export interface Balances {
  bank: string;
  fund: string;
  payable: string;
  inTransit: string;
}

/** The form's CSRF token and its key, claimed once when the form is posted. */
export function FormKeys(props: { viewer: Viewer; formKey: string }) {
  return (
    <>
      <input type="hidden" name="csrf" value={props.viewer.csrfToken} />
      <input type="hidden" name="formKey" value={props.formKey} />
    </>
  );
}

/** Why the form was not carried out, above it; nothing when it was not refused. */
export function RefusalNotice(props: { refusal?: FormRefusal | null | undefined; children?: Child }) {
  if (!props.refusal) return null;
  return (
    <Notice kind="error">
      {props.refusal.notice}
      {props.children}
    </Notice>
  );
}

const BALANCE_ROWS = [
  ['bank', '银行存款', '项目发放账户中的资金'],
  ['fund', '未承诺资金', '已到账、尚未承诺给任何资助'],
  ['payable', '已承诺待发放', '已批准、尚未发往银行'],
  ['inTransit', '在途', '已发往银行、银行尚未确认'],
] as const;

/** The programme's ledger balances as they stand now. */
export function BalancesTable(props: { balances: Balances; caption?: string }) {
  return (
    <section aria-labelledby="balances-title">
      <h2 id="balances-title">
        {props.caption ?? '项目账户余额'}
        <small lang="en">Balances</small>
      </h2>
      <table>
        <caption class="skip">项目账户余额</caption>
        <thead>
          <tr>
            <th scope="col">账户</th>
            <th scope="col">说明</th>
            <th scope="col" class="money">
              余额
            </th>
          </tr>
        </thead>
        <tbody>
          {BALANCE_ROWS.map(([key, name, hint]) => (
            <tr>
              <th scope="row">{name}</th>
              <td>{hint}</td>
              <td class="money" data-balance={key}>
                {formatYuan(props.balances[key])}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
