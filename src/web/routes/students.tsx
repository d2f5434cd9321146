// The students' pages: the list and its search (a POST, so that a name never travels in a URL),
// one student's record, and the caseworker's forms that add to it — register, record a
// recognition, record an enrolment, change its status, verify it this year. Every form goes
// through submitOnce and then back to the student's page; the script that checks an identity
// number as it is typed is served from here too, with the rules it reads.
import { Hono } from 'hono';
import { IDENTITY_CHECK_JS } from '../assets/identity-check.ts';
import { academicYearContaining, formatAcademicYear } from '../../domain/academic-year.ts';
import { todayInChina } from '../../domain/dates.ts';
import { may } from '../../domain/roles.ts';
import type { ServiceContext } from '../../services/context.ts';
import { currentEnrolments } from '../../services/current-enrolments.ts';
import { listEligibility } from '../../services/eligibility.ts';
import { type EnrolmentView, changeEnrolmentStatus, getEnrolment, listEnrolments, recordEnrolment, verifyEnrolment } from '../../services/enrolments.ts';
import { studentGrantHistory } from '../../services/grants.ts';
import { listRecognitions, recordRecognition } from '../../services/recognitions.ts';
import { listPayouts } from '../../services/payouts/payout-views.ts';
import { type SearchStudentsInput, searchStudents } from '../../services/student-search.ts';
import { type StudentView, getStudent, registerStudent } from '../../services/students.ts';
import { formRoute, formValues } from '../form-route.tsx';
import { identityRulesJson } from '../identity-rules.ts';
import type { Viewer } from '../layout.tsx';
import { EnrolmentFormPage, EnrolmentStatusFormPage, VerificationFormPage } from '../pages/student-enrolment-forms.tsx';
import { type FormState, emptyForm } from '../pages/student-form-kit.tsx';
import { RecognitionFormPage } from '../pages/student-recognition-form.tsx';
import { RegisterStudentPage } from '../pages/student-register.tsx';
import { StudentPage } from '../pages/student.tsx';
import { SEARCH_FIELDS, StudentsPage } from '../pages/students.tsx';
import { enrolmentInput, recognitionInput, registrationInput, statusChangeInput, verificationInput } from '../student-form-inputs.ts';
import { type WebContext, type WebEnv, fieldErrors, personalPage } from '../web-kit.tsx';
import { grantsOnEnrolment, outcomeGrants, studentOf, studentPath, studentRecordForms } from './student-record-forms.tsx';

export interface StudentPageOptions {
  trustProxy: boolean;
}

const PAGE_SIZE = 20;

async function listPage(c: WebContext, ctx: ServiceContext, viewer: Viewer, search: FormState, input: SearchStudentsInput, searched: boolean) {
  let page: Awaited<ReturnType<typeof searchStudents>>;
  try {
    page = await searchStudents({ ctx, input: { ...input, limit: PAGE_SIZE } });
  } catch (error) {
    const errors = fieldErrors(error);
    if (!errors || !searched) throw error;
    const refused: FormState = { ...search, errors, notice: '查询条件有误，请按提示修改。' };
    return c.html(
      <StudentsPage
        viewer={viewer}
        search={refused}
        searched
        students={[]}
        enrolments={{}}
        nextCursor={null}
        mayRegister={may(viewer.role, 'student.register')}
      />,
      400,
    );
  }
  const enrolments = await currentEnrolments({ ctx, input: { studentIds: page.items.map((s) => s.id) } });
  return c.html(
    <StudentsPage
      viewer={viewer}
      search={search}
      searched={searched}
      students={page.items}
      enrolments={enrolments}
      nextCursor={page.nextCursor}
      mayRegister={may(viewer.role, 'student.register')}
    />,
  );
}

/** Everything the student's page shows, each part from its own service (each checks scope). */
async function studentRecord(ctx: ServiceContext, studentId: string) {
  const student = await getStudent({ ctx, input: { studentId } });
  const [recognitions, enrolments, eligibility, history, failed, returned] = await Promise.all([
    listRecognitions({ ctx, input: { studentId, limit: 100 } }),
    listEnrolments({ ctx, input: { studentId, limit: 100 } }),
    listEligibility({ ctx, input: { studentId, limit: 200 } }),
    studentGrantHistory({ ctx, input: { studentId } }),
    listPayouts({ ctx, input: { studentId, status: 'failed', limit: 100 } }),
    listPayouts({ ctx, input: { studentId, status: 'returned', limit: 100 } }),
  ]);
  // Payouts that failed or came back and wait for a retry: the page says a corrected account is what they need.
  const toRetry = [...failed.items, ...returned.items].filter((p) => !p.resolved);
  return { student, recognitions: recognitions.items, enrolments: enrolments.items, eligibility: eligibility.items, grants: history.grants, toRetry };
}

async function enrolmentOf(c: WebContext, ctx: ServiceContext): Promise<{ student: StudentView; enrolment: EnrolmentView }> {
  const student = await studentOf(c, ctx);
  const enrolment = await getEnrolment({ ctx, input: { studentId: student.id, enrolmentId: c.req.param('enrolmentId') ?? '' } });
  return { student, enrolment };
}

export function studentPages(options: StudentPageOptions) {
  const web = new Hono<WebEnv>();

  web.get('/assets/identity-check.js', (c) =>
    c.body(IDENTITY_CHECK_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }),
  );
  web.get('/assets/identity-rules.json', (c) =>
    c.body(identityRulesJson(), 200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }),
  );

  // The unfiltered list pages by link; a cursor is an opaque position, never a personal value.
  web.get('/students', (c) => personalPage(c, (ctx, viewer) => listPage(c, ctx, viewer, emptyForm(), { cursor: c.req.query('cursor') }, false)));

  // A search: the criteria come in the body only, and the answer is the page itself.
  web.post('/students', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const values = formValues(await c.req.parseBody());
      const input: Record<string, string> = {};
      for (const name of [...SEARCH_FIELDS, 'cursor'] as const) if (values[name]?.trim()) input[name] = values[name].trim();
      const searched = SEARCH_FIELDS.some((name) => input[name] !== undefined);
      return listPage(c, ctx, viewer, { values }, input as SearchStudentsInput, searched);
    }),
  );

  formRoute(
    web,
    {
      path: '/students/new',
      action: 'student.register',
      form: 'student.register',
      load: async () => null,
      render: (viewer, _loaded, formKey, state) => <RegisterStudentPage viewer={viewer} formKey={formKey} form={state} today={todayInChina()} />,
      submit: async (ctx, values) => studentPath((await registerStudent({ ctx, input: registrationInput(values) })).id, 'registered'),
    },
    options,
  );

  web.get('/students/:studentId', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const record = await studentRecord(ctx, c.req.param('studentId'));
      const done = c.req.query('done');
      const outcome = outcomeGrants(record, done, (name) => c.req.query(name));
      return c.html(<StudentPage viewer={viewer} record={record} done={done} outcome={outcome} />);
    }),
  );

  formRoute(
    web,
    {
      path: '/students/:studentId/recognitions/new',
      action: 'recognition.record',
      form: 'recognition.record',
      load: studentOf,
      defaults: () => ({ adopted: 'no' }),
      render: (viewer, student, formKey, state) => (
        <RecognitionFormPage viewer={viewer} studentId={student.id} studentName={student.name} formKey={formKey} form={state} />
      ),
      submit: async (ctx, values, student) => {
        await recordRecognition({ ctx, input: recognitionInput(student.id, values) });
        return studentPath(student.id, 'recognition');
      },
    },
    options,
  );

  formRoute(
    web,
    {
      path: '/students/:studentId/enrolments/new',
      action: 'enrolment.record',
      form: 'enrolment.record',
      load: studentOf,
      render: (viewer, student, formKey, state) => (
        <EnrolmentFormPage viewer={viewer} studentId={student.id} studentName={student.name} formKey={formKey} form={state} />
      ),
      submit: async (ctx, values, student) => {
        await recordEnrolment({ ctx, input: enrolmentInput(student.id, values) });
        return studentPath(student.id, 'enrolment');
      },
    },
    options,
  );

  formRoute(
    web,
    {
      path: '/students/:studentId/enrolments/:enrolmentId/status',
      action: 'enrolment.change_status',
      form: 'enrolment.change_status',
      load: async (c, ctx) => {
        const loaded = await enrolmentOf(c, ctx);
        return { ...loaded, grants: await grantsOnEnrolment(ctx, loaded.student.id, loaded.enrolment.id) };
      },
      defaults: () => ({ effectiveOn: todayInChina() }),
      render: (viewer, { student, enrolment, grants }, formKey, state) => (
        <EnrolmentStatusFormPage
          viewer={viewer}
          studentId={student.id}
          studentName={student.name}
          enrolment={enrolment}
          grants={grants}
          formKey={formKey}
          form={state}
        />
      ),
      submit: async (ctx, values, { student, enrolment }) => {
        await changeEnrolmentStatus({ ctx, input: statusChangeInput(student.id, enrolment.id, values) });
        // The enrolment's id lets the student's page tell what became of the grants resting on it.
        return `${studentPath(student.id, 'status')}&enrolment=${enrolment.id}`;
      },
    },
    options,
  );

  formRoute(
    web,
    {
      path: '/students/:studentId/enrolments/:enrolmentId/verifications/new',
      action: 'enrolment.verify',
      form: 'enrolment.verify',
      load: enrolmentOf,
      defaults: () => ({ verifiedOn: todayInChina(), source: '学信网 CHSI' }),
      render: (viewer, { student, enrolment }, formKey, state) => {
        const year = academicYearContaining(todayInChina());
        return (
          <VerificationFormPage
            viewer={viewer}
            studentId={student.id}
            studentName={student.name}
            enrolment={enrolment}
            academicYear={year ? formatAcademicYear(year) : ''}
            formKey={formKey}
            form={state}
          />
        );
      },
      submit: async (ctx, values, { student, enrolment }) => {
        await verifyEnrolment({ ctx, input: verificationInput(student.id, enrolment.id, values) });
        return studentPath(student.id, 'verification');
      },
    },
    options,
  );

  studentRecordForms(web, options);

  return web;
}
