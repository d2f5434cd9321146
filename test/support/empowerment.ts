// Empowerment-track records for tests: the foundation's coordinator, an activity of a programme made by it
// through the use case, with what a test does not care about filled in; a student the programme granted.
import { type CreateActivityInput, createActivity } from '../../src/services/empowerment-activities.ts';
import type { PrismaClient } from '#prisma';
import { approveGrant } from '../../src/services/grants.ts';
import { type TestUser, type World, makeUser } from './fixtures.ts';
import { fundProgramme, makeProposedGrant } from './grants.ts';

/** The foundation's coordinator (项目专员): not one of makeWorld's users, so that the tests walking those stay as they were. */
export function makeCoordinator(world: World, db: PrismaClient): Promise<TestUser> {
  return makeUser(db, world.foundation, 'coordinator');
}

export async function makeActivity(coordinator: TestUser, programmeId: string, overrides: Partial<CreateActivityInput> = {}) {
  return createActivity({
    ctx: coordinator.ctx,
    input: {
      programmeId,
      kind: 'career_planning_course',
      organiser: 'foundation',
      organiserName: '青山慈善基金会',
      title: '职业规划课程（秋季）',
      startsOn: '2026-11-10',
      endsOn: '2026-11-20',
      online: false,
      place: '西宁市城西区青山公益中心',
      capacity: 30,
      ...overrides,
    },
  });
}

/** A student of the world's department with an approved grant in the programme (the ledger funded first). */
export async function makeGrantee(world: World, db: PrismaClient, programmeId: string) {
  await fundProgramme(world, programmeId, '5000.00');
  const made = await makeProposedGrant(db, world, programmeId, '4000.00');
  await approveGrant({ ctx: world.users.approver.ctx, input: { id: made.grant.id } });
  return made;
}
