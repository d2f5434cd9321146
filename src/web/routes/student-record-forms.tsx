// The forms that change what is already on a student's record: the caseworker's bank account and
// phone number, and the approver's revocation of an approved eligibility. Each goes through
// formRoute (permission first, then scope, then submitOnce) and back to the student's page, which
// says what happened; after a revocation it also names the eligibility, so that the page can show
// what became of the grant resting on it. Only ids travel in those addresses, never personal values.
import type { Hono } from 'hono';
import { todayInChina } from '../../domain/dates.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type { ServiceContext } from '../../services/context.ts';
import { getEligibility, listEligibility, revokeEligibility } from '../../services/eligibility.ts';
import { type GrantView, studentGrantHistory } from '../../services/grants.ts';
import { changeBankAccount, getStudent, updateStudentContact } from '../../services/students.ts';
import { formRoute } from '../form-route.tsx';
import { RevokeEligibilityPage } from '../pages/eligibility-revoke.tsx';
import { BankAccountFormPage, ContactFormPage, NameFormPage } from '../pages/student-account-forms.tsx';
import { correctStudentName } from '../../services/student-name.ts';
import type { StudentRecord } from '../pages/student.tsx';
import { bankAccountInput, contactInput, nameCorrectionInput, revocationInput } from '../student-form-inputs.ts';
import type { WebContext, WebEnv } from '../web-kit.tsx';

export const studentOf = (c: WebContext, ctx: ServiceContext) => getStudent({ ctx, input: { studentId: c.req.param('studentId') ?? '' } });
export const studentPath = (id: string, done: string) => `/students/${id}?done=${done}`;

/** The student's grants resting on any of the given eligibility determinations. */
async function grantsOn(ctx: ServiceContext, studentId: string, eligibilityIds: Set<string>): Promise<GrantView[]> {
  const { grants } = await studentGrantHistory({ ctx, input: { studentId } });
  return grants.filter((g) => eligibilityIds.has(g.eligibilityId));
}

/** The student's grants resting (through their eligibility) on the enrolment: those its end would end. */
export async function grantsOnEnrolment(ctx: ServiceContext, studentId: string, enrolmentId: string): Promise<GrantView[]> {
  const eligibility = await listEligibility({ ctx, input: { studentId, limit: 200 } });
  return grantsOn(ctx, studentId, new Set(eligibility.items.filter((e) => e.enrolment?.id === enrolmentId).map((e) => e.id)));
}

/**
 * The grants whose fate the page should tell after a form led back to it: those of the revoked
 * eligibility, or those of an enrolment that ended (graduated, withdrawn). Null: nothing to tell.
 */
export function outcomeGrants(record: StudentRecord, done: string | undefined, query: (name: string) => string | undefined): GrantView[] | null {
  if (done === 'revoked') {
    const id = query('eligibility');
    return id ? record.grants.filter((g) => g.eligibilityId === id) : null;
  }
  if (done === 'status') {
    const id = query('enrolment');
    const enrolment = record.enrolments.find((e) => e.id === id);
    if (!enrolment || (enrolment.status !== 'graduated' && enrolment.status !== 'withdrawn')) return null;
    const ids = new Set(record.eligibility.filter((e) => e.enrolment?.id === id).map((e) => e.id));
    // Ended by this change: on its effective date (a grant ended earlier for another cause is not its outcome).
    return record.grants.filter((g) => ids.has(g.eligibilityId) && g.ending?.endedOn === enrolment.statusEffectiveOn);
  }
  return null;
}

async function approvedEligibilityOf(c: WebContext, ctx: ServiceContext) {
  const student = await studentOf(c, ctx);
  const eligibility = await getEligibility({ ctx, input: { id: c.req.param('eligibilityId') ?? '' } });
  // An eligibility of another student is not this page's, whoever may see it.
  if (eligibility.student.id !== student.id) throw new NotFoundError('eligibility_determination');
  const grants = await grantsOn(ctx, student.id, new Set([eligibility.id]));
  return { student, eligibility, grants };
}

export function studentRecordForms(web: Hono<WebEnv>, options: { trustProxy: boolean }): void {
  formRoute(
    web,
    {
      path: '/students/:studentId/bank-account',
      action: 'student.update',
      form: 'student.change_bank_account',
      load: studentOf,
      render: (viewer, student, formKey, state) => <BankAccountFormPage viewer={viewer} student={student} formKey={formKey} form={state} />,
      submit: async (ctx, values, student) => {
        await changeBankAccount({ ctx, input: bankAccountInput(student.id, values) });
        return studentPath(student.id, 'bank_account');
      },
    },
    options,
  );

  formRoute(
    web,
    {
      path: '/students/:studentId/contact',
      action: 'student.update',
      form: 'student.update_contact',
      load: studentOf,
      render: (viewer, student, formKey, state) => <ContactFormPage viewer={viewer} student={student} formKey={formKey} form={state} />,
      submit: async (ctx, values, student) => {
        await updateStudentContact({ ctx, input: contactInput(student.id, values) });
        return studentPath(student.id, 'contact');
      },
    },
    options,
  );

  formRoute(
    web,
    {
      path: '/students/:studentId/name',
      action: 'student.update',
      form: 'student.correct_name',
      load: studentOf,
      render: (viewer, student, formKey, state) => <NameFormPage viewer={viewer} student={student} formKey={formKey} form={state} />,
      submit: async (ctx, values, student) => {
        await correctStudentName({ ctx, input: nameCorrectionInput(student.id, values) });
        return studentPath(student.id, 'name');
      },
    },
    options,
  );

  formRoute(
    web,
    {
      path: '/students/:studentId/eligibility/:eligibilityId/revoke',
      action: 'eligibility.revoke',
      form: 'eligibility.revoke',
      load: approvedEligibilityOf,
      defaults: () => ({ effectiveOn: todayInChina() }),
      render: (viewer, { student, eligibility, grants }, formKey, state) => (
        <RevokeEligibilityPage viewer={viewer} student={student} eligibility={eligibility} grants={grants} formKey={formKey} form={state} />
      ),
      submit: async (ctx, values, { student, eligibility }) => {
        await revokeEligibility({ ctx, input: revocationInput(eligibility.id, values) });
        return `${studentPath(student.id, 'revoked')}&eligibility=${eligibility.id}`;
      },
    },
    options,
  );
}
