// Eligibility of one student for one programme and one academic year, as a pure function of plain
// facts. Every rule is evaluated and reported (not only the first failure), because the determination
// stores each rule's result and an approver must see all of them. `eligible` is true only when every
// rule passed: there is no override.
import { isIsoDate, type IsoDate } from './calendar-date.ts';
import { academicYearEnd, academicYearStart, ageOn, isWithinAcademicYear, type AcademicYear } from './academic-year.ts';
import { ADULT_AGE, checkAdoption, checkParents, checkRecognitionTiming, type ParentSituation, type RecognitionReason } from './recognition.ts';

export type EnrolmentLevel = 'higher_vocational' | 'junior_college' | 'undergraduate';
export const ENROLMENT_LEVELS: readonly EnrolmentLevel[] = Object.freeze(['higher_vocational', 'junior_college', 'undergraduate']);
export const ENROLMENT_LEVEL_LABELS: Readonly<Record<EnrolmentLevel, { zh: string; en: string }>> = Object.freeze({
  higher_vocational: { zh: '高职', en: 'higher vocational' },
  junior_college: { zh: '大专', en: 'junior college' },
  undergraduate: { zh: '本科', en: 'undergraduate' },
});

export type EnrolmentStatus = 'enrolled' | 'suspended' | 'graduated' | 'withdrawn';

export interface EnrolmentVerificationFacts {
  /** Date the enrolment was verified (with the institution, the student-status system, …). */
  verifiedOn: IsoDate;
}

export interface EnrolmentFacts {
  level: EnrolmentLevel;
  status: EnrolmentStatus;
  admissionDate: IsoDate;
  expectedGraduationDate: IsoDate;
  verifications: readonly EnrolmentVerificationFacts[];
}

/** The recorded recognition; the child's birth date comes from the student. */
export interface RecognitionFacts {
  recognitionDate: IsoDate;
  adopted: boolean;
  father: ParentSituation;
  mother: ParentSituation;
}

export interface EligibilityInput {
  academicYear: AcademicYear;
  /** Birth date as read from the identity number. */
  student: { birthDate: IsoDate };
  /** null when no recognition is on record. */
  recognition: RecognitionFacts | null;
  enrolment: EnrolmentFacts;
  programme: { fundedLevels: readonly EnrolmentLevel[] };
}

export type EligibilityRule =
  | 'age_18_at_year_start'
  | 'recognised_before_18'
  | 'not_adopted'
  | 'level_funded'
  | 'enrolment_active'
  | 'enrolment_verified_for_year'
  | 'enrolment_covers_year';

/** Evaluation order, also the order of `rules` in the result. */
export const ELIGIBILITY_RULES: readonly EligibilityRule[] = Object.freeze([
  'age_18_at_year_start',
  'recognised_before_18',
  'not_adopted',
  'level_funded',
  'enrolment_active',
  'enrolment_verified_for_year',
  'enrolment_covers_year',
]);

export interface RuleResult {
  rule: EligibilityRule;
  passed: boolean;
  detail_zh: string;
  detail_en: string;
}

/** 'new': admitted within the academic year (新生); 'continuing': admitted before it (在校生). */
export type Cohort = 'new' | 'continuing';

export interface EligibilityResult {
  eligible: boolean;
  cohort: Cohort;
  rules: RuleResult[];
}

function result(rule: EligibilityRule, passed: boolean, detail_zh: string, detail_en: string): RuleResult {
  return { rule, passed, detail_zh, detail_en };
}

function fromReasons(rule: EligibilityRule, reasons: RecognitionReason[], okZh: string, okEn: string): RuleResult {
  if (reasons.length === 0) return result(rule, true, okZh, okEn);
  return result(rule, false, reasons.map((r) => r.message_zh).join('；'), reasons.map((r) => r.message_en).join(' '));
}

function ageRule(input: EligibilityInput): RuleResult {
  const start = academicYearStart(input.academicYear);
  const age = ageOn(input.student.birthDate, start);
  if (age === undefined) {
    return result('age_18_at_year_start', false, '学生出生日期无效', "The student's birth date is not a real date.");
  }
  const passed = age >= ADULT_AGE;
  return result(
    'age_18_at_year_start',
    passed,
    passed ? `学年开始日（${start}）已满18周岁` : `学年开始日（${start}）未满18周岁`,
    passed ? `18 or older on the first day of the academic year (${start}).` : `Under 18 on the first day of the academic year (${start}).`,
  );
}

/** (b) Recognised while under 18 with parents meeting the rule. Adoption is rule (c), kept apart so each shows. */
function recognitionRule(input: EligibilityInput): RuleResult {
  const rec = input.recognition;
  if (!rec) {
    return result('recognised_before_18', false, '无事实无人抚养儿童认定记录', 'No recognition as a de facto unsupported child is on record.');
  }
  return fromReasons(
    'recognised_before_18',
    [...checkRecognitionTiming(input.student.birthDate, rec.recognitionDate), ...checkParents(rec.father, rec.mother)],
    '未满18周岁时已被认定为事实无人抚养儿童',
    'Recognised as a de facto unsupported child before turning 18.',
  );
}

function adoptionRule(input: EligibilityInput): RuleResult {
  const rec = input.recognition;
  if (!rec) return result('not_adopted', false, '无认定记录，无法确认是否被收养', 'No recognition on record, so adoption cannot be checked.');
  return fromReasons('not_adopted', checkAdoption(rec.adopted), '未被收养', 'Not adopted.');
}

function levelRule(input: EligibilityInput): RuleResult {
  const level = input.enrolment.level;
  const label = ENROLMENT_LEVEL_LABELS[level];
  if (!label) return result('level_funded', false, '就读层次无法识别', 'The level of study is not recognised.');
  const passed = input.programme.fundedLevels.includes(level);
  return result(
    'level_funded',
    passed,
    passed ? `就读层次（${label.zh}）在本项目资助范围内` : `就读层次（${label.zh}）不在本项目资助范围内`,
    passed ? `The programme funds this level (${label.en}).` : `The programme does not fund this level (${label.en}).`,
  );
}

/**
 * (e) Not graduated and not withdrawn. Suspension (休学) passes: the student is still enrolled and
 * returns to study, and the programme pays "until graduation". Paying during the suspension is a
 * payout question (instalments are held while suspended), not an eligibility one; the detail says so.
 */
function statusRule(input: EligibilityInput): RuleResult {
  switch (input.enrolment.status) {
    case 'enrolled':
      return result('enrolment_active', true, '学籍状态：在读', 'Enrolment status: enrolled.');
    case 'suspended':
      return result(
        'enrolment_active',
        true,
        '学籍状态：休学。资格保留，休学期间暂缓发放',
        'Enrolment status: suspended. Eligibility is kept; payouts are held while suspended.',
      );
    case 'graduated':
      return result('enrolment_active', false, '学籍状态：已毕业', 'Enrolment status: graduated.');
    case 'withdrawn':
      return result('enrolment_active', false, '学籍状态：已退学', 'Enrolment status: withdrawn.');
    default:
      return result('enrolment_active', false, '学籍状态无法识别', 'The enrolment status is not recognised.');
  }
}

/** (f) Eligibility never carries over: the enrolment must have been verified within this academic year. */
function verificationRule(input: EligibilityInput): RuleResult {
  const year = input.academicYear;
  const passed = input.enrolment.verifications.some((v) => isIsoDate(v.verifiedOn) && isWithinAcademicYear(v.verifiedOn, year));
  return result(
    'enrolment_verified_for_year',
    passed,
    passed ? `${year.label}学年内已核实学籍` : `${year.label}学年内没有学籍核实记录`,
    passed ? `Enrolment verified within academic year ${year.label}.` : `No enrolment verification dated within academic year ${year.label}.`,
  );
}

/** (g) The period of study overlaps the academic year: admitted by its end, graduating after its start. */
function periodRule(input: EligibilityInput): RuleResult {
  const { admissionDate, expectedGraduationDate } = input.enrolment;
  if (!isIsoDate(admissionDate) || !isIsoDate(expectedGraduationDate)) {
    return result('enrolment_covers_year', false, '入学日期或预计毕业日期无效', 'The admission or expected graduation date is not a real date.');
  }
  if (expectedGraduationDate <= admissionDate) {
    return result('enrolment_covers_year', false, '预计毕业日期不晚于入学日期', 'The expected graduation date is not after the admission date.');
  }
  const start = academicYearStart(input.academicYear);
  const end = academicYearEnd(input.academicYear);
  if (admissionDate > end) {
    return result('enrolment_covers_year', false, `入学日期晚于学年结束日（${end}）`, `Admitted after the academic year ends (${end}).`);
  }
  if (expectedGraduationDate <= start) {
    return result(
      'enrolment_covers_year',
      false,
      `预计毕业日期不晚于学年开始日（${start}）`,
      `Expected to graduate on or before the academic year starts (${start}).`,
    );
  }
  return result('enrolment_covers_year', true, '在读期间覆盖该学年', 'The period of study covers the academic year.');
}

/**
 * 'new' when admitted within the academic year, otherwise 'continuing'. A student admitted after the
 * year is also labelled 'continuing' here, but fails `enrolment_covers_year`, so the label never pays.
 */
export function cohortOf(admissionDate: IsoDate, year: AcademicYear): Cohort {
  return isIsoDate(admissionDate) && isWithinAcademicYear(admissionDate, year) ? 'new' : 'continuing';
}

export function evaluateEligibility(input: EligibilityInput): EligibilityResult {
  const rules = [ageRule(input), recognitionRule(input), adoptionRule(input), levelRule(input), statusRule(input), verificationRule(input), periodRule(input)];
  return {
    eligible: rules.every((r) => r.passed),
    cohort: cohortOf(input.enrolment.admissionDate, input.academicYear),
    rules,
  };
}
