// The approver's form to revoke an approved eligibility: the date it ends (inside its academic
// year) and why. Before the button the page says what revoking does to the grant resting on it.
import type { EligibilityView } from '../../services/eligibility.ts';
import type { GrantView } from '../../services/grants.ts';
import type { StudentView } from '../../services/students.ts';
import { Field, Notice, Page, type Viewer } from '../layout.tsx';
import { EndingPreview } from './grant-outcome.tsx';
import { FormNotice, type FormState, StudentForm } from './student-form-kit.tsx';
import { ELIGIBILITY_STATUS } from './student.tsx';

export const REVOKE_LABELS: Record<string, string> = { effectiveOn: '撤销生效日期', reason: '撤销原因' };

export function RevokeEligibilityPage(props: {
  viewer: Viewer;
  student: StudentView;
  eligibility: EligibilityView;
  grants: GrantView[];
  formKey: string;
  form: FormState;
}) {
  const v = props.form.values;
  const error = (name: string) => props.form.errors?.[name];
  const e = props.eligibility;
  // Only an approved eligibility is revoked; any other (e.g. revoked meanwhile) gets no form.
  if (e.status !== 'approved') {
    return (
      <Page title={`撤销资格：${props.student.name}`} english="Revoke eligibility" viewer={props.viewer}>
        <Notice kind="info">
          {e.programme.name}，{e.academicYear} 学年的资格认定目前为“{ELIGIBILITY_STATUS[e.status]}”，只能撤销已批准的资格。
        </Notice>
        <p>
          <a href={`/students/${props.student.id}`}>返回学生信息</a>
        </p>
      </Page>
    );
  }
  return (
    <Page title={`撤销资格：${props.student.name}`} english="Revoke eligibility" viewer={props.viewer}>
      <FormNotice form={props.form} labels={REVOKE_LABELS} />
      <p>
        {e.programme.name}，{e.academicYear} 学年的资格认定（已批准）。撤销后该资格不再有效，生效日期须在该学年之内。
      </p>
      <EndingPreview grants={props.grants} what="撤销资格" />
      <StudentForm
        action={`/students/${props.student.id}/eligibility/${e.id}/revoke`}
        studentId={props.student.id}
        viewer={props.viewer}
        formKey={props.formKey}
        submit="撤销资格"
      >
        <Field name="effectiveOn" label="撤销生效日期" english="effective on" type="date" value={v.effectiveOn} error={error('effectiveOn')} />
        <Field name="reason" label="撤销原因" english="reason" value={v.reason} error={error('reason')} />
      </StudentForm>
    </Page>
  );
}
