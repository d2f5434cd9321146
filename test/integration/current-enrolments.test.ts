// The enrolment each student of a list shows: the latest admission of each, only for students the
// actor may see (another department's ids give nothing, as if they did not exist), and a list of
// ids that are not ids is refused naming the field.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.ts';
import { currentEnrolments } from '../../src/services/current-enrolments.ts';
import { makeOrganisation, makeUser } from '../support/fixtures.ts';
import { makeEnrolment, makeStudent } from '../support/students.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

describe('currentEnrolments', () => {
  it('gives each student’s latest admission, and nothing for a student without one', async () => {
    const { student } = await makeStudent(t.world);
    await makeEnrolment(t.world, student.id, { institutionName: '青海大学', admissionDate: '2020-09-01', expectedGraduation: '2024-06-30' });
    await makeEnrolment(t.world, student.id, { institutionName: '青海师范大学', institutionCode: '4163010746', admissionDate: '2024-09-01' });
    const none = await makeStudent(t.world);
    const current = await currentEnrolments({ ctx: t.world.users.caseworker.ctx, input: { studentIds: [student.id, none.student.id] } });
    expect(Object.keys(current)).toEqual([student.id]);
    expect(current[student.id]).toMatchObject({ institutionName: '青海师范大学', status: 'enrolled', level: 'undergraduate' });
  });

  it('gives nothing for another department’s students', async () => {
    const { student } = await makeStudent(t.world);
    await makeEnrolment(t.world, student.id);
    const other = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs'), 'caseworker');
    expect(await currentEnrolments({ ctx: other.ctx, input: { studentIds: [student.id] } })).toEqual({});
    expect(Object.keys(await currentEnrolments({ ctx: t.world.users.caseworker.ctx, input: { studentIds: [student.id] } }))).toEqual([student.id]);
  });

  it('refuses ids that are not ids, naming the field', async () => {
    const call = currentEnrolments({ ctx: t.world.users.caseworker.ctx, input: { studentIds: ['not-an-id'] } });
    await expect(call).rejects.toBeInstanceOf(ValidationError);
    await expect(call).rejects.toMatchObject({ fields: [{ path: 'studentIds.0' }] });
  });
});
