import { z } from '@hono/zod-openapi';
import { setProgrammeBands } from '../../services/bands.ts';
import { serviceContext } from '../context.ts';
import { defineRoute, jsonBody, jsonResponse } from '../define-route.ts';
import { AcademicYear, Uuid } from '../schemas/common.ts';
import { ProgrammeYearBandsOut, SetBandsBody } from '../schemas/grants.ts';

const setBands = defineRoute(
  {
    method: 'put',
    path: '/programmes/{programmeId}/bands/{academicYear}',
    action: 'band.manage',
    tags: ['Programmes'],
    summary: 'Set the bands of one academic year: per level, the minimum and maximum annual grant (admin)',
    description:
      'A year without bands gets them; a year with bands has them replaced as a whole (levels left out are no longer funded that year). Refused with 409 `bands_locked` once a grant of that year is approved — the database refuses it too; 422 `academic_year_outside_programme` for a year the programme does not run.',
    request: { params: z.object({ programmeId: Uuid, academicYear: AcademicYear }), body: jsonBody(SetBandsBody) },
    responses: { 200: jsonResponse('The year’s bands as set', ProgrammeYearBandsOut) },
  },
  async (c) => c.json(await setProgrammeBands({ ctx: serviceContext(c), input: { ...c.req.valid('param'), ...c.req.valid('json') } }), 200),
);

export const bandRoutes = [setBands];
