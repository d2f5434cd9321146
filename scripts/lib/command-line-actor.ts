// Writes made by an operator's command-line tool: no user acts, so audit rows name the nil UUID.
import type { Database } from '../../src/db/client.ts';
import type { ServiceContext } from '../../src/services/context.ts';

export const COMMAND_LINE_ACTOR = '00000000-0000-0000-0000-000000000000';

/**
 * A service context acting as a platform admin from the command line, so the tools go through the
 * same use cases (and audit rows) as the API. `organisationId` is recorded on the audit row: the
 * organisation whose record is changed.
 */
export function commandLineContext(db: Database, organisationId: string, tool: string): ServiceContext {
  return {
    db: db.prisma,
    actor: { userId: COMMAND_LINE_ACTOR, organisationId, organisationKind: 'platform', role: 'admin' },
    requestId: tool,
  };
}
