// The student's payouts that failed or came back from the bank and wait for a retry. A retry is
// paid into the account on file when finance makes the next batch (each payout takes the account
// as it then stands), so a wrong or closed account is corrected here first.
import type { PayoutView } from '../../services/payouts/payout-views.ts';
import { PayoutTable } from './programme-payouts.tsx';

export function PayoutsToRetry(props: { studentId: string; payouts: PayoutView[]; mayChangeAccount: boolean }) {
  if (props.payouts.length === 0) return null;
  return (
    <section aria-labelledby="payouts-to-retry">
      <h2 id="payouts-to-retry">
        待重新发放的款项<small lang="en">Payouts to retry</small>
      </h2>
      <p>
        以下发放失败或被银行退回。若原因是账户有误或已注销，请先更换收款账户；财务人员重新发放时将使用更换后的账户。
        {props.mayChangeAccount ? <a href={`/students/${props.studentId}/bank-account`}>更换收款账户</a> : null}
      </p>
      {[...new Set(props.payouts.map((p) => p.programmeId))].map((programmeId) => (
        <PayoutTable payouts={props.payouts.filter((p) => p.programmeId === programmeId)} caption="发放失败或退回的款项" programmeId={programmeId} />
      ))}
    </section>
  );
}
