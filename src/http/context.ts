import type { Context } from 'hono';
import type { ServiceContext } from '../services/context.ts';
import type { AppEnv } from './env.ts';

/** The service context of the request: its actor, the database, and the request id for audit rows. */
export function serviceContext(c: Context<AppEnv>): ServiceContext {
  const deps = c.get('deps');
  return { db: deps.db, vault: deps.vault, actor: c.get('actor'), requestId: c.get('requestId') };
}
