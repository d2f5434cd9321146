// The audit trail through the API: the list with its filters and cursor, the streamed CSV (itself
// audited), the chain's verification; 403 for every role but auditor and admin; an admin of a
// civil-affairs department sees its own organisation's events only, and nothing about the others.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/services/audit.ts';
import { recordFundingReceipt } from '../../src/services/funding-receipts.ts';
import { AUDIT_CSV_HEADER } from '../../src/services/audit-events.ts';
import { makeEngagement, makeOrganisation, makeProgramme, makeUser, type TestUser } from '../support/fixtures.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
/** An admin of the department, and a caseworker of another department. */
let departmentAdmin: TestUser;
let otherCaseworker: TestUser;
let programmeId: string;
const OTHER_RECORD = `other-${randomUUID()}`;

beforeAll(async () => {
  departmentAdmin = await makeUser(t.db.prisma, t.world.department, 'admin');
  otherCaseworker = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs', '另一个民政局'), 'caseworker');
  programmeId = (await makeProgramme(t.world)).id; // programme.create by the platform's admin
  for (const amount of ['100.00', '200.00', '300.00']) {
    await recordFundingReceipt({
      ctx: t.world.users.finance.ctx,
      input: { programmeId, remitterId: t.world.foundation.id, amount, receivedOn: '2025-09-01', bankReference: `REF-${randomUUID()}` },
    });
  }
  await t.db.prisma.$transaction(async (tx) => {
    await recordAudit(tx, otherCaseworker.ctx, { action: 'student.register', recordType: 'student', recordId: OTHER_RECORD, after: { region: '630102' } });
    await recordAudit(tx, otherCaseworker.ctx, { action: 'student.update', recordType: 'student', recordId: OTHER_RECORD });
  });
});

type Item = {
  id: string;
  occurredAt: string;
  actorId: string;
  organisationId: string;
  action: string;
  recordType: string;
  recordId: string;
  chain: { seq: string; hash: string } | null;
};

async function listAll(token: string, query = ''): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const res = await t.as(token).get(`/api/v1/audit-events?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    items.push(...res.json.items);
    cursor = res.json.nextCursor;
  } while (cursor);
  return items;
}

const FORBIDDEN = ['caseworker', 'approver', 'finance', 'foundationViewer'] as const;

describe('GET /audit-events', () => {
  it('auditors and platform admins see every event, newest first, each with its chain place; pages never repeat', async () => {
    const total = await t.db.prisma.auditEvent.count();
    for (const user of [t.world.users.auditor, t.world.users.admin]) {
      const items = await listAll(user.token);
      expect(items.length).toBeGreaterThanOrEqual(total);
      const ids = items.map((i) => BigInt(i.id));
      expect(ids).toEqual([...ids].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
      expect(new Set(ids).size).toBe(ids.length);
      for (const item of items) expect(item.chain).toMatchObject({ seq: expect.stringMatching(/^\d+$/), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(items.some((i) => i.organisationId !== t.world.department.id)).toBe(true);
    }
  });

  it('filters by record, actor, action, organisation and period', async () => {
    const token = t.world.users.auditor.token;
    const byRecord = await listAll(token, `&recordType=student&recordId=${OTHER_RECORD}`);
    expect(byRecord.map((i) => i.action)).toEqual(['student.update', 'student.register']);
    const [registered] = await t
      .as(token)
      .get(`/api/v1/audit-events?recordType=student&recordId=${OTHER_RECORD}&action=student.register`)
      .then((r) => r.json.items);
    expect(registered).toMatchObject({ action: 'student.register', after: { region: '630102' }, actorId: otherCaseworker.actor.userId, before: null });

    const byActor = await listAll(token, `&actorId=${t.world.users.finance.actor.userId}`);
    expect(byActor.map((i) => i.action)).toEqual(['funding_receipt.record', 'funding_receipt.record', 'funding_receipt.record']);
    expect((await listAll(token, '&action=programme.create')).every((i) => i.action === 'programme.create')).toBe(true);
    const byOrganisation = await listAll(token, `&organisationId=${otherCaseworker.actor.organisationId}`);
    expect(byOrganisation).toHaveLength(2);

    const [newest] = byActor;
    const at = newest!.occurredAt;
    const fromNewest = await listAll(token, `&actorId=${t.world.users.finance.actor.userId}&from=${encodeURIComponent(at)}`);
    expect(fromNewest.every((i) => i.occurredAt >= at)).toBe(true);
    expect(fromNewest.length).toBeGreaterThanOrEqual(1);
    const beforeNewest = await listAll(token, `&actorId=${t.world.users.finance.actor.userId}&to=${encodeURIComponent(at)}`);
    expect(beforeNewest.every((i) => i.occurredAt < at)).toBe(true);
    expect(fromNewest.length + beforeNewest.length).toBe(3);
    // The same instant written with an offset.
    const shifted = new Date(new Date(at).getTime() + 8 * 3600_000).toISOString().replace('Z', '+08:00');
    expect(await listAll(token, `&actorId=${t.world.users.finance.actor.userId}&from=${encodeURIComponent(shifted)}`)).toEqual(fromNewest);
  });

  it('bad input: 400 naming the field', async () => {
    const token = t.world.users.auditor.token;
    for (const [query, field] of [
      ['from=2026-13-01T00:00:00Z', 'from'],
      ['from=yesterday', 'from'],
      ['to=2026-03-01', 'to'],
      ['from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 'to'],
      ['cursor=nonsense', 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify({ id: 'x' })).toString('base64url')}`, 'cursor'],
      ['actorId=someone', 'actorId'],
      ['organisationId=1', 'organisationId'],
      ['action=drop%20table', 'action'],
      ['limit=0', 'limit'],
    ] as const) {
      const res = await t.as(token).get(`/api/v1/audit-events?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
  });

  it('403 for caseworker, approver, finance and foundation viewer; 401 without a token', async () => {
    for (const role of FORBIDDEN) expect((await t.as[role].get('/api/v1/audit-events')).status).toBe(403);
    expect((await t.anonymous.get('/api/v1/audit-events')).status).toBe(401);
  });

  it('a civil-affairs admin sees its own organisation’s events only; filters on others give nothing away', async () => {
    const token = departmentAdmin.token;
    const items = await listAll(token);
    const own = await t.db.prisma.auditEvent.count({ where: { organisationId: t.world.department.id } });
    expect(items).toHaveLength(own);
    expect(items.every((i) => i.organisationId === t.world.department.id)).toBe(true);
    for (const query of [
      `organisationId=${otherCaseworker.actor.organisationId}`,
      `recordType=student&recordId=${OTHER_RECORD}`,
      `actorId=${otherCaseworker.actor.userId}`,
    ]) {
      const res = await t.as(token).get(`/api/v1/audit-events?${query}`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ items: [], nextCursor: null });
    }
  });
});

describe('GET /audit-events.csv', () => {
  async function csv(token: string, query = '') {
    const res = await t.app.request(`/api/v1/audit-events.csv${query}`, { headers: { Authorization: `Bearer ${token}` } });
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, bytes, text: new TextDecoder('utf-8').decode(bytes) }; // the decoder drops the BOM; `bytes` keeps it
  }

  it('streams the filtered events as UTF-8 with a BOM, and the export is audited', async () => {
    const res = await csv(t.world.users.auditor.token, `?recordType=student&recordId=${OTHER_RECORD}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="audit-events.csv"');
    expect([...res.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(AUDIT_CSV_HEADER.join(','));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^\d+,[^,]+,[0-9a-f-]{36},[0-9a-f-]{36},student\.update,student,other-/);
    expect(lines[2]).toContain(',"{""region"":""630102""}",');
    expect(lines[2]).toMatch(/,\d+,[0-9a-f]{64}$/);

    const [exported] = await t.db.prisma.auditEvent.findMany({
      where: { action: 'audit_event.export', actorId: t.world.users.auditor.actor.userId },
      orderBy: { id: 'desc' },
      take: 1,
    });
    expect(exported).toMatchObject({
      recordType: 'audit_event',
      recordId: '*',
      after: { filters: { recordType: 'student', recordId: OTHER_RECORD }, format: 'csv' },
    });
  });

  it('pages through more events than one page holds, newest first', async () => {
    const res = await csv(t.world.users.auditor.token);
    const lines = res.text.trimEnd().split('\r\n').slice(1);
    const total = await t.db.prisma.auditEvent.count();
    expect(lines).toHaveLength(total);
    const ids = lines.map((l) => BigInt(l.split(',')[0]!));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
  });

  it('bad input 400 naming the field; 403 for the other roles', async () => {
    for (const [query, field] of [
      ['?from=soon', 'from'],
      ['?to=2026-02-30T00:00:00Z', 'to'],
      ['?actorId=x', 'actorId'],
    ] as const) {
      const res = await t.as.auditor.get(`/api/v1/audit-events.csv${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    for (const role of FORBIDDEN) expect((await csv(t.world.users[role].token)).status).toBe(403);
  });

  it('a civil-affairs admin exports its own organisation’s events only', async () => {
    const res = await csv(departmentAdmin.token);
    expect(res.status).toBe(200);
    const rows = res.text.trimEnd().split('\r\n').slice(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((l) => l.split(',')[3] === t.world.department.id)).toBe(true);
    expect(res.text).not.toContain(OTHER_RECORD);
    const filtered = await csv(departmentAdmin.token, `?organisationId=${otherCaseworker.actor.organisationId}`);
    expect([...filtered.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(filtered.text).toBe(`${AUDIT_CSV_HEADER.join(',')}\r\n`);
  });
});

describe('GET /audit-events/verification', () => {
  it('auditors and admins verify the chain; other roles 403', async () => {
    const total = await t.db.prisma.auditEvent.count();
    for (const user of [t.world.users.auditor, t.world.users.admin]) {
      const res = await t.as(user).get('/api/v1/audit-events/verification');
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ ok: true, chainRowsChecked: total, unchainedEvents: 0, firstProblem: null, problems: [], head: { seq: String(total) } });
    }
    for (const role of FORBIDDEN) expect((await t.as[role].get('/api/v1/audit-events/verification')).status).toBe(403);
  });
});

describe('an auditor engaged on listed programmes only', () => {
  it('sees none of the trail (events are not tied to one programme) and may not verify the whole chain', async () => {
    const office = await makeOrganisation(t.db.prisma, 'audit');
    await makeEngagement(t.db.prisma, { auditorOrganisationId: office.id, createdById: t.world.users.admin.actor.userId, programmeIds: [programmeId] });
    const listed = await makeUser(t.db.prisma, office, 'auditor');
    expect(await t.db.prisma.auditEvent.count()).toBeGreaterThan(0);
    const list = await t.as(listed).get('/api/v1/audit-events');
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual([]);
    const res = await t.app.request('/api/v1/audit-events.csv', { headers: { Authorization: `Bearer ${listed.token}` } });
    expect(res.status).toBe(200);
    expect(new TextDecoder().decode(await res.arrayBuffer())).toBe(`${AUDIT_CSV_HEADER.join(',')}\r\n`);
    expect((await t.as(listed).get('/api/v1/audit-events/verification')).status).toBe(403);
  });
});
