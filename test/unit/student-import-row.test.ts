import { describe, expect, it } from 'vitest';
import {
  numberText,
  parseDate,
  parseEvidence,
  parseGender,
  parseGrade,
  parseLevel,
  parseMonths,
  parseSituation,
  parseYesNo,
} from '../../src/domain/student-import/cells.ts';
import { IMPORT_COLUMNS, columnForHeader, columnLetter, readHeader } from '../../src/domain/student-import/layout.ts';
import { type MappedRow, mapImportRow } from '../../src/domain/student-import/row.ts';
import { importTemplateCsv } from '../../src/domain/student-import/template.ts';
import { PARENT_SITUATION_KINDS } from '../../src/domain/recognition.ts';

const ID = '630102200605201240';

/** A row as a county writes it, by column key. */
function cells(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    name: '韩梅梅',
    identity_number: ID,
    gender: '女',
    phone: '138 0000 1234',
    bank_name: '中国建设银行西宁城东支行',
    account_number: '6217 0000 0000 0000 123',
    holder_name: '韩梅梅',
    recognised_on: '2019-06-10',
    authority: '西宁市城东区民政局',
    father_situation: '死亡',
    father_disability_grade: '',
    father_lost_contact_months: '',
    mother_situation: '重残',
    mother_disability_grade: '一级',
    mother_lost_contact_months: '',
    adopted: '否',
    evidence: '死亡证明|QH-SW-2019-000123|西宁市第一人民医院|2019-03-02； 残疾证｜QH-CJ-1｜西宁市残联｜2018/5/20;',
    institution_name: '青海大学',
    institution_code: '4163010743',
    level: '本科',
    admission_date: '2024年9月1日',
    expected_graduation: '2028/6/30',
    ...overrides,
  };
}

const map = (c: Record<string, string>): MappedRow => mapImportRow((key) => c[key]);
const columnsOf = (row: MappedRow) => row.problems.map((p) => p.column);

describe('the row → use-case inputs mapping', () => {
  it('maps a good row to the inputs of register, recognition and enrolment', () => {
    const row = map(cells());
    expect(row.problems).toEqual([]);
    expect(row.student).toEqual({
      identityNumber: ID,
      name: '韩梅梅',
      gender: 'female',
      phone: '138 0000 1234',
      bankAccount: { bankName: '中国建设银行西宁城东支行', accountNumber: '6217000000000000123', holderName: '韩梅梅' },
    });
    expect(row.recognition).toEqual({
      recognisedOn: '2019-06-10',
      authority: '西宁市城东区民政局',
      father: { situation: 'deceased', disabilityGrade: null, lostContactMonths: null },
      mother: { situation: 'severe_disability', disabilityGrade: 1, lostContactMonths: null },
      adopted: false,
      evidence: [
        { documentType: '死亡证明', documentNumber: 'QH-SW-2019-000123', issuer: '西宁市第一人民医院', issuedOn: '2019-03-02' },
        { documentType: '残疾证', documentNumber: 'QH-CJ-1', issuer: '西宁市残联', issuedOn: '2018-05-20' },
      ],
    });
    expect(row.enrolment).toEqual({
      institutionName: '青海大学',
      institutionCode: '4163010743',
      level: 'undergraduate',
      admissionDate: '2024-09-01',
      expectedGraduation: '2028-06-30',
    });
  });

  it('an empty phone is null; optional columns may be absent from the file', () => {
    const c = cells({ phone: '' });
    for (const k of ['father_disability_grade', 'father_lost_contact_months', 'mother_lost_contact_months']) delete c[k];
    const row = map(c);
    expect(row.student?.phone).toBeNull();
    expect(row.recognition?.father).toEqual({ situation: 'deceased', disabilityGrade: null, lostContactMonths: null });
  });

  it('a part with an unreadable cell is null, the other parts are still mapped, and the problem names the column', () => {
    const badLevel = map(cells({ level: '研究生' }));
    expect(badLevel.enrolment).toBeNull();
    expect(badLevel.student).not.toBeNull();
    expect(badLevel.recognition).not.toBeNull();
    expect(badLevel.problems).toEqual([expect.objectContaining({ column: 'level', code: 'unknown_level' })]);

    const badSituation = map(cells({ mother_situation: '外出务工' }));
    expect(badSituation.recognition).toBeNull();
    expect(badSituation.enrolment).not.toBeNull();
    expect(columnsOf(badSituation)).toEqual(['mother_situation']);

    const badGender = map(cells({ gender: 'F' }));
    expect(badGender.student).toBeNull();
    expect(columnsOf(badGender)).toEqual(['gender']);
  });

  it('reports every empty required cell by its column', () => {
    const row = map({});
    const required = IMPORT_COLUMNS.filter((c) => c.required && c.key !== 'phone').map((c) => c.key);
    expect(new Set(columnsOf(row))).toEqual(new Set(required));
    expect(row.problems.every((p) => p.code === 'required')).toBe(true);
    expect([row.student, row.recognition, row.enrolment]).toEqual([null, null, null]);
  });

  it('leaves every business rule to the use cases: a bad check digit or graduation before admission maps as written', () => {
    const row = map(cells({ identity_number: '630102200605201241', admission_date: '2028-09-01', expected_graduation: '2024-06-30' }));
    expect(row.problems).toEqual([]);
    expect(row.student?.identityNumber).toBe('630102200605201241');
    expect(row.enrolment).toMatchObject({ admissionDate: '2028-09-01', expectedGraduation: '2024-06-30' });
  });

  it('never puts a cell’s content into a problem', () => {
    const row = map(cells({ identity_number: '6.30102E+17', gender: ID, level: ID, recognised_on: ID, evidence: `${ID}|x` }));
    expect(row.problems.length).toBeGreaterThanOrEqual(5);
    const text = JSON.stringify(row.problems);
    expect(text).not.toContain(ID);
    expect(text).not.toContain('6.30102E+17');
  });

  it('takes spreadsheet text markers off long numbers', () => {
    expect(map(cells({ identity_number: `'${ID}` })).student?.identityNumber).toBe(ID);
    expect(map(cells({ identity_number: `="${ID}"` })).student?.identityNumber).toBe(ID);
    expect(map(cells({ identity_number: `\u200b${ID} ` })).identityNumberText).toBe(ID);
  });
});

describe('cells', () => {
  it('dates: YYYY-MM-DD, YYYY/M/D and YYYY年M月D日, real days only', () => {
    for (const [text, iso] of [
      ['2024-09-01', '2024-09-01'],
      ['2024-9-1', '2024-09-01'],
      ['2024/09/01', '2024-09-01'],
      ['2024/9/1', '2024-09-01'],
      ['2024年9月1日', '2024-09-01'],
      ['2024年09月01日', '2024-09-01'],
      [' 2024 年 9 月 1 日 ', '2024-09-01'],
      ['２０２４－０９－０１', '2024-09-01'],
      ['2024-02-29', '2024-02-29'],
    ]) {
      expect({ text, parsed: parseDate(text) }).toEqual({ text, parsed: { ok: true, value: iso } });
    }
    for (const text of ['2023-02-29', '2024-13-01', '2024.9.1', '45536', '24/9/1', '2024-09', '', '2024年9月1', '9/1/2024']) {
      const parsed = parseDate(text);
      expect({ text, ok: parsed.ok }).toEqual({ text, ok: false });
      if (!parsed.ok) expect(parsed.problem.code).toBe('invalid_date');
    }
  });

  it('every parent situation named in Chinese maps to its enum value, and the API names are accepted', () => {
    const expected: [string, string][] = [
      ['死亡', 'deceased'],
      ['失踪', 'missing'],
      ['重残', 'severe_disability'],
      ['重病', 'serious_illness'],
      ['服刑在押', 'serving_sentence'],
      ['强制隔离戒毒', 'compulsory_drug_rehab'],
      ['其他限制人身自由', 'other_liberty_restriction'],
      ['失联', 'lost_contact'],
      ['被撤销监护资格', 'guardianship_revoked'],
      ['被遣送/驱逐出境', 'deported'],
      ['被遣送（驱逐）出境', 'deported'],
      ['无', 'none'],
    ];
    for (const [zh, kind] of expected) expect({ zh, parsed: parseSituation(zh) }).toEqual({ zh, parsed: { ok: true, value: kind } });
    expect(new Set(expected.map(([, k]) => k))).toEqual(new Set(PARENT_SITUATION_KINDS));
    for (const kind of PARENT_SITUATION_KINDS) expect(parseSituation(kind)).toEqual({ ok: true, value: kind });
    for (const text of ['离异', '外出务工', '', 'dead']) expect(parseSituation(text).ok).toBe(false);
  });

  it('gender, yes/no and level', () => {
    expect([parseGender('男'), parseGender('女'), parseGender('Male')]).toEqual([
      { ok: true, value: 'male' },
      { ok: true, value: 'female' },
      { ok: true, value: 'male' },
    ]);
    expect(parseGender('M').ok).toBe(false);
    expect([parseYesNo('是'), parseYesNo('否'), parseYesNo('no')]).toEqual([
      { ok: true, value: true },
      { ok: true, value: false },
      { ok: true, value: false },
    ]);
    expect(parseYesNo('未知').ok).toBe(false);
    expect([parseLevel('高职'), parseLevel('大专'), parseLevel('本科'), parseLevel('junior_college')].map((r) => r.ok && r.value)).toEqual([
      'higher_vocational',
      'junior_college',
      'undergraduate',
      'junior_college',
    ]);
    for (const text of ['专科', '研究生', 'bachelor']) expect(parseLevel(text).ok).toBe(false);
  });

  it('grades and months: digits, 级/个月 suffixes, Chinese numerals; empty is null; the range is the rule’s to check', () => {
    expect(['', '1', '2级', '三级', '四', '7'].map((t) => parseGrade(t))).toEqual([
      { ok: true, value: null },
      { ok: true, value: 1 },
      { ok: true, value: 2 },
      { ok: true, value: 3 },
      { ok: true, value: 4 },
      { ok: true, value: 7 },
    ]);
    expect(parseGrade('重度').ok).toBe(false);
    expect(['', '6', '12个月', '8月'].map((t) => parseMonths(t))).toEqual([
      { ok: true, value: null },
      { ok: true, value: 6 },
      { ok: true, value: 12 },
      { ok: true, value: 8 },
    ]);
    for (const text of ['半年', '-1', '1.5']) expect(parseMonths(text).ok).toBe(false);
  });

  it('evidence: type|number|issuer|date; documents separated by ; or ； or a line break', () => {
    const parsed = parseEvidence('A|1|X|2019-01-01;\nB｜2｜Y｜2019年2月3日；');
    expect(parsed).toEqual({
      ok: true,
      value: [
        { documentType: 'A', documentNumber: '1', issuer: 'X', issuedOn: '2019-01-01' },
        { documentType: 'B', documentNumber: '2', issuer: 'Y', issuedOn: '2019-02-03' },
      ],
    });
    const missingPart = parseEvidence('A|1|X|2019-01-01; B|2|2019-01-01');
    expect(missingPart.ok === false && missingPart.problem).toMatchObject({
      code: 'invalid_evidence',
      message_zh: expect.stringContaining('第2份'),
      message_en: expect.stringContaining('document 2'),
    });
    const badDate = parseEvidence('A|1|X|2019-02-30');
    expect(badDate.ok === false && badDate.problem.code).toBe('invalid_evidence_date');
    const empty = parseEvidence(' ; ');
    expect(empty.ok === false && empty.problem.code).toBe('required');
  });

  it('long numbers: apostrophe and ="…" removed; scientific notation refused with a hint', () => {
    expect(numberText("'6217000000000000123")).toEqual({ ok: true, value: '6217000000000000123' });
    expect(numberText('="6217000000000000123"')).toEqual({ ok: true, value: '6217000000000000123' });
    const sci = numberText('6.217E+18');
    expect(sci.ok === false && sci.problem.code).toBe('spreadsheet_scientific_notation');
    expect(numberText('6.30102E17').ok).toBe(false);
  });
});

describe('the header row', () => {
  it('accepts the Chinese names, the English keys, aliases, bilingual headers, required marks and full-width forms', () => {
    const cases: [string, string][] = [
      ['姓名', 'name'],
      ['name', 'name'],
      ['Name', 'name'],
      ['姓名 name', 'name'],
      ['姓名/name', 'name'],
      ['*姓名', 'name'],
      ['姓名（必填）', 'name'],
      ['身份证号码', 'identity_number'],
      ['Identity Number', 'identity_number'],
      ['identity_number', 'identity_number'],
      ['ＩＤ＿ＮＵＭＢＥＲ', 'identity_number'],
      ['父亲情况 father_situation', 'father_situation'],
      ['预计毕业日期', 'expected_graduation'],
      ['recognized_on', 'recognised_on'],
    ];
    for (const [header, key] of cases) expect({ header, key: columnForHeader(header) }).toEqual({ header, key });
    expect(columnForHeader('姓名 gender')).toBeUndefined();
    expect(columnForHeader('户籍地址')).toBeUndefined();
    expect(columnForHeader('序号')).toBe('ignored');
  });

  it('names each missing required column and each repeated one', () => {
    const all = IMPORT_COLUMNS.map((c) => c.zh);
    const withoutId = readHeader(all.filter((h) => h !== '身份证号' && h !== '层次'));
    expect(withoutId).toEqual({
      ok: false,
      problems: [
        { code: 'missing_column', key: 'identity_number' },
        { code: 'missing_column', key: 'level' },
      ],
    });
    const repeated = readHeader([...all, 'name']);
    expect(repeated).toEqual({ ok: false, problems: [{ code: 'duplicate_column', key: 'name', headers: ['姓名', 'name'] }] });
    const optionalMissing = readHeader(all.filter((h) => !h.includes('残疾等级') && h !== '联系电话'));
    expect(optionalMissing.ok).toBe(true);
  });

  it('keeps the file’s own header words, the 序号 column and the unknown columns', () => {
    const header = readHeader(['序号', '户籍地址', ...IMPORT_COLUMNS.map((c) => (c.key === 'name' ? 'Name' : c.zh))]);
    expect(header.ok).toBe(true);
    if (!header.ok) return;
    expect(header.layout.sequenceIndex).toBe(0);
    expect(header.layout.unknown).toEqual([{ index: 1, header: '户籍地址' }]);
    expect(header.layout.headerOf.get('name')).toBe('Name');
    expect(header.layout.indexOf.get('name')).toBe(2);
  });

  it('spreadsheet column letters', () => {
    expect([0, 1, 25, 26, 27, 51, 52].map(columnLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA']);
  });
});

describe('the template', () => {
  it('has every column in the header and an example row the mapping reads without problems', () => {
    const [headerLine, exampleLine] = importTemplateCsv().split('\r\n');
    const header = headerLine!.split(',');
    const parsed = readHeader(header);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.layout.indexOf.size).toBe(IMPORT_COLUMNS.length);
    const example = exampleLine!.split(',');
    expect(example[0]).toMatch(/^示例/);
    const row = mapImportRow((key) => example[parsed.layout.indexOf.get(key)!]);
    expect(row.problems).toEqual([]);
    expect(row.student && row.recognition && row.enrolment).toBeTruthy();
  });
});
