// Generates the Prisma clients (src/generated/prisma for Node, src/generated/prisma-workerd for Workers) at install time.
// The Prisma CLI looks for a native schema-engine binary before any command and tries to
// download it. Generating the client does not use that engine, so on a machine without that
// download we point the CLI at a stand-in that only exits; a machine that already has the
// engine, or sets PRISMA_SCHEMA_ENGINE_BINARY itself, is left alone.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = { ...process.env, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const dir = mkdtempSync(join(tmpdir(), 'schema-engine-'));
  const standIn = join(dir, 'schema-engine');
  writeFileSync(standIn, '#!/bin/sh\nexit 1\n');
  chmodSync(standIn, 0o755);
  env.PRISMA_SCHEMA_ENGINE_BINARY = standIn;
}
const cli = join('node_modules', 'prisma', 'build', 'index.js');
if (!existsSync(cli)) {
  console.error('prisma CLI not installed; run npm install');
  process.exit(1);
}
const result = spawnSync(process.execPath, [cli, 'generate', '--schema', 'prisma/schema.prisma'], {
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
