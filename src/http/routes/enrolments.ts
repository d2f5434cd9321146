import { z } from '@hono/zod-openapi';
import { changeEnrolmentStatus, getEnrolment, listEnrolments, recordEnrolment, verifyEnrolment } from '../../services/enrolments.ts';
import { serviceContext } from '../context.ts';
import { defineRoute, jsonBody, jsonResponse } from '../define-route.ts';
import { PageQuery, Uuid } from '../schemas/common.ts';
import { ChangeEnrolmentStatusBody, EnrolmentOut, EnrolmentPage, RecordEnrolmentBody, VerifyEnrolmentBody } from '../schemas/students.ts';

const tags = ['Enrolment'];
const StudentParams = z.object({ studentId: Uuid });
const EnrolmentParams = StudentParams.extend({ enrolmentId: Uuid });

const record = defineRoute(
  {
    method: 'post',
    path: '/students/{studentId}/enrolments',
    action: 'enrolment.record',
    tags,
    summary: 'Record an enrolment (学籍); its status starts as enrolled on the admission date (caseworker)',
    request: { params: StudentParams, body: jsonBody(RecordEnrolmentBody) },
    responses: { 201: jsonResponse('Recorded', EnrolmentOut) },
  },
  async (c) => c.json(await recordEnrolment({ ctx: serviceContext(c), input: { ...c.req.valid('json'), ...c.req.valid('param') } }), 201),
);

const list = defineRoute(
  {
    method: 'get',
    path: '/students/{studentId}/enrolments',
    action: 'student.read',
    tags,
    summary: 'Enrolments of a student with their status history and verifications, latest admission first',
    request: { params: StudentParams, query: PageQuery },
    responses: { 200: jsonResponse('A page', EnrolmentPage) },
  },
  async (c) => c.json(await listEnrolments({ ctx: serviceContext(c), input: { ...c.req.valid('query'), ...c.req.valid('param') } }), 200),
);

const get = defineRoute(
  {
    method: 'get',
    path: '/students/{studentId}/enrolments/{enrolmentId}',
    action: 'student.read',
    tags,
    summary: 'One enrolment with its status history and verifications',
    request: { params: EnrolmentParams },
    responses: { 200: jsonResponse('The enrolment', EnrolmentOut) },
  },
  async (c) => c.json(await getEnrolment({ ctx: serviceContext(c), input: c.req.valid('param') }), 200),
);

const changeStatus = defineRoute(
  {
    method: 'post',
    path: '/students/{studentId}/enrolments/{enrolmentId}/status',
    action: 'enrolment.change_status',
    tags,
    summary: 'Change the status: an event with an effective date (caseworker)',
    description:
      'enrolled ↔ suspended; enrolled or suspended → graduated or withdrawn. graduated and withdrawn are final (422 enrolment_ended). The effective date may not precede the current status’s, nor be after today. In the same transaction the approved grants resting on the enrolment follow: suspended holds their scheduled instalments, enrolled again schedules them, graduated or withdrawn ends the grants of years not over on the effective date (unsent instalments cancelled, their sum back to the fund).',
    request: { params: EnrolmentParams, body: jsonBody(ChangeEnrolmentStatusBody) },
    responses: { 200: jsonResponse('The enrolment after the change', EnrolmentOut) },
  },
  async (c) => c.json(await changeEnrolmentStatus({ ctx: serviceContext(c), input: { ...c.req.valid('json'), ...c.req.valid('param') } }), 200),
);

const verify = defineRoute(
  {
    method: 'post',
    path: '/students/{studentId}/enrolments/{enrolmentId}/verifications',
    action: 'enrolment.verify',
    tags,
    summary: 'Record a verification of the enrolment (学籍核验): when, from which source (caseworker)',
    request: { params: EnrolmentParams, body: jsonBody(VerifyEnrolmentBody) },
    responses: { 201: jsonResponse('The enrolment with the new verification', EnrolmentOut) },
  },
  async (c) => c.json(await verifyEnrolment({ ctx: serviceContext(c), input: { ...c.req.valid('json'), ...c.req.valid('param') } }), 201),
);

export const enrolmentRoutes = [record, list, get, changeStatus, verify];
