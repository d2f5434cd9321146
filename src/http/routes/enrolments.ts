import { z } from '@hono/zod-openapi';
import { changeEnrolmentStatus, getEnrolment, listEnrolments, recordEnrolment, verifyEnrolment } from '../../services/enrolments.ts';
import { jsonBody, jsonResponse, routeGroup } from '../define-route.ts';
import { PageQuery, Uuid } from '../schemas/common.ts';
import { ChangeEnrolmentStatusBody, EnrolmentOut, EnrolmentPage, RecordEnrolmentBody, VerifyEnrolmentBody } from '../schemas/students.ts';

const { get, post } = routeGroup({ tags: ['Enrolment'] });
const StudentParams = z.object({ studentId: Uuid });
const EnrolmentParams = StudentParams.extend({ enrolmentId: Uuid });

export const enrolmentRoutes = [
  post('/students/{studentId}/enrolments', 'enrolment.record', {
    summary: 'Record an enrolment (学籍); its status starts as enrolled on the admission date (caseworker)',
    request: { params: StudentParams, body: jsonBody(RecordEnrolmentBody) },
    responses: { 201: jsonResponse('Recorded', EnrolmentOut) },
  }).runs(recordEnrolment),
  get('/students/{studentId}/enrolments', 'student.read', {
    summary: 'Enrolments of a student with their status history and verifications, latest admission first',
    request: { params: StudentParams, query: PageQuery },
    responses: { 200: jsonResponse('A page', EnrolmentPage) },
  }).runs(listEnrolments),
  get('/students/{studentId}/enrolments/{enrolmentId}', 'student.read', {
    summary: 'One enrolment with its status history and verifications',
    request: { params: EnrolmentParams },
    responses: { 200: jsonResponse('The enrolment', EnrolmentOut) },
  }).runs(getEnrolment),
  post('/students/{studentId}/enrolments/{enrolmentId}/status', 'enrolment.change_status', {
    summary: 'Change the status: an event with an effective date (caseworker)',
    description:
      'enrolled ↔ suspended; enrolled or suspended → graduated or withdrawn. graduated and withdrawn are final (422 enrolment_ended). The effective date may not precede the current status’s, nor be after today. In the same transaction the approved grants resting on the enrolment follow: suspended holds their scheduled instalments, enrolled again schedules them, graduated or withdrawn ends the grants of years not over on the effective date (unsent instalments cancelled, their sum back to the fund).',
    request: { params: EnrolmentParams, body: jsonBody(ChangeEnrolmentStatusBody) },
    responses: { 200: jsonResponse('The enrolment after the change', EnrolmentOut) },
  }).runs(changeEnrolmentStatus),
  post('/students/{studentId}/enrolments/{enrolmentId}/verifications', 'enrolment.verify', {
    summary: 'Record a verification of the enrolment (学籍核验): when, from which source (caseworker)',
    request: { params: EnrolmentParams, body: jsonBody(VerifyEnrolmentBody) },
    responses: { 201: jsonResponse('The enrolment with the new verification', EnrolmentOut) },
  }).runs(verifyEnrolment),
];
