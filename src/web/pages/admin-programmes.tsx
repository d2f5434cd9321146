// The admin's programmes: the list (each with its bands page) and a form that creates one — funder,
// administering department, academic years, instalment plan, budget, the account payouts leave
// from, and the first year's bands per level (a level left blank has no band: it is not funded).
import { ENROLMENT_LEVELS, ENROLMENT_LEVEL_LABELS, type EnrolmentLevel } from '../../domain/eligibility.ts';
import { formatYuan } from '../../domain/money.ts';
import type { OrganisationView } from '../../services/organisations.ts';
import type { ProgrammeView } from '../../services/programmes.ts';
import { CreateForm, DoneNotice, type FormState, SelectField, errorOf } from '../admin-forms.tsx';
import { ListTable } from '../list-table.tsx';
import { Field, FieldError, Page, type Viewer } from '../layout.tsx';

export const INSTALMENT_PLAN_NAMES: Record<ProgrammeView['instalmentPlan'], string> = {
  annual: '每学年一次',
  semesters: '每学期一次（两期）',
  quarterly: '每季度一次（四期）',
  monthly: '每月一次',
};

export const PROGRAMME_DONE = { created: '项目已建立，账本账户已开设。' };

/** One row per level: the minimum and maximum annual amount; both blank means no band for that level. */
export function BandRows(props: { form: FormState }) {
  return (
    <>
      <FieldError name="bands" error={errorOf(props.form, 'bands')} />
      {ENROLMENT_LEVELS.map((level: EnrolmentLevel) => (
        <fieldset>
          <legend>
            {ENROLMENT_LEVEL_LABELS[level].zh}
            <small lang="en"> {ENROLMENT_LEVEL_LABELS[level].en}</small>
          </legend>
          <Field
            name={`band.${level}.minAmount`}
            label="最低金额（元/学年）"
            value={props.form.values[`band.${level}.minAmount`]}
            error={errorOf(props.form, `band.${level}.minAmount`)}
            required={false}
            autocomplete="off"
          />
          <Field
            name={`band.${level}.maxAmount`}
            label="最高金额（元/学年）"
            value={props.form.values[`band.${level}.maxAmount`]}
            error={errorOf(props.form, `band.${level}.maxAmount`)}
            required={false}
            autocomplete="off"
          />
        </fieldset>
      ))}
    </>
  );
}

export function AdminProgrammesPage(props: {
  viewer: Viewer;
  programmes: ProgrammeView[];
  nextCursor: string | null;
  funders: OrganisationView[];
  administrators: OrganisationView[];
  formKey: string;
  form: FormState;
  done?: string | undefined;
}) {
  const f = props.form;
  const text = (name: string, label: string, english: string, required = true) => (
    <Field name={name} label={label} english={english} value={f.values[name]} error={errorOf(f, name)} required={required} autocomplete="off" />
  );
  return (
    <Page title="项目管理" english="Programmes" viewer={props.viewer}>
      <DoneNotice done={props.done} words={PROGRAMME_DONE} />
      <ListTable
        caption="助学项目"
        headers={['代码', '名称', '资助方', '执行学年', '发放方式', '预算', '资助标准', '在途期限']}
        empty="尚未建立项目。"
        rows={props.programmes.length}
        next={{ path: '/admin/programmes', cursor: props.nextCursor }}
      >
        {props.programmes.map((p) => (
          <tr>
            <td class="id">{p.code}</td>
            <td>
              <a href={`/programmes/${p.id}`}>{p.name}</a>
            </td>
            <td>{p.funder.name}</td>
            <td>
              {p.firstAcademicYear} 至 {p.lastAcademicYear}
            </td>
            <td>{INSTALMENT_PLAN_NAMES[p.instalmentPlan]}</td>
            <td class="money">{formatYuan(p.budget)}</td>
            <td>
              <a href={`/admin/programmes/${p.id}/bands`}>设置资助标准</a>
            </td>
            <td>
              {p.transitBusinessDays}个银行工作日 ·{' '}
              <a href={`/admin/programmes/${p.id}/settings`} aria-label={`修改在途期限：${p.name}`}>
                修改
              </a>
            </td>
          </tr>
        ))}
      </ListTable>
      <CreateForm
        id="new-programme"
        title="建立项目"
        english="New programme"
        action="/admin/programmes"
        viewer={props.viewer}
        formKey={props.formKey}
        form={f}
        submit="建立项目"
      >
        {text('code', '项目代码', 'code')}
        {text('name', '项目名称', 'name')}
        <SelectField
          name="funderId"
          label="资助方（基金会）"
          english="funder"
          value={f.values.funderId}
          error={errorOf(f, 'funderId')}
          options={props.funders.map((o) => ({ value: o.id, text: `${o.name}（${o.code}）` }))}
        />
        <SelectField
          name="administratorId"
          label="管理机构（民政部门）"
          english="administrator"
          value={f.values.administratorId}
          error={errorOf(f, 'administratorId')}
          options={props.administrators.map((o) => ({ value: o.id, text: `${o.name}（${o.code}）` }))}
        />
        {text('firstAcademicYear', '起始学年（如2026-2027）', 'first year')}
        {text('lastAcademicYear', '结束学年', 'last year')}
        <SelectField
          name="instalmentPlan"
          label="发放方式"
          english="instalment plan"
          value={f.values.instalmentPlan}
          error={errorOf(f, 'instalmentPlan')}
          options={Object.entries(INSTALMENT_PLAN_NAMES).map(([value, text]) => ({ value, text }))}
        />
        {text('budget', '预算（元）', 'budget')}
        {text('transitBusinessDays', '在途银行工作日数（1至30，不填为3）', 'bank business days in transit', false)}
        <fieldset>
          <legend>发放账户（项目自有账户，可稍后补充）</legend>
          {text('payoutAccount.accountNumber', '账号', 'account number', false)}
          {text('payoutAccount.accountName', '户名', 'account name', false)}
          {text('payoutAccount.bankName', '开户行', 'bank', false)}
          {text('payoutAccount.bankCode', '联行号（12位，可不填）', 'CNAPS code', false)}
        </fieldset>
        <h3>起始学年的资助标准</h3>
        <BandRows form={f} />
      </CreateForm>
    </Page>
  );
}
