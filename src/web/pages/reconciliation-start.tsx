// Starting a reconciliation from the browser: the programme, the checks, the bank statements and
// the foundation's remittance list; then the job followed until its run's breaks can be read. The
// form carries the session's CSRF token and a key of its own, so that posting it twice (a double
// click, a refresh) starts one run.
import { CSV_PRESET_NAMES } from '../../bank/statement-csv/index.ts';
import type { CheckName } from '../../reconcile/check-types.ts';
import type { ReconciliationJobView } from '../../services/reconciliation-jobs.ts';
import { beijingTime } from '../format.ts';
import { Notice, Page, type Viewer } from '../layout.tsx';

export const CHECK_CHOICES: readonly { check: CheckName; label: string; hint: string }[] = [
  { check: 'ledger', label: '账本完整性', hint: '哈希链、借贷平衡、余额' },
  { check: 'rules', label: '业务规则', hint: '资格、标准区间、审批人与经办人分离' },
  { check: 'figures', label: '统计数字', hint: '受助人数、人次与金额' },
  { check: 'bank', label: '银行对账单', hint: '需上传对账单（camt.053 或银行导出的 CSV）' },
  { check: 'funding', label: '基金会汇款', hint: '需上传基金会的汇款清单' },
];

const PRESET_LABELS: Record<string, string> = {
  'generic-cn': '通用格式',
  icbc: '工商银行',
  ccb: '建设银行',
  boc: '中国银行',
  abc: '农业银行',
};

export interface StartFormState {
  programmes: { id: string; name: string }[];
  programmeId?: string | undefined;
  checks?: CheckName[] | undefined;
  csvPreset?: string | undefined;
  /** The person's mistakes, in Chinese, by field. */
  errors?: Record<string, string> | null;
  /** A refusal that is not about one field (another run under way, files too large). */
  notice?: { text: string; href?: string } | null;
}

export function ReconciliationStartPage(props: { viewer: Viewer; formKey: string; state: StartFormState }) {
  const s = props.state;
  const checked = new Set(s.checks ?? ['ledger', 'rules', 'figures', 'bank']);
  const fieldError = (path: string) => Object.entries(s.errors ?? {}).find(([p]) => p === path || p.startsWith(`${path}.`))?.[1];
  return (
    <Page title="运行对账" english="Run a reconciliation" viewer={props.viewer}>
      {s.notice ? (
        <Notice kind="error">
          {s.notice.text}
          {s.notice.href ? (
            <>
              {' '}
              <a href={s.notice.href}>查看进行中的对账</a>
            </>
          ) : null}
        </Notice>
      ) : null}
      {s.errors ? <Notice kind="error">请按提示修改后再提交。</Notice> : null}
      <form method="post" action="/reconciliation/new" enctype="multipart/form-data" class="card">
        <input type="hidden" name="csrf" value={props.viewer.csrfToken} />
        <input type="hidden" name="formKey" value={props.formKey} />
        <label for="programmeId">助学项目</label>
        <select id="programmeId" name="programmeId">
          {s.programmes.map((p) => (
            <option value={p.id} selected={s.programmeId === p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <fieldset>
          <legend>检查项目</legend>
          {CHECK_CHOICES.map((c) => (
            <div class="choice">
              <input type="checkbox" id={`check-${c.check}`} name="checks" value={c.check} checked={checked.has(c.check)} />
              <label for={`check-${c.check}`}>
                {c.label} <small>{c.hint}</small>
              </label>
            </div>
          ))}
          {fieldError('checks') ? <p class="field-error">{fieldError('checks')}</p> : null}
        </fieldset>
        <label for="statements">
          银行对账单 <small>camt.053（XML）或银行导出的 CSV，可选多个；每个不超过 64 MiB</small>
        </label>
        <input
          id="statements"
          name="statements"
          type="file"
          multiple
          accept=".xml,.csv,.txt"
          aria-invalid={fieldError('statements') ? 'true' : undefined}
          aria-describedby={fieldError('statements') ? 'statements-error' : undefined}
        />
        {fieldError('statements') ? (
          <p class="field-error" id="statements-error">
            {fieldError('statements')}
          </p>
        ) : null}
        <label for="csvPreset">
          CSV 格式 <small>仅对银行导出的 CSV</small>
        </label>
        <select id="csvPreset" name="csvPreset">
          {CSV_PRESET_NAMES.map((name) => (
            <option value={name} selected={(s.csvPreset ?? 'generic-cn') === name}>
              {PRESET_LABELS[name] ?? name}
            </option>
          ))}
        </select>
        <label for="remittances">
          基金会汇款清单 <small>仅“基金会汇款”检查需要</small>
        </label>
        <input
          id="remittances"
          name="remittances"
          type="file"
          accept=".csv,.txt"
          aria-invalid={fieldError('remittances') ? 'true' : undefined}
          aria-describedby={fieldError('remittances') ? 'remittances-error' : undefined}
        />
        {fieldError('remittances') ? (
          <p class="field-error" id="remittances-error">
            {fieldError('remittances')}
          </p>
        ) : null}
        <button type="submit" class="primary">
          开始对账
        </button>
      </form>
    </Page>
  );
}

const JOB_STATUS: Record<ReconciliationJobView['status'], string> = {
  queued: '排队中',
  running: '进行中',
  finished: '已完成',
  failed: '未能完成',
  interrupted: '已中断',
};

/** A job under way (reloaded every two seconds), or why it did not finish. */
export function ReconciliationJobPage(props: { viewer: Viewer; job: ReconciliationJobView }) {
  const { job } = props;
  const underWay = job.status === 'queued' || job.status === 'running';
  const p = job.progress;
  return (
    <Page title={`对账：${JOB_STATUS[job.status]}`} english="Reconciliation job" viewer={props.viewer} {...(underWay ? { refreshSeconds: 2 } : {})}>
      <p>
        {job.programme ? job.programme.code : '全部项目'}，提交于 {beijingTime(job.createdAt)}，操作员 {job.operator}。
      </p>
      {underWay ? (
        <div role="status">
          <p>
            {JOB_STATUS[job.status]}
            {p ? `：${p.phase}${p.total ? `（${p.done} / ${p.total}）` : p.done ? `（${p.done}）` : ''}` : ''}。本页每两秒自动刷新，其他工作不受影响。
          </p>
          {p?.total ? (
            <progress max={p.total} value={p.done}>
              {Math.round((100 * p.done) / p.total)}%
            </progress>
          ) : null}
        </div>
      ) : null}
      {job.status === 'failed' && job.error ? (
        <Notice kind="error">
          {job.error.messageZh}
          {job.error.where?.file ? `（文件 ${job.error.where.file}${job.error.where.line ? ` 第 ${job.error.where.line} 行` : ''}）` : ''}
        </Notice>
      ) : null}
      {job.status === 'interrupted' ? <Notice kind="error">服务在对账完成前停止，未记录结果，请重新提交。</Notice> : null}
      {!underWay ? (
        <p>
          <a href="/reconciliation/new">重新运行对账</a>
        </p>
      ) : null}
      <h2>上传的文件</h2>
      {job.inputs.length === 0 ? (
        <p>无（只检查数据库）。</p>
      ) : (
        <ul>
          {job.inputs.map((i) => (
            <li>
              {i.name}（{i.bytes.toLocaleString('zh-CN')} 字节）
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

/** The answer when the uploads pass the size limit before the form could be read. */
export function UploadTooLargePage() {
  return (
    <Page title="文件过大" english="Upload too large">
      <Notice kind="error">上传的文件合计超过 128 MiB（每个文件不超过 64 MiB）。更大的对账单请在服务器上用 npm run reconcile 核对。</Notice>
      <p>
        <a href="/reconciliation/new">返回</a>
      </p>
    </Page>
  );
}
