// Reconciliation runs as auditors and foundations read them: the list of runs in their scope, and
// one run — its facts (when, who, on which files with their SHA-256, the ledger head it read, the
// report's own hash), each check's figures and its breaks as tables — with the three reports to
// download exactly as the run wrote them.
import type { ReconciliationReport } from '../../reconcile/report/index.ts';
import type { ReportCheck } from '../../reconcile/report/model.ts';
import type { ReconciliationRunView } from '../../services/reconciliation-runs.ts';
import { NextPage } from '../components.tsx';
import { beijingMinute, beijingTime } from '../format.ts';
import { Notice, Page, type Viewer } from '../layout.tsx';

const STATUS = { clean: '无差异', breaks: '有差异' } as const;

const CHECK_NAMES: Record<string, string> = {
  ledger: '账本',
  rules: '业务规则',
  bank: '银行对账单',
  funding: '基金会汇款',
  figures: '统计数字',
};

function exceptionCount(run: ReconciliationRunView): number {
  return Object.values(run.summary).reduce((sum, s) => sum + s.exceptions, 0);
}

export function ReconciliationRunsPage(props: { viewer: Viewer; runs: ReconciliationRunView[]; nextCursor: string | null; mayRun: boolean }) {
  return (
    <Page title="对账" english="Reconciliation" viewer={props.viewer}>
      {props.mayRun ? (
        <p>
          <a href="/reconciliation/new">上传对账单并运行对账</a>
        </p>
      ) : null}
      {props.runs.length === 0 ? (
        <p>还没有可查看的对账记录。</p>
      ) : (
        <section class="wide" tabindex={0} aria-label="表格，可横向滚动">
          <table>
            <caption class="skip">对账记录（最新在前）</caption>
            <thead>
              <tr>
                <th scope="col">开始时间（北京）</th>
                <th scope="col">范围</th>
                <th scope="col">检查</th>
                <th scope="col">结果</th>
                <th scope="col" class="money">
                  差异
                </th>
                <th scope="col">操作员</th>
              </tr>
            </thead>
            <tbody>
              {props.runs.map((run) => (
                <tr>
                  <td class="when">
                    <a href={`/reconciliation/${run.id}`}>{beijingMinute(run.startedAt)}</a>
                  </td>
                  <td>{run.programme ? run.programme.code : '全部项目'}</td>
                  <td>{run.checks.map((c) => CHECK_NAMES[c] ?? c).join('、')}</td>
                  <td>{STATUS[run.status]}</td>
                  <td class="money">{exceptionCount(run)}</td>
                  <td>{run.operator}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <NextPage path="/reconciliation" query={{}} cursor={props.nextCursor} />
    </Page>
  );
}

function CheckSection(props: { check: ReportCheck }) {
  const c = props.check;
  const id = `check-${c.check}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {c.label}：{STATUS[c.status]}
      </h2>
      {c.figures.length > 0 ? (
        <dl class="facts">
          {c.figures.map((f) => (
            <>
              <dt>{f.label}</dt>
              <dd>{String(f.value)}</dd>
            </>
          ))}
        </dl>
      ) : null}
      {c.exceptions.length > 0 ? (
        <section class="wide" tabindex={0} aria-label="表格，可横向滚动">
          <table>
            <caption>差异（{c.exceptions.length} 条）</caption>
            <thead>
              <tr>
                <th scope="col">代码</th>
                <th scope="col">说明</th>
                <th scope="col">位置</th>
                <th scope="col" class="money">
                  金额
                </th>
              </tr>
            </thead>
            <tbody>
              {c.exceptions.map((e) => (
                <tr>
                  <td class="id">{e.code}</td>
                  <td class="text">{e.message}</td>
                  <td class="text">
                    {Object.entries(e.subject)
                      .filter(([, v]) => v !== null)
                      .map(([k, v]) => `${k}: ${v}`)
                      .join('；')}
                  </td>
                  <td class="money">{e.amount ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {c.tables.map((t) => (
        <section class="wide" tabindex={0} aria-label="表格，可横向滚动">
          <table>
            <caption>{t.title}</caption>
            <thead>
              <tr>
                {t.columns.map((col) => (
                  <th scope="col">{col}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {t.rows.map((row) => (
                <tr>
                  {row.map((cell) => (
                    <td>{String(cell)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </section>
  );
}

export function ReconciliationRunPage(props: { viewer: Viewer; run: ReconciliationRunView; report: ReconciliationReport }) {
  const { run, report } = props;
  const base = `/reconciliation/${run.id}`;
  return (
    <Page title={`对账 ${beijingMinute(run.startedAt)}`} english="Reconciliation run" viewer={props.viewer}>
      {run.status === 'clean' ? (
        <Notice kind="ok">无差异：所有检查均通过。</Notice>
      ) : (
        <Notice kind="error">有差异：共 {exceptionCount(run)} 条，见各检查下的差异表。</Notice>
      )}
      <dl class="facts">
        <dt>开始 / 结束</dt>
        <dd>
          {beijingTime(run.startedAt)} / {beijingTime(run.finishedAt)}
        </dd>
        <dt>操作员</dt>
        <dd>{run.operator}</dd>
        <dt>范围</dt>
        <dd>{run.programme ? run.programme.code : '全部项目'}</dd>
        <dt>账本链头</dt>
        <dd class="hash">{run.chainHead ? `第 ${run.chainHead.seq} 号 ${run.chainHead.hash}` : '账本为空'}</dd>
        <dt>规则版本</dt>
        <dd>{run.rulesVersion}</dd>
        <dt>报告哈希</dt>
        <dd class="hash">{run.reportSha256}</dd>
      </dl>
      <p class="downloads">
        下载报告：
        <a href={`${base}/report.txt`} download>
          文本
        </a>{' '}
        <a href={`${base}/report.json`} download>
          JSON
        </a>{' '}
        <a href={`${base}/report.csv`} download>
          差异 CSV
        </a>
      </p>
      {report.inputs.length > 0 ? (
        <section class="wide" tabindex={0} aria-label="表格，可横向滚动">
          <table>
            <caption>读取的文件</caption>
            <thead>
              <tr>
                <th scope="col">检查</th>
                <th scope="col">文件</th>
                <th scope="col">类型</th>
                <th scope="col">SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {report.inputs.map((i) => (
                <tr>
                  <td>{CHECK_NAMES[i.check] ?? i.check}</td>
                  <td>{i.name}</td>
                  <td>{i.kind}</td>
                  <td class="hash">{i.sha256}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {report.results.map((check) => (
        <CheckSection check={check} />
      ))}
    </Page>
  );
}
