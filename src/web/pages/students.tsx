// The list of students the person may see, newest first, with a search form. The search is always
// sent as a POST and its answer is this page: a name typed into it never becomes part of a URL
// (not in the address bar, the history, a proxy's log or a Referer). The next page of a search is
// a POST too, carrying the criteria in hidden fields; only the unfiltered list pages by link.
// Identity numbers are looked for by their masked form or last four characters, as the service takes them.
import { ENROLMENT_LEVEL_LABELS } from '../../domain/eligibility.ts';
import { ENROLMENT_STATUS_LABELS, type EnrolmentStatus } from '../../domain/enrolment-status.ts';
import type { CurrentEnrolment } from '../../services/current-enrolments.ts';
import type { StudentView } from '../../services/students.ts';
import { NextPage } from '../components.tsx';
import { Field, Page, type Viewer } from '../layout.tsx';
import { FormNotice, type FormState, SelectField } from './student-form-kit.tsx';

export const SEARCH_FIELDS = ['name', 'identityNumber', 'regionCode', 'institutionCode', 'status'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

export const SEARCH_LABELS: Record<string, string> = {
  name: '姓名',
  identityNumber: '身份证号码（脱敏号码或后四位）',
  regionCode: '地区代码',
  institutionCode: '学校标识码',
  status: '学籍状态',
  cursor: '页码',
};

export const STATUS_CHOICES = (Object.keys(ENROLMENT_STATUS_LABELS) as EnrolmentStatus[]).map((s) => ({ value: s, text: ENROLMENT_STATUS_LABELS[s].zh }));

export function StudentsPage(props: {
  viewer: Viewer;
  search: FormState;
  searched: boolean;
  students: StudentView[];
  enrolments: Record<string, CurrentEnrolment>;
  nextCursor: string | null;
  mayRegister: boolean;
}) {
  const v = props.search.values;
  const error = (name: string) => props.search.errors?.[name];
  return (
    <Page title="学生" english="Students" viewer={props.viewer}>
      {props.mayRegister ? (
        <p>
          <a href="/students/new">登记学生</a>
        </p>
      ) : null}
      <FormNotice form={props.search} labels={SEARCH_LABELS} />
      <section aria-labelledby="search-title">
        <h2 id="search-title">
          查找学生<small lang="en">Search</small>
        </h2>
        <form method="post" action="/students" class="card" novalidate>
          <p class="muted">姓名须完整填写；身份证号码只能输入脱敏号码（如 630102********1249）或最后四位。查询条件不会出现在网址中。</p>
          <Field name="name" label="姓名" english="name" value={v.name} error={error('name')} required={false} autocomplete="off" />
          <Field
            name="identityNumber"
            label="身份证号码"
            english="masked or last four"
            value={v.identityNumber}
            error={error('identityNumber')}
            required={false}
            autocomplete="off"
          />
          <Field name="regionCode" label="地区代码" english="region prefix, e.g. 6301" value={v.regionCode} error={error('regionCode')} required={false} />
          <Field name="institutionCode" label="学校标识码" english="school code" value={v.institutionCode} error={error('institutionCode')} required={false} />
          <SelectField
            name="status"
            label="学籍状态"
            english="enrolment status"
            value={v.status}
            error={error('status')}
            choices={STATUS_CHOICES}
            blank="不限"
          />
          <button type="submit" class="primary">
            查找
          </button>
        </form>
      </section>
      <section class="wide" tabindex={0} aria-label="学生列表，可横向滚动">
        <table>
          <caption>{props.searched ? '查找结果' : '全部学生（最新登记在前）'}</caption>
          <thead>
            <tr>
              <th scope="col">姓名</th>
              <th scope="col">身份证号码</th>
              <th scope="col">地区</th>
              <th scope="col">学校</th>
              <th scope="col">学籍状态</th>
            </tr>
          </thead>
          <tbody>
            {props.students.map((s) => {
              const enrolment = props.enrolments[s.id];
              return (
                <tr>
                  <td>
                    <a href={`/students/${s.id}`}>{s.name}</a>
                  </td>
                  <td class="id">{s.identityNumber}</td>
                  <td>{s.regionName ?? s.regionCode}</td>
                  <td>{enrolment ? `${enrolment.institutionName}（${ENROLMENT_LEVEL_LABELS[enrolment.level].zh}）` : '—'}</td>
                  <td>{enrolment ? ENROLMENT_STATUS_LABELS[enrolment.status].zh : '未登记学籍'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {props.students.length === 0 ? <p>{props.searched ? '没有符合条件的学生。' : '还没有登记学生。'}</p> : null}
      </section>
      {props.searched ? <NextSearchPage values={v} cursor={props.nextCursor} /> : <NextPage path="/students" query={{}} cursor={props.nextCursor} />}
    </Page>
  );
}

/** The next page of a search: the same criteria posted again with the cursor, never a link. */
function NextSearchPage(props: { values: Record<string, string>; cursor: string | null }) {
  if (!props.cursor) return <p class="muted">已是最后一页。</p>;
  return (
    <form method="post" action="/students">
      {SEARCH_FIELDS.map((name) => (props.values[name] ? <input type="hidden" name={name} value={props.values[name]} /> : null))}
      <input type="hidden" name="cursor" value={props.cursor} />
      <button type="submit">下一页 →</button>
    </form>
  );
}
