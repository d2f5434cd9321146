// The sign-in page (also the root `/`): user name and password, the sign-in token of the form, and
// one neutral message when sign-in fails.
import { Field, Notice, Page } from '../layout.tsx';

export type SignInNotice = 'failed' | 'ended' | 'signed_out' | 'password_set' | 'limited' | 'refused';

const NOTICES: Record<SignInNotice, { kind: 'error' | 'ok' | 'info'; text: string }> = {
  failed: { kind: 'error', text: '用户名或密码不正确。 (The user name or password is not correct.)' },
  ended: { kind: 'info', text: '登录已超时或已结束，请重新登录。 (Your session has ended; please sign in again.)' },
  signed_out: { kind: 'ok', text: '您已退出登录。 (You are signed out.)' },
  password_set: { kind: 'ok', text: '密码已设置，请用新密码登录。 (Your password is set; sign in with it.)' },
  limited: { kind: 'error', text: '登录失败次数过多，请稍后再试。 (Too many failed attempts; try again later.)' },
  refused: { kind: 'error', text: '表单已过期或来源不明，请重新提交。 (The form expired or did not come from this site; please submit it again.)' },
};

export function SignInPage(props: { token: string; username?: string; notice?: SignInNotice | undefined }) {
  const notice = props.notice ? NOTICES[props.notice] : null;
  return (
    <Page title="登录" english="Sign in">
      <div class="card narrow">
        {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
        <form method="post" action="/sign-in">
          <input type="hidden" name="token" value={props.token} />
          <Field name="username" label="用户名" english="User name" autocomplete="username" value={props.username} />
          <Field name="password" label="密码" english="Password" type="password" autocomplete="current-password" />
          <button class="primary" type="submit">
            登录
          </button>
        </form>
      </div>
    </Page>
  );
}
