// The caseworker's enrolment forms: record an enrolment, change its status (with the date it takes
// effect and why), and record this year's verification of it (when, from which source).
import { ENROLMENT_LEVELS, ENROLMENT_LEVEL_LABELS } from '../../domain/eligibility.ts';
import { ENROLMENT_STATUS_LABELS } from '../../domain/enrolment-status.ts';
import type { EnrolmentView } from '../../services/enrolments.ts';
import type { GrantView } from '../../services/grants.ts';
import { Field, Page, type Viewer } from '../layout.tsx';
import { EndingPreview } from './grant-outcome.tsx';
import { FormNotice, type FormState, SelectField, StudentForm } from './student-form-kit.tsx';
import { STATUS_CHOICES } from './students.tsx';

export const ENROLMENT_LABELS: Record<string, string> = {
  institutionName: '学校名称',
  institutionCode: '学校标识码',
  level: '层次',
  admissionDate: '入学日期',
  expectedGraduation: '预计毕业日期',
};
export const STATUS_LABELS: Record<string, string> = { status: '新状态', effectiveOn: '生效日期', reason: '原因' };
export const VERIFICATION_LABELS: Record<string, string> = { verifiedOn: '核验日期', source: '核验来源', reference: '核验编号' };

interface FormProps {
  viewer: Viewer;
  studentId: string;
  studentName: string;
  formKey: string;
  form: FormState;
}

const LEVEL_CHOICES = ENROLMENT_LEVELS.map((l) => ({ value: l, text: ENROLMENT_LEVEL_LABELS[l].zh }));

export function EnrolmentFormPage(props: FormProps) {
  const v = props.form.values;
  const error = (name: string) => props.form.errors?.[name];
  return (
    <Page title={`登记学籍：${props.studentName}`} english="Record an enrolment" viewer={props.viewer}>
      <FormNotice form={props.form} labels={ENROLMENT_LABELS} />
      <StudentForm
        action={`/students/${props.studentId}/enrolments/new`}
        studentId={props.studentId}
        viewer={props.viewer}
        formKey={props.formKey}
        submit="登记学籍"
      >
        <Field name="institutionName" label="学校名称" english="institution" value={v.institutionName} error={error('institutionName')} />
        <Field name="institutionCode" label="学校标识码" english="institution code" value={v.institutionCode} error={error('institutionCode')} />
        <SelectField name="level" label="层次" english="level" value={v.level} error={error('level')} choices={LEVEL_CHOICES} blank="请选择" />
        <Field name="admissionDate" label="入学日期" english="admission" type="date" value={v.admissionDate} error={error('admissionDate')} />
        <Field
          name="expectedGraduation"
          label="预计毕业日期"
          english="expected graduation"
          type="date"
          value={v.expectedGraduation}
          error={error('expectedGraduation')}
        />
      </StudentForm>
    </Page>
  );
}

const enrolmentTitle = (e: EnrolmentView) => `${e.institution.name}（${ENROLMENT_LEVEL_LABELS[e.level].zh}）`;

export function EnrolmentStatusFormPage(props: FormProps & { enrolment: EnrolmentView; grants: GrantView[] }) {
  const v = props.form.values;
  const error = (name: string) => props.form.errors?.[name];
  const e = props.enrolment;
  return (
    <Page title={`变更学籍状态：${props.studentName}`} english="Change enrolment status" viewer={props.viewer}>
      <FormNotice form={props.form} labels={STATUS_LABELS} />
      <p>
        {enrolmentTitle(e)}，当前状态：{ENROLMENT_STATUS_LABELS[e.status].zh}（自 {e.statusEffectiveOn} 起）。毕业和退学后不能再变更。
      </p>
      <p>休学时，依据本学籍的资助暂停发放未发放的分期，复学后恢复。毕业或退学即结束学籍，并终止依据本学籍的在期资助（生效日期之前已结束的学年不受影响）。</p>
      <EndingPreview grants={props.grants} what="毕业或退学" />
      <StudentForm
        action={`/students/${props.studentId}/enrolments/${e.id}/status`}
        studentId={props.studentId}
        viewer={props.viewer}
        formKey={props.formKey}
        submit="变更状态"
      >
        <SelectField name="status" label="新状态" english="new status" value={v.status} error={error('status')} choices={STATUS_CHOICES} blank="请选择" />
        <Field name="effectiveOn" label="生效日期" english="effective on" type="date" value={v.effectiveOn} error={error('effectiveOn')} />
        <Field name="reason" label="原因" english="reason" value={v.reason} error={error('reason')} />
      </StudentForm>
    </Page>
  );
}

export function VerificationFormPage(props: FormProps & { enrolment: EnrolmentView; academicYear: string }) {
  const v = props.form.values;
  const error = (name: string) => props.form.errors?.[name];
  return (
    <Page title={`学籍核验：${props.studentName}`} english="Enrolment verification" viewer={props.viewer}>
      <FormNotice form={props.form} labels={VERIFICATION_LABELS} />
      <p>
        {enrolmentTitle(props.enrolment)}：登记 {props.academicYear} 学年的学籍核验。资格认定要求核验日期在该学年之内。
      </p>
      <StudentForm
        action={`/students/${props.studentId}/enrolments/${props.enrolment.id}/verifications/new`}
        studentId={props.studentId}
        viewer={props.viewer}
        formKey={props.formKey}
        submit="登记核验"
      >
        <Field name="verifiedOn" label="核验日期" english="verified on" type="date" value={v.verifiedOn} error={error('verifiedOn')} />
        <Field name="source" label="核验来源" english="source, e.g. 学信网 CHSI" value={v.source} error={error('source')} />
        <Field name="reference" label="核验编号（选填）" english="reference, optional" value={v.reference} error={error('reference')} required={false} />
      </StudentForm>
    </Page>
  );
}
