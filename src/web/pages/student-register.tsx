// The caseworker's form to register a student. The identity number is checked as it is typed by a
// small script (/assets/identity-check.js, src/web/assets/identity-check.ts) that speaks through a live region; without the script
// the form works the same, and the server's check on submit is the one that counts.
import { Field, Page, type Viewer } from '../layout.tsx';
import { FieldError, FormKeys, FormNotice, type FormState, SelectField } from './student-form-kit.tsx';

export const REGISTER_LABELS: Record<string, string> = {
  identityNumber: '身份证号码',
  name: '姓名',
  gender: '性别',
  phone: '联系电话',
  'bankAccount.bankName': '开户银行',
  'bankAccount.accountNumber': '银行账号',
  'bankAccount.holderName': '开户人姓名',
};

export function RegisterStudentPage(props: { viewer: Viewer; formKey: string; form: FormState; today: string }) {
  const v = props.form.values;
  const error = (name: string) => props.form.errors?.[name];
  const idError = error('identityNumber');
  return (
    <Page title="登记学生" english="Register a student" viewer={props.viewer}>
      <FormNotice form={props.form} labels={REGISTER_LABELS} />
      <form method="post" action="/students/new" class="card" novalidate>
        <FormKeys viewer={props.viewer} formKey={props.formKey} />
        <label for="identityNumber">
          身份证号码<small lang="en"> identity number, 18 characters</small>
        </label>
        <input
          id="identityNumber"
          name="identityNumber"
          type="text"
          inputmode="text"
          autocomplete="off"
          maxlength={18}
          value={v.identityNumber ?? ''}
          data-identity-check="identityNumber-live"
          data-today={props.today}
          aria-invalid={idError ? 'true' : undefined}
          aria-describedby={idError ? 'identityNumber-error identityNumber-live' : 'identityNumber-live'}
        />
        <FieldError id="identityNumber-error" error={idError} />
        <p id="identityNumber-live" class="muted" role="status" aria-live="polite" />
        <Field name="name" label="姓名" english="name, as on the identity card" value={v.name} error={error('name')} autocomplete="off" />
        <SelectField
          name="gender"
          label="性别"
          english="gender (must match the identity number)"
          value={v.gender}
          error={error('gender')}
          blank="请选择"
          choices={[
            { value: 'female', text: '女' },
            { value: 'male', text: '男' },
          ]}
        />
        <Field name="phone" label="联系电话（选填）" english="phone, optional" value={v.phone} error={error('phone')} required={false} autocomplete="off" />
        <fieldset>
          <legend>收款账户（须为学生本人账户）</legend>
          <Field name="bankAccount.bankName" label="开户银行" english="bank" value={v['bankAccount.bankName']} error={error('bankAccount.bankName')} />
          <Field
            name="bankAccount.accountNumber"
            label="银行账号"
            english="account number, digits"
            value={v['bankAccount.accountNumber']}
            error={error('bankAccount.accountNumber')}
            autocomplete="off"
          />
          <Field
            name="bankAccount.holderName"
            label="开户人姓名"
            english="account holder: the student"
            value={v['bankAccount.holderName']}
            error={error('bankAccount.holderName')}
            autocomplete="off"
          />
        </fieldset>
        <button type="submit" class="primary">
          登记
        </button>
      </form>
      <p>
        <a href="/students">返回学生列表</a>
      </p>
      <script src="/assets/identity-check.js" defer />
    </Page>
  );
}
