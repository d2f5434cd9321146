// The quarterly disclosure report (慈善项目实施情况公开) as a printable page: a quarter to choose, then
// the report's facts (period, ledger head, content hash), the small-cell rule, and every figure in the
// same rows as its CSV and XLSX (src/files/disclosure-table.ts), hidden cells “*”; the downloads and
// the form are left off the printout by the print style.
import type { DisclosureReport } from '../../domain/disclosure-report.ts';
import { disclosureTable } from '../../files/disclosure-table.ts';
import { Downloads } from '../components.tsx';
import { Notice, Page, type Viewer } from '../layout.tsx';

export function DisclosurePage(props: {
  viewer: Viewer;
  programme: { id: string; code: string; name: string };
  quarter: string;
  report: DisclosureReport | null;
  problem: string | null;
}) {
  const { programme, report } = props;
  const base = `/programmes/${programme.id}/disclosure`;
  const query = `?quarter=${encodeURIComponent(props.quarter)}`;
  const table = report ? disclosureTable(report) : null;
  return (
    <Page title={`慈善项目实施情况公开 · ${programme.name}`} english="Quarterly disclosure report" viewer={props.viewer}>
      <form class="filters" method="get" action={base}>
        <label>
          季度 Quarter
          <input name="quarter" value={props.quarter} pattern="[0-9]{4}Q[1-4]" placeholder="2026Q1" required aria-describedby="quarter-hint" />
        </label>
        <small id="quarter-hint">如 2026Q1；季度结束后方可生成。</small>
        <button type="submit">生成 Produce</button>
      </form>
      {props.problem ? <Notice kind="error">{props.problem}</Notice> : null}
      {report && table ? (
        <>
          <Downloads
            links={[
              { href: `${base}.csv${query}`, label: 'CSV' },
              { href: `${base}.xlsx${query}`, label: 'Excel (XLSX)' },
              { href: `${base}.json${query}`, label: 'JSON' },
            ]}
          />
          <dl>
            <dt>项目 Programme</dt>
            <dd>
              {programme.code} {programme.name}
            </dd>
            <dt>期间 Period</dt>
            <dd data-testid="period">
              {report.content.period.quarter}（{report.content.period.startsOn} 至 {report.content.period.endsOn}）
            </dd>
            <dt>账本链头 Ledger chain head</dt>
            <dd>
              {report.content.ledger.throughSeq === null ? '—' : `seq ${report.content.ledger.throughSeq}`} <code>{report.content.ledger.headHash ?? ''}</code>
            </dd>
            <dt>内容哈希 Content SHA-256</dt>
            <dd>
              <code data-testid="content-hash">{report.contentSha256}</code>
            </dd>
          </dl>
          <Notice kind="info">
            {report.content.suppressionRule.zh}
            <br />
            <span lang="en">{report.content.suppressionRule.en}</span>
          </Notice>
          <section class="wide" tabindex={0} aria-label="公开报告表格，可横向滚动">
            <table>
              <caption>
                {report.content.period.quarter} 实施情况（仅汇总数据，不含个人信息）<small lang="en">Aggregates only, no personal data</small>
              </caption>
              <thead>
                <tr>
                  {table.columns.map((c) => (
                    <th scope="col">{c.header}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((row) => (
                  <tr>{row.map((cell, i) => (i === 1 ? <th scope="row">{cell}</th> : <td>{cell}</td>))}</tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      ) : null}
    </Page>
  );
}
