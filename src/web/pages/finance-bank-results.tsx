// The bank's answer to the batches sent: uploading it (camt.054, camt.053, a 代发 result file or a
// bank's account-history CSV with its layout), the imports made, and one import with every line and
// its exceptions — a line matched without a reference, and the payouts a line without one may be
// about, listed for finance to pick from. Below an import,
// the payouts the bank refused or returned that still wait for a decision: a later batch retries
// them (to the account the student has then — a caseworker corrects a wrong account), or finance
// cancels the instalment and its money goes back to the fund.
import { PAYOUT_STATUS_LABELS, labelOf } from '../../domain/status-labels.ts';
import type { BankResultImportView, CandidateView } from '../../services/payouts/bank-result-views.ts';
import type { PayoutView } from '../../services/payouts/payout-views.ts';
import type { ProgrammeView } from '../../services/programmes.ts';
import { MoneyCell, NextPage, ProgrammeSectionPage } from '../components.tsx';
import {
  ACCOUNT_STATED_BY_LABELS,
  BANK_RESULT_FORMAT_LABELS,
  EXCEPTION_LINE_OUTCOMES,
  LINE_OUTCOME_LABELS,
  STATEMENT_CSV_PRESET_LABELS,
} from '../finance-labels.ts';
import { beijingMinute } from '../format.ts';
import { Field, Notice, Page, type Viewer } from '../layout.tsx';
import type { FormRefusal } from '../submit-once.ts';
import { BalancesTable, FormKeys, RefusalNotice } from './finance-kit.tsx';
import { type HandMatches, HandMatchSection } from './finance-hand-matches.tsx';
import type { OverduePayoutsView } from '../../services/payouts/overdue-transit.ts';
import { OverduePayouts } from './overdue-payouts.tsx';

const resultsPath = (programmeId: string) => `/programmes/${programmeId}/bank-results`;

export function BankResultListPage(props: {
  viewer: Viewer;
  programme: ProgrammeView;
  imports: BankResultImportView[];
  nextCursor: string | null;
  mayImport: boolean;
  /** Payouts in transit past the programme's business days (for those who follow them up). */
  overdue?: OverduePayoutsView | undefined;
}) {
  const base = resultsPath(props.programme.id);
  return (
    <ProgrammeSectionPage
      viewer={props.viewer}
      programme={props.programme}
      section="/bank-results"
      title="银行回单"
      english="Bank answers"
      above={
        <>
          {props.mayImport ? (
            <p>
              <a href={`${base}/new`}>上传银行回单</a>
            </p>
          ) : null}
          {props.overdue ? <OverduePayouts overdue={props.overdue} headingId="overdue-payouts" /> : null}
        </>
      }
      empty={{ is: props.imports.length === 0, text: '尚未导入银行回单。' }}
    >
      <table>
        <caption class="skip">已导入的银行回单</caption>
        <thead>
          <tr>
            <th scope="col">导入时间</th>
            <th scope="col">格式</th>
            <th scope="col">文件</th>
            <th scope="col" class="money">
              行数
            </th>
            <th scope="col" class="money">
              已处理
            </th>
            <th scope="col" class="money">
              异常
            </th>
          </tr>
        </thead>
        <tbody>
          {props.imports.map((i) => (
            <tr>
              <td class="when">
                <a href={`${base}/${i.id}`}>{beijingMinute(i.createdAt)}</a>
              </td>
              <td>{BANK_RESULT_FORMAT_LABELS[i.format] ?? i.format}</td>
              <td>{i.fileName ?? '—'}</td>
              <td class="money">{i.lineCount}</td>
              <td class="money">{i.appliedCount}</td>
              <td class="money">{i.exceptionCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <NextPage path={base} query={{}} cursor={props.nextCursor} />
    </ProgrammeSectionPage>
  );
}

export interface UploadForm {
  format?: string;
  encoding?: string;
  acceptExceptions?: boolean;
  /** Account-history CSV layout (format statement-csv). */
  preset?: string | undefined;
  /** The account the file is about, when the file names none. */
  account?: string;
}

/** The lines a refused file would have left as exceptions (422 bank_file_exceptions), as the service lists them. */
export interface ListedException {
  line?: number;
  reference?: string | null;
  amount?: unknown;
  outcome?: string;
  explanation?: string | null;
  candidates?: CandidateView[];
}

function Choice(props: { name: string; id: string; label: string; choices: readonly (readonly [string, string])[]; value: string | undefined }) {
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.name}>
        {props.choices.map(([value, text]) => (
          <option value={value} selected={value === (props.value ?? 'auto')}>
            {text}
          </option>
        ))}
      </select>
    </>
  );
}

export function UploadBankResultPage(props: {
  viewer: Viewer;
  programme: ProgrammeView;
  formKey: string;
  form: UploadForm;
  refusal?: FormRefusal | null;
  exceptions?: ListedException[];
}) {
  const errors = props.refusal?.errors ?? {};
  const fileError = errors.content ?? errors.file;
  return (
    <ProgrammeSectionPage viewer={props.viewer} programme={props.programme} section="/bank-results" title="上传银行回单" english="Upload the bank's answer">
      <RefusalNotice refusal={props.refusal} />
      {props.exceptions && props.exceptions.length > 0 ? <ExceptionList lines={props.exceptions} /> : null}
      <form method="post" action={`${resultsPath(props.programme.id)}/new`} enctype="multipart/form-data" class="card">
        <FormKeys viewer={props.viewer} formKey={props.formKey} />
        <label for="file">银行回单文件（不超过 64 MiB）</label>
        <input
          id="file"
          name="file"
          type="file"
          required
          accept=".xml,.csv,.txt"
          aria-invalid={fileError ? 'true' : undefined}
          aria-describedby={fileError ? 'file-error' : undefined}
        />
        {fileError ? (
          <p class="field-error" id="file-error">
            {fileError}
          </p>
        ) : null}
        <Choice
          name="format"
          id="format"
          label="文件格式"
          value={props.form.format}
          choices={[['auto', '自动识别'], ...Object.entries(BANK_RESULT_FORMAT_LABELS)] as const}
        />
        <Choice
          name="preset"
          id="preset"
          label="账户明细 CSV 的银行格式（仅用于“账户明细 CSV”）"
          value={props.form.preset ?? 'generic-cn'}
          choices={Object.entries(STATEMENT_CSV_PRESET_LABELS).map(([value, text]) => [value, `${text}（${value}）`] as const)}
        />
        {errors.preset ? (
          <p class="field-error" id="preset-error">
            {errors.preset}
          </p>
        ) : null}
        <Field
          name="account"
          id="account"
          label="文件所属账号（文件未载明账号时填写；不填则视为本项目发放账户）"
          value={props.form.account ?? ''}
          error={errors.account}
          required={false}
        />
        <Choice
          name="encoding"
          id="encoding"
          label="CSV 编码"
          value={props.form.encoding}
          choices={[
            ['auto', '自动识别'],
            ['utf-8', 'UTF-8'],
            ['gbk', 'GBK'],
          ]}
        />
        <div class="choice">
          <input id="acceptExceptions" name="acceptExceptions" type="checkbox" value="true" checked={props.form.acceptExceptions === true} />
          <label for="acceptExceptions">
            有异常行时仍导入其余各行 <small>（异常行保留记录，待后续处理）</small>
          </label>
        </div>
        <button type="submit" class="primary">
          导入
        </button>
      </form>
      <BalancesTable balances={props.programme.balances} />
    </ProgrammeSectionPage>
  );
}

function ExceptionList(props: { lines: ListedException[] }) {
  const rows: LineRow[] = props.lines.map((l) => ({
    line: l.line ?? null,
    reference: l.reference ?? null,
    // The amount as the service listed it (a decimal in process): written as money text.
    amount: l.amount === undefined ? null : String(l.amount),
    bookingDate: null,
    outcome: l.outcome ?? '',
    reason: l.explanation ?? null,
    candidates: l.candidates ?? null,
  }));
  return (
    <section aria-labelledby="exceptions-title">
      <h2 id="exceptions-title">
        异常行<small lang="en">Exceptions</small>
      </h2>
      <Lines lines={rows} caption="与发放记录不相符的行" />
    </section>
  );
}

interface LineRow {
  /** The line's place in the import (absent for a refused file's list). */
  position?: number;
  line: number | null;
  reference: string | null;
  amount: string | null;
  bookingDate: string | null;
  outcome: string;
  reason: string | null;
  /** Why the import did not apply the line (English), apart from the bank's reason. */
  explanation?: string | null;
  /** The bank's reason with its ISO code named (describeReturnReason), when there is one. */
  reasonText?: string | null;
  candidates?: CandidateView[] | null;
}

/** The bank's reason (named) and, for an exception, why it was not applied. */
function LineReason(props: { line: LineRow }) {
  const bank = props.line.reasonText ?? props.line.reason;
  const why = props.line.explanation;
  return (
    <>
      {bank ?? ''}
      {bank && why ? '；' : ''}
      {why ? <small lang="en">{why}</small> : null}
    </>
  );
}

function Lines(props: { lines: LineRow[]; caption: string }) {
  return (
    <section class="wide" tabindex={0} aria-label="表格，可横向滚动">
      <table>
        <caption class="skip">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">行号</th>
            <th scope="col">发放参考号</th>
            <th scope="col" class="money">
              金额
            </th>
            <th scope="col">记账日期</th>
            <th scope="col">处理结果</th>
            <th scope="col">说明</th>
          </tr>
        </thead>
        <tbody>
          {props.lines.map((l) => (
            <>
              <tr class={EXCEPTION_LINE_OUTCOMES.includes(l.outcome) ? 'exception' : undefined}>
                <td>{l.line ?? '—'}</td>
                <td class="id">{l.reference ?? '—'}</td>
                {l.amount ? <MoneyCell amount={l.amount} /> : <td>—</td>}
                <td class="when">{l.bookingDate ?? '—'}</td>
                <td>
                  {LINE_OUTCOME_LABELS[l.outcome] ?? l.outcome}
                  {EXCEPTION_LINE_OUTCOMES.includes(l.outcome) ? <strong>（异常）</strong> : null}
                </td>
                <td>{l.candidates ? <CandidatesNote line={l} /> : <LineReason line={l} />}</td>
              </tr>
              {l.candidates && l.candidates.length > 0 ? (
                <tr class="candidates-row">
                  <td colspan={6}>
                    <Candidates line={l} />
                  </td>
                </tr>
              ) : null}
            </>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Why a line without a reference was matched, or not, in words for finance (the service's English in small type). */
function CandidatesNote(props: { line: LineRow }) {
  const { line } = props;
  const count = line.candidates?.length ?? 0;
  const zh =
    line.outcome === 'matched_without_reference'
      ? '仅有一笔在途发放的金额、收款人和日期与该行相符'
      : line.outcome === 'already_recorded'
        ? '与另一类文件已记录的同一笔入账相符（按金额、收款人和日期识别）'
        : line.outcome === 'ambiguous_match'
          ? `有 ${count} 笔在途发放的金额、收款人和日期均与该行相符，请核对后人工匹配`
          : count > 0
            ? '没有在途发放同时符合金额、收款人和日期；下列为同金额的在途发放，供人工核对'
            : '没有金额相同的在途发放';
  return (
    <>
      {zh}
      {line.explanation ? (
        <>
          {' '}
          <small lang="en">{line.explanation}</small>
        </>
      ) : null}
      {line.reasonText ? <> · {line.reasonText}</> : null}
    </>
  );
}

/**
 * The payouts a line without a reference may be about (masked accounts, never names): the one it
 * was matched to, or those to pick from. Each row has an id (`candidate-<position>-<payout id>`) and
 * the table one (`candidates-<position>`), where the form matching a line to a payout by hand goes.
 */
function Candidates(props: { line: LineRow }) {
  const { line } = props;
  const key = line.position ?? line.line ?? 0;
  const matched = line.outcome === 'matched_without_reference' || line.outcome === 'already_recorded';
  return (
    <table id={`candidates-${key}`} class="candidates">
      <caption>{matched ? '匹配到的发放' : '可能相符的发放（请人工核对）'}</caption>
      <thead>
        <tr>
          <th scope="col">发放参考号</th>
          <th scope="col" class="money">
            金额
          </th>
          <th scope="col">收款账号</th>
          <th scope="col">批次</th>
        </tr>
      </thead>
      <tbody>
        {(line.candidates ?? []).map((c) => (
          <tr id={`candidate-${key}-${c.payoutId}`} data-payout-id={c.payoutId}>
            <td class="id">{c.reference}</td>
            <MoneyCell amount={c.amount} />
            <td class="id">{c.accountMasked}</td>
            <td class="id">{c.batchCode}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface ToActOn {
  /** The import whose page the forms are on (they come back to it). */
  importId: string;
  payouts: PayoutView[];
  /** Form keys by instalment, for the cancel form of each row. */
  keys: Record<string, string>;
  mayCancel: boolean;
  mayUnmask: boolean;
  /** The row whose cancel form was refused, with the messages for its fields. */
  refused?: { instalmentId: string; errors: Record<string, string> };
}

/** The payouts that came back and wait for a decision: retried by the next batch, or cancelled here. */
export function PayoutsToActOn(props: { viewer: Viewer; programmeId: string; act: ToActOn; refusal?: FormRefusal | null }) {
  const { act } = props;
  return (
    <section aria-labelledby="to-act-title">
      <h2 id="to-act-title">
        本项目待处理的退回款项<small lang="en">Failed payouts to act on</small>
      </h2>
      {act.payouts.length === 0 ? (
        <p>没有待处理的退回款项。</p>
      ) : (
        <>
          <p class="muted">
            退回的款项由下一个发放批次自动重新发放，发往学生届时登记的账户。账户有误时，请经办人在学生档案中更正账户后再生成批次；不再发放的，在此取消该期，金额退回资金池。
          </p>
          <RefusalNotice refusal={props.refusal} />
          <table>
            <caption class="skip">银行退回、尚未处理的发放</caption>
            <thead>
              <tr>
                <th scope="col">发放参考号</th>
                <th scope="col">学生</th>
                <th scope="col" class="money">
                  金额
                </th>
                <th scope="col">状态</th>
                <th scope="col">银行说明</th>
                <th scope="col">处理</th>
              </tr>
            </thead>
            <tbody>
              {act.payouts.map((p) => (
                <tr>
                  <td class="id">{p.reference}</td>
                  <td>
                    {p.student.nameMasked}
                    {act.mayUnmask ? (
                      <>
                        {' '}
                        <a href={`/programmes/${props.programmeId}/grants/${p.grantId}/unmask`}>查看完整账户（向银行查询）</a>
                      </>
                    ) : null}
                  </td>
                  <MoneyCell amount={p.amount} />
                  <td>{labelOf(PAYOUT_STATUS_LABELS, p.status)}</td>
                  <td>{p.outcome?.reasonText ?? p.outcome?.reason ?? '—'}</td>
                  <td>
                    {act.mayCancel ? (
                      <form method="post" action={`/programmes/${props.programmeId}/bank-results/${act.importId}/instalments/${p.instalmentId}/cancel`}>
                        <FormKeys viewer={props.viewer} formKey={act.keys[p.instalmentId] ?? ''} />
                        <Field
                          name="reason"
                          id={`reason-${p.instalmentId}`}
                          label={`不再发放 ${p.reference} 的原因`}
                          error={act.refused?.instalmentId === p.instalmentId ? act.refused.errors.reason : undefined}
                        />
                        <button type="submit">取消该期</button>
                      </form>
                    ) : (
                      '等待下一批次重新发放'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

export function BankResultPage(props: {
  viewer: Viewer;
  programme: ProgrammeView;
  result: BankResultImportView;
  act: ToActOn;
  hand: HandMatches;
  refusal?: FormRefusal | null;
}) {
  const { result } = props;
  const exceptions = (result.lines ?? []).filter((l) => EXCEPTION_LINE_OUTCOMES.includes(l.outcome));
  const matchedWithout = (result.lines ?? []).filter((l) => l.outcome === 'matched_without_reference').length;
  return (
    <ProgrammeSectionPage viewer={props.viewer} programme={props.programme} section="/bank-results" title="银行回单导入结果" english="Bank answer imported">
      <dl class="facts">
        <dt>格式</dt>
        <dd>{BANK_RESULT_FORMAT_LABELS[result.format] ?? result.format}</dd>
        <dt>文件</dt>
        <dd>{result.fileName ?? '—'}</dd>
        {result.preset ? (
          <>
            <dt>账户明细格式</dt>
            <dd>{STATEMENT_CSV_PRESET_LABELS[result.preset] ?? result.preset}</dd>
          </>
        ) : null}
        <dt>账户</dt>
        <dd id="account-stated-by">{ACCOUNT_STATED_BY_LABELS[result.accountStatedBy] ?? result.accountStatedBy}</dd>
        <dt>报文标识</dt>
        <dd class="id">{result.messageId ?? '—'}</dd>
        <dt>SHA-256</dt>
        <dd class="hash">{result.sha256}</dd>
        <dt>导入时间</dt>
        <dd>{beijingMinute(result.createdAt)}</dd>
        <dt>行数 / 已处理 / 异常</dt>
        <dd id="import-counts">
          {result.lineCount} / {result.appliedCount} / {result.exceptionCount}
        </dd>
      </dl>
      {exceptions.length > 0 ? (
        <p>
          <strong>本文件有 {exceptions.length} 行异常</strong>：这些行未作处理，记录保留如下，供与银行核对。
        </p>
      ) : (
        <p>本文件各行均已处理，没有异常。</p>
      )}
      {matchedWithout > 0 ? (
        <p id="matched-without-reference">
          其中 {matchedWithout} 行未载发放参考号，已按金额、收款账号（或户名）和记账日期匹配到唯一的发放并处理，请核对下表所列的匹配结果。
        </p>
      ) : null}
      <Lines lines={result.lines ?? []} caption="回单各行及处理结果" />
      {props.hand.refused ? <RefusalNotice refusal={props.refusal} /> : null}
      <HandMatchSection viewer={props.viewer} programmeId={props.programme.id} hand={props.hand} />
      <PayoutsToActOn viewer={props.viewer} programmeId={props.programme.id} act={props.act} refusal={props.hand.refused ? null : props.refusal} />
      <BalancesTable balances={props.programme.balances} />
    </ProgrammeSectionPage>
  );
}

/** A bank file over the upload's limit: refused before it is read, nothing written. */
export function BankFileTooLargePage() {
  return (
    <Page title="文件过大" english="Upload too large">
      <Notice kind="error">银行回单文件超过 64 MiB，未作任何处理。请分拆文件，或通过数据接口导入。</Notice>
    </Page>
  );
}
