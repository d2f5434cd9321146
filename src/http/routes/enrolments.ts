import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { changeEnrolmentStatus, getEnrolment, listEnrolments, recordEnrolment, verifyEnrolment } from '../../services/enrolments.ts';
import { serviceContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { PageQuery, Uuid, errorResponses, security } from '../schemas/common.ts';
import { ChangeEnrolmentStatusBody, EnrolmentOut, EnrolmentPage, RecordEnrolmentBody, VerifyEnrolmentBody } from '../schemas/students.ts';

const tags = ['Enrolment'];
const StudentParams = z.object({ studentId: Uuid });
const EnrolmentParams = StudentParams.extend({ enrolmentId: Uuid });
const json = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
const one = (description: string) => ({ description, content: { 'application/json': { schema: EnrolmentOut } } });

const record = createRoute({
  method: 'post',
  path: '/students/{studentId}/enrolments',
  tags,
  security,
  summary: 'Record an enrolment (学籍); its status starts as enrolled on the admission date (caseworker)',
  request: { params: StudentParams, body: json(RecordEnrolmentBody) },
  responses: { 201: one('Recorded'), ...errorResponses },
});

const list = createRoute({
  method: 'get',
  path: '/students/{studentId}/enrolments',
  tags,
  security,
  summary: 'Enrolments of a student with their status history and verifications, latest admission first',
  request: { params: StudentParams, query: PageQuery },
  responses: { 200: { description: 'A page', content: { 'application/json': { schema: EnrolmentPage } } }, ...errorResponses },
});

const get = createRoute({
  method: 'get',
  path: '/students/{studentId}/enrolments/{enrolmentId}',
  tags,
  security,
  summary: 'One enrolment with its status history and verifications',
  request: { params: EnrolmentParams },
  responses: { 200: one('The enrolment'), ...errorResponses },
});

const changeStatus = createRoute({
  method: 'post',
  path: '/students/{studentId}/enrolments/{enrolmentId}/status',
  tags,
  security,
  summary: 'Change the status: an event with an effective date (caseworker)',
  description:
    'enrolled ↔ suspended; enrolled or suspended → graduated or withdrawn. graduated and withdrawn are final (422 enrolment_ended). The effective date may not precede the current status’s, nor be after today. In the same transaction the approved grants resting on the enrolment follow: suspended holds their scheduled instalments, enrolled again schedules them, graduated or withdrawn ends the grants of years not over on the effective date (unsent instalments cancelled, their sum back to the fund).',
  request: { params: EnrolmentParams, body: json(ChangeEnrolmentStatusBody) },
  responses: { 200: one('The enrolment after the change'), ...errorResponses },
});

const verify = createRoute({
  method: 'post',
  path: '/students/{studentId}/enrolments/{enrolmentId}/verifications',
  tags,
  security,
  summary: 'Record a verification of the enrolment (学籍核验): when, from which source (caseworker)',
  request: { params: EnrolmentParams, body: json(VerifyEnrolmentBody) },
  responses: { 201: one('The enrolment with the new verification'), ...errorResponses },
});

export const enrolmentRoutes = new OpenAPIHono<AppEnv>()
  .openapi(record, async (c) => c.json(await recordEnrolment({ ctx: serviceContext(c), input: { ...c.req.valid('json'), ...c.req.valid('param') } }), 201))
  .openapi(list, async (c) => c.json(await listEnrolments({ ctx: serviceContext(c), input: { ...c.req.valid('query'), ...c.req.valid('param') } }), 200))
  .openapi(get, async (c) => c.json(await getEnrolment({ ctx: serviceContext(c), input: c.req.valid('param') }), 200))
  .openapi(changeStatus, async (c) =>
    c.json(await changeEnrolmentStatus({ ctx: serviceContext(c), input: { ...c.req.valid('json'), ...c.req.valid('param') } }), 200),
  )
  .openapi(verify, async (c) => c.json(await verifyEnrolment({ ctx: serviceContext(c), input: { ...c.req.valid('json'), ...c.req.valid('param') } }), 201));
