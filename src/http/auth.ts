// Bearer authentication: every /api/v1 request runs as an actor with a role and an organisation.
// Failed attempts are counted per client address; an address over the limit is refused before its
// token is even looked up, a correct one included, so that guessing stops rather than slows.
import type { MiddlewareHandler } from 'hono';
import { render } from '../domain/error-catalogue.ts';
import { UnauthenticatedError } from '../domain/errors.ts';
import { authenticate } from '../services/tokens.ts';
import { type ClientAddressOptions, clientAddress } from './client-address.ts';
import type { AppEnv } from './env.ts';
import type { AuthFailureCounter } from './failure-limiter.ts';
import { problem, problemResponse } from './problem.ts';

export interface AuthOptions {
  failures: AuthFailureCounter;
  address: ClientAddressOptions;
}

export function requireActor(options: AuthOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const address = clientAddress(c, options.address);
    const decision = await options.failures.check(address);
    if (decision.limited) {
      c.header('Retry-After', String(decision.retryAfterSeconds));
      return problemResponse(
        c,
        problem(429, 'too_many_failed_authentications', render('too_many_failed_authentications', { retryAfterSeconds: decision.retryAfterSeconds })),
      );
    }
    const header = c.req.header('Authorization');
    const match = header ? /^Bearer ([A-Za-z0-9_-]+)$/.exec(header) : null;
    try {
      if (!match?.[1]) throw new UnauthenticatedError();
      c.set('actor', await authenticate(c.get('deps').db, match[1]));
    } catch (error) {
      // Only a refused credential counts: a database outage must not lock everybody out.
      if (error instanceof UnauthenticatedError) await options.failures.recordFailure(address);
      throw error;
    }
    await next();
  };
}
