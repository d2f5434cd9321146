// The admin's list of the people who use the service, with a form to add one: the user, the name
// they sign in with, and a one-time set-password link shown once on the next page for the admin to
// hand over (only its hash is kept). Any user can get a new link (the older one stops working).
import { ROLES, type Role } from '../../domain/roles.ts';
import type { IssuedPasswordSetup } from '../../services/credentials.ts';
import type { OrganisationView } from '../../services/organisations.ts';
import type { UserView } from '../../services/token-admin.ts';
import { RowButton } from '../admin-forms.tsx';
import { ListTable } from '../list-table.tsx';
import { beijingMinute, beijingTime } from '../format.ts';
import { Field, Notice, Page, ROLE_NAMES, type Viewer } from '../layout.tsx';

export interface NewPersonForm {
  organisationId?: string | undefined;
  displayName?: string | undefined;
  role?: Role | undefined;
  username?: string | undefined;
  errors?: Record<string, string> | null;
  notice?: string | null;
}

export function PeoplePage(props: {
  viewer: Viewer;
  people: UserView[];
  nextCursor: string | null;
  organisations: OrganisationView[];
  formKey: string;
  form: NewPersonForm;
}) {
  const f = props.form;
  const error = (name: string) => f.errors?.[name];
  return (
    <Page title="用户" english="People" viewer={props.viewer}>
      {f.notice ? <Notice kind="error">{f.notice}</Notice> : null}
      <section aria-labelledby="new-person">
        <h2 id="new-person">添加用户</h2>
        <form method="post" action="/admin/people" class="card">
          <input type="hidden" name="csrf" value={props.viewer.csrfToken} />
          <input type="hidden" name="formKey" value={props.formKey} />
          <label for="organisationId">机构</label>
          <select id="organisationId" name="organisationId">
            {props.organisations.map((o) => (
              <option value={o.id} selected={f.organisationId === o.id}>
                {o.name}（{o.code}）
              </option>
            ))}
          </select>
          <Field name="displayName" label="姓名" english="name" value={f.displayName} error={error('displayName')} autocomplete="off" />
          <label for="role">角色</label>
          <select id="role" name="role">
            {ROLES.map((r) => (
              <option value={r} selected={f.role === r}>
                {ROLE_NAMES[r]}
              </option>
            ))}
          </select>
          <Field name="username" label="登录名" english="user name" value={f.username} error={error('username')} autocomplete="off" />
          <button type="submit" class="primary">
            添加并生成设置密码链接
          </button>
        </form>
      </section>
      <ListTable
        caption="用户"
        headers={['姓名', '机构', '角色', '登录名', '添加时间', '设置密码链接']}
        empty="尚无用户。"
        rows={props.people.length}
        next={{ path: '/admin/people', cursor: props.nextCursor }}
      >
        {props.people.map((p) => (
          <tr>
            <td>
              <a href={`/admin/people/${p.id}`}>{p.displayName}</a>
            </td>
            <td>{p.organisationCode}</td>
            <td>
              {ROLE_NAMES[p.role]}
              {p.disabledAt ? <strong>（已停用）</strong> : null}
            </td>
            <td class="id">{p.username ?? '（未设置，只用接口令牌）'}</td>
            <td class="when">{beijingMinute(p.createdAt)}</td>
            <td>
              {p.username ? (
                <RowButton
                  action={`/admin/people/${p.id}/link`}
                  viewer={props.viewer}
                  formKey={`${props.formKey}-${p.id.slice(0, 8)}`}
                  label="生成新链接"
                  of={p.displayName}
                />
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </ListTable>
    </Page>
  );
}

/** The link, once: the admin copies it and hands it to the person; it is never shown again. */
export function LinkIssuedPage(props: { viewer: Viewer; issued: IssuedPasswordSetup; url: string }) {
  return (
    <Page title="设置密码链接" english="Set-password link" viewer={props.viewer}>
      <Notice kind="ok">
        已为登录名 <strong class="id">{props.issued.username}</strong> 生成设置密码链接。此链接只显示这一次，请复制后交给本人；有效期至
        {beijingTime(props.issued.expiresAt)}（北京时间），用过一次即失效。
      </Notice>
      <p>
        <label for="link">设置密码链接</label>
        <input id="link" type="text" readonly value={props.url} />
      </p>
      <p>
        <a href="/admin/people">返回用户列表</a>
      </p>
    </Page>
  );
}
