// One proposal for the approver: what it is for, the rules as evaluated at proposal, the
// recognition's documents, the programme's uncommitted fund and who proposed it; while it is
// proposed, the form to approve it (a reason optional) or reject it (a reason required). Once
// decided, the decision instead.
import { formatYuan } from '../../domain/money.ts';
import type { QueueItem } from '../../services/approval-queue.ts';
import { beijingMinute } from '../format.ts';
import { Notice, Page, type Viewer } from '../layout.tsx';
import { EvidenceList, FundText, KIND_LABELS, ReasonField, RuleList, StudentText, WhatText, itemPath, statusOf } from './approval-parts.tsx';

export interface DecisionForm {
  reason?: string;
  errors?: Record<string, string> | null;
  /** A refusal above the form. */
  notice?: string | null;
  /** What was just decided (post/redirect/get), said once above the facts. */
  done?: 'approve' | 'reject' | undefined;
}

export function ApprovalItemPage(props: { viewer: Viewer; item: QueueItem; formKey: string; form: DecisionForm }) {
  const { item, form } = props;
  const p = item.proposal;
  const kind = KIND_LABELS[item.kind];
  const path = itemPath(item.kind, p.id);
  return (
    <Page title={`${kind.zh}审批`} english={`Decide a proposed ${kind.en}`} viewer={props.viewer}>
      <p>
        <a href="/approvals">← 返回待审核列表</a>
      </p>
      {form.done ? <Notice kind="ok">{form.done === 'approve' ? '已批准。' : '已驳回。'}</Notice> : null}
      {form.notice ? <Notice kind="error">{form.notice}</Notice> : null}
      <dl class="facts">
        <dt>学生</dt>
        <dd>
          <StudentText item={item} />
        </dd>
        <dt>项目</dt>
        <dd>{p.programme.name}</dd>
        <dt>学年</dt>
        <dd>{p.academicYear}</dd>
        <dt>事项</dt>
        <dd>
          <WhatText item={item} />
        </dd>
        <dt>状态</dt>
        <dd>{statusOf(item)}</dd>
        <dt>提出人</dt>
        <dd>{item.basis.proposer.name}</dd>
        <dt>提出时间</dt>
        <dd>{beijingMinute(p.proposedAt)}</dd>
        <dt>项目未承诺资金</dt>
        <dd>
          <FundText item={item} />
        </dd>
        {item.kind === 'grant' ? (
          <>
            <dt>本资助金额</dt>
            <dd>{formatYuan(item.proposal.amount)}</dd>
          </>
        ) : null}
        {p.decision ? (
          <>
            <dt>决定时间</dt>
            <dd>{beijingMinute(p.decision.decidedAt)}</dd>
            <dt>决定理由</dt>
            <dd>{p.decision.reason ?? '（未填写）'}</dd>
          </>
        ) : null}
      </dl>
      <section aria-labelledby="rules">
        <h2 id="rules">
          {item.kind === 'grant' ? '所依据资格认定的规则结果' : '规则结果'}
          <small lang="en">Rules at proposal</small>
        </h2>
        <RuleList rules={item.basis.ruleResults} />
      </section>
      <section aria-labelledby="evidence">
        <h2 id="evidence">
          认定依据<small lang="en">Recognition and evidence</small>
        </h2>
        <EvidenceList recognition={item.basis.recognition} />
      </section>
      {p.status === 'proposed' ? (
        <section aria-labelledby="decide">
          <h2 id="decide">
            审批<small lang="en">Decision</small>
          </h2>
          <form method="post" action={`${path}/approve`} class="card">
            <input type="hidden" name="csrf" value={props.viewer.csrfToken} />
            <input type="hidden" name="formKey" value={props.formKey} />
            <ReasonField value={form.reason} error={form.errors?.reason} />
            <button type="submit" class="primary">
              批准
            </button>{' '}
            <button type="submit" class="primary danger" formaction={`${path}/reject`}>
              驳回
            </button>
          </form>
        </section>
      ) : null}
    </Page>
  );
}
