import { z } from '@hono/zod-openapi';
import { approveEligibility, getEligibility, listEligibility, proposeEligibility, rejectEligibility, revokeEligibility } from '../../services/eligibility.ts';
import { jsonBody, jsonResponse, optionalJsonBody, routeGroup } from '../define-route.ts';
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

const { get, post } = routeGroup({ tags: ['Eligibility'] });
const Params = z.object({ id: Uuid });

export const eligibilityRoutes = [
  post('/eligibility', 'eligibility.propose', {
    summary: 'Propose eligibility for a student, programme and academic year (caseworker)',
    description:
      'Evaluates every rule on the facts on record and stores the result. A proposal whose rules fail is stored too (eligible = false) so that the approver sees why; its approval will be refused. One open (proposed or approved) determination per student, programme and year: another answers 409 `duplicate_eligibility`.',
    request: { body: jsonBody(ProposeEligibilityBody) },
    responses: { 201: jsonResponse('Proposed', EligibilityOut) },
  }).runs(proposeEligibility),
  get('/eligibility', 'eligibility.read', {
    summary: 'Eligibility determinations in the caller’s scope, newest proposals first',
    request: { query: EligibilityQuery },
    responses: { 200: jsonResponse('A page', EligibilityPage) },
  }).runs(listEligibility),
  get('/eligibility/{id}', 'eligibility.read', {
    summary: 'One eligibility determination with each rule’s result',
    request: { params: Params },
    responses: { 200: jsonResponse('The determination', EligibilityOut) },
  }).runs(getEligibility),
  post('/eligibility/{id}/approval', 'eligibility.decide', {
    summary: 'Approve a proposed eligibility (approver, never the proposer)',
    description:
      'Evaluates the rules again on the facts as they stand now. Refused with 422 `rule_failed` (listing the rules) when any rule fails now or failed at proposal — no override exists; 422 `facts_changed` when the recognition or enrolment it rests on was superseded; 422 `maker_checker` for the proposer; 409 `already_decided` unless it is proposed.',
    request: { params: Params, body: optionalJsonBody(ApproveEligibilityBody) },
    responses: { 200: jsonResponse('Approved', EligibilityOut) },
  }).runs(approveEligibility),
  post('/eligibility/{id}/rejection', 'eligibility.decide', {
    summary: 'Reject a proposed eligibility with a reason (approver, never the proposer)',
    request: { params: Params, body: jsonBody(RejectEligibilityBody) },
    responses: { 200: jsonResponse('Rejected', EligibilityOut) },
  }).runs(rejectEligibility),
  post('/eligibility/{id}/revocation', 'eligibility.revoke', {
    summary: 'Revoke an approved eligibility with a reason and an effective date inside its year (approver)',
    description:
      'In the same transaction its approved grant ends: instalments not yet sent are cancelled with the reason and date, and their sum goes back to the fund (Dr payable / Cr fund). Sent and paid instalments are untouched.',
    request: { params: Params, body: jsonBody(RevokeEligibilityBody) },
    responses: { 200: jsonResponse('Revoked', EligibilityOut) },
  }).runs(revokeEligibility),
];
