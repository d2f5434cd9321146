// Shapes of the empowerment track's routes (青山陪伴赋能工程): activities, participations, person-times
// and cohort outcomes. Request bodies are the use cases' own schemas, less what the path carries.
import { z } from '@hono/zod-openapi';
import { EMPLOYER_SECTORS, EMPOWERMENT_KINDS, PARTICIPATION_STATUSES } from '../../domain/empowerment.ts';
import { CreateActivityInput, UpdateActivityInput } from '../../services/empowerment-activities.ts';
import { RecordGraduateDestinationInput } from '../../services/graduate-destinations.ts';
import { ChangeParticipationInput, RegisterParticipationInput } from '../../services/participations.ts';
import { Uuid, pageOf } from './common.ts';

const Kind = z.enum(EMPOWERMENT_KINDS);
const Status = z.enum(PARTICIPATION_STATUSES);
const Sector = z.enum(EMPLOYER_SECTORS);

export const CreateActivityBody = CreateActivityInput.omit({ programmeId: true }).meta({ id: 'CreateEmpowermentActivity' });
export const UpdateActivityBody = UpdateActivityInput.omit({ id: true }).meta({ id: 'UpdateEmpowermentActivity' });
export const RegisterParticipationBody = RegisterParticipationInput.omit({ activityId: true }).meta({ id: 'RegisterParticipation' });
export const ChangeParticipationBody = ChangeParticipationInput.omit({ id: true }).meta({ id: 'ChangeParticipation' });
export const RecordGraduateDestinationBody = RecordGraduateDestinationInput.omit({ programmeId: true }).meta({ id: 'RecordGraduateDestination' });

export const ActivityOut = z
  .object({
    id: Uuid,
    programme: z.object({ id: Uuid, code: z.string(), name: z.string() }),
    kind: Kind,
    organiser: z.enum(['foundation', 'partner']),
    organiserName: z.string(),
    title: z.string(),
    startsOn: z.string(),
    endsOn: z.string(),
    online: z.boolean(),
    place: z.string().nullable(),
    capacity: z.number().int().nullable(),
    description: z.string().nullable(),
    participants: z.object({
      registered: z.number().int(),
      attended: z.number().int(),
      completed: z.number().int(),
      withdrawn: z.number().int(),
      personTimes: z.number().int().openapi({ description: '人次: attended + completed' }),
    }),
    createdById: Uuid,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('EmpowermentActivity');
export const ActivityPage = pageOf(ActivityOut, 'EmpowermentActivityPage');

export const ParticipationOut = z
  .object({
    id: Uuid,
    activity: z.object({ id: Uuid, title: z.string(), kind: Kind, programmeId: Uuid }),
    student: z.object({ id: Uuid, name: z.string().openapi({ description: 'masked' }), identityNumber: z.string().openapi({ description: 'masked' }) }),
    status: Status,
    registeredOn: z.string(),
    attendedOn: z.string().nullable(),
    completedOn: z.string().nullable(),
    withdrawnOn: z.string().nullable(),
    hours: z.string().nullable(),
    outcome: z.object({
      internshipHost: z.string().nullable(),
      internshipWeeks: z.number().int().nullable(),
      employmentSector: Sector.nullable(),
      employmentStartOn: z.string().nullable(),
    }),
    evidence: z.array(z.string()),
    countsAsPersonTime: z.boolean(),
    recordedById: Uuid,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Participation');
export const ParticipationPage = pageOf(ParticipationOut, 'ParticipationPage');

const PersonTimesByKind = z
  .object({
    public_benefit_marketing: z.number().int(),
    career_planning_course: z.number().int(),
    summer_internship: z.number().int(),
    employment_assistance: z.number().int(),
    other: z.number().int(),
    total: z.number().int(),
  })
  .openapi('EmpowermentPersonTimesByKind');

export const EmpowermentFiguresOut = z
  .object({
    programmeId: Uuid,
    years: z.array(z.object({ academicYear: z.string(), personTimes: PersonTimesByKind })),
    cumulative: PersonTimesByKind,
  })
  .openapi('EmpowermentFigures');

export const CohortOutcomesOut = z
  .object({
    programmeId: Uuid,
    cohorts: z.array(
      z.object({
        cohort: z.string().openapi({ description: 'Academic year of the students’ first grant in the programme' }),
        students: z.number().int(),
        graduatedOnTime: z.number().int(),
        graduatedLate: z.number().int(),
        stillStudying: z.number().int(),
        withdrawn: z.number().int(),
        employedWithinSixMonths: z.number().int(),
        furtherStudyWithinSixMonths: z.number().int(),
        otherOrUnknown: z.number().int(),
        internshipsCompleted: z.number().int(),
        coursesCompleted: z.number().int(),
      }),
    ),
  })
  .openapi('CohortOutcomes');

export const GraduateDestinationOut = z
  .object({
    id: Uuid,
    programmeId: Uuid,
    studentId: Uuid,
    destination: z.enum(['employed', 'further_study', 'other']),
    sector: Sector.nullable(),
    startedOn: z.string(),
    source: z.string(),
    sourceDate: z.string(),
    recordedById: Uuid,
    createdAt: z.string(),
  })
  .openapi('GraduateDestination');
