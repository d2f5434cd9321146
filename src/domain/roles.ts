// Roles (DESIGN.md §1) and which role may perform which action. One table, so that a reviewer
// can read the whole policy in one place; scope (which records) is decided in src/services/scope.ts.
export const ROLES = ['caseworker', 'approver', 'finance', 'foundation_viewer', 'coordinator', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  /** Add organisations: admins of a platform organisation only (checked in the service). */
  'organisation.create': ['admin'],
  'organisation.read': ['admin', 'auditor'],
  /** Create and list users: a platform admin for every organisation, another admin for its own. */
  'user.manage': ['admin'],
  /** A person's own sessions and password on the pages: every role. */
  'session.own': ['caseworker', 'approver', 'finance', 'foundation_viewer', 'coordinator', 'auditor', 'admin'],
  /** Issue, list and revoke bearer tokens, with the same scope as user.manage; never shows a secret again. */
  'token.manage': ['admin'],
  /** Make and end audit engagements: admins of a platform organisation only (checked in the service). */
  'audit_engagement.manage': ['admin'],
  /** Platform admins: every engagement; auditors: their own organisation's, to know what they see. */
  'audit_engagement.read': ['admin', 'auditor'],
  'programme.create': ['admin'],
  /** A programme's settings (the business days a payout may stay in transit): its managing admin. */
  'programme.update': ['admin'],
  'programme.read': ['caseworker', 'approver', 'finance', 'foundation_viewer', 'auditor', 'admin'],
  'funding_receipt.record': ['finance'],
  'funding_receipt.reverse': ['finance'],
  'funding_receipt.read': ['finance', 'approver', 'foundation_viewer', 'auditor', 'admin'],
  'ledger.read': ['finance', 'foundation_viewer', 'auditor', 'admin'],
  'ledger.verify': ['auditor', 'admin'],
  'student.register': ['caseworker'],
  'student.update': ['caseworker'],
  'student.read': ['caseworker', 'approver', 'finance', 'foundation_viewer', 'auditor', 'admin'],
  /** Whole identity, account and phone numbers, for a stated purpose; every use is audited. */
  'student.unmask': ['caseworker', 'approver', 'finance'],
  'student.import': ['caseworker'],
  'recognition.record': ['caseworker'],
  'enrolment.record': ['caseworker'],
  'enrolment.change_status': ['caseworker'],
  'enrolment.verify': ['caseworker'],
  'eligibility.propose': ['caseworker'],
  'eligibility.decide': ['approver'],
  'eligibility.revoke': ['approver'],
  'eligibility.read': ['caseworker', 'approver', 'finance', 'foundation_viewer', 'auditor', 'admin'],
  'grant.propose': ['caseworker'],
  'grant.decide': ['approver'],
  'grant.read': ['caseworker', 'approver', 'finance', 'foundation_viewer', 'auditor', 'admin'],
  /** Per programme and year: students funded, by level and region, committed / paid / cancelled / remaining. */
  'grant.summary': ['caseworker', 'approver', 'finance', 'foundation_viewer', 'auditor', 'admin'],
  /** The CSV grant list (masked identities) for the foundation; every export is audited. */
  'grant.export': ['caseworker', 'approver', 'finance', 'foundation_viewer', 'auditor', 'admin'],
  'band.manage': ['admin'],
  'payout_batch.create': ['finance'],
  'payout_batch.send': ['finance'],
  'payout_batch.cancel': ['finance'],
  /** The bank files carry whole account numbers and names: finance only, every export audited. */
  'payout_batch.export_file': ['finance'],
  /** Batches, payouts and bank answers with masked identities and accounts. */
  'payout.read': ['caseworker', 'approver', 'finance', 'foundation_viewer', 'auditor', 'admin'],
  'payout.export': ['caseworker', 'approver', 'finance', 'foundation_viewer', 'auditor', 'admin'],
  /** Payouts in transit past their business days, to take up with the bank: finance acts, auditors and admins look. */
  'payout.follow_up': ['finance', 'auditor', 'admin'],
  'bank_result.import': ['finance'],
  /** Match a line of the bank's answer that applied to no payout to its payout, with a reason (the maker). */
  'bank_line_match.propose': ['finance'],
  /** Confirm or reject such a match (the checker, never the maker): it then settles the payout. */
  'bank_line_match.confirm': ['finance', 'approver'],
  /** After a payout failed or came back: stop paying that instalment, its money back to the fund. */
  'instalment.cancel': ['finance'],
  /** Reconciliation runs and their reports: foundations see runs of their own programmes only. */
  'reconciliation.read': ['foundation_viewer', 'auditor', 'admin'],
  /** Run a reconciliation (checks and reports, never a change of money), over programmes the actor sees. */
  'reconciliation.run': ['auditor', 'admin'],
  /** The audit trail (list and CSV export, every export audited); which events: auditEventScope. */
  'audit.read': ['auditor', 'admin'],
  /** Recompute the audit trail's hash chain. */
  'audit.verify': ['auditor', 'admin'],
  /** The signed checkpoints of both chains (sequence, head hash, time; nothing about anyone), to list and download. */
  'checkpoint.read': ['foundation_viewer', 'auditor', 'admin'],
  /** The service's metrics (GET /metrics): counts and timings by route, no personal data. */
  'metrics.read': ['admin'],
  /** A backup of the whole database (every organisation's rows): admins of the platform organisation only (checked in the service). */
  'database.backup': ['admin'],
  // ─── the empowerment track (青山陪伴赋能工程): activities, participation, outcomes; no money ───
  /** Create and change the activities of the foundation's own programmes: its coordinator (项目专员). */
  'empowerment_activity.manage': ['coordinator'],
  /** Register a student for an activity and record attendance, completion or withdrawal, with its outcome. */
  'participation.record': ['coordinator', 'caseworker'],
  /** Activities, participations (students masked), person-times (人次) and cohort outcomes. */
  'empowerment.read': ['coordinator', 'caseworker', 'approver', 'foundation_viewer', 'auditor', 'admin'],
  /** Where a graduate went within six months (employed, further study), with its source. */
  'graduate_destination.record': ['coordinator'],
  /** The quarterly disclosure report (慈善项目实施情况公开): aggregates only, small cells hidden; every report produced is audited. */
  'disclosure.produce': ['foundation_viewer', 'coordinator', 'auditor', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;

export function may(role: Role, action: Action): boolean {
  return (PERMISSIONS[action] as readonly Role[]).includes(role);
}
