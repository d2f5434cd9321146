// A programme's money as its foundation (and every role that may read it) sees it: what the
// ledger holds now, and per academic year and cumulatively the students funded, person-times (人次)
// and amounts, by level; beside them the empowerment track's person-times (赋能人次) by kind and the
// cohorts' outcomes. Every figure comes from the services the API answers with, so a page and a
// download never disagree.
import { formatYuan } from '../../domain/money.ts';
import { may } from '../../domain/roles.ts';
import { ENROLMENT_LEVEL_LABELS } from '../../domain/eligibility.ts';
import type { Figures, GrantSummary } from '../../services/grant-views.ts';
import type { ProgrammeMoney } from '../../services/programme-money.ts';
import type { ProgrammeView } from '../../services/programmes.ts';
import { Chart, Downloads, ProgrammeNav } from '../components.tsx';
import { Page, type Viewer } from '../layout.tsx';
import type { EmpowermentPersonTimes } from '../../domain/empowerment.ts';
import type { CohortOutcomeView } from '../../services/cohort-outcomes.ts';
import { CohortOutcomes, EmpowermentFigures } from './programme-empowerment.tsx';

const FIGURE_COLUMNS = ['受助学生', '人次', '承诺金额', '已发放', '已取消', '待发放'] as const;

export function ProgrammeListPage(props: { viewer: Viewer; programmes: ProgrammeView[] }) {
  return (
    <Page title="助学项目" english="Programmes" viewer={props.viewer}>
      {props.programmes.length === 0 ? (
        <p>您所在机构没有可查看的助学项目。</p>
      ) : (
        <table>
          <caption class="skip">助学项目列表</caption>
          <thead>
            <tr>
              <th scope="col">项目</th>
              <th scope="col">资助方</th>
              <th scope="col">管理方</th>
              <th scope="col">学年</th>
              <th scope="col" class="money">
                未承诺资金
              </th>
            </tr>
          </thead>
          <tbody>
            {props.programmes.map((p) => (
              <tr>
                <td>
                  <a href={`/programmes/${p.id}`}>{p.name}</a>
                </td>
                <td>{p.funder.name}</td>
                <td>{p.administrator.name}</td>
                <td>
                  {p.firstAcademicYear} 至 {p.lastAcademicYear}
                </td>
                <td class="money">{formatYuan(p.balances.fund)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

function FiguresRow(props: { label: string; figures: Figures; href?: string | undefined }) {
  const f = props.figures;
  return (
    <tr>
      <th scope="row">{props.href ? <a href={props.href}>{props.label}</a> : props.label}</th>
      <td class="money">{f.studentsFunded}</td>
      <td class="money">{f.grants}</td>
      <td class="money">{formatYuan(f.committed)}</td>
      <td class="money">{formatYuan(f.paid)}</td>
      <td class="money">{formatYuan(f.cancelled)}</td>
      <td class="money">{formatYuan(f.remaining)}</td>
    </tr>
  );
}

/** Students, person-times and amounts, one row per year or level; the caption may be for screen readers only. */
function FiguresTable(props: { caption: string; captionHidden?: boolean; firstColumn: string; rows: { label: string; figures: Figures; href?: string }[] }) {
  return (
    <section class="wide" tabindex={0} aria-label={`${props.caption}，可横向滚动`}>
      <table>
        <caption class={props.captionHidden ? 'skip' : undefined}>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.firstColumn}</th>
            {FIGURE_COLUMNS.map((name) => (
              <th scope="col" class="money">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <FiguresRow label={r.label} figures={r.figures} href={r.href} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

export interface DashboardCharts {
  byYear: string;
  byRegion: string;
}

/** One figure of the ledger with what it means and the link to the rows behind it ('' where the role may not open them). */
function FigureRow(props: { label: string; explanation: string; amount: string; href: string }) {
  return (
    <tr>
      <th scope="row">
        {props.href ? <a href={props.href}>{props.label}</a> : props.label}
        <br />
        <small>{props.explanation}</small>
      </th>
      <td class="money">{formatYuan(props.amount)}</td>
    </tr>
  );
}

function moneyRows(programme: ProgrammeView, money: ProgrammeMoney | null, received: string | null): (readonly [string, string, string, string])[] {
  const base = `/programmes/${programme.id}`;
  const b = programme.balances;
  if (!money) {
    // Roles that may not read the journal see the balances only; their links lead to lists they may read.
    return [
      ...(received === null ? [] : [['资金到账', '基金会拨入项目账户的资金（冲正后）', received, `${base}/funding`] as const]),
      ['未承诺资金', '已到账、尚未承诺给任何资助的资金', b.fund, received === null ? '' : `${base}/funding`],
      ['已承诺未发出', '已批准、尚未发往银行的资助', b.payable, `${base}/grants`],
      ['在途', '已发往银行、银行尚未确认的款项', b.inTransit, `${base}/payouts?status=sent`],
    ] as const;
  }
  const f = money.flows;
  return [
    ['资金到账', '基金会拨入项目账户的资金（冲正后）', f.received, `${base}/funding`],
    ['已承诺', '已批准的年度资助（账本：资金池 → 应付）', f.committed, `${base}/ledger?kind=grant_approved`],
    ['已发往银行', '已提交银行代发的款项', f.sent, `${base}/ledger?kind=payout_sent`],
    ['已入账', '银行确认已入学生账户的款项', f.settled, `${base}/payouts?status=settled`],
    ['退汇', '入账后又被退回的款项', f.returned, `${base}/payouts?status=returned`],
    ['银行退回', '银行拒绝、未入账即退回的款项', f.failed, `${base}/payouts?status=failed`],
    ['实际发放', '已入账减去退汇：留在学生账户的金额', f.paid, `${base}/payouts?status=settled`],
    ['已取消', '终止的资助中不再发放、退回资金池的部分', f.cancelled, `${base}/ledger?kind=remainder_cancelled`],
    ['在途', '已发往银行、银行尚未确认的款项（账户余额）', money.balances.inTransit, `${base}/payouts?status=sent`],
    ['已承诺待发放', '已批准、尚未发往银行的资助（账户余额）', money.balances.payable, `${base}/grants`],
    ['未承诺资金', '已到账、尚未承诺给任何资助的资金（账户余额）', money.balances.fund, `${base}/funding`],
  ] as const;
}

export function ProgrammePage(props: {
  viewer: Viewer;
  programme: ProgrammeView;
  summary: GrantSummary;
  /** Null for a role that may not read the transfers. */
  received: string | null;
  money: ProgrammeMoney | null;
  charts: DashboardCharts;
  mayExport: boolean;
  /** The empowerment track's person-times and the cohorts' outcomes; null for a role that may not read them. */
  empowerment: EmpowermentPersonTimes | null;
  cohorts: CohortOutcomeView[] | null;
}) {
  const { programme, summary } = props;
  const base = `/programmes/${programme.id}`;
  return (
    <Page title={programme.name} english="Programme" viewer={props.viewer}>
      <ProgrammeNav programme={programme} current="" />
      <p>
        资助方：{programme.funder.name}；管理方：{programme.administrator.name}；学年 {programme.firstAcademicYear} 至 {programme.lastAcademicYear}。
      </p>
      {may(props.viewer.role, 'disclosure.produce') ? (
        <p>
          <a href={`${base}/disclosure`}>季度公开报告（慈善项目实施情况公开）</a>
        </p>
      ) : null}
      <section aria-labelledby="ledger-now">
        <h2 id="ledger-now">
          资金去向<small lang="en">Where the money went</small>
        </h2>
        <p class="muted">
          每个数字都由账本计算得出，点击可查看其明细。
          {props.money?.throughSeq ? `数据截至本项目第 ${props.money.throughSeq} 号账本交易（全链序号）。` : null}
        </p>
        <table>
          <caption class="skip">项目资金各项数字</caption>
          <tbody>
            {moneyRows(programme, props.money, props.received).map(([label, explanation, amount, href]) => (
              <FigureRow label={label} explanation={explanation} amount={amount} href={href} />
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="by-year">
        <h2 id="by-year">
          按学年统计<small lang="en">By academic year</small>
        </h2>
        <Chart svg={props.charts.byYear} caption="各学年承诺金额与已发放金额" />
        <FiguresTable
          caption="各学年与累计（人次：每名学生每学年计一次）"
          firstColumn="学年"
          rows={[
            ...summary.years.map((y) => ({ label: y.academicYear ?? '', figures: y, href: `${base}/grants?year=${y.academicYear}` })),
            { label: '累计', figures: summary.cumulative, href: `${base}/grants` },
          ]}
        />
      </section>
      <section aria-labelledby="by-level">
        <h2 id="by-level">
          按层次统计（累计）<small lang="en">By level, cumulative</small>
        </h2>
        <FiguresTable
          caption="按层次累计"
          captionHidden
          firstColumn="层次"
          rows={summary.cumulative.byLevel.map((l) => ({ label: ENROLMENT_LEVEL_LABELS[l.level].zh, figures: l }))}
        />
      </section>
      <section aria-labelledby="by-region">
        <h2 id="by-region">
          按地区统计（累计）<small lang="en">By prefecture, cumulative</small>
        </h2>
        <Chart svg={props.charts.byRegion} caption="各地区受助学生人数（累计）" />
        <FiguresTable
          caption="按地区（市州）累计"
          captionHidden
          firstColumn="地区"
          rows={summary.cumulative.byRegion.map((r) => ({ label: r.regionName, figures: r }))}
        />
      </section>
      {props.empowerment ? <EmpowermentFigures summary={summary} figures={props.empowerment} /> : null}
      {props.cohorts ? <CohortOutcomes cohorts={props.cohorts} /> : null}
      {props.mayExport ? (
        <Downloads
          links={[
            { href: `${base}/grants.xlsx`, label: '资助名单（Excel）' },
            { href: `${base}/grants.csv`, label: '资助名单（CSV，UTF-8）' },
            { href: `${base}/grants.csv?encoding=gbk`, label: '资助名单（CSV，GBK）' },
          ]}
        />
      ) : null}
    </Page>
  );
}
