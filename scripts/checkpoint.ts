// npm run checkpoint — signs a checkpoint of each hash chain now (the service also does so daily and
// after every payout batch sent). `npm run checkpoint -- list` lists the kept ones; `npm run
// checkpoint -- export FILE` writes them all to FILE (.zip, else JSON lines). Exit 0 done; 1 when a
// chain no longer extends its newest checkpoint (nothing signed over it); 2 if it could not run.
import { writeFileSync } from 'node:fs';
import { directoryArchive } from '../src/checkpoints/archive-node.ts';
import { CheckpointKeyError } from '../src/checkpoints/ed25519.ts';
import { checkpointsAsJsonLines, checkpointsAsZip } from '../src/checkpoints/export.ts';
import { checkpointDirectory, resolveCheckpointSigner } from '../src/checkpoints/key-source-node.ts';
import { takeCheckpoints } from '../src/checkpoints/take.ts';
import { loadConfig } from '../src/config.ts';
import { parseCheckpoint } from '../src/domain/checkpoint.ts';
import { openConfiguredDatabase, runCli } from './lib/open-database.ts';

runCli('checkpoint', async () => {
  const [command = 'take', target] = process.argv.slice(2);
  const config = loadConfig();
  const archive = directoryArchive(checkpointDirectory(config));
  if (command === 'list') {
    for (const file of await archive.files()) {
      const c = parseCheckpoint(file.text);
      console.log(
        c
          ? `${file.name}  ${c.chain} seq ${c.sequence}  ${c.headHash}  ${c.time}  key ${c.keyFingerprint.slice(0, 16)}`
          : `${file.name}  不是有效的检查点 not a valid checkpoint`,
      );
    }
    return 0;
  }
  if (command === 'export') {
    if (!target) {
      console.error('用法 usage: npm run checkpoint -- export FILE.zip|FILE.jsonl');
      return 2;
    }
    const files = await archive.files();
    writeFileSync(target, target.endsWith('.zip') ? await checkpointsAsZip(files) : checkpointsAsJsonLines(files));
    console.log(`已导出 exported ${files.length} checkpoints to ${target}`);
    return 0;
  }
  if (command !== 'take') {
    console.error(`unknown command ${command}: take, list or export FILE`);
    return 2;
  }
  let signer;
  try {
    signer = await resolveCheckpointSigner(config);
  } catch (error) {
    if (error instanceof CheckpointKeyError) {
      console.error(`检查点签名密钥 checkpoint signing key: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const db = await openConfiguredDatabase();
  try {
    const outcomes = await takeCheckpoints({ db: db.prisma, signer, archive });
    console.log(`检查点目录 Checkpoint directory: ${archive.location}; 公钥指纹 key fingerprint ${signer.fingerprint}`);
    let refused = false;
    for (const o of outcomes) {
      if (o.outcome === 'taken') console.log(`${o.chain}: 已签名 signed seq ${o.checkpoint.sequence} ${o.checkpoint.headHash}`);
      else if (o.outcome === 'unchanged') console.log(`${o.chain}: 链头未变 head unchanged since the newest checkpoint`);
      else if (o.outcome === 'empty') console.log(`${o.chain}: 链为空 chain empty, nothing to sign`);
      else if (o.outcome === 'refused') {
        refused = true;
        console.log(`${o.chain}: 拒绝签名 REFUSED — 链不再延续最新检查点 the chain no longer extends its newest checkpoint: ${o.problem}`);
      }
    }
    return refused ? 1 : 0;
  } finally {
    await db.close();
  }
});
