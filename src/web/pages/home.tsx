// A role's home page after sign-in: links to the role's pages, and what the role may do that no
// page does yet, with the way to do it: the JSON API (with its documentation page).
import { type Action, PERMISSIONS, type Role } from '../../domain/roles.ts';
import { ACTION_LABELS } from '../action-labels.ts';
import type { ProgrammeRef } from '../components.tsx';
import { Page, ROLE_NAMES, type Viewer } from '../layout.tsx';
import { PAGE_ACTIONS } from '../page-actions.ts';
import { FinanceLinks } from './finance-home.tsx';
import type { OverduePayoutsView } from '../../services/payouts/overdue-transit.ts';

// Actions with no page of their own but a part of one: the overdue payouts are listed on the
// programme's bank-answer page (and finance's home).
const ACTIONS_WITHIN_PAGES = ['payout.follow_up'];
const ACTIONS_ON_PAGES: ReadonlySet<string> = new Set([...Object.values(PAGE_ACTIONS), ...ACTIONS_WITHIN_PAGES]);

/** The actions a role may perform, in the order of the permission table. */
export function actionsOf(role: Role): Action[] {
  return (Object.keys(PERMISSIONS) as Action[]).filter((action) => (PERMISSIONS[action] as readonly Role[]).includes(role));
}

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

/** `financeProgrammes`: the programmes a finance officer works on, for the block of links to them; `overdue`: their payouts past their days in transit. */
export function HomePage(props: { viewer: Viewer; financeProgrammes?: ProgrammeRef[] | undefined; overdue?: OverduePayoutsView[] | undefined }) {
  // What no page does yet: still done through the API (the permission table's actions, less those of PAGE_ACTIONS).
  const actions = actionsOf(props.viewer.role).filter((a) => a !== 'session.own' && !ACTIONS_ON_PAGES.has(a));
  return (
    <Page title={`${ROLE_NAMES[props.viewer.role]}工作台`} english="Home" viewer={props.viewer}>
      <p>您好，{props.viewer.displayName}。</p>
      <ul class="actions">
        {actionsOf(props.viewer.role).includes('programme.read') ? (
          <li>
            <a href="/programmes">助学项目及资金</a>
          </li>
        ) : null}
        {actionsOf(props.viewer.role).includes('empowerment.read') ? (
          <li>
            <a href="/empowerment">青山陪伴赋能工程：活动与参与</a>
          </li>
        ) : null}
        {actionsOf(props.viewer.role).includes('grant.decide') ? (
          <li>
            <a href="/approvals">待审核的资格认定与资助</a>
          </li>
        ) : null}
        {actionsOf(props.viewer.role).includes('student.register') ? (
          <li>
            <a href="/students">学生</a>
          </li>
        ) : null}
        {actionsOf(props.viewer.role).includes('student.import') ? (
          <li>
            <a href="/students/import">批量导入学生</a>
          </li>
        ) : null}
        {actionsOf(props.viewer.role).includes('eligibility.propose') ? (
          <li>
            <a href="/students/bulk">批量核验学籍、申报资格与资助</a>
          </li>
        ) : null}
        {actionsOf(props.viewer.role).includes('ledger.verify') ? (
          <li>
            <a href="/verification">核验账本与审计日志</a>
          </li>
        ) : null}
        {actionsOf(props.viewer.role).includes('checkpoint.read') ? (
          <li>
            <a href="/checkpoints">哈希链签名检查点</a>
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
      {props.financeProgrammes ? <FinanceLinks programmes={props.financeProgrammes} overdue={props.overdue} /> : null}
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
