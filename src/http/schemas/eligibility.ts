import { z } from '@hono/zod-openapi';
import { ELIGIBILITY_RULES } from '../../domain/eligibility.ts';
import {
  ApproveEligibilityInput,
  Cohort,
  EligibilityStatus,
  ListEligibilityInput,
  ProposeEligibilityInput,
  RejectEligibilityInput,
  RevokeEligibilityInput,
} from '../../services/eligibility.ts';
import { Uuid, pageOf } from './common.ts';
import { ProgrammeRef, StudentRef } from './references.ts';
import { EnrolmentLevel } from './programmes.ts';

export { Cohort, EligibilityStatus };
export const EligibilityRule = z.enum(ELIGIBILITY_RULES as [string, ...string[]]).openapi('EligibilityRule');

export const ProposeEligibilityBody = ProposeEligibilityInput.meta({
  id: 'ProposeEligibility',
  example: { studentId: '6a1d6f0e-3c1b-4f0e-9a57-1b2c3d4e5f60', programmeId: '0f8fad5b-d9cb-469f-a165-70867728950e', academicYear: '2026-2027' },
});

export const ApproveEligibilityBody = ApproveEligibilityInput.omit({ id: true }).meta({
  id: 'ApproveEligibility',
  example: { reason: '材料齐全，学籍已核实' },
});

export const RejectEligibilityBody = RejectEligibilityInput.omit({ id: true }).meta({
  id: 'RejectEligibility',
  example: { reason: '学籍核验记录与学信网不一致，请重新核实' },
});

export const RevokeEligibilityBody = RevokeEligibilityInput.omit({ id: true }).meta({
  id: 'RevokeEligibility',
  example: { reason: '学生已于2027年3月退学', effectiveOn: '2027-03-01' },
});

export const EligibilityQuery = ListEligibilityInput;

export const RuleResultOut = z
  .object({ rule: EligibilityRule, passed: z.boolean(), detail_zh: z.string(), detail_en: z.string() })
  .openapi('EligibilityRuleResult');

const ruleExample = [
  {
    rule: 'age_18_at_year_start',
    passed: true,
    detail_zh: '学年开始日（2026-09-01）已满18周岁',
    detail_en: '18 or older on the first day of the academic year (2026-09-01).',
  },
  {
    rule: 'recognised_before_18',
    passed: true,
    detail_zh: '未满18周岁时已被认定为事实无人抚养儿童',
    detail_en: 'Recognised as a de facto unsupported child before turning 18.',
  },
  { rule: 'not_adopted', passed: true, detail_zh: '未被收养', detail_en: 'Not adopted.' },
  { rule: 'level_funded', passed: true, detail_zh: '就读层次（本科）在本项目资助范围内', detail_en: 'The programme funds this level (undergraduate).' },
  { rule: 'enrolment_active', passed: true, detail_zh: '学籍状态：在读', detail_en: 'Enrolment status: enrolled.' },
  {
    rule: 'enrolment_verified_for_year',
    passed: true,
    detail_zh: '2026-2027学年内已核实学籍',
    detail_en: 'Enrolment verified within academic year 2026-2027.',
  },
  { rule: 'enrolment_covers_year', passed: true, detail_zh: '在读期间覆盖该学年', detail_en: 'The period of study covers the academic year.' },
];

export const EligibilityOut = z
  .object({
    id: Uuid,
    student: StudentRef,
    programme: ProgrammeRef,
    academicYear: z.string().openapi({ example: '2026-2027' }),
    status: EligibilityStatus,
    cohort: Cohort,
    eligible: z.boolean().openapi({ description: 'Every rule passed at proposal' }),
    failedRules: z.array(EligibilityRule).openapi({ description: 'Rules that failed at proposal, in evaluation order' }),
    ruleResults: z.array(RuleResultOut).openapi({ description: 'Each rule as evaluated at proposal' }),
    decisionRuleResults: z.array(RuleResultOut).nullable().openapi({ description: 'Each rule as evaluated again at decision time' }),
    enrolment: z.object({ id: Uuid, level: EnrolmentLevel, institutionName: z.string() }).nullable(),
    recognitionId: Uuid.nullable(),
    proposedById: Uuid,
    proposedAt: z.string(),
    decision: z.object({ decidedById: Uuid, decidedAt: z.string(), reason: z.string().nullable() }).nullable(),
    revocation: z.object({ revokedById: Uuid, revokedAt: z.string(), effectiveOn: z.string(), reason: z.string() }).nullable(),
  })
  .openapi('EligibilityDetermination', {
    example: {
      id: '3b241101-e2bb-4255-8caf-4136c566a962',
      student: { id: '6a1d6f0e-3c1b-4f0e-9a57-1b2c3d4e5f60', nameMasked: '才***', identityNumberMasked: '630102********1234' },
      programme: { id: '0f8fad5b-d9cb-469f-a165-70867728950e', code: 'QH-QINGSHAN-2024', name: '青山陪伴·事实无人抚养儿童助学工程' },
      academicYear: '2026-2027',
      status: 'approved',
      cohort: 'continuing',
      eligible: true,
      failedRules: [],
      ruleResults: ruleExample,
      decisionRuleResults: ruleExample,
      enrolment: { id: '9b2e0c44-0f8a-4c8e-9d43-7a1e5b6c7d80', level: 'undergraduate', institutionName: '青海大学' },
      recognitionId: 'c56a4180-65aa-42ec-a945-5fd21dec0538',
      proposedById: '1c9b3f0e-8a4d-4f7e-b1a2-3c4d5e6f7a80',
      proposedAt: '2026-10-08T02:15:00.000Z',
      decision: { decidedById: '7d444840-9dc0-11d1-b245-5ffdce74fad2', decidedAt: '2026-10-09T06:40:00.000Z', reason: '材料齐全，学籍已核实' },
      revocation: null,
    },
  });

export const EligibilityPage = pageOf(EligibilityOut, 'EligibilityPage');
