// The approver's pages (审核): the queue of proposals waiting for a decision, one proposal with its
// approve / reject form, and a selection decided at once. Every decision goes through its use case
// (approveEligibility, approveGrant, rejectEligibility, rejectGrant), one transaction each, and
// every form through submitOnce, so a double click approves once and posts once to the ledger.
// Only the roles that decide see these pages; anyone else, and any proposal outside the
// approver's programmes, gets the 404 page.
import { Hono } from 'hono';
import { formatAcademicYear, parseAcademicYear } from '../../domain/academic-year.ts';
import { randomToken } from '../../domain/random-token.ts';
import { type DecideProposalsInput, type DecisionOutcome, decideProposal, decideProposals } from '../../services/approval-decisions.ts';
import { approvalItem, approvalQueue } from '../../services/approval-queue.ts';
import type { ServiceContext } from '../../services/context.ts';
import { type ProgrammeView, listProgrammes } from '../../services/programmes.ts';
import type { ProposalKind } from '../../services/proposals.ts';
import type { Viewer } from '../layout.tsx';
import { ApprovalItemPage, type DecisionForm } from '../pages/approval-item.tsx';
import { KIND_PATHS, itemPath } from '../pages/approval-parts.tsx';
import { ApprovalQueuePage, type SelectionForm } from '../pages/approval-queue.tsx';
import { DecisionResultsPage } from '../pages/approval-results.tsx';
import { formList, formText, submitOnce } from '../submit-once.ts';
import { type WebContext, type WebEnv, personalPage } from '../web-kit.tsx';

export interface ApprovalPageOptions {
  trustProxy: boolean;
}

const KINDS = ['eligibility', 'grant'] as const;
const DECISIONS = ['approve', 'reject'] as const;
/** The path parameter naming each kind's proposal. */
const PARAMS: Record<ProposalKind, string> = { eligibility: 'eligibilityId', grant: 'grantId' };

/** A query or form value only if it is one of the choices offered; anything else is none. */
const choice = <T extends string>(value: string | undefined, choices: readonly T[]): T | undefined => choices.find((c) => c === value);

/** Every academic year some programme runs, oldest first: the year filter's choices. */
function yearsRun(programmes: ProgrammeView[]): string[] {
  const starts = new Set<number>();
  for (const p of programmes) {
    const first = parseAcademicYear(p.firstAcademicYear);
    const last = parseAcademicYear(p.lastAcademicYear);
    if (first.ok && last.ok) for (let y = first.value.startYear; y <= last.value.startYear; y++) starts.add(y);
  }
  return [...starts].sort((a, b) => a - b).map((y) => formatAcademicYear(y));
}

/** `grant:<id>` as the queue's checkboxes send it; anything else is left for the service to refuse by name. */
function selectionItem(value: string): { kind: ProposalKind; id: string } {
  const at = value.indexOf(':');
  return { kind: value.slice(0, at) as ProposalKind, id: value.slice(at + 1) };
}

async function queuePage(c: WebContext, ctx: ServiceContext, viewer: Viewer, form: SelectionForm, status: 200 | 400 | 403 | 409 | 422 = 200) {
  const programmes = (await listProgrammes({ ctx, input: { limit: 200 } })).items;
  const years = yearsRun(programmes);
  const filters = {
    kind: choice(c.req.query('kind'), KINDS),
    programmeId: choice(
      c.req.query('programmeId'),
      programmes.map((p) => p.id),
    ),
    year: choice(c.req.query('year'), years),
  };
  const queue = await approvalQueue({
    ctx,
    input: {
      kind: filters.kind,
      programmeId: filters.programmeId,
      academicYear: filters.year,
      eligibilityCursor: c.req.query('eligibilityCursor'),
      grantCursor: c.req.query('grantCursor'),
    },
  });
  return c.html(
    <ApprovalQueuePage viewer={viewer} queue={queue} filters={filters} programmes={programmes} years={years} formKey={randomToken()} form={form} />,
    status,
  );
}

async function itemPage(c: WebContext, ctx: ServiceContext, viewer: Viewer, kind: ProposalKind, form: DecisionForm, status: 200 | 400 | 403 | 409 | 422 = 200) {
  const item = await approvalItem({ ctx, input: { kind, id: c.req.param(PARAMS[kind]) ?? '' } });
  return c.html(<ApprovalItemPage viewer={viewer} item={item} formKey={randomToken()} form={form} />, status);
}

export function approvalPages(options: ApprovalPageOptions) {
  const web = new Hono<WebEnv>();

  web.get('/approvals', (c) => personalPage(c, (ctx, viewer) => queuePage(c, ctx, viewer, {})));

  for (const kind of KINDS) {
    const path = `/approvals/${KIND_PATHS[kind]}/:${PARAMS[kind]}`;
    web.get(path, (c) => personalPage(c, (ctx, viewer) => itemPage(c, ctx, viewer, kind, { done: choice(c.req.query('decided'), DECISIONS) })));

    for (const decision of DECISIONS) {
      web.post(`${path}/${decision}`, (c) =>
        personalPage(c, async (ctx, viewer) => {
          // Outside the approver's programmes, or not a decider: the 404 page before anything is read or claimed.
          const { proposal } = await approvalItem({ ctx, input: { kind, id: c.req.param(PARAMS[kind]) ?? '' } });
          const body = await c.req.parseBody();
          const reason = formText(body, 'reason', 2000);
          const result = await submitOnce(c, ctx, viewer, { trustProxy: options.trustProxy, form: `${kind}.${decision}`, body }, async () => {
            await decideProposal({ ctx, input: { id: proposal.id, reason: reason || undefined } }, kind, decision);
            return { location: `${itemPath(kind, proposal.id)}?decided=${decision}` };
          });
          if (result instanceof Response) return result;
          return itemPage(c, ctx, viewer, kind, { reason, errors: result.errors ?? null, notice: result.notice }, result.status);
        }),
      );
    }
  }

  web.post('/approvals/decide', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const body = await c.req.parseBody({ all: true });
      const reason = formText(body, 'reason', 2000);
      // Anything but approve or reject is refused by the service, naming the field.
      const decision = formText(body, 'decision') as DecideProposalsInput['decision'];
      const result = await submitOnce(c, ctx, viewer, { trustProxy: options.trustProxy, form: 'proposals.decide', body }, async () => {
        const outcomes: DecisionOutcome[] = await decideProposals({
          ctx,
          input: { decision, reason: reason || undefined, items: formList(body, 'selected').map(selectionItem) },
        });
        return { response: await c.html(<DecisionResultsPage viewer={viewer} decision={decision} outcomes={outcomes} />) };
      });
      if (result instanceof Response) return result;
      return queuePage(c, ctx, viewer, { reason, errors: result.errors ?? null, notice: result.notice }, result.status);
    }),
  );

  return web;
}
