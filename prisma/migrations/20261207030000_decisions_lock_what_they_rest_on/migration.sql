-- Decisions that rest on each other are serialised, whatever path writes.
--
-- A grant's approval rests on its eligibility (approved) and on the enrolment behind it (not ended).
-- Read without a lock, both could change in a concurrent transaction that committed after the read:
-- an eligibility revoked, or an enrolment graduated or withdrawn, while the approval committed money
-- on it, and the revocation, not seeing the approval yet, ended no grant. The guard now reads both
-- rows FOR SHARE: a concurrent revocation or status change (which updates those rows) waits for the
-- approval to commit and then sees the approved grant and ends it; an approval that comes second
-- waits for the revocation or change to commit and then reads the new status and is refused.
--
-- New refusal: `grant_enrolment_ended` — a grant cannot be approved once the enrolment its
-- eligibility rests on has ended (graduated or withdrawn).
CREATE OR REPLACE FUNCTION grant_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  band record;
  elig record;
  enrol record;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'grant_history: grants are never deleted' USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'INSERT' AND NEW."status" <> 'proposed' THEN
    RAISE EXCEPTION 'grant_status_transition: a grant starts proposed' USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF OLD."status" <> 'proposed' AND (NEW."amount", NEW."level", NEW."student_id", NEW."programme_id", NEW."academic_year", NEW."eligibility_id", NEW."proposed_by_id", NEW."approved_on", NEW."ledger_transaction_id")
        IS DISTINCT FROM (OLD."amount", OLD."level", OLD."student_id", OLD."programme_id", OLD."academic_year", OLD."eligibility_id", OLD."proposed_by_id", OLD."approved_on", OLD."ledger_transaction_id") THEN
      RAISE EXCEPTION 'grant_amount_locked: a % grant cannot change its amount or what it was decided on', OLD."status" USING ERRCODE = 'P0001';
    END IF;
    IF NOT (OLD."status" = NEW."status"
            OR (OLD."status" = 'proposed' AND NEW."status" IN ('approved', 'rejected'))
            OR (OLD."status" = 'approved' AND NEW."status" = 'ended')) THEN
      RAISE EXCEPTION 'grant_status_transition: % → % is not allowed', OLD."status", NEW."status" USING ERRCODE = 'P0001';
    END IF;
  END IF;
  IF NEW."status" NOT IN ('proposed', 'approved') THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW."status" = OLD."status" AND NEW."amount" = OLD."amount" AND NEW."level" = OLD."level"
     AND NEW."eligibility_id" = OLD."eligibility_id" THEN
    RETURN NEW;
  END IF;
  IF NEW."status" = 'approved' THEN
    PERFORM grant_band_lock(NEW."programme_id", NEW."academic_year");
  END IF;
  -- FOR SHARE: held to commit, so the eligibility cannot be revoked underneath this decision.
  SELECT e."status", e."student_id", e."programme_id", e."academic_year", e."enrolment_id" INTO elig
    FROM "eligibility_determination" e
    WHERE e."id" = NEW."eligibility_id"
    FOR SHARE;
  IF NOT FOUND OR elig."status" <> 'approved' OR elig."student_id" <> NEW."student_id"
     OR elig."programme_id" <> NEW."programme_id" OR elig."academic_year" <> NEW."academic_year" THEN
    RAISE EXCEPTION 'grant_eligibility_not_approved: the grant needs approved eligibility for its student, programme and year' USING ERRCODE = 'P0001';
  END IF;
  -- FOR SHARE likewise: the enrolment's status cannot change until this decision has committed.
  SELECT en."level", en."status" INTO enrol FROM "enrolment" en WHERE en."id" = elig."enrolment_id" FOR SHARE;
  IF NOT FOUND OR enrol."level" IS DISTINCT FROM NEW."level" THEN
    RAISE EXCEPTION 'grant_level_mismatch: the grant''s level must be that of the eligibility''s enrolment' USING ERRCODE = 'P0001';
  END IF;
  IF NEW."status" = 'approved' AND enrol."status" IN ('graduated', 'withdrawn') THEN
    RAISE EXCEPTION 'grant_enrolment_ended: the enrolment this grant rests on has ended (%)', enrol."status" USING ERRCODE = 'P0001';
  END IF;
  SELECT "min_amount", "max_amount" INTO band FROM "programme_band"
    WHERE "programme_id" = NEW."programme_id" AND "academic_year" = NEW."academic_year" AND "level" = NEW."level";
  IF NOT FOUND THEN
    RAISE EXCEPTION 'grant_amount_outside_band: no band for this programme, year and level' USING ERRCODE = 'P0001';
  END IF;
  IF NEW."amount" < band."min_amount" OR NEW."amount" > band."max_amount" THEN
    RAISE EXCEPTION 'grant_amount_outside_band: % is outside % – %', NEW."amount", band."min_amount", band."max_amount" USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;
