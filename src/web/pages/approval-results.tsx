// What a selection decided at once came to, item by item: decided, or refused and why in the
// catalogue's Chinese (an insufficient fund says how much is missing; maker-checker says another
// approver must decide). Shown once, after the post; the queue shows what still waits.
import type { DecisionOutcome } from '../../services/approval-decisions.ts';
import { Notice, Page, type Viewer } from '../layout.tsx';
import { KIND_LABELS, StudentText, WhatText, itemPath } from './approval-parts.tsx';

export function DecisionResultsPage(props: { viewer: Viewer; decision: 'approve' | 'reject'; outcomes: DecisionOutcome[] }) {
  const verb = props.decision === 'approve' ? '批准' : '驳回';
  const passed = props.outcomes.filter((o) => o.decided).length;
  const refused = props.outcomes.length - passed;
  return (
    <Page title="批量审批结果" english="Decisions on the selection" viewer={props.viewer}>
      <Notice kind={refused > 0 ? 'error' : 'ok'}>
        已{verb} {passed} 项{refused > 0 ? `，${refused} 项未能${verb}（原因见下表）` : ''}。
      </Notice>
      <section class="wide" tabindex={0} aria-label="审批结果，可横向滚动">
        <table>
          <caption>所选事项的审批结果</caption>
          <thead>
            <tr>
              <th scope="col">类别</th>
              <th scope="col">学生</th>
              <th scope="col">事项</th>
              <th scope="col">结果</th>
              <th scope="col">说明</th>
            </tr>
          </thead>
          <tbody>
            {props.outcomes.map((o) => (
              <tr class={o.decided ? 'decided' : 'refused'}>
                <td>{KIND_LABELS[o.kind].zh}</td>
                <td>
                  {o.item ? (
                    <a href={itemPath(o.kind, o.id)}>
                      <StudentText item={o.item} />
                    </a>
                  ) : (
                    '—'
                  )}
                </td>
                <td class="text">{o.item ? <WhatText item={o.item} /> : '—'}</td>
                <td>{o.decided ? `已${verb}` : `未${verb}`}</td>
                <td class="text">{o.decided ? '' : o.messageZh}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <p>
        <a href="/approvals">返回待审核列表</a>
      </p>
    </Page>
  );
}
