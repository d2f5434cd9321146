// One student, as every role that may read students sees them: identity masked, region, the
// recognitions with their evidence, each enrolment with its status history and verifications, and
// by academic year the eligibility determinations and the grants with their instalments. The
// caseworker also finds the links to the forms that add to the record; other roles see none.
import { ENROLMENT_LEVEL_LABELS } from '../../domain/eligibility.ts';
import { ENROLMENT_STATUS_LABELS } from '../../domain/enrolment-status.ts';
import { formatYuan } from '../../domain/money.ts';
import { PARENT_SITUATION_LABELS } from '../../domain/recognition.ts';
import { type Action, may } from '../../domain/roles.ts';
import { GRANT_STATUS_LABELS, INSTALMENT_STATUS_LABELS, labelOf } from '../../domain/status-labels.ts';
import type { EligibilityView } from '../../services/eligibility.ts';
import type { EnrolmentView } from '../../services/enrolments.ts';
import type { GrantView } from '../../services/grants.ts';
import type { PayoutView } from '../../services/payouts/payout-views.ts';
import type { ParentView, RecognitionView } from '../../services/recognitions.ts';
import type { StudentView } from '../../services/students.ts';
import { beijingMinute } from '../format.ts';
import { Notice, Page, type Viewer } from '../layout.tsx';
import { EndingOutcome } from './grant-outcome.tsx';
import { PayoutsToRetry } from './student-payouts.tsx';

/** What the page says after a form led back to it (post/redirect/get), by the `done` the form put in the address. */
export const DONE_NOTICES: Record<string, string> = {
  registered: '学生已登记。',
  recognition: '认定已登记。',
  enrolment: '学籍已登记。',
  status: '学籍状态已变更。',
  verification: '学籍核验已登记。',
  bank_account: '收款账户已更换。',
  name: '姓名已更正。此前的发放仍以发放时的姓名记录。',
  contact: '联系电话已更新。',
  revoked: '资格已撤销。',
};

export const ELIGIBILITY_STATUS: Record<EligibilityView['status'], string> = { proposed: '待审核', approved: '已批准', rejected: '未批准', revoked: '已撤销' };
const GENDER: Record<StudentView['gender'], string> = { male: '男', female: '女' };

export interface StudentRecord {
  student: StudentView;
  recognitions: RecognitionView[];
  enrolments: EnrolmentView[];
  eligibility: EligibilityView[];
  grants: GrantView[];
  /** Payouts that failed or came back, not yet retried or cancelled. */
  toRetry: PayoutView[];
}

export function StudentPage(props: { viewer: Viewer; record: StudentRecord; done?: string | undefined; outcome?: GrantView[] | null }) {
  const { student } = props.record;
  const can = (action: Action) => may(props.viewer.role, action);
  const done = props.done ? DONE_NOTICES[props.done] : undefined;
  return (
    <Page title={`学生：${student.name}`} english="Student" viewer={props.viewer}>
      {done ? <Notice kind="ok">{done}</Notice> : null}
      {props.outcome ? <EndingOutcome grants={props.outcome} /> : null}
      <p>
        <a href="/students">返回学生列表</a>
      </p>
      <dl class="facts">
        <dt>姓名</dt>
        <dd>{student.name}</dd>
        <dt>身份证号码</dt>
        <dd class="id">{student.identityNumber}</dd>
        <dt>性别</dt>
        <dd>{GENDER[student.gender]}</dd>
        <dt>户籍地区</dt>
        <dd>
          {student.regionName ?? '未知'} <span class="id">（{student.regionCode}）</span>
        </dd>
        <dt>联系电话</dt>
        <dd>{student.phone ? <span class="id">{student.phone}</span> : '未登记'}</dd>
        <dt>收款账户</dt>
        <dd>
          {student.bankAccount.bankName} <span class="id">{student.bankAccount.accountNumber}</span>
        </dd>
        <dt>登记时间</dt>
        <dd>{beijingMinute(student.createdAt)}</dd>
      </dl>
      {can('student.update') ? (
        <ul class="actions">
          <li>
            <a href={`/students/${student.id}/bank-account`}>更换收款账户</a>
          </li>
          <li>
            <a href={`/students/${student.id}/contact`}>修改联系电话</a>
          </li>
          <li>
            <a href={`/students/${student.id}/name`}>更正姓名</a>
          </li>
        </ul>
      ) : null}
      <PayoutsToRetry studentId={student.id} payouts={props.record.toRetry} mayChangeAccount={can('student.update')} />
      <Recognitions studentId={student.id} recognitions={props.record.recognitions} mayRecord={can('recognition.record')} />
      <Enrolments studentId={student.id} enrolments={props.record.enrolments} can={can} />
      <Years studentId={student.id} eligibility={props.record.eligibility} grants={props.record.grants} mayRevoke={can('eligibility.revoke')} />
    </Page>
  );
}

function parentText(p: ParentView): string {
  const extra = p.disabilityGrade !== null ? `，${p.disabilityGrade}级` : p.lostContactMonths !== null ? `，${p.lostContactMonths}个月` : '';
  return PARENT_SITUATION_LABELS[p.situation].zh + extra;
}

function Recognitions(props: { studentId: string; recognitions: RecognitionView[]; mayRecord: boolean }) {
  return (
    <section aria-labelledby="recognitions">
      <h2 id="recognitions">
        事实无人抚养认定<small lang="en">Recognition</small>
      </h2>
      {props.mayRecord ? (
        <p>
          <a href={`/students/${props.studentId}/recognitions/new`}>登记认定</a>
        </p>
      ) : null}
      {props.recognitions.length === 0 ? (
        <p>尚未登记认定。</p>
      ) : (
        <section class="wide" tabindex={0} aria-label="认定记录，可横向滚动">
          <table>
            <caption>认定记录（最新在前）</caption>
            <thead>
              <tr>
                <th scope="col">认定日期</th>
                <th scope="col">认定机关</th>
                <th scope="col">父亲情况</th>
                <th scope="col">母亲情况</th>
                <th scope="col">收养</th>
                <th scope="col">结论</th>
                <th scope="col">证明材料</th>
              </tr>
            </thead>
            <tbody>
              {props.recognitions.map((r) => (
                <tr>
                  <td class="when">{r.recognisedOn}</td>
                  <td>{r.authority}</td>
                  <td>{parentText(r.father)}</td>
                  <td>{parentText(r.mother)}</td>
                  <td>{r.adopted ? '是' : '否'}</td>
                  <td class="text">{r.qualifies ? '符合认定条件' : `不符合：${r.reasons.map((x) => x.message_zh).join('；')}`}</td>
                  <td class="text">
                    <ul>
                      {r.evidence.map((e) => (
                        <li>
                          {e.documentType} <span class="id">{e.documentNumber}</span>（{e.issuer}，{e.issuedOn}）
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}

function Enrolments(props: { studentId: string; enrolments: EnrolmentView[]; can: (action: Action) => boolean }) {
  const base = `/students/${props.studentId}/enrolments`;
  return (
    <section aria-labelledby="enrolments">
      <h2 id="enrolments">
        学籍<small lang="en">Enrolment</small>
      </h2>
      {props.can('enrolment.record') ? (
        <p>
          <a href={`${base}/new`}>登记学籍</a>
        </p>
      ) : null}
      {props.enrolments.length === 0 ? <p>尚未登记学籍。</p> : null}
      {props.enrolments.map((e) => (
        <section aria-labelledby={`enrolment-${e.id}`}>
          <h3 id={`enrolment-${e.id}`}>
            {e.institution.name}（{ENROLMENT_LEVEL_LABELS[e.level].zh}）：{ENROLMENT_STATUS_LABELS[e.status].zh}
          </h3>
          <dl class="facts">
            <dt>学校标识码</dt>
            <dd class="id">{e.institution.code}</dd>
            <dt>入学日期</dt>
            <dd>{e.admissionDate}</dd>
            <dt>预计毕业</dt>
            <dd>{e.expectedGraduation}</dd>
            <dt>当前状态</dt>
            <dd>
              {ENROLMENT_STATUS_LABELS[e.status].zh}（自 {e.statusEffectiveOn} 起）
            </dd>
          </dl>
          {props.can('enrolment.change_status') || props.can('enrolment.verify') ? (
            <ul class="actions">
              {props.can('enrolment.change_status') ? (
                <li>
                  <a href={`${base}/${e.id}/status`}>变更学籍状态</a>
                </li>
              ) : null}
              {props.can('enrolment.verify') ? (
                <li>
                  <a href={`${base}/${e.id}/verifications/new`}>登记本学年学籍核验</a>
                </li>
              ) : null}
            </ul>
          ) : null}
          <table>
            <caption>学籍状态变更</caption>
            <thead>
              <tr>
                <th scope="col">生效日期</th>
                <th scope="col">状态</th>
                <th scope="col">原因</th>
              </tr>
            </thead>
            <tbody>
              {e.history.map((h) => (
                <tr>
                  <td class="when">{h.effectiveOn}</td>
                  <td>{ENROLMENT_STATUS_LABELS[h.status].zh}</td>
                  <td>{h.reason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {e.verifications.length === 0 ? (
            <p>尚无学籍核验。</p>
          ) : (
            <table>
              <caption>学籍核验</caption>
              <thead>
                <tr>
                  <th scope="col">核验日期</th>
                  <th scope="col">核验来源</th>
                  <th scope="col">核验编号</th>
                </tr>
              </thead>
              <tbody>
                {e.verifications.map((v) => (
                  <tr>
                    <td class="when">{v.verifiedOn}</td>
                    <td>{v.source}</td>
                    <td class="id">{v.reference ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </section>
  );
}

/** Eligibility and grants side by side for each academic year, the latest year first. */
function Years(props: { studentId: string; eligibility: EligibilityView[]; grants: GrantView[]; mayRevoke: boolean }) {
  const years = [...new Set([...props.eligibility.map((e) => e.academicYear), ...props.grants.map((g) => g.academicYear)])].sort().reverse();
  return (
    <section aria-labelledby="years">
      <h2 id="years">
        各学年资格与资助<small lang="en">Eligibility and grants by academic year</small>
      </h2>
      {years.length === 0 ? <p>尚无资格认定或资助记录。</p> : null}
      {years.map((year) => (
        <section aria-labelledby={`year-${year}`}>
          <h3 id={`year-${year}`}>{year} 学年</h3>
          <EligibilityTable
            studentId={props.studentId}
            rows={props.eligibility.filter((e) => e.academicYear === year)}
            year={year}
            mayRevoke={props.mayRevoke}
          />
          <GrantTable rows={props.grants.filter((g) => g.academicYear === year)} year={year} />
        </section>
      ))}
    </section>
  );
}

function EligibilityTable(props: { studentId: string; rows: EligibilityView[]; year: string; mayRevoke: boolean }) {
  if (props.rows.length === 0) return <p>本学年没有资格认定。</p>;
  return (
    <table>
      <caption>{props.year} 学年资格认定</caption>
      <thead>
        <tr>
          <th scope="col">项目</th>
          <th scope="col">状态</th>
          <th scope="col">结论</th>
          {props.mayRevoke ? <th scope="col">操作</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((e) => (
          <tr>
            <td>{e.programme.name}</td>
            <td>{ELIGIBILITY_STATUS[e.status]}</td>
            <td class="text">
              {e.eligible
                ? '符合条件'
                : `不符合：${e.ruleResults
                    .filter((r) => !r.passed)
                    .map((r) => r.detail_zh)
                    .join('；')}`}
              {e.revocation ? `（${e.revocation.effectiveOn} 起撤销：${e.revocation.reason}）` : null}
            </td>
            {props.mayRevoke ? (
              <td>{e.status === 'approved' ? <a href={`/students/${props.studentId}/eligibility/${e.id}/revoke`}>撤销资格</a> : '—'}</td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function GrantTable(props: { rows: GrantView[]; year: string }) {
  if (props.rows.length === 0) return <p>本学年没有资助。</p>;
  return (
    <table>
      <caption>{props.year} 学年资助</caption>
      <thead>
        <tr>
          <th scope="col">项目</th>
          <th scope="col" class="money">
            金额
          </th>
          <th scope="col">状态</th>
          <th scope="col">分期</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((g) => (
          <tr>
            <td>{g.programme.name}</td>
            <td class="money">{formatYuan(g.amount)}</td>
            <td>{labelOf(GRANT_STATUS_LABELS, g.status)}</td>
            <td class="text">
              {g.instalments.length === 0
                ? '—'
                : g.instalments.map((i) => `第${i.sequence}期 ${i.dueOn} ${formatYuan(i.amount)} ${labelOf(INSTALMENT_STATUS_LABELS, i.status)}`).join('；')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
