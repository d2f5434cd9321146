// What ending a grant does, in the words of the person about to do it and of the person who just
// did it: before, each open grant that would end with its unsent instalments and the sum that
// goes back to the fund; after, each grant that ended with what was cancelled and returned.
// The sums are read from the grants themselves (src/services/grant-ending.ts decides them).
import { type Money, ZERO, formatYuan } from '../../domain/money.ts';
import type { GrantView } from '../../services/grants.ts';
import { Notice } from '../layout.tsx';

const UNSENT = new Set(['scheduled', 'held']);

/** The sum of the grant's instalments in the given statuses. */
function sumOf(grant: GrantView, statuses: Set<string>): { count: number; total: Money } {
  const rows = grant.instalments.filter((i) => statuses.has(i.status));
  return { count: rows.length, total: rows.reduce((sum, i) => sum.plus(i.amount), ZERO) };
}

const grantName = (g: GrantView) => `${g.programme.name}（${g.academicYear} 学年）`;

/** Before: the open grants that would end, and what each would cancel and return. */
export function EndingPreview(props: { grants: GrantView[]; what: string }) {
  const open = props.grants.filter((g) => g.status === 'approved');
  return (
    <section aria-labelledby="ending-preview" class="card">
      <h2 id="ending-preview">
        {props.what}将终止以下资助<small lang="en">Grants that end</small>
      </h2>
      <p>资助终止后，尚未发放的分期（待发放、暂缓）全部取消，取消的金额退回项目资金池；已发放和在途的分期不受影响。此操作不能撤回。</p>
      {open.length === 0 ? (
        <p>目前没有在期的资助会因此终止。</p>
      ) : (
        <ul>
          {open.map((g) => {
            const unsent = sumOf(g, UNSENT);
            return (
              <li>
                {grantName(g)}：将取消 {unsent.count} 期未发放分期，{formatYuan(unsent.total)} 退回资金池
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** After: the grants that ended, with what was cancelled and returned; or that none did. */
export function EndingOutcome(props: { grants: GrantView[] }) {
  const ended = props.grants.filter((g) => g.status === 'ended');
  if (ended.length === 0) return <Notice kind="info">没有资助因此终止。</Notice>;
  return (
    <Notice kind="info">
      以下资助已终止：
      <ul>
        {ended.map((g) => {
          const cancelled = sumOf(g, new Set(['cancelled']));
          return (
            <li>
              {grantName(g)}：已取消 {cancelled.count} 期未发放分期，{formatYuan(cancelled.total)} 已退回资金池
            </li>
          );
        })}
      </ul>
    </Notice>
  );
}
