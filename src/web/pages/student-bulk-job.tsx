// A bulk step under way, reloaded every two seconds with no script (meta refresh): how many students
// are done of how many, and how many written, unchanged and refused so far; once finished, the same
// result table as the step has always shown. A job cut short lists the students it did: each was a
// transaction of its own, so they stay done, and the same selection sent again reports them as
// unchanged.
import type { BulkJobView } from '../../services/bulk-step-jobs.ts';
import { bulkStepResult } from '../../services/bulk-step.ts';
import { beijingTime } from '../format.ts';
import { Notice, Page, type Viewer } from '../layout.tsx';
import { ResultTable } from './student-bulk.tsx';

const STATUS: Record<BulkJobView['status'], string> = {
  queued: '排队中',
  running: '办理中',
  finished: '已完成',
  failed: '未能完成',
  interrupted: '已中断',
};

export function StudentBulkJobPage(props: { viewer: Viewer; job: BulkJobView }) {
  const { job } = props;
  const c = job.counts;
  const underWay = job.status === 'queued' || job.status === 'running';
  const doneSoFar = bulkStepResult(job.programme.id, job.academicYear, job.students);
  return (
    <Page title={`批量核验与申报：${STATUS[job.status]}`} english="Bulk step job" viewer={props.viewer} {...(underWay ? { refreshSeconds: 2 } : {})}>
      <p>
        {job.programme.name}，{job.academicYear} 学年，共 {c.students} 名学生，提交于 {beijingTime(job.createdAt)}。
      </p>
      {underWay ? (
        <div role="status">
          <p>
            {STATUS[job.status]}：已办理 {c.done} / {c.students} 名（已写入 {c.written} 名，无需处理 {c.unchanged} 名，未写入 {c.refused}{' '}
            名）。本页每两秒自动刷新，可以离开本页，办理不会中断。
          </p>
          <progress max={c.students} value={c.done}>
            {Math.round((100 * c.done) / c.students)}%
          </progress>
        </div>
      ) : null}
      {job.status === 'interrupted' || job.status === 'failed' ? (
        <Notice kind="error">
          {job.status === 'interrupted' ? '服务在办理完成前停止' : `办理未能完成：${job.error?.messageZh ?? ''}`}。已办理 {c.done} / {c.students}{' '}
          名（见下表，已写入的记录保留），其余 {c.students - c.done} 名未办理。请再次提交同一批学生：已办理的学生将显示为“无需处理”。
        </Notice>
      ) : null}
      {!underWay && (job.status === 'finished' || job.students.length > 0) ? <ResultTable result={doneSoFar} /> : null}
      {!underWay ? (
        <p>
          <a href="/students/bulk">再办理一批</a>
        </p>
      ) : null}
    </Page>
  );
}
