// What the approver's pages show of a proposal, wherever it appears (the queue, one proposal, the
// results of a selection): its kind and subject in words, the rules as evaluated at proposal, the
// recognition's documents (numbers masked), the programme's uncommitted fund against the amount.
// Masked personal data only: the services give nothing else to these pages.
import { ENROLMENT_LEVEL_LABELS, type EligibilityRule } from '../../domain/eligibility.ts';
import { formatYuan, money } from '../../domain/money.ts';
import { GRANT_STATUS_LABELS, type Label, labelOf } from '../../domain/status-labels.ts';
import type { DecisionBasis, QueueItem } from '../../services/approval-queue.ts';
import type { ProposalKind } from '../../services/proposals.ts';

export const KIND_LABELS: Readonly<Record<ProposalKind, Label>> = Object.freeze({
  eligibility: { zh: '资格认定', en: 'eligibility' },
  grant: { zh: '资助', en: 'grant' },
});

/** Where a proposal of each kind is shown on its own. */
export const KIND_PATHS: Readonly<Record<ProposalKind, string>> = Object.freeze({ eligibility: 'eligibility', grant: 'grants' });

export const itemPath = (kind: ProposalKind, id: string) => `/approvals/${KIND_PATHS[kind]}/${id}`;

const RULE_NAMES: Readonly<Record<EligibilityRule, string>> = Object.freeze({
  age_18_at_year_start: '学年开始时年满18周岁',
  recognised_before_18: '18周岁前已认定为事实无人抚养儿童',
  not_adopted: '未被收养',
  level_funded: '就读层次在资助范围内',
  enrolment_active: '学籍有效（未毕业、未退学）',
  enrolment_verified_for_year: '本学年已核实学籍',
  enrolment_covers_year: '在读期间覆盖该学年',
});

const ELIGIBILITY_STATUS_LABELS: Readonly<Record<string, Label>> = Object.freeze({
  proposed: { zh: '待审核', en: 'proposed' },
  approved: { zh: '已批准', en: 'approved' },
  rejected: { zh: '未批准', en: 'rejected' },
  revoked: { zh: '已撤销', en: 'revoked' },
});

const COHORT_NAMES: Readonly<Record<string, string>> = Object.freeze({ new: '新生', continuing: '在校生' });

export const statusOf = (item: QueueItem) =>
  item.kind === 'grant' ? labelOf(GRANT_STATUS_LABELS, item.proposal.status) : labelOf(ELIGIBILITY_STATUS_LABELS, item.proposal.status);

/** The student as every role may see them: masked name and identity number. */
export function StudentText(props: { item: QueueItem }) {
  const s = props.item.proposal.student;
  return (
    <>
      {s.nameMasked} <span class="id">{s.identityNumberMasked}</span>
    </>
  );
}

/** What the proposal is for, in a few words: a grant's level and amount, an eligibility's cohort and school. */
export function WhatText(props: { item: QueueItem }) {
  const { item } = props;
  if (item.kind === 'grant') return <>{`资助 ${formatYuan(item.proposal.amount)}（${ENROLMENT_LEVEL_LABELS[item.proposal.level].zh}）`}</>;
  const enrolment = item.proposal.enrolment;
  const school = enrolment ? `，${enrolment.institutionName}${ENROLMENT_LEVEL_LABELS[enrolment.level].zh}` : '';
  return <>{`资格认定（${COHORT_NAMES[item.proposal.cohort] ?? item.proposal.cohort}${school}）`}</>;
}

/** The rules as evaluated at proposal: each passed or failed, with the service's Chinese detail. */
export function RuleList(props: { rules: DecisionBasis['ruleResults'] }) {
  if (props.rules.length === 0) return <span class="muted">无规则记录</span>;
  return (
    <ul class="rules">
      {props.rules.map((r) => (
        <li class={r.passed ? 'passed' : 'failed'}>
          <strong>{r.passed ? '✓ 通过' : '✗ 未通过'}</strong> {RULE_NAMES[r.rule] ?? r.rule}：{r.detail_zh}
        </li>
      ))}
    </ul>
  );
}

/** The rules in a line (all passed, or how many failed), each one behind it; failed ones shown open. Works without script. */
export function RuleSummary(props: { rules: DecisionBasis['ruleResults'] }) {
  const failed = props.rules.filter((r) => !r.passed).length;
  if (props.rules.length === 0) return <RuleList rules={props.rules} />;
  return (
    <details open={failed > 0}>
      <summary>{failed === 0 ? `${props.rules.length}项规则全部通过` : `${failed}项规则未通过`}</summary>
      <RuleList rules={props.rules} />
    </details>
  );
}

/** The recognition and its documents; document numbers masked. */
export function EvidenceList(props: { recognition: DecisionBasis['recognition'] }) {
  const r = props.recognition;
  if (!r) return <span class="muted">无认定记录</span>;
  return (
    <>
      <p>
        {r.recognisedOn} {r.authority}认定
      </p>
      <ul class="evidence">
        {r.evidence.map((e) => (
          <li>
            {e.documentType} <span class="id">{e.documentNumberMasked}</span>（{e.issuer}，{e.issuedOn}）
          </li>
        ))}
      </ul>
    </>
  );
}

/** The programme's uncommitted fund; for a grant, whether it covers the amount and what is missing if not. */
export function FundText(props: { item: QueueItem }) {
  const { item } = props;
  const fund = item.basis.uncommittedFund;
  if (item.kind !== 'grant') return <>{formatYuan(fund)}</>;
  const missing = money(item.proposal.amount).minus(fund);
  return (
    <>
      {formatYuan(fund)}
      {missing.greaterThan(0) && item.proposal.status === 'proposed' ? <strong class="short">（不足，尚缺{formatYuan(missing)}）</strong> : null}
    </>
  );
}

/** The reason of a decision: required to reject, optional to approve; its error tied to it. */
export function ReasonField(props: { value?: string | undefined; error?: string | undefined }) {
  return (
    <>
      <label for="reason">
        理由<small lang="en"> reason</small>
        <small>（驳回时必填，批准时可不填）</small>
      </label>
      <input
        id="reason"
        name="reason"
        type="text"
        value={props.value ?? ''}
        autocomplete="off"
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? 'reason-error' : undefined}
      />
      {props.error ? (
        <p class="field-error" id="reason-error">
          {props.error}
        </p>
      ) : null}
    </>
  );
}
