// On the import page: the lines of the bank's answer that applied to no payout, each with a form
// to match it to its payout by hand (手工匹配) with a reason, and the matches waiting for a second
// person — another finance officer or an approver — to confirm or reject (maker-checker). Only
// references, amounts and statuses are shown: no personal data.
import { PAYOUT_STATUS_LABELS, labelOf } from '../../domain/status-labels.ts';
import type { BankLineMatchView, MatchablePayout } from '../../services/payouts/bank-line-match-views.ts';
import { MoneyCell } from '../components.tsx';
import { LINE_OUTCOME_LABELS } from '../finance-labels.ts';
import { beijingMinute } from '../format.ts';
import { Field, FieldError, FieldLabel, type Viewer, invalidAttributes } from '../layout.tsx';
import { FormKeys } from './finance-kit.tsx';

/** A line that may be matched by hand, with the payouts it could be (exactly its amount, a state its kind applies to). */
export interface MatchableLine {
  position: number;
  line: number;
  reference: string | null;
  amount: string;
  kind: string;
  outcome: string;
  /** The payouts to choose from; null when there are too many to list (the reference is typed instead). */
  candidates: MatchablePayout[] | null;
}

export interface HandMatches {
  importId: string;
  lines: MatchableLine[];
  /** This import's matches waiting for a checker. */
  proposals: BankLineMatchView[];
  mayPropose: boolean;
  mayConfirm: boolean;
  /** The signed-in person: the proposer of a match may not confirm it. */
  userId: string;
  /** Form keys by form: `line-<position>`, `confirm-<match>`, `reject-<match>`. */
  keys: Record<string, string>;
  /** The form that was refused, with the messages for its fields and what was typed. */
  refused?: { form: string; errors: Record<string, string>; values: Record<string, string> };
}

const KIND_LABELS: Record<string, string> = { debit: '扣款', failed: '银行退回', return: '退汇' };

export function HandMatchSection(props: { viewer: Viewer; programmeId: string; hand: HandMatches }) {
  const { hand } = props;
  if (hand.lines.length === 0 && hand.proposals.length === 0) return null;
  const base = `/programmes/${props.programmeId}/bank-results/${hand.importId}`;
  return (
    <section aria-labelledby="hand-match-title">
      <h2 id="hand-match-title">
        手工匹配<small lang="en">Match by hand</small>
      </h2>
      <p class="muted">未能自动匹配的回单行，可由财务人员指定对应的发放并说明理由；须由另一名财务人员或审核人确认后才入账，入账方式与导入回单相同。</p>
      {hand.proposals.length > 0 ? <Proposals viewer={props.viewer} base={base} hand={hand} /> : null}
      {hand.mayPropose ? hand.lines.map((l) => <LineForm viewer={props.viewer} base={base} hand={hand} line={l} />) : null}
    </section>
  );
}

function LineForm(props: { viewer: Viewer; base: string; hand: HandMatches; line: MatchableLine }) {
  const { line, hand } = props;
  const form = `line-${line.position}`;
  const refused = hand.refused?.form === form ? hand.refused : undefined;
  const choiceId = `payout-${line.position}`;
  const error = refused?.errors.payoutReference ?? refused?.errors.payoutId;
  return (
    <form method="post" action={`${props.base}/lines/${line.position}/match`} class="card" aria-labelledby={`${form}-title`}>
      <FormKeys viewer={props.viewer} formKey={hand.keys[form] ?? ''} />
      <h3 id={`${form}-title`}>
        第 {line.line} 行：{KIND_LABELS[line.kind] ?? line.kind} {line.amount} 元<small>（{LINE_OUTCOME_LABELS[line.outcome] ?? line.outcome}）</small>
      </h3>
      <FieldLabel for={choiceId} label="对应的发放（参考号）" english="Payout" />
      {line.candidates && line.candidates.length > 0 ? (
        <select id={choiceId} name="payoutReference" required {...invalidAttributes('payoutReference', error)}>
          {line.candidates.map((p) => (
            <option value={p.reference} selected={refused?.values.payoutReference === p.reference}>
              {p.reference}（{p.amount} 元，{labelOf(PAYOUT_STATUS_LABELS, p.status)}）
            </option>
          ))}
        </select>
      ) : (
        <input
          id={choiceId}
          name="payoutReference"
          type="text"
          required
          maxlength={35}
          value={refused?.values.payoutReference ?? ''}
          {...invalidAttributes('payoutReference', error)}
        />
      )}
      {line.candidates === null ? (
        <p class="muted">金额相同的发放较多，未逐一列出：请输入对应发放的参考号。</p>
      ) : line.candidates.length === 0 ? (
        <p class="muted">本项目没有金额为 {line.amount} 元、可由此行入账的发放；如确有对应发放，请输入其参考号（将按规则核对）。</p>
      ) : null}
      <FieldError name="payoutReference" error={error} />
      <Field
        name="reason"
        id={`reason-${form}`}
        label="匹配理由（至少5个字）"
        english="Reason"
        value={refused?.values.reason ?? ''}
        error={refused?.errors.reason}
        required
      />
      <button type="submit">提出手工匹配</button>
    </form>
  );
}

function Proposals(props: { viewer: Viewer; base: string; hand: HandMatches }) {
  const { hand } = props;
  return (
    <>
      <h3>
        待确认的手工匹配 <small lang="en">Waiting for confirmation</small>
      </h3>
      <table>
        <caption class="skip">待另一名财务人员或审核人确认的手工匹配</caption>
        <thead>
          <tr>
            <th scope="col">回单行</th>
            <th scope="col">发放参考号</th>
            <th scope="col" class="money">
              金额
            </th>
            <th scope="col">理由</th>
            <th scope="col">提出时间</th>
            <th scope="col">确认或驳回</th>
          </tr>
        </thead>
        <tbody>
          {hand.proposals.map((m) => (
            <tr>
              <td>第 {m.line.line} 行</td>
              <td class="id">{m.payout.reference}</td>
              <MoneyCell amount={m.payout.amount} />
              <td>{m.reason}</td>
              <td class="when">{beijingMinute(m.proposedAt)}</td>
              <td>{hand.mayConfirm ? <Decision viewer={props.viewer} base={props.base} hand={hand} match={m} /> : '等待财务人员或审核人确认'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Decision(props: { viewer: Viewer; base: string; hand: HandMatches; match: BankLineMatchView }) {
  const { hand, match } = props;
  const rejectForm = `reject-${match.id}`;
  const refused = hand.refused?.form === rejectForm ? hand.refused : undefined;
  const own = match.proposedById === hand.userId;
  return (
    <>
      {own ? (
        <p>由您提出，须由另一名财务人员或审核人确认。</p>
      ) : (
        <form method="post" action={`${props.base}/matches/${match.id}/confirm`}>
          <FormKeys viewer={props.viewer} formKey={hand.keys[`confirm-${match.id}`] ?? ''} />
          <button type="submit" class="primary">
            确认匹配并入账 {match.payout.reference}
          </button>
        </form>
      )}
      <form method="post" action={`${props.base}/matches/${match.id}/reject`}>
        <FormKeys viewer={props.viewer} formKey={hand.keys[rejectForm] ?? ''} />
        <Field
          name="reason"
          id={`reason-${rejectForm}`}
          label={own ? `撤回 ${match.payout.reference} 匹配的原因` : `驳回 ${match.payout.reference} 匹配的原因`}
          value={refused?.values.reason ?? ''}
          error={refused?.errors.reason}
        />
        <button type="submit">{own ? '撤回' : '驳回'}</button>
      </form>
    </>
  );
}
