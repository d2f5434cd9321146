// The pages for people, mounted beside the JSON API: the session read from its cookie for every
// page, the stylesheet, and the groups of pages — one's account (routes/account.tsx), programmes
// and their money (routes/programmes.tsx), the finance officer's work inside a programme
// (routes/finance.tsx), the caseworker's students and intake (routes/students.tsx,
// routes/student-intake.tsx), the approver's queue (routes/approvals.tsx), the auditor's desk
// (routes/auditor.tsx), the empowerment track's activities (routes/empowerment.tsx), the admin's people, organisations, programmes, tokens and audit
// engagements (routes/admin*.tsx). Handlers only
// call services and render; what is about the browser (cookies, CSRF, redirects) stays here.
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../http/env.ts';
import type { ClientAddressOptions } from '../http/client-address.ts';
import type { AuthFailureCounter } from '../http/failure-limiter.ts';
import { resumeSession } from '../services/sessions.ts';
import { APP_CSS } from './assets/app-css.ts';
import { NotFoundPage } from './pages/not-found.tsx';
import { RequestTooLargePage } from './pages/too-large.tsx';
import { accountPages } from './routes/account.tsx';
import { adminPages } from './routes/admin.tsx';
import { approvalPages } from './routes/approvals.tsx';
import { adminEngagementPages } from './routes/admin-engagements.tsx';
import { adminOrganisationPages } from './routes/admin-organisations.tsx';
import { adminProgrammePages } from './routes/admin-programmes.tsx';
import { adminTokenPages } from './routes/admin-tokens.tsx';
import { adminUserPages } from './routes/admin-users.tsx';
import { auditorPages } from './routes/auditor.tsx';
import { disclosurePages } from './routes/disclosure.tsx';
import { empowermentPages } from './routes/empowerment.tsx';
import { BANK_RESULT_UPLOAD_PATH, financePages } from './routes/finance.tsx';
import { programmePages } from './routes/programmes.tsx';
import { studentPages } from './routes/students.tsx';
import { INTAKE_UPLOAD_PATHS, studentIntakePages } from './routes/student-intake.tsx';
import { clearSessionCookie, overHttps, readSessionCookie } from './session-cookie.ts';
import type { WebEnv } from './web-kit.tsx';

export interface WebOptions {
  failures: AuthFailureCounter;
  address: ClientAddressOptions;
}

/** The paths of pages: everything but the API, its documents, the probes, the metrics and static assets. */
function isPagePath(path: string): boolean {
  return !/^\/(api\/|openapi\.json$|docs(\/|$)|healthz$|readyz$|metrics$|assets\/)/.test(path);
}

export function webRoutes(options: WebOptions) {
  const secure = (c: Context) => overHttps(c, options.address.trustProxy);
  const web = new Hono<WebEnv>();

  web.get('/assets/app.css', (c) => c.body(APP_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }));

  // The session, if the cookie names a live one. A dead one is cleared, so the next page says why.
  // Pages only: the API authenticates with tokens, and its own paths never read the cookie.
  // Pages are never cached: they show people and money.
  web.use('*', async (c, next) => {
    if (!isPagePath(c.req.path)) return next();
    c.header('Cache-Control', 'no-store');
    const secret = readSessionCookie(c);
    const session = secret ? await resumeSession({ db: c.get('deps').db, secret }) : null;
    if (secret && !session) clearSessionCookie(c, secure(c));
    c.set('session', session);
    await next();
  });

  // Forms are small: 64 KiB at most, but for the uploads (reconciliation, the bank's answer, student
  // intake), which have limits of their own.
  const formLimit = bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.html(<RequestTooLargePage />, 413) });
  const ownLimits = new Set(['/reconciliation/new', ...INTAKE_UPLOAD_PATHS]);
  const upload = (path: string) => ownLimits.has(path) || BANK_RESULT_UPLOAD_PATH.test(path);
  web.use('*', (c, next) => (c.req.method !== 'POST' || !isPagePath(c.req.path) || upload(c.req.path) ? next() : formLimit(c, next)));

  web.route('/', accountPages({ ...options, secure }));
  // Before the student pages: their /students/:id would take "import" and "bulk" for an id.
  web.route('/', studentIntakePages({ trustProxy: options.address.trustProxy }));
  web.route('/', programmePages());
  web.route('/', empowermentPages({ trustProxy: options.address.trustProxy }));
  web.route('/', disclosurePages());
  web.route('/', financePages({ trustProxy: options.address.trustProxy }));
  web.route('/', auditorPages({ trustProxy: options.address.trustProxy }));
  web.route('/', adminPages({ trustProxy: options.address.trustProxy }));
  web.route('/', approvalPages({ trustProxy: options.address.trustProxy }));
  web.route('/', studentPages({ trustProxy: options.address.trustProxy }));
  web.route('/', adminUserPages({ trustProxy: options.address.trustProxy }));
  web.route('/', adminOrganisationPages({ trustProxy: options.address.trustProxy }));
  web.route('/', adminProgrammePages({ trustProxy: options.address.trustProxy }));
  web.route('/', adminTokenPages({ trustProxy: options.address.trustProxy }));
  web.route('/', adminEngagementPages({ trustProxy: options.address.trustProxy }));
  return web;
}

/** The page for any path that is neither a page nor the API. */
export function notFoundPage(c: Context<AppEnv>) {
  return c.html(<NotFoundPage />, 404);
}
