// Students: registration, search, one student, its whole values for a stated purpose, and changes
// to its account and phone. Their recognitions and enrolments are in recognitions.ts and enrolments.ts.
import { z } from '@hono/zod-openapi';
import { searchStudents } from '../../services/student-search.ts';
import { changeBankAccount, getStudent, registerStudent, unmaskStudent, updateStudentContact } from '../../services/students.ts';
import { serviceContext } from '../context.ts';
import { defineRoute, jsonBody, jsonResponse } from '../define-route.ts';
import { PageQuery, Uuid } from '../schemas/common.ts';
import {
  ChangeBankAccountBody,
  ContactBody,
  RegisterStudentBody,
  StudentOut,
  StudentPage,
  StudentSearchQuery,
  UnmaskBody,
  UnmaskedStudentOut,
} from '../schemas/students.ts';

const tags = ['Students'];
const StudentParams = z.object({ studentId: Uuid });

const register = defineRoute(
  {
    method: 'post',
    path: '/students',
    action: 'student.register',
    tags,
    summary: 'Register a student in the caller’s department (caseworker)',
    description:
      'The identity number is verified (length, characters, check digit, birth date, region: 400 naming identityNumber with the reason), the gender must match it, and the bank account must be in the student’s name (422 account_holder_not_student). A number already registered answers 409 duplicate_student, with existingId only when the caller may see that student.',
    request: { body: jsonBody(RegisterStudentBody) },
    responses: { 201: jsonResponse('Registered; personal values masked', StudentOut) },
  },
  async (c) => c.json(await registerStudent({ ctx: serviceContext(c), input: c.req.valid('json') }), 201),
);

const search = defineRoute(
  {
    method: 'get',
    path: '/students',
    action: 'student.read',
    tags,
    summary: 'Find students in the caller’s scope, newest first',
    request: { query: PageQuery.extend(StudentSearchQuery.shape) },
    responses: { 200: jsonResponse('A page', StudentPage) },
  },
  async (c) => c.json(await searchStudents({ ctx: serviceContext(c), input: c.req.valid('query') }), 200),
);

const get = defineRoute(
  {
    method: 'get',
    path: '/students/{studentId}',
    action: 'student.read',
    tags,
    summary: 'One student, personal values masked',
    request: { params: StudentParams },
    responses: { 200: jsonResponse('The student', StudentOut) },
  },
  async (c) => c.json(await getStudent({ ctx: serviceContext(c), input: c.req.valid('param') }), 200),
);

const unmask = defineRoute(
  {
    method: 'post',
    path: '/students/{studentId}/unmask',
    action: 'student.unmask',
    tags,
    summary: 'Whole name, identity number, phone and account number, for a stated purpose; audited (caseworker, approver, finance)',
    request: { params: StudentParams, body: jsonBody(UnmaskBody) },
    responses: { 200: jsonResponse('The whole values', UnmaskedStudentOut) },
  },
  async (c) => c.json(await unmaskStudent({ ctx: serviceContext(c), input: { ...c.req.valid('json'), ...c.req.valid('param') } }), 200),
);

const bankAccount = defineRoute(
  {
    method: 'post',
    path: '/students/{studentId}/bank-account',
    action: 'student.update',
    tags,
    summary: 'Replace the student’s bank account; the holder must be the student (caseworker)',
    request: { params: StudentParams, body: jsonBody(ChangeBankAccountBody) },
    responses: { 200: jsonResponse('The student after the change', StudentOut) },
  },
  async (c) => c.json(await changeBankAccount({ ctx: serviceContext(c), input: { ...c.req.valid('json'), ...c.req.valid('param') } }), 200),
);

const contact = defineRoute(
  {
    method: 'post',
    path: '/students/{studentId}/contact',
    action: 'student.update',
    tags,
    summary: 'Replace or remove the student’s phone number (caseworker)',
    request: { params: StudentParams, body: jsonBody(ContactBody) },
    responses: { 200: jsonResponse('The student after the change', StudentOut) },
  },
  async (c) => c.json(await updateStudentContact({ ctx: serviceContext(c), input: { ...c.req.valid('json'), ...c.req.valid('param') } }), 200),
);

export const studentRoutes = [register, search, get, unmask, bankAccount, contact];
