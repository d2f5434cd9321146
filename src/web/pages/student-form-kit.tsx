// What the student forms share: the state a form is shown again with (values, Chinese messages by
// field, the notice above), the hidden fields every changing form carries (CSRF, the form's key),
// a labelled choice list with its error tied to it, and the notice that names in Chinese each field
// to correct, so that a person who cannot see the red text still knows where to look.
import type { Child } from 'hono/jsx';
import { Notice, type Viewer } from '../layout.tsx';

export interface FormState {
  values: Record<string, string>;
  errors?: Record<string, string> | null;
  notice?: string | null;
}

export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values });

/** The fields every form that changes something carries: the session's CSRF token and the form's key. */
export function FormKeys(props: { viewer: Viewer; formKey: string }) {
  return (
    <>
      <input type="hidden" name="csrf" value={props.viewer.csrfToken} />
      <input type="hidden" name="formKey" value={props.formKey} />
    </>
  );
}

/** The refusal above the form: the notice, then each field to correct by its Chinese label. */
export function FormNotice(props: { form: FormState; labels: Record<string, string> }) {
  const { notice, errors } = props.form;
  if (!notice) return null;
  const fields = Object.keys(errors ?? {}).map((name) => props.labels[name] ?? name);
  return (
    <Notice kind="error">
      {notice}
      {fields.length > 0 ? <> 需要修改：{fields.join('、')}。</> : null}
    </Notice>
  );
}

/** A labelled list of choices, its error tied to it as Field does for inputs. */
export function SelectField(props: {
  name: string;
  label: string;
  english?: string;
  value?: string | undefined;
  error?: string | undefined;
  choices: readonly { value: string; text: string }[];
  blank?: string;
}) {
  const errorId = `${props.name}-error`;
  // The schema lists the codes it takes; on a list of choices the person only needs to pick one.
  const error = props.error?.startsWith('应为以下之一') ? '请从列表中选择一项' : props.error;
  return (
    <>
      <label for={props.name}>
        {props.label}
        {props.english ? <small lang="en"> {props.english}</small> : null}
      </label>
      <select id={props.name} name={props.name} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? errorId : undefined}>
        {props.blank !== undefined ? <option value="">{props.blank}</option> : null}
        {props.choices.map((c) => (
          <option value={c.value} selected={props.value === c.value}>
            {c.text}
          </option>
        ))}
      </select>
      <FieldError id={errorId} error={error} />
    </>
  );
}

export function FieldError(props: { id: string; error?: string | undefined }) {
  return props.error ? (
    <p class="field-error" id={props.id}>
      {props.error}
    </p>
  ) : null;
}

/** A form in a card: its action, the keys every changing form carries, the submit button, and the way back. */
export function CardForm(props: { action: string; viewer: Viewer; formKey: string; submit: string; back: { href: string; text: string }; children: Child }) {
  return (
    <>
      <form method="post" action={props.action} class="card" novalidate>
        <FormKeys viewer={props.viewer} formKey={props.formKey} />
        {props.children}
        <button type="submit" class="primary">
          {props.submit}
        </button>
      </form>
      <p>
        <a href={props.back.href}>{props.back.text}</a>
      </p>
    </>
  );
}

/** A form of a student's page: the card, its action, and the way back to the student. */
export function StudentForm(props: { action: string; studentId: string; viewer: Viewer; formKey: string; submit: string; children: Child }) {
  return (
    <CardForm
      action={props.action}
      viewer={props.viewer}
      formKey={props.formKey}
      submit={props.submit}
      back={{ href: `/students/${props.studentId}`, text: '返回学生信息' }}
    >
      {props.children}
    </CardForm>
  );
}
