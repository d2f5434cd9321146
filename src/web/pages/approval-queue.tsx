// The approver's queue: what waits for a decision, narrowed by kind, programme and year (a GET
// form: no personal data in the query), each proposal with its rules, evidence, proposer and the
// programme's uncommitted fund; one form around both lists decides a selection at once.
import type { ApprovalQueue, QueueItem } from '../../services/approval-queue.ts';
import type { ProposalKind } from '../../services/proposals.ts';
import { beijingMinute } from '../format.ts';
import { Notice, Page, type Viewer } from '../layout.tsx';
import { EvidenceList, FundText, KIND_LABELS, ReasonField, RuleSummary, StudentText, WhatText, itemPath } from './approval-parts.tsx';

export interface QueueFilters {
  kind?: ProposalKind | undefined;
  programmeId?: string | undefined;
  year?: string | undefined;
}

export interface SelectionForm {
  reason?: string;
  errors?: Record<string, string> | null;
  notice?: string | null;
}

/** One filter: "all" first, then the choices, the current one selected. */
function FilterSelect(props: { name: string; label: string; all: string; current: string | undefined; choices: { value: string; text: string }[] }) {
  return (
    <>
      <label for={props.name}>{props.label}</label>
      <select id={props.name} name={props.name}>
        <option value="">{props.all}</option>
        {props.choices.map((c) => (
          <option value={c.value} selected={props.current === c.value}>
            {c.text}
          </option>
        ))}
      </select>
    </>
  );
}

function FilterForm(props: { filters: QueueFilters; programmes: { id: string; name: string; code: string }[]; years: string[] }) {
  const f = props.filters;
  return (
    <form method="get" action="/approvals" class="filters">
      <FilterSelect
        name="kind"
        label="类别"
        all="全部类别"
        current={f.kind}
        choices={(['eligibility', 'grant'] as const).map((k) => ({ value: k, text: KIND_LABELS[k].zh }))}
      />
      <FilterSelect
        name="programmeId"
        label="项目"
        all="全部项目"
        current={f.programmeId}
        choices={props.programmes.map((p) => ({ value: p.id, text: `${p.name}（${p.code}）` }))}
      />
      <FilterSelect name="year" label="学年" all="全部学年" current={f.year} choices={props.years.map((y) => ({ value: y, text: y }))} />
      <button type="submit">筛选</button>
    </form>
  );
}

/** One section of the queue: a table of one kind, each row with its checkbox. */
function QueueTable(props: { kind: ProposalKind; items: QueueItem[]; more: string | null }) {
  const label = KIND_LABELS[props.kind].zh;
  if (props.items.length === 0) return <p>没有待审核的{label}。</p>;
  return (
    <>
      <section class="wide" tabindex={0} aria-label={`待审核的${label}，可横向滚动`}>
        <table>
          <caption>待审核的{label}</caption>
          <thead>
            <tr>
              <th scope="col">选择</th>
              <th scope="col">学生</th>
              <th scope="col">事项</th>
              <th scope="col">项目未承诺资金</th>
              <th scope="col">规则结果</th>
              <th scope="col">提出人</th>
              <th scope="col">提出时间</th>
              <th scope="col">认定依据</th>
              <th scope="col">项目与学年</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((item) => (
              <tr>
                <td>
                  <input
                    type="checkbox"
                    name="selected"
                    value={`${item.kind}:${item.proposal.id}`}
                    aria-label={`选择：${item.proposal.student.nameMasked}的${label}（${item.proposal.academicYear}）`}
                  />
                </td>
                <td>
                  <a href={itemPath(item.kind, item.proposal.id)}>
                    <StudentText item={item} />
                  </a>
                </td>
                <td class="text">
                  <WhatText item={item} />
                </td>
                <td class="money">
                  <FundText item={item} />
                </td>
                <td class="text">
                  <RuleSummary rules={item.basis.ruleResults} />
                </td>
                <td>{item.basis.proposer.name}</td>
                <td class="when">{beijingMinute(item.proposal.proposedAt)}</td>
                <td class="text">
                  <EvidenceList recognition={item.basis.recognition} />
                </td>
                <td>
                  {item.proposal.programme.name} {item.proposal.academicYear}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {props.more ? (
        <p>
          <a href={props.more} rel="next">
            更多待审核的{label} →
          </a>
        </p>
      ) : null}
    </>
  );
}

/** The queue's address with the filters kept and one list's cursor moved on. */
function moreLink(filters: QueueFilters, name: 'eligibilityCursor' | 'grantCursor', cursor: string | null | undefined): string | null {
  if (!cursor) return null;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  params.set(name, cursor);
  return `/approvals?${params}`;
}

export function ApprovalQueuePage(props: {
  viewer: Viewer;
  queue: ApprovalQueue;
  filters: QueueFilters;
  programmes: { id: string; name: string; code: string }[];
  years: string[];
  formKey: string;
  form: SelectionForm;
}) {
  const { queue, form } = props;
  const reasonError = form.errors?.reason;
  const otherErrors = Object.entries(form.errors ?? {}).filter(([field]) => field !== 'reason');
  const waiting = (queue.eligibility?.items.length ?? 0) + (queue.grants?.items.length ?? 0);
  return (
    <Page title="待审核" english="Approvals" viewer={props.viewer}>
      {form.notice ? <Notice kind="error">{form.notice}</Notice> : null}
      {otherErrors.length > 0 ? (
        <Notice kind="error">
          {otherErrors.map(([, message]) => (
            <p>{message}</p>
          ))}
        </Notice>
      ) : null}
      <FilterForm filters={props.filters} programmes={props.programmes} years={props.years} />
      <form method="post" action="/approvals/decide">
        <input type="hidden" name="csrf" value={props.viewer.csrfToken} />
        <input type="hidden" name="formKey" value={props.formKey} />
        {queue.eligibility ? (
          <section aria-labelledby="queue-eligibility">
            <h2 id="queue-eligibility">
              资格认定<small lang="en">Eligibility</small>
            </h2>
            <QueueTable kind="eligibility" items={queue.eligibility.items} more={moreLink(props.filters, 'eligibilityCursor', queue.eligibility.nextCursor)} />
          </section>
        ) : null}
        {queue.grants ? (
          <section aria-labelledby="queue-grants">
            <h2 id="queue-grants">
              资助<small lang="en">Grants</small>
            </h2>
            <QueueTable kind="grant" items={queue.grants.items} more={moreLink(props.filters, 'grantCursor', queue.grants.nextCursor)} />
          </section>
        ) : null}
        {waiting > 0 ? (
          <fieldset>
            <legend>批量审批所选事项</legend>
            <p class="muted">每一项分别审批：规则重新核对，提出人不能审批自己提出的事项；未通过的事项会逐项说明原因。</p>
            <ReasonField value={form.reason} error={reasonError} />
            <button type="submit" class="primary" name="decision" value="approve">
              批准所选
            </button>{' '}
            <button type="submit" class="primary danger" name="decision" value="reject">
              驳回所选
            </button>
          </fieldset>
        ) : null}
      </form>
    </Page>
  );
}
