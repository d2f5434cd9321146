// One user, as the admin who manages them sees them: organisation, role, user name, whether they are
// disabled; forms to change the role, to disable or enable them and to give a new set-password
// link; and their open sessions, each of which the admin can end (a lost laptop, a shared computer).
import type { UserSessionView, ManagedUserView } from '../../services/user-admin.ts';
import { DoneNotice, FormKeys, type FormState, RefusalNotice, RowButton, Section, SelectField, errorOf } from '../admin-forms.tsx';
import { beijingMinute } from '../format.ts';
import { Page, ROLE_NAMES, type Viewer } from '../layout.tsx';

export const USER_DONE = {
  role: '角色已变更，下次操作时生效。',
  disabled: '用户已停用：其登录会话已结束，登录与接口令牌均不可用。',
  enabled: '用户已启用。',
  session: '登录会话已结束。',
};

export function UserPage(props: {
  viewer: Viewer;
  user: ManagedUserView;
  sessions: UserSessionView[];
  formKey: string;
  form: FormState;
  done?: string | undefined;
}) {
  const { user, form: f } = props;
  const base = `/admin/people/${user.id}`;
  return (
    <Page title={`用户：${user.displayName}`} english="User" viewer={props.viewer}>
      <p>
        <a href="/admin/people">← 返回用户列表</a>
      </p>
      <DoneNotice done={props.done} words={USER_DONE} />
      <RefusalNotice form={f} />
      <dl class="facts">
        <dt>机构</dt>
        <dd>
          {user.organisationName}（<span class="id">{user.organisationCode}</span>）
        </dd>
        <dt>角色</dt>
        <dd>{ROLE_NAMES[user.role]}</dd>
        <dt>登录名</dt>
        <dd class="id">{user.username ?? '（未设置，只用接口令牌）'}</dd>
        <dt>状态</dt>
        <dd>{user.disabledAt ? `已停用（${beijingMinute(user.disabledAt)}起）` : '正常'}</dd>
      </dl>
      <Section id="change-role" title="变更角色" english="Role">
        <form method="post" action={`${base}/role`} class="card">
          <FormKeys viewer={props.viewer} formKey={`${props.formKey}-role`} />
          <SelectField
            name="role"
            label="新角色"
            value={f.values.role ?? user.role}
            error={errorOf(f, 'role')}
            options={user.possibleRoles.map((r) => ({ value: r, text: ROLE_NAMES[r] }))}
          />
          <button type="submit">变更角色</button>
        </form>
      </Section>
      <Section id="disable" title={user.disabledAt ? '启用用户' : '停用用户'} english={user.disabledAt ? 'Enable' : 'Disable'}>
        <p class="muted">
          {user.disabledAt ? '启用后，该用户可再次登录，其接口令牌恢复可用。' : '停用后，该用户的登录会话立即结束，不能登录，接口令牌也不可用；记录全部保留。'}
        </p>
        <RowButton
          action={`${base}/disabled`}
          viewer={props.viewer}
          formKey={`${props.formKey}-disabled`}
          label={user.disabledAt ? '启用该用户' : '停用该用户'}
        >
          <input type="hidden" name="disabled" value={user.disabledAt ? 'false' : 'true'} />
        </RowButton>
      </Section>
      {user.username ? (
        <Section id="reset-password" title="重设密码" english="Reset password">
          <p class="muted">生成新的设置密码链接（只显示一次），旧链接随即失效；本人用新链接设置密码后，其全部登录会话结束。</p>
          <RowButton action={`${base}/link`} viewer={props.viewer} formKey={`${props.formKey}-link`} label="生成新链接" />
        </Section>
      ) : null}
      <Section id="sessions" title="登录会话" english="Sessions">
        {props.sessions.length === 0 ? (
          <p>该用户目前没有登录会话。</p>
        ) : (
          <table>
            <caption>尚未结束的登录会话</caption>
            <thead>
              <tr>
                <th scope="col">登录时间</th>
                <th scope="col">最近活动</th>
                <th scope="col">浏览器</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {props.sessions.map((s) => (
                <tr>
                  <td class="when">{beijingMinute(s.createdAt)}</td>
                  <td class="when">{beijingMinute(s.lastSeenAt)}</td>
                  <td>{s.userAgent ?? '—'}</td>
                  <td>
                    <RowButton
                      action={`${base}/sessions/${s.id}/end`}
                      viewer={props.viewer}
                      formKey={`${props.formKey}-${s.id.slice(0, 8)}`}
                      label="结束此会话"
                      of={`${beijingMinute(s.createdAt)}登录`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </Page>
  );
}
