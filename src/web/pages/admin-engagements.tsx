// Audit engagements: which programmes an audit body's auditors see, and from when to when. The
// platform's admin makes one (all programmes, or those ticked) and ends one (today is its last day,
// and it stops covering at once).
import type { AuditEngagementView } from '../../services/audit-engagements.ts';
import type { OrganisationView } from '../../services/organisations.ts';
import type { ProgrammeView } from '../../services/programmes.ts';
import { CreateForm, DoneNotice, type FormState, RowButton, SelectField, errorOf } from '../admin-forms.tsx';
import { ListTable } from '../list-table.tsx';
import { Field, FieldError, Page, type Viewer } from '../layout.tsx';

export const ENGAGEMENT_DONE = { created: '审计委托已建立。', ended: '审计委托已结束，自即刻起不再覆盖。' };

function stateOf(e: AuditEngagementView, today: string): string {
  if (e.endedAt) return '已结束';
  if (e.current) return '生效中';
  return e.startsOn > today ? '未开始' : '已到期';
}

function ProgrammeChoices(props: { programmes: ProgrammeView[]; chosen: readonly string[]; error: string | undefined }) {
  return (
    <fieldset aria-describedby={props.error ? 'programmeIds-error' : undefined}>
      <legend>委托的项目（范围为“指定项目”时勾选）</legend>
      {props.programmes.map((p, i) => (
        <div class="choice">
          <input type="checkbox" id={`programme-${i}`} name="programmeIds" value={p.id} checked={props.chosen.includes(p.id)} />
          <label for={`programme-${i}`}>
            {p.name} <small class="id">{p.code}</small>
          </label>
        </div>
      ))}
      <FieldError name="programmeIds" error={props.error} />
    </fieldset>
  );
}

export function EngagementsPage(props: {
  viewer: Viewer;
  engagements: AuditEngagementView[];
  nextCursor: string | null;
  auditors: OrganisationView[];
  programmes: ProgrammeView[];
  formKey: string;
  form: FormState & { programmeIds?: string[] };
  done?: string | undefined;
  /** Today's date in China, to tell an engagement to come from one that is over. */
  today: string;
}) {
  const f = props.form;
  return (
    <Page title="审计委托" english="Audit engagements" viewer={props.viewer}>
      <DoneNotice done={props.done} words={ENGAGEMENT_DONE} />
      <CreateForm
        id="new-engagement"
        title="建立审计委托"
        english="New engagement"
        action="/admin/engagements"
        viewer={props.viewer}
        formKey={props.formKey}
        form={f}
        submit="建立委托"
      >
        <SelectField
          name="auditorOrganisationId"
          label="审计机构"
          english="audit body"
          value={f.values.auditorOrganisationId}
          error={errorOf(f, 'auditorOrganisationId')}
          options={props.auditors.map((o) => ({ value: o.id, text: `${o.name}（${o.code}）` }))}
        />
        <SelectField
          name="scope"
          label="范围"
          english="scope"
          value={f.values.scope}
          error={errorOf(f, 'scope')}
          options={[
            { value: 'all', text: '全部项目' },
            { value: 'programmes', text: '指定项目' },
          ]}
        />
        <ProgrammeChoices programmes={props.programmes} chosen={f.programmeIds ?? []} error={errorOf(f, 'programmeIds')} />
        <Field name="startsOn" label="开始日期" english="starts on" type="date" value={f.values.startsOn} error={errorOf(f, 'startsOn')} />
        <Field
          name="endsOn"
          label="结束日期（不填为长期）"
          english="ends on"
          type="date"
          value={f.values.endsOn}
          error={errorOf(f, 'endsOn')}
          required={false}
        />
      </CreateForm>
      <ListTable
        caption="审计委托"
        headers={['审计机构', '范围', '起止日期', '状态', '操作']}
        empty="尚无审计委托。"
        rows={props.engagements.length}
        next={{ path: '/admin/engagements', cursor: props.nextCursor }}
      >
        {props.engagements.map((e, i) => (
          <tr>
            <td>{e.auditorOrganisation.name}</td>
            <td>{e.scope === 'all' ? '全部项目' : e.programmes.map((p) => p.name).join('、')}</td>
            <td class="when">
              {e.startsOn} 至 {e.endsOn ?? '长期'}
            </td>
            <td>{stateOf(e, props.today)}</td>
            <td>
              {e.endedAt === null && (e.endsOn === null || e.endsOn >= props.today) ? (
                <RowButton
                  action={`/admin/engagements/${e.id}/end`}
                  viewer={props.viewer}
                  formKey={`${props.formKey}-e${i}`}
                  label="结束委托"
                  of={e.auditorOrganisation.name}
                />
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </ListTable>
    </Page>
  );
}
