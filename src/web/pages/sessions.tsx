// A person's own signed-in sessions: where and since when, and a button to end any of them (a
// browser left signed in on another computer). The current one is marked; ending it signs out.
import type { SessionView } from '../../services/sessions.ts';
import { beijingMinute } from '../format.ts';
import { Page, type Viewer } from '../layout.tsx';

export function SessionsPage(props: { viewer: Viewer; sessions: SessionView[] }) {
  return (
    <Page title="登录会话" english="Signed-in sessions" viewer={props.viewer}>
      <p>以下是您当前仍有效的登录。若有不认识的登录，请结束它并修改密码。</p>
      <table>
        <caption class="skip">登录会话</caption>
        <thead>
          <tr>
            <th scope="col">浏览器</th>
            <th scope="col">登录时间</th>
            <th scope="col">最近使用</th>
            <th scope="col">最迟结束</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {props.sessions.map((s) => (
            <tr>
              <td>
                {s.userAgent ?? '未知'}
                {s.current ? <strong>（本次登录）</strong> : null}
              </td>
              <td class="when">{beijingMinute(s.createdAt)}</td>
              <td class="when">{beijingMinute(s.lastSeenAt)}</td>
              <td class="when">{beijingMinute(s.expiresAt)}</td>
              <td>
                <form method="post" action={`/account/sessions/${s.id}/end`}>
                  <input type="hidden" name="csrf" value={props.viewer.csrfToken} />
                  <button type="submit" aria-label={`结束${s.current ? '本次' : '该'}登录（${beijingMinute(s.createdAt)}）`}>
                    结束
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}
