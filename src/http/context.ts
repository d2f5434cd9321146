import type { Context } from 'hono';
import type { ServiceContext } from '../services/context.ts';
import type { AppEnv } from './env.ts';

/** The service context of the request: its actor, the database, and the request id for audit rows. */
export function serviceContext(c: Context<AppEnv>): ServiceContext {
  return { db: c.get('deps').db, actor: c.get('actor'), requestId: c.get('requestId') };
}
