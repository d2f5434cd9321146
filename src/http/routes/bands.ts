import { z } from '@hono/zod-openapi';
import { setProgrammeBands } from '../../services/bands.ts';
import { jsonBody, jsonResponse, routeGroup } from '../define-route.ts';
import { AcademicYear, Uuid } from '../schemas/common.ts';
import { ProgrammeYearBandsOut, SetBandsBody } from '../schemas/grants.ts';

const { put } = routeGroup({ tags: ['Programmes'] });

export const bandRoutes = [
  put('/programmes/{programmeId}/bands/{academicYear}', 'band.manage', {
    summary: 'Set the bands of one academic year: per level, the minimum and maximum annual grant (admin)',
    description:
      'A year without bands gets them; a year with bands has them replaced as a whole (levels left out are no longer funded that year). Refused with 409 `bands_locked` once a grant of that year is approved — the database refuses it too; 422 `academic_year_outside_programme` for a year the programme does not run.',
    request: { params: z.object({ programmeId: Uuid, academicYear: AcademicYear }), body: jsonBody(SetBandsBody) },
    responses: { 200: jsonResponse('The year’s bands as set', ProgrammeYearBandsOut) },
  }).runs(setProgrammeBands),
];
