import { z } from '@hono/zod-openapi';
import { ENGAGEMENT_SCOPES } from '../../domain/audit-engagements.ts';
import { IsoDate, PageQuery, Uuid, pageOf } from './common.ts';

export const EngagementScope = z.enum(ENGAGEMENT_SCOPES).openapi({ description: '`all` programmes, or the `programmes` listed in programmeIds' });

export const CreateAuditEngagementBody = z
  .strictObject({
    auditorOrganisationId: Uuid.meta({ description: 'An organisation of kind `audit` or `platform`' }),
    scope: EngagementScope,
    programmeIds: z.array(Uuid).max(500).optional().openapi({ description: 'Required (at least one) for scope `programmes`; none for `all`' }),
    startsOn: IsoDate.meta({ description: 'First day covered (China date)' }),
    endsOn: IsoDate.nullable().optional().openapi({ description: 'Last day covered (China date); null or absent: open-ended' }),
  })
  .openapi('CreateAuditEngagement');

const Named = z.object({ id: Uuid, code: z.string(), name: z.string() });

export const AuditEngagementOut = z
  .object({
    id: Uuid,
    auditorOrganisation: Named,
    scope: EngagementScope,
    programmes: z.array(Named),
    startsOn: z.string(),
    endsOn: z.string().nullable(),
    current: z.boolean().openapi({ description: 'Covers today (China date) and not ended' }),
    createdById: Uuid,
    createdAt: z.string(),
    endedAt: z.string().nullable(),
    endedById: Uuid.nullable(),
  })
  .openapi('AuditEngagement');

export const AuditEngagementPage = pageOf(AuditEngagementOut, 'AuditEngagementPage');

export const AuditEngagementQuery = PageQuery.extend({ auditorOrganisationId: Uuid.optional() });
