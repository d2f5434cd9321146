// The pages for people: sign-in and sign-out, the home page of each role, setting and changing a
// password. Handlers only call services and render; the session, CSRF and failed-attempt checks are
// here because they are about the browser, not the business.
import { Hono, type Context } from 'hono';
import { fieldMessageZh } from '../domain/error-catalogue.ts';
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { randomToken } from '../domain/random-token.ts';
import type { AppEnv } from '../http/env.ts';
import { type ClientAddressOptions, clientAddress } from '../http/client-address.ts';
import type { FailureLimiter } from '../http/failure-limiter.ts';
import type { ServiceContext } from '../services/context.ts';
import { PASSWORD_SETUP_PATH, changePassword, passwordSetupIsUsable, setPasswordWithLink } from '../services/credentials.ts';
import { verifyAuditTrail } from '../services/audit-events.ts';
import { programmeFundingTotal } from '../services/funding-receipts.ts';
import { verifyWholeLedger } from '../services/ledger-queries.ts';
import { programmeGrantSummary } from '../services/grant-views.ts';
import { getProgramme, listProgrammes } from '../services/programmes.ts';
import { type ResumedSession, SignInFailed, endSession, listOwnSessions, resumeSession, signIn } from '../services/sessions.ts';
import { APP_CSS } from './assets/app-css.ts';
import { formIsFromUs } from './csrf.ts';
import type { Viewer } from './layout.tsx';
import { HomePage } from './pages/home.tsx';
import { NotFoundPage } from './pages/not-found.tsx';
import { ChangePasswordPage, type FieldErrors, LinkUnusablePage, SetPasswordPage } from './pages/passwords.tsx';
import { ProgrammeListPage, ProgrammePage } from './pages/programmes.tsx';
import { SessionsPage } from './pages/sessions.tsx';
import { VerificationPage } from './pages/verification.tsx';
import { type SignInNotice, SignInPage } from './pages/sign-in.tsx';
import { clearSessionCookie, overHttps, readSessionCookie, readSignInToken, writeSessionCookie, writeSignInToken } from './session-cookie.ts';

export interface WebOptions {
  failures: FailureLimiter;
  address: ClientAddressOptions;
}

type WebEnv = { Variables: AppEnv['Variables'] & { session: ResumedSession | null } };

/** The paths of pages: everything but the API, its documents, the health check and static assets. */
function isPagePath(path: string): boolean {
  return !/^\/(api\/|openapi\.json$|docs(\/|$)|healthz$|assets\/)/.test(path);
}

const NOTICES: readonly SignInNotice[] = ['failed', 'ended', 'signed_out', 'password_set', 'limited', 'refused'];

function viewerOf(session: ResumedSession): Viewer {
  return { displayName: session.displayName, role: session.actor.role, csrfToken: session.csrfToken };
}

function contextOf(c: Context<WebEnv>, session: ResumedSession): ServiceContext {
  const deps = c.get('deps');
  return { db: deps.db, vault: deps.vault, actor: session.actor, requestId: c.get('requestId') };
}

/** The Chinese messages of a refused form, by field (the catalogue's words); anything else is not the person's to fix. */
function fieldErrors(error: unknown): FieldErrors | null {
  if (!(error instanceof ValidationError)) return null;
  return Object.fromEntries(error.fields.map((f) => [f.path, fieldMessageZh(f.message)]));
}

/** Pages are never cached: they show people and money. */
function noStore(c: Context): void {
  c.header('Cache-Control', 'no-store');
}

export function webRoutes(options: WebOptions) {
  const trustProxy = options.address.trustProxy;
  const secure = (c: Context) => overHttps(c, trustProxy);
  const web = new Hono<WebEnv>();

  web.get('/assets/app.css', (c) => c.body(APP_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }));

  // The session, if the cookie names a live one. A dead one is cleared, so the next page says why.
  // Pages only: the API authenticates with tokens, and its own paths never read the cookie.
  web.use('*', async (c, next) => {
    if (!isPagePath(c.req.path)) return next();
    noStore(c);
    const secret = readSessionCookie(c);
    const session = secret ? await resumeSession({ db: c.get('deps').db, secret }) : null;
    if (secret && !session) clearSessionCookie(c, secure(c));
    c.set('session', session);
    await next();
  });

  /** The signed-in session, or a redirect to the sign-in page saying that the session ended. */
  const signedIn = (c: Context<WebEnv>): ResumedSession | Response => c.get('session') ?? c.redirect(readSessionCookie(c) ? '/?notice=ended' : '/', 303);

  web.get('/', (c) => {
    if (c.get('session')) return c.redirect('/home', 303);
    const token = randomToken();
    writeSignInToken(c, token, secure(c));
    const notice = NOTICES.find((n) => n === c.req.query('notice'));
    return c.html(<SignInPage token={token} notice={notice} />);
  });

  web.post('/sign-in', async (c) => {
    const form = await c.req.parseBody();
    const token = randomToken();
    writeSignInToken(c, token, secure(c));
    const username = typeof form.username === 'string' ? form.username.slice(0, 200) : '';
    if (!formIsFromUs(c, { trustProxy, expectedToken: readSignInToken(c), sentToken: form.token })) {
      return c.html(<SignInPage token={token} username={username} notice="refused" />, 403);
    }
    const address = clientAddress(c, options.address);
    const decision = options.failures.check(address);
    if (decision.limited) {
      c.header('Retry-After', String(decision.retryAfterSeconds));
      return c.html(<SignInPage token={token} username={username} notice="limited" />, 429);
    }
    try {
      const signed = await signIn({
        db: c.get('deps').db,
        input: { username, password: typeof form.password === 'string' ? form.password.slice(0, 200) : '', userAgent: c.req.header('User-Agent') ?? undefined },
        requestId: c.get('requestId'),
      });
      writeSessionCookie(c, signed.secret, secure(c));
      return c.redirect('/home', 303);
    } catch (error) {
      if (!(error instanceof SignInFailed) && !(error instanceof ValidationError)) throw error;
      options.failures.recordFailure(address);
      return c.html(<SignInPage token={token} username={username} notice="failed" />, 401);
    }
  });

  web.post('/sign-out', async (c) => {
    const session = c.get('session');
    if (!session) return c.redirect('/?notice=ended', 303);
    const form = await c.req.parseBody();
    if (!formIsFromUs(c, { trustProxy, expectedToken: session.csrfToken, sentToken: form.csrf })) {
      return c.html(<HomePage viewer={viewerOf(session)} />, 403);
    }
    await endSession({ ctx: contextOf(c, session), input: { sessionId: session.sessionId } });
    clearSessionCookie(c, secure(c));
    return c.redirect('/?notice=signed_out', 303);
  });

  web.get('/home', (c) => {
    const session = signedIn(c);
    if (session instanceof Response) return session;
    return c.html(<HomePage viewer={viewerOf(session)} />);
  });

  web.get('/programmes', async (c) => {
    const session = signedIn(c);
    if (session instanceof Response) return session;
    const page = await listProgrammes({ ctx: contextOf(c, session), input: { limit: 200 } });
    return c.html(<ProgrammeListPage viewer={viewerOf(session)} programmes={page.items} />);
  });

  web.get('/programmes/:id', async (c) => {
    const session = signedIn(c);
    if (session instanceof Response) return session;
    const ctx = contextOf(c, session);
    const id = c.req.param('id');
    try {
      const programme = await getProgramme({ ctx, input: { id } });
      const summary = await programmeGrantSummary({ ctx, input: { programmeId: id } });
      const { received } = await programmeFundingTotal({ ctx, input: { programmeId: id } });
      return c.html(<ProgrammePage viewer={viewerOf(session)} programme={programme} summary={summary} received={received} />);
    } catch (error) {
      // Another organisation's programme is as absent as one that does not exist; so is a malformed id.
      if (error instanceof NotFoundError || error instanceof ValidationError || error instanceof ForbiddenError) {
        return c.html(<NotFoundPage viewer={viewerOf(session)} />, 404);
      }
      throw error;
    }
  });

  // Auditors engaged on every programme (and admins): both chains recomputed, from transaction 1.
  web.get('/verification', async (c) => {
    const session = signedIn(c);
    if (session instanceof Response) return session;
    const ctx = contextOf(c, session);
    try {
      const checkedAt = new Date();
      const ledger = await verifyWholeLedger({ ctx });
      const audit = await verifyAuditTrail({ ctx });
      return c.html(<VerificationPage viewer={viewerOf(session)} checkedAt={checkedAt} ledger={ledger} audit={audit} />);
    } catch (error) {
      if (error instanceof ForbiddenError) return c.html(<NotFoundPage viewer={viewerOf(session)} />, 404);
      throw error;
    }
  });

  web.get(`${PASSWORD_SETUP_PATH}/:secret`, async (c) => {
    const usable = await passwordSetupIsUsable({ db: c.get('deps').db, secret: c.req.param('secret') });
    if (!usable) return c.html(<LinkUnusablePage />, 404);
    return c.html(<SetPasswordPage username={usable.username} action={c.req.path} />);
  });

  // The link itself is the credential of this form (an unguessable, one-time secret in the path);
  // the Origin check still keeps other sites from posting it.
  web.post(`${PASSWORD_SETUP_PATH}/:secret`, async (c) => {
    const secret = c.req.param('secret');
    const usable = await passwordSetupIsUsable({ db: c.get('deps').db, secret });
    if (!usable) return c.html(<LinkUnusablePage />, 404);
    if (!formIsFromUs(c, { trustProxy, expectedToken: secret, sentToken: secret })) return c.html(<LinkUnusablePage />, 403);
    const form = await c.req.parseBody();
    try {
      await setPasswordWithLink({
        db: c.get('deps').db,
        input: { secret, password: String(form.password ?? ''), confirmation: String(form.confirmation ?? '') },
        requestId: c.get('requestId'),
      });
    } catch (error) {
      const errors = fieldErrors(error);
      if (errors) return c.html(<SetPasswordPage username={usable.username} action={c.req.path} errors={errors} />, 400);
      if (error instanceof DomainError) return c.html(<LinkUnusablePage />, 404);
      throw error;
    }
    return c.redirect('/?notice=password_set', 303);
  });

  web.get('/account/sessions', async (c) => {
    const session = signedIn(c);
    if (session instanceof Response) return session;
    const sessions = await listOwnSessions({ ctx: contextOf(c, session), currentSessionId: session.sessionId });
    return c.html(<SessionsPage viewer={viewerOf(session)} sessions={sessions} />);
  });

  web.post('/account/sessions/:id/end', async (c) => {
    const session = signedIn(c);
    if (session instanceof Response) return session;
    const form = await c.req.parseBody();
    if (!formIsFromUs(c, { trustProxy, expectedToken: session.csrfToken, sentToken: form.csrf })) {
      return c.html(<NotFoundPage viewer={viewerOf(session)} />, 403);
    }
    const id = c.req.param('id');
    try {
      await endSession({ ctx: contextOf(c, session), input: { sessionId: id }, reason: id === session.sessionId ? 'signed_out' : 'revoked' });
    } catch (error) {
      // Another person's session, or no session at all: nothing to show of it.
      if (error instanceof NotFoundError || error instanceof ValidationError) return c.html(<NotFoundPage viewer={viewerOf(session)} />, 404);
      throw error;
    }
    if (id === session.sessionId) {
      clearSessionCookie(c, secure(c));
      return c.redirect('/?notice=signed_out', 303);
    }
    return c.redirect('/account/sessions', 303);
  });

  web.get('/account/password', (c) => {
    const session = signedIn(c);
    if (session instanceof Response) return session;
    return c.html(<ChangePasswordPage viewer={viewerOf(session)} />);
  });

  web.post('/account/password', async (c) => {
    const session = signedIn(c);
    if (session instanceof Response) return session;
    const form = await c.req.parseBody();
    if (!formIsFromUs(c, { trustProxy, expectedToken: session.csrfToken, sentToken: form.csrf })) {
      return c.html(<ChangePasswordPage viewer={viewerOf(session)} />, 403);
    }
    try {
      await changePassword({
        ctx: contextOf(c, session),
        input: { currentPassword: String(form.currentPassword ?? ''), password: String(form.password ?? ''), confirmation: String(form.confirmation ?? '') },
      });
    } catch (error) {
      const errors = fieldErrors(error);
      if (errors) return c.html(<ChangePasswordPage viewer={viewerOf(session)} errors={errors} />, 400);
      throw error;
    }
    // Every session ended with the change, this one included: sign in again with the new password.
    clearSessionCookie(c, secure(c));
    return c.redirect('/?notice=password_set', 303);
  });

  return web;
}

/** The page for any path that is neither a page nor the API. */
export function notFoundPage(c: Context<AppEnv>) {
  return c.html(<NotFoundPage />, 404);
}
