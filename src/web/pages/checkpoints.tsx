// The signed checkpoints (签名检查点) of both hash chains for auditors and foundations: the newest of
// each chain (sequence, head hash, time in Beijing, key fingerprint), every kept one, and all of
// them to download — to hold outside the service and check later with
// `npm run ledger:verify -- --checkpoints DIR`.
import type { SignedCheckpoint } from '../../domain/checkpoint.ts';
import type { CheckpointListing } from '../../services/checkpoints.ts';
import { Downloads } from '../components.tsx';
import { beijingTime } from '../format.ts';
import { Notice, Page, type Viewer } from '../layout.tsx';

const CHAIN_NAMES = { ledger: '账本哈希链', audit: '审计日志哈希链' } as const;

/** A fingerprint in groups of four, as people compare them aloud: the first 32 of 64 hex digits. */
export const shortFingerprint = (hex: string): string => (hex.slice(0, 32).match(/.{4}/g) ?? []).join(' ');

function Latest(props: { chain: 'ledger' | 'audit'; checkpoint: SignedCheckpoint | null }) {
  const c = props.checkpoint;
  return (
    <section aria-labelledby={`latest-${props.chain}`}>
      <h3 id={`latest-${props.chain}`}>{CHAIN_NAMES[props.chain]}</h3>
      {c ? (
        <dl>
          <dt>序号 Sequence</dt>
          <dd data-testid={`${props.chain}-sequence`}>{c.sequence}</dd>
          <dt>链头哈希 Head hash</dt>
          <dd>
            <code>{c.headHash}</code>
          </dd>
          <dt>签名时间（北京时间）</dt>
          <dd>{beijingTime(c.time)}</dd>
          <dt>公钥指纹 Key fingerprint</dt>
          <dd>
            <code title={c.keyFingerprint}>{shortFingerprint(c.keyFingerprint)}</code>
          </dd>
        </dl>
      ) : (
        <p>尚无检查点。</p>
      )}
    </section>
  );
}

export function LatestCheckpoints(props: { listing: CheckpointListing }) {
  const { listing } = props;
  if (!listing.kept) return <Notice kind="info">本部署未保存签名检查点。</Notice>;
  return (
    <>
      <Latest chain="ledger" checkpoint={listing.latest.ledger} />
      <Latest chain="audit" checkpoint={listing.latest.audit} />
      <Downloads
        links={[
          { href: '/checkpoints.zip', label: '全部检查点（zip）' },
          { href: '/checkpoints.jsonl', label: '全部检查点（JSON lines）' },
        ]}
      />
    </>
  );
}

export function CheckpointsPage(props: { viewer: Viewer; listing: CheckpointListing }) {
  const { listing } = props;
  return (
    <Page title="哈希链签名检查点" english="Signed checkpoints of the hash chains" viewer={props.viewer}>
      <p>
        每天一次、每个发放批次提交银行后，系统用不在数据库中的密钥（Ed25519）对账本和审计日志的链头签名，另存为文件。请下载保存在本系统之外；日后可用
        <code>npm run ledger:verify -- --checkpoints 目录</code> 与 <code>npm run audit:verify -- --checkpoints 目录</code>
        证明链仍然延续每个检查点：检查点之前的记录若被删除、修改或重新链接，即可发现。
      </p>
      {listing.keyFingerprint ? (
        <p>
          当前签名公钥指纹：<code title={listing.keyFingerprint}>{shortFingerprint(listing.keyFingerprint)}</code>
        </p>
      ) : null}
      <section aria-labelledby="latest-checkpoints">
        <h2 id="latest-checkpoints">
          最新检查点<small lang="en">Latest checkpoints</small>
        </h2>
        <LatestCheckpoints listing={listing} />
      </section>
      {listing.unreadableFiles.length > 0 ? (
        <Notice kind="error">
          检查点目录中有 {listing.unreadableFiles.length} 个文件不是有效的检查点（未采信）：{listing.unreadableFiles.join('、')}
        </Notice>
      ) : null}
      {listing.items.length > 0 ? (
        <table>
          <caption>全部检查点（最新在前）</caption>
          <thead>
            <tr>
              <th scope="col">链</th>
              <th scope="col">序号</th>
              <th scope="col">链头哈希</th>
              <th scope="col">签名时间（北京时间）</th>
            </tr>
          </thead>
          <tbody>
            {listing.items.map((c) => (
              <tr>
                <td>{CHAIN_NAMES[c.chain]}</td>
                <td>{c.sequence}</td>
                <td>
                  <code>{c.headHash.slice(0, 16)}…</code>
                </td>
                <td>{beijingTime(c.time)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Page>
  );
}
