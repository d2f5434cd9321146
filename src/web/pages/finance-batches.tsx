// Payout batches as the finance officer works them: the list, a new batch for a cut-off date, and
// the batch itself — its totals by payout status, the instalments it held back and why, the bank
// files to download, sending it and cancelling it, and the programme's balances as they move.
import { PAYOUT_STATUS_LABELS, labelOf } from '../../domain/status-labels.ts';
import { type BatchDetailView, type BatchView, PAYOUT_STATUSES } from '../../services/payouts/batch-views.ts';
import type { PayoutView } from '../../services/payouts/payout-views.ts';
import type { ProgrammeView } from '../../services/programmes.ts';
import { MoneyCell, NextPage, ProgrammeSectionPage } from '../components.tsx';
import { BANK_FILE_LABELS, BATCH_STATUS_LABELS, heldReasonZh } from '../finance-labels.ts';
import { beijingMinute } from '../format.ts';
import { Field, type Viewer } from '../layout.tsx';
import type { FormRefusal } from '../submit-once.ts';
import { BalancesTable, FormKeys, RefusalNotice } from './finance-kit.tsx';
import { PayoutTable } from './programme-payouts.tsx';

const batchesPath = (programmeId: string) => `/programmes/${programmeId}/payout-batches`;

export function BatchListPage(props: { viewer: Viewer; programme: ProgrammeView; batches: BatchView[]; nextCursor: string | null; mayCreate: boolean }) {
  const base = batchesPath(props.programme.id);
  return (
    <ProgrammeSectionPage
      viewer={props.viewer}
      programme={props.programme}
      section="/payout-batches"
      title="发放批次"
      english="Payout batches"
      above={
        props.mayCreate ? (
          <p>
            <a href={`${base}/new`}>生成新的发放批次</a>
          </p>
        ) : undefined
      }
      empty={{ is: props.batches.length === 0, text: '尚无发放批次。' }}
    >
      <section class="wide" tabindex={0} aria-label="表格，可横向滚动">
        <table>
          <caption class="skip">发放批次</caption>
          <thead>
            <tr>
              <th scope="col">批次号</th>
              <th scope="col">截止日期</th>
              <th scope="col">状态</th>
              <th scope="col" class="money">
                笔数
              </th>
              <th scope="col" class="money">
                金额
              </th>
              <th scope="col" class="money">
                暂缓
              </th>
              <th scope="col">生成时间</th>
            </tr>
          </thead>
          <tbody>
            {props.batches.map((b) => (
              <tr>
                <td class="id">
                  <a href={`${base}/${b.id}`}>{b.code}</a>
                </td>
                <td class="when">{b.cutoffOn}</td>
                <td>{BATCH_STATUS_LABELS[b.status] ?? b.status}</td>
                <td class="money">{b.payoutCount}</td>
                <MoneyCell amount={b.total} />
                <td class="money">{b.heldCount}</td>
                <td class="when">{beijingMinute(b.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <NextPage path={base} query={{}} cursor={props.nextCursor} />
    </ProgrammeSectionPage>
  );
}

export interface NewBatchForm {
  cutoffOn?: string;
  requestedExecutionOn?: string;
}

export function NewBatchPage(props: { viewer: Viewer; programme: ProgrammeView; formKey: string; form: NewBatchForm; refusal?: FormRefusal | null }) {
  const { programme } = props;
  const errors = props.refusal?.errors ?? {};
  return (
    <ProgrammeSectionPage viewer={props.viewer} programme={programme} section="/payout-batches" title="生成发放批次" english="New payout batch">
      <RefusalNotice refusal={props.refusal} />
      <form method="post" action={`${batchesPath(programme.id)}/new`} class="card">
        <FormKeys viewer={props.viewer} formKey={props.formKey} />
        <p class="muted">
          批次收入截止日期前到期、资助已批准、尚未发放的各期。学生休学、资格撤销或学籍异常的各期暂缓，不进入批次，并在批次页列出原因。此前银行退回的款项也在此重新发放，发往学生届时登记的账户。
        </p>
        <Field name="cutoffOn" label="截止日期（到期日不晚于此日）" english="Cut-off date" type="date" value={props.form.cutoffOn} error={errors.cutoffOn} />
        <Field
          name="requestedExecutionOn"
          label="要求银行付款日期（可不填）"
          english="Requested execution date"
          type="date"
          value={props.form.requestedExecutionOn}
          error={errors.requestedExecutionOn}
          required={false}
        />
        <button type="submit" class="primary">
          生成批次
        </button>
      </form>
      <BalancesTable balances={programme.balances} />
    </ProgrammeSectionPage>
  );
}

function StatusTotals(props: { batch: BatchView }) {
  return (
    <section aria-labelledby="totals-title">
      <h2 id="totals-title">
        按状态汇总<small lang="en">Totals by status</small>
      </h2>
      <table>
        <caption class="skip">本批次各状态的笔数与金额</caption>
        <thead>
          <tr>
            <th scope="col">状态</th>
            <th scope="col" class="money">
              笔数
            </th>
            <th scope="col" class="money">
              金额
            </th>
          </tr>
        </thead>
        <tbody>
          {PAYOUT_STATUSES.map((status) => (
            <tr>
              <th scope="row">{labelOf(PAYOUT_STATUS_LABELS, status)}</th>
              <td class="money" data-status={status}>
                {props.batch.byStatus[status].count}
              </td>
              <MoneyCell amount={props.batch.byStatus[status].amount} />
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function HeldInstalments(props: { held: BatchDetailView['held'] }) {
  return (
    <section aria-labelledby="held-title">
      <h2 id="held-title">
        暂缓发放（未进入本批次）<small lang="en">Held back</small>
      </h2>
      {props.held.length === 0 ? (
        <p>本批次没有暂缓的分期。</p>
      ) : (
        <table>
          <caption class="skip">未进入本批次的分期及原因</caption>
          <thead>
            <tr>
              <th scope="col">学生</th>
              <th scope="col">身份证号</th>
              <th scope="col" class="money">
                金额
              </th>
              <th scope="col">原因</th>
            </tr>
          </thead>
          <tbody>
            {props.held.map((h) => (
              <tr>
                <td>{h.student.nameMasked}</td>
                <td class="id">{h.student.identityNumberMasked}</td>
                <MoneyCell amount={h.amount} />
                <td class="held-reason">{heldReasonZh(h.reason)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export interface BatchActions {
  mayExport: boolean;
  maySend: boolean;
  mayCancel: boolean;
  sendKey: string;
  cancelKey: string;
  cancelReason?: string;
  /** The override reason as typed, when the override was refused. */
  overrideReason?: string;
}

function OpenBatchActions(props: { viewer: Viewer; batch: BatchView; actions: BatchActions; refusal?: FormRefusal | null }) {
  const { batch, actions } = props;
  const base = `${batchesPath(batch.programme.id)}/${batch.id}`;
  const errors = props.refusal?.errors ?? {};
  return (
    <section aria-labelledby="actions-title">
      <h2 id="actions-title">
        提交银行<small lang="en">Send to the bank</small>
      </h2>
      {actions.mayExport ? (
        <p class="downloads">
          下载银行文件：
          {BANK_FILE_LABELS.map((f) => (
            <>
              <a href={`${base}/bank-file?format=${f.format}`} download>
                {f.label}
              </a>{' '}
            </>
          ))}
        </p>
      ) : null}
      {actions.maySend ? (
        batch.exports.length > 0 ? (
          <form method="post" action={`${base}/send`} class="card">
            <FormKeys viewer={props.viewer} formKey={actions.sendKey} />
            <p class="muted">将文件提交银行后，在此标记为已提交：每笔发放从“已承诺待发放”转入“在途”。</p>
            <button type="submit" class="primary">
              标记为已提交银行
            </button>
          </form>
        ) : (
          <SendWithoutFile viewer={props.viewer} action={`${base}/send`} actions={actions} error={errors['exportOverride.reason']} />
        )
      ) : null}
      {actions.mayCancel ? (
        <form method="post" action={`${base}/cancel`} class="card">
          <FormKeys viewer={props.viewer} formKey={actions.cancelKey} />
          <Field name="reason" label="取消原因" english="Reason" value={actions.cancelReason} error={errors.reason} />
          <button type="submit">取消本批次</button>
        </form>
      ) : null}
    </section>
  );
}

/**
 * Before any bank file was downloaded the batch cannot be marked sent: the bank cannot have it.
 * Only a batch handed to the bank some other way is sent from here, with the reason on record.
 */
function SendWithoutFile(props: { viewer: Viewer; action: string; actions: BatchActions; error?: string | undefined }) {
  return (
    <form method="post" action={props.action} class="card">
      <FormKeys viewer={props.viewer} formKey={props.actions.sendKey} />
      <p id="send-needs-file">尚未下载银行文件。请先下载上方的银行文件并提交银行，然后刷新本页，再标记为已提交。</p>
      <p class="muted">如银行已通过其他方式收到本批次（例如柜台纸质清单），可说明原因后直接标记为已提交；原因将记入审计日志。</p>
      <Field
        name="overrideReason"
        label="未导出文件即提交的原因"
        english="Why the bank has the batch without a file from here"
        value={props.actions.overrideReason}
        error={props.error}
      />
      <button type="submit">说明原因并标记为已提交</button>
    </form>
  );
}

export function BatchPage(props: {
  viewer: Viewer;
  programme: ProgrammeView;
  batch: BatchDetailView;
  payouts: PayoutView[];
  nextCursor: string | null;
  actions: BatchActions;
  refusal?: FormRefusal | null;
}) {
  const { batch, programme } = props;
  return (
    <ProgrammeSectionPage viewer={props.viewer} programme={programme} section="/payout-batches" title={`发放批次 ${batch.code}`} english="Payout batch">
      <RefusalNotice refusal={props.refusal} />
      <dl class="facts">
        <dt>状态</dt>
        <dd id="batch-status">{BATCH_STATUS_LABELS[batch.status] ?? batch.status}</dd>
        <dt>截止日期</dt>
        <dd>{batch.cutoffOn}</dd>
        <dt>要求付款日期</dt>
        <dd>{batch.requestedExecutionOn}</dd>
        <dt>生成时间</dt>
        <dd>{beijingMinute(batch.createdAt)}</dd>
        {batch.sent ? (
          <>
            <dt>提交银行日期</dt>
            <dd>{batch.sent.sentOn}</dd>
          </>
        ) : null}
        {batch.cancelled ? (
          <>
            <dt>取消原因</dt>
            <dd>{batch.cancelled.reason}</dd>
          </>
        ) : null}
      </dl>
      <StatusTotals batch={batch} />
      <HeldInstalments held={batch.held} />
      {batch.status === 'open' ? <OpenBatchActions viewer={props.viewer} batch={batch} actions={props.actions} refusal={props.refusal} /> : null}
      {batch.status === 'sent' && props.actions.mayExport ? (
        <p>
          银行处理后，请<a href={`/programmes/${programme.id}/bank-results/new`}>上传银行回单</a>，把各笔发放记为已入账或退回。
        </p>
      ) : null}
      <BalancesTable balances={programme.balances} />
      <h2>
        本批次的发放<small lang="en">Payouts</small>
      </h2>
      <PayoutTable payouts={props.payouts} caption="本批次的发放" programmeId={programme.id} />
      <NextPage path={`${batchesPath(programme.id)}/${batch.id}`} query={{}} cursor={props.nextCursor} />
    </ProgrammeSectionPage>
  );
}
