// A role's home page after sign-in. Until a role's own pages exist, it says what the role can do
// and where: the JSON API (with its documentation page) for the work not yet on pages.
import { type Action, PERMISSIONS, type Role } from '../../domain/roles.ts';
import { ACTION_LABELS } from '../action-labels.ts';
import { Page, ROLE_NAMES, type Viewer } from '../layout.tsx';

/** The actions a role may perform, in the order of the permission table. */
export function actionsOf(role: Role): Action[] {
  return (Object.keys(PERMISSIONS) as Action[]).filter((action) => (PERMISSIONS[action] as readonly Role[]).includes(role));
}

/** What the admin's pages do: not listed again among the work done through the API. */
const ON_ADMIN_PAGES: ReadonlySet<Action> = new Set([
  'user.manage',
  'token.manage',
  'organisation.create',
  'programme.create',
  'band.manage',
  'audit_engagement.manage',
]);

/** The admin's pages, in one block. */
function AdminLinks(props: { platform: boolean }) {
  return (
    <section aria-labelledby="admin-work">
      <h2 id="admin-work">
        系统管理<small lang="en">Administration</small>
      </h2>
      <ul class="actions">
        <li>
          <a href="/admin/people">用户与设置密码链接</a>
        </li>
        <li>
          <a href="/admin/organisations">机构</a>
        </li>
        <li>
          <a href="/admin/programmes">项目管理与资助标准</a>
        </li>
        <li>
          <a href="/admin/tokens">接口令牌</a>
        </li>
        {props.platform ? (
          <li>
            <a href="/admin/engagements">审计委托</a>
          </li>
        ) : null}
      </ul>
    </section>
  );
}

export function HomePage(props: { viewer: Viewer }) {
  const actions = actionsOf(props.viewer.role).filter((a) => a !== 'session.own' && !ON_ADMIN_PAGES.has(a));
  return (
    <Page title={`${ROLE_NAMES[props.viewer.role]}工作台`} english="Home" viewer={props.viewer}>
      <p>您好，{props.viewer.displayName}。</p>
      <ul class="actions">
        <li>
          <a href="/programmes">助学项目及资金</a>
        </li>
        {actionsOf(props.viewer.role).includes('ledger.verify') ? (
          <li>
            <a href="/verification">核验账本与审计日志</a>
          </li>
        ) : null}
        {actionsOf(props.viewer.role).includes('reconciliation.read') ? (
          <li>
            <a href="/reconciliation">对账</a>
          </li>
        ) : null}
        {actionsOf(props.viewer.role).includes('audit.read') ? (
          <li>
            <a href="/audit-trail">审计日志</a>
          </li>
        ) : null}
      </ul>
      {actionsOf(props.viewer.role).includes('user.manage') ? <AdminLinks platform={props.viewer.platform === true} /> : null}
      <section aria-labelledby="api-work">
        <h2 id="api-work">
          您可以办理的事项<small lang="en">What you can do</small>
        </h2>
        <p>
          以下事项的页面正在建设中，目前可通过数据接口办理，详见<a href="/docs">接口文档</a>（需要管理员发放的接口令牌）。
        </p>
        <ul class="actions">
          {actions.map((action) => (
            <li>
              {ACTION_LABELS[action] ?? action} <small lang="en">({action})</small>
            </li>
          ))}
        </ul>
      </section>
    </Page>
  );
}
