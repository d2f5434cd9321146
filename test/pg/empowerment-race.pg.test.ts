// The empowerment track's checks that precede writes, raced on a real PostgreSQL server (PGlite runs
// one transaction at a time and hides races): an activity's capacity, one participation per student
// and activity, one status change from each status, and an activity's dates moving while an
// attendance is recorded inside them. Each is serialised by the activity's row lock
// (src/services/participations.ts); every refusal is a typed domain error, never a database one.
import { describe, expect, it } from 'vitest';
import { updateActivity } from '../../src/services/empowerment-activities.ts';
import { changeParticipation, registerParticipation } from '../../src/services/participations.ts';
import { makeActivity, makeCoordinator, makeGrantee } from '../support/empowerment.ts';
import { makeProgramme } from '../support/fixtures.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';
import { outcomes, race } from './support/concurrency.ts';

const CLIENTS = 16;

describe.skipIf(!process.env.TEST_DATABASE_URL)('empowerment participation, raced (PostgreSQL)', () => {
  const t = usePgTestDatabase(CLIENTS);

  async function setting(grantees: number) {
    const programme = await makeProgramme(t.world);
    const coordinator = await makeCoordinator(t.world, t.db.prisma);
    const students: string[] = [];
    for (let i = 0; i < grantees; i++) students.push((await makeGrantee(t.world, t.db.prisma, programme.id)).student.id);
    return { programme, coordinator, students };
  }

  it('12 students registered at once for an activity of 5 places: 5 registered, 7 activity_full', { timeout: 180_000 }, async () => {
    const { programme, coordinator, students } = await setting(12);
    const activity = await makeActivity(coordinator, programme.id, { capacity: 5 });
    const results = await race(students.length, (i) =>
      registerParticipation({ ctx: coordinator.ctx, input: { activityId: activity.id, studentId: students[i]!, registeredOn: '2026-11-01' } }),
    );
    expect(outcomes(results, ['activity_full'])).toEqual({ ok: 5, refused: { activity_full: 7 } });
    expect(await t.db.prisma.empowermentParticipation.count({ where: { activityId: activity.id } })).toBe(5);
  });

  it('the same student registered 6 times at once: one participation, the others duplicate_participation', { timeout: 120_000 }, async () => {
    const { programme, coordinator, students } = await setting(1);
    const activity = await makeActivity(coordinator, programme.id);
    const results = await race(6, () =>
      registerParticipation({ ctx: coordinator.ctx, input: { activityId: activity.id, studentId: students[0]!, registeredOn: '2026-11-01' } }),
    );
    expect(outcomes(results, ['duplicate_participation'])).toEqual({ ok: 1, refused: { duplicate_participation: 5 } });
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'participation.register', after: { path: ['activityId'], equals: activity.id } } })).toBe(1);
  });

  it('completion recorded 6 times at once: one change, the others participation_status_transition', { timeout: 120_000 }, async () => {
    const { programme, coordinator, students } = await setting(1);
    const activity = await makeActivity(coordinator, programme.id);
    const registered = await registerParticipation({
      ctx: coordinator.ctx,
      input: { activityId: activity.id, studentId: students[0]!, registeredOn: '2026-11-01' },
    });
    const results = await race(6, () => changeParticipation({ ctx: coordinator.ctx, input: { id: registered.id, status: 'completed', on: '2026-11-20' } }));
    expect(outcomes(results, ['participation_status_transition'])).toEqual({ ok: 1, refused: { participation_status_transition: 5 } });
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'participation.change_status', recordId: registered.id } })).toBe(1);
  });

  it('an activity’s dates moved while attendance is recorded inside the old ones: never an attendance outside the activity', { timeout: 180_000 }, async () => {
    const { programme, coordinator, students } = await setting(1);
    for (let round = 0; round < 10; round++) {
      const activity = await makeActivity(coordinator, programme.id, { startsOn: '2026-11-10', endsOn: '2026-11-20' });
      const registered = await registerParticipation({
        ctx: coordinator.ctx,
        input: { activityId: activity.id, studentId: students[0]!, registeredOn: '2026-11-01' },
      });
      const { id: _id, programme: _p, participants: _n, createdById: _c, createdAt: _a, updatedAt: _u, ...fields } = activity;
      const results = await race<unknown>(2, (i) =>
        i === 0
          ? changeParticipation({ ctx: coordinator.ctx, input: { id: registered.id, status: 'attended', on: '2026-11-12' } })
          : updateActivity({ ctx: coordinator.ctx, input: { ...fields, id: activity.id, startsOn: '2026-11-15', endsOn: '2026-11-20' } }),
      );
      const { ok } = outcomes(results, ['date_outside_activity']);
      expect(ok).toBe(1);
      const after = await t.db.prisma.empowermentActivity.findUniqueOrThrow({ where: { id: activity.id }, include: { participations: true } });
      const attended = after.participations[0]!.attendedOn;
      if (attended) expect(attended.getTime()).toBeGreaterThanOrEqual(after.startsOn.getTime());
    }
  });
});
