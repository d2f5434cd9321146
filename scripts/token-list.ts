// npm run token:list -- [--organisation <code>] [--user <user id>] [--status active|expired|revoked]
// Prints the tokens as a table, newest first: never a secret or its hash (only the hash is stored).
import { parseArgs } from 'node:util';
import { TOKEN_STATUSES, type TokenStatus } from '../src/domain/token-lifetime.ts';
import { type TokenView, findTokens } from '../src/services/token-admin.ts';
import { openConfiguredDatabase, runCli } from './lib/open-database.ts';

const USAGE = `usage: npm run token:list -- [--organisation <code>] [--user <user id>] [--status <${TOKEN_STATUSES.join('|')}>]`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUS_WORDS: Record<TokenStatus, string> = { active: '有效 active', expired: '过期 expired', revoked: '吊销 revoked' };

runCli('token:list', async () => {
  let values;
  try {
    ({ values } = parseArgs({ options: { organisation: { type: 'string' }, user: { type: 'string' }, status: { type: 'string' } } }));
  } catch (error) {
    console.error(`参数无效 Invalid arguments: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.status !== undefined && !(TOKEN_STATUSES as readonly string[]).includes(values.status)) {
    console.error(`--status 只能是 must be one of: ${TOKEN_STATUSES.join(', ')}`);
    return 2;
  }
  if (values.user !== undefined && !UUID.test(values.user)) {
    console.error('--user 须为用户 id (UUID) must be a user id (UUID)');
    return 2;
  }
  const db = await openConfiguredDatabase();
  try {
    let organisationId: string | undefined;
    if (values.organisation !== undefined) {
      const org = await db.prisma.organisation.findUnique({ where: { code: values.organisation } });
      if (!org) {
        console.error(`没有该机构 No organisation with code ${values.organisation}`);
        return 2;
      }
      organisationId = org.id;
    }
    const now = new Date();
    const tokens: TokenView[] = [];
    let cursor: string | undefined;
    do {
      const page = await findTokens(
        db.prisma,
        {},
        { organisationId, userId: values.user, status: values.status as TokenStatus | undefined, cursor, limit: 200 },
        now,
      );
      tokens.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    if (tokens.length === 0) {
      console.log('没有令牌 No tokens');
      return 0;
    }
    console.log(table(tokens));
    console.log(`\n共 ${tokens.length} 个令牌 (${tokens.length} tokens)`);
    return 0;
  } finally {
    await db.close();
  }
});

function table(tokens: TokenView[]): string {
  const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '-');
  const header = [
    'id',
    '前缀 prefix',
    '状态 status',
    '机构 organisation',
    '角色 role',
    '创建 created',
    '过期 expires',
    '最近使用 last used',
    '标签 label',
    '用户 user',
  ];
  const rows = tokens.map((t) => [
    t.id,
    t.prefix,
    STATUS_WORDS[t.status],
    t.user.organisationCode,
    t.user.role,
    day(t.createdAt),
    day(t.expiresAt),
    day(t.lastUsedAt),
    oneLine(t.label),
    oneLine(t.user.displayName),
  ]);
  // The last two columns are free text (and may be Chinese, two columns wide on a terminal): not padded.
  const widths = header.slice(0, -2).map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i < widths.length ? cell + ' '.repeat(widths[i]! - width(cell)) : cell))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** Terminal width: CJK characters take two columns. */
function width(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

/** A label is free text: no line breaks or control characters reach the terminal. */
function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is replaced here
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ');
}
