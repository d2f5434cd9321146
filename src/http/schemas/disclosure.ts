// Shape of the quarterly disclosure report (慈善项目实施情况公开, src/domain/disclosure-report.ts):
// aggregates only; a hidden (small) cell has null values and `suppressed: true`.
import { z } from '@hono/zod-openapi';
import { ENROLMENT_LEVELS } from '../../domain/eligibility.ts';
import { EMPOWERMENT_KINDS } from '../../domain/empowerment.ts';
import { MoneyOut } from './common.ts';

const Count = z.number().int().nullable();
const GrantCell = z.object({ students: Count, grants: Count.openapi({ description: '人次: grants' }), amount: MoneyOut.nullable(), suppressed: z.boolean() });
const PersonTimeCell = z.object({ personTimes: Count, students: Count, suppressed: z.boolean() });
const OutcomeCounts = z.object({
  graduatedOnTime: Count,
  graduatedLate: Count,
  stillStudying: Count,
  withdrawn: Count,
  employedWithinSixMonths: Count,
  furtherStudyWithinSixMonths: Count,
  otherOrUnknown: Count,
});

export const DisclosureOut = z
  .object({
    content: z.object({
      format: z.string(),
      programme: z.object({ code: z.string(), name: z.string() }),
      period: z.object({ quarter: z.string().openapi({ example: '2026Q1' }), startsOn: z.string(), endsOn: z.string() }),
      ledger: z.object({ throughSeq: z.string().nullable(), headHash: z.string().nullable() }),
      currency: z.literal('CNY'),
      funds: z.object({ receivedInQuarter: MoneyOut, receivedToDate: MoneyOut, uncommittedAtQuarterEnd: MoneyOut }),
      grants: z.object({
        total: GrantCell,
        byLevel: z.array(GrantCell.extend({ level: z.enum(ENROLMENT_LEVELS), label: z.string() })),
        byPrefecture: z.array(GrantCell.extend({ regionCode: z.string(), regionName: z.string() })),
      }),
      payments: z.object({ paidInQuarter: MoneyOut, returnedInQuarter: MoneyOut, cancelledInQuarter: MoneyOut, remainingAtQuarterEnd: MoneyOut }),
      empowerment: z.object({ total: PersonTimeCell, byKind: z.array(PersonTimeCell.extend({ kind: z.enum(EMPOWERMENT_KINDS), label: z.string() })) }),
      outcomes: z.object({
        asOf: z.string(),
        cohorts: z.array(
          z.object({
            cohort: z.string(),
            students: Count,
            counts: OutcomeCounts,
            internshipsCompleted: Count,
            coursesCompleted: Count,
            suppressed: z.boolean(),
          }),
        ),
      }),
      suppressionRule: z.object({ threshold: z.number().int(), zh: z.string(), en: z.string() }),
    }),
    contentSha256: z.string().openapi({ description: 'SHA-256 (hex) of the canonical JSON (RFC 8785) of `content`' }),
  })
  .openapi('DisclosureReport');
