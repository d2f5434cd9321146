// The audit trail for auditors: who (name and organisation), what, on which record, when (Beijing
// time) and the change, newest first, filtered by action, record and day; downloadable as CSV
// (itself an audited export). Each event shows its place in the audit hash chain.
import type { AuditTrailEntry } from '../../services/audit-trail.ts';
import { AUDIT_ACTION_LABELS, RECORD_TYPE_LABELS } from '../audit-labels.ts';
import { NextPage } from '../components.tsx';
import { beijingTime } from '../format.ts';
import { Notice, Page, type Viewer } from '../layout.tsx';

export interface AuditTrailFilters {
  action?: string | undefined;
  recordType?: string | undefined;
  recordId?: string | undefined;
  /** Days in Beijing time, YYYY-MM-DD, both inclusive. */
  fromDay?: string | undefined;
  toDay?: string | undefined;
}

function Change(props: { before: unknown; after: unknown }) {
  if (props.before === null && props.after === null) return <>—</>;
  return (
    <details>
      <summary>查看</summary>
      {props.before !== null ? (
        <>
          <p>变更前</p>
          <pre>{JSON.stringify(props.before, null, 2)}</pre>
        </>
      ) : null}
      {props.after !== null ? (
        <>
          <p>变更后</p>
          <pre>{JSON.stringify(props.after, null, 2)}</pre>
        </>
      ) : null}
    </details>
  );
}

function Options(props: { labels: Record<string, string>; current: string | undefined; all: string }) {
  return (
    <>
      <option value="">{props.all}</option>
      {Object.entries(props.labels).map(([code, label]) => (
        <option value={code} selected={props.current === code}>
          {label}
        </option>
      ))}
    </>
  );
}

export function AuditTrailPage(props: {
  viewer: Viewer;
  filters: AuditTrailFilters;
  entries: AuditTrailEntry[];
  nextCursor: string | null;
  errors?: Record<string, string> | null;
}) {
  const f = props.filters;
  const query = { action: f.action, recordType: f.recordType, recordId: f.recordId, from: f.fromDay, to: f.toDay };
  const csv = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1]));
  return (
    <Page title="审计日志" english="Audit trail" viewer={props.viewer}>
      {props.errors ? <Notice kind="error">筛选条件有误：{Object.values(props.errors).join('；')}</Notice> : null}
      <form method="get" action="/audit-trail" class="filters">
        <div>
          <label for="action">操作</label>
          <select id="action" name="action">
            <Options labels={AUDIT_ACTION_LABELS} current={f.action} all="全部操作" />
          </select>
        </div>
        <div>
          <label for="recordType">记录类型</label>
          <select id="recordType" name="recordType">
            <Options labels={RECORD_TYPE_LABELS} current={f.recordType} all="全部类型" />
          </select>
        </div>
        <div>
          <label for="recordId">记录编号</label>
          <input id="recordId" name="recordId" type="text" value={f.recordId ?? ''} />
        </div>
        <div>
          <label for="from">起始日期</label>
          <input id="from" name="from" type="date" value={f.fromDay ?? ''} aria-invalid={props.errors?.from ? 'true' : undefined} />
        </div>
        <div>
          <label for="to">截止日期</label>
          <input id="to" name="to" type="date" value={f.toDay ?? ''} aria-invalid={props.errors?.to ? 'true' : undefined} />
        </div>
        <button type="submit">筛选</button>
      </form>
      <p class="downloads">
        下载：
        <a href={`/audit-trail.csv?${csv}`} download>
          审计日志（CSV，按当前筛选条件）
        </a>
      </p>
      {props.entries.length === 0 ? (
        <p>没有符合条件的审计事件。</p>
      ) : (
        <section class="wide" tabindex={0} aria-label="表格，可横向滚动">
          <table>
            <caption class="skip">审计事件（最新在前）</caption>
            <thead>
              <tr>
                <th scope="col">时间（北京）</th>
                <th scope="col">操作人</th>
                <th scope="col">机构</th>
                <th scope="col">操作</th>
                <th scope="col">记录</th>
                <th scope="col">变更</th>
                <th scope="col">链序号</th>
              </tr>
            </thead>
            <tbody>
              {props.entries.map((e) => (
                <tr>
                  <td class="when">{beijingTime(e.occurredAt)}</td>
                  <td>
                    {e.actor.name}
                    {e.actor.username ? <small class="id"> {e.actor.username}</small> : null}
                  </td>
                  <td>{e.organisationName}</td>
                  <td>{AUDIT_ACTION_LABELS[e.action] ?? e.action}</td>
                  <td>
                    {RECORD_TYPE_LABELS[e.recordType] ?? e.recordType} <small class="id">{e.recordId}</small>
                  </td>
                  <td class="text">
                    <Change before={e.before} after={e.after} />
                  </td>
                  <td>{e.chain?.seq ?? '未入链'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <NextPage path="/audit-trail" query={query} cursor={props.nextCursor} />
    </Page>
  );
}
