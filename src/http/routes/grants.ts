import { z } from '@hono/zod-openapi';
import { approveGrant, getGrant, listGrants, proposeGrant, rejectGrant } from '../../services/grants.ts';
import { jsonBody, jsonResponse, optionalJsonBody, routeGroup } from '../define-route.ts';
import { Uuid } from '../schemas/common.ts';
import { ApproveGrantBody, GrantOut, GrantPage, GrantQuery, ProposeGrantBody, RejectGrantBody } from '../schemas/grants.ts';

const { get, post } = routeGroup({ tags: ['Grants'] });
const Params = z.object({ id: Uuid });

export const grantRoutes = [
  post('/grants', 'grant.propose', {
    summary: 'Propose an annual grant for a student, programme and academic year (caseworker)',
    description:
      'Refused with 422 `eligibility_not_approved` unless eligibility for that year is approved; 422 `amount_outside_band` (naming `min` and `max`) unless the amount lies inside the band for the level of the enrolment the eligibility rests on; 409 `duplicate_grant` when a grant (other than a rejected one) exists for the student, programme and year; 422 `academic_year_over` for a year that has ended. The database enforces the band too.',
    request: { body: jsonBody(ProposeGrantBody) },
    responses: { 201: jsonResponse('Proposed', GrantOut) },
  }).runs(proposeGrant),
  get('/grants', 'grant.read', {
    summary: 'Grants in the caller’s scope, newest proposals first, with their instalments',
    request: { query: GrantQuery },
    responses: { 200: jsonResponse('A page', GrantPage) },
  }).runs(listGrants),
  get('/grants/{id}', 'grant.read', {
    summary: 'One grant with its instalments',
    request: { params: Params },
    responses: { 200: jsonResponse('The grant', GrantOut) },
  }).runs(getGrant),
  post('/grants/{id}/approval', 'grant.decide', {
    idempotent: { operation: 'grant.approve' },
    summary: 'Approve a proposed grant: commits Dr fund / Cr payable and splits it into instalments (approver, never the proposer; idempotent)',
    description:
      'In one transaction: the status, the instalments, the audit event and the ledger posting. Late approval: plan instalments already due are merged into one catch-up instalment due on the approval date. Refused with 422 `insufficient_fund` (with `available`, `needed` and the shortfall `missing`) when the programme’s uncommitted fund is smaller than the amount; 422 `maker_checker` for the proposer; 422 `academic_year_over` after the year’s last day; 422 `eligibility_not_approved` if the eligibility was revoked; 422 `amount_outside_band` if the band changed; 409 `already_decided` unless proposed. The same Idempotency-Key and body replay the first answer.',
    request: { params: Params, body: optionalJsonBody(ApproveGrantBody) },
    responses: { 200: jsonResponse('Approved', GrantOut) },
  }).runs(approveGrant),
  post('/grants/{id}/rejection', 'grant.decide', {
    summary: 'Reject a proposed grant with a reason (approver, never the proposer); a new proposal may follow',
    request: { params: Params, body: jsonBody(RejectGrantBody) },
    responses: { 200: jsonResponse('Rejected', GrantOut) },
  }).runs(rejectGrant),
];
