// Students: registration, search, one student, its whole values for a stated purpose, and changes
// to its account and phone. Their recognitions and enrolments are in recognitions.ts and enrolments.ts.
import { z } from '@hono/zod-openapi';
import { searchStudents } from '../../services/student-search.ts';
import { correctStudentName } from '../../services/student-name.ts';
import { changeBankAccount, getStudent, registerStudent, unmaskStudent, updateStudentContact } from '../../services/students.ts';
import { jsonBody, jsonResponse, routeGroup } from '../define-route.ts';
import { PageQuery, Uuid } from '../schemas/common.ts';
import {
  ChangeBankAccountBody,
  ContactBody,
  NameCorrectionBody,
  RegisterStudentBody,
  StudentOut,
  StudentPage,
  StudentSearchQuery,
  UnmaskBody,
  UnmaskedStudentOut,
} from '../schemas/students.ts';

const { get, post } = routeGroup({ tags: ['Students'] });
const StudentParams = z.object({ studentId: Uuid });

export const studentRoutes = [
  post('/students', 'student.register', {
    summary: 'Register a student in the caller’s department (caseworker)',
    description:
      'The identity number is verified (length, characters, check digit, birth date, region: 400 naming identityNumber with the reason), the gender must match it, and the bank account must be in the student’s name (422 account_holder_not_student). A number already registered answers 409 duplicate_student, with existingId only when the caller may see that student.',
    request: { body: jsonBody(RegisterStudentBody) },
    responses: { 201: jsonResponse('Registered; personal values masked', StudentOut) },
  }).runs(registerStudent),
  get('/students', 'student.read', {
    summary: 'Find students in the caller’s scope, newest first',
    request: { query: PageQuery.extend(StudentSearchQuery.shape) },
    responses: { 200: jsonResponse('A page', StudentPage) },
  }).runs(searchStudents),
  get('/students/{studentId}', 'student.read', {
    summary: 'One student, personal values masked',
    request: { params: StudentParams },
    responses: { 200: jsonResponse('The student', StudentOut) },
  }).runs(getStudent),
  post('/students/{studentId}/unmask', 'student.unmask', {
    summary: 'Whole name, identity number, phone and account number, for a stated purpose; audited (caseworker, approver, finance)',
    request: { params: StudentParams, body: jsonBody(UnmaskBody) },
    responses: { 200: jsonResponse('The whole values', UnmaskedStudentOut) },
  }).runs(unmaskStudent),
  post('/students/{studentId}/bank-account', 'student.update', {
    summary: 'Replace the student’s bank account; the holder must be the student (caseworker)',
    request: { params: StudentParams, body: jsonBody(ChangeBankAccountBody) },
    responses: { 200: jsonResponse('The student after the change', StudentOut) },
  }).runs(changeBankAccount),
  post('/students/{studentId}/name-correction', 'student.update', {
    summary: 'Correct the student’s name, with the reason (caseworker); payouts already made keep the name they were sent with',
    request: { params: StudentParams, body: jsonBody(NameCorrectionBody) },
    responses: { 200: jsonResponse('The student after the correction', StudentOut) },
  }).runs(correctStudentName),
  post('/students/{studentId}/contact', 'student.update', {
    summary: 'Replace or remove the student’s phone number (caseworker)',
    request: { params: StudentParams, body: jsonBody(ContactBody) },
    responses: { 200: jsonResponse('The student after the change', StudentOut) },
  }).runs(updateStudentContact),
];
