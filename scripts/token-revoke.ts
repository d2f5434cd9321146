// npm run token:revoke -- --id <token id>
// npm run token:revoke -- --prefix <prefix shown by token:list>
// Revokes a token now; revoking a revoked token changes nothing and says when it was revoked.
// Exit 0 revoked (or already), 2 could not (no such token, ambiguous prefix, bad arguments).
import { parseArgs } from 'node:util';
import { revokeToken } from '../src/services/token-admin.ts';
import { commandLineContext } from './lib/command-line-actor.ts';
import { openConfiguredDatabase, runCli } from './lib/open-database.ts';

const USAGE = 'usage: npm run token:revoke -- --id <token id>\n       npm run token:revoke -- --prefix <token prefix, e.g. sl_Ab12Cd>';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

runCli('token:revoke', async () => {
  let values;
  try {
    ({ values } = parseArgs({ options: { id: { type: 'string' }, prefix: { type: 'string' } } }));
  } catch (error) {
    console.error(`参数无效 Invalid arguments: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if ((values.id === undefined) === (values.prefix === undefined)) {
    console.error(`请给出 --id 或 --prefix 之一 Give either --id or --prefix\n${USAGE}`);
    return 2;
  }
  if (values.id !== undefined && !UUID.test(values.id)) {
    console.error('--id 须为令牌 id (UUID) must be a token id (UUID)');
    return 2;
  }
  if (values.prefix !== undefined && !/^[A-Za-z0-9_-]{4,20}$/.test(values.prefix)) {
    console.error('--prefix 须为 token:list 显示的前缀 must be a prefix as token:list shows it');
    return 2;
  }
  const db = await openConfiguredDatabase();
  try {
    const found = await db.prisma.apiToken.findMany({
      where: values.id !== undefined ? { id: values.id } : { prefix: values.prefix },
      select: { id: true, prefix: true, user: { select: { organisationId: true } } },
      take: 10,
    });
    if (found.length === 0) {
      console.error('没有该令牌 No such token');
      return 2;
    }
    if (found.length > 1) {
      console.error(`多个令牌使用此前缀，请用 --id Several tokens have this prefix; use --id:\n${found.map((t) => `  ${t.id}`).join('\n')}`);
      return 2;
    }
    const token = found[0]!;
    const revoked = await revokeToken({ ctx: commandLineContext(db, token.user.organisationId, 'token:revoke'), input: { id: token.id } });
    console.log(
      revoked.alreadyRevoked
        ? `已于 ${revoked.revokedAt} 吊销 Already revoked at ${revoked.revokedAt}: ${revoked.id} (${revoked.prefix})`
        : `已吊销 Revoked at ${revoked.revokedAt}: ${revoked.id} (${revoked.prefix})`,
    );
    return 0;
  } finally {
    await db.close();
  }
});
