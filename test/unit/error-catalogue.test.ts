// The error catalogue (src/domain/error-catalogue.ts): every code once, each with a status, a
// Chinese and an English message and a line saying when it fires; every code the source throws is
// in it (the types see to that, and this scan says so in words); the other names of its rules
// (database, reconciliation) point at real codes; every field message has its Chinese.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CONSTRAINT_RULES,
  DATABASE_RULES,
  ERROR_CATALOGUE,
  ERROR_CODES,
  FIELD_MESSAGE_ZH_FALLBACK,
  type ErrorCode,
  type ParamsOf,
  RECONCILIATION_RULES,
  fieldMessageWords,
  fieldMessageZh,
  isErrorCode,
  messageZh,
  render,
} from '../../src/domain/error-catalogue.ts';
import { ConflictError, NotFoundError, RuleViolationError, TransientConflictError, ValidationError } from '../../src/domain/errors.ts';
import { RECOGNITION_TIMING_MESSAGES } from '../../src/domain/recognition.ts';
import { problemFromError } from '../../src/http/problem.ts';
import { RULE_CODES } from '../../src/reconcile/checks/rules.ts';
import { fieldProblemsOf } from '../../src/services/validation.ts';
import { projectRoot } from '../support/conformance.ts';

const CJK = /[\u3400-\u9fff]/;
const CATALOGUE_FILE = 'src/domain/error-catalogue.ts';
const read = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8');

/** Params for every code whose messages are made of some: rendering with them must leave no hole. */
const SAMPLES: { [C in ErrorCode]?: ParamsOf<C> } = {
  invalid_request: { part: 'body' },
  too_many_failed_authentications: { retryAfterSeconds: 60 },
  overloaded: { retryAfterSeconds: 1 },
  deadline_exceeded: { retryAfterSeconds: 1 },
  not_ready: { failed: 'database' },
  forbidden: { action: 'grant decide' },
  not_found: { record: 'payout_batch' },
  not_csv: { cause: 'unclosed_quote', row: 3 },
  invalid_encoding: { tried: 'gbk' },
  invalid_header: { headerRow: 2 },
  too_many_rows: { rows: 5001, max: 5000 },
  file_too_large: { maxBytes: 5 * 1024 * 1024 },
  workbook_too_large: { maxMiB: 64 },
  workbook_formula: { first: '第 5 行 C 列（身份证号）', firstEn: 'cell C5', count: 2 },
  workbook_merged_cells: { first: '第 2 行 A 列起的 A2:B3', firstEn: 'A2:B3 at cell A2', count: 1 },
  already_decided: { record: 'grant', currentStatus: 'approved' },
  not_approved: { currentStatus: 'rejected' },
  already_reversed: { reversalId: '0f8fad5b-d9cb-469f-a165-70867728950e' },
  bands_locked: { year: '2026-2027' },
  batch_already_sent: { batch: 'B2026-0001' },
  batch_cancelled: { batch: 'B2026-0001' },
  bank_line_already_matched: { matchId: '0f8fad5b-d9cb-469f-a165-70867728950e' },
  payout_already_matched: { matchId: '0f8fad5b-d9cb-469f-a165-70867728950e' },
  hand_match_already_decided: { currentStatus: 'confirmed' },
  hand_match_stale: { payoutStatus: 'settled' },
  bank_file_message_id_reused: {
    messageId: 'CAMT-2026-11',
    earlierSha256: 'a'.repeat(64),
    sha256: 'b'.repeat(64),
    earlierImportId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    file: 'nov.xml',
  },
  bank_file_future_booking: { file: 'nov.xml', line: 12, bookingDate: '2026-12-09', today: '2026-12-07' },
  bank_line_not_matchable: { outcome: 'settled' },
  hand_match_amount_differs: { lineAmount: '2000.00', payoutAmount: '2500.00' },
  hand_match_payout_state: { payoutStatus: 'settled', kind: 'debit' },
  academic_year_outside_programme: { from: '2024-2025', to: '2026-2027' },
  academic_year_over: { year: '2025-2026', yearEnd: '2026-08-31' },
  amount_outside_band: { level: 'undergraduate', min: '3500.00', max: '5000.00' },
  bank_file_currency: { currency: 'USD', file: 'answer.xml' },
  bank_file_exceptions: { file: null, exceptions: [], exceptionCount: 2 },
  bank_file_invalid: { file: null, line: 12, reason: 'the amount is not a number' },
  bank_file_refused: { batch: 'B2026-0001', field: 'name', reference: 'B2026-0001-0003' },
  batch_out_of_date: { batch: 'B2026-0001', count: 2, payouts: [] },
  bank_file_not_exported: { batch: 'B2026-0001' },
  effective_date_before_previous: { previousEffectiveOn: '2026-09-01' },
  receipt_outside_programme: { from: '2023-09-01', to: '2027-08-31' },
  effective_date_outside_year: { from: '2026-09-01', to: '2027-08-31' },
  eligibility_not_approved: { year: '2026-2027' },
  enrolment_ended: { status: 'graduated' },
  import_rejected: { errorRows: 3, rows: 40, report: {}, errors: [] },
  instalments_not_payable: { instalments: [{}, {}] },
  insufficient_balance: { account: 'fund', available: '100.00', needed: '4000.00' },
  insufficient_fund: { available: '100.00', needed: '4000.00', missing: '3900.00' },
  invalid_status_transition: { currentStatus: 'enrolled', to: 'enrolled' },
  student_not_granted: { programme: 'QH-QINGSHAN-ZXGC' },
  date_outside_activity: { startsOn: '2025-07-10', endsOn: '2025-07-12' },
  outcome_not_for_kind: { kind: 'career_planning_course' },
  quarter_not_over: { quarter: '2026Q4', endsOn: '2026-12-31' },
  participation_status_transition: { currentStatus: 'completed', to: 'withdrawn' },
  activity_full: { capacity: 30 },
  duplicate_participation: { existingId: '0f8fad5b-d9cb-469f-a165-70867728950e' },
  duplicate_graduate_destination: { existingId: '0f8fad5b-d9cb-469f-a165-70867728950e' },
  maker_checker: { record: 'grant' },
  nothing_due: { cutoffOn: '2026-11-26', held: 0 },
  rule_failed: { failedRules: ['age', 'enrolment'], failedAtProposal: [], failedAtDecision: ['age'], decisionRuleResults: [] },
  engagement_already_ended: { endsOn: '2026-11-01' },
  duplicate_bank_reference: { existingId: 'x' },
  duplicate_enrolment: { existingId: 'x' },
  duplicate_organisation_code: { existingId: 'x' },
  duplicate_recognition: { existingId: 'x' },
  duplicate_verification: { existingId: 'x' },
  facts_changed: { proposed: {}, current: {} },
  instalment_not_cancellable: { instalmentStatus: 'scheduled' },
  reconciliation_already_running: { runningJobId: '0f8fad5b-d9cb-469f-a165-70867728950e' },
  reconciliation_could_not_run: { reason: 'notes.txt, line 1: not a bank statement', where: { file: 'notes.txt', line: 1 } },
};

/** The keys of ERROR_CATALOGUE as written in the source, in order. */
function catalogueKeysInSource(): { key: string; comment: string }[] {
  const source = read(CATALOGUE_FILE);
  const body = source.slice(source.indexOf('export const ERROR_CATALOGUE = {'), source.indexOf('} as const satisfies'));
  const lines = body.split('\n');
  return lines.flatMap((line, i) => {
    const m = /^ {2}([a-z0-9_]+): /.exec(line);
    return m ? [{ key: m[1]!, comment: lines[i - 1]!.trim() }] : [];
  });
}

/** Every .ts file under `dir` (project path). */
function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(projectRoot, dir), { withFileTypes: true }).flatMap((e) => {
    const file = `${dir}/${e.name}`;
    if (e.isDirectory()) return file === 'src/generated' ? [] : sourceFiles(file);
    return /\.tsx?$/.test(e.name) ? [file] : [];
  });
}

describe('the catalogue', () => {
  it('lists each code once, in the source as at run time', () => {
    const keys = catalogueKeysInSource().map((k) => k.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual([...ERROR_CODES]);
    expect(ERROR_CODES.length).toBe(Object.keys(ERROR_CATALOGUE).length);
  });

  it('gives every code an HTTP status, a Chinese and an English message, with no hole where a param goes', () => {
    for (const code of ERROR_CODES) {
      const entry = ERROR_CATALOGUE[code];
      expect({ code, status: [400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 503].includes(entry.status) }).toEqual({ code, status: true });
      const { zh, en } = render(code, ...([SAMPLES[code]] as [never]));
      expect({ code, zh: CJK.test(zh), en: en.length > 5 && !CJK.test(en) }).toEqual({ code, zh: true, en: true });
      for (const text of [zh, en]) expect({ code, text }).not.toEqual({ code, text: expect.stringMatching(/undefined|\[object|NaN/) });
    }
  });

  it('says above every code when it fires (the JSDoc line pages and clients read)', () => {
    for (const { key, comment } of catalogueKeysInSource()) {
      expect({ key, comment }).toEqual({ key, comment: expect.stringMatching(/^\/\*\* Fires (when|on|after|for) .+\. .+\*\/$/) });
    }
  });

  it('includes the generic answers of the HTTP layer', () => {
    for (const code of [
      'invalid_request',
      'malformed_json',
      'not_found',
      'forbidden',
      'unauthenticated',
      'concurrent_change',
      'payload_too_large',
      'internal_error',
    ] as const) {
      expect(isErrorCode(code)).toBe(true);
    }
    expect(ERROR_CATALOGUE.concurrent_change.status).toBe(409);
    expect(ERROR_CATALOGUE.internal_error.status).toBe(500);
  });

  it('puts the shown params, and `field`, in the problem body; the rest only in the messages', () => {
    expect(render('batch_cancelled', { batch: 'B1' })).toEqual({ en: 'Batch B1 was cancelled.', zh: '发放批次B1已取消', details: {} });
    expect(render('amount_outside_band', { field: 'amount', level: 'undergraduate', min: null, max: null }).details).toEqual({
      field: 'amount',
      level: 'undergraduate',
      min: null,
      max: null,
    });
    expect(render('duplicate_grant').details).toEqual({});
    expect(messageZh('insufficient_fund', { available: '0.00', needed: '4000.00', missing: '4000.00' })).toBe(
      '项目未承诺资金余额为0.00元，本资助需要4000.00元，尚缺4000.00元；请先登记到账',
    );
  });
});

describe('errors thrown with catalogue codes', () => {
  it('carry the Chinese message and the English one as detail, `中文 (English)`, and the shown params', () => {
    const error = new RuleViolationError('insufficient_fund', { available: '100.00', needed: '4000.00', missing: '3900.00' });
    expect(error.message).toBe(
      "The programme's uncommitted fund holds 100.00 CNY; this grant needs 4000.00 CNY, 3900.00 CNY more. Record a funding receipt first.",
    );
    expect(error.messageZh).toContain('4000.00元');
    expect(problemFromError(error).body).toMatchObject({
      status: 422,
      code: 'insufficient_fund',
      detail: `${error.messageZh} (${error.message})`,
      available: '100.00',
      needed: '4000.00',
      missing: '3900.00',
    });
  });

  it('answer with the status the catalogue gives each code', () => {
    const errors = [
      new ValidationError([{ path: 'amount', message: 'must be greater than zero' }]),
      new NotFoundError('grant'),
      new ConflictError('duplicate_student', { elsewhere: true }),
      new TransientConflictError(),
      new RuleViolationError('date_in_future', { field: 'receivedOn' }),
    ];
    expect(errors.map((e) => [e.code, problemFromError(e).body.status])).toEqual([
      ['invalid_request', 400],
      ['not_found', 404],
      ['duplicate_student', 409],
      ['concurrent_change', 409],
      ['date_in_future', 422],
    ]);
    expect(problemFromError(errors[1]).body.detail).toBe('未找到该资助 (grant not found)');
    expect(problemFromError(errors[4]).body).toMatchObject({ field: 'receivedOn' });
  });

  it('every code the source throws or answers is a catalogue code', () => {
    const thrown = new Map<string, string>();
    const patterns = [
      /new (?:RuleViolationError|ConflictError|ImportFileError)\(\s*'([a-z0-9_]+)'/g,
      /super\(\s*'([a-z0-9_]+)'/g,
      /problem\(\s*\d{3},\s*'([a-z0-9_]+)'/g,
      /\b\d{3}: '([a-z0-9_]+)'/g,
    ];
    for (const file of sourceFiles('src')) {
      const text = read(file);
      for (const re of patterns) for (const m of text.matchAll(re)) thrown.set(m[1]!, file);
    }
    expect(thrown.size).toBeGreaterThan(60);
    const unknown = [...thrown].filter(([code]) => !isErrorCode(code));
    expect(unknown).toEqual([]);
    // The recognition's timing reasons are thrown by their own code.
    expect(Object.keys(RECOGNITION_TIMING_MESSAGES).filter((c) => !isErrorCode(c))).toEqual([]);
  });
});

describe('the same rules under other names', () => {
  it('maps every database rule to an API code or to none, and a name shared with the API to itself', () => {
    for (const [rule, answer] of Object.entries(DATABASE_RULES)) {
      expect({ rule, ok: answer === null || isErrorCode(answer) }).toEqual({ rule, ok: true });
      if (isErrorCode(rule)) expect({ rule, answer }).toEqual({ rule, answer: rule });
    }
    for (const rule of CONSTRAINT_RULES) expect(rule in DATABASE_RULES).toBe(true);
  });

  it('maps every code of the reconciliation’s rules check, and only those', () => {
    expect(Object.keys(RECONCILIATION_RULES).sort()).toEqual([...RULE_CODES].sort());
    for (const [rule, answer] of Object.entries(RECONCILIATION_RULES)) {
      expect({ rule, ok: answer === null || isErrorCode(answer) }).toEqual({ rule, ok: true });
      if (isErrorCode(rule)) expect({ rule, answer }).toEqual({ rule, answer: rule });
    }
  });
});

/** The literal field messages of the use cases and their schemas, `${…}` filled with a number. */
function fieldMessagesInSource(): { file: string; message: string }[] {
  const files = [...sourceFiles('src/services'), ...sourceFiles('src/http/schemas'), 'src/domain/audit-engagements.ts', 'src/domain/token-lifetime.ts'];
  const literal = String.raw`('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\x60(?:[^\x60\\]|\\.)*\x60)`;
  const patterns = [
    new RegExp(String.raw`\bmessage: ${literal}`, 'g'),
    new RegExp(String.raw`\.(?:min|max|regex|int|length)\([^,()]*(?:\([^()]*\))?[^,()]*,\s*${literal}`, 'g'),
  ];
  const found: { file: string; message: string }[] = [];
  for (const file of files) {
    const text = read(file);
    for (const re of patterns) {
      for (const m of text.matchAll(re)) {
        const raw = m[1]!;
        const message = raw
          .slice(1, -1)
          .replace(/\\'/g, "'")
          .replace(/\$\{[^}]*\}/g, '5');
        if (raw.startsWith('`${')) continue; // built from other messages, e.g. `${code}: ${zh} (${en})`
        found.push({ file, message });
      }
    }
  }
  return found;
}

describe('field messages in Chinese', () => {
  it('has the Chinese of every field message the use cases and their schemas write', () => {
    const messages = fieldMessagesInSource();
    expect(messages.length).toBeGreaterThan(80);
    const missing = messages.filter((m) => !fieldMessageWords(m.message).known);
    expect(missing).toEqual([]);
  });

  it('has the Chinese of zod’s own messages', () => {
    const problems = fieldProblemsOf(
      z
        .strictObject({
          name: z.string(),
          level: z.enum(['higher_vocational', 'undergraduate']),
          count: z.number().int().min(1).max(100),
          items: z.array(z.string()).max(2),
          flag: z.boolean(),
        })
        .safeParse({ level: 'x', count: 101, items: ['a', 'b', 'c'], flag: 'yes', extra: 1 }).error!,
    );
    expect(problems.map((p) => [p.path, fieldMessageZh(p.message)])).toEqual([
      ['name', '必填'],
      ['level', '应为以下之一："higher_vocational"|"undergraduate"'],
      ['count', '不能大于100'],
      ['items', '不能超过2项'],
      ['flag', '应为布尔值（true或false），收到的是文本'],
      ['extra', '未知字段'],
    ]);
  });

  it('takes the Chinese of a message that carries both languages, and says so when it has none', () => {
    expect(fieldMessageZh('check_digit: 校验码不正确 (the check digit is wrong)')).toBe('校验码不正确');
    expect(fieldMessageWords('check_digit: 校验码不正确 (the check digit is wrong)')).toMatchObject({ code: 'check_digit', en: 'the check digit is wrong' });
    expect(fieldMessageZh('must be at most 200 characters')).toBe('不能超过200个字符');
    expect(fieldMessageZh('no such programme')).toBe('没有该项目');
    expect(fieldMessageZh('does not match the identity number (第17位奇数为男、偶数为女; its 17th digit is odd for male, even for female)')).toBe(
      '性别与身份证号码不符（第17位奇数为男、偶数为女）',
    );
    expect(fieldMessageWords('something nobody wrote')).toEqual({ zh: FIELD_MESSAGE_ZH_FALLBACK, en: 'something nobody wrote', code: null, known: false });
  });
});
