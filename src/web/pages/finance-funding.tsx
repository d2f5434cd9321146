// The finance officer records a transfer of the foundation into the programme's account (Dr bank /
// Cr fund), or reverses one recorded in error with the reason (a linked mirror transaction: the
// ledger never edits). The programme's balances stand beside each form.
import { formatYuan } from '../../domain/money.ts';
import type { FundingReceiptView } from '../../services/funding-receipts.ts';
import type { ProgrammeView } from '../../services/programmes.ts';
import { ProgrammeSectionPage } from '../components.tsx';
import { Field, type Viewer } from '../layout.tsx';
import type { FormRefusal } from '../submit-once.ts';
import { BalancesTable, FormKeys, RefusalNotice } from './finance-kit.tsx';

export interface ReceiptForm {
  amount?: string;
  receivedOn?: string;
  bankReference?: string;
  note?: string;
}

export function NewReceiptPage(props: { viewer: Viewer; programme: ProgrammeView; formKey: string; form: ReceiptForm; refusal?: FormRefusal | null }) {
  const { programme, form } = props;
  const errors = props.refusal?.errors ?? {};
  return (
    <ProgrammeSectionPage viewer={props.viewer} programme={programme} section="/funding" title="登记资金到账" english="Record a funding receipt">
      <RefusalNotice refusal={props.refusal} />
      <form method="post" action={`/programmes/${programme.id}/funding/new`} class="card">
        <FormKeys viewer={props.viewer} formKey={props.formKey} />
        <p>
          汇款方：<strong>{programme.funder.name}</strong>（项目的资助基金会）
        </p>
        <Field name="amount" label="金额（元）" english="Amount, CNY" value={form.amount} error={errors.amount} />
        <Field name="receivedOn" label="到账日期（银行对账单上的起息日）" english="Value date" type="date" value={form.receivedOn} error={errors.receivedOn} />
        <Field name="bankReference" label="银行流水号" english="Bank reference" value={form.bankReference} error={errors.bankReference} />
        <Field name="note" label="备注（可不填）" english="Note" value={form.note} error={errors.note} required={false} />
        <button type="submit" class="primary">
          登记到账
        </button>
      </form>
      <BalancesTable balances={programme.balances} />
    </ProgrammeSectionPage>
  );
}

export function ReverseReceiptPage(props: {
  viewer: Viewer;
  programme: ProgrammeView;
  receipt: FundingReceiptView;
  formKey: string;
  form: { reason?: string; eventDate?: string };
  refusal?: FormRefusal | null;
}) {
  const { programme, receipt } = props;
  const errors = props.refusal?.errors ?? {};
  return (
    <ProgrammeSectionPage viewer={props.viewer} programme={programme} section="/funding" title="冲正资金到账" english="Reverse a funding receipt">
      <RefusalNotice refusal={props.refusal} />
      <dl class="facts">
        <dt>到账日期</dt>
        <dd>{receipt.receivedOn}</dd>
        <dt>银行流水号</dt>
        <dd class="id">{receipt.bankReference}</dd>
        <dt>金额</dt>
        <dd>{formatYuan(receipt.amount)}</dd>
      </dl>
      {receipt.status === 'reversed' ? (
        <p>
          这笔到账已于 {receipt.reversal?.eventDate} 冲正：{receipt.reversal?.reason}
        </p>
      ) : (
        <form method="post" action={`/programmes/${programme.id}/funding/${receipt.id}/reverse`} class="card">
          <FormKeys viewer={props.viewer} formKey={props.formKey} />
          <p class="muted">冲正会记一笔与原交易相反、并与之关联的交易；原交易保留。已承诺给资助的资金不能冲正。</p>
          <Field name="reason" label="冲正原因（至少 5 个字）" english="Reason" value={props.form.reason} error={errors.reason} />
          <Field
            name="eventDate"
            label="冲正日期（可不填，默认今天）"
            english="Event date"
            type="date"
            value={props.form.eventDate}
            error={errors.eventDate}
            required={false}
          />
          <button type="submit" class="primary">
            冲正
          </button>
        </form>
      )}
      <BalancesTable balances={programme.balances} />
    </ProgrammeSectionPage>
  );
}
