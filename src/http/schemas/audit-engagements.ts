import { z } from '@hono/zod-openapi';
import { CreateAuditEngagementInput, EngagementScopeEnum, ListAuditEngagementsInput } from '../../services/audit-engagements.ts';
import { Uuid, pageOf } from './common.ts';

export const EngagementScope = EngagementScopeEnum;

export const CreateAuditEngagementBody = CreateAuditEngagementInput.meta({ id: 'CreateAuditEngagement' });

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

export const AuditEngagementQuery = ListAuditEngagementsInput;
