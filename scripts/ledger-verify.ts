// npm run ledger:verify — recomputes the whole hash chain and every ledger invariant from
// transaction 1; with --checkpoints DIR also that the chain still extends every signed checkpoint
// kept in DIR (and, for a sealed ledger, that the seals they vouch for exist); with --seals also
// that every transaction from the first sealed one on has a seal that verifies with the sealing key
// (derived from the checkpoint signing key: the secret is needed). Exit 0 when all holds; 1 naming
// the first bad sequence number, checkpoint or seal; 2 if it could not run.
import { verifyLedger } from '../src/ledger/verify.ts';
import { checkpointsFlag, reportCheckpoints } from './lib/checkpoint-report.ts';
import { openConfiguredDatabase, runCli } from './lib/open-database.ts';
import { reportSeals, sealKeyOrExit, sealsFlag } from './lib/seal-report.ts';

runCli('ledger:verify', async () => {
  const checkpointDir = checkpointsFlag(process.argv.slice(2));
  // The key is resolved before the database opens: a missing key is a configuration error (exit 2).
  const sealKey = sealsFlag(process.argv.slice(2)) ? await sealKeyOrExit() : null;
  const db = await openConfiguredDatabase();
  // With --checkpoints DIR, also proves the chain still extends every signed checkpoint kept there;
  // with --seals, that every append from the first sealed one on was made with the sealing key.
  const finish = async (chainOk: boolean) => {
    const checkpointsOk = checkpointDir ? await reportCheckpoints(db.prisma, 'ledger', checkpointDir) : true;
    const sealsOk = sealKey ? await reportSeals(db.prisma, sealKey) : true;
    return chainOk && checkpointsOk && sealsOk ? 0 : 1;
  };
  try {
    const started = performance.now();
    const result = await verifyLedger(db.prisma, (n) => {
      if (process.stderr.isTTY) process.stderr.write(`\r已核验 checked ${n} transactions`);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    console.log(`数据库 Database: ${db.description}`);
    console.log(`已核验交易 Transactions checked: ${result.transactionsChecked}; 分录 entries: ${result.entriesChecked}; ${seconds} s`);
    console.log(`链头 Chain head: seq ${result.head.seq}, hash ${result.head.hash}`);
    if (result.ok) {
      console.log(
        '结果 Result: 通过 OK — sequence gapless, chain intact, every transaction balanced, no negative balance, every open commitment on facts that hold.',
      );
      return await finish(true);
    }
    if (result.firstProblem) {
      console.log(`结果 Result: 失败 FAILED — first bad sequence number ${result.firstProblem.seq}: ${result.firstProblem.problem}`);
      for (const p of result.problems.slice(1, 20)) console.log(`  seq ${p.seq}: ${p.problem}`);
      if (result.problems.length > 20) console.log(`  … ${result.problems.length - 20} more`);
    } else {
      console.log('结果 Result: 失败 FAILED — the chain holds, but commitments rest on facts that no longer hold:');
    }
    if (result.commitmentProblems.length > 0) {
      console.log(`未结承诺 Open commitments on ended facts: ${result.commitmentProblems.length}`);
      for (const p of result.commitmentProblems.slice(0, 20)) console.log(`  ${p.code} grant ${p.grantId}: ${p.problem}`);
    }
    return await finish(false);
  } finally {
    await db.close();
  }
});
