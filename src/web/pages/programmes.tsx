// A programme's money as its foundation (and every role that may read it) sees it: what the
// ledger holds now, and per academic year and cumulatively the students funded, person-times (人次)
// and amounts, by level. Every figure comes from the services the API answers with, so a page and a
// download never disagree.
import { formatYuan } from '../../domain/money.ts';
import { ENROLMENT_LEVEL_LABELS } from '../../domain/eligibility.ts';
import type { Figures, GrantSummary } from '../../services/grant-views.ts';
import type { ProgrammeView } from '../../services/programmes.ts';
import { Page, type Viewer } from '../layout.tsx';

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

function FiguresRow(props: { label: string; figures: Figures }) {
  const f = props.figures;
  return (
    <tr>
      <th scope="row">{props.label}</th>
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
function FiguresTable(props: { caption: string; captionHidden?: boolean; firstColumn: string; rows: { label: string; figures: Figures }[] }) {
  return (
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
          <FiguresRow label={r.label} figures={r.figures} />
        ))}
      </tbody>
    </table>
  );
}

export function ProgrammePage(props: { viewer: Viewer; programme: ProgrammeView; summary: GrantSummary; received: string }) {
  const { programme, summary } = props;
  const ledger = [
    ['资金到账', '基金会拨入项目账户的资金（冲正后）', props.received],
    ['银行账户余额', '账本中项目银行账户的余额', programme.balances.bank],
    ['未承诺资金', '已到账、尚未承诺给任何资助的资金', programme.balances.fund],
    ['已承诺未发出', '已批准、尚未发往银行的资助', programme.balances.payable],
    ['在途', '已发往银行、银行尚未确认的款项', programme.balances.inTransit],
  ] as const;
  return (
    <Page title={programme.name} english="Programme" viewer={props.viewer}>
      <p>
        资助方：{programme.funder.name}；管理方：{programme.administrator.name}；学年 {programme.firstAcademicYear} 至 {programme.lastAcademicYear}。
      </p>
      <section aria-labelledby="ledger-now">
        <h2 id="ledger-now">
          账本现状<small lang="en">The ledger now</small>
        </h2>
        <table>
          <caption class="skip">账本各账户余额</caption>
          <tbody>
            {ledger.map(([label, explanation, amount]) => (
              <tr>
                <th scope="row">
                  {label}
                  <br />
                  <small>{explanation}</small>
                </th>
                <td class="money">{formatYuan(amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="by-year">
        <h2 id="by-year">
          按学年统计<small lang="en">By academic year</small>
        </h2>
        <FiguresTable
          caption="各学年与累计（人次：每名学生每学年计一次）"
          firstColumn="学年"
          rows={[...summary.years.map((y) => ({ label: y.academicYear ?? '', figures: y })), { label: '累计', figures: summary.cumulative }]}
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
    </Page>
  );
}
