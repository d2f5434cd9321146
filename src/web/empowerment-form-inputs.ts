// The empowerment forms' fields as the inputs of the use cases. Nothing is checked here: each use
// case's own schema does that, so the pages and the API refuse the same things with the same words.
// Only what a form cannot say otherwise is read: an empty optional field is absent, digits are a
// number, a checkbox is a boolean.
import type { ActivityView, CreateActivityInput, UpdateActivityInput } from '../services/empowerment-activities.ts';
import type { RecordGraduateDestinationInput } from '../services/graduate-destinations.ts';
import type { ChangeParticipationInput, RegisterParticipationInput } from '../services/participations.ts';

type Values = Record<string, string>;
const field = (values: Values, name: string) => (values[name] ?? '').trim();
const optional = (values: Values, name: string) => field(values, name) || undefined;

/** Digits as a number, nothing as absent, anything else as typed (for the schema to refuse, naming the field). */
function whole(values: Values, name: string): number | undefined {
  const text = field(values, name);
  if (text === '') return undefined;
  return (/^\d{1,6}$/.test(text) ? Number(text) : text) as number;
}

/** Evidence references, one a line. */
function evidence(values: Values): string[] | undefined {
  const lines = field(values, 'evidence')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.length > 0 ? lines : undefined;
}

export function activityInput(values: Values): CreateActivityInput {
  return {
    programmeId: field(values, 'programmeId'),
    kind: field(values, 'kind') as CreateActivityInput['kind'],
    organiser: field(values, 'organiser') as CreateActivityInput['organiser'],
    organiserName: field(values, 'organiserName'),
    title: field(values, 'title'),
    startsOn: field(values, 'startsOn'),
    endsOn: field(values, 'endsOn'),
    online: values.online === 'on',
    place: optional(values, 'place') ?? null,
    capacity: whole(values, 'capacity') ?? null,
    description: optional(values, 'description') ?? null,
  };
}

/** The change of an activity: the same fields, its programme not among them. */
export function activityChangeInput(id: string, values: Values): UpdateActivityInput {
  const { programmeId: _programme, ...fields } = activityInput(values);
  return { ...fields, id };
}

/** An activity's fields as the form shows them, to change it. */
export function activityValues(a: ActivityView): Values {
  return {
    kind: a.kind,
    organiser: a.organiser,
    organiserName: a.organiserName,
    title: a.title,
    startsOn: a.startsOn,
    endsOn: a.endsOn,
    ...(a.online ? { online: 'on' } : {}),
    place: a.place ?? '',
    capacity: a.capacity === null ? '' : String(a.capacity),
    description: a.description ?? '',
  };
}

export function registrationInput(activityId: string, values: Values): RegisterParticipationInput {
  return { activityId, studentId: field(values, 'studentId'), registeredOn: field(values, 'registeredOn'), evidence: evidence(values) };
}

export function participationChangeInput(id: string, values: Values): ChangeParticipationInput {
  const input: ChangeParticipationInput = {
    id,
    status: field(values, 'status') as ChangeParticipationInput['status'],
    on: field(values, 'on'),
    hours: optional(values, 'hours'),
    internshipHost: optional(values, 'internshipHost'),
    internshipWeeks: whole(values, 'internshipWeeks'),
    employmentSector: optional(values, 'employmentSector') as ChangeParticipationInput['employmentSector'],
    employmentStartOn: optional(values, 'employmentStartOn'),
    evidence: evidence(values),
  };
  // Absent, not undefined: the schema is strict and the use case tells "left out" from "cleared".
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as ChangeParticipationInput;
}

export function destinationInput(programmeId: string, values: Values): RecordGraduateDestinationInput {
  return {
    programmeId,
    studentId: field(values, 'studentId'),
    destination: field(values, 'destination') as RecordGraduateDestinationInput['destination'],
    sector: (optional(values, 'sector') ?? null) as RecordGraduateDestinationInput['sector'],
    startedOn: field(values, 'startedOn'),
    source: field(values, 'source'),
    sourceDate: field(values, 'sourceDate'),
  };
}
