// A programme's settings the admin may change after it was made: the bank business days a payout
// may stay in transit before the bank check and finance's list call it overdue (not booked by the bank).
import type { ProgrammeView } from '../../services/programmes.ts';
import { CreateForm, DoneNotice, type FormState, errorOf } from '../admin-forms.tsx';
import { Field, Page, type Viewer } from '../layout.tsx';

export const SETTINGS_DONE = { set: '项目设置已保存。' };

export function ProgrammeSettingsPage(props: { viewer: Viewer; programme: ProgrammeView; formKey: string; form: FormState; done?: string | undefined }) {
  const p = props.programme;
  const f = props.form;
  return (
    <Page title={`${p.name}：项目设置`} english="Programme settings" viewer={props.viewer}>
      <p>
        <a href="/admin/programmes">← 返回项目管理</a>
      </p>
      <DoneNotice done={props.done} words={SETTINGS_DONE} />
      <CreateForm
        id="programme-settings"
        title="在途期限"
        english="Days in transit"
        action={`/admin/programmes/${p.id}/settings`}
        viewer={props.viewer}
        formKey={props.formKey}
        form={f}
        submit="保存设置"
      >
        <Field
          name="transitBusinessDays"
          label="在途银行工作日数（1至30）"
          english="bank business days in transit"
          value={f.values.transitBusinessDays ?? String(p.transitBusinessDays)}
          error={errorOf(f, 'transitBusinessDays')}
          autocomplete="off"
        />
        <p class="muted">
          付款自批次要求的执行日起，超过这些银行工作日（节假日不计）仍未获银行确认，即视为银行未入账：对账报告列为异常，财务的待办清单列出以便向银行查询。
        </p>
      </CreateForm>
    </Page>
  );
}
