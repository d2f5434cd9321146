// POST /students/bulk-steps: the caseworker's bulk step (src/services/bulk-step.ts) for scripts —
// one request instead of a verification, an eligibility and a grant request per student.
import { runBulkStep } from '../../services/bulk-step.ts';
import { jsonBody, jsonResponse, routeGroup } from '../define-route.ts';
import { BulkStepBody, BulkStepOut } from '../schemas/bulk-steps.ts';

const { post } = routeGroup({ tags: ['Students'] });

export const bulkStepRoutes = [
  post('/students/bulk-steps', 'eligibility.propose', {
    summary: 'For up to 5,000 students: this year’s enrolment verification, the eligibility proposal and the grant proposal (caseworker)',
    description: [
      'Each student is a transaction of their own through the single-record use cases (each record keeps its rule results and audit event). A student a rule refuses has nothing written and is listed with the reasons in Chinese; the others go on. `outcome` says exactly which students were written.',
      'Run again on the same students it writes nothing twice: what was done before is reported (`already`), not refused. A grant needs approved eligibility: the first run proposes eligibility (`grant: awaiting_approval`), and once an approver approved it the same request proposes the grant at the amount given for the student’s level.',
      'Refused as a whole (400 naming the field): more than 5,000 students, an amount outside its level’s band, a verification date outside the academic year or after today.',
    ].join('\n\n'),
    request: { body: jsonBody(BulkStepBody) },
    responses: { 200: jsonResponse('Every student’s result', BulkStepOut) },
  }).runs(runBulkStep),
];
