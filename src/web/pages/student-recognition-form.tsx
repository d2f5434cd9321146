// The caseworker's form to record a recognition as the county bureau decided it: the date and the
// authority, each parent's situation chosen from the rule's list (with the disability grade or the
// months without contact where the situation needs one), adoption, and up to three evidence documents.
import { PARENT_SITUATION_KINDS, PARENT_SITUATION_LABELS, type ParentRole } from '../../domain/recognition.ts';
import { Field, Page, type Viewer } from '../layout.tsx';
import { FieldError, FormNotice, type FormState, SelectField, StudentForm } from './student-form-kit.tsx';

export const EVIDENCE_ROWS = 3;

const PARENT_NAMES: Record<ParentRole, string> = { father: '父亲', mother: '母亲' };
const EVIDENCE_FIELDS = { documentType: '材料名称', documentNumber: '材料编号', issuer: '出具单位', issuedOn: '出具日期' } as const;

export const RECOGNITION_LABELS: Record<string, string> = {
  recognisedOn: '认定日期',
  authority: '认定机关',
  adopted: '是否被收养',
  evidence: '证明材料',
  ...Object.fromEntries(
    (['father', 'mother'] as const).flatMap((p) => [
      [`${p}.situation`, `${PARENT_NAMES[p]}情况`],
      [`${p}.disabilityGrade`, `${PARENT_NAMES[p]}残疾等级`],
      [`${p}.lostContactMonths`, `${PARENT_NAMES[p]}失联月数`],
    ]),
  ),
  ...Object.fromEntries(
    Array.from({ length: EVIDENCE_ROWS }, (_, i) =>
      Object.entries(EVIDENCE_FIELDS).map(([k, label]) => [`evidence.${i}.${k}`, `第${i + 1}份材料的${label}`]),
    ).flat(),
  ),
};

const SITUATION_CHOICES = PARENT_SITUATION_KINDS.map((k) => ({ value: k, text: PARENT_SITUATION_LABELS[k].zh }));

export function RecognitionFormPage(props: { viewer: Viewer; studentId: string; studentName: string; formKey: string; form: FormState }) {
  const v = props.form.values;
  const error = (name: string) => props.form.errors?.[name];
  return (
    <Page title={`登记认定：${props.studentName}`} english="Record a recognition" viewer={props.viewer}>
      <FormNotice form={props.form} labels={RECOGNITION_LABELS} />
      <StudentForm
        action={`/students/${props.studentId}/recognitions/new`}
        studentId={props.studentId}
        viewer={props.viewer}
        formKey={props.formKey}
        submit="登记认定"
      >
        <Field name="recognisedOn" label="认定日期" english="date of the decision" type="date" value={v.recognisedOn} error={error('recognisedOn')} />
        <Field name="authority" label="认定机关" english="authority" value={v.authority} error={error('authority')} />
        {(['father', 'mother'] as const).map((p) => (
          <fieldset>
            <legend>{PARENT_NAMES[p]}</legend>
            <SelectField
              name={`${p}.situation`}
              label={`${PARENT_NAMES[p]}情况`}
              value={v[`${p}.situation`]}
              error={error(`${p}.situation`)}
              choices={SITUATION_CHOICES}
              blank="请选择"
            />
            <Field
              name={`${p}.disabilityGrade`}
              label="残疾等级（仅重残时填写，1–4）"
              value={v[`${p}.disabilityGrade`]}
              error={error(`${p}.disabilityGrade`)}
              required={false}
            />
            <Field
              name={`${p}.lostContactMonths`}
              label="失联月数（仅失联时填写）"
              value={v[`${p}.lostContactMonths`]}
              error={error(`${p}.lostContactMonths`)}
              required={false}
            />
          </fieldset>
        ))}
        <SelectField
          name="adopted"
          label="是否被收养"
          english="adopted"
          value={v.adopted}
          error={error('adopted')}
          choices={[
            { value: 'no', text: '否' },
            { value: 'yes', text: '是' },
          ]}
        />
        <fieldset aria-describedby={error('evidence') ? 'evidence-error' : undefined}>
          <legend>证明材料（至少一份，不用的行留空）</legend>
          <FieldError id="evidence-error" error={error('evidence')} />
          {Array.from({ length: EVIDENCE_ROWS }, (_, i) => (
            <fieldset>
              <legend>第{i + 1}份材料</legend>
              {Object.entries(EVIDENCE_FIELDS).map(([k, label]) => (
                <Field
                  name={`evidence.${i}.${k}`}
                  label={label}
                  type={k === 'issuedOn' ? 'date' : 'text'}
                  value={v[`evidence.${i}.${k}`]}
                  error={error(`evidence.${i}.${k}`)}
                  required={false}
                />
              ))}
            </fieldset>
          ))}
        </fieldset>
      </StudentForm>
    </Page>
  );
}
