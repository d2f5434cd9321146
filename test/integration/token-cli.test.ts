// `npm run token:list` and `npm run token:revoke` as child processes on an embedded database in a
// temporary DATA_DIR: tables without secrets, filters, revocation by id or prefix (idempotent,
// audited as the command line), exit 2 with a message in Chinese and English otherwise.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { applyMigrations } from '../../src/db/migrations.ts';
import { passwordSetupIsUsable } from '../../src/services/credentials.ts';
import { issueToken } from '../../src/services/tokens.ts';
import { makeOrganisation, makeUser, makeWorld } from '../support/fixtures.ts';
import { type ScriptResult, runScript } from '../support/run-script.ts';

const NIL = '00000000-0000-0000-0000-000000000000';
let dataDir: string;
let departmentCode: string;
let secrets: string[];
let hashes: string[];
let toRevoke: { id: string; prefix: string };
let byPrefix: { id: string; prefix: string };
let twins: string[];

function run(script: string, args: string[]): Promise<ScriptResult> {
  return runScript(script, args, dataDir);
}

async function withDatabase<T>(body: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase({ kind: 'embedded', dataDir });
  try {
    return await body(db);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'token-cli-'));
  await withDatabase(async (db) => {
    await applyMigrations(db.adapterFactory);
    const world = await makeWorld(db.prisma);
    departmentCode = world.department.code;
    const other = await makeOrganisation(db.prisma, 'civil_affairs');
    const stranger = await makeUser(db.prisma, other, 'finance');
    const extra = await issueToken(db.prisma, { userId: world.users.finance.actor.userId, label: '财务\n笔记本' });
    const second = await issueToken(db.prisma, { userId: world.users.caseworker.actor.userId, label: 'by prefix' });
    const twinA = await issueToken(db.prisma, { userId: stranger.actor.userId, label: 'twin a' });
    const twinB = await issueToken(db.prisma, { userId: stranger.actor.userId, label: 'twin b' });
    // Prefixes are short, so two tokens can share one: the tool must refuse to guess.
    await db.prisma.apiToken.update({ where: { id: twinB.id }, data: { prefix: twinA.prefix } });
    secrets = [...Object.values(world.users).map((u) => u.token), stranger.token, extra.secret, second.secret, twinA.secret, twinB.secret];
    hashes = (await db.prisma.apiToken.findMany({ select: { tokenHash: true } })).map((t) => t.tokenHash);
    toRevoke = { id: extra.id, prefix: extra.prefix };
    byPrefix = { id: second.id, prefix: second.prefix };
    twins = [twinA.id, twinB.id];
  });
}, 240_000);

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run token:list and token:revoke', { timeout: 240_000 }, () => {
  it('lists every token as a table, without a secret or hash, and filters by organisation', async () => {
    const all = await run('token-list', []);
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n')[0]).toMatch(/^id +前缀 prefix +状态 status +机构 organisation/);
    expect(all.stdout).toContain(`共 ${secrets.length} 个令牌 (${secrets.length} tokens)`);
    expect(all.stdout).toContain(toRevoke.id);
    expect(all.stdout).toContain('财务 笔记本'); // the line break of the label does not reach the terminal
    for (const s of [...secrets, ...hashes]) expect(all.stdout).not.toContain(s);

    const department = await run('token-list', ['--organisation', departmentCode]);
    expect(department.code).toBe(0);
    const rows = department.stdout.split('\n').filter((l) => /^[0-9a-f]{8}-/.test(l));
    expect(rows.length).toBe(5); // the caseworker's, approver's and finance's, and a second each for finance and the caseworker
    expect(rows.every((l) => l.includes(departmentCode))).toBe(true);
    expect(department.stdout).not.toContain(twins[0]);
  });

  it('refuses bad arguments with exit 2 and a message', async () => {
    const status = await run('token-list', ['--status', 'lost']);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('--status 只能是 must be one of: active, expired, revoked');
    const org = await run('token-list', ['--organisation', 'NOPE']);
    expect(org.code).toBe(2);
    expect(org.stderr).toContain('没有该机构 No organisation with code NOPE');
    const none = await run('token-revoke', []);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Give either --id or --prefix');
    const unknown = await run('token-revoke', ['--id', crypto.randomUUID()]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('没有该令牌 No such token');
    const ambiguous = await run('token-revoke', [
      '--prefix',
      (await withDatabase((db) => db.prisma.apiToken.findUniqueOrThrow({ where: { id: twins[0]! } }))).prefix,
    ]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('Several tokens have this prefix; use --id');
    for (const id of twins) expect(ambiguous.stderr).toContain(id);
    expect(await withDatabase((db) => db.prisma.apiToken.count({ where: { revokedAt: { not: null } } }))).toBe(0);
  });

  it('revokes by id (audited as the command line), says so again without changing it, and by prefix', async () => {
    const first = await run('token-revoke', ['--id', toRevoke.id]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^已吊销 Revoked at \S+: /);
    const row = await withDatabase((db) => db.prisma.apiToken.findUniqueOrThrow({ where: { id: toRevoke.id } }));
    expect(row.revokedAt).not.toBeNull();
    const again = await run('token-revoke', ['--id', toRevoke.id]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`Already revoked at ${row.revokedAt!.toISOString()}`);
    const audits = await withDatabase((db) => db.prisma.auditEvent.findMany({ where: { recordId: toRevoke.id, action: 'token.revoke' } }));
    expect(audits).toHaveLength(1);
    // The operator is named: the account that ran the tool.
    expect(audits[0]).toMatchObject({ actorId: NIL, requestId: `cli:token:revoke:${userInfo().username}` });

    const prefixed = await run('token-revoke', ['--prefix', byPrefix.prefix]);
    expect(prefixed.code).toBe(0);
    const revoked = await run('token-list', ['--status', 'revoked']);
    const ids = revoked.stdout
      .split('\n')
      .filter((l) => /^[0-9a-f]{8}-/.test(l))
      .map((l) => l.split(' ')[0]);
    expect(ids.sort()).toEqual([toRevoke.id, byPrefix.id].sort());
  });
});

describe('npm run user:create', { timeout: 240_000 }, () => {
  it('creates a person with a user name and prints a one-time set-password link; a made-up role or organisation is refused', async () => {
    const made = await run('user-create', [
      '--organisation',
      departmentCode,
      '--role',
      'approver',
      '--name',
      '王芳',
      '--username',
      'Wang.Fang',
      '--base-url',
      'https://ledger.example',
    ]);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('用户名 User name: wang.fang');
    const link = /Set-password link .*: (https:\/\/ledger\.example\/password\/setup\/(ps_[A-Za-z0-9_-]+))/.exec(made.stdout);
    expect(link).not.toBeNull();
    await withDatabase(async (db) => {
      expect(await passwordSetupIsUsable({ db: db.prisma, secret: link![2]! })).toEqual({ username: 'wang.fang' });
      const user = await db.prisma.appUser.findUniqueOrThrow({ where: { username: 'wang.fang' } });
      expect(user).toMatchObject({ role: 'approver', passwordHash: null });
      const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'user.issue_password_setup', recordId: user.id } });
      expect(audit.actorId).toBe(NIL);
      expect(JSON.stringify(audit.after)).not.toContain(link![2]!);
    });
    for (const args of [
      ['--organisation', departmentCode, '--role', 'boss', '--name', 'x', '--username', 'x.boss'],
      ['--organisation', 'NO-SUCH-ORG', '--role', 'approver', '--name', 'x', '--username', 'x.nobody'],
      ['--organisation', departmentCode, '--role', 'approver', '--name', 'x'],
    ]) {
      const refused = await run('user-create', args);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr.length).toBeGreaterThan(0);
    }
  });
});
