// The caseworker's bulk intake page: the templates, the upload (CSV or XLSX) checked first — every
// problem of every row at once, in a table by row and column, personal values masked — and, when
// the check finds nothing to fix, the import itself. The file is chosen again for the import and
// must be the one just checked (its SHA-256 travels in the form), so that nothing is kept on the
// server between the two and nothing is imported that was not checked.
import type { ImportReport } from '../../services/student-import.ts';
import { Notice, Page, type Viewer } from '../layout.tsx';

export interface ImportPageState {
  report?: ImportReport | null;
  /** A refusal of the file as a whole, in Chinese, with each place to fix (cells, columns). */
  refusal?: { notice: string; details: string[] } | null;
  /** The key of the import form, when the report allows the import. */
  formKey?: string;
}

const OUTCOME: Record<string, string> = { create: '将新建', exists: '已登记（不变）', error: '有错误' };

function Templates() {
  return (
    <section aria-labelledby="templates">
      <h2 id="templates">模板</h2>
      <p>请使用模板填写。Excel 模板中的各列已设为“文本”格式，身份证号和银行账号不会变成 6.30102E+17。</p>
      <ul class="actions">
        <li>
          <a href="/students/import/template.xlsx">下载 Excel 模板（.xlsx）</a>
        </li>
        <li>
          <a href="/students/import/template.csv">下载 CSV 模板（UTF-8）</a>
        </li>
      </ul>
    </section>
  );
}

function FileField(props: { id: string; label: string; hint: string }) {
  return (
    <>
      <label for={props.id}>
        {props.label} <small>{props.hint}</small>
      </label>
      <input id={props.id} name="file" type="file" required accept=".xlsx,.csv,.txt" />
    </>
  );
}

function CheckForm(props: { viewer: Viewer }) {
  return (
    <form method="post" action="/students/import" enctype="multipart/form-data" class="card" aria-labelledby="check">
      <h2 id="check">检查名单</h2>
      <input type="hidden" name="csrf" value={props.viewer.csrfToken} />
      <FileField id="file" label="名单文件" hint="Excel 工作簿（.xlsx）或 CSV，最多 5,000 行、5 MiB" />
      <label for="encoding">
        CSV 编码 <small>一般无需选择；仅对 CSV 有效</small>
      </label>
      <select id="encoding" name="encoding">
        <option value="">自动识别（UTF-8 或 GBK）</option>
        <option value="utf-8">UTF-8</option>
        <option value="gbk">GBK（Excel“CSV（逗号分隔）”）</option>
      </select>
      <button type="submit" class="primary">
        检查（不导入）
      </button>
    </form>
  );
}

/** Every problem of every row, one line each: row, column, cell, the value (masked where personal), why. */
function ProblemTable(props: { report: ImportReport }) {
  const problems = props.report.rows.flatMap((r) => r.errors.map((e) => ({ row: r.row, ...e })));
  return (
    <section class="wide" tabindex={0} aria-label="错误明细，可横向滚动">
      <table>
        <caption>错误明细：共 {problems.length} 处（每行的每个问题都已列出，请一并修改）</caption>
        <thead>
          <tr>
            <th scope="col">行</th>
            <th scope="col">列</th>
            <th scope="col">单元格</th>
            <th scope="col">填写的值</th>
            <th scope="col">问题</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p) => (
            <tr>
              <td>{p.row}</td>
              <td>{p.column ?? '整行'}</td>
              <td>{p.cell ?? ''}</td>
              <td>{p.value ?? ''}</td>
              <td class="text">{p.message_zh}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function RowTable(props: { report: ImportReport }) {
  return (
    <section class="wide" tabindex={0} aria-label="逐行结果，可横向滚动">
      <table>
        <caption>逐行结果</caption>
        <thead>
          <tr>
            <th scope="col">行</th>
            <th scope="col">姓名</th>
            <th scope="col">身份证号</th>
            <th scope="col">结果</th>
          </tr>
        </thead>
        <tbody>
          {props.report.rows.map((r) => (
            <tr>
              <td>{r.row}</td>
              <td>{r.name}</td>
              <td>{r.identityNumber}</td>
              <td>{OUTCOME[r.outcome]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ImportForm(props: { viewer: Viewer; report: ImportReport; formKey: string }) {
  return (
    <form method="post" action="/students/import/confirm" enctype="multipart/form-data" class="card" aria-labelledby="confirm">
      <h2 id="confirm">导入</h2>
      <p>检查没有发现问题。请再次选择刚才检查的同一文件，然后导入：全部 {props.report.counts.rows} 行一次导入，要么全部成功，要么一行也不写入。</p>
      <input type="hidden" name="csrf" value={props.viewer.csrfToken} />
      <input type="hidden" name="formKey" value={props.formKey} />
      <input type="hidden" name="fileSha256" value={props.report.fileSha256} />
      <input type="hidden" name="encoding" value={props.report.format === 'csv' ? props.report.encoding : ''} />
      <FileField id="confirm-file" label="同一名单文件" hint="须与刚才检查的文件完全相同" />
      <button type="submit" class="primary">
        导入
      </button>
    </form>
  );
}

function Report(props: { viewer: Viewer; report: ImportReport; formKey: string | undefined }) {
  const { report } = props;
  const { counts } = report;
  return (
    <section aria-labelledby="report">
      <h2 id="report">检查结果</h2>
      {counts.error > 0 ? (
        <Notice kind="error">
          共 {counts.rows} 行，其中 {counts.error} 行有错误，未导入任何数据。请按下表修改文件后重新检查。
        </Notice>
      ) : (
        <Notice kind="ok">
          共 {counts.rows} 行：将新建 {counts.create} 名学生，{counts.exists} 名已登记。
        </Notice>
      )}
      {report.warnings.length > 0 ? (
        <ul>
          {report.warnings.map((w) => (
            <li>
              {w.row ? `第 ${w.row} 行：` : ''}
              {w.column ? `列“${w.column}”：` : ''}
              {w.message_zh}
            </li>
          ))}
        </ul>
      ) : null}
      {counts.error > 0 ? <ProblemTable report={report} /> : null}
      <RowTable report={report} />
      {counts.error === 0 && props.formKey ? <ImportForm viewer={props.viewer} report={report} formKey={props.formKey} /> : null}
    </section>
  );
}

export function StudentImportPage(props: { viewer: Viewer; state?: ImportPageState }) {
  const s = props.state ?? {};
  return (
    <Page title="批量导入学生" english="Import students from a county list" viewer={props.viewer}>
      {s.refusal ? (
        <Notice kind="error">
          {s.refusal.notice}
          {s.refusal.details.length > 0 ? (
            <ul>
              {s.refusal.details.map((d) => (
                <li>{d}</li>
              ))}
            </ul>
          ) : null}
        </Notice>
      ) : null}
      {s.report ? <Report viewer={props.viewer} report={s.report} formKey={s.formKey} /> : null}
      <CheckForm viewer={props.viewer} />
      <Templates />
    </Page>
  );
}
