// `npm run reconcile -- figures` states the empowerment track's person-times (赋能人次) beside the
// grants' person-times, by programme, academic year of the activity and kind: one participation
// attended or completed is one person-time; registrations and withdrawals count for nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { runFiguresCheck } from '../../src/reconcile/checks/figures.ts';
import { changeParticipation, registerParticipation } from '../../src/services/participations.ts';
import { makeActivity, makeCoordinator, makeGrantee } from '../support/empowerment.ts';
import { type TestUser, makeProgramme } from '../support/fixtures.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let programme: { id: string; code: string };
let coordinator: TestUser;

async function participate(activityId: string, studentId: string, status: 'registered' | 'attended' | 'completed' | 'withdrawn', on: string) {
  const registered = await registerParticipation({ ctx: coordinator.ctx, input: { activityId, studentId, registeredOn: '2026-06-01' } });
  if (status !== 'registered') await changeParticipation({ ctx: coordinator.ctx, input: { id: registered.id, status, on } });
}

beforeAll(async () => {
  programme = await makeProgramme(t.world);
  coordinator = await makeCoordinator(t.world, t.db.prisma);
  const students = [];
  for (let i = 0; i < 3; i++) students.push((await makeGrantee(t.world, t.db.prisma, programme.id)).student.id);
  const internship = await makeActivity(coordinator, programme.id, { kind: 'summer_internship', startsOn: '2026-07-06', endsOn: '2026-08-14' });
  const course = await makeActivity(coordinator, programme.id, { kind: 'career_planning_course', startsOn: '2026-11-10', endsOn: '2026-11-20' });
  await participate(internship.id, students[0]!, 'completed', '2026-08-14');
  await participate(internship.id, students[1]!, 'withdrawn', '2026-07-01');
  await participate(course.id, students[0]!, 'attended', '2026-11-12');
  await participate(course.id, students[1]!, 'completed', '2026-11-20');
  await participate(course.id, students[2]!, 'registered', '2026-11-20');
}, 120_000);

describe('figures: empowerment person-times', () => {
  it('counts attended and completed participations by academic year and kind, beside the grants’ person-times', async () => {
    const result = await runFiguresCheck(t.db.prisma, { programmeId: programme.id });
    expect(result.figures.find((f) => f.key === 'empowerment_person_times')?.value).toBe(3);
    const table = result.tables?.find((tb) => tb.title.startsWith('赋能人次'));
    expect(table?.columns.slice(0, 4)).toEqual([
      '项目 (programme)',
      '学年 (academic year)',
      '资助人次 (grant person-times)',
      '赋能人次 (empowerment person-times)',
    ]);
    // Kinds in order: public-benefit marketing, course, internship, employment assistance, other.
    expect(table?.rows).toEqual([
      [programme.code, '2025-2026', 0, 1, 0, 0, 1, 0, 0],
      [programme.code, '2026-2027', 3, 2, 0, 2, 0, 0, 0],
      [programme.code, '累计 (cumulative)', 3, 3, 0, 2, 1, 0, 0],
    ]);
  });
});
