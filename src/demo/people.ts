// The demo's students: fictional people, made deterministically (src/demo/random.ts), with what a
// county bureau would send: identity number, name, account, recognition on evidence, enrolment.
//
// Fictional but valid:
// - identity numbers pass GB 11643 (check character, real birth date, a known Qinghai code). The
//   region code is the one in force when the number was first issued, at birth (2001–2008): so a
//   student born in 乐都 carries 632123 (海东地区, before 2013), one from 湟中 630122, 同仁 632321,
//   玉树 632721 — as real numbers do (src/domain/regions-qinghai.ts accepts these former codes);
// - every student is 18 or older on 1 September of the year of admission, and was recognised
//   (民发〔2019〕62号, so from July 2019) before turning 18, by the county bureau of civil affairs,
//   on evidence matching each parent's situation; nobody is adopted;
// - bank card numbers have a real bank's BIN and a valid Luhn digit, but the rest is made up;
//   phone numbers are made up.
// Institutions are real Qinghai colleges and universities. Their 10-digit school codes (学校标识码):
// 青海大学 4163010743, 青海师范大学 4163010746 and 青海民族大学 4163010748 are the Ministry's codes;
// the other codes are written in the same pattern and are UNVERIFIED (no list was available
// offline) — treat them as demo values.
import { makeIdentityNumber } from '../domain/identity-number.ts';
import type { ParentSituationKind } from '../domain/recognition.ts';
import type { EvidenceInput, ParentInput } from '../services/recognitions.ts';
import { type Random, addDays, daysBetween, seededRandom } from './random.ts';

export type Level = 'higher_vocational' | 'junior_college' | 'undergraduate';

interface Institution {
  name: string;
  code: string;
  weight: number;
}

const INSTITUTIONS: Record<Level, Institution[]> = {
  undergraduate: [
    { name: '青海大学', code: '4163010743', weight: 4 },
    { name: '青海师范大学', code: '4163010746', weight: 3 },
    { name: '青海民族大学', code: '4163010748', weight: 3 },
  ],
  junior_college: [
    { name: '青海卫生职业技术学院', code: '4163012887', weight: 4 },
    { name: '青海警官职业学院', code: '4163012886', weight: 2 },
    { name: '西宁城市职业技术学院', code: '4163014097', weight: 3 },
  ],
  higher_vocational: [
    { name: '青海交通职业技术学院', code: '4163013940', weight: 4 },
    { name: '青海建筑职业技术学院', code: '4163013941', weight: 3 },
    { name: '青海高等职业技术学院', code: '4163014276', weight: 2 },
    { name: '青海柴达木职业技术学院', code: '4163014404', weight: 1 },
  ],
};

/** Years of study: 本科 four, 高职 and 大专 three. */
export const STUDY_YEARS: Record<Level, number> = { higher_vocational: 3, junior_college: 3, undergraduate: 4 };

type NameStyle = 'han' | 'hui' | 'tibetan';

interface Region {
  /** The code at birth (see the file comment). */
  code: string;
  /** The county's name as its bureaus sign today, e.g. 海东市乐都区 (recognitions are 2019 or later). */
  county: string;
  weight: number;
  styles: readonly (readonly [NameStyle, number])[];
}

const HAN: Region['styles'] = [['han', 1]];
const HAN_HUI: Region['styles'] = [
  ['han', 3],
  ['hui', 2],
];
const HUI: Region['styles'] = [
  ['hui', 3],
  ['han', 1],
];
const TIBETAN: Region['styles'] = [
  ['tibetan', 4],
  ['han', 1],
];
const MIXED: Region['styles'] = [
  ['han', 2],
  ['tibetan', 2],
  ['hui', 1],
];

const REGIONS: Region[] = [
  { code: '630102', county: '西宁市城东区', weight: 3, styles: HAN_HUI },
  { code: '630103', county: '西宁市城中区', weight: 2, styles: HAN },
  { code: '630104', county: '西宁市城西区', weight: 2, styles: HAN },
  { code: '630105', county: '西宁市城北区', weight: 2, styles: HAN },
  { code: '630122', county: '西宁市湟中区', weight: 3, styles: HAN },
  { code: '630121', county: '大通回族土族自治县', weight: 3, styles: HAN_HUI },
  { code: '630123', county: '湟源县', weight: 1, styles: HAN },
  { code: '632121', county: '海东市平安区', weight: 2, styles: HAN_HUI },
  { code: '632122', county: '民和回族土族自治县', weight: 3, styles: HUI },
  { code: '632123', county: '海东市乐都区', weight: 3, styles: HAN },
  { code: '632126', county: '互助土族自治县', weight: 3, styles: HAN },
  { code: '632127', county: '化隆回族自治县', weight: 3, styles: HUI },
  { code: '632128', county: '循化撒拉族自治县', weight: 2, styles: HUI },
  { code: '632221', county: '门源回族自治县', weight: 2, styles: HUI },
  { code: '632222', county: '祁连县', weight: 1, styles: MIXED },
  { code: '632223', county: '海晏县', weight: 1, styles: MIXED },
  { code: '632224', county: '刚察县', weight: 1, styles: TIBETAN },
  { code: '632321', county: '同仁市', weight: 2, styles: TIBETAN },
  { code: '632322', county: '尖扎县', weight: 1, styles: TIBETAN },
  { code: '632323', county: '泽库县', weight: 2, styles: TIBETAN },
  { code: '632324', county: '河南蒙古族自治县', weight: 1, styles: TIBETAN },
  { code: '632521', county: '共和县', weight: 2, styles: MIXED },
  { code: '632522', county: '同德县', weight: 1, styles: TIBETAN },
  { code: '632523', county: '贵德县', weight: 1, styles: MIXED },
  { code: '632524', county: '兴海县', weight: 1, styles: TIBETAN },
  { code: '632525', county: '贵南县', weight: 1, styles: TIBETAN },
  { code: '632621', county: '玛沁县', weight: 1, styles: TIBETAN },
  { code: '632622', county: '班玛县', weight: 1, styles: TIBETAN },
  { code: '632623', county: '甘德县', weight: 1, styles: TIBETAN },
  { code: '632624', county: '达日县', weight: 1, styles: TIBETAN },
  { code: '632625', county: '久治县', weight: 1, styles: TIBETAN },
  { code: '632626', county: '玛多县', weight: 1, styles: TIBETAN },
  { code: '632721', county: '玉树市', weight: 2, styles: TIBETAN },
  { code: '632722', county: '杂多县', weight: 1, styles: TIBETAN },
  { code: '632723', county: '称多县', weight: 1, styles: TIBETAN },
  { code: '632724', county: '治多县', weight: 1, styles: TIBETAN },
  { code: '632725', county: '囊谦县', weight: 2, styles: TIBETAN },
  { code: '632726', county: '曲麻莱县', weight: 1, styles: TIBETAN },
  { code: '632801', county: '格尔木市', weight: 2, styles: HAN_HUI },
  { code: '632802', county: '德令哈市', weight: 1, styles: MIXED },
  { code: '632821', county: '乌兰县', weight: 1, styles: MIXED },
  { code: '632822', county: '都兰县', weight: 1, styles: MIXED },
  { code: '632823', county: '天峻县', weight: 1, styles: TIBETAN },
];

const HAN_SURNAMES = [
  '张',
  '李',
  '王',
  '刘',
  '赵',
  '陈',
  '杨',
  '祁',
  '鲁',
  '朱',
  '孙',
  '何',
  '魏',
  '汪',
  '谢',
  '苏',
  '吕',
  '胡',
  '郭',
  '星',
  '党',
  '安',
  '晁',
  '蔡',
];
const HUI_SURNAMES = ['马', '马', '马', '韩', '冶', '喇', '妥', '白', '沙', '马'];
const GIVEN: Record<'male' | 'female', string[]> = {
  male: [
    '浩然',
    '子豪',
    '俊杰',
    '文博',
    '宇航',
    '鹏飞',
    '志强',
    '海龙',
    '晓军',
    '永福',
    '嘉豪',
    '明轩',
    '建华',
    '文杰',
    '晓东',
    '德明',
    '生福',
    '国栋',
    '振华',
    '磊',
    '涛',
    '斌',
    '伟',
    '鑫',
    '杰',
    '成龙',
    '世豪',
    '兴旺',
  ],
  female: [
    '欣怡',
    '雨桐',
    '梓涵',
    '佳怡',
    '晓梅',
    '丽娟',
    '婷婷',
    '思琪',
    '雨欣',
    '慧敏',
    '梦瑶',
    '海燕',
    '玉兰',
    '春梅',
    '雪',
    '倩',
    '静',
    '娜',
    '艳',
    '秀兰',
    '晓燕',
    '玉梅',
    '佳琪',
    '文静',
  ],
};
const TIBETAN_NAMES: Record<'male' | 'female', { first: string[]; second: string[] }> = {
  male: {
    first: ['才让', '扎西', '尕藏', '索南', '更登', '完玛', '公保', '多杰', '旦正', '仁青', '桑杰', '东主', '昂秀', '南加', '华旦', '久美'],
    second: ['多杰', '才旦', '加', '东周', '太', '本', '南杰', '扎西', '吉', '当周', '才让'],
  },
  female: {
    first: ['才让', '索南', '拉毛', '桑杰', '仁青', '更藏', '东智', '卓玛', '央金', '德吉', '完德', '周毛', '扎西'],
    second: ['卓玛', '措', '吉', '草', '措毛', '拉姆', '卓嘎', '拉毛', '才吉'],
  },
};

const BANKS = [
  { name: '中国农业银行', bin: '622848', weight: 4 },
  { name: '中国邮政储蓄银行', bin: '621799', weight: 3 },
  { name: '中国建设银行', bin: '621700', weight: 2 },
  { name: '中国工商银行', bin: '621226', weight: 2 },
  { name: '中国银行', bin: '621661', weight: 1 },
] as const;

interface Situation {
  father: ParentSituationKind;
  mother: ParentSituationKind;
  weight: number;
}

/** Every parental situation of 民发〔2019〕62号 appears: each pair once first, then by weight. */
const SITUATIONS: Situation[] = [
  { father: 'deceased', mother: 'lost_contact', weight: 14 },
  { father: 'deceased', mother: 'severe_disability', weight: 6 },
  { father: 'deceased', mother: 'serious_illness', weight: 6 },
  { father: 'deceased', mother: 'serving_sentence', weight: 2 },
  { father: 'deceased', mother: 'guardianship_revoked', weight: 1 },
  { father: 'deceased', mother: 'deported', weight: 1 },
  { father: 'missing', mother: 'severe_disability', weight: 3 },
  { father: 'missing', mother: 'serious_illness', weight: 2 },
  { father: 'serving_sentence', mother: 'lost_contact', weight: 6 },
  { father: 'serving_sentence', mother: 'deceased', weight: 3 },
  { father: 'severe_disability', mother: 'deceased', weight: 4 },
  { father: 'severe_disability', mother: 'serious_illness', weight: 4 },
  { father: 'severe_disability', mother: 'lost_contact', weight: 4 },
  { father: 'serious_illness', mother: 'lost_contact', weight: 4 },
  { father: 'serious_illness', mother: 'deceased', weight: 3 },
  { father: 'compulsory_drug_rehab', mother: 'lost_contact', weight: 3 },
  { father: 'compulsory_drug_rehab', mother: 'deceased', weight: 2 },
  { father: 'other_liberty_restriction', mother: 'lost_contact', weight: 2 },
  { father: 'lost_contact', mother: 'deceased', weight: 4 },
  { father: 'lost_contact', mother: 'missing', weight: 2 },
  { father: 'lost_contact', mother: 'severe_disability', weight: 2 },
  { father: 'guardianship_revoked', mother: 'lost_contact', weight: 1 },
];

export interface BankAccount {
  bankName: string;
  accountNumber: string;
}

export interface DemoStudent {
  /** Position in the demo, 1-based: the order students are registered and paid in. */
  n: number;
  name: string;
  gender: 'male' | 'female';
  identityNumber: string;
  birthDate: string;
  regionCode: string;
  phone: string;
  account: BankAccount;
  /** The account the student gives when the first one fails (used by the demo's returns). */
  newAccount: BankAccount;
  recognition: { recognisedOn: string; authority: string; father: ParentInput; mother: ParentInput; adopted: false; evidence: EvidenceInput[] };
  level: Level;
  institutionName: string;
  institutionCode: string;
  admissionDate: string;
  expectedGraduation: string;
  /** The academic year (start) in which the programme first funds the student. */
  intake: number;
}

/** One group of an intake: how many students of a level were admitted in a year. */
export interface IntakeGroup {
  level: Level;
  admitted: number;
  count: number;
}

function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

function digits(random: Random, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String(random.int(0, 9));
  return out;
}

function bankAccount(random: Random, county: string, except?: string): BankAccount {
  const banks = BANKS.filter((b) => b.name !== except);
  const bank = random.weighted(banks.map((b) => [b, b.weight] as const));
  const body = bank.bin + digits(random, 12);
  // A county branch: 共和县支行, 民和支行, 西宁城东支行.
  const district = /^(.+?)市(.+?)区$/.exec(county);
  const branch = district ? `${district[1]}${district[2]}支行` : `${county.replace(/(回族土族|回族|土族|撒拉族|蒙古族)自治县$/, '')}支行`;
  return { bankName: `${bank.name}${branch}`, accountNumber: body + luhnDigit(body) };
}

function makeName(random: Random, style: NameStyle, gender: 'male' | 'female'): string {
  if (style === 'tibetan') {
    const parts = TIBETAN_NAMES[gender];
    const first = random.pick(parts.first);
    let second = random.pick(parts.second);
    while (second === first) second = random.pick(parts.second);
    return first + second;
  }
  const surname = random.pick(style === 'hui' ? HUI_SURNAMES : HAN_SURNAMES);
  return surname + random.pick(GIVEN[gender]);
}

/** A document number in the style of its issuer, e.g. （2018）青0123民特12号 for a court. */
function documentNumber(random: Random, kind: ParentSituationKind | 'approval', regionCode: string, year: string): string {
  const court = `青${regionCode.slice(2)}`;
  switch (kind) {
    case 'missing':
      return `（${year}）${court}民特${random.int(3, 90)}号`;
    case 'serving_sentence':
      return `（${year}）${court}刑初${random.int(10, 300)}号`;
    case 'guardianship_revoked':
      return `（${year}）${court}民特${random.int(3, 60)}号`;
    case 'compulsory_drug_rehab':
      return `${court}公（禁）决字〔${year}〕${random.int(10, 200)}号`;
    case 'severe_disability':
      return `QH-CJ-${year}-${digits(random, 6)}`;
    case 'deceased':
      return `QH-SW-${year}-${digits(random, 6)}`;
    case 'approval':
      return `QH-RD-${year}-${regionCode.slice(2)}-${digits(random, 4)}`;
    default:
      return `QH-${kind === 'serious_illness' ? 'ZD' : kind === 'lost_contact' ? 'SL' : kind === 'deported' ? 'QF' : 'XZ'}-${year}-${digits(random, 6)}`;
  }
}

const EVIDENCE: Record<Exclude<ParentSituationKind, 'none'>, { type: string; issuer: (county: string) => string }> = {
  deceased: { type: '死亡证明', issuer: (c) => `${c}公安局` },
  missing: { type: '宣告失踪判决书', issuer: (c) => `${c}人民法院` },
  severe_disability: { type: '中华人民共和国残疾人证', issuer: (c) => `${c}残疾人联合会` },
  serious_illness: { type: '疾病诊断证明书', issuer: () => '青海大学附属医院' },
  serving_sentence: { type: '刑事判决书', issuer: (c) => `${c}人民法院` },
  compulsory_drug_rehab: { type: '强制隔离戒毒决定书', issuer: (c) => `${c}公安局` },
  other_liberty_restriction: { type: '限制人身自由措施证明', issuer: (c) => `${c}公安局` },
  lost_contact: { type: '失联情况说明及报警回执', issuer: (c) => `${c}公安局` },
  guardianship_revoked: { type: '撤销监护人资格判决书', issuer: (c) => `${c}人民法院` },
  deported: { type: '遣送出境证明', issuer: () => '青海省公安厅出入境管理局' },
};

function parent(random: Random, situation: ParentSituationKind): ParentInput {
  if (situation === 'severe_disability')
    return {
      situation,
      disabilityGrade: random.weighted([
        [1, 2],
        [2, 3],
      ] as const),
    };
  if (situation === 'lost_contact') return { situation, lostContactMonths: random.int(8, 72) };
  return { situation };
}

/** Name of a county as it was on `date` (同仁 and 湟中 were counties before their 2019–2020 change). */
function countyOn(region: Region, date: string): string {
  if (region.code === '632321' && date < '2020-03-01') return '同仁县';
  if (region.code === '630122' && date < '2020-01-01') return '湟中县';
  return region.county;
}

export interface MakeStudentsInput {
  /** Academic year (start) the intake is first funded in. */
  intake: number;
  /** The day the county's list reaches the department: recognitions are at least a month older. */
  registeredOn: string;
  groups: IntakeGroup[];
  /** First `n` of this intake, so that numbering runs on from earlier intakes. */
  firstN: number;
  seed: number;
}

/** Students of one intake, shuffled so that levels and counties mix as they do on a real list. */
export function makeStudents(input: MakeStudentsInput, usedNames: Set<string>): DemoStudent[] {
  const random = seededRandom(input.seed);
  const slots = random.shuffle(input.groups.flatMap((g) => Array.from({ length: g.count }, () => g)));
  const situations = random.shuffle(SITUATIONS);
  return slots.map((group, i) => {
    const n = input.firstN + i;
    const region = random.weighted(REGIONS.map((r) => [r, r.weight] as const));
    const gender = random.next() < 0.52 ? 'female' : 'male';
    let name = makeName(random, random.weighted(region.styles), gender);
    while (usedNames.has(name)) name = makeName(random, random.weighted(region.styles), gender);
    usedNames.add(name);

    // 18 on the first day of the year of admission: born between 2 Sep, 19 years before, and 31 Aug.
    const birthDate = addDays(`${group.admitted - 19}-09-02`, random.int(0, 363));
    const sequence = 100 + 2 * n + (gender === 'male' ? 1 : 0);
    const identityNumber = makeIdentityNumber(region.code, birthDate, sequence);

    // Recognised under 18, from July 2019 (when 民发〔2019〕62号 took effect), a month before the list.
    const eighteenth = `${Number(birthDate.slice(0, 4)) + 18}${birthDate.slice(4)}`;
    const from = [`2019-07-01`, addDays(birthDate, 8 * 365)].sort().at(-1) as string;
    const to = [addDays(eighteenth, -45), addDays(input.registeredOn, -30)].sort()[0] as string;
    const recognisedOn = addDays(from, random.int(0, Math.max(0, daysBetween(from, to))));
    const situation = i < situations.length ? (situations[i] as Situation) : random.weighted(SITUATIONS.map((s) => [s, s.weight] as const));
    const county = countyOn(region, recognisedOn);
    const evidence: EvidenceInput[] = [];
    for (const kind of [situation.father, situation.mother]) {
      if (kind === 'none') continue;
      const issuedOn = addDays(recognisedOn, -random.int(20, 400));
      const spec = EVIDENCE[kind];
      evidence.push({
        documentType: spec.type,
        documentNumber: documentNumber(random, kind, region.code, issuedOn.slice(0, 4)),
        issuer: spec.issuer(countyOn(region, issuedOn)),
        issuedOn,
      });
    }
    evidence.push({
      documentType: '事实无人抚养儿童认定审批表',
      documentNumber: documentNumber(random, 'approval', region.code, recognisedOn.slice(0, 4)),
      issuer: `${county}民政局`,
      issuedOn: recognisedOn,
    });

    const institution = random.weighted(INSTITUTIONS[group.level].map((x) => [x, x.weight] as const));
    const account = bankAccount(random, region.county);
    const newAccount = bankAccount(random, region.county, BANKS.find((b) => account.bankName.startsWith(b.name))?.name);
    return {
      n,
      name,
      gender,
      identityNumber,
      birthDate,
      regionCode: region.code,
      phone: `1${random.pick(['38', '39', '50', '51', '57', '58', '87', '88', '97', '99', '33', '53', '80', '89'])}${digits(random, 8)}`,
      account,
      newAccount,
      recognition: {
        recognisedOn,
        authority: `${county}民政局`,
        father: parent(random, situation.father),
        mother: parent(random, situation.mother),
        adopted: false,
        evidence,
      },
      level: group.level,
      institutionName: institution.name,
      institutionCode: institution.code,
      admissionDate: `${group.admitted}-09-01`,
      expectedGraduation: `${group.admitted + STUDY_YEARS[group.level]}-06-30`,
      intake: input.intake,
    };
  });
}
