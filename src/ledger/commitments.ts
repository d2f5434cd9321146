// The ledger's open commitments must rest on facts that still hold. Money stays committed in
// `payable:<grant>` only while its grant is approved, and a grant may stay approved only while the
// eligibility it rests on is approved and the enrolment behind that eligibility has not ended in or
// before the grant's academic year (graduation and withdrawal end the grants of the year they take
// effect in and later; src/services/grant-ending.ts). A suspended enrolment keeps its grants but
// holds the instalments of the year it takes effect in and later: none of those may stay scheduled.
//
// The use cases keep this by locking the rows a decision rests on (approval takes the eligibility
// and the enrolment FOR SHARE; revocation and status changes take them for update first), and the
// database's grant guard takes the same locks whatever path writes. This check reads what is there,
// so that a restore, a superuser's edit or a missed interleaving would still be found by
// `npm run ledger:verify` and the verification endpoint.
import type { Tx } from '../db/transaction.ts';

export type CommitmentProblemCode = 'grant_open_on_revoked_eligibility' | 'grant_open_on_ended_enrolment' | 'instalment_scheduled_while_suspended';

export interface CommitmentProblem {
  code: CommitmentProblemCode;
  grantId: string;
  /** Why, in words an auditor reads: the statuses found. */
  problem: string;
}

const MAX_PROBLEMS = 100;

export async function verifyCommitments(db: Pick<Tx, '$queryRaw'>): Promise<CommitmentProblem[]> {
  // The academic year containing a date starts on 1 September: shifting the date back by eight
  // months lands in the calendar year the academic year starts in.
  return db.$queryRaw<CommitmentProblem[]>`
    SELECT * FROM (
      SELECT 'grant_open_on_revoked_eligibility' AS code, g."id"::text AS "grantId",
             'grant approved, its eligibility is ' || e."status"::text AS problem
        FROM "grant" g JOIN "eligibility_determination" e ON e."id" = g."eligibility_id"
       WHERE g."status" = 'approved' AND e."status" <> 'approved'
      UNION ALL
      SELECT 'grant_open_on_ended_enrolment', g."id"::text,
             'grant approved for ' || g."academic_year" || '-' || (g."academic_year" + 1) || ', its enrolment ' || en."status"::text
               || ' from ' || to_char(en."status_effective_on", 'YYYY-MM-DD')
        FROM "grant" g JOIN "eligibility_determination" e ON e."id" = g."eligibility_id"
        JOIN "enrolment" en ON en."id" = e."enrolment_id"
       WHERE g."status" = 'approved' AND en."status" IN ('graduated', 'withdrawn')
         AND g."academic_year" >= extract(year FROM en."status_effective_on" - interval '8 months')
      UNION ALL
      SELECT DISTINCT 'instalment_scheduled_while_suspended', g."id"::text,
             'instalment scheduled while the enrolment is suspended from ' || to_char(en."status_effective_on", 'YYYY-MM-DD')
        FROM "grant" g JOIN "eligibility_determination" e ON e."id" = g."eligibility_id"
        JOIN "enrolment" en ON en."id" = e."enrolment_id"
        JOIN "instalment" i ON i."grant_id" = g."id"
       WHERE g."status" = 'approved' AND en."status" = 'suspended' AND i."status" = 'scheduled'
         AND g."academic_year" >= extract(year FROM en."status_effective_on" - interval '8 months')
    ) problems
    ORDER BY code, "grantId"
    LIMIT ${MAX_PROBLEMS}`;
}
