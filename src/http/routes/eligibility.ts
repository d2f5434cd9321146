import { z } from '@hono/zod-openapi';
import { approveEligibility, getEligibility, listEligibility, proposeEligibility, rejectEligibility, revokeEligibility } from '../../services/eligibility.ts';
import { serviceContext } from '../context.ts';
import { defineRoute, jsonBody, jsonResponse, optionalJsonBody } from '../define-route.ts';
import { Uuid } from '../schemas/common.ts';
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

const propose = defineRoute(
  {
    method: 'post',
    path: '/eligibility',
    action: 'eligibility.propose',
    tags,
    summary: 'Propose eligibility for a student, programme and academic year (caseworker)',
    description:
      'Evaluates every rule on the facts on record and stores the result. A proposal whose rules fail is stored too (eligible = false) so that the approver sees why; its approval will be refused. One open (proposed or approved) determination per student, programme and year: another answers 409 `duplicate_eligibility`.',
    request: { body: jsonBody(ProposeEligibilityBody) },
    responses: { 201: jsonResponse('Proposed', EligibilityOut) },
  },
  async (c) => c.json(await proposeEligibility({ ctx: serviceContext(c), input: c.req.valid('json') }), 201),
);

const list = defineRoute(
  {
    method: 'get',
    path: '/eligibility',
    action: 'eligibility.read',
    tags,
    summary: 'Eligibility determinations in the caller’s scope, newest proposals first',
    request: { query: EligibilityQuery },
    responses: { 200: jsonResponse('A page', EligibilityPage) },
  },
  async (c) => c.json(await listEligibility({ ctx: serviceContext(c), input: c.req.valid('query') }), 200),
);

const get = defineRoute(
  {
    method: 'get',
    path: '/eligibility/{id}',
    action: 'eligibility.read',
    tags,
    summary: 'One eligibility determination with each rule’s result',
    request: { params: Params },
    responses: { 200: jsonResponse('The determination', EligibilityOut) },
  },
  async (c) => c.json(await getEligibility({ ctx: serviceContext(c), input: c.req.valid('param') }), 200),
);

const approve = defineRoute(
  {
    method: 'post',
    path: '/eligibility/{id}/approval',
    action: 'eligibility.decide',
    tags,
    summary: 'Approve a proposed eligibility (approver, never the proposer)',
    description:
      'Evaluates the rules again on the facts as they stand now. Refused with 422 `rule_failed` (listing the rules) when any rule fails now or failed at proposal — no override exists; 422 `facts_changed` when the recognition or enrolment it rests on was superseded; 422 `maker_checker` for the proposer; 409 `already_decided` unless it is proposed.',
    request: { params: Params, body: optionalJsonBody(ApproveEligibilityBody) },
    responses: { 200: jsonResponse('Approved', EligibilityOut) },
  },
  async (c) => {
    const body = (c.req.valid('json') as z.infer<typeof ApproveEligibilityBody> | undefined) ?? {};
    return c.json(await approveEligibility({ ctx: serviceContext(c), input: { id: c.req.valid('param').id, ...body } }), 200);
  },
);

const reject = defineRoute(
  {
    method: 'post',
    path: '/eligibility/{id}/rejection',
    action: 'eligibility.decide',
    tags,
    summary: 'Reject a proposed eligibility with a reason (approver, never the proposer)',
    request: { params: Params, body: jsonBody(RejectEligibilityBody) },
    responses: { 200: jsonResponse('Rejected', EligibilityOut) },
  },
  async (c) => c.json(await rejectEligibility({ ctx: serviceContext(c), input: { ...c.req.valid('json'), id: c.req.valid('param').id } }), 200),
);

const revoke = defineRoute(
  {
    method: 'post',
    path: '/eligibility/{id}/revocation',
    action: 'eligibility.revoke',
    tags,
    summary: 'Revoke an approved eligibility with a reason and an effective date inside its year (approver)',
    description:
      'In the same transaction its approved grant ends: instalments not yet sent are cancelled with the reason and date, and their sum goes back to the fund (Dr payable / Cr fund). Sent and paid instalments are untouched.',
    request: { params: Params, body: jsonBody(RevokeEligibilityBody) },
    responses: { 200: jsonResponse('Revoked', EligibilityOut) },
  },
  async (c) => c.json(await revokeEligibility({ ctx: serviceContext(c), input: { ...c.req.valid('json'), id: c.req.valid('param').id } }), 200),
);

export const eligibilityRoutes = [propose, list, get, approve, reject, revoke];
