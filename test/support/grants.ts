// Factories for the grant tests: a student with APPROVED eligibility for a programme and year
// (through the eligibility services, so the same rules hold), money in the programme's fund, and
// proposed grants.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '#prisma';
import { approveEligibility, proposeEligibility } from '../../src/services/eligibility.ts';
import { recordFundingReceipt } from '../../src/services/funding-receipts.ts';
import { proposeGrant } from '../../src/services/grants.ts';
import { type EligibleStudentOptions, makeEligibleStudent } from './eligibility-fixtures.ts';
import type { TestUser, World } from './fixtures.ts';

export const GRANT_YEAR = '2026-2027';

/** A fresh student of the world's department with approved eligibility for `programmeId` in `academicYear`. */
export async function makeApprovedStudent(
  db: PrismaClient,
  world: World,
  programmeId: string,
  options: { academicYear?: string; student?: Partial<EligibleStudentOptions>; caseworker?: TestUser; approver?: TestUser } = {},
) {
  const caseworker = options.caseworker ?? world.users.caseworker;
  const approver = options.approver ?? world.users.approver;
  const made = await makeEligibleStudent(db, {
    departmentId: caseworker.actor.organisationId,
    caseworkerId: caseworker.actor.userId,
    ...(options.student ?? {}),
  });
  const proposed = await proposeEligibility({
    ctx: caseworker.ctx,
    input: { studentId: made.student.id, programmeId, academicYear: options.academicYear ?? GRANT_YEAR },
  });
  const eligibility = await approveEligibility({ ctx: approver.ctx, input: { id: proposed.id } });
  return { ...made, eligibility };
}

export async function fundProgramme(world: World, programmeId: string, amount: string) {
  return recordFundingReceipt({
    ctx: world.users.finance.ctx,
    input: { programmeId, remitterId: world.foundation.id, amount, receivedOn: '2026-09-01', bankReference: `FUND-${randomUUID()}` },
  });
}

export async function makeProposedGrant(
  db: PrismaClient,
  world: World,
  programmeId: string,
  amount = '4000.00',
  options: { academicYear?: string; caseworker?: TestUser } = {},
) {
  const s = await makeApprovedStudent(db, world, programmeId, options);
  const grant = await proposeGrant({
    ctx: (options.caseworker ?? world.users.caseworker).ctx,
    input: { studentId: s.student.id, programmeId, academicYear: options.academicYear ?? GRANT_YEAR, amount },
  });
  return { ...s, grant };
}
