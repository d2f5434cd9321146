// Writes made by an operator's command-line tool: no user acts, so audit rows name the nil UUID,
// and their request id names the tool and the operator (the account that ran it), so that the
// audit trail says who ran what: `cli:user:create:alice`.
import { userInfo } from 'node:os';
import type { Database } from '../../src/db/client.ts';
import type { ServiceContext } from '../../src/services/context.ts';

export const COMMAND_LINE_ACTOR = '00000000-0000-0000-0000-000000000000';

/** The operating-system account running the tool (or $USER where the system cannot say). */
export function commandLineOperator(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** The request id of a tool's writes: `cli:<tool>:<operator>`, read back by the audit trail page. */
export function commandLineRequestId(tool: string, operator = commandLineOperator()): string {
  return `cli:${tool}:${operator.replace(/[^\w.@-]/g, '_').slice(0, 64)}`;
}

/**
 * A service context acting as a platform admin from the command line, so the tools go through the
 * same use cases (and audit rows) as the API. `organisationId` is recorded on the audit row: the
 * organisation whose record is changed.
 */
export function commandLineContext(db: Database, organisationId: string, tool: string, operator?: string): ServiceContext {
  return {
    db: db.prisma,
    actor: { userId: COMMAND_LINE_ACTOR, organisationId, organisationKind: 'platform', role: 'admin' },
    requestId: commandLineRequestId(tool, operator),
  };
}
