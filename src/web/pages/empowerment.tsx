// The empowerment track (青山陪伴赋能工程) for people: the activities of the programmes a person sees,
// and one activity with its participants (masked, as everywhere) and the person-times they make.
// A coordinator makes activities; a coordinator or a caseworker registers students and records
// what came of their participation, through the forms of empowerment-forms.tsx.
import { EMPOWERMENT_KIND_LABELS, EMPLOYER_SECTOR_LABELS, PARTICIPATION_STATUS_LABELS } from '../../domain/empowerment.ts';
import type { ActivityView } from '../../services/empowerment-activities.ts';
import type { ParticipationView } from '../../services/participations.ts';
import { ListTable } from '../list-table.tsx';
import { Notice, Page, type Viewer } from '../layout.tsx';

const period = (a: { startsOn: string; endsOn: string }) => (a.startsOn === a.endsOn ? a.startsOn : `${a.startsOn} 至 ${a.endsOn}`);
const where = (a: ActivityView) => (a.online ? (a.place ? `线上及${a.place}` : '线上') : (a.place ?? ''));

export function ActivityListPage(props: {
  viewer: Viewer;
  activities: ActivityView[];
  nextCursor: string | null;
  mayCreate: boolean;
  /** The programmes whose graduates' destinations the person records (the coordinator's). */
  destinationsOf: { id: string; name: string }[];
  notice?: string | undefined;
}) {
  return (
    <Page title="青山陪伴赋能工程" english="Empowerment activities" viewer={props.viewer}>
      {props.notice ? <Notice kind="ok">{props.notice}</Notice> : null}
      <p>公益营销活动、职业规划课程、暑假实习和就业援助。学生参加或完成一次活动计为 1 人次（报名或退出不计）。</p>
      {props.mayCreate ? (
        <p>
          <a href="/empowerment/new">新建活动</a>
        </p>
      ) : null}
      {props.destinationsOf.map((p) => (
        <p>
          <a href={`/empowerment/programmes/${p.id}/destinations`}>记录毕业生去向：{p.name}</a>
        </p>
      ))}
      <ListTable
        caption="赋能活动"
        headers={['活动', '类别', '项目', '日期', '地点', '报名', '人次']}
        empty="还没有活动。"
        rows={props.activities.length}
        next={{ path: '/empowerment', cursor: props.nextCursor }}
      >
        {props.activities.map((a) => (
          <tr>
            <td>
              <a href={`/empowerment/activities/${a.id}`}>{a.title}</a>
            </td>
            <td>{EMPOWERMENT_KIND_LABELS[a.kind].zh}</td>
            <td>{a.programme.name}</td>
            <td>{period(a)}</td>
            <td>{where(a)}</td>
            <td class="money">{a.participants.registered + a.participants.attended + a.participants.completed + a.participants.withdrawn}</td>
            <td class="money">{a.participants.personTimes}</td>
          </tr>
        ))}
      </ListTable>
    </Page>
  );
}

/** What came of a participation, in words: the kind's outcome where there is one. */
function outcomeText(p: ParticipationView): string {
  const o = p.outcome;
  const parts: string[] = [];
  if (o.internshipHost) parts.push(`实习单位：${o.internshipHost}`);
  if (o.internshipWeeks !== null) parts.push(`${o.internshipWeeks} 周`);
  if (o.employmentSector) parts.push(`就业：${EMPLOYER_SECTOR_LABELS[o.employmentSector]}`);
  if (o.employmentStartOn) parts.push(`${o.employmentStartOn} 入职`);
  return parts.join('，');
}

function statusDate(p: ParticipationView): string {
  return p.completedOn ?? p.attendedOn ?? p.withdrawnOn ?? p.registeredOn;
}

export function ActivityPage(props: {
  viewer: Viewer;
  activity: ActivityView;
  participations: ParticipationView[];
  mayRecord: boolean;
  mayChange: boolean;
  notice?: string | undefined;
}) {
  const a = props.activity;
  return (
    <Page title={a.title} english="Activity" viewer={props.viewer}>
      {props.notice ? <Notice kind="ok">{props.notice}</Notice> : null}
      <dl class="facts">
        <dt>类别</dt>
        <dd>{EMPOWERMENT_KIND_LABELS[a.kind].zh}</dd>
        <dt>项目</dt>
        <dd>{a.programme.name}</dd>
        <dt>主办</dt>
        <dd>
          {a.organiserName}（{a.organiser === 'foundation' ? '基金会' : '合作方'}）
        </dd>
        <dt>日期</dt>
        <dd>{period(a)}</dd>
        <dt>地点</dt>
        <dd>{where(a)}</dd>
        <dt>名额</dt>
        <dd>{a.capacity ?? '不限'}</dd>
        <dt>人次</dt>
        <dd>
          {a.participants.personTimes}（已参加 {a.participants.attended}，已完成 {a.participants.completed}，已报名 {a.participants.registered}，已退出{' '}
          {a.participants.withdrawn}）
        </dd>
      </dl>
      {a.description ? <p>{a.description}</p> : null}
      {props.mayChange ? (
        <p>
          <a href={`/empowerment/activities/${a.id}/edit`}>修改活动</a>
        </p>
      ) : null}
      <section aria-labelledby="participants">
        <h2 id="participants">
          参与学生<small lang="en">Participants</small>
        </h2>
        {props.mayRecord ? (
          <p>
            <a href={`/empowerment/activities/${a.id}/register`}>登记学生报名</a>
          </p>
        ) : null}
        <ListTable
          caption="参与学生（姓名和身份证号已遮蔽）"
          headers={['学生', '身份证号', '状态', '日期', '学时', '结果', ...(props.mayRecord ? ['操作'] : [])]}
          empty="还没有学生报名。"
          rows={props.participations.length}
          next={{ path: `/empowerment/activities/${a.id}`, cursor: null }}
        >
          {props.participations.map((p) => (
            <tr>
              <td>{p.student.name}</td>
              <td class="id">{p.student.identityNumber}</td>
              <td>{PARTICIPATION_STATUS_LABELS[p.status].zh}</td>
              <td>{statusDate(p)}</td>
              <td class="money">{p.hours ?? ''}</td>
              <td>{outcomeText(p)}</td>
              {props.mayRecord ? (
                <td>
                  {p.status === 'registered' || p.status === 'attended' ? (
                    <a href={`/empowerment/participations/${p.id}`} aria-label={`记录${p.student.name}的参加情况`}>
                      记录参加情况
                    </a>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </ListTable>
      </section>
      <p>
        <a href="/empowerment">返回活动列表</a>
      </p>
    </Page>
  );
}
