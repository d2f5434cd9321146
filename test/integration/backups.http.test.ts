// GET /api/v1/backup: a platform admin gets the whole database as a backup file whose manifest
// checks and names the chains' heads, and the taking is audited; every other role, a department's
// own admin, and a caller without a token are refused before anything is read.
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeBackup } from '../../src/backup/backup-file.ts';
import { chainHead } from '../../src/checkpoints/chain-heads.ts';
import { makeUser, type TestUser } from '../support/fixtures.ts';
import { makeApp } from '../support/http.ts';
import { useTestApp } from '../support/test-app.ts';

describe('GET /api/v1/backup', () => {
  const t = useTestApp();
  let departmentAdmin: TestUser;
  beforeAll(async () => {
    departmentAdmin = await makeUser(t.db.prisma, t.world.department, 'admin');
  });

  const backupEvents = async () => t.db.prisma.auditEvent.count({ where: { action: 'database.backup' } });

  it('gives a platform admin a backup whose manifest checks and holds the heads, and audits it', async () => {
    const heads = { ledger: await chainHead(t.db.prisma, 'ledger'), audit: await chainHead(t.db.prisma, 'audit') };
    const response = await t.app.request('/api/v1/backup', { headers: { Authorization: `Bearer ${t.world.users.admin.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/octet-stream');
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="scholarship-ledger-\d{8}T\d{6}Z\.backup"/);
    const { manifest } = decodeBackup(new Uint8Array(await response.arrayBuffer()));
    expect(manifest.payload.kind).toBe('table-rows');
    expect(manifest.ledgerHead).toEqual(heads.ledger);
    expect(manifest.auditHead).toEqual(heads.audit);
    expect(manifest.tables.find((table) => table.name === 'organisation')?.rows).toBeGreaterThanOrEqual(4);
    const event = await t.db.prisma.auditEvent.findFirst({ where: { action: 'database.backup' }, orderBy: { id: 'desc' } });
    expect(event?.actorId).toBe(t.world.users.admin.actor.userId);
    expect((event?.after as { sha256?: string } | undefined)?.sha256).toBe(manifest.payload.sha256);
  });

  it('refuses every other role and a department’s own admin (403), and a caller without a token (401)', async () => {
    const before = await backupEvents();
    const { admin: _platformAdmin, ...others } = t.world.users;
    for (const user of [...Object.values(others), departmentAdmin]) {
      const answer = await t.as(user).get('/api/v1/backup');
      expect(answer.status, user.actor.role).toBe(403);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await t.anonymous.get('/api/v1/backup')).status).toBe(401);
    expect((await t.as('not-a-token').get('/api/v1/backup')).status).toBe(401);
    expect(await backupEvents()).toBe(before);
  });

  it('is never cut at the request deadline, which still cuts other reads: its time grows with the database', async () => {
    const { app } = makeApp(t.db.prisma, t.vault, { requestDeadlineMs: 1 });
    const headers = { Authorization: `Bearer ${t.world.users.admin.token}` };
    const other = await app.request('/api/v1/programmes', { headers });
    expect(other.status).toBe(503);
    expect(((await other.json()) as { code: string }).code).toBe('deadline_exceeded');
    const backup = await app.request('/api/v1/backup', { headers });
    expect(backup.status).toBe(200);
    expect(decodeBackup(new Uint8Array(await backup.arrayBuffer())).manifest.payload.kind).toBe('table-rows');
  });
});
