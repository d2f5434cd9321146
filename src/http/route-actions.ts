// Which action of the permission table (src/domain/roles.ts) each route of the OpenAPI document
// performs: the route half of the permission matrix. Keys are `METHOD /api/v1/path` exactly as the
// OpenAPI document spells them. test/integration/route-matrix.test.ts walks every documented route
// with every role and fails when a route has no entry here, or an entry names no route.
// 'authenticated': any valid token, no action check (the caller's own identity, static templates).
import type { Action } from '../domain/roles.ts';

export type RouteAction = Action | 'authenticated';

export const ROUTE_ACTIONS = {
  'GET /api/v1/me': 'authenticated',

  'POST /api/v1/organisations': 'organisation.create',
  'GET /api/v1/organisations': 'organisation.read',
  'GET /api/v1/organisations/{id}': 'organisation.read',

  'POST /api/v1/audit-engagements': 'audit_engagement.manage',
  'GET /api/v1/audit-engagements': 'audit_engagement.read',
  'POST /api/v1/audit-engagements/{id}/ending': 'audit_engagement.manage',

  'POST /api/v1/programmes': 'programme.create',
  'GET /api/v1/programmes': 'programme.read',
  'GET /api/v1/programmes/{programmeId}': 'programme.read',
  'PUT /api/v1/programmes/{programmeId}/bands/{academicYear}': 'band.manage',

  'POST /api/v1/programmes/{programmeId}/funding-receipts': 'funding_receipt.record',
  'GET /api/v1/programmes/{programmeId}/funding-receipts': 'funding_receipt.read',
  'GET /api/v1/programmes/{programmeId}/funding-receipts/{receiptId}': 'funding_receipt.read',
  'POST /api/v1/programmes/{programmeId}/funding-receipts/{receiptId}/reversal': 'funding_receipt.reverse',

  'GET /api/v1/programmes/{programmeId}/ledger/transactions': 'ledger.read',
  'GET /api/v1/programmes/{programmeId}/ledger/transactions/{transactionId}': 'ledger.read',
  'GET /api/v1/ledger/verification': 'ledger.verify',

  'POST /api/v1/students': 'student.register',
  'GET /api/v1/students': 'student.read',
  'GET /api/v1/students/{studentId}': 'student.read',
  'POST /api/v1/students/{studentId}/unmask': 'student.unmask',
  'POST /api/v1/students/{studentId}/bank-account': 'student.update',
  'POST /api/v1/students/{studentId}/contact': 'student.update',
  'POST /api/v1/students/imports': 'student.import',
  'GET /api/v1/students/imports/template': 'authenticated',

  'POST /api/v1/students/{studentId}/recognitions': 'recognition.record',
  'GET /api/v1/students/{studentId}/recognitions': 'student.read',

  'POST /api/v1/students/{studentId}/enrolments': 'enrolment.record',
  'GET /api/v1/students/{studentId}/enrolments': 'student.read',
  'GET /api/v1/students/{studentId}/enrolments/{enrolmentId}': 'student.read',
  'POST /api/v1/students/{studentId}/enrolments/{enrolmentId}/status': 'enrolment.change_status',
  'POST /api/v1/students/{studentId}/enrolments/{enrolmentId}/verifications': 'enrolment.verify',

  'POST /api/v1/eligibility': 'eligibility.propose',
  'GET /api/v1/eligibility': 'eligibility.read',
  'GET /api/v1/eligibility/{id}': 'eligibility.read',
  'POST /api/v1/eligibility/{id}/approval': 'eligibility.decide',
  'POST /api/v1/eligibility/{id}/rejection': 'eligibility.decide',
  'POST /api/v1/eligibility/{id}/revocation': 'eligibility.revoke',

  'POST /api/v1/grants': 'grant.propose',
  'GET /api/v1/grants': 'grant.read',
  'GET /api/v1/grants/{id}': 'grant.read',
  'POST /api/v1/grants/{id}/approval': 'grant.decide',
  'POST /api/v1/grants/{id}/rejection': 'grant.decide',
  'GET /api/v1/programmes/{id}/grant-summary': 'grant.summary',
  'GET /api/v1/programmes/{id}/grants.csv': 'grant.export',
  'GET /api/v1/students/{id}/grants': 'grant.read',

  'POST /api/v1/payout-batches': 'payout_batch.create',
  'GET /api/v1/payout-batches': 'payout.read',
  'GET /api/v1/payout-batches/{id}': 'payout.read',
  'POST /api/v1/payout-batches/{id}/sending': 'payout_batch.send',
  'POST /api/v1/payout-batches/{id}/cancellation': 'payout_batch.cancel',
  'GET /api/v1/payout-batches/{id}/bank-file': 'payout_batch.export_file',
  'GET /api/v1/payouts': 'payout.read',
  'GET /api/v1/payouts.csv': 'payout.export',
  'POST /api/v1/programmes/{id}/bank-results': 'bank_result.import',
  'GET /api/v1/bank-results': 'payout.read',
  'GET /api/v1/bank-results/{id}': 'payout.read',
  'POST /api/v1/instalments/{id}/cancellation': 'instalment.cancel',

  'GET /api/v1/reconciliation-runs': 'reconciliation.read',
  'GET /api/v1/reconciliation-runs/{id}': 'reconciliation.read',
  'GET /api/v1/reconciliation-runs/{id}/report': 'reconciliation.read',

  'POST /api/v1/users': 'user.manage',
  'GET /api/v1/users': 'user.manage',
  'POST /api/v1/users/{id}/tokens': 'token.manage',
  'GET /api/v1/tokens': 'token.manage',
  'POST /api/v1/tokens/{id}/revocation': 'token.manage',
  'GET /api/v1/audit-events': 'audit.read',
  'GET /api/v1/audit-events.csv': 'audit.read',
  'GET /api/v1/audit-events/verification': 'audit.verify',
} as const satisfies Record<string, RouteAction>;

export type RouteKey = keyof typeof ROUTE_ACTIONS;
