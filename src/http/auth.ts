// Bearer authentication: every /api/v1 request runs as an actor with a role and an organisation.
import type { MiddlewareHandler } from 'hono';
import { UnauthenticatedError } from '../domain/errors.ts';
import { authenticate } from '../services/tokens.ts';
import type { AppEnv } from './env.ts';

export const requireActor: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('Authorization');
  const match = header ? /^Bearer ([A-Za-z0-9_\-]+)$/.exec(header) : null;
  if (!match?.[1]) throw new UnauthenticatedError();
  c.set('actor', await authenticate(c.get('deps').db, match[1]));
  await next();
};
