import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { listRecognitions, recordRecognition } from '../../services/recognitions.ts';
import { serviceContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { PageQuery, Uuid, errorResponses, security } from '../schemas/common.ts';
import { RecognitionOut, RecognitionPage, RecordRecognitionBody } from '../schemas/students.ts';

const tags = ['Recognition'];
const StudentParams = z.object({ studentId: Uuid });

const record = createRoute({
  method: 'post',
  path: '/students/{studentId}/recognitions',
  tags,
  security,
  summary: 'Record a recognition as de facto unsupported (事实无人抚养认定) with its evidence; the rule’s result is stored with it (caseworker)',
  description:
    'Refused (422) when dated in the future, before birth or on/after the 18th birthday (recognised_at_or_after_18). A recognition the rule does not accept for other reasons (adoption, orphan, a parent able to raise the child, grade 3–4 disability, lost contact under 6 months) is stored with qualifies=false and its reasons.',
  request: { params: StudentParams, body: { required: true, content: { 'application/json': { schema: RecordRecognitionBody } } } },
  responses: { 201: { description: 'Recorded', content: { 'application/json': { schema: RecognitionOut } } }, ...errorResponses },
});

const list = createRoute({
  method: 'get',
  path: '/students/{studentId}/recognitions',
  tags,
  security,
  summary: 'Recognitions of a student, latest recognition date first',
  request: { params: StudentParams, query: PageQuery },
  responses: { 200: { description: 'A page', content: { 'application/json': { schema: RecognitionPage } } }, ...errorResponses },
});

export const recognitionRoutes = new OpenAPIHono<AppEnv>()
  .openapi(record, async (c) =>
    c.json(await recordRecognition({ ctx: serviceContext(c), input: { ...c.req.valid('json'), ...c.req.valid('param') } }), 201),
  )
  .openapi(list, async (c) => c.json(await listRecognitions({ ctx: serviceContext(c), input: { ...c.req.valid('query'), ...c.req.valid('param') } }), 200));
