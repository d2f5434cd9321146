// The empowerment track's history (青山陪伴赋能工程), replayed through the use cases like the grants:
// the published "80 多人次" as 83 person-times across 2024–2026, a plausible mix of the four kinds —
// public-benefit marketing events, career-planning courses, summer internships and employment
// assistance for the year's graduates — made by the foundation's coordinator, with some registrations
// by the department's caseworker; then where the graduates went, as the coordinator followed them up.
//
//   2024-2025  marketing 12, course 15, internship 6, employment 5   = 38
//   2025-2026  marketing 10, course 14, internship 8, employment 13  = 45   together 83 人次
//
// Registrations that were withdrawn or never attended count for nothing, as the rule says.
import type { EmployerSector } from '../domain/empowerment.ts';
import type { ServiceContext } from '../services/context.ts';
import { type CreateActivityInput, createActivity } from '../services/empowerment-activities.ts';
import { recordGraduateDestination } from '../services/graduate-destinations.ts';
import { changeParticipation, registerParticipation } from '../services/participations.ts';
import { type OnFile, on } from './history.ts';

/** The published figure the replay must give (checked in seed.ts and by the demo snapshot test). */
export const PUBLISHED_EMPOWERMENT_PERSON_TIMES = 83;

export interface EmpowermentActors {
  coordinator: ServiceContext;
  caseworker: ServiceContext;
}

/** Who the students of an activity are: the demo's students as groups, in their demo order. */
interface Pools {
  firstIntake: OnFile[];
  secondIntake: OnFile[];
  /** First intake, still studying after summer 2025. */
  continuing2025: OnFile[];
  graduates2025: OnFile[];
  graduates2026: OnFile[];
}

/** An activity as the coordinator creates it (less the programme), and what its students did. */
interface ActivityPlan extends Omit<CreateActivityInput, 'programmeId'> {
  registeredOn: string;
  /** Who records the registrations: the coordinator, or for employment assistance the department's caseworker. */
  registeredBy: keyof EmpowermentActors;
  students: (pools: Pools) => OnFile[];
  /** In the order of `students`: so many completed, then attended, then withdrawn; the rest stay registered. */
  completed: number;
  attended: number;
  withdrawn: number;
  hours: string;
  /** The employment found (employment assistance) by position among the completed. */
  employment?: readonly { sector: EmployerSector; startOn: string }[];
  internship?: { host: string; weeks: number };
}

const FOUNDATION = '青山慈善基金会';

/** The year's graduates' employment assistance: registered by the department's caseworker, run by the foundation. */
function employmentAssistance(
  year: number,
  plan: Pick<ActivityPlan, 'startsOn' | 'endsOn' | 'registeredOn' | 'students' | 'completed' | 'attended'> & {
    employment: NonNullable<ActivityPlan['employment']>;
  },
): ActivityPlan {
  return {
    kind: 'employment_assistance',
    organiser: 'foundation',
    organiserName: FOUNDATION,
    title: `${year} 届毕业生就业援助`,
    online: false,
    place: '西宁市城西区青山公益中心',
    capacity: null,
    description: '一对一求职辅导、岗位推荐与面试陪伴。',
    registeredBy: 'caseworker',
    withdrawn: 0,
    hours: '16.0',
    ...plan,
  };
}

const PLAN: readonly ActivityPlan[] = [
  {
    kind: 'public_benefit_marketing',
    organiser: 'foundation',
    organiserName: FOUNDATION,
    title: '青山陪伴·公益市集志愿服务',
    startsOn: '2024-11-16',
    endsOn: '2024-11-16',
    online: false,
    place: '西宁市城中区力盟步行街',
    capacity: 20,
    description: '受助学生参与基金会公益市集的筹备与义卖，讲述自己的求学故事。',
    registeredOn: '2024-11-01',
    registeredBy: 'coordinator',
    students: (p) => p.firstIntake.slice(0, 14),
    completed: 0,
    attended: 12,
    withdrawn: 2,
    hours: '6.0',
  },
  {
    kind: 'career_planning_course',
    organiser: 'partner',
    organiserName: '青海大学就业指导中心',
    title: '职业生涯规划工作坊（春季）',
    startsOn: '2025-03-22',
    endsOn: '2025-03-23',
    online: true,
    place: null,
    capacity: 40,
    description: '两天线上课程：自我认知、行业了解、求职准备。',
    registeredOn: '2025-03-10',
    registeredBy: 'coordinator',
    students: (p) => p.firstIntake.slice(20, 36),
    completed: 15,
    attended: 0,
    withdrawn: 1,
    hours: '12.0',
  },
  employmentAssistance(2025, {
    startsOn: '2025-06-16',
    endsOn: '2025-08-29',
    registeredOn: '2025-06-10',
    students: (p) => p.graduates2025.slice(0, 5),
    completed: 5,
    attended: 0,
    employment: [
      { sector: 'private_enterprise', startOn: '2025-07-01' },
      { sector: 'state_enterprise', startOn: '2025-07-15' },
      { sector: 'public_institution', startOn: '2025-08-01' },
      { sector: 'social_organisation', startOn: '2025-08-11' },
      { sector: 'private_enterprise', startOn: '2025-08-20' },
    ],
  }),
  {
    kind: 'summer_internship',
    organiser: 'partner',
    organiserName: '青海省青少年发展基金会',
    title: '2025 年暑期公益实习',
    startsOn: '2025-07-07',
    endsOn: '2025-08-15',
    online: false,
    place: '西宁市',
    capacity: 8,
    description: '六周公益项目实习，由合作机构安排导师。',
    registeredOn: '2025-06-20',
    registeredBy: 'coordinator',
    students: (p) => p.continuing2025.slice(0, 7),
    completed: 6,
    attended: 0,
    withdrawn: 1,
    hours: '240.0',
    internship: { host: '青海省青少年发展基金会', weeks: 6 },
  },
  {
    kind: 'public_benefit_marketing',
    organiser: 'foundation',
    organiserName: FOUNDATION,
    title: '“青山陪伴”公益传播周',
    startsOn: '2025-11-22',
    endsOn: '2025-11-23',
    online: false,
    place: '西宁市城西区青山公益中心',
    capacity: 15,
    description: '受助学生参与公益传播内容的拍摄与分享。',
    registeredOn: '2025-11-10',
    registeredBy: 'coordinator',
    students: (p) => p.secondIntake.slice(0, 10),
    completed: 0,
    attended: 10,
    withdrawn: 0,
    hours: '8.0',
  },
  {
    kind: 'career_planning_course',
    organiser: 'partner',
    organiserName: '青海师范大学就业指导中心',
    title: '职业规划与简历写作课程',
    startsOn: '2026-04-18',
    endsOn: '2026-04-19',
    online: false,
    place: '青海师范大学',
    capacity: 30,
    description: '面授课程：职业目标、简历与面试。',
    registeredOn: '2026-04-01',
    registeredBy: 'coordinator',
    students: (p) => p.secondIntake.slice(12, 27),
    completed: 14,
    attended: 0,
    withdrawn: 1,
    hours: '12.0',
  },
  employmentAssistance(2026, {
    startsOn: '2026-06-15',
    endsOn: '2026-08-31',
    registeredOn: '2026-06-08',
    students: (p) => p.graduates2026.slice(0, 14),
    completed: 7,
    attended: 6,
    employment: [
      { sector: 'private_enterprise', startOn: '2026-07-01' },
      { sector: 'public_institution', startOn: '2026-07-06' },
      { sector: 'state_enterprise', startOn: '2026-07-13' },
      { sector: 'private_enterprise', startOn: '2026-07-20' },
      { sector: 'government', startOn: '2026-08-03' },
      { sector: 'social_organisation', startOn: '2026-08-10' },
      { sector: 'self_employed', startOn: '2026-08-17' },
    ],
  }),
  {
    kind: 'summer_internship',
    organiser: 'partner',
    organiserName: '西宁市某社会工作服务中心',
    title: '2026 年暑期公益实习',
    startsOn: '2026-07-06',
    endsOn: '2026-08-14',
    online: false,
    place: '西宁市',
    capacity: 10,
    description: '六周社会工作实习。',
    registeredOn: '2026-06-22',
    registeredBy: 'coordinator',
    students: (p) => p.secondIntake.slice(30, 39),
    completed: 8,
    attended: 0,
    withdrawn: 1,
    hours: '240.0',
    internship: { host: '西宁市某社会工作服务中心', weeks: 6 },
  },
];

/** Runs `work` in one database transaction that both actors join. */
async function inOneTransaction(actors: EmpowermentActors, work: (a: EmpowermentActors) => Promise<void>): Promise<void> {
  await actors.coordinator.db.$transaction((tx) => work({ coordinator: { ...actors.coordinator, tx }, caseworker: { ...actors.caseworker, tx } }), {
    maxWait: 60_000,
    timeout: 10 * 60_000,
  });
}

/** One activity: made, its students registered, then what each did, on the activity's days. */
async function replayActivity(actors: EmpowermentActors, programmeId: string, plan: ActivityPlan, pools: Pools): Promise<OnFile[]> {
  const students = plan.students(pools);
  on(plan.registeredOn);
  const { registeredOn, registeredBy, students: _s, completed, attended, withdrawn, hours, employment, internship, ...fields } = plan;
  const completers: OnFile[] = [];
  await inOneTransaction(actors, async (a) => {
    const activity = await createActivity({ ctx: a.coordinator, input: { programmeId, ...fields } });
    const ids: string[] = [];
    for (const s of students) {
      ids.push((await registerParticipation({ ctx: a[registeredBy], input: { activityId: activity.id, studentId: s.studentId, registeredOn } })).id);
    }
    on(plan.endsOn);
    for (const [i, id] of ids.entries()) {
      const ctx = a[registeredBy];
      if (i < completed) {
        const job = employment?.[i];
        await changeParticipation({
          ctx,
          input: {
            id,
            status: 'completed',
            on: job?.startOn ?? plan.endsOn,
            hours,
            ...(job ? { employmentSector: job.sector, employmentStartOn: job.startOn } : {}),
            ...(internship ? { internshipHost: internship.host, internshipWeeks: internship.weeks } : {}),
            evidence: [job ? '录用通知（复印件）' : internship ? '实习鉴定表' : '结业证明'],
          },
        });
        completers.push(students[i] as OnFile);
      } else if (i < completed + attended) {
        await changeParticipation({ ctx, input: { id, status: 'attended', on: plan.startsOn, hours, evidence: ['签到表'] } });
      } else if (i < completed + attended + withdrawn) {
        await changeParticipation({ ctx, input: { id, status: 'withdrawn', on: registeredOn } });
      }
    }
  });
  return completers;
}

/** Where graduates went, as the coordinator learned it after the summer's employment assistance. */
async function recordDestinations(
  actors: EmpowermentActors,
  programmeId: string,
  day: string,
  entries: { student: OnFile; destination: 'employed' | 'further_study' | 'other'; sector?: EmployerSector; startedOn: string; source: string }[],
) {
  on(day);
  await inOneTransaction(actors, async (a) => {
    for (const e of entries) {
      await recordGraduateDestination({
        ctx: a.coordinator,
        input: {
          programmeId,
          studentId: e.student.studentId,
          destination: e.destination,
          sector: e.sector ?? null,
          startedOn: e.startedOn,
          source: e.source,
          sourceDate: day,
        },
      });
    }
  });
}

/**
 * Replays the track after the grants' history (`students`: the history's, in demo order;
 * `graduated`: the ids of those whose enrolment ended in graduation). Leaves the business clock on its last day.
 */
export async function replayEmpowerment(
  actors: EmpowermentActors,
  programmeId: string,
  students: readonly OnFile[],
  graduated: ReadonlySet<string>,
): Promise<void> {
  const ofIntake = (year: number) => students.filter((s) => s.demo.intake === year);
  const graduatesOn = (date: string) => students.filter((s) => s.demo.expectedGraduation === date && graduated.has(s.studentId));
  const pools: Pools = {
    firstIntake: ofIntake(2024),
    secondIntake: ofIntake(2025),
    continuing2025: ofIntake(2024).filter((s) => s.demo.expectedGraduation > '2025-09-01' && !s.left),
    graduates2025: graduatesOn('2025-06-30'),
    graduates2026: graduatesOn('2026-06-30'),
  };
  const employed = new Map<string, OnFile[]>();
  for (const plan of PLAN) {
    const completers = await replayActivity(actors, programmeId, plan, pools);
    if (plan.employment) employed.set(plan.endsOn.slice(0, 4), completers);
  }
  const followUp = (year: string, plan: ActivityPlan | undefined, furtherStudy: OnFile[]) => [
    ...(employed.get(year) ?? []).map((student, i) => ({
      student,
      destination: 'employed' as const,
      sector: plan?.employment?.[i]?.sector,
      startedOn: plan?.employment?.[i]?.startOn ?? `${year}-07-01`,
      source: '就业援助跟踪回访及录用通知',
    })),
    ...furtherStudy.map((student) => ({ student, destination: 'further_study' as const, startedOn: `${year}-09-01`, source: '学校毕业去向登记（升学）' })),
  ];
  const employmentPlan = (year: string) => PLAN.find((p) => p.kind === 'employment_assistance' && p.endsOn.startsWith(year));
  await recordDestinations(actors, programmeId, '2025-08-31', followUp('2025', employmentPlan('2025'), pools.graduates2025.slice(5, 8)));
  await recordDestinations(actors, programmeId, '2026-08-31', followUp('2026', employmentPlan('2026'), pools.graduates2026.slice(14, 17)));
}
