// The programme dashboard's part about the empowerment track (青山陪伴赋能工程): 赋能人次 beside the
// grants' person-times, per academic year and kind, and what became of each cohort. Both are counts
// from the services the API answers with (empowerment-figures.ts, cohort-outcomes.ts).
import { EMPOWERMENT_KINDS, EMPOWERMENT_KIND_LABELS, type EmpowermentPersonTimes, type PersonTimesByKind } from '../../domain/empowerment.ts';
import type { CohortOutcomeView } from '../../services/cohort-outcomes.ts';
import type { GrantSummary } from '../../services/grant-views.ts';

function PersonTimesRow(props: { label: string; grants: number | null; personTimes: PersonTimesByKind | undefined }) {
  const p = props.personTimes;
  return (
    <tr>
      <th scope="row">{props.label}</th>
      <td class="money">{props.grants ?? '—'}</td>
      <td class="money">{p?.total ?? 0}</td>
      {EMPOWERMENT_KINDS.map((k) => (
        <td class="money">{p?.[k] ?? 0}</td>
      ))}
    </tr>
  );
}

/** Person-times of grants and of the empowerment track, one row per academic year either has, and the total. */
export function EmpowermentFigures(props: { summary: GrantSummary | null; figures: EmpowermentPersonTimes }) {
  const grantsOf = new Map((props.summary?.years ?? []).map((y) => [y.academicYear ?? '', y.grants]));
  const figuresOf = new Map(props.figures.years.map((y) => [y.academicYear, y.personTimes]));
  const years = [...new Set([...grantsOf.keys(), ...figuresOf.keys()])].sort();
  const grants = (year: string) => (props.summary ? (grantsOf.get(year) ?? 0) : null);
  return (
    <section aria-labelledby="empowerment-figures">
      <h2 id="empowerment-figures">
        青山陪伴赋能工程：人次<small lang="en">Person-times, grants and empowerment</small>
      </h2>
      <p class="muted">资助人次：每名学生每学年获批资助计一次。赋能人次：学生参加或完成一次赋能活动计一次（报名或退出不计），按活动开始日期所在学年统计。</p>
      <section class="wide" tabindex={0} aria-label="各学年资助人次与赋能人次，可横向滚动">
        <table>
          <caption class="skip">各学年资助人次与赋能人次（按活动类别）</caption>
          <thead>
            <tr>
              <th scope="col">学年</th>
              <th scope="col" class="money">
                资助人次
              </th>
              <th scope="col" class="money">
                赋能人次
              </th>
              {EMPOWERMENT_KINDS.map((k) => (
                <th scope="col" class="money">
                  {EMPOWERMENT_KIND_LABELS[k].zh}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {years.map((y) => (
              <PersonTimesRow label={y} grants={grants(y)} personTimes={figuresOf.get(y)} />
            ))}
            <PersonTimesRow label="累计" grants={props.summary ? props.summary.cumulative.grants : null} personTimes={props.figures.cumulative} />
          </tbody>
        </table>
      </section>
    </section>
  );
}

const OUTCOME_COLUMNS: [keyof CohortOutcomeView, string][] = [
  ['students', '学生'],
  ['graduatedOnTime', '按期毕业'],
  ['graduatedLate', '延期毕业'],
  ['stillStudying', '在读'],
  ['withdrawn', '退学'],
  ['employedWithinSixMonths', '毕业半年内就业'],
  ['furtherStudyWithinSixMonths', '毕业半年内升学'],
  ['otherOrUnknown', '其他或不详'],
  ['internshipsCompleted', '完成实习'],
  ['coursesCompleted', '完成课程'],
];

/** Per cohort (the year of the students' first grant): how many graduated, left, found work or further study. */
export function CohortOutcomes(props: { cohorts: CohortOutcomeView[] }) {
  return (
    <section aria-labelledby="cohort-outcomes">
      <h2 id="cohort-outcomes">
        各届学生成效<small lang="en">Outcomes by cohort</small>
      </h2>
      <p class="muted">届别：学生在本项目首次获得资助的学年。就业、升学以毕业后六个月内开始为准，由项目专员记录并注明来源。</p>
      <section class="wide" tabindex={0} aria-label="各届学生成效，可横向滚动">
        <table>
          <caption class="skip">各届学生成效</caption>
          <thead>
            <tr>
              <th scope="col">届别</th>
              {OUTCOME_COLUMNS.map(([, label]) => (
                <th scope="col" class="money">
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.cohorts.map((c) => (
              <tr>
                <th scope="row">{c.cohort}</th>
                {OUTCOME_COLUMNS.map(([key]) => (
                  <td class="money">{c[key]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </section>
  );
}
