// A programme's bands, year by year, and the form that sets one year's bands as a whole (a year
// whose grants are approved keeps its bands: the service refuses, and the page says why).
import { ENROLMENT_LEVEL_LABELS } from '../../domain/eligibility.ts';
import { formatYuan } from '../../domain/money.ts';
import type { ProgrammeView } from '../../services/programmes.ts';
import { CreateForm, DoneNotice, type FormState, SelectField, errorOf } from '../admin-forms.tsx';
import { Page, type Viewer } from '../layout.tsx';
import { BandRows, INSTALMENT_PLAN_NAMES } from './admin-programmes.tsx';

export const BANDS_DONE = { set: '资助标准已保存。' };

export function BandsPage(props: { viewer: Viewer; programme: ProgrammeView; years: string[]; formKey: string; form: FormState; done?: string | undefined }) {
  const p = props.programme;
  const f = props.form;
  return (
    <Page title={`${p.name}：资助标准`} english="Bands" viewer={props.viewer}>
      <p>
        <a href="/admin/programmes">← 返回项目管理</a> · 发放方式：{INSTALMENT_PLAN_NAMES[p.instalmentPlan]}
      </p>
      <DoneNotice done={props.done} words={BANDS_DONE} />
      {p.bands.length === 0 ? (
        <p>尚未设置资助标准。</p>
      ) : (
        <table>
          <caption>现行资助标准（元/学年）</caption>
          <thead>
            <tr>
              <th scope="col">学年</th>
              <th scope="col">层次</th>
              <th scope="col" class="money">
                最低
              </th>
              <th scope="col" class="money">
                最高
              </th>
            </tr>
          </thead>
          <tbody>
            {p.bands.map((b) => (
              <tr>
                <td>{b.academicYear}</td>
                <td>{ENROLMENT_LEVEL_LABELS[b.level].zh}</td>
                <td class="money">{formatYuan(b.minAmount)}</td>
                <td class="money">{formatYuan(b.maxAmount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CreateForm
        id="set-bands"
        title="设置一个学年的资助标准"
        english="Set a year's bands"
        action={`/admin/programmes/${p.id}/bands`}
        viewer={props.viewer}
        formKey={props.formKey}
        form={f}
        submit="保存资助标准"
      >
        <SelectField
          name="academicYear"
          label="学年"
          english="academic year"
          value={f.values.academicYear}
          error={errorOf(f, 'academicYear')}
          options={props.years.map((y) => ({ value: y, text: y }))}
        />
        <p class="muted">该学年原有的标准将被整体替换；某层次两项都不填，即该层次不资助。该学年已有批准的资助时不能更改。</p>
        <BandRows form={f} />
      </CreateForm>
    </Page>
  );
}
