// Enrolment status (学籍状态) and which changes are allowed. A change is an event with an effective
// date; graduation and withdrawal end the enrolment for good (a student who comes back is a new
// enrolment, with its own admission date), so nothing may follow them.
export type EnrolmentStatus = 'enrolled' | 'suspended' | 'graduated' | 'withdrawn';

export const FINAL_STATUSES: readonly EnrolmentStatus[] = Object.freeze(['graduated', 'withdrawn']);

/** From each status, the statuses it may change to. */
const NEXT: Readonly<Record<EnrolmentStatus, readonly EnrolmentStatus[]>> = Object.freeze({
  enrolled: ['suspended', 'graduated', 'withdrawn'],
  // 休学 ends either by returning (复学) or by leaving; a suspended student may also be graduated
  // when the institution confers the degree without a return (e.g. thesis finished during suspension).
  suspended: ['enrolled', 'graduated', 'withdrawn'],
  graduated: [],
  withdrawn: [],
});

export const ENROLMENT_STATUS_LABELS: Readonly<Record<EnrolmentStatus, { zh: string; en: string }>> = Object.freeze({
  enrolled: { zh: '在读', en: 'enrolled' },
  suspended: { zh: '休学', en: 'suspended' },
  graduated: { zh: '毕业', en: 'graduated' },
  withdrawn: { zh: '退学', en: 'withdrawn' },
});

export function isFinalStatus(status: EnrolmentStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/**
 * Why a change from `from` to `to` is refused, or null when it is allowed:
 * `enrolment_ended` when `from` is final; `invalid_status_transition` otherwise (including a
 * "change" to the same status, which would be a second event saying nothing new).
 */
export function statusChangeRefusal(from: EnrolmentStatus, to: EnrolmentStatus): 'enrolment_ended' | 'invalid_status_transition' | null {
  if (isFinalStatus(from)) return 'enrolment_ended';
  return NEXT[from].includes(to) ? null : 'invalid_status_transition';
}
