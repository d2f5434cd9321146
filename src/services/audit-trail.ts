// The audit trail as a person reads it: each event with who acted — the user's name and
// organisation, not only ids — beside what, when and the change. The events and their scope are
// listAuditEvents' (audit-events.ts); this adds the names, read in two queries per page.
import type { ServiceContext } from './context.ts';
import { type AuditEventView, type ListAuditEventsInput, listAuditEvents } from './audit-events.ts';
import type { Page } from './pagination.ts';

/** The nil UUID: events of the command-line tools and of sign-ins with an unknown user name. */
const NO_USER = '00000000-0000-0000-0000-000000000000';

/** A command-line tool's request id, `cli:<tool>:<operator>` (scripts/lib/command-line-actor.ts). */
const COMMAND_LINE_REQUEST = /^cli:(.+):([^:]+)$/;

/** Who the nil actor was: a tool run by a named operator, or a sign-in with an unknown user name. */
function nobodyName(event: AuditEventView): string {
  const tool = COMMAND_LINE_REQUEST.exec(event.requestId ?? '');
  if (tool) return `命令行工具 ${tool[1]}（操作员 ${tool[2]}）`;
  return event.action.startsWith('session.') ? '未知用户名' : '命令行工具';
}

export interface AuditTrailEntry extends AuditEventView {
  /** The user's display name and user name; for the nil actor, who that is in words. */
  actor: { name: string; username: string | null; commandLine: boolean };
  organisationName: string;
}

export async function listAuditTrail({ ctx, input }: { ctx: ServiceContext; input: ListAuditEventsInput }): Promise<Page<AuditTrailEntry>> {
  const page = await listAuditEvents({ ctx, input });
  const users = await ctx.db.appUser.findMany({
    where: { id: { in: [...new Set(page.items.map((e) => e.actorId))].filter((id) => id !== NO_USER) } },
    select: { id: true, displayName: true, username: true },
  });
  const organisations = await ctx.db.organisation.findMany({
    where: { id: { in: [...new Set(page.items.map((e) => e.organisationId))] } },
    select: { id: true, name: true },
  });
  const userOf = new Map(users.map((u) => [u.id, u]));
  const organisationOf = new Map(organisations.map((o) => [o.id, o.name]));
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((event) => {
      const user = userOf.get(event.actorId);
      const nobody = event.actorId === NO_USER;
      return {
        ...event,
        actor: user
          ? { name: user.displayName, username: user.username, commandLine: false }
          : { name: nobody ? nobodyName(event) : '（已删除的用户）', username: null, commandLine: nobody },
        organisationName: organisationOf.get(event.organisationId) ?? '—',
      };
    }),
  };
}
