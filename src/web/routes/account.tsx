// The pages of one's own account: signing in and out, the home page of each role, setting a
// password from a one-time link, changing it, and one's own sessions. The session, CSRF and
// failed-attempt checks are here because they are about the browser, not the business.
import { Hono } from 'hono';
import { DomainError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { randomToken } from '../../domain/random-token.ts';
import { type ClientAddressOptions, clientAddress } from '../../http/client-address.ts';
import type { AuthFailureCounter } from '../../http/failure-limiter.ts';
import { PASSWORD_SETUP_PATH, changePassword, passwordSetupIsUsable, setPasswordWithLink } from '../../services/credentials.ts';
import { SignInFailed, endSession, listOwnSessions, signIn } from '../../services/sessions.ts';
import { formIsFromUs } from '../csrf.ts';
import { may } from '../../domain/roles.ts';
import { listProgrammes } from '../../services/programmes.ts';
import { HomePage } from '../pages/home.tsx';
import { NotFoundPage } from '../pages/not-found.tsx';
import { ChangePasswordPage, LinkUnusablePage, SetPasswordPage } from '../pages/passwords.tsx';
import { SessionsPage } from '../pages/sessions.tsx';
import { type SignInNotice, SignInPage } from '../pages/sign-in.tsx';
import { clearSessionCookie, readSignInToken, writeSessionCookie, writeSignInToken } from '../session-cookie.ts';
import { type WebContext, type WebEnv, contextOf, fieldErrors, signedIn, viewerOf } from '../web-kit.tsx';
import { listOverduePayouts } from '../../services/payouts/overdue-transit.ts';

export interface AccountPageOptions {
  failures: AuthFailureCounter;
  address: ClientAddressOptions;
  /** Whether the request came over HTTPS (the cookies are then Secure). */
  secure: (c: WebContext) => boolean;
}

const NOTICES: readonly SignInNotice[] = ['failed', 'ended', 'signed_out', 'password_set', 'limited', 'refused'];

export function accountPages(options: AccountPageOptions) {
  const trustProxy = options.address.trustProxy;
  const { secure } = options;
  const web = new Hono<WebEnv>();

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
    const decision = await options.failures.check(address);
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
      await options.failures.recordFailure(address);
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

  web.get('/home', async (c) => {
    const session = signedIn(c);
    if (session instanceof Response) return session;
    // The finance officer's home links into each programme's batches and bank answers.
    const financeProgrammes = may(session.actor.role, 'payout_batch.create')
      ? (await listProgrammes({ ctx: contextOf(c, session), input: { limit: 200 } })).items
      : undefined;
    // …and lists the payouts the bank has not booked past their business days in transit.
    const overdue = financeProgrammes
      ? await Promise.all(financeProgrammes.map((p) => listOverduePayouts({ ctx: contextOf(c, session), input: { programmeId: p.id } })))
      : undefined;
    return c.html(<HomePage viewer={viewerOf(session)} financeProgrammes={financeProgrammes} overdue={overdue} />);
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
