import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import {
  approveEligibility,
  getEligibility,
  listEligibility,
  proposeEligibility,
  rejectEligibility,
  revokeEligibility,
} from '../../services/eligibility.ts';
import { serviceContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { Uuid, errorResponses, security } from '../schemas/common.ts';
import {
  ApproveEligibilityBody,
  EligibilityOut,
  EligibilityPage,
  EligibilityQuery,
  ProposeEligibilityBody,
  RejectEligibilityBody,
  RevokeEligibilityBody,
} from '../schemas/eligibility.ts';

const tags = ['Eligibility'];
const Params = z.object({ id: Uuid });
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

const propose = createRoute({
  method: 'post',
  path: '/eligibility',
  tags,
  security,
  summary: 'Propose eligibility for a student, programme and academic year (caseworker)',
  description:
    'Evaluates every rule on the facts on record and stores the result. A proposal whose rules fail is stored too (eligible = false) so that the approver sees why; its approval will be refused. One open (proposed or approved) determination per student, programme and year: another answers 409 `duplicate_eligibility`.',
  request: { body: { required: true, content: json(ProposeEligibilityBody) } },
  responses: { 201: { description: 'Proposed', content: json(EligibilityOut) }, ...errorResponses },
});

const list = createRoute({
  method: 'get',
  path: '/eligibility',
  tags,
  security,
  summary: 'Eligibility determinations in the caller’s scope, newest proposals first',
  request: { query: EligibilityQuery },
  responses: { 200: { description: 'A page', content: json(EligibilityPage) }, ...errorResponses },
});

const get = createRoute({
  method: 'get',
  path: '/eligibility/{id}',
  tags,
  security,
  summary: 'One eligibility determination with each rule’s result',
  request: { params: Params },
  responses: { 200: { description: 'The determination', content: json(EligibilityOut) }, ...errorResponses },
});

const approve = createRoute({
  method: 'post',
  path: '/eligibility/{id}/approval',
  tags,
  security,
  summary: 'Approve a proposed eligibility (approver, never the proposer)',
  description:
    'Evaluates the rules again on the facts as they stand now. Refused with 422 `rule_failed` (listing the rules) when any rule fails now or failed at proposal — no override exists; 422 `facts_changed` when the recognition or enrolment it rests on was superseded; 422 `maker_checker` for the proposer; 409 `already_decided` unless it is proposed.',
  request: { params: Params, body: { required: false, content: json(ApproveEligibilityBody) } },
  responses: { 200: { description: 'Approved', content: json(EligibilityOut) }, ...errorResponses },
});

const reject = createRoute({
  method: 'post',
  path: '/eligibility/{id}/rejection',
  tags,
  security,
  summary: 'Reject a proposed eligibility with a reason (approver, never the proposer)',
  request: { params: Params, body: { required: true, content: json(RejectEligibilityBody) } },
  responses: { 200: { description: 'Rejected', content: json(EligibilityOut) }, ...errorResponses },
});

const revoke = createRoute({
  method: 'post',
  path: '/eligibility/{id}/revocation',
  tags,
  security,
  summary: 'Revoke an approved eligibility with a reason and an effective date inside its year (approver)',
  description:
    'In the same transaction its approved grant ends: instalments not yet sent are cancelled with the reason and date, and their sum goes back to the fund (Dr payable / Cr fund). Sent and paid instalments are untouched.',
  request: { params: Params, body: { required: true, content: json(RevokeEligibilityBody) } },
  responses: { 200: { description: 'Revoked', content: json(EligibilityOut) }, ...errorResponses },
});

export const eligibilityRoutes = new OpenAPIHono<AppEnv>()
  .openapi(propose, async (c) => c.json(await proposeEligibility({ ctx: serviceContext(c), input: c.req.valid('json') }), 201))
  .openapi(list, async (c) => c.json(await listEligibility({ ctx: serviceContext(c), input: c.req.valid('query') }), 200))
  .openapi(get, async (c) => c.json(await getEligibility({ ctx: serviceContext(c), input: c.req.valid('param') }), 200))
  .openapi(approve, async (c) => {
    const body = (c.req.valid('json') as z.infer<typeof ApproveEligibilityBody> | undefined) ?? {};
    return c.json(await approveEligibility({ ctx: serviceContext(c), input: { id: c.req.valid('param').id, ...body } }), 200);
  })
  .openapi(reject, async (c) =>
    c.json(await rejectEligibility({ ctx: serviceContext(c), input: { ...c.req.valid('json'), id: c.req.valid('param').id } }), 200),
  )
  .openapi(revoke, async (c) =>
    c.json(await revokeEligibility({ ctx: serviceContext(c), input: { ...c.req.valid('json'), id: c.req.valid('param').id } }), 200),
  );
