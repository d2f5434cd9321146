// npm run audit:verify — recomputes the audit trail's hash chain from row 1, outside the database.
// With --checkpoints DIR also that the chain still extends every signed checkpoint kept in DIR.
// Exit 0 when it holds; 1 naming the first bad chain position or checkpoint; 2 if it could not run.
import { verifyAuditChain } from '../src/audit/verify.ts';
import { checkpointsFlag, reportCheckpoints } from './lib/checkpoint-report.ts';
import { openConfiguredDatabase, runCli } from './lib/open-database.ts';

runCli('audit:verify', async () => {
  const checkpointDir = checkpointsFlag(process.argv.slice(2));
  const db = await openConfiguredDatabase();
  // With --checkpoints DIR, also proves the chain still extends every signed checkpoint kept there.
  const finish = async (chainOk: boolean) => {
    const checkpointsOk = checkpointDir ? await reportCheckpoints(db.prisma, 'audit', checkpointDir) : true;
    return chainOk && checkpointsOk ? 0 : 1;
  };
  try {
    const started = performance.now();
    const result = await verifyAuditChain(db.prisma, (n) => {
      if (process.stderr.isTTY) process.stderr.write(`\r已核验 checked ${n} audit chain rows`);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    console.log(`数据库 Database: ${db.description}`);
    console.log(`已核验审计链 Audit chain rows checked: ${result.chainRowsChecked}; 未入链事件 unchained events: ${result.unchainedEvents}; ${seconds} s`);
    console.log(`链头 Chain head: seq ${result.head.seq}, hash ${result.head.hash}`);
    if (result.ok) {
      console.log('结果 Result: 通过 OK — sequence gapless, every event chained, no content edited, head matches.');
      return await finish(true);
    }
    const where = (p: { seq: string | null; eventId: string | null }) => (p.seq !== null ? `seq ${p.seq}` : `event ${p.eventId}`);
    const first = result.firstProblem;
    console.log(`结果 Result: 失败 FAILED — 审计记录被篡改 audit trail tampered; first: ${first ? `${where(first)}: ${first.problem}` : ''}`);
    for (const p of result.problems.slice(1, 20)) console.log(`  ${where(p)}: ${p.problem}`);
    if (result.problems.length > 20) console.log(`  … ${result.problems.length - 20} more`);
    return await finish(false);
  } finally {
    await db.close();
  }
});
