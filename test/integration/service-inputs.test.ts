// Every use case parses its own input with the schema it declares: a page, a script or the CSV
// intake calling a service directly gets the same 400-style ValidationError, naming each field,
// as the JSON API — and nothing is written.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.ts';
import { proposeEligibility, revokeEligibility } from '../../src/services/eligibility.ts';
import { changeEnrolmentStatus, recordEnrolment } from '../../src/services/enrolments.ts';
import { approveGrant, listGrants, proposeGrant } from '../../src/services/grants.ts';
import { recordRecognition } from '../../src/services/recognitions.ts';
import { searchStudents } from '../../src/services/student-search.ts';
import { registerStudent } from '../../src/services/students.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';

/** Runs a use case with input a type checker would refuse (as a script or a form could send it). */
async function refused(run: () => Promise<unknown>): Promise<ValidationError> {
  const before = await t.db.prisma.auditEvent.count();
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect(await t.db.prisma.auditEvent.count()).toBe(before);
  return error as ValidationError;
}

const anyInput = (input: unknown) => input as never;

describe('services validate their own input', () => {
  it('proposeGrant: money as a JSON number, a malformed year and an unknown field are each named', async () => {
    const error = await refused(() =>
      proposeGrant({
        ctx: t.world.users.caseworker.ctx,
        input: anyInput({ studentId: UUID, programmeId: UUID, academicYear: '2026/27', amount: 4000, colour: 'red' }),
      }),
    );
    expect(error.fields).toEqual(
      expect.arrayContaining([
        { path: 'amount', message: 'must be an amount written as a string, e.g. "3500.00"' },
        { path: 'academicYear', message: 'must be an academic year written like 2025-2026' },
        { path: 'colour', message: 'unknown field' },
      ]),
    );
  });

  it('approveGrant: an id that is not a UUID; a one-letter reason', async () => {
    const error = await refused(() => approveGrant({ ctx: t.world.users.approver.ctx, input: { id: 'grant-1', reason: 'x' } }));
    expect(error.fields).toEqual([
      { path: 'id', message: 'must be a UUID' },
      { path: 'reason', message: 'state the reason (at least 2 characters)' },
    ]);
  });

  it('registerStudent: an account number with letters, a holder name left empty', async () => {
    const error = await refused(() =>
      registerStudent({
        ctx: t.world.users.caseworker.ctx,
        input: {
          identityNumber: '630102200603151249',
          name: '韩梅梅',
          gender: 'female',
          bankAccount: { bankName: '建设银行', accountNumber: '6217-ABC', holderName: ' ' },
        },
      }),
    );
    expect(error.fields.map((f) => f.path).sort()).toEqual(['bankAccount.accountNumber', 'bankAccount.holderName']);
  });

  it('recordRecognition, recordEnrolment, changeEnrolmentStatus: dates that are not calendar dates, a status that does not exist', async () => {
    const recognition = await refused(() =>
      recordRecognition({
        ctx: t.world.users.caseworker.ctx,
        input: anyInput({
          studentId: UUID,
          recognisedOn: '2019-02-30',
          authority: '民政局',
          father: { situation: 'deceased' },
          mother: { situation: 'deceased' },
          adopted: false,
          evidence: [],
        }),
      }),
    );
    expect(recognition.fields).toEqual([
      { path: 'recognisedOn', message: 'must be a real calendar date written YYYY-MM-DD' },
      { path: 'evidence', message: 'at least one document is needed' },
    ]);
    const enrolment = await refused(() =>
      recordEnrolment({
        ctx: t.world.users.caseworker.ctx,
        input: anyInput({
          studentId: UUID,
          institutionName: '青海大学',
          institutionCode: '10743',
          level: 'doctorate',
          admissionDate: '2025-09-01',
          expectedGraduation: '2029-06-30',
        }),
      }),
    );
    expect(enrolment.fields.map((f) => f.path)).toEqual(['level']);
    const change = await refused(() =>
      changeEnrolmentStatus({
        ctx: t.world.users.caseworker.ctx,
        input: anyInput({ studentId: UUID, enrolmentId: UUID, status: 'expelled', effectiveOn: '2026-11-31', reason: '退学' }),
      }),
    );
    expect(change.fields.map((f) => f.path)).toEqual(['status', 'effectiveOn']);
  });

  it('proposeEligibility and revokeEligibility: missing fields are named', async () => {
    expect(
      (await refused(() => proposeEligibility({ ctx: t.world.users.caseworker.ctx, input: anyInput({ studentId: UUID }) }))).fields.map((f) => f.path),
    ).toEqual(['programmeId', 'academicYear']);
    expect(
      (await refused(() => revokeEligibility({ ctx: t.world.users.approver.ctx, input: anyInput({ id: UUID, reason: '已收养' }) }))).fields.map((f) => f.path),
    ).toEqual(['effectiveOn']);
  });

  it('lists: a page size out of range; a whole identity number in a search', async () => {
    expect((await refused(() => listGrants({ ctx: t.world.users.approver.ctx, input: { limit: 0 } }))).fields.map((f) => f.path)).toEqual(['limit']);
    const search = await refused(() => searchStudents({ ctx: t.world.users.caseworker.ctx, input: { identityNumber: '630102200603151249' } }));
    expect(search.fields).toEqual([{ path: 'identityNumber', message: 'must be the masked number (630102********1234) or its last 4 characters' }]);
  });

  it('a list called without a page size gets the default page, as the API does', async () => {
    await expect(listGrants({ ctx: t.world.users.approver.ctx, input: {} })).resolves.toMatchObject({ items: [], nextCursor: null });
  });
});
