// The caseworker's bulk step: the students (an import's, ticked by default, or ids pasted one per
// line), the programme and academic year, this year's verification, and the amount per level with
// the band beside it; then the result, student by student: what was written, what was done before,
// and who was refused and why, on the job's page (student-bulk-job.tsx), since the step runs in the
// background. The form is sent once (submitOnce): a second post does nothing.
import { ENROLMENT_LEVELS, ENROLMENT_LEVEL_LABELS } from '../../domain/eligibility.ts';
import { formatYuan } from '../../domain/money.ts';
import type { BulkStepResult, StepDone } from '../../services/bulk-step.ts';
import type { ImportedStudents } from '../../services/student-import-students.ts';
import type { ProgrammeView } from '../../services/programmes.ts';
import { Notice, Page, type Viewer } from '../layout.tsx';

export interface BulkFormState {
  programmeId?: string;
  academicYear?: string;
  verifiedOn?: string;
  source?: string;
  reference?: string;
  amounts?: Partial<Record<string, string>>;
  studentIdsText?: string;
  /** Ticked students of the import. */
  chosen?: string[];
  errors?: Record<string, string> | null;
  notice?: string | null;
}

const STEP: Record<NonNullable<StepDone>, string> = {
  recorded: '已记录',
  proposed: '已提交',
  already: '此前已办',
  already_approved: '此前已批准',
  awaiting_approval: '待资格审批后再办',
  no_amount: '未填写该层次金额',
};
const OUTCOME = { written: '已写入', unchanged: '无需处理', refused: '未写入' } as const;

function ErrorText(props: { id: string; error: string | undefined }) {
  return props.error ? (
    <p class="field-error" id={`${props.id}-error`}>
      {props.error}
    </p>
  ) : null;
}

const described = (id: string, error: string | undefined) => (error ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${id}-error` } : {});

function Input(props: { id: string; name: string; label: string; value: string | undefined; error: string | undefined; type?: string; required?: boolean }) {
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        required={props.required ?? true}
        {...described(props.id, props.error)}
      />
      <ErrorText id={props.id} error={props.error} />
    </>
  );
}

function Students(props: { imported: ImportedStudents | null; state: BulkFormState; error: string | undefined }) {
  const { imported, state } = props;
  if (imported) {
    const chosen = new Set(state.chosen ?? imported.students.map((s) => s.studentId));
    return (
      <fieldset {...described('studentIds', props.error)}>
        <legend>学生（本次导入的 {imported.students.length} 名）</legend>
        <input type="hidden" name="importId" value={imported.importId} />
        {imported.students.map((s) => (
          <div class="choice">
            <input type="checkbox" id={`student-${s.studentId}`} name="studentIds" value={s.studentId} checked={chosen.has(s.studentId)} />
            <label for={`student-${s.studentId}`}>
              第 {s.row} 行 {s.name} <small>{s.identityNumber}</small>
            </label>
          </div>
        ))}
        <ErrorText id="studentIds" error={props.error} />
      </fieldset>
    );
  }
  return (
    <>
      <label for="studentIds">
        学生编号 <small>每行一个（学生页面上的编号），最多 5,000 个</small>
      </label>
      <textarea id="studentIds" name="studentIdsText" rows={6} {...described('studentIds', props.error)}>
        {state.studentIdsText ?? ''}
      </textarea>
      <ErrorText id="studentIds" error={props.error} />
    </>
  );
}

function Bands(props: { programmes: ProgrammeView[]; academicYear: string }) {
  const rows = props.programmes.flatMap((p) => p.bands.filter((b) => b.academicYear === props.academicYear).map((b) => ({ programme: p.name, ...b })));
  return (
    <table>
      <caption>{props.academicYear} 学年资助标准（每生每年）</caption>
      <thead>
        <tr>
          <th scope="col">项目</th>
          <th scope="col">层次</th>
          <th scope="col" class="money">
            最低
          </th>
          <th scope="col" class="money">
            最高
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((b) => (
          <tr>
            <td>{b.programme}</td>
            <td>{ENROLMENT_LEVEL_LABELS[b.level].zh}</td>
            <td class="money">{formatYuan(b.minAmount)}</td>
            <td class="money">{formatYuan(b.maxAmount)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function BulkForm(props: { viewer: Viewer; formKey: string; programmes: ProgrammeView[]; imported: ImportedStudents | null; state: BulkFormState }) {
  const s = props.state;
  const e = (path: string) => s.errors?.[path];
  const year = s.academicYear ?? '';
  return (
    <form method="post" action="/students/bulk" class="card" aria-labelledby="bulk-form">
      <h2 id="bulk-form">核验学籍、申报资格与资助</h2>
      <input type="hidden" name="csrf" value={props.viewer.csrfToken} />
      <input type="hidden" name="formKey" value={props.formKey} />
      <Students imported={props.imported} state={s} error={e('studentIds')} />
      <label for="programmeId">助学项目</label>
      <select id="programmeId" name="programmeId" {...described('programmeId', e('programmeId'))}>
        {props.programmes.map((p) => (
          <option value={p.id} selected={s.programmeId === p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <ErrorText id="programmeId" error={e('programmeId')} />
      <Input id="academicYear" name="academicYear" label="学年（如 2026-2027）" value={year} error={e('academicYear')} />
      <fieldset>
        <legend>本学年学籍核验</legend>
        <Input id="verifiedOn" name="verifiedOn" type="date" label="核验日期" value={s.verifiedOn} error={e('verification.verifiedOn')} />
        <Input id="source" name="source" label="核验来源（如 学信网）" value={s.source} error={e('verification.source')} />
        <Input id="reference" name="reference" label="核验编号（可空）" value={s.reference} error={e('verification.reference')} required={false} />
      </fieldset>
      <fieldset>
        <legend>各层次资助金额（元/年，须在标准之内；不填则该层次不申报资助）</legend>
        <Bands programmes={props.programmes} academicYear={year} />
        {ENROLMENT_LEVELS.map((level) => (
          <Input
            id={`amount-${level}`}
            name={`amount_${level}`}
            label={ENROLMENT_LEVEL_LABELS[level].zh}
            value={s.amounts?.[level]}
            error={e(`amounts.${level}`)}
            required={false}
          />
        ))}
      </fieldset>
      <button type="submit" class="primary">
        提交（每名学生单独办理）
      </button>
    </form>
  );
}

export function ResultTable(props: { result: BulkStepResult }) {
  const { counts } = props.result;
  return (
    <section aria-labelledby="result">
      <h2 id="result">办理结果</h2>
      <Notice kind={counts.refused > 0 ? 'error' : 'ok'}>
        共 {counts.students} 名：已写入 {counts.written} 名，无需处理 {counts.unchanged} 名，未写入 {counts.refused} 名。
      </Notice>
      <section class="wide" tabindex={0} aria-label="办理结果，可横向滚动">
        <table>
          <caption>{props.result.academicYear} 学年 · 每名学生单独办理，未写入的学生没有任何记录被写入</caption>
          <thead>
            <tr>
              <th scope="col">姓名</th>
              <th scope="col">身份证号</th>
              <th scope="col">层次</th>
              <th scope="col">结果</th>
              <th scope="col">学籍核验</th>
              <th scope="col">资格</th>
              <th scope="col">资助</th>
              <th scope="col" class="money">
                金额
              </th>
              <th scope="col">原因</th>
            </tr>
          </thead>
          <tbody>
            {props.result.students.map((s) => (
              <tr>
                <td>{s.name ?? '（未找到）'}</td>
                <td>{s.identityNumber ?? ''}</td>
                <td>{s.level ? ENROLMENT_LEVEL_LABELS[s.level].zh : ''}</td>
                <td>{OUTCOME[s.outcome]}</td>
                <td>{s.verification ? STEP[s.verification] : ''}</td>
                <td>{s.eligibility ? STEP[s.eligibility] : ''}</td>
                <td>{s.grant ? STEP[s.grant] : ''}</td>
                <td class="money">{s.grantAmount ? formatYuan(s.grantAmount) : ''}</td>
                <td class="text">{s.reasons.map((r) => r.message_zh).join('；')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </section>
  );
}

export function StudentBulkPage(props: {
  viewer: Viewer;
  formKey: string;
  programmes: ProgrammeView[];
  imported: ImportedStudents | null;
  state: BulkFormState;
}) {
  const s = props.state;
  return (
    <Page title="批量核验与申报" english="Bulk verification and proposals" viewer={props.viewer}>
      {props.imported ? <Notice kind="ok">已导入 {props.imported.students.length} 名学生。请为他们核验学籍、申报资格与资助。</Notice> : null}
      {s.notice ? <Notice kind="error">{s.notice}</Notice> : null}
      <BulkForm viewer={props.viewer} formKey={props.formKey} programmes={props.programmes} imported={props.imported} state={s} />
    </Page>
  );
}
