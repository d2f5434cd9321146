import { z } from '@hono/zod-openapi';
import { listRecognitions, recordRecognition } from '../../services/recognitions.ts';
import { jsonBody, jsonResponse, routeGroup } from '../define-route.ts';
import { PageQuery, Uuid } from '../schemas/common.ts';
import { RecognitionOut, RecognitionPage, RecordRecognitionBody } from '../schemas/students.ts';

const { get, post } = routeGroup({ tags: ['Recognition'] });
const StudentParams = z.object({ studentId: Uuid });

export const recognitionRoutes = [
  post('/students/{studentId}/recognitions', 'recognition.record', {
    summary: 'Record a recognition as de facto unsupported (事实无人抚养认定) with its evidence; the rule’s result is stored with it (caseworker)',
    description:
      'Refused (422) when dated in the future, before birth or on/after the 18th birthday (recognised_at_or_after_18). A recognition the rule does not accept for other reasons (adoption, orphan, a parent able to raise the child, grade 3–4 disability, lost contact under 6 months) is stored with qualifies=false and its reasons.',
    request: { params: StudentParams, body: jsonBody(RecordRecognitionBody) },
    responses: { 201: jsonResponse('Recorded', RecognitionOut) },
  }).runs(recordRecognition),
  get('/students/{studentId}/recognitions', 'student.read', {
    summary: 'Recognitions of a student, latest recognition date first',
    request: { params: StudentParams, query: PageQuery },
    responses: { 200: jsonResponse('A page', RecognitionPage) },
  }).runs(listRecognitions),
];
