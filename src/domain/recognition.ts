// Recognition as a de facto unsupported child (事实无人抚养儿童认定), 民发〔2019〕62号 as extended by
// 民发〔2020〕125号, as a pure function of the recorded facts.
//
// The rule:
// - a child qualifies when BOTH parents are each in an incapacity situation, or ONE parent is deceased
//   or missing (失踪, declared missing) and the OTHER is in an incapacity situation;
// - incapacity situations: serious disability (重残, disability certificate grade 1 or 2), serious
//   illness (重病), serving a sentence in custody (服刑在押), compulsory isolated drug rehabilitation
//   (强制隔离戒毒), other restriction of personal liberty (被执行其他限制人身自由的措施), lost contact
//   (失联: no contact and no support for 6 months or more), guardianship revoked by a court
//   (被撤销监护资格), deported (被遣送/驱逐出境);
// - the child must be under 18 on the recognition date, and not adopted (adoption ends the status).
//
// Interpretation we made (say so if policy reads otherwise): when BOTH parents are deceased or missing,
// in any mix, the child is an orphan (孤儿) and is covered by orphan support, not by this status; the
// rule above only lets a deceased/missing parent pair with an incapacitated one.
//
// Every failure yields a reason with a stable code, so the result can be stored with a determination
// and shown to people in Chinese and English. Nothing here throws, even on malformed input.
import { isIsoDate, type IsoDate } from './calendar-date.ts';
import { birthdayInYear } from './academic-year.ts';

/** Age at which a child stops being a child for this rule. */
export const ADULT_AGE = 18;
/** Lost contact (失联) counts from this many months without contact and without support. */
export const LOST_CONTACT_MIN_MONTHS = 6;
/** Disability certificate grades (残疾等级) that count as serious disability (重残). */
export const SEVERE_DISABILITY_GRADES: readonly number[] = Object.freeze([1, 2]);

export type ParentRole = 'father' | 'mother';

export type IncapacityKind =
  | 'severe_disability'
  | 'serious_illness'
  | 'serving_sentence'
  | 'compulsory_drug_rehab'
  | 'other_liberty_restriction'
  | 'lost_contact'
  | 'guardianship_revoked'
  | 'deported';

export type AbsenceKind = 'deceased' | 'missing';

export type ParentSituationKind = AbsenceKind | IncapacityKind | 'none';

export type ParentSituation =
  | { kind: 'deceased' }
  | { kind: 'missing' }
  /** Grade on the disability certificate, 1 (most severe) to 4. */
  | { kind: 'severe_disability'; disabilityGrade: number }
  | { kind: 'serious_illness' }
  | { kind: 'serving_sentence' }
  | { kind: 'compulsory_drug_rehab' }
  | { kind: 'other_liberty_restriction' }
  /** Completed months with neither contact nor support, up to the recognition date. */
  | { kind: 'lost_contact'; monthsWithoutContact: number }
  | { kind: 'guardianship_revoked' }
  | { kind: 'deported' }
  /** Able to raise the child. */
  | { kind: 'none' };

export const ABSENCE_KINDS: readonly AbsenceKind[] = Object.freeze(['deceased', 'missing']);
export const INCAPACITY_KINDS: readonly IncapacityKind[] = Object.freeze([
  'severe_disability',
  'serious_illness',
  'serving_sentence',
  'compulsory_drug_rehab',
  'other_liberty_restriction',
  'lost_contact',
  'guardianship_revoked',
  'deported',
]);
export const PARENT_SITUATION_KINDS: readonly ParentSituationKind[] = Object.freeze([...ABSENCE_KINDS, ...INCAPACITY_KINDS, 'none']);

/** Names of the situations for people (forms, reports). */
export const PARENT_SITUATION_LABELS: Readonly<Record<ParentSituationKind, { zh: string; en: string }>> = Object.freeze({
  deceased: { zh: '死亡', en: 'deceased' },
  missing: { zh: '失踪（宣告失踪）', en: 'missing (declared missing)' },
  severe_disability: { zh: '重残（残疾等级一、二级）', en: 'serious disability (grade 1 or 2)' },
  serious_illness: { zh: '重病', en: 'serious illness' },
  serving_sentence: { zh: '服刑在押', en: 'serving a sentence in custody' },
  compulsory_drug_rehab: { zh: '强制隔离戒毒', en: 'compulsory isolated drug rehabilitation' },
  other_liberty_restriction: { zh: '被执行其他限制人身自由的措施', en: 'other restriction of personal liberty' },
  lost_contact: { zh: '失联（6个月以上）', en: 'lost contact (6 months or more)' },
  guardianship_revoked: { zh: '被撤销监护资格', en: 'guardianship revoked by a court' },
  deported: { zh: '被遣送（驱逐）出境', en: 'deported' },
  none: { zh: '有抚养能力', en: 'able to raise the child' },
});

export type RecognitionReasonCode =
  | 'invalid_birth_date'
  | 'invalid_recognition_date'
  | 'recognised_before_birth'
  | 'recognised_at_or_after_18'
  | 'adopted'
  | 'adoption_unknown'
  | 'orphan_not_de_facto_unsupported'
  | 'parent_able_to_raise'
  | 'disability_grade_not_severe'
  | 'disability_grade_invalid'
  | 'lost_contact_under_6_months'
  | 'lost_contact_months_invalid'
  | 'parent_situation_unknown';

export interface RecognitionReason {
  code: RecognitionReasonCode;
  /** Which parent the reason is about, for per-parent reasons. */
  parent?: ParentRole;
  message_zh: string;
  message_en: string;
}

export interface RecognitionInput {
  childBirthDate: IsoDate;
  recognitionDate: IsoDate;
  adopted: boolean;
  father: ParentSituation;
  mother: ParentSituation;
}

export interface RecognitionResult {
  qualifies: boolean;
  reasons: RecognitionReason[];
}

const ROLE_ZH: Record<ParentRole, string> = { father: '父亲', mother: '母亲' };
const ROLE_EN: Record<ParentRole, string> = { father: 'father', mother: 'mother' };

type ParentStanding = { standing: 'absent' } | { standing: 'incapacitated' } | { standing: 'not_qualifying'; reason: RecognitionReason };

function parentReason(code: RecognitionReasonCode, parent: ParentRole, zh: string, en: string): RecognitionReason {
  return { code, parent, message_zh: `${ROLE_ZH[parent]}${zh}`, message_en: `The ${ROLE_EN[parent]} ${en}` };
}

/** Where one parent stands: absent (deceased/missing), incapacitated, or neither, with the reason why. */
export function classifyParent(situation: ParentSituation, parent: ParentRole): ParentStanding {
  const kind = (situation as { kind?: unknown } | null | undefined)?.kind;
  switch (kind) {
    case 'deceased':
    case 'missing':
      return { standing: 'absent' };
    case 'serious_illness':
    case 'serving_sentence':
    case 'compulsory_drug_rehab':
    case 'other_liberty_restriction':
    case 'guardianship_revoked':
    case 'deported':
      return { standing: 'incapacitated' };
    case 'severe_disability': {
      const grade = (situation as { disabilityGrade?: unknown }).disabilityGrade;
      if (typeof grade !== 'number' || !Number.isInteger(grade) || grade < 1 || grade > 4) {
        return {
          standing: 'not_qualifying',
          reason: parentReason(
            'disability_grade_invalid',
            parent,
            '的残疾等级缺失或无效（应为一至四级）',
            'has a missing or invalid disability grade (expected 1 to 4).',
          ),
        };
      }
      if (!SEVERE_DISABILITY_GRADES.includes(grade)) {
        return {
          standing: 'not_qualifying',
          reason: parentReason(
            'disability_grade_not_severe',
            parent,
            '残疾等级为三级或四级，不属于重残（须为一级或二级）',
            'has a grade 3 or 4 disability; serious disability needs grade 1 or 2.',
          ),
        };
      }
      return { standing: 'incapacitated' };
    }
    case 'lost_contact': {
      const months = (situation as { monthsWithoutContact?: unknown }).monthsWithoutContact;
      if (typeof months !== 'number' || !Number.isInteger(months) || months < 0) {
        return {
          standing: 'not_qualifying',
          reason: parentReason('lost_contact_months_invalid', parent, '的失联月数缺失或无效', 'has a missing or invalid number of months without contact.'),
        };
      }
      if (months < LOST_CONTACT_MIN_MONTHS) {
        return {
          standing: 'not_qualifying',
          reason: parentReason(
            'lost_contact_under_6_months',
            parent,
            '失联（未联系且未履行抚养义务）不满6个月',
            'has been out of contact (no contact and no support) for less than 6 months.',
          ),
        };
      }
      return { standing: 'incapacitated' };
    }
    case 'none':
      return {
        standing: 'not_qualifying',
        reason: parentReason(
          'parent_able_to_raise',
          parent,
          '有抚养能力，不属于死亡、失踪或无法履行抚养义务的情形',
          'is able to raise the child: neither deceased, missing nor in an incapacity situation.',
        ),
      };
    default:
      return {
        standing: 'not_qualifying',
        reason: parentReason('parent_situation_unknown', parent, '的情况未填写或无法识别', 'has a missing or unknown situation.'),
      };
  }
}

/** The parents' part of the rule: both incapacitated, or one absent and the other incapacitated. */
export function checkParents(father: ParentSituation, mother: ParentSituation): RecognitionReason[] {
  const f = classifyParent(father, 'father');
  const m = classifyParent(mother, 'mother');
  if (f.standing === 'absent' && m.standing === 'absent') {
    return [
      {
        code: 'orphan_not_de_facto_unsupported',
        message_zh: '父母双方均已死亡或失踪，属于孤儿，应按孤儿保障政策办理，不属于事实无人抚养儿童',
        message_en: 'Both parents are deceased or missing: the child is an orphan (孤儿), covered by orphan support, not de facto unsupported.',
      },
    ];
  }
  const reasons: RecognitionReason[] = [];
  if (f.standing === 'not_qualifying') reasons.push(f.reason);
  if (m.standing === 'not_qualifying') reasons.push(m.reason);
  return reasons;
}

/** The timing reasons' messages; the error catalogue answers with the same words when a recognition is refused for them. */
export const RECOGNITION_TIMING_MESSAGES = Object.freeze({
  invalid_birth_date: { zh: '儿童出生日期缺失或无效', en: "The child's birth date is missing or not a real date." },
  invalid_recognition_date: { zh: '认定日期缺失或无效', en: 'The recognition date is missing or not a real date.' },
  recognised_before_birth: { zh: '认定日期早于儿童出生日期', en: "The recognition date is before the child's birth date." },
  recognised_at_or_after_18: {
    zh: '认定日期在儿童年满18周岁当日或之后，只能认定未满18周岁的儿童',
    en: "The recognition is dated on or after the child's 18th birthday; only children under 18 can be recognised.",
  },
});

export type RecognitionTimingCode = keyof typeof RECOGNITION_TIMING_MESSAGES;

const timingReason = (code: RecognitionTimingCode): RecognitionReason & { code: RecognitionTimingCode } => ({
  code,
  message_zh: RECOGNITION_TIMING_MESSAGES[code].zh,
  message_en: RECOGNITION_TIMING_MESSAGES[code].en,
});

/** The age part of the rule: recognised on a valid date after birth and before the 18th birthday. */
export function checkRecognitionTiming(childBirthDate: IsoDate, recognitionDate: IsoDate): (RecognitionReason & { code: RecognitionTimingCode })[] {
  const reasons: (RecognitionReason & { code: RecognitionTimingCode })[] = [];
  if (!isIsoDate(childBirthDate)) reasons.push(timingReason('invalid_birth_date'));
  if (!isIsoDate(recognitionDate)) reasons.push(timingReason('invalid_recognition_date'));
  if (reasons.length > 0) return reasons;

  if (recognitionDate < childBirthDate) return [timingReason('recognised_before_birth')];
  const adulthood = birthdayInYear(childBirthDate, ADULT_AGE)!;
  if (recognitionDate >= adulthood) return [timingReason('recognised_at_or_after_18')];
  return [];
}

/** Adoption ends the status: an adopted child has parents who raise them. A missing flag fails closed. */
export function checkAdoption(adopted: boolean): RecognitionReason[] {
  if (adopted === false) return [];
  if (adopted === true) {
    return [
      {
        code: 'adopted',
        message_zh: '儿童已被收养，不属于事实无人抚养儿童',
        message_en: 'The child has been adopted, which ends de facto unsupported status.',
      },
    ];
  }
  return [
    {
      code: 'adoption_unknown',
      message_zh: '是否被收养未填写',
      message_en: 'Whether the child was adopted is not recorded.',
    },
  ];
}

/** Applies the whole rule. `qualifies` is true exactly when there is no reason against it. */
export function evaluateRecognition(input: RecognitionInput): RecognitionResult {
  const reasons = [
    ...checkRecognitionTiming(input.childBirthDate, input.recognitionDate),
    ...checkAdoption(input.adopted),
    ...checkParents(input.father, input.mother),
  ];
  return { qualifies: reasons.length === 0, reasons };
}
