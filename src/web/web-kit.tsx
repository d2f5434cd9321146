// What every group of pages needs from the browser side: the signed-in session (or the way back to
// the sign-in page), the service context it acts with, the Chinese messages of a refused form, and
// one answer for whatever lies outside a person's scope — the same 404 page as what does not exist.
import type { Context } from 'hono';
import { fieldMessageZh } from '../domain/error-catalogue.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { AppEnv } from '../http/env.ts';
import type { ServiceContext } from '../services/context.ts';
import type { ResumedSession } from '../services/sessions.ts';
import type { Viewer } from './layout.tsx';
import { NotFoundPage } from './pages/not-found.tsx';
import { readSessionCookie } from './session-cookie.ts';

export type WebEnv = { Variables: AppEnv['Variables'] & { session: ResumedSession | null } };
export type WebContext = Context<WebEnv>;

export function viewerOf(session: ResumedSession): Viewer {
  return { displayName: session.displayName, role: session.actor.role, csrfToken: session.csrfToken, platform: session.actor.organisationKind === 'platform' };
}

export function contextOf(c: WebContext, session: ResumedSession): ServiceContext {
  const deps = c.get('deps');
  return { db: deps.db, vault: deps.vault, actor: session.actor, requestId: c.get('requestId') };
}

/** The signed-in session, or a redirect to the sign-in page saying that the session ended. */
export function signedIn(c: WebContext): ResumedSession | Response {
  return c.get('session') ?? c.redirect(readSessionCookie(c) ? '/?notice=ended' : '/', 303);
}

/** The Chinese messages of a refused form, by field (the catalogue's words); anything else is not the person's to fix. */
export function fieldErrors(error: unknown): Record<string, string> | null {
  if (!(error instanceof ValidationError)) return null;
  return Object.fromEntries(error.fields.map((f) => [f.path, fieldMessageZh(f.message)]));
}

/** Whether an error means "not yours to see": another organisation's record, a malformed id, a role's limit. */
export function isOutOfScope(error: unknown): boolean {
  return error instanceof NotFoundError || error instanceof ValidationError || error instanceof ForbiddenError;
}

/**
 * A page of a signed-in person: renders what `page` returns, or the 404 page for anything outside
 * the person's scope (so that no answer tells another organisation's record from a missing one).
 */
export async function personalPage(c: WebContext, page: (ctx: ServiceContext, viewer: Viewer) => Promise<Response>): Promise<Response> {
  const session = signedIn(c);
  if (session instanceof Response) return session;
  try {
    return await page(contextOf(c, session), viewerOf(session));
  } catch (error) {
    if (isOutOfScope(error)) return c.html(<NotFoundPage viewer={viewerOf(session)} />, 404);
    throw error;
  }
}
