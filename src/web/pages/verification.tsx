// The auditor's check of both hash chains: the ledger's (every transaction, balance and open
// commitment recomputed) and the audit trail's, with the head each ends on and when it was checked
// (Beijing time). Printable as a record of the check.
import type { AuditVerificationResult } from '../../audit/verify.ts';
import type { VerificationResult } from '../../ledger/verify.ts';
import type { CheckpointListing } from '../../services/checkpoints.ts';
import { beijingTime } from '../format.ts';
import { LatestCheckpoints } from './checkpoints.tsx';
import { Notice, Page, type Viewer } from '../layout.tsx';

function Head(props: { seq: string; hash: string }) {
  return (
    <>
      序号 <strong>{props.seq}</strong>，哈希 <code>{props.hash}</code>
    </>
  );
}

export function VerificationPage(props: {
  viewer: Viewer;
  checkedAt: Date;
  ledger: VerificationResult;
  audit: AuditVerificationResult;
  checkpoints: CheckpointListing;
}) {
  const { ledger, audit } = props;
  return (
    <Page title="核验账本与审计日志" english="Verify the ledger and the audit trail" viewer={props.viewer}>
      <p>核验时间：{beijingTime(props.checkedAt)}（北京时间）。每次打开本页都会从第一笔重新计算。</p>
      <section aria-labelledby="ledger-chain">
        <h2 id="ledger-chain">
          账本哈希链<small lang="en">Ledger chain</small>
        </h2>
        {ledger.ok ? (
          <Notice kind="ok">通过：序号连续、哈希链完整、每笔交易借贷平衡、无负余额，未结承诺均有依据。</Notice>
        ) : (
          <Notice kind="error">未通过：发现 {ledger.problems.length + ledger.commitmentProblems.length} 处问题，详见下表。</Notice>
        )}
        <p>
          已核验 {ledger.transactionsChecked} 笔交易、{ledger.entriesChecked} 条分录；链头：
          <Head {...ledger.head} />。
        </p>
        {ledger.problems.length + ledger.commitmentProblems.length > 0 ? (
          <table>
            <caption>问题（前100条）</caption>
            <thead>
              <tr>
                <th scope="col">位置</th>
                <th scope="col">问题</th>
              </tr>
            </thead>
            <tbody>
              {ledger.problems.map((p) => (
                <tr>
                  <td>交易 {p.seq}</td>
                  <td>{p.problem}</td>
                </tr>
              ))}
              {ledger.commitmentProblems.map((p) => (
                <tr>
                  <td>资助 {p.grantId}</td>
                  <td>{p.problem}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <section aria-labelledby="audit-chain">
        <h2 id="audit-chain">
          审计日志哈希链<small lang="en">Audit trail chain</small>
        </h2>
        {audit.ok ? (
          <Notice kind="ok">通过：审计日志未被修改、删除或插入。</Notice>
        ) : (
          <Notice kind="error">未通过：发现 {audit.problems.length} 处问题。</Notice>
        )}
        <p>
          已核验 {audit.chainRowsChecked} 条；链头：
          <Head {...audit.head} />。
        </p>
        {audit.problems.length > 0 ? (
          <ul>
            {audit.problems.map((p) => (
              <li>
                {p.seq ? `第 ${p.seq} 条：` : ''}
                {p.problem}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <section aria-labelledby="checkpoints">
        <h2 id="checkpoints">
          签名检查点<small lang="en">Signed checkpoints</small>
        </h2>
        <p>
          上面的核验只能发现与数据库自身不一致之处；删除最新记录或整体重算哈希，要与保存在系统之外的签名检查点比对才能发现（
          <a href="/checkpoints">全部检查点</a>）。
        </p>
        <LatestCheckpoints listing={props.checkpoints} />
      </section>
    </Page>
  );
}
