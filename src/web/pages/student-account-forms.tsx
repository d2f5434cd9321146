// The caseworker's changes to a student's file: the bank account grants are paid into (with the
// reason, kept in the audit trail) and the phone number. The account number is personal data: the
// page shows only the masked one on file, and a refused form comes back with the number field empty
// (it is never written back into a page), so it is typed again.
import type { StudentView } from '../../services/students.ts';
import { Field, Page, type Viewer } from '../layout.tsx';
import { FormNotice, type FormState, StudentForm } from './student-form-kit.tsx';

export const BANK_ACCOUNT_LABELS: Record<string, string> = {
  bankName: '开户银行',
  accountNumber: '银行账号',
  holderName: '开户人姓名',
  reason: '更换原因',
};
export const CONTACT_LABELS: Record<string, string> = { phone: '联系电话' };
export const NAME_LABELS: Record<string, string> = { name: '姓名', reason: '更正原因及依据' };

interface FormProps {
  viewer: Viewer;
  student: StudentView;
  formKey: string;
  form: FormState;
}

export function BankAccountFormPage(props: FormProps) {
  const v = props.form.values;
  const error = (name: string) => props.form.errors?.[name];
  const s = props.student;
  return (
    <Page title={`更换收款账户：${s.name}`} english="Change the bank account" viewer={props.viewer}>
      <FormNotice form={props.form} labels={BANK_ACCOUNT_LABELS} />
      <p>
        当前账户：{s.bankAccount.bankName} <span class="id">{s.bankAccount.accountNumber}</span>。资助只能发放到学生本人名下的账户，开户人须为学生本人。
      </p>
      <p>发放失败或被退回的款项，在账户更换后由财务人员重新发放，新的发放使用更换后的账户。</p>
      {props.form.notice ? <p>为保护个人信息，银行账号不会回显，请重新输入。</p> : null}
      <StudentForm action={`/students/${s.id}/bank-account`} studentId={s.id} viewer={props.viewer} formKey={props.formKey} submit="更换账户">
        <Field name="bankName" label="开户银行" english="bank" value={v.bankName} error={error('bankName')} />
        <Field name="accountNumber" label="银行账号" english="account number" value="" autocomplete="off" error={error('accountNumber')} />
        <Field name="holderName" label="开户人姓名（须为学生本人）" english="holder" value={v.holderName} error={error('holderName')} />
        <Field name="reason" label="更换原因" english="reason" value={v.reason} error={error('reason')} />
      </StudentForm>
    </Page>
  );
}

export function ContactFormPage(props: FormProps) {
  const error = (name: string) => props.form.errors?.[name];
  const s = props.student;
  return (
    <Page title={`修改联系电话：${s.name}`} english="Change the phone number" viewer={props.viewer}>
      <FormNotice form={props.form} labels={CONTACT_LABELS} />
      <p>当前联系电话：{s.phone ? <span class="id">{s.phone}</span> : '未登记'}。留空提交即删除联系电话。</p>
      <StudentForm action={`/students/${s.id}/contact`} studentId={s.id} viewer={props.viewer} formKey={props.formKey} submit="保存">
        <Field name="phone" label="新的联系电话" english="phone" type="tel" value={props.form.values.phone} error={error('phone')} required={false} />
      </StudentForm>
    </Page>
  );
}

/**
 * Correcting the name: the page shows only the masked name on file; a refused form keeps what was
 * typed out of the page too (the name is personal data), so it is typed again.
 */
export function NameFormPage(props: FormProps) {
  const error = (name: string) => props.form.errors?.[name];
  const s = props.student;
  return (
    <Page title={`更正姓名：${s.name}`} english="Correct the name" viewer={props.viewer}>
      <FormNotice form={props.form} labels={NAME_LABELS} />
      <p>姓名须与身份证一致；银行以此与收款账户的户名核对。已发放的款项仍以发放时的姓名记录，更正后的姓名用于以后的发放。</p>
      {props.form.notice ? <p>为保护个人信息，姓名不会回显，请重新输入。</p> : null}
      <StudentForm action={`/students/${s.id}/name`} studentId={s.id} viewer={props.viewer} formKey={props.formKey} submit="更正姓名">
        <Field name="name" label="正确的姓名（与身份证一致）" english="name" value="" autocomplete="off" error={error('name')} />
        <Field name="reason" label="更正原因及依据" english="reason and evidence" value={props.form.values.reason} error={error('reason')} />
      </StudentForm>
    </Page>
  );
}
