// The organisations the service knows: civil-affairs departments, foundations, audit bodies and the
// platform operator; the platform's admin adds one (its code is unique and never changes), another
// admin sees the list only.
import type { OrganisationView } from '../../services/organisations.ts';
import { CreateForm, DoneNotice, type FormState, SelectField, errorOf } from '../admin-forms.tsx';
import { ListTable } from '../list-table.tsx';
import { beijingMinute } from '../format.ts';
import { Field, Page, type Viewer } from '../layout.tsx';

export const ORGANISATION_KIND_NAMES: Record<OrganisationView['kind'], string> = {
  civil_affairs: '民政部门',
  foundation: '基金会',
  audit: '审计机构',
  platform: '平台运营方',
};

export const ORGANISATION_DONE = { created: '机构已添加。' };

export function OrganisationsPage(props: {
  viewer: Viewer;
  organisations: OrganisationView[];
  nextCursor: string | null;
  formKey: string;
  form: FormState;
  done?: string | undefined;
}) {
  const f = props.form;
  return (
    <Page title="机构" english="Organisations" viewer={props.viewer}>
      <DoneNotice done={props.done} words={ORGANISATION_DONE} />
      {props.viewer.platform ? (
        <CreateForm
          id="new-organisation"
          title="添加机构"
          english="New organisation"
          action="/admin/organisations"
          viewer={props.viewer}
          formKey={props.formKey}
          form={f}
          submit="添加机构"
        >
          <Field name="code" label="机构代码" english="code" value={f.values.code} error={errorOf(f, 'code')} autocomplete="off" />
          <Field name="name" label="机构名称" english="name" value={f.values.name} error={errorOf(f, 'name')} autocomplete="off" />
          <SelectField
            name="kind"
            label="机构类型"
            english="kind"
            value={f.values.kind}
            error={errorOf(f, 'kind')}
            options={Object.entries(ORGANISATION_KIND_NAMES).map(([value, text]) => ({ value, text }))}
          />
        </CreateForm>
      ) : (
        <p>添加机构由平台管理员办理。</p>
      )}
      <ListTable
        caption="机构"
        headers={['代码', '名称', '类型', '添加时间']}
        empty="尚无机构。"
        rows={props.organisations.length}
        next={{ path: '/admin/organisations', cursor: props.nextCursor }}
      >
        {props.organisations.map((o) => (
          <tr>
            <td class="id">{o.code}</td>
            <td>{o.name}</td>
            <td>{ORGANISATION_KIND_NAMES[o.kind]}</td>
            <td class="when">{beijingMinute(o.createdAt)}</td>
          </tr>
        ))}
      </ListTable>
    </Page>
  );
}
