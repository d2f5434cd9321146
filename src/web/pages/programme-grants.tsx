// A programme's grant register (names and identity numbers masked; school, level and prefecture
// shown) and one grant with its instalments and the payouts that carried them to the bank.
import { formatYuan } from '../../domain/money.ts';
import { ENROLMENT_LEVEL_LABELS } from '../../domain/eligibility.ts';
import { GRANT_STATUS_LABELS, INSTALMENT_STATUS_LABELS, labelOf } from '../../domain/status-labels.ts';
import type { GrantRegisterRow } from '../../services/grant-register.ts';
import type { GrantView } from '../../services/grants.ts';
import type { PayoutView } from '../../services/payouts/payout-views.ts';
import { PayoutTable } from './programme-payouts.tsx';
import { Downloads, MoneyCell, NextPage, type ProgrammeRef, ProgrammeSectionPage } from '../components.tsx';
import type { Viewer } from '../layout.tsx';

export interface GrantFilters {
  year?: string | undefined;
  status?: 'approved' | 'ended' | undefined;
}

function FilterForm(props: { action: string; years: string[]; filters: GrantFilters }) {
  return (
    <form method="get" action={props.action} class="filters">
      <label for="year">学年</label>
      <select id="year" name="year">
        <option value="">全部学年</option>
        {props.years.map((y) => (
          <option value={y} selected={props.filters.year === y}>
            {y}
          </option>
        ))}
      </select>
      <label for="status">状态</label>
      <select id="status" name="status">
        <option value="">已批准与已终止</option>
        <option value="approved" selected={props.filters.status === 'approved'}>
          已批准
        </option>
        <option value="ended" selected={props.filters.status === 'ended'}>
          已终止
        </option>
      </select>
      <button type="submit">筛选</button>
    </form>
  );
}

export function GrantRegisterPage(props: {
  viewer: Viewer;
  programme: ProgrammeRef;
  years: string[];
  filters: GrantFilters;
  rows: GrantRegisterRow[];
  nextCursor: string | null;
  mayExport: boolean;
}) {
  const base = `/programmes/${props.programme.id}`;
  const query = new URLSearchParams(
    Object.entries({ academicYear: props.filters.year, status: props.filters.status }).filter((e): e is [string, string] => !!e[1]),
  );
  const gbk = new URLSearchParams(query);
  gbk.set('encoding', 'gbk');
  return (
    <ProgrammeSectionPage
      viewer={props.viewer}
      programme={props.programme}
      section="/grants"
      title="资助名单"
      english="Grants"
      above={
        <>
          <FilterForm action={`${base}/grants`} years={props.years} filters={props.filters} />
          {props.mayExport ? (
            <Downloads
              links={[
                { href: `${base}/grants.xlsx?${query}`, label: 'Excel' },
                { href: `${base}/grants.csv?${query}`, label: 'CSV（UTF-8）' },
                { href: `${base}/grants.csv?${gbk}`, label: 'CSV（GBK）' },
              ]}
            >
              （按当前筛选条件，含全部页）
            </Downloads>
          ) : null}
        </>
      }
      empty={{ is: props.rows.length === 0, text: '没有符合条件的资助。' }}
    >
      <section class="wide" tabindex={0} aria-label="表格，可横向滚动">
        <table>
          <caption class="skip">资助名单（姓名、身份证号已脱敏）</caption>
          <thead>
            <tr>
              <th scope="col">学年</th>
              <th scope="col">姓名</th>
              <th scope="col">身份证号</th>
              <th scope="col">学校</th>
              <th scope="col">层次</th>
              <th scope="col">地区</th>
              <th scope="col">状态</th>
              <th scope="col" class="money">
                资助金额
              </th>
              <th scope="col" class="money">
                已发放
              </th>
              <th scope="col" class="money">
                在途
              </th>
              <th scope="col" class="money">
                已取消
              </th>
              <th scope="col" class="money">
                待发放
              </th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr>
                <td>
                  <a href={`${base}/grants/${r.grantId}`}>{r.academicYear}</a>
                </td>
                <td>{r.studentNameMasked}</td>
                <td class="id">{r.identityNumberMasked}</td>
                <td>{r.school}</td>
                <td>{ENROLMENT_LEVEL_LABELS[r.level].zh}</td>
                <td>{r.regionName}</td>
                <td>{labelOf(GRANT_STATUS_LABELS, r.status)}</td>
                <MoneyCell amount={r.amount} />
                <MoneyCell amount={r.paid} />
                <MoneyCell amount={r.inTransit} />
                <MoneyCell amount={r.cancelled} />
                <MoneyCell amount={r.toPay} />
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <NextPage path={`${base}/grants`} query={{ year: props.filters.year, status: props.filters.status }} cursor={props.nextCursor} />
    </ProgrammeSectionPage>
  );
}

export function GrantPage(props: { viewer: Viewer; programme: ProgrammeRef; grant: GrantView; payouts: PayoutView[]; mayReadLedger: boolean }) {
  const { grant } = props;
  const base = `/programmes/${props.programme.id}`;
  return (
    <ProgrammeSectionPage
      viewer={props.viewer}
      programme={props.programme}
      section="/grants"
      title={`资助 ${grant.academicYear}：${grant.student.nameMasked}`}
      english="Grant"
    >
      <dl class="facts">
        <dt>学生</dt>
        <dd>
          {grant.student.nameMasked}（{grant.student.identityNumberMasked}）
        </dd>
        <dt>层次</dt>
        <dd>{ENROLMENT_LEVEL_LABELS[grant.level].zh}</dd>
        <dt>资助金额</dt>
        <dd>{formatYuan(grant.amount)}</dd>
        <dt>状态</dt>
        <dd>
          {labelOf(GRANT_STATUS_LABELS, grant.status)}
          {grant.ending ? `（${grant.ending.endedOn} 终止：${grant.ending.reason}）` : null}
        </dd>
        <dt>批准日期</dt>
        <dd>{grant.approvedOn ?? '—'}</dd>
        <dt>账本交易</dt>
        <dd>
          {grant.ledgerTransaction ? (
            props.mayReadLedger ? (
              <a href={`${base}/ledger/${grant.ledgerTransaction.id}`}>第 {grant.ledgerTransaction.seq} 号</a>
            ) : (
              `第 ${grant.ledgerTransaction.seq} 号`
            )
          ) : (
            '—'
          )}
        </dd>
        <dt>资助编号</dt>
        <dd class="id">{grant.id}</dd>
      </dl>
      <h2>
        分期<small lang="en">Instalments</small>
      </h2>
      <table>
        <caption class="skip">各期金额与状态</caption>
        <thead>
          <tr>
            <th scope="col">期次</th>
            <th scope="col">应发日期</th>
            <th scope="col" class="money">
              金额
            </th>
            <th scope="col">状态</th>
          </tr>
        </thead>
        <tbody>
          {grant.instalments.map((i) => (
            <tr>
              <td>{i.sequence}</td>
              <td class="when">{i.dueOn}</td>
              <MoneyCell amount={i.amount} />
              <td>
                {labelOf(INSTALMENT_STATUS_LABELS, i.status)}
                {i.statusReason ? <small>（{i.statusReason}）</small> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>
        银行发放记录<small lang="en">Payouts</small>
      </h2>
      {props.payouts.length === 0 ? <p>尚未发往银行。</p> : <PayoutTable payouts={props.payouts} caption="本资助的发放记录" programmeId={props.programme.id} />}
    </ProgrammeSectionPage>
  );
}
