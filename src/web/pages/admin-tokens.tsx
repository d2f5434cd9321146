// Bearer tokens for machines and scripts (the JSON API): the list (never a secret, only the first
// characters to recognise one), a form to issue one to a user, whose secret is shown once on the
// next page, and a button to revoke an active one.
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, type TokenStatus } from '../../domain/token-lifetime.ts';
import type { IssuedTokenView, TokenView, UserView } from '../../services/token-admin.ts';
import { CreateForm, DoneNotice, type FormState, RowButton, SelectField, errorOf } from '../admin-forms.tsx';
import { ListTable } from '../list-table.tsx';
import { beijingMinute, beijingTime } from '../format.ts';
import { Field, Notice, Page, ROLE_NAMES, type Viewer } from '../layout.tsx';

const STATUS_NAMES: Record<TokenStatus, string> = { active: '有效', expired: '已过期', revoked: '已吊销' };

export const TOKEN_DONE = { revoked: '令牌已吊销，立即失效。' };

export function TokensPage(props: {
  viewer: Viewer;
  tokens: TokenView[];
  nextCursor: string | null;
  users: UserView[];
  formKey: string;
  form: FormState;
  done?: string | undefined;
}) {
  const f = props.form;
  return (
    <Page title="接口令牌" english="API tokens" viewer={props.viewer}>
      <DoneNotice done={props.done} words={TOKEN_DONE} />
      <CreateForm
        id="new-token"
        title="发放令牌"
        english="Issue a token"
        action="/admin/tokens"
        viewer={props.viewer}
        formKey={props.formKey}
        form={f}
        submit="发放令牌"
      >
        <SelectField
          name="userId"
          label="令牌持有人"
          english="user"
          value={f.values.userId}
          error={errorOf(f, 'userId')}
          options={props.users.map((u) => ({ value: u.id, text: `${u.displayName}（${ROLE_NAMES[u.role]}，${u.organisationCode}）` }))}
        />
        <Field name="label" label="用途说明" english="label" value={f.values.label} error={errorOf(f, 'label')} autocomplete="off" />
        <Field
          name="expiresInDays"
          label={`有效天数（1至${MAX_TOKEN_DAYS}天，不填为${DEFAULT_TOKEN_DAYS}天）`}
          english="days"
          value={f.values.expiresInDays}
          error={errorOf(f, 'expiresInDays')}
          required={false}
          autocomplete="off"
        />
      </CreateForm>
      <ListTable
        caption="接口令牌"
        headers={['持有人', '用途', '前缀', '状态', '到期', '最近使用', '操作']}
        empty="尚未发放接口令牌。"
        rows={props.tokens.length}
        next={{ path: '/admin/tokens', cursor: props.nextCursor }}
      >
        {props.tokens.map((t, i) => (
          <tr>
            <td>
              {t.user.displayName}（{ROLE_NAMES[t.user.role]}）
            </td>
            <td>{t.label}</td>
            <td class="id">{t.prefix}…</td>
            <td>{STATUS_NAMES[t.status]}</td>
            <td class="when">{t.expiresAt ? beijingMinute(t.expiresAt) : '不过期'}</td>
            <td class="when">{t.lastUsedAt ? beijingMinute(t.lastUsedAt) : '—'}</td>
            <td>
              {t.status === 'active' ? (
                <RowButton action={`/admin/tokens/${t.id}/revoke`} viewer={props.viewer} formKey={`${props.formKey}-r${i}`} label="吊销" of={t.label} />
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

/** The secret, once: only its hash is kept, so it can never be shown again. */
export function TokenIssuedPage(props: { viewer: Viewer; token: IssuedTokenView }) {
  return (
    <Page title="令牌已发放" english="Token issued" viewer={props.viewer}>
      <Notice kind="ok">
        已为 {props.token.user.displayName} 发放令牌“{props.token.label}”。令牌只显示这一次，请立即复制并妥善保存；
        {props.token.expiresAt ? `有效期至${beijingTime(props.token.expiresAt)}（北京时间）。` : ''}
      </Notice>
      <p>
        <label for="secret">令牌</label>
        <input id="secret" type="text" readonly value={props.token.secret} />
      </p>
      <p>
        <a href="/admin/tokens">返回令牌列表</a>
      </p>
    </Page>
  );
}
