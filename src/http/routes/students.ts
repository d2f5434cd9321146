// Students and, under /students/{studentId}, their recognitions and enrolments: one router, so the
// app factory registers the whole area with one line.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { searchStudents } from '../../services/student-search.ts';
import { changeBankAccount, getStudent, registerStudent, unmaskStudent, updateStudentContact } from '../../services/students.ts';
import { serviceContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { PageQuery, Uuid, errorResponses, security } from '../schemas/common.ts';
import { ChangeBankAccountBody, ContactBody, RegisterStudentBody, StudentOut, StudentPage, StudentSearchQuery, UnmaskBody, UnmaskedStudentOut } from '../schemas/students.ts';
import { enrolmentRoutes } from './enrolments.ts';
import { recognitionRoutes } from './recognitions.ts';

const tags = ['Students'];
const StudentParams = z.object({ studentId: Uuid });
const json = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
const student = (description: string) => ({ description, content: { 'application/json': { schema: StudentOut } } });

const register = createRoute({
  method: 'post',
  path: '/students',
  tags,
  security,
  summary: 'Register a student in the caller’s department (caseworker)',
  description:
    'The identity number is verified (length, characters, check digit, birth date, region: 400 naming identityNumber with the reason), the gender must match it, and the bank account must be in the student’s name (422 account_holder_not_student). A number already registered answers 409 duplicate_student, with existingId only when the caller may see that student.',
  request: { body: json(RegisterStudentBody) },
  responses: { 201: student('Registered; personal values masked'), ...errorResponses },
});

const search = createRoute({
  method: 'get',
  path: '/students',
  tags,
  security,
  summary: 'Find students in the caller’s scope, newest first',
  request: { query: PageQuery.extend(StudentSearchQuery.shape) },
  responses: { 200: { description: 'A page', content: { 'application/json': { schema: StudentPage } } }, ...errorResponses },
});

const get = createRoute({
  method: 'get',
  path: '/students/{studentId}',
  tags,
  security,
  summary: 'One student, personal values masked',
  request: { params: StudentParams },
  responses: { 200: student('The student'), ...errorResponses },
});

const unmask = createRoute({
  method: 'post',
  path: '/students/{studentId}/unmask',
  tags,
  security,
  summary: 'Whole name, identity number, phone and account number, for a stated purpose; audited (caseworker, approver, finance)',
  request: { params: StudentParams, body: json(UnmaskBody) },
  responses: { 200: { description: 'The whole values', content: { 'application/json': { schema: UnmaskedStudentOut } } }, ...errorResponses },
});

const bankAccount = createRoute({
  method: 'post',
  path: '/students/{studentId}/bank-account',
  tags,
  security,
  summary: 'Replace the student’s bank account; the holder must be the student (caseworker)',
  request: { params: StudentParams, body: json(ChangeBankAccountBody) },
  responses: { 200: student('The student after the change'), ...errorResponses },
});

const contact = createRoute({
  method: 'post',
  path: '/students/{studentId}/contact',
  tags,
  security,
  summary: 'Replace or remove the student’s phone number (caseworker)',
  request: { params: StudentParams, body: json(ContactBody) },
  responses: { 200: student('The student after the change'), ...errorResponses },
});

export const studentRoutes = new OpenAPIHono<AppEnv>()
  .openapi(register, async (c) => c.json(await registerStudent({ ctx: serviceContext(c), input: c.req.valid('json') }), 201))
  .openapi(search, async (c) => c.json(await searchStudents({ ctx: serviceContext(c), input: c.req.valid('query') }), 200))
  .openapi(get, async (c) => c.json(await getStudent({ ctx: serviceContext(c), input: c.req.valid('param') }), 200))
  .openapi(unmask, async (c) => c.json(await unmaskStudent({ ctx: serviceContext(c), input: { ...c.req.valid('json'), ...c.req.valid('param') } }), 200))
  .openapi(bankAccount, async (c) =>
    c.json(await changeBankAccount({ ctx: serviceContext(c), input: { ...c.req.valid('json'), ...c.req.valid('param') } }), 200),
  )
  .openapi(contact, async (c) =>
    c.json(await updateStudentContact({ ctx: serviceContext(c), input: { ...c.req.valid('json'), ...c.req.valid('param') } }), 200),
  )
  .route('/', recognitionRoutes)
  .route('/', enrolmentRoutes);
