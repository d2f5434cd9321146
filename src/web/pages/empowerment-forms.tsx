// The empowerment track's forms: a new activity (the coordinator), a student's registration and
// the record of what came of it (coordinator or caseworker). A refused form comes back with what was
// typed and the Chinese message beside each field; a rule (a student the programme never granted, a
// date outside the activity, an outcome the kind does not have) is said above the form.
import { EMPLOYER_SECTORS, EMPLOYER_SECTOR_LABELS, EMPOWERMENT_KINDS, EMPOWERMENT_KIND_LABELS } from '../../domain/empowerment.ts';
import type { ActivityView } from '../../services/empowerment-activities.ts';
import type { ParticipationView } from '../../services/participations.ts';
import { Field, FieldLabel, Page, type Viewer } from '../layout.tsx';
import { CardForm, FieldError, FormNotice, type FormState, SelectField } from './student-form-kit.tsx';

export const ACTIVITY_LABELS: Record<string, string> = {
  programmeId: '项目',
  kind: '类别',
  organiser: '主办方',
  organiserName: '主办单位名称',
  title: '活动名称',
  startsOn: '开始日期',
  endsOn: '结束日期',
  place: '地点',
  capacity: '名额',
  description: '活动说明',
};

export const REGISTRATION_LABELS: Record<string, string> = { studentId: '学生', registeredOn: '报名日期', evidence: '证明材料编号' };

export const PARTICIPATION_LABELS: Record<string, string> = {
  status: '状态',
  on: '日期',
  hours: '学时',
  internshipHost: '实习单位',
  internshipWeeks: '实习周数',
  employmentSector: '就业单位类别',
  employmentStartOn: '入职日期',
  evidence: '证明材料编号',
};

interface FormProps {
  viewer: Viewer;
  formKey: string;
  form: FormState;
}

function TextArea(props: { name: string; label: string; english: string; value: string | undefined; error: string | undefined; hint?: string }) {
  return (
    <>
      <FieldLabel for={props.name} label={props.label} english={props.english} />
      {props.hint ? <small id={`${props.name}-hint`}>{props.hint}</small> : null}
      <textarea
        id={props.name}
        name={props.name}
        rows={3}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${props.name}-error` : undefined}
      >
        {props.value ?? ''}
      </textarea>
      <FieldError id={`${props.name}-error`} error={props.error} />
    </>
  );
}

/** A new activity (`programmes` to choose from), or the change of one (`activity`: its programme stays). */
export function ActivityFormPage(props: FormProps & { programmes: { id: string; name: string }[]; activity?: ActivityView }) {
  const v = props.form.values;
  const error = (name: string) => props.form.errors?.[name];
  const a = props.activity;
  return (
    <Page title={a ? `修改活动：${a.title}` : '新建赋能活动'} english={a ? 'Change the activity' : 'New activity'} viewer={props.viewer}>
      <FormNotice form={props.form} labels={ACTIVITY_LABELS} />
      <CardForm
        action={a ? `/empowerment/activities/${a.id}/edit` : '/empowerment/new'}
        viewer={props.viewer}
        formKey={props.formKey}
        submit={a ? '保存修改' : '创建活动'}
        back={a ? { href: `/empowerment/activities/${a.id}`, text: '返回活动' } : { href: '/empowerment', text: '返回活动列表' }}
      >
        {a ? (
          <p>项目：{a.programme.name}</p>
        ) : (
          <SelectField
            name="programmeId"
            label="项目"
            english="programme"
            value={v.programmeId}
            error={error('programmeId')}
            choices={props.programmes.map((p) => ({ value: p.id, text: p.name }))}
          />
        )}
        <SelectField
          name="kind"
          label="类别"
          english="kind"
          value={v.kind}
          error={error('kind')}
          blank="请选择"
          choices={EMPOWERMENT_KINDS.map((k) => ({ value: k, text: EMPOWERMENT_KIND_LABELS[k].zh }))}
        />
        <SelectField
          name="organiser"
          label="主办方"
          english="organiser"
          value={v.organiser}
          error={error('organiser')}
          choices={[
            { value: 'foundation', text: '基金会' },
            { value: 'partner', text: '合作方' },
          ]}
        />
        <Field name="organiserName" label="主办单位名称" english="organiser’s name" value={v.organiserName} error={error('organiserName')} />
        <Field name="title" label="活动名称" english="title" value={v.title} error={error('title')} />
        <Field name="startsOn" label="开始日期" english="first day" type="date" value={v.startsOn} error={error('startsOn')} />
        <Field name="endsOn" label="结束日期" english="last day" type="date" value={v.endsOn} error={error('endsOn')} />
        <p>
          <input type="checkbox" id="online" name="online" checked={v.online === 'on'} />
          <label for="online">线上活动 online</label>
        </p>
        <Field name="place" label="地点（线下活动必填）" english="place" value={v.place} error={error('place')} required={false} />
        <Field name="capacity" label="名额（可不填）" english="capacity" value={v.capacity} error={error('capacity')} required={false} />
        <TextArea name="description" label="活动说明" english="description" value={v.description} error={error('description')} />
      </CardForm>
    </Page>
  );
}

export function RegistrationFormPage(props: FormProps & { activity: ActivityView; candidates: { id: string; name: string; identityNumber: string }[] }) {
  const v = props.form.values;
  const error = (name: string) => props.form.errors?.[name];
  const a = props.activity;
  return (
    <Page title={`登记报名：${a.title}`} english="Register a student" viewer={props.viewer}>
      <FormNotice form={props.form} labels={REGISTRATION_LABELS} />
      <p>
        活动日期 {a.startsOn} 至 {a.endsOn}。只有获得本项目资助的学生可以参加；列表中的姓名和身份证号已遮蔽。
      </p>
      <CardForm
        action={`/empowerment/activities/${a.id}/register`}
        viewer={props.viewer}
        formKey={props.formKey}
        submit="登记报名"
        back={{ href: `/empowerment/activities/${a.id}`, text: '返回活动' }}
      >
        <SelectField
          name="studentId"
          label="学生"
          english="student"
          value={v.studentId}
          error={error('studentId')}
          blank="请选择"
          choices={props.candidates.map((s) => ({ value: s.id, text: `${s.name}（${s.identityNumber}）` }))}
        />
        <Field name="registeredOn" label="报名日期" english="registered on" type="date" value={v.registeredOn} error={error('registeredOn')} />
        <TextArea name="evidence" label="证明材料编号（每行一项，可不填）" english="evidence references" value={v.evidence} error={error('evidence')} />
      </CardForm>
    </Page>
  );
}

export function ParticipationFormPage(props: FormProps & { participation: ParticipationView; activity: ActivityView }) {
  const v = props.form.values;
  const error = (name: string) => props.form.errors?.[name];
  const { participation: p, activity: a } = props;
  return (
    <Page title={`记录参加情况：${p.student.name}`} english="Record participation" viewer={props.viewer}>
      <FormNotice form={props.form} labels={PARTICIPATION_LABELS} />
      <p>
        活动：{a.title}（{EMPOWERMENT_KIND_LABELS[a.kind].zh}，{a.startsOn} 至 {a.endsOn}）。参加或完成的日期须在活动期间内；参加或完成计为 1 人次。
      </p>
      <CardForm
        action={`/empowerment/participations/${p.id}`}
        viewer={props.viewer}
        formKey={props.formKey}
        submit="保存"
        back={{ href: `/empowerment/activities/${a.id}`, text: '返回活动' }}
      >
        <SelectField
          name="status"
          label="状态"
          english="status"
          value={v.status}
          error={error('status')}
          blank="请选择"
          choices={[
            { value: 'attended', text: '已参加' },
            { value: 'completed', text: '已完成' },
            { value: 'withdrawn', text: '已退出' },
          ]}
        />
        <Field name="on" label="日期" english="date" type="date" value={v.on} error={error('on')} />
        <Field name="hours" label="学时（可不填）" english="hours" value={v.hours} error={error('hours')} required={false} />
        {a.kind === 'summer_internship' ? (
          <>
            <Field
              name="internshipHost"
              label="实习单位"
              english="host organisation"
              value={v.internshipHost}
              error={error('internshipHost')}
              required={false}
            />
            <Field name="internshipWeeks" label="实习周数" english="weeks" value={v.internshipWeeks} error={error('internshipWeeks')} required={false} />
          </>
        ) : null}
        {a.kind === 'employment_assistance' ? (
          <>
            <SelectField
              name="employmentSector"
              label="就业单位类别（不记录薪酬）"
              english="employer’s sector"
              value={v.employmentSector}
              error={error('employmentSector')}
              blank="未就业或不详"
              choices={EMPLOYER_SECTORS.map((s) => ({ value: s, text: EMPLOYER_SECTOR_LABELS[s] }))}
            />
            <Field
              name="employmentStartOn"
              label="入职日期"
              english="start date"
              type="date"
              value={v.employmentStartOn}
              error={error('employmentStartOn')}
              required={false}
            />
          </>
        ) : null}
        <TextArea name="evidence" label="证明材料编号（每行一项，可不填）" english="evidence references" value={v.evidence} error={error('evidence')} />
      </CardForm>
    </Page>
  );
}

export const DESTINATION_LABELS: Record<string, string> = {
  studentId: '毕业生',
  destination: '去向',
  sector: '就业单位类别',
  startedOn: '开始日期',
  source: '信息来源',
  sourceDate: '来源日期',
};

/** Where a graduate went (the coordinator): employed with the employer's sector, further study, or other, with the source. */
export function DestinationFormPage(
  props: FormProps & { programme: { id: string; name: string }; graduates: { id: string; name: string; identityNumber: string }[] },
) {
  const v = props.form.values;
  const error = (name: string) => props.form.errors?.[name];
  return (
    <Page title={`记录毕业生去向：${props.programme.name}`} english="Graduate destinations" viewer={props.viewer}>
      <FormNotice form={props.form} labels={DESTINATION_LABELS} />
      <p>毕业后六个月内开始的就业或升学计入各届学生成效；请注明信息来源（如录用通知、学校毕业去向登记）。不记录薪酬。</p>
      {props.graduates.length === 0 ? <p>本项目没有待记录去向的毕业生。</p> : null}
      <CardForm
        action={`/empowerment/programmes/${props.programme.id}/destinations`}
        viewer={props.viewer}
        formKey={props.formKey}
        submit="记录去向"
        back={{ href: '/empowerment', text: '返回活动列表' }}
      >
        <SelectField
          name="studentId"
          label="毕业生"
          english="graduate"
          value={v.studentId}
          error={error('studentId')}
          blank="请选择"
          choices={props.graduates.map((s) => ({ value: s.id, text: `${s.name}（${s.identityNumber}）` }))}
        />
        <SelectField
          name="destination"
          label="去向"
          english="destination"
          value={v.destination}
          error={error('destination')}
          blank="请选择"
          choices={[
            { value: 'employed', text: '就业' },
            { value: 'further_study', text: '升学' },
            { value: 'other', text: '其他' },
          ]}
        />
        <SelectField
          name="sector"
          label="就业单位类别（仅就业）"
          english="employer’s sector"
          value={v.sector}
          error={error('sector')}
          blank="不适用"
          choices={EMPLOYER_SECTORS.map((s) => ({ value: s, text: EMPLOYER_SECTOR_LABELS[s] }))}
        />
        <Field name="startedOn" label="开始日期（入职或入学）" english="started on" type="date" value={v.startedOn} error={error('startedOn')} />
        <Field name="source" label="信息来源" english="source" value={v.source} error={error('source')} />
        <Field name="sourceDate" label="来源日期" english="source date" type="date" value={v.sourceDate} error={error('sourceDate')} />
      </CardForm>
    </Page>
  );
}
