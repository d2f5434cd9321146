// The catalogue of error codes (错误代码目录): every code the service answers, once, with its HTTP
// status, a Simplified Chinese message (what a page shows next to the field) and an English one (the
// problem's `detail` is both, `中文 (English)`), and a line saying when it fires and what the caller
// should do. Services throw with these codes only (src/domain/errors.ts types them), so a code that
// is not here does not compile. The same rule may also have a code in the database (the HINT of a
// trigger's refusal) and in the auditors' reconciliation report: DATABASE_RULES and
// RECONCILIATION_RULES say which API code answers for each. Field messages (`errors[].message`,
// English) get their Chinese from fieldMessageZh below. Pure: no I/O, nothing but the domain.
import { ENROLMENT_LEVEL_LABELS, type EnrolmentLevel } from './eligibility.ts';
import { ENROLMENT_STATUS_LABELS, type EnrolmentStatus } from './enrolment-status.ts';
import { RECOGNITION_TIMING_MESSAGES } from './recognition.ts';

/** The HTTP statuses the catalogue uses; the kinds of src/domain/errors.ts map onto the first six. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

type Text<P> = string | ((params: P) => string);

export interface CatalogueEntry<P extends object = object, S extends ErrorStatus = ErrorStatus> {
  readonly status: S;
  readonly zh: Text<P>;
  readonly en: Text<P>;
  /**
   * The params that the problem body carries as members of its own (beside `field`, which every
   * refusal may carry), when given: clients and pages read them, e.g. `existingId`.
   */
  readonly shows: readonly (keyof P & string)[];
  /** Type only: what the messages are made of. */
  readonly params?: P;
}

function entry<S extends ErrorStatus>(status: S) {
  return <P extends object = object>(e: { zh: Text<P>; en: Text<P>; shows?: readonly (keyof P & string)[] }): CatalogueEntry<P, S> => ({
    status,
    zh: e.zh,
    en: e.en,
    shows: e.shows ?? [],
  });
}

const invalid = entry(400);
const conflict = entry(409);
const rule = entry(422);

/** Where a record names a type, its name in Chinese for the not-found message. */
export const RECORD_NAMES_ZH = Object.freeze({
  audit_engagement: '审计委托',
  bank_line_match: '手工匹配',
  bank_result_import: '银行回单导入',
  bank_result_line: '银行回单行',
  bulk_step_job: '批量核验与申报任务',
  empowerment_activity: '赋能活动',
  empowerment_participation: '活动参与记录',
  eligibility_determination: '资格认定',
  enrolment: '学籍',
  funding_receipt: '到账记录',
  grant: '资助',
  instalment: '分期',
  ledger_transaction: '账本交易',
  organisation: '机构',
  payout: '发放',
  payout_batch: '发放批次',
  programme: '项目',
  reconciliation_job: '对账任务',
  reconciliation_run: '对账记录',
  student: '学生',
  student_import: '学生导入记录',
  token: '令牌',
  user: '用户',
  session: '登录会话',
});
export type RecordType = keyof typeof RECORD_NAMES_ZH;

const statusZh = (s: string | null | undefined) => (s && s in ENROLMENT_STATUS_LABELS ? ENROLMENT_STATUS_LABELS[s as EnrolmentStatus].zh : (s ?? ''));
const levelZh = (l: string) => (l in ENROLMENT_LEVEL_LABELS ? ENROLMENT_LEVEL_LABELS[l as EnrolmentLevel].zh : l);

export const ERROR_CATALOGUE = {
  // ─── the request itself ───────────────────────────────────────────────────────────────────────
  /** Fires when fields are missing, of the wrong form, unknown, or name nothing; `errors[]` names each one. Fix them and send again; as is it never succeeds. */
  invalid_request: invalid<{ part?: string }>({
    zh: '请求中有字段不符合要求，请按各字段的提示修改',
    en: (p) => (p.part ? `The request ${p.part} has invalid fields.` : 'The request has invalid fields.'),
  }),
  /** Fires when the body is not JSON at all. Send valid JSON; nothing was read. */
  malformed_json: invalid({ zh: '请求体不是有效的JSON', en: 'The request body is not valid JSON.' }),
  /** Fires for any other refusal by the HTTP layer before a use case ran (status as raised, usually 400). Fix the request as the detail says. */
  http_error: invalid({ zh: '请求无法处理', en: 'The request cannot be handled.' }),
  /** Fires when the body is larger than the route accepts (1 MiB; a bank file 64 MiB; a student list 5 MiB; a reconciliation's uploads 64 MiB a file, 128 MiB together, errors[] naming the file). Split it; retrying as is never helps. */
  payload_too_large: entry(413)<{ of?: 'body' | 'bank_file' | 'student_list'; maxMiB?: number; maxRows?: number }>({
    zh: (p) =>
      p.maxMiB === undefined
        ? '请求内容过大，请拆分后分次提交'
        : p.of === 'bank_file'
          ? `银行文件超过${p.maxMiB} MiB，请分批导入`
          : p.of === 'student_list'
            ? `文件超过${p.maxMiB} MiB，请拆分为多个文件`
            : `请求内容超过${p.maxMiB} MiB，请拆分后分次提交`,
    en: (p) =>
      p.maxMiB === undefined
        ? 'The request body is too large; split it.'
        : p.of === 'bank_file'
          ? `The bank file is larger than ${p.maxMiB} MiB; import it in parts.`
          : p.of === 'student_list'
            ? `The file is larger than ${p.maxMiB} MiB; split it into several files${p.maxRows ? ` of at most ${p.maxRows} rows` : ''}.`
            : `The request body is larger than ${p.maxMiB} MiB.`,
  }),
  /** Fires when the body is sent with a media type the route does not read. Send it as the route's documentation says. */
  unsupported_media_type: entry(415)<{ file?: string }>({
    zh: (p) => (p.file ? `不支持该内容类型；请将文件本身作为请求体发送（Content-Type: ${p.file}）` : '不支持该内容类型'),
    en: (p) => (p.file ? `Send the file itself as the request body, with Content-Type: ${p.file}.` : 'Send the body as application/json.'),
  }),

  // ─── who is asking ──────────────────────────────────────────────────────────────────────────────
  /** Fires when the bearer token is missing, unknown, expired or revoked (deliberately the same answer for all). Sign in again or get a new token. */
  unauthenticated: entry(401)({ zh: '需要有效的登录凭证（令牌）', en: 'A valid bearer token is required.' }),
  /** Fires when a person's sign-in on the pages fails: unknown name, wrong password or none set (one answer for all, on purpose). Check both and try again; repeated failures are limited per address. */
  sign_in_failed: entry(401)({ zh: '用户名或密码不正确', en: 'The user name or password is not correct.' }),
  /** Fires after too many failed authentications from one address. Wait `retryAfterSeconds` (the Retry-After header), then try again. */
  too_many_failed_authentications: entry(429)<{ retryAfterSeconds: number }>({
    zh: (p) => `认证失败次数过多，请在${p.retryAfterSeconds}秒后再试`,
    en: (p) => `Too many failed authentications from this address; try again in ${p.retryAfterSeconds} seconds.`,
  }),
  /** Fires when the instance already works on as many requests as it takes at once (MAX_REQUESTS_IN_FLIGHT): nothing of this request ran. Retry after `retryAfterSeconds` (the Retry-After header), with the same Idempotency-Key. */
  overloaded: entry(503)<{ retryAfterSeconds: number }>({
    zh: (p) => `服务繁忙，本请求未被处理，请在${p.retryAfterSeconds}秒后重试`,
    en: (p) => `The service is busy and did not process this request; retry in ${p.retryAfterSeconds} second(s).`,
  }),
  /** Fires when a request could not be answered within the service's deadline (REQUEST_DEADLINE_MS): a read was given up, or a money-moving request was refused before its transaction started, so nothing of it was written. Retry after `retryAfterSeconds` (the Retry-After header), with the same Idempotency-Key. */
  deadline_exceeded: entry(503)<{ retryAfterSeconds: number }>({
    zh: (p) => `服务未能在时限内处理本请求，未作任何更改，请在${p.retryAfterSeconds}秒后重试`,
    en: (p) => `The service could not answer this request in time and changed nothing; retry in ${p.retryAfterSeconds} second(s).`,
  }),
  /** Fires on /readyz when this instance should not take traffic now: its database does not answer, its migrations are behind, or it is shedding load. `failed` names which; a load balancer sends the traffic elsewhere and asks again. */
  not_ready: entry(503)<{ failed: string }>({
    zh: (p) => `本实例暂不接收请求（未通过的检查：${p.failed}）`,
    en: (p) => `This instance should not take traffic now (failed: ${p.failed}).`,
  }),
  /** Fires when the caller's role may not take this action on a record it can see. Ask someone whose role may; retrying never helps. */
  forbidden: entry(403)<{ action: string }>({
    zh: (p) => `当前角色无权执行此操作（${p.action}）`,
    en: (p) => `This role may not ${p.action}.`,
  }),
  /** Fires when the record does not exist or lies outside the caller's scope (both answer alike, so scope leaks nothing). Check the id; retrying never helps. */
  not_found: entry(404)<{ record: RecordType | 'resource' }>({
    zh: (p) => (p.record === 'resource' ? '请求的资源不存在' : `未找到该${RECORD_NAMES_ZH[p.record]}`),
    en: (p) => (p.record === 'resource' ? 'No such resource.' : `${p.record.replace(/_/g, ' ')} not found`),
  }),

  // ─── the student intake file (400, with errors[] naming the column or parameter) ────────────────
  /** Fires when the uploaded student list can be read neither as CSV nor as an .xlsx workbook (an old .xls workbook, binary data, an unclosed quote). Save it as .xlsx or CSV and upload again. */
  not_csv: invalid<{ cause: 'workbook' | 'binary' | 'unclosed_quote'; row?: number }>({
    zh: (p) =>
      p.cause === 'workbook'
        ? '文件是旧版Excel工作簿（.xls）；请在Excel中“另存为”Excel工作簿（.xlsx）或CSV格式后再导入'
        : p.cause === 'binary'
          ? '文件不是文本格式的CSV'
          : `第${p.row}行的引号不配对，文件无法按CSV读取`,
    en: (p) =>
      p.cause === 'workbook'
        ? 'The file is an old .xls workbook: save it as an .xlsx workbook or as CSV first.'
        : p.cause === 'binary'
          ? 'The file is not a text CSV file: it contains binary data.'
          : `Row ${p.row}: a quoted cell is not closed, so the file cannot be read as CSV.`,
  }),
  /** Fires when the student list is UTF-16 (Excel's "Unicode text"). Save it as CSV UTF-8 or CSV and upload again. */
  unsupported_encoding: invalid({
    zh: '文件是UTF-16编码（如Excel“Unicode文本”）；请另存为“CSV UTF-8”或“CSV (逗号分隔)”',
    en: 'The file is UTF-16; save it as CSV UTF-8 or CSV.',
  }),
  /** Fires when the student list's bytes are not valid in the encoding given or guessed. Send the right `encoding` or save the file as CSV UTF-8. */
  invalid_encoding: invalid<{ tried: 'utf-8' | 'gbk' | 'either' }>({
    zh: (p) =>
      p.tried === 'utf-8'
        ? '文件不是有效的UTF-8编码；如为GBK编码请使用 encoding=gbk'
        : p.tried === 'gbk'
          ? '文件不是有效的GBK编码'
          : '文件既不是有效的UTF-8也不是GBK编码；请另存为“CSV UTF-8”',
    en: (p) =>
      p.tried === 'utf-8'
        ? 'The file is not valid UTF-8; if it was saved as GBK, send encoding=gbk.'
        : p.tried === 'gbk'
          ? 'The file is not valid GBK.'
          : 'The file is neither valid UTF-8 nor GBK; save it as CSV UTF-8.',
  }),
  /** Fires when the header row lacks a required column or repeats one; errors[] names each column. Fix the header (the template has it) and upload again. */
  invalid_header: invalid<{ headerRow: number }>({
    zh: (p) => `第${p.headerRow}行（表头）缺少必填列或有重复列`,
    en: (p) => `The header row ${p.headerRow} lacks required columns or repeats one.`,
  }),
  /** Fires when an uploaded student list looks like an .xlsx workbook (a zip) but cannot be read as one. Save it again in Excel or WPS, or as CSV. */
  unreadable_workbook: invalid({
    zh: '文件无法作为Excel工作簿（.xlsx）读取，可能已损坏；请在Excel或WPS中重新保存，或另存为CSV',
    en: 'The file cannot be read as an .xlsx workbook; it may be damaged. Save it again, or as CSV.',
  }),
  /** Fires when a workbook unpacks to more than the import reads (a zip bomb, or a workbook full of other sheets). Keep only the list and upload again. */
  workbook_too_large: invalid<{ maxMiB: number }>({
    zh: (p) => `工作簿解压后超过${p.maxMiB} MiB；请只保留学生名单工作表，或另存为CSV`,
    en: (p) => `The workbook unpacks to more than ${p.maxMiB} MiB; keep only the student list, or save it as CSV.`,
  }),
  /** Fires when a cell of the list (the header and below) holds a formula: its value is not what a clerk typed. errors[] names every such cell. Paste the values (选择性粘贴 → 数值) and upload again. */
  workbook_formula: invalid<{ first: string; firstEn: string; count: number }>({
    zh: (p) => `${p.first}是公式${p.count > 1 ? `（共${p.count}个公式单元格）` : ''}；请复制后“选择性粘贴为数值”，再导入`,
    en: (p) => `${p.count} cell(s) hold a formula, the first ${p.firstEn}; paste them as values and upload again.`,
  }),
  /** Fires when merged cells reach the header or the rows below it: a merged cell belongs to no one row and column. errors[] names every merged range. Unmerge them and fill each cell. */
  workbook_merged_cells: invalid<{ first: string; firstEn: string; count: number }>({
    zh: (p) => `${p.first} 是合并单元格${p.count > 1 ? `（共${p.count}处）` : ''}；请取消合并，并在每个单元格中填写完整`,
    en: (p) => `${p.count} merged range(s) in the list, the first ${p.firstEn}; unmerge them and fill in every cell.`,
  }),
  /** Fires when the student list has a header but no student rows. Add the rows and upload again. */
  no_rows: invalid({ zh: '文件中没有学生数据行', en: 'The file has no student rows below the header.' }),
  /** Fires when the student list has more rows than one import takes. Split it into several files. */
  too_many_rows: invalid<{ rows: number; max: number }>({
    zh: (p) => `文件有${p.rows}行学生数据，每个文件最多${p.max}行；请拆分为多个文件`,
    en: (p) => `The file has ${p.rows} student rows; at most ${p.max} per file: split it.`,
  }),
  /** Fires when the student list is larger than an import takes (checked by the use case; the API refuses earlier with payload_too_large). Split it. */
  file_too_large: invalid<{ maxBytes: number }>({
    zh: (p) => `文件超过${p.maxBytes / (1024 * 1024)} MiB，请拆分`,
    en: (p) => `The file is larger than ${p.maxBytes} bytes: split it.`,
  }),

  // ─── conflicts with what is recorded (409) ──────────────────────────────────────────────────────
  /** Fires when concurrent requests changed the same records (a lost compare-and-set, or a deadlock or serialization conflict that persisted); nothing was written. Reload and send the same request again (same Idempotency-Key). */
  concurrent_change: conflict({
    zh: '其他操作正在同时修改相同记录，未作任何更改；请刷新后重试',
    en: 'Concurrent requests changed the same records; nothing was written. Reload and try again.',
  }),
  /** Fires when an Idempotency-Key is sent again with a different request. Use a new key for a new request; the first request's answer stays bound to the old key. */
  idempotency_key_reused: conflict({
    zh: '该幂等键已用于另一个不同的请求；新请求请使用新的幂等键',
    en: 'This Idempotency-Key was used for a different request. Use a new key for a new request.',
  }),
  /** Fires when a grant or eligibility determination is no longer proposed (decided before, or meanwhile). Reload it; deciding twice is never possible. */
  already_decided: conflict<{ record: 'grant' | 'eligibility determination'; currentStatus?: string }>({
    zh: (p) => `该${p.record === 'grant' ? '资助' : '资格认定'}已作出决定${p.currentStatus ? `（当前状态：${p.currentStatus}）` : ''}，不能再次决定`,
    en: (p) => (p.currentStatus ? `This ${p.record} is already ${p.currentStatus}.` : `This ${p.record} was decided meanwhile.`),
    shows: ['currentStatus'],
  }),
  /** Fires when the eligibility to revoke is already revoked (before, or meanwhile). Nothing to do: the revocation stands. */
  already_revoked: conflict({ zh: '该资格已被撤销', en: 'This eligibility is already revoked.' }),
  /** Fires when only approved eligibility may be revoked and this one is proposed or rejected. Reject a proposal instead. */
  not_approved: conflict<{ currentStatus: string }>({
    zh: (p) => `只能撤销已批准的资格；该资格的状态为${p.currentStatus}`,
    en: (p) => `Only approved eligibility can be revoked; this one is ${p.currentStatus}.`,
    shows: ['currentStatus'],
  }),
  /** Fires when a ledger transaction is reversed a second time; `reversalId` names the correction. Nothing to do: it is reversed already. */
  already_reversed: conflict<{ reversalId: string }>({
    zh: '该笔交易已被冲正',
    en: 'This transaction has already been reversed.',
    shows: ['reversalId'],
  }),
  /** Fires when bands of an academic year with approved grants would change (database rule `programme_band_locked`). Bands are frozen then; a new year gets new bands. */
  bands_locked: conflict<{ year: string }>({
    zh: (p) => `${p.year}学年已有批准的资助，其资助标准不能再更改；新学年请设置新的标准`,
    en: (p) => `Academic year ${p.year} has approved grants: its bands can no longer change. A new year gets new bands.`,
  }),
  /** Fires when the bank account is already on another student's file (`existingId` when the caller may see it). One account pays one student: use the student's own account. */
  bank_account_in_use: conflict<{ existingId?: string }>({
    zh: '该银行账户已登记在另一名学生名下',
    en: 'This bank account is already on another student’s file.',
    shows: ['existingId'],
  }),
  /** Fires when the line of the bank's answer already has an open or confirmed hand match (database: unique index `bank_line_match_one_open_per_line`). Confirm or reject that one first. */
  bank_line_already_matched: conflict<{ matchId?: string }>({
    zh: '该银行回单行已有待确认或已确认的手工匹配，请先确认或驳回该匹配',
    en: 'This line of the bank’s answer already has an open or confirmed hand match; confirm or reject that one first.',
    shows: ['matchId'],
  }),
  /** Fires when the payout already has an open or confirmed hand match for a line of the same kind (database: unique index `bank_line_match_one_open_per_payout`). A payout is settled (or returned) by one line only. */
  payout_already_matched: conflict<{ matchId?: string }>({
    zh: '该发放已有同类银行回单行的待确认或已确认手工匹配，一笔发放只能由一行入账',
    en: 'This payout already has an open or confirmed hand match for a line of this kind; a payout is settled or returned by one line only.',
    shows: ['matchId'],
  }),
  /** Fires when a hand match is confirmed or rejected that was decided before (or meanwhile). Reload it; a proposal is decided once. */
  hand_match_already_decided: conflict<{ currentStatus: string }>({
    zh: (p) => `该手工匹配已${p.currentStatus === 'confirmed' ? '确认' : '驳回'}，不能再次决定`,
    en: (p) => `This hand match is already ${p.currentStatus}.`,
    shows: ['currentStatus'],
  }),
  /** Fires when a hand match is confirmed whose line or payout changed since the proposal (the payout settled, failed or returned meanwhile; the line applied): nothing was written. Reject the proposal and look again. */
  hand_match_stale: conflict<{ payoutStatus: string }>({
    zh: (p) => `提出匹配后该发放或回单行已发生变化（发放当前状态：${p.payoutStatus}），未作任何处理；请驳回该匹配后重新核对`,
    en: (p) =>
      `The payout or the line changed since the match was proposed (the payout is now ${p.payoutStatus}); nothing was written. Reject the proposal and look again.`,
    shows: ['payoutStatus'],
  }),
  /** Fires when a bank answer reuses the camt message id (GrpHdr/MsgId) of an earlier import but its bytes differ: banks never reissue a message id with other content, so one of the two files is not what it says. Both SHA-256 are named; compare the files with the bank. The same file again is a replay, not this. */
  bank_file_message_id_reused: conflict<{ messageId: string; earlierSha256: string; sha256: string; earlierImportId: string; file: string | null }>({
    zh: (p) =>
      `报文标识${p.messageId}已用于先前导入的另一文件（SHA-256 ${p.earlierSha256}），本文件（SHA-256 ${p.sha256}）内容不同，未作任何处理；请向银行核实两份文件`,
    en: (p) =>
      `Message id ${p.messageId} was already imported with other content (SHA-256 ${p.earlierSha256}); this file's SHA-256 is ${p.sha256}. Nothing was applied: check both files with the bank.`,
    shows: ['messageId', 'earlierSha256', 'sha256', 'earlierImportId', 'file'],
  }),
  /** Fires when a payout batch that was sent is sent or changed again. Batches are sent once; nothing to do. */
  batch_already_sent: conflict<{ batch: string }>({
    zh: (p) => `发放批次${p.batch}已发送，不会重复发送`,
    en: (p) => `Batch ${p.batch} was already sent; it is never sent twice.`,
  }),
  /** Fires when a cancelled payout batch is sent or exported. Create a new batch for what is still due. */
  batch_cancelled: conflict<{ batch: string }>({
    zh: (p) => `发放批次${p.batch}已取消`,
    en: (p) => `Batch ${p.batch} was cancelled.`,
  }),
  /** Fires when a receipt with this bank reference is already recorded for the programme (`existingId`). Nothing to do if it is the same transfer; otherwise check the reference. */
  duplicate_bank_reference: conflict<{ existingId: string }>({
    zh: '该项目已登记过相同银行流水号的到账',
    en: 'A receipt with this bank reference is already recorded for this programme.',
    shows: ['existingId'],
  }),
  /** Fires when an open (proposed or approved) eligibility exists for the student, programme and year (database: unique index `eligibility_one_open_per_year`). Decide that one instead. */
  duplicate_eligibility: conflict<{ existingId?: string }>({
    zh: '该学生在该项目、该学年已有待审或已批准的资格认定',
    en: 'An open (proposed or approved) eligibility determination already exists for this student, programme and academic year.',
    shows: ['existingId'],
  }),
  /** Fires when the same enrolment (institution, admission date) is recorded twice (`existingId`). Nothing to do: it is recorded. */
  duplicate_enrolment: conflict<{ existingId: string }>({
    zh: '该学生在该校同一入学日期的学籍已登记',
    en: 'This enrolment is already recorded.',
    shows: ['existingId'],
  }),
  /** Fires when a grant other than a rejected one exists for the student, programme and year (database: unique index `grant_one_per_year`; reconciliation: `duplicate_grant`). One grant per year. */
  duplicate_grant: conflict<{ existingId?: string }>({
    zh: '该学生在该项目、该学年已有资助（只有被驳回的资助之后才能重新提出）',
    en: 'A grant already exists for this student, programme and academic year (only a rejected one may be followed by a new proposal).',
    shows: ['existingId'],
  }),
  /** Fires when an admin gives a user a user name another user already has. Choose another name. */
  duplicate_username: conflict({ zh: '该登录名已被使用', en: 'This user name is taken.' }),
  /** Fires when an organisation code is taken (`existingId`, unless a concurrent creation took it). Choose another code, or use that organisation. */
  duplicate_organisation_code: conflict<{ existingId?: string }>({
    zh: '已有使用该代码的机构',
    en: 'An organisation with this code exists.',
    shows: ['existingId'],
  }),
  /** Fires when a programme code is taken. Choose another code. */
  duplicate_programme_code: conflict({ zh: '已有使用该代码的项目', en: 'A programme with this code exists.' }),
  /** Fires when the same recognition decision is recorded twice (`existingId`); a correction differs in some fact. Nothing to do if it is the same decision. */
  duplicate_recognition: conflict<{ existingId: string }>({
    zh: '该认定已登记',
    en: 'This recognition is already recorded.',
    shows: ['existingId'],
  }),
  /** Fires when a student with this identity number is registered (`existingId` when the caller may see the file; otherwise another department keeps it). Use that file, or ask its department to share it. */
  duplicate_student: conflict<{ existingId?: string; elsewhere?: boolean }>({
    zh: (p) => (p.elsewhere ? '该身份证号码的学生已由其他部门登记' : '该身份证号码的学生已登记'),
    en: (p) =>
      p.elsewhere
        ? 'A student with this identity number is already registered by another department; ask it to share the file.'
        : 'A student with this identity number is already registered.',
    shows: ['existingId'],
  }),
  /** Fires when the same enrolment verification is recorded twice (`existingId`). Nothing to do: it is recorded. */
  duplicate_verification: conflict<{ existingId: string }>({
    zh: '该核验已登记',
    en: 'This verification is already recorded.',
    shows: ['existingId'],
  }),
  /** Fires when a reconciliation of the same programme (or one over all programmes) is already queued or running, started by anyone, in this process or another (`runningJobId`). Follow that job (GET /reconciliation-jobs/{id}); start again once it has ended. */
  reconciliation_already_running: conflict<{ runningJobId: string }>({
    zh: '同一范围（该项目，或全部项目）已有一次对账正在排队或运行；请等其结束后再提交',
    en: 'A reconciliation of the same programme (or of all programmes) is already queued or running; wait for it to end.',
    shows: ['runningJobId'],
  }),
  /** Fires when an audit engagement that has ended (`endsOn`) is ended again. Nothing to do; a new engagement covers a new period. */
  engagement_already_ended: conflict<{ endsOn: string | null }>({
    zh: '该审计委托已结束',
    en: 'The engagement has already ended.',
    shows: ['endsOn'],
  }),

  // ─── business rules (422): the request is well formed, the rules refuse it ──────────────────────
  /** Fires when a set-password link is unknown, used, replaced by a newer one or past its 72 hours. Ask an admin for a new link. */
  password_link_invalid: rule({
    zh: '该链接无效、已使用或已过期，请联系管理员重新发放',
    en: 'This link is invalid, used or expired: ask an admin for a new one.',
  }),
  /** Fires when an admin would disable themselves or take the admin role from themselves: nobody may lock themselves out. Ask another admin. */
  self_lockout: rule({
    zh: '不能停用自己的账户，也不能取消自己的管理员角色；如确需办理，请由另一位管理员操作',
    en: 'You cannot disable yourself or remove your own admin role: ask another admin.',
  }),
  /** Fires when the academic year lies outside the programme's years. Use a year the programme runs. */
  academic_year_outside_programme: rule<{ from: string; to: string }>({
    zh: (p) => `该项目的执行学年为${p.from}至${p.to}`,
    en: (p) => `The programme runs from ${p.from} to ${p.to}.`,
  }),
  /** Fires when a grant of an academic year that has ended would be proposed or approved (`yearEnd`). Too late for that year; nothing to retry. */
  academic_year_over: rule<{ year: string; yearEnd: string }>({
    zh: (p) => `${p.year}学年已于${p.yearEnd}结束，该学年的资助不能再批准`,
    en: (p) => `The academic year ${p.year} ended on ${p.yearEnd}; its grants can no longer be approved.`,
    shows: ['yearEnd'],
  }),
  /** Fires when the bank account is not in the student's own name (reconciliation: `payout_account_not_students`). Give an account the student holds. */
  account_holder_not_student: rule({
    zh: '账户持有人必须是学生本人',
    en: 'The account holder must be the student: grants are paid only into the student’s own account.',
  }),
  /** Fires when a programme's administrator is not a civil-affairs department. Name a civil-affairs department. */
  administrator_not_civil_affairs: rule({ zh: '项目管理机构必须是民政部门', en: 'The administrator must be a civil-affairs department.' }),
  /** Fires when a grant's amount lies outside its level's band, or the level has no band (database: `grant_amount_outside_band`; reconciliation: `grant_outside_band`, `grant_no_band`). Propose an amount inside `min`–`max`. */
  amount_outside_band: rule<{ level: EnrolmentLevel; min: string | null; max: string | null }>({
    zh: (p) =>
      p.min === null || p.max === null
        ? `该项目本学年没有${levelZh(p.level)}层次的资助标准`
        : `${levelZh(p.level)}层次的资助金额应在${p.min}至${p.max}元之间（含）`,
    en: (p) =>
      p.min === null || p.max === null
        ? `The programme has no band for level ${p.level} in this academic year.`
        : `The amount must lie between ${p.min} and ${p.max} CNY (inclusive) for level ${p.level}.`,
    shows: ['level', 'min', 'max'],
  }),
  /** Fires when a bank answer is in another currency than CNY. Ask the bank for the programme's CNY account's file. */
  bank_file_currency: rule<{ currency: string; file: string | null }>({
    zh: (p) => `文件币种为${p.currency}，发放币种为人民币（CNY）`,
    en: (p) => `The file is in ${p.currency}; payouts are in CNY.`,
    shows: ['file'],
  }),
  /** Fires when lines of a bank answer match no payout exactly and acceptExceptions was not given; nothing was applied. Correct the file, or import it with acceptExceptions. */
  bank_file_exceptions: rule<{ file: string | null; exceptions: unknown[]; exceptionCount: number }>({
    zh: (p) => `文件中有${p.exceptionCount}行与发放记录不完全相符，未作任何处理；请更正文件，或使用 acceptExceptions 导入其余行并保留这些行的记录`,
    en: (p) =>
      `${p.exceptionCount} line(s) of the file do not match a payout exactly; nothing was applied. Correct the file, or import it with acceptExceptions to apply the other lines and keep these on record.`,
    shows: ['file', 'exceptions', 'exceptionCount'],
  }),
  /** Fires when a line of a bank answer is booked after today (Beijing time): a bank books nothing in the future, so the file is wrong or its dates are not booking dates. The whole file is refused, never re-dated; get a corrected file from the bank. */
  bank_file_future_booking: rule<{ file: string | null; line: number; bookingDate: string; today: string }>({
    zh: (p) => `第${p.line}行的记账日期${p.bookingDate}晚于今天（${p.today}），银行不会预先记账；文件未作任何处理，请向银行索取正确的文件`,
    en: (p) =>
      `Line ${p.line} is booked on ${p.bookingDate}, after today (${p.today}); a bank books nothing in the future. Nothing was applied: get a corrected file from the bank.`,
    shows: ['file', 'line', 'bookingDate', 'today'],
  }),
  /** Fires when a bank answer cannot be read (format, structure, a bad line). Get a correct file from the bank; retrying as is never helps. */
  bank_file_invalid: rule<{ file: string | null; line: number | null; reason: string }>({
    zh: (p) => `银行回单文件无法读取${p.line ? `（第${p.line}行）` : ''}：${p.reason}`,
    en: (p) => (p.line ? `Line ${p.line}: ${p.reason}` : p.reason),
    shows: ['file', 'line'],
  }),
  /** Fires when a bank answer is about another account than the programme's payout account. Import it under the programme it belongs to. */
  bank_file_other_account: rule<{ file: string | null }>({
    zh: '文件所属账户不是该项目的发放账户',
    en: "The file is about another account than the programme's payout account.",
    shows: ['file'],
  }),
  /** Fires when a batch cannot be written in the bank format asked for (a name or account the format does not accept). Choose another format, or correct the record named. */
  bank_file_refused: rule<{ batch: string; field: string | null; reference: string | null }>({
    zh: (p) => `发放批次${p.batch}无法生成该格式的银行文件：${p.reference ? `发放${p.reference}` : '批次'}的${p.field ?? '内容'}不被该格式接受`,
    en: (p) =>
      `Batch ${p.batch} cannot be written in this format: the ${p.field ?? 'batch'} of ${p.reference ? `payout ${p.reference}` : 'the batch'} is not accepted by the bank format.`,
    shows: ['field', 'reference'],
  }),
  /** Fires when payouts of an open batch are no longer payable (instalment held or cancelled, grant ended) at sending. Cancel the batch and create a new one. */
  batch_out_of_date: rule<{ batch: string; count: number; payouts: unknown[] }>({
    zh: (p) => `发放批次${p.batch}中有${p.count}笔发放已不能支付（分期暂停或取消，或资助已终止）；请取消该批次并重新生成`,
    en: (p) =>
      `${p.count} payout(s) of batch ${p.batch} are no longer payable (instalment held or cancelled, or grant ended since the batch was made). Cancel the batch and create a new one.`,
    shows: ['payouts'],
  }),
  /** Fires when a payout batch is marked sent before any of its bank files was exported, and no override with a reason is given. Download the pain.001 or 代发 file and hand it to the bank first; if the bank got the batch by other means, send with an override stating how. */
  bank_file_not_exported: rule<{ batch: string }>({
    zh: (p) => `发放批次${p.batch}尚未导出银行文件，不能标记为已提交银行；请先下载银行文件并提交银行，或说明银行以其他方式收到该批次的原因`,
    en: (p) =>
      `Batch ${p.batch} has no exported bank file, so it cannot be marked sent; download the bank file and hand it to the bank first, or state why the bank received the batch by other means.`,
  }),
  /** Fires when a line of the bank's answer is matched by hand that is not an exception applying to no payout (it applied, repeats a recorded fact, or names an unsent payout). Only unmatched, ambiguous or other-amount lines are matched by hand. */
  bank_line_not_matchable: rule<{ outcome: string }>({
    zh: '只有未匹配、有多个候选或金额不符、且未入账的回单行才能手工匹配',
    en: 'Only a line that matched no payout, several candidates, or another amount, and applied to nothing, can be matched by hand.',
    shows: ['outcome'],
  }),
  /** Fires when a hand match names a payout of another amount than the line's. A hand match never changes an amount: find the payout of exactly this amount, or ask the bank. */
  hand_match_amount_differs: rule<{ lineAmount: string; payoutAmount: string }>({
    zh: (p) => `回单行金额为${p.lineAmount}元，该发放金额为${p.payoutAmount}元；手工匹配须金额完全一致`,
    en: (p) => `The line is for ${p.lineAmount} CNY, the payout for ${p.payoutAmount} CNY; a hand match needs exactly the same amount.`,
    shows: ['lineAmount', 'payoutAmount'],
  }),
  /** Fires when a hand match names a payout that this kind of line cannot apply to: a debit or a refusal needs a payout in transit (sent), a return one sent or settled. Check the payout named. */
  hand_match_payout_state: rule<{ payoutStatus: string; kind: string }>({
    zh: (p) => `该发放当前状态为${p.payoutStatus}，此类回单行不能入账（扣款和失败须为“已提交银行”的发放，退汇须为已提交或已入账的发放）`,
    en: (p) =>
      `The payout is ${p.payoutStatus}: a ${p.kind} line cannot apply to it (a debit or a refusal needs a sent payout, a return a sent or settled one).`,
    shows: ['payoutStatus', 'kind'],
  }),
  /** Fires when a correction would itself be reversed (database: `ledger_correction_reversed`). Record a new correction of the original instead. */
  correction_not_reversible: rule({ zh: '冲正交易本身不能再冲正', en: 'A correction cannot itself be reversed.' }),
  /** Fires when a funding receipt is dated outside the programme's life: from the start of the academic year before its first to the end of its last. Check the value date on the bank statement. */
  receipt_outside_programme: rule<{ from: string; to: string }>({
    zh: (p) => `到账日期不在本项目的期间内（${p.from} 至 ${p.to}），请核对银行流水上的起息日期`,
    en: (p) => `The receipt date lies outside the programme's life (${p.from} to ${p.to}); check the value date on the bank statement.`,
    shows: ['from', 'to'],
  }),
  /** Fires when an amount would take a ledger balance beyond what NUMERIC(14,2) holds (999,999,999,999.99). Check the amount. */
  amount_out_of_range: rule({
    zh: '金额超出账本能够记录的范围（任一账户余额不能超过 999,999,999,999.99 元），请核对金额',
    en: 'The amount would take a balance beyond what the ledger can hold (999,999,999,999.99 CNY per account); check the amount.',
  }),
  /** Fires when a date (recognition, receipt, correction, status change, verification) lies after today in Beijing. Use the day it happened. */
  date_in_future: rule({ zh: '日期不能晚于今天（北京时间）', en: 'The date cannot be after today (Beijing time).' }),
  /** Fires when an enrolment status change would take effect before the current status did (`previousEffectiveOn`). Use a later effective date. */
  effective_date_before_previous: rule<{ previousEffectiveOn: string }>({
    zh: (p) => `生效日期早于当前状态的生效日期（${p.previousEffectiveOn}）`,
    en: 'The change cannot take effect before the current status did.',
    shows: ['previousEffectiveOn'],
  }),
  /** Fires when a revocation would take effect outside its academic year. Use a date inside `from`–`to`. */
  effective_date_outside_year: rule<{ from: string; to: string }>({
    zh: (p) => `撤销须在该学年内生效（${p.from}至${p.to}）`,
    en: (p) => `The revocation must take effect within the academic year (${p.from} to ${p.to}).`,
  }),
  /** Fires when the student has no approved eligibility for the programme and year, or the grant's level is not the enrolment's (database: `grant_eligibility_not_approved`, `grant_level_mismatch`). Get eligibility approved first. */
  eligibility_not_approved: rule<{ year: string }>({
    zh: (p) => `该学生在本项目${p.year}学年没有已批准的资格`,
    en: (p) => `The student has no approved eligibility for this programme in ${p.year}.`,
  }),
  /** Fires when the enrolment has ended (graduated, withdrawn): its status cannot change and no grant is committed on it (database: `grant_enrolment_ended`). Record a new enrolment if the student came back. */
  enrolment_ended: rule<{ status: EnrolmentStatus | null; currentStatus?: EnrolmentStatus; enrolmentStatus?: EnrolmentStatus }>({
    zh: (p) => `学籍已结束${p.status ? `（${statusZh(p.status)}）` : ''}，状态不能再变更，也不能据此批准资助`,
    en: (p) => `The enrolment has ended${p.status ? ` (${p.status})` : ''}: its status cannot change and no grant can be committed on it.`,
    shows: ['currentStatus', 'enrolmentStatus'],
  }),
  /** Fires when the recognition or enrolment a proposal rests on is no longer the current one. Reject it and propose again on the current facts. */
  facts_changed: rule<{ proposed: unknown; current: unknown }>({
    zh: '该提议所依据的认定或学籍已不是当前记录；请驳回后按当前情况重新提出',
    en: 'The recognition or enrolment this proposal rests on is no longer the current one. Reject it and propose again on the current facts.',
    shows: ['proposed', 'current'],
  }),
  /** Fires when a reconciliation check cannot run at all (CheckCouldNotRun, src/reconcile/check-types.ts; the command line's exit code 2): a file that is not a statement or a remittance list, or that cannot be read (`where`: file and line), a programme without a payout account. Nothing was recorded. Correct what the reason names and start the run again. */
  reconciliation_could_not_run: rule<{ reason: string; where: { file: string | null; line: number | null } }>({
    zh: (p) =>
      `对账无法运行，未记录任何结果${p.where.file ? `（文件${p.where.file}${p.where.line ? `第${p.where.line}行` : ''}）` : ''}；原因见英文说明：${p.reason}`,
    en: (p) => `The reconciliation could not run; nothing was recorded: ${p.reason}`,
    shows: ['where'],
  }),
  /** Fires when a programme's funder is not a foundation. Name a foundation. */
  funder_not_foundation: rule({ zh: '资助方必须是基金会', en: 'The funder must be a foundation.' }),
  /** Fires when a student list has rows with errors and was not a dry run: nothing was imported; `report` and errors[] name every row. Fix the rows and upload again. */
  import_rejected: rule<{ errorRows: number; rows: number; report: unknown; errors: unknown[] }>({
    zh: (p) => `${p.errorRows}行有错误，未导入任何数据；请修改后重新上传`,
    en: (p) => `${p.errorRows} of ${p.rows} rows have errors; nothing was imported. Fix them and send the file again.`,
    shows: ['report', 'errors'],
  }),
  /** Fires when an instalment is cancelled that is not one whose payout failed or came back (or is in a batch again). Only those can be cancelled here. */
  instalment_not_cancellable: rule<{ instalmentStatus: string }>({
    zh: '只有发放失败或被退回、且未再次列入批次的分期才能在此取消',
    en: 'Only an instalment whose payout failed or came back, and that is not in a batch again, can be cancelled here.',
    shows: ['instalmentStatus'],
  }),
  /** Fires when instalments named for a batch cannot be paid in it (`instalments` says why each); nothing was created. Leave them out, or fix what holds them. */
  instalments_not_payable: rule<{ instalments: unknown[] }>({
    zh: (p) => `所列分期中有${p.instalments.length}期不能列入本批次，未生成任何批次`,
    en: (p) => `${p.instalments.length} of the instalments named cannot be paid in this batch; nothing was created.`,
    shows: ['instalments'],
  }),
  /** Fires when a posting would take fund, a payable or in-transit below zero (database: `ledger_insufficient_balance`, `ledger_balance_negative`). Record the money first (e.g. a funding receipt). */
  insufficient_balance: rule<{ account: string; available: string; needed: string }>({
    zh: (p) => `${p.account}账户余额为${p.available}元，需要${p.needed}元`,
    en: (p) => `The ${p.account} account holds ${p.available} CNY; ${p.needed} CNY is needed.`,
    shows: ['account', 'available', 'needed'],
  }),
  /** Fires when approving a grant would commit more than the programme's uncommitted fund (insufficient_balance of `fund`, said for grants); `missing` is the shortfall. Record a funding receipt of at least that much first, then approve again. */
  insufficient_fund: rule<{ available: string; needed: string; missing: string }>({
    zh: (p) => `项目未承诺资金余额为${p.available}元，本资助需要${p.needed}元，尚缺${p.missing}元；请先登记到账`,
    en: (p) =>
      `The programme's uncommitted fund holds ${p.available} CNY; this grant needs ${p.needed} CNY, ${p.missing} CNY more. Record a funding receipt first.`,
    shows: ['available', 'needed', 'missing'],
  }),
  /** Fires when an enrolment status change is not allowed from the current status (e.g. to the same status). Choose a change the current status allows. */
  invalid_status_transition: rule<{ currentStatus: EnrolmentStatus; to: EnrolmentStatus }>({
    zh: (p) => `不能从“${statusZh(p.currentStatus)}”变更为“${statusZh(p.to)}”`,
    en: (p) => `No change from ${p.currentStatus} to ${p.to}.`,
    shows: ['currentStatus'],
  }),
  /** Fires when the user who proposed a grant, an eligibility or a hand match of a bank line would decide it (database: CHECK `grant_maker_is_not_checker`, `eligibility_maker_is_not_checker`, `bank_line_match_maker_is_not_checker`; reconciliation: `maker_is_checker`). Another approver must decide. */
  maker_checker: rule<{ record: 'grant' | 'eligibility' | 'hand match' }>({
    zh: (p) => `提出该${p.record === 'grant' ? '资助' : p.record === 'eligibility' ? '资格认定' : '手工匹配'}的用户不能自行审批，须由另一名审核人决定`,
    en: (p) => `The user who proposed this ${p.record} cannot decide it; another approver must.`,
  }),
  /** Fires when eligibility is evaluated for a student with no enrolment on record. Record the enrolment first. */
  no_enrolment: rule({
    zh: '该学生没有学籍记录，无法评估资格；请先登记学籍',
    en: 'The student has no enrolment on record, so eligibility cannot be evaluated. Record the enrolment first.',
  }),
  /** Fires when no instalment of the programme is due and payable by the cut-off (`held` counts those held back). Choose a later cut-off, or nothing is due yet. */
  nothing_due: rule<{ cutoffOn: string; held: number }>({
    zh: (p) => `截至${p.cutoffOn}，该项目没有到期可发放的分期`,
    en: (p) => `No instalment of this programme is due and payable by ${p.cutoffOn}.`,
    shows: ['cutoffOn', 'held'],
  }),
  /** Fires when a bank file is exported or a bank answer imported for a programme with no payout account recorded. Record the programme's payout account first. */
  programme_payout_account_missing: rule({
    zh: '该项目未登记发放账户；请先登记，才能生成银行文件或导入银行回单',
    en: 'The programme has no payout account recorded; the bank files and answers need the account the payouts leave from.',
  }),
  /** Fires when the receipt's remitter is not the programme's funding foundation. Record the receipt under the programme that foundation funds. */
  remitter_not_funder: rule({ zh: '汇款方必须是该项目的资助基金会', en: "The remitter must be the programme's funding foundation." }),
  /** Fires when eligibility rules fail now or failed at proposal (`failedRules`); no override exists. Reject the proposal, and propose again when the facts change. */
  rule_failed: rule<{ failedRules: string[]; failedAtProposal: string[]; failedAtDecision: string[]; decisionRuleResults: unknown }>({
    zh: (p) =>
      `不予批准：以下规则${p.failedAtDecision.length > 0 ? '当前未通过' : '在提出时未通过（请驳回后按当前情况重新提出）'}：${p.failedRules.join('、')}。不可越过规则批准`,
    en: (p) =>
      `Approval is refused: these rules ${p.failedAtDecision.length > 0 ? 'fail now' : 'failed when proposed (reject it and propose again on the current facts)'}: ${p.failedRules.join(', ')}. No override exists.`,
    shows: ['failedRules', 'failedAtProposal', 'failedAtDecision', 'decisionRuleResults'],
  }),
  /** Fires when the child's birth date on file is missing or not a real date, so a recognition cannot be dated against it. Correct the student's identity number. */
  invalid_birth_date: rule({ zh: RECOGNITION_TIMING_MESSAGES.invalid_birth_date.zh, en: RECOGNITION_TIMING_MESSAGES.invalid_birth_date.en }),
  /** Fires when the recognition date is missing or not a real date. Give the date of the decision. */
  invalid_recognition_date: rule({ zh: RECOGNITION_TIMING_MESSAGES.invalid_recognition_date.zh, en: RECOGNITION_TIMING_MESSAGES.invalid_recognition_date.en }),
  /** Fires when the recognition is dated before the child's birth. Check the date of the decision. */
  recognised_before_birth: rule({ zh: RECOGNITION_TIMING_MESSAGES.recognised_before_birth.zh, en: RECOGNITION_TIMING_MESSAGES.recognised_before_birth.en }),
  /** Fires when the recognition is dated on or after the child's 18th birthday: only children under 18 are recognised. Nothing to retry. */
  recognised_at_or_after_18: rule({
    zh: RECOGNITION_TIMING_MESSAGES.recognised_at_or_after_18.zh,
    en: RECOGNITION_TIMING_MESSAGES.recognised_at_or_after_18.en,
  }),

  // ─── the empowerment track (青山陪伴赋能工程) ──────────────────────────────────────────────────
  /** Fires when a student is registered for an activity of a programme that never granted them (no approved or ended grant there). Only the programme's grantees take part; check the student or the activity. */
  student_not_granted: rule<{ programme: string }>({
    zh: (p) => `该学生从未获得项目${p.programme}的资助，不能参加该项目的赋能活动`,
    en: (p) => `The student was never granted by programme ${p.programme}, so cannot take part in its activities.`,
  }),
  /** Fires when a participation's attendance or completion date (or an activity's new dates) falls outside the activity's first and last day (`startsOn`–`endsOn`); a registration after the last day. Use a date within the activity. */
  date_outside_activity: rule<{ startsOn: string; endsOn: string }>({
    zh: (p) => `日期不在活动期间内（${p.startsOn} 至 ${p.endsOn}）`,
    en: (p) => `The date lies outside the activity (${p.startsOn} to ${p.endsOn}).`,
    shows: ['startsOn', 'endsOn'],
  }),
  /** Fires when a disclosure report is asked for a quarter that is not over yet on the Beijing business date (`quarter`, its last day `endsOn`): its figures may still change. Ask again after that day. */
  quarter_not_over: rule<{ quarter: string; endsOn: string }>({
    zh: (p) => `${p.quarter} 季度尚未结束（至 ${p.endsOn}），结束后方可生成公开报告`,
    en: (p) => `Quarter ${p.quarter} is not over yet (it ends on ${p.endsOn}); its disclosure report can be produced after that day.`,
    shows: ['quarter', 'endsOn'],
  }),
  /** Fires when an outcome is given that the activity's kind does not have: an internship host and length belong to a summer internship, an employer's sector and start to employment assistance (`kind`). Leave it out, or record it on an activity of that kind. */
  outcome_not_for_kind: rule<{ kind: string }>({
    zh: (p) => `该项结果不适用于此类活动（${p.kind}）：实习单位和时长仅用于暑假实习，就业单位类别和入职日期仅用于就业援助`,
    en: (p) =>
      `This outcome does not fit a ${p.kind} activity: an internship host and length belong to a summer internship, an employer's sector and start date to employment assistance.`,
    shows: ['kind'],
  }),
  /** Fires when a participation's status change is not allowed (`currentStatus` → `to`). Completed and withdrawn are final; attendance may only be followed by completion or withdrawal. */
  participation_status_transition: rule<{ currentStatus: string; to: string }>({
    zh: (p) => `活动参与状态不能从“${p.currentStatus}”变更为“${p.to}”`,
    en: (p) => `A participation cannot go from ${p.currentStatus} to ${p.to}.`,
    shows: ['currentStatus'],
  }),
  /** Fires when an activity with a capacity already has that many participants who have not withdrawn (`capacity`). Raise the capacity first, or register the student elsewhere. */
  activity_full: rule<{ capacity: number }>({
    zh: (p) => `活动名额已满（${p.capacity}人）`,
    en: (p) => `The activity is full (${p.capacity} places).`,
    shows: ['capacity'],
  }),
  /** Fires when a graduate's destination is recorded for a student whose enrolment has not ended in graduation. Record graduation first (the caseworker). */
  not_graduated: rule({
    zh: '该学生尚未毕业，不能记录毕业去向',
    en: 'The student has not graduated, so no destination after graduation can be recorded.',
  }),
  /** Fires when a student is registered twice for the same activity (`existingId`). Nothing to do: change the existing participation's status. */
  duplicate_participation: conflict<{ existingId: string }>({
    zh: '该学生已报名此活动',
    en: 'The student is already registered for this activity.',
    shows: ['existingId'],
  }),
  /** Fires when a graduate's destination is recorded a second time for the same programme (`existingId`). One destination per graduate and programme. */
  duplicate_graduate_destination: conflict<{ existingId: string }>({
    zh: '该毕业生在本项目的去向已记录',
    en: 'This graduate’s destination is already recorded for the programme.',
    shows: ['existingId'],
  }),

  // ─── the unexpected ─────────────────────────────────────────────────────────────────────────────
  /** Fires on any failure the service did not foresee (logged with the request id, never shown). Quote the instance id when reporting it; retrying may or may not help. */
  internal_error: entry(500)({
    zh: '服务器内部错误；报告时请提供 instance 编号',
    en: 'An unexpected error occurred. Quote the instance id when reporting it.',
  }),
} as const satisfies Record<string, { readonly status: ErrorStatus; readonly shows: readonly string[] }>;

export type ErrorCatalogue = typeof ERROR_CATALOGUE;
export type ErrorCode = keyof ErrorCatalogue;
export type StatusOf<C extends ErrorCode> = ErrorCatalogue[C]['status'];
/** The params a code's messages are made of (`object` when they take none). */
export type ParamsOf<C extends ErrorCode> = ErrorCatalogue[C] extends CatalogueEntry<infer P, ErrorStatus> ? P : never;
type CodesWithStatus<S extends ErrorStatus> = { [C in ErrorCode]: StatusOf<C> extends S ? C : never }[ErrorCode];
/** Codes of business rules (422). */
export type RuleCode = CodesWithStatus<422>;
/** Codes of conflicts with recorded state (409). */
export type ConflictCode = CodesWithStatus<409>;
/** Codes of refusals of the input as a whole (400). */
export type InvalidCode = CodesWithStatus<400>;
/** Codes of a student intake file refused as a whole (400, with errors[] naming what to fix). */
export type ImportFileCode = Extract<
  InvalidCode,
  | 'not_csv'
  | 'unsupported_encoding'
  | 'invalid_encoding'
  | 'invalid_header'
  | 'no_rows'
  | 'too_many_rows'
  | 'file_too_large'
  | 'unreadable_workbook'
  | 'workbook_too_large'
  | 'workbook_formula'
  | 'workbook_merged_cells'
>;

export const ERROR_CODES = Object.freeze(Object.keys(ERROR_CATALOGUE) as ErrorCode[]);

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}

export function statusOf(code: ErrorCode): ErrorStatus {
  return ERROR_CATALOGUE[code].status;
}

/** Every refusal may say which input field it is about; the problem body then carries `field`. */
export interface Where {
  field?: string | null;
}

/** Args after the code: the params, optional when the code's messages take none. */
export type ParamsArg<C extends ErrorCode> = object extends ParamsOf<C> ? [params?: ParamsOf<C> & Where] : [params: ParamsOf<C> & Where];

export interface Rendered {
  en: string;
  zh: string;
  /** The problem body's own members: `field` and the entry's `shows`, those given. */
  details: Record<string, unknown>;
}

/** The messages of a code in both languages, and the members its problem body carries. */
export function render<C extends ErrorCode>(code: C, ...[params]: ParamsArg<C>): Rendered {
  const e = ERROR_CATALOGUE[code] as unknown as CatalogueEntry<ParamsOf<C> & Where>;
  const p = (params ?? {}) as ParamsOf<C> & Where;
  const text = (t: Text<ParamsOf<C> & Where>) => (typeof t === 'function' ? t(p) : t);
  const details: Record<string, unknown> = {};
  for (const key of ['field', ...e.shows] as (keyof typeof p & string)[]) {
    if (p[key] !== undefined) details[key] = p[key];
  }
  return { en: text(e.en), zh: text(e.zh), details };
}

/** A code's Chinese message, for pages (the problem's `detail` carries it with the English one). */
export function messageZh<C extends ErrorCode>(code: C, ...params: ParamsArg<C>): string {
  return render(code, ...params).zh;
}

// ─── codes of the same rules elsewhere ──────────────────────────────────────────────────────────

/**
 * The database's codes for its refusals, each with the API code that answers it, or null when the
 * API has no such answer (a rule only the database keeps: history, locks, the ledger's chain; the
 * services never ask for what it refuses, so reaching one is a bug and answers internal_error).
 * Triggers name theirs in HINT (migration *_error_codes); the maker-checker rules are CHECK
 * constraints and the one-per-year rules unique indexes, named by the constraint.
 */
export const DATABASE_RULES = Object.freeze({
  // grant_guard (approval rests on its eligibility, enrolment and band)
  grant_eligibility_not_approved: 'eligibility_not_approved',
  grant_level_mismatch: 'eligibility_not_approved',
  grant_amount_outside_band: 'amount_outside_band',
  grant_enrolment_ended: 'enrolment_ended',
  grant_history: null,
  grant_status_transition: null,
  grant_amount_locked: null,
  // programme_band_check_unlocked
  programme_band_locked: 'bands_locked',
  // instalments, grant endings
  instalment_history: null,
  instalment_amount_locked: null,
  instalment_status_transition: null,
  grant_instalments_do_not_add_up: null,
  grant_instalments_before_approval: null,
  grant_end_locked: null,
  grant_ended_with_open_instalments: null,
  grant_remainder_not_returned: null,
  // payouts and batches
  payout_history: null,
  payout_snapshot_locked: null,
  payout_status_transition: null,
  payout_postings_locked: null,
  payout_batch_history: null,
  payout_batch_locked: null,
  payout_batch_status_transition: null,
  payout_batch_totals: null,
  // the ledger (ledger_post, ledger_post_pairs and the row triggers behind them)
  ledger_insufficient_balance: 'insufficient_balance',
  ledger_balance_negative: 'insufficient_balance',
  ledger_correction_reversed: 'correction_not_reversible',
  append_only: null,
  ledger_sequence_gap: null,
  ledger_chain_broken: null,
  ledger_reversal_not_correction: null,
  ledger_reversed_missing: null,
  ledger_correction_other_programme: null,
  ledger_correction_unnamed: null,
  ledger_entry_unknown_transaction: null,
  ledger_entry_not_newest: null,
  ledger_transaction_closed: null,
  ledger_entry_seq_mismatch: null,
  ledger_entry_other_programme: null,
  ledger_too_few_entries: null,
  ledger_unbalanced: null,
  ledger_post_segments: null,
  // the audit trail
  audit_chain_head_missing: null,
  audit_chain_head_fixed: null,
  audit_chain_head_skips: null,
  audit_engagement_history: null,
  // CHECK constraints
  grant_maker_is_not_checker: 'maker_checker',
  eligibility_maker_is_not_checker: 'maker_checker',
  // unique indexes
  grant_one_per_year: 'duplicate_grant',
  eligibility_one_open_per_year: 'duplicate_eligibility',
} as const satisfies Record<string, ErrorCode | null>);

export type DatabaseRuleCode = keyof typeof DATABASE_RULES;

/** The database rules named by a CHECK constraint or a unique index rather than a trigger's HINT. */
export const CONSTRAINT_RULES: readonly DatabaseRuleCode[] = Object.freeze([
  'grant_maker_is_not_checker',
  'eligibility_maker_is_not_checker',
  'grant_one_per_year',
  'eligibility_one_open_per_year',
]);

export function isDatabaseRuleCode(code: string): code is DatabaseRuleCode {
  return Object.hasOwn(DATABASE_RULES, code);
}

/**
 * The reconciliation report's exception codes (check `rules`, src/reconcile/checks/rules.ts) that
 * are rules the API also answers, with that API code; null where only the auditors' check has the
 * rule (it reads what is there, whatever path wrote it). The report keeps its own codes.
 */
export const RECONCILIATION_RULES = Object.freeze({
  grant_no_band: 'amount_outside_band',
  grant_outside_band: 'amount_outside_band',
  grant_level_mismatch: 'eligibility_not_approved',
  grant_eligibility_not_approved: 'eligibility_not_approved',
  maker_is_checker: 'maker_checker',
  duplicate_grant: 'duplicate_grant',
  payout_account_not_students: 'account_holder_not_student',
  payout_beyond_grant: null,
  instalment_paid_twice: null,
  payout_amount_differs: null,
  payout_record_mismatch: null,
} as const satisfies Record<string, ErrorCode | null>);

// ─── field messages in Chinese ──────────────────────────────────────────────────────────────────

/**
 * The English field messages of the use cases and their schemas (src/services/fields.ts and each
 * service's input schema, and zod's own), with the Chinese a page shows next to the field, and the
 * stable code the student import reports a row problem under. First match wins.
 */
const FIELD_MESSAGES: readonly (readonly [RegExp, (m: RegExpExecArray) => string, string?])[] = [
  // presence and length
  [/^must not be empty$/, () => '不能为空', 'required'],
  [/^must be at most (\d+) characters$/, (m) => `不能超过${m[1]}个字符`, 'too_long'],
  [/^must be 1–(\d+) characters$/, (m) => `应为1至${m[1]}个字符`, 'too_long'],
  [/^must be at least (\d+) characters$/, (m) => `至少需要${m[1]}个字符`],
  [/^must be 18 characters$/, () => '身份证号码应为18位', 'length'],
  [/^state the reason$/, () => '请说明理由'],
  [/^state the reason \(at least (\d+) characters\)$/, (m) => `请说明理由（至少${m[1]}个字符）`],
  [/^state the purpose \(at least (\d+) characters\)$/, (m) => `请说明用途（至少${m[1]}个字符）`],
  [/^must not contain identity or account numbers$/, () => '不能包含身份证号码或账号'],
  [/^must not contain a NUL character or a broken \(lone surrogate\) character$/, () => '不能包含空字符（NUL）或残缺的字符'],
  [/^unknown field$/, () => '未知字段'],
  [/^must be a quarter written like 2026Q1$/, () => '季度格式应为 2026Q1（年份加 Q1 至 Q4）', 'format'],
  // sign-in and reconciliation uploads
  [/^must be a user name$/, () => '请填写用户名'],
  [
    /^must be 3–64 letters, digits, dot, dash or underscore, starting with a letter or digit$/,
    () => '用户名应为3至64个字母、数字、点、横线或下划线，并以字母或数字开头',
  ],
  [/^must be a file \(a name and its bytes\)$/, () => '请上传文件'],
  // hand matching of a bank line
  [/^names no import of the bank’s answer$/, () => '未找到该银行回单导入'],
  [/^names no line of this import$/, () => '该导入中没有这一行'],
  [/^names no payout of this programme$/, () => '本项目没有该笔发放'],
  [/^must be an amount with two decimals$/, () => '应为保留两位小数的金额'],
  [/^name the payout by its id or by its reference \(one of the two\)$/, () => '请填写发放编号或发放参考号（二者选一）'],
  [/^must be a loaded CSV mapping$/, () => 'CSV列映射无效'],
  [/^name at least one check$/, () => '请至少选择一项检查'],
  [/^the (\w+) check is not available in this build$/, (m) => `本版本不提供${m[1]}检查`],
  [/^the bank check needs at least one statement/, () => '银行核对（bank）至少需要一份对账单（camt.053或银行导出的CSV）'],
  [
    /^(?:statements are|the mapping is|the CSV preset is) read by the bank check: name it among the checks$/,
    () => '仅用于银行核对（bank）：请同时选择该项检查',
  ],
  [/^the remittance list is read by the funding check: name it among the checks$/, () => '汇款清单仅用于到账核对（funding）：请同时选择该项检查'],
  [/^the funding check needs the foundation's remittance list$/, () => '到账核对（funding）需要基金会的汇款清单'],
  [/^give a CSV preset or a mapping, not both$/, () => 'CSV预设与列映射只能给出其一'],
  [/^must be at most (\d+) MiB$/, (m) => `不能超过${m[1]} MiB`],
  [/^the files together must be at most (\d+) MiB$/, (m) => `所有文件合计不能超过${m[1]} MiB`],
  [/^must be at most (\d+) files$/, (m) => `最多${m[1]}个文件`],
  [/^must be given once$/, () => '只能给出一次'],
  [/^must be text, not a file$/, () => '应为文本，不能是文件'],
  [/^must be a multipart\/form-data form with the fields of this route$/, () => '请求体应为multipart/form-data表单，字段见接口说明'],
  [/^malformed JSON$/, () => '不是有效的JSON'],
  // forms
  [/^must be a UUID$/, () => '应为UUID格式的编号'],
  [/^must be an amount (?:in CNY )?written as a string, e\.g\. "3500\.00"$/, () => '金额应写为字符串，如"3500.00"'],
  [/^must have at most two decimals \(fen\)$/, () => '金额最多两位小数（分）'],
  [/^is too large$/, () => '数值过大'],
  [/^must be greater than zero$/, () => '必须大于零'],
  [/^must be a date written YYYY-MM-DD$/, () => '日期应写为YYYY-MM-DD'],
  [/^must be a real calendar date written YYYY-MM-DD$/, () => '应为真实存在的日期，写为YYYY-MM-DD'],
  [/^must be (?:an academic year )?written like 2025-2026$/, () => '学年应写为2025-2026的形式'],
  [/^must be 1–64 letters, digits, dot, dash or underscore$/, () => '应为1至64个字母、数字、点、连字符或下划线'],
  [/^must be 1–100 letters, digits, dot, colon, dash or underscore$/, () => '应为1至100个字母、数字、点、冒号、连字符或下划线'],
  [/^must be 1–32 letters, digits or hyphens$/, () => '学校代码应为1至32位字母、数字或连字符', 'invalid_institution_code'],
  [/^must be 12–30 digits/, () => '银行账号应为12至30位数字', 'invalid_account_number'],
  [/^must be a phone number/, () => '电话号码应为6至20位数字，可以+86开头', 'invalid_phone'],
  [/^must be 6-34 digits or letters \(hyphens allowed\), no spaces$/, () => '应为6至34位数字或字母（可含连字符），不含空格'],
  [/^must be the 12-digit CNAPS bank code \(联行号\)$/, () => '应为12位联行号'],
  [/^must be the masked number \(630102\*{8}1234\) or its last 4 characters$/, () => '应为脱敏后的号码（630102********1234）或其后4位'],
  [
    /^search by the masked number \(630102\*{8}1234\) or its last 4 characters; whole numbers do not belong in URLs$/,
    () => '请按脱敏后的号码（630102********1234）或其后4位查询；完整号码不应出现在网址中',
  ],
  [/^must be 2–6 digits of a region code$/, () => '应为行政区划代码的2至6位数字'],
  [/^must be 8–255 visible ASCII characters/, () => '应为8至255个可见ASCII字符（建议使用UUID）'],
  [/^must be an ISO 8601 date-time(?: with a time zone)?, e\.g\. .+$/, () => '应为带时区的ISO 8601日期时间，如2026-03-01T08:00:00Z'],
  [/^must be a date-time$/, () => '应为日期时间'],
  [/^must be a whole number$/, () => '应为整数'],
  [/^must be a number of days$/, () => '应为天数'],
  [/^must be a whole number of days from 1 to (\d+)$/, (m) => `应为1至${m[1]}之间的整数天数`],
  [/^must be a whole number of business days from 1 to (\d+)$/, (m) => `应为1至${m[1]}之间的整数银行工作日数`],
  [/^must be at least (\d+)$/, (m) => `不能小于${m[1]}`],
  [/^must be at most (\d+)$/, (m) => `不能大于${m[1]}`],
  [/^must be at most (\d+) days ahead$/, (m) => `最多${m[1]}天之后`],
  [/^must be in the future$/, () => '应为将来的时间'],
  [/^must not be in the past$/, () => '不能早于今天'],
  [/^must be true or false$/, () => '应为true或false'],
  [/^must be utf-8 or gbk$/, () => '应为utf-8或gbk'],
  [/^must be csv or xlsx$/, () => '应为csv或xlsx'],
  [/^must be approved or ended$/, () => '应为approved（已批准）或ended（已终止）'],
  [/^must be eligibility or grant$/, () => '应为eligibility（资格认定）或grant（资助）'],
  [/^must be approve or reject$/, () => '应为approve（批准）或reject（驳回）'],
  [/^choose at least one proposal$/, () => '请至少选择一项待审核事项'],
  [/^choose at most (\d+) proposals$/, (m) => `一次最多选择${m[1]}项`],
  [/^must be the file’s bytes$/, () => '应为文件内容本身'],
  [/^a file name, not a path$/, () => '应为文件名，不能含路径'],
  [/^must be one of (.+)$/, (m) => `应为以下之一：${m[1]}`],
  [/^an account-history CSV needs its layout: one of (.+)$/, (m) => `银行流水 CSV 须选择其格式（银行）：${m[1]}`],
  [/^the Idempotency-Key header is required for requests that move money$/, () => '涉及资金的请求必须带Idempotency-Key请求头'],
  [/^give expiresAt or expiresInDays, not both$/, () => 'expiresAt与expiresInDays只能给出其一'],
  // references and cursors
  [/^no such (organisation|programme|student)$/, (m) => `没有该${RECORD_NAMES_ZH[m[1] as 'organisation' | 'programme' | 'student']}`],
  [/^not a cursor returned by this list$/, () => '不是本列表返回的翻页游标'],
  [/^a (\w+) organisation cannot hold the role (\w+)$/, (m) => `${m[1]}类机构不能拥有${m[2]}角色`],
  [/^a (\w+) organisation has no auditors$/, (m) => `${m[1]}类机构没有审计人员`],
  // relations between fields
  [/^must not be below minAmount$/, () => '不能低于最低金额'],
  [/^a band for this (?:year and )?level is given twice$/, () => '同一层次的资助标准重复'],
  [/^one band per level at most$/, () => '每个层次最多一个资助标准'],
  [/^at least one band is needed$/, () => '至少需要一个资助标准'],
  [/^must lie within the programme years$/, () => '应在项目执行学年之内'],
  [/^must not be before firstAcademicYear$/, () => '不能早于起始学年'],
  [/^must be later than from$/, () => '应晚于起始时间'],
  [/^must be after admissionDate$/, () => '预计毕业日期必须晚于入学日期', 'graduation_not_after_admission'],
  [/^name at least one instalment, or leave the list out to take everything due$/, () => '至少列出一期，或不列出以包括所有到期分期'],
  [/^ends before it starts$/, () => '结束日期早于开始日期'],
  [/^a programme is listed twice$/, () => '项目重复列出'],
  [/^an engagement on all programmes lists none$/, () => '覆盖全部项目的委托不应列出项目'],
  [/^an engagement on listed programmes needs at least one programme$/, () => '按项目委托时至少需要一个项目'],
  // recognition
  [/^does not match the identity number/, () => '性别与身份证号码不符（第17位奇数为男、偶数为女）', 'gender_mismatch'],
  [/^is required with severe_disability/, () => '情况为“重残”时必须填写残疾等级（1至4级）', 'disability_grade_required'],
  [/^must be a grade from 1 to 4$/, () => '残疾等级应为1至4级', 'disability_grade_out_of_range'],
  [/^is given only with severe_disability$/, () => '只有情况为“重残”时才填写残疾等级', 'disability_grade_not_applicable'],
  [/^is required with lost_contact$/, () => '情况为“失联”时必须填写失联月数', 'lost_contact_months_required'],
  [/^must be a whole number of months/, () => '失联月数应为0或正整数', 'lost_contact_months_invalid'],
  [/^is given only with lost_contact$/, () => '只有情况为“失联”时才填写失联月数', 'lost_contact_months_not_applicable'],
  [/^at least one document is needed/, () => '至少需要一份证明材料：认定须有依据', 'evidence_required'],
  [/^must not be after recognisedOn/, () => '证明材料的日期不能晚于认定日期', 'evidence_after_recognition'],
  // zod's own messages (English locale)
  [/^Invalid input: expected (\w+), received undefined$/, () => '必填'],
  [/^Invalid input: expected (\w+), received (\w+)$/, (m) => `应为${typeZh(m[1]!)}，收到的是${typeZh(m[2]!)}`],
  [/^Invalid input: expected (.+)$/, (m) => `应为${m[1]}`],
  [/^Invalid option: expected one of (.+)$/, (m) => `应为以下之一：${m[1]}`],
  [/^Too big: expected (?:array|set|map) to have <=(\d+) (?:items|entries)$/, (m) => `不能超过${m[1]}项`, 'too_many'],
  [/^Too big: expected string to have <=(\d+) characters$/, (m) => `不能超过${m[1]}个字符`],
  [/^Too big: expected number to be <=(\d+)$/, (m) => `不能大于${m[1]}`, 'too_large'],
  [/^Too big: expected number to be <(\d+)$/, (m) => `应小于${m[1]}`],
  [/^Too small: expected (?:array|set|map) to have >=(\d+) (?:items|entries)$/, (m) => `至少需要${m[1]}项`],
  [/^Too small: expected string to have >=(\d+) characters$/, (m) => `至少需要${m[1]}个字符`],
  [/^Too small: expected number to be >=(\d+)$/, (m) => `不能小于${m[1]}`, 'too_small'],
  [/^Too small: expected number to be >(\d+)$/, (m) => `应大于${m[1]}`],
  [/^Invalid string: must match pattern/, () => '格式不正确'],
  [/^Invalid (UUID|ISO datetime|ISO date|email address|URL)$/, (m) => `不是有效的${m[1]}`],
  [/^Invalid number: must be a multiple of (.+)$/, (m) => `应为${m[1]}的倍数`],
  [/^Unrecognized keys?: (.+)$/, (m) => `未知字段：${m[1]}`],
  [/^Invalid input$/, () => '输入无效'],
];

const TYPE_ZH: Readonly<Record<string, string>> = Object.freeze({
  string: '文本',
  number: '数字',
  boolean: '布尔值（true或false）',
  object: '对象',
  array: '列表',
  null: '空值（null）',
  date: '日期',
  bigint: '整数',
  NaN: '非数字（NaN）',
});
const typeZh = (t: string) => TYPE_ZH[t] ?? t;

/** `code: 中文 (English)` (identity numbers, intake columns) and `中文 (English)` carry both languages already. */
const BILINGUAL = /^(?:([a-z_]+): )?([^()]*[\u3400-\u9fff][^()]*?)\s*\((.+)\)$/su;

/** What a page shows when a message is not in the table: the English beside it says what is wrong. */
export const FIELD_MESSAGE_ZH_FALLBACK = '不符合要求（见英文说明）';

export interface FieldMessageWords {
  /** The Chinese a page shows next to the field. */
  zh: string;
  /** The English, as the API's `errors[].message` says it (without the Chinese when it carried both). */
  en: string;
  /** A stable code for the problem where one is known (the student import reports it per cell). */
  code: string | null;
  /** False when the message is not in the table and `zh` is the fallback. */
  known: boolean;
}

/** A field message (`errors[].message`, English) in both languages, with its code where known. */
export function fieldMessageWords(message: string): FieldMessageWords {
  const both = BILINGUAL.exec(message);
  if (both && !message.startsWith('does not match')) return { zh: both[2]!.trim(), en: both[3]!.trim(), code: both[1] ?? null, known: true };
  for (const [pattern, zh, code] of FIELD_MESSAGES) {
    const m = pattern.exec(message);
    if (m) return { zh: zh(m), en: message, code: code ?? null, known: true };
  }
  return { zh: FIELD_MESSAGE_ZH_FALLBACK, en: message, code: null, known: false };
}

/** The Chinese for a field message (`errors[].message`), for pages that show it next to the field. */
export function fieldMessageZh(message: string): string {
  return fieldMessageWords(message).zh;
}
