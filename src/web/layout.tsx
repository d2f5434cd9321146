// The shell of every page: Chinese first (lang zh-CN), a skip link, the product's name, the
// signed-in person's navigation and sign-out, and one main landmark. No script: every page works
// with JavaScript off and prints cleanly (src/web/assets/app-css.ts).
import type { Child } from 'hono/jsx';
import { type Role, may } from '../domain/roles.ts';

export const PRODUCT_NAME = '事实无人抚养学生助学金发放账本';

export interface Viewer {
  displayName: string;
  role: Role;
  csrfToken: string;
  /** Whether the person's organisation is the platform operator (whose admins add organisations and engagements). */
  platform?: boolean;
}

export const ROLE_NAMES: Record<Role, string> = {
  caseworker: '经办人',
  approver: '审核人',
  finance: '财务',
  foundation_viewer: '基金会',
  coordinator: '项目专员',
  auditor: '审计',
  admin: '管理员',
};

export function Page(props: {
  title: string;
  english?: string;
  viewer?: Viewer | null;
  /** For a page that follows work under way: the browser loads it again after this many seconds (no script needed). */
  refreshSeconds?: number;
  children: Child;
}) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${PRODUCT_NAME}`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
        {props.refreshSeconds ? <meta http-equiv="refresh" content={String(props.refreshSeconds)} /> : null}
      </head>
      <body>
        <a class="skip" href="#main">
          跳到正文 (skip to content)
        </a>
        <header class="site">
          <a class="product" href={props.viewer ? '/home' : '/'}>
            {PRODUCT_NAME}
          </a>
          {props.viewer ? (
            <nav aria-label="主导航 (main navigation)">
              <ul>
                <li>
                  <a href="/home">首页</a>
                </li>
                {may(props.viewer.role, 'programme.read') ? (
                  <li>
                    <a href="/programmes">助学项目</a>
                  </li>
                ) : null}
                {may(props.viewer.role, 'empowerment.read') ? (
                  <li>
                    <a href="/empowerment">赋能工程</a>
                  </li>
                ) : null}
                {may(props.viewer.role, 'student.read') ? (
                  <li>
                    <a href="/students">学生</a>
                  </li>
                ) : null}
                <li>
                  <a href="/account/sessions">登录会话</a>
                </li>
                <li>
                  <a href="/account/password">修改密码</a>
                </li>
                <li>
                  <span>
                    {props.viewer.displayName}（{ROLE_NAMES[props.viewer.role]}）
                  </span>
                </li>
                <li>
                  <form method="post" action="/sign-out">
                    <input type="hidden" name="csrf" value={props.viewer.csrfToken} />
                    <button type="submit">退出登录</button>
                  </form>
                </li>
              </ul>
            </nav>
          ) : null}
        </header>
        <main id="main">
          <h1>
            {props.title}
            {props.english ? <small lang="en">{props.english}</small> : null}
          </h1>
          {props.children}
        </main>
        <footer class="site">
          {PRODUCT_NAME} · <a href="/docs">接口文档 (API)</a>
        </footer>
      </body>
    </html>
  );
}

/** A message above a form: role=alert for errors so that screen readers announce it at once. */
export function Notice(props: { kind: 'error' | 'ok' | 'info'; children: Child }) {
  return (
    <div class={`notice ${props.kind === 'info' ? '' : props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

/** A field's label, with its English in small type. */
export function FieldLabel(props: { for: string; label: string; english?: string | undefined }) {
  return (
    <label for={props.for}>
      {props.label}
      {props.english ? <small lang="en"> {props.english}</small> : null}
    </label>
  );
}

/** A field's error (Chinese), with the id its input's aria-describedby names. */
export function FieldError(props: { name: string; error: string | undefined }) {
  return props.error ? (
    <p class="field-error" id={`${props.name}-error`}>
      {props.error}
    </p>
  ) : null;
}

/** The attributes that tie an input to its error for assistive technology. */
export function invalidAttributes(name: string, error: string | undefined) {
  return { 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': error ? `${name}-error` : undefined };
}

/** A labelled input with its error (Chinese, from the service) tied to it for assistive technology. */
export function Field(props: {
  name: string;
  /** When several forms on one page have a field of the same name; else the name. */
  id?: string;
  label: string;
  english?: string;
  type?: string;
  value?: string;
  autocomplete?: string;
  error?: string | undefined;
  required?: boolean;
}) {
  const id = props.id ?? props.name;
  return (
    <>
      <FieldLabel for={id} label={props.label} english={props.english} />
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        autocomplete={props.autocomplete}
        required={props.required ?? true}
        {...invalidAttributes(id, props.error)}
      />
      <FieldError name={id} error={props.error} />
    </>
  );
}
