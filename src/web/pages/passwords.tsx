// Setting a password with a one-time link, and changing one's own password.
import { Field, Notice, Page, type Viewer } from '../layout.tsx';

export type FieldErrors = Partial<Record<'currentPassword' | 'password' | 'confirmation', string>>;

const RULES = '至少12个字符，不要只用同一个字符。 (At least 12 characters, not all the same.)';

export function SetPasswordPage(props: { username: string; action: string; errors?: FieldErrors }) {
  return (
    <Page title="设置密码" english="Set your password">
      <div class="card narrow">
        <p>
          登录名：<strong>{props.username}</strong>
        </p>
        <p>{RULES}</p>
        <form method="post" action={props.action}>
          <Field name="password" label="新密码" english="New password" type="password" autocomplete="new-password" error={props.errors?.password} />
          <Field
            name="confirmation"
            label="再次输入新密码"
            english="Repeat it"
            type="password"
            autocomplete="new-password"
            error={props.errors?.confirmation}
          />
          <button class="primary" type="submit">
            设置密码
          </button>
        </form>
      </div>
    </Page>
  );
}

export function LinkUnusablePage() {
  return (
    <Page title="链接无效" english="Link not valid">
      <div class="card narrow">
        <Notice kind="error">该链接无效、已使用或已过期，请联系管理员重新发放。 (This link is invalid, used or expired: ask an admin for a new one.)</Notice>
        <p>
          <a href="/">返回登录页</a>
        </p>
      </div>
    </Page>
  );
}

export function ChangePasswordPage(props: { viewer: Viewer; errors?: FieldErrors }) {
  return (
    <Page title="修改密码" english="Change password" viewer={props.viewer}>
      <div class="card narrow">
        <p>{RULES} 修改后，所有已登录的会话都将结束。 (Every signed-in session ends.)</p>
        <form method="post" action="/account/password">
          <input type="hidden" name="csrf" value={props.viewer.csrfToken} />
          <Field
            name="currentPassword"
            label="当前密码"
            english="Current password"
            type="password"
            autocomplete="current-password"
            error={props.errors?.currentPassword}
          />
          <Field name="password" label="新密码" english="New password" type="password" autocomplete="new-password" error={props.errors?.password} />
          <Field
            name="confirmation"
            label="再次输入新密码"
            english="Repeat it"
            type="password"
            autocomplete="new-password"
            error={props.errors?.confirmation}
          />
          <button class="primary" type="submit">
            修改密码
          </button>
        </form>
      </div>
    </Page>
  );
}
