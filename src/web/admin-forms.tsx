// What the admin's forms share: the two hidden fields every changing form carries (the session's
// CSRF token and the form's own key), a labelled select with its error tied to it, the refusal
// shown above a form, the note a list shows after post/redirect/get, and one way to send a form
// through submitOnce and show it again, refused, with the person's values and the Chinese messages.
import type { Child } from 'hono/jsx';
import type { ServiceContext } from '../services/context.ts';
import { FieldError, FieldLabel, Notice, type Viewer, invalidAttributes } from './layout.tsx';
import { type FormDone, type FormRefusal, type SubmitOptions, submitOnce } from './submit-once.ts';
import type { WebContext } from './web-kit.tsx';

/** A form as the person filled it in, and why it was refused (if it was). */
export interface FormState {
  values: Record<string, string>;
  refusal?: FormRefusal | null;
}

export const emptyForm: FormState = { values: {} };

export function FormKeys(props: { viewer: Viewer; formKey: string }) {
  return (
    <>
      <input type="hidden" name="csrf" value={props.viewer.csrfToken} />
      <input type="hidden" name="formKey" value={props.formKey} />
    </>
  );
}

/** The form with its messages moved to the fields the page shows them beside (the first message of a field wins). */
export function renameErrors(form: FormState, rename: (path: string) => string): FormState {
  const errors = form.refusal?.errors;
  if (!form.refusal || !errors) return form;
  const moved: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors)) moved[rename(path)] ??= message;
  return { ...form, refusal: { ...form.refusal, errors: moved } };
}

/** The field's error, when the refusal named it. */
export const errorOf = (form: FormState, name: string): string | undefined => form.refusal?.errors?.[name];

export function SelectField(props: {
  name: string;
  label: string;
  english?: string;
  options: readonly { value: string; text: string }[];
  value?: string | undefined;
  error?: string | undefined;
}) {
  return (
    <>
      <FieldLabel for={props.name} label={props.label} english={props.english} />
      <select id={props.name} name={props.name} {...invalidAttributes(props.name, props.error)}>
        {props.options.map((o) => (
          <option value={o.value} selected={props.value === o.value}>
            {o.text}
          </option>
        ))}
      </select>
      <FieldError name={props.name} error={props.error} />
    </>
  );
}

/** A one-button form in a row of a list (revoke, end, new link): its own key, so each is sent once. */
export function RowButton(props: { action: string; viewer: Viewer; formKey: string; label: string; of?: string; children?: Child }) {
  return (
    <form method="post" action={props.action}>
      <FormKeys viewer={props.viewer} formKey={props.formKey} />
      {props.children}
      {/* In a list, the button's name says which row it acts on (a screen reader lists buttons alone). */}
      <button type="submit" aria-label={props.of ? `${props.label}：${props.of}` : undefined}>
        {props.label}
      </button>
    </form>
  );
}

/**
 * A section holding one form that creates something: its heading, why it was last refused, the
 * hidden keys, the fields and the button.
 */
export function CreateForm(props: {
  id: string;
  title: string;
  english: string;
  action: string;
  viewer: Viewer;
  formKey: string;
  form: FormState;
  submit: string;
  children: Child;
}) {
  return (
    <Section id={props.id} title={props.title} english={props.english}>
      <RefusalNotice form={props.form} />
      <form method="post" action={props.action} class="card">
        <FormKeys viewer={props.viewer} formKey={props.formKey} />
        {props.children}
        <button type="submit" class="primary">
          {props.submit}
        </button>
      </form>
    </Section>
  );
}

/** Why the form was not carried out; a field's own message stands beside the field. */
export function RefusalNotice(props: { form: FormState }) {
  const refusal = props.form.refusal;
  return refusal ? <Notice kind="error">{refusal.notice}</Notice> : null;
}

/** The note a page shows after a form led back to it (post/redirect/get): fixed words by key, nothing from the person. */
export function DoneNotice(props: { done: string | undefined; words: Record<string, string> }) {
  const text = props.done ? props.words[props.done] : undefined;
  return text ? <Notice kind="ok">{text}</Notice> : null;
}

/** A section with its heading tied to it, for one form or one list. */
export function Section(props: { id: string; title: string; english?: string; children: Child }) {
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>
        {props.title}
        {props.english ? <small lang="en">{props.english}</small> : null}
      </h2>
      {props.children}
    </section>
  );
}

/**
 * Sends the form through submitOnce; a refusal shows the page again with the person's values (and
 * the refusal's status), through `show`.
 */
export async function sendForm(
  c: WebContext,
  ctx: ServiceContext,
  viewer: Viewer,
  options: SubmitOptions & { values: Record<string, string> },
  work: () => Promise<FormDone>,
  show: (form: FormState, status: FormRefusal['status']) => Promise<Response>,
): Promise<Response> {
  const result = await submitOnce(c, ctx, viewer, options, work);
  if (result instanceof Response) return result;
  return show({ values: options.values, refusal: result }, result.status);
}

/** The fields of a form body as trimmed text (what the person typed, to show again). */
export function formValues(body: Record<string, unknown>, names: readonly string[], max = 500): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, typeof body[name] === 'string' ? (body[name] as string).trim().slice(0, max) : '']));
}
