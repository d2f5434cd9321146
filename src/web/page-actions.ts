// Which action of the permission table (src/domain/roles.ts) each page needs, as the route table
// of the API does for its routes (src/http/route-actions.ts). The services check the permission
// and decide the scope; this table is what test/integration/page-matrix.test.ts holds every page
// to, and it fails when a page is added without its row. `public`: no session needed;
// `signed-in`: any signed-in person.
import type { Action } from '../domain/roles.ts';

export type PageAction = Action | 'public' | 'signed-in';

export const PAGE_ACTIONS: Readonly<Record<string, PageAction>> = {
  'GET /assets/app.css': 'public',
  'GET /': 'public',
  'POST /sign-in': 'public',
  'POST /sign-out': 'signed-in',
  'GET /home': 'signed-in',
  'GET /password/setup/:secret': 'public',
  'POST /password/setup/:secret': 'public',
  'GET /account/sessions': 'session.own',
  'POST /account/sessions/:id/end': 'session.own',
  'GET /account/password': 'session.own',
  'POST /account/password': 'session.own',
  'GET /programmes': 'programme.read',
  'GET /programmes/:id': 'programme.read',
  'GET /programmes/:id/funding': 'funding_receipt.read',
  'GET /programmes/:id/grants': 'grant.read',
  'GET /programmes/:id/grants.csv': 'grant.export',
  'GET /programmes/:id/grants.xlsx': 'grant.export',
  'GET /programmes/:id/grants/:grantId': 'grant.read',
  'GET /programmes/:id/payouts': 'payout.read',
  'GET /programmes/:id/ledger': 'ledger.read',
  'GET /programmes/:id/ledger/:transactionId': 'ledger.read',
  'GET /verification': 'ledger.verify',
  'GET /audit-trail': 'audit.read',
  'GET /audit-trail.csv': 'audit.read',
  'GET /reconciliation': 'reconciliation.read',
  'GET /reconciliation/new': 'reconciliation.run',
  'POST /reconciliation/new': 'reconciliation.run',
  'GET /reconciliation/jobs/:jobId': 'reconciliation.read',
  'GET /reconciliation/:runId': 'reconciliation.read',
  'GET /reconciliation/:runId/report.txt': 'reconciliation.read',
  'GET /reconciliation/:runId/report.json': 'reconciliation.read',
  'GET /reconciliation/:runId/report.csv': 'reconciliation.read',
  'GET /students/import': 'student.import',
  'POST /students/import': 'student.import',
  'POST /students/import/confirm': 'student.import',
  'GET /students/import/template.csv': 'student.import',
  'GET /students/import/template.xlsx': 'student.import',
  'GET /students/bulk': 'eligibility.propose',
  'POST /students/bulk': 'eligibility.propose',
  'GET /admin/people': 'user.manage',
  'POST /admin/people': 'user.manage',
  'POST /admin/people/:id/link': 'user.manage',
};
