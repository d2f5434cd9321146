import { beforeAll, describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { computeCheckCharacter, makeIdentityNumber } from '../../src/domain/identity-number.ts';
import { changeEnrolmentStatus } from '../../src/services/enrolments.ts';
import { type TestUser, makeOrganisation, makeProgramme, makeUser } from '../support/fixtures.ts';
import { fictionalAccountNumber, linkToProgramme, makeEnrolment, makeStudent, registrationInput } from '../support/students.ts';
import { testVault } from '../support/vault.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let otherCaseworker: TestUser;
let otherViewer: TestUser;
/** Every clear personal value this file sends, so the last tests can look for them where they must not be. */
const clearValues = new Set<string>();

beforeAll(async () => {
  otherCaseworker = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs', '海东市民政局'), 'caseworker');
  otherViewer = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'foundation'), 'foundation_viewer');
});

function remember<T extends { identityNumber: string; name: string; phone?: string | null; bankAccount: { accountNumber: string } }>(body: T): T {
  for (const v of [body.identityNumber, body.name, body.phone, body.bankAccount.accountNumber]) if (v) clearValues.add(v);
  return body;
}

function body(overrides: Parameters<typeof registrationInput>[0] = {}) {
  return remember(registrationInput(overrides));
}

async function made(overrides: Parameters<typeof makeStudent>[1] = {}) {
  const m = await makeStudent(t.world, overrides);
  for (const v of Object.values(m.plain)) if (v) clearValues.add(v);
  return m;
}

async function counts() {
  return { students: await t.db.prisma.student.count(), audits: await t.db.prisma.auditEvent.count() };
}

/** JSON of rows, with the audit table's bigint ids as strings. */
const toJson = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

const paths = (errors: { path: string }[]) => errors.map((e) => e.path);

describe('POST /students — happy path', () => {
  it('registers the student with personal values masked, derived facts stored, and an audit event', async () => {
    const sent = body({ name: '韩梅梅', phone: '138 0000 1234' });
    const res = await t.as.caseworker.post('/api/v1/students', sent);
    expect(res.status).toBe(201);
    const masked = `630102********${sent.identityNumber.slice(14)}`;
    expect(res.json).toMatchObject({
      departmentId: t.world.department.id,
      name: '韩**',
      identityNumber: masked,
      gender: 'female',
      regionCode: '630102',
      regionName: '青海省西宁市城东区',
      phone: '138****1234',
      bankAccount: { bankName: '中国建设银行西宁城东支行', accountNumber: `***************${sent.bankAccount.accountNumber.slice(-4)}`, holderName: '韩**' },
      createdById: t.world.users.caseworker.actor.userId,
    });
    expect(res.json).not.toHaveProperty('birthDate');
    for (const v of [sent.identityNumber, sent.name, sent.bankAccount.accountNumber, '13800001234']) expect(res.text).not.toContain(v);

    const row = await t.db.prisma.student.findUniqueOrThrow({ where: { id: res.json.id } });
    expect(row.birthDate.toISOString().slice(0, 10)).toBe('2006-05-20');
    expect(row.regionCode).toBe('630102');
    const rowJson = toJson(row);
    for (const v of [sent.identityNumber, sent.name, sent.bankAccount.accountNumber, '13800001234', sent.identityNumber.slice(6, 14)]) {
      expect(rowJson).not.toContain(v);
    }
    const vault = await testVault();
    expect(await vault.open('identity_number', row.identityNumberSealed)).toBe(sent.identityNumber);
    expect(row.identityNumberHash).toBe(await vault.lookupHash('identity_number', sent.identityNumber));

    const audit = await t.db.prisma.auditEvent.findFirstOrThrow({ where: { recordId: res.json.id, action: 'student.register' } });
    expect(audit.actorId).toBe(t.world.users.caseworker.actor.userId);
    expect(audit.after).toMatchObject({ identityNumber: masked, name: '韩**' });
    const auditJson = toJson(audit);
    for (const v of [sent.identityNumber, sent.name, sent.bankAccount.accountNumber]) expect(auditJson).not.toContain(v);
  });

  it('accepts a lowercase x, spaces around the number and inside the name, a male number and no phone', async () => {
    let withX = '';
    for (let seq = 1; !withX; seq += 2) {
      const n = makeIdentityNumber('632123', '2005-01-31', seq);
      if (n.endsWith('X')) withX = n;
    }
    clearValues.add(withX);
    const sent = remember({ ...registrationInput({ name: '才让 多杰', gender: 'male', phone: null }), identityNumber: ` ${withX.toLowerCase()} ` });
    sent.bankAccount.holderName = '才让多杰';
    const res = await t.as.caseworker.post('/api/v1/students', sent);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      gender: 'male',
      name: '才***',
      identityNumber: `632123********${withX.slice(14)}`,
      phone: null,
      regionName: '青海省海东地区乐都县',
    });
    // The stored form is the upper-case one: the same number with X is the same student.
    const again = await t.as.caseworker.post('/api/v1/students', { ...body({ gender: 'male' }), identityNumber: withX });
    expect(again.status).toBe(409);
  });
});

describe('POST /students — bad input names the field and writes nothing', () => {
  const birth = '20060520';
  const validBody = `630102${birth}124`;
  const cases: [string, () => string, string][] = [
    ['wrong length (17)', () => validBody, 'length'],
    ['wrong length (19)', () => `${validBody}${computeCheckCharacter(validBody)}0`, 'length'],
    ['letters inside', () => `63010A${birth}124${'1'}`, 'characters'],
    ['bad check digit', () => `${validBody}${computeCheckCharacter(validBody) === '0' ? '1' : '0'}`, 'check_digit'],
    ['impossible birth date (30 February)', () => makeIdentityNumber('630102', '2006-02-30', 124), 'birth_date'],
    ['birth date in the future', () => makeIdentityNumber('630102', '2099-01-01', 124), 'birth_date'],
    ['unknown region code', () => makeIdentityNumber('639901', '2006-05-20', 124), 'region'],
    ['province-level region code', () => makeIdentityNumber('630000', '2006-05-20', 124), 'region'],
  ];
  it.each(cases)('identity number: %s', async (_name, number, reason) => {
    const before = await counts();
    const res = await t.as.caseworker.post('/api/v1/students', { ...body(), identityNumber: number() });
    expect(res.status).toBe(400);
    expect(res.headers.get('Content-Type')).toContain('application/problem+json');
    expect(res.json).toMatchObject({ status: 400, code: 'invalid_request' });
    const problem = res.json.errors.find((e: { path: string }) => e.path === 'identityNumber');
    expect(problem.message.startsWith(`${reason}:`)).toBe(true);
    expect(res.text).not.toContain(number());
    expect(await counts()).toEqual(before);
  });

  const fieldCases: [string, (b: ReturnType<typeof body>) => unknown, string][] = [
    ['gender that contradicts the number', (b) => ({ ...b, gender: 'male' }), 'gender'],
    ['unknown gender', (b) => ({ ...b, gender: 'x' }), 'gender'],
    ['account number with letters', (b) => ({ ...b, bankAccount: { ...b.bankAccount, accountNumber: '6217ABC000000000' } }), 'bankAccount.accountNumber'],
    ['account number too short', (b) => ({ ...b, bankAccount: { ...b.bankAccount, accountNumber: '62170000' } }), 'bankAccount.accountNumber'],
    ['account number too long', (b) => ({ ...b, bankAccount: { ...b.bankAccount, accountNumber: '6'.repeat(31) } }), 'bankAccount.accountNumber'],
    ['empty bank name', (b) => ({ ...b, bankAccount: { ...b.bankAccount, bankName: ' ' } }), 'bankAccount.bankName'],
    ['empty name', (b) => ({ ...b, name: '  ' }), 'name'],
    ['missing name', ({ name: _n, ...b }) => b, 'name'],
    ['a name that a spreadsheet takes for a formula', (b) => ({ ...b, name: '=HYPERLINK("x")' }), 'name'],
    ['a name with a zero-width space', (b) => ({ ...b, name: '韩\u200B梅梅' }), 'name'],
    ['a name with a tab', (b) => ({ ...b, name: '韩\t梅梅' }), 'name'],
    ['a holder name that starts with @', (b) => ({ ...b, bankAccount: { ...b.bankAccount, holderName: '@韩梅梅' } }), 'bankAccount.holderName'],
    ['a phone that is not one', (b) => ({ ...b, phone: 'call me' }), 'phone'],
    ['identity number as a JSON number', (b) => ({ ...b, identityNumber: 630102200605201240 }), 'identityNumber'],
    ['an unknown field', (b) => ({ ...b, birthDate: '2006-05-20' }), 'birthDate'],
    ['an unknown field in the account', (b) => ({ ...b, bankAccount: { ...b.bankAccount, iban: 'x' } }), 'bankAccount.iban'],
  ];
  it.each(fieldCases)('%s', async (_name, change, field) => {
    const before = await counts();
    const res = await t.as.caseworker.post('/api/v1/students', change(body()));
    expect(res.status).toBe(400);
    expect(paths(res.json.errors)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('an account held by someone else: 422 naming the rule and the field', async () => {
    const before = await counts();
    const b = body();
    const res = await t.as.caseworker.post('/api/v1/students', { ...b, bankAccount: { ...b.bankAccount, holderName: '李雷' } });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ code: 'account_holder_not_student', field: 'bankAccount.holderName' });
    expect(await counts()).toEqual(before);
  });
});

describe('POST /students — one student per identity number, one account per student', () => {
  it('answers 409 with the existing id to the same department, and without it to another', async () => {
    const first = body();
    const created = await t.as.caseworker.post('/api/v1/students', first);
    const before = await counts();
    const same = await t.as.caseworker.post('/api/v1/students', { ...body(), identityNumber: first.identityNumber });
    expect(same.status).toBe(409);
    expect(same.json).toMatchObject({ code: 'duplicate_student', existingId: created.json.id });
    const other = await t.as(otherCaseworker).post('/api/v1/students', { ...body(), identityNumber: first.identityNumber });
    expect(other.status).toBe(409);
    expect(other.json.code).toBe('duplicate_student');
    expect(other.json).not.toHaveProperty('existingId');
    expect(other.text).not.toContain(created.json.id);
    expect(await counts()).toEqual(before);
  });

  it('two registrations of one number at the same time: one is created, the other refused', async () => {
    const b = body();
    const results = await Promise.all([
      t.as.caseworker.post('/api/v1/students', b),
      t.as.caseworker.post('/api/v1/students', { ...b, bankAccount: { ...b.bankAccount, accountNumber: fictionalAccountNumber() } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('refuses an account already on another student’s file (409), naming it only in scope', async () => {
    const { student, plain } = await made();
    const before = await counts();
    const mine = body();
    const res = await t.as.caseworker.post('/api/v1/students', { ...mine, bankAccount: { ...mine.bankAccount, accountNumber: plain.accountNumber } });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ code: 'bank_account_in_use', existingId: student.id });
    const theirs = body();
    const other = await t
      .as(otherCaseworker)
      .post('/api/v1/students', { ...theirs, bankAccount: { ...theirs.bankAccount, accountNumber: plain.accountNumber } });
    expect(other.status).toBe(409);
    expect(other.json).not.toHaveProperty('existingId');
    expect(await counts()).toEqual(before);
  });
});

describe('POST /students — roles', () => {
  it('only caseworkers register; every other role gets 403 and nothing is written', async () => {
    const before = await counts();
    for (const [who, user] of Object.entries(t.world.users)) {
      if (who === 'caseworker') continue;
      const res = await t.as(user).post('/api/v1/students', body());
      expect({ who, status: res.status }).toEqual({ who, status: 403 });
    }
    expect(await counts()).toEqual(before);
  });

  it('a caseworker of another department registers into their own department', async () => {
    const res = await t.as(otherCaseworker).post('/api/v1/students', body());
    expect(res.status).toBe(201);
    expect(res.json.departmentId).toBe(otherCaseworker.actor.organisationId);
    const fromHere = await t.as.caseworker.get(`/api/v1/students/${res.json.id}`);
    expect(fromHere.status).toBe(404);
  });
});

describe('GET /students/{id}', () => {
  it('department roles, auditors and admins see the student masked; others 404', async () => {
    const { student, plain } = await made();
    for (const [who, user] of Object.entries(t.world.users)) {
      const res = await t.as(user).get(`/api/v1/students/${student.id}`);
      const expected = who === 'foundationViewer' ? 404 : 200;
      expect({ who, status: res.status }).toEqual({ who, status: expected });
      if (res.status === 200) {
        expect(res.json).toEqual(student);
        for (const v of [plain.identityNumber, plain.name, plain.accountNumber]) expect(res.text).not.toContain(v);
      }
    }
    expect((await t.as(otherCaseworker).get(`/api/v1/students/${student.id}`)).status).toBe(404);
  });

  it('a foundation viewer sees a student once the student has eligibility in a programme it funds', async () => {
    const { student } = await made();
    const programme = await makeProgramme(t.world);
    await linkToProgramme(t.world, student.id, programme.id);
    expect((await t.as.foundationViewer.get(`/api/v1/students/${student.id}`)).status).toBe(200);
    expect((await t.as(otherViewer).get(`/api/v1/students/${student.id}`)).status).toBe(404);
  });

  it('an unknown id answers 404, a malformed one 400', async () => {
    expect((await t.as.auditor.get(`/api/v1/students/${crypto.randomUUID()}`)).status).toBe(404);
    const bad = await t.as.auditor.get('/api/v1/students/42');
    expect(bad.status).toBe(400);
    expect(paths(bad.json.errors)).toContain('studentId');
  });
});

describe('GET /students — search', () => {
  const search = (query: string, token = t.world.users.caseworker.token) => t.as(token).get(`/api/v1/students?${query}`);
  const ids = (res: { json: { items: { id: string }[] } }) => res.json.items.map((s) => s.id);

  it('finds by exact name (whitespace ignored), masked number, last four, and region prefix', async () => {
    const name = `测${String.fromCodePoint(0x4e00 + randomInt(0, 20000), 0x4e00 + randomInt(0, 20000))}卓玛`;
    const a = await made({ name, regionCode: '632801' });
    const b = await made({ name: '陈晓', regionCode: '630121' });
    const byName = await search(`name=${encodeURIComponent(`${name.slice(0, 2)} ${name.slice(2)}`)}`);
    expect(byName.status).toBe(200);
    expect(ids(byName)).toEqual([a.student.id]);
    expect(byName.json.items[0].name).not.toBe(name);
    const byMasked = await search(`identityNumber=${encodeURIComponent(a.student.identityNumber)}`);
    expect(ids(byMasked)).toEqual([a.student.id]);
    const byLastFour = await search(`identityNumber=${a.plain.identityNumber.slice(-4)}&regionCode=6328`);
    expect(ids(byLastFour)).toContain(a.student.id);
    expect(ids(byLastFour)).not.toContain(b.student.id);
    const byRegion = await search('regionCode=630121');
    expect(ids(byRegion)).toContain(b.student.id);
    expect(ids(byRegion)).not.toContain(a.student.id);
  });

  it('finds by institution, enrolment status and programme', async () => {
    const code = `T${crypto.randomUUID().slice(0, 8)}`;
    const enrolled = await made();
    const graduated = await made();
    await makeEnrolment(t.world, enrolled.student.id, { institutionCode: code });
    const e = await makeEnrolment(t.world, graduated.student.id, { institutionCode: code, admissionDate: '2020-09-01', expectedGraduation: '2024-06-30' });
    await changeEnrolmentStatus({
      ctx: t.world.users.caseworker.ctx,
      input: { studentId: graduated.student.id, enrolmentId: e.id, status: 'graduated', effectiveOn: '2024-06-30', reason: '毕业 graduated' },
    });
    expect(ids(await search(`institutionCode=${code}`)).sort()).toEqual([enrolled.student.id, graduated.student.id].sort());
    expect(ids(await search(`institutionCode=${code}&status=graduated`))).toEqual([graduated.student.id]);
    expect(ids(await search(`institutionCode=${code}&status=enrolled`))).toEqual([enrolled.student.id]);
    const programme = await makeProgramme(t.world);
    await linkToProgramme(t.world, enrolled.student.id, programme.id);
    expect(ids(await search(`programmeId=${programme.id}`))).toEqual([enrolled.student.id]);
    // The funder's viewer sees exactly the students with eligibility in its programmes.
    expect(ids(await search(`institutionCode=${code}`, t.world.users.foundationViewer.token))).toEqual([enrolled.student.id]);
    expect(ids(await search(`institutionCode=${code}`, otherViewer.token))).toEqual([]);
  });

  it('pages newest first with a cursor, and stays inside the caller’s department', async () => {
    const name = '欧阳分页';
    const made3 = [await made({ name }), await made({ name }), await made({ name })];
    await made({ name, by: otherCaseworker });
    const page1 = await search(`name=${encodeURIComponent(name)}&limit=2`);
    expect(ids(page1)).toEqual([made3[2]!.student.id, made3[1]!.student.id]);
    const page2 = await search(`name=${encodeURIComponent(name)}&limit=2&cursor=${page1.json.nextCursor}`);
    expect(ids(page2)).toEqual([made3[0]!.student.id]);
    expect(page2.json.nextCursor).toBeNull();
    const auditor = await search(`name=${encodeURIComponent(name)}`, t.world.users.auditor.token);
    expect(auditor.json.items).toHaveLength(4);
    const other = await search(`name=${encodeURIComponent(name)}`, otherCaseworker.token);
    expect(other.json.items).toHaveLength(1);
  });

  it('refuses whole identity numbers in the URL, bad region prefixes, statuses and cursors (400)', async () => {
    const { plain } = await made();
    const cases: [string, string][] = [
      [`identityNumber=${plain.identityNumber}`, 'identityNumber'],
      ['identityNumber=12', 'identityNumber'],
      ['regionCode=6', 'regionCode'],
      ['regionCode=63a', 'regionCode'],
      ['status=expelled', 'status'],
      ['programmeId=nope', 'programmeId'],
      ['cursor=nonsense', 'cursor'],
      ['limit=0', 'limit'],
    ];
    for (const [query, field] of cases) {
      const res = await search(query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(paths(res.json.errors)).toContain(field);
      expect(res.text).not.toContain(plain.identityNumber);
    }
  });
});

describe('POST /students/{id}/unmask', () => {
  const unmask = (id: string, token: string, purpose = '核对银行退票信息 checking a returned payment') =>
    t.as(token).post(`/api/v1/students/${id}/unmask`, { purpose });

  it('returns the whole values for a stated purpose and audits the purpose, not the values', async () => {
    const { student, plain } = await made({ phone: '13912345678' });
    const res = await unmask(student.id, t.world.users.caseworker.token);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      id: student.id,
      purpose: '核对银行退票信息 checking a returned payment',
      name: plain.name,
      identityNumber: plain.identityNumber,
      phone: '13912345678',
      bankAccount: { bankName: '中国建设银行西宁城东支行', accountNumber: plain.accountNumber, holderName: plain.name },
    });
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const audit = await t.db.prisma.auditEvent.findFirstOrThrow({ where: { recordId: student.id, action: 'student.unmask' } });
    expect(audit).toMatchObject({ actorId: t.world.users.caseworker.actor.userId, after: { purpose: '核对银行退票信息 checking a returned payment' } });
    const json = toJson(audit);
    for (const v of [plain.identityNumber, plain.name, plain.accountNumber, '13912345678']) expect(json).not.toContain(v);
  });

  it('approvers and finance may unmask; the funder’s viewer, auditors and admins get 403; other scopes 404', async () => {
    const { student } = await made();
    const programme = await makeProgramme(t.world);
    await linkToProgramme(t.world, student.id, programme.id);
    const before = await counts();
    const expectations: [string, string, number][] = [
      ['approver', t.world.users.approver.token, 200],
      ['finance', t.world.users.finance.token, 200],
      ['foundation viewer of the funder', t.world.users.foundationViewer.token, 403],
      ['auditor', t.world.users.auditor.token, 403],
      ['admin', t.world.users.admin.token, 403],
      ['caseworker of another department', otherCaseworker.token, 404],
      ['viewer of another foundation', otherViewer.token, 404],
    ];
    for (const [who, token, status] of expectations) {
      const res = await unmask(student.id, token);
      expect({ who, status: res.status }).toEqual({ who, status });
    }
    // Two successful unmasks, two audit rows; refusals write nothing.
    expect(await counts()).toEqual({ ...before, audits: before.audits + 2 });
  });

  it('needs a purpose of 5 characters or more, without long numbers; nothing is written otherwise', async () => {
    const { student, plain } = await made();
    const before = await counts();
    for (const purpose of ['核对', '    ', `核对身份证 ${plain.identityNumber}`]) {
      const res = await unmask(student.id, t.world.users.caseworker.token, purpose);
      expect(res.status).toBe(400);
      expect(paths(res.json.errors)).toContain('purpose');
      expect(res.text).not.toContain(plain.identityNumber);
    }
    const none = await t.as.caseworker.post(`/api/v1/students/${student.id}/unmask`, {});
    expect(paths(none.json.errors)).toContain('purpose');
    expect(await counts()).toEqual(before);
  });
});

describe('POST /students/{id}/bank-account', () => {
  const change = (id: string, token: string, overrides: Record<string, unknown> = {}) => {
    const accountNumber = fictionalAccountNumber();
    clearValues.add(accountNumber);
    return t.as(token).post(`/api/v1/students/${id}/bank-account`, {
      bankName: '中国农业银行西宁分行',
      accountNumber,
      holderName: '韩梅梅',
      reason: '原卡挂失 card reported lost',
      ...overrides,
    });
  };

  it('replaces the account and audits masked values before and after', async () => {
    const { student, plain } = await made();
    const accountNumber = fictionalAccountNumber();
    clearValues.add(accountNumber);
    const res = await change(student.id, t.world.users.caseworker.token, { accountNumber, holderName: ' 韩 梅梅 ' });
    expect(res.status).toBe(200);
    expect(res.json.bankAccount).toEqual({ bankName: '中国农业银行西宁分行', accountNumber: `***************${accountNumber.slice(-4)}`, holderName: '韩**' });
    expect(res.json.updatedAt > student.updatedAt).toBe(true);
    const audit = await t.db.prisma.auditEvent.findFirstOrThrow({ where: { recordId: student.id, action: 'student.change_bank_account' } });
    expect(audit.before).toEqual({ bankName: '中国建设银行西宁城东支行', accountNumber: student.bankAccount.accountNumber });
    expect(audit.after).toMatchObject({
      bankName: '中国农业银行西宁分行',
      accountNumber: res.json.bankAccount.accountNumber,
      reason: '原卡挂失 card reported lost',
    });
    const json = toJson(audit);
    expect(json).not.toContain(accountNumber);
    expect(json).not.toContain(plain.accountNumber);
    const whole = await t.as.finance.post(`/api/v1/students/${student.id}/unmask`, { purpose: '核对新账户 checking the new account' });
    expect(whole.json.bankAccount.accountNumber).toBe(accountNumber);
  });

  it('writes nothing when nothing changes', async () => {
    const { student, plain } = await made();
    const before = await counts();
    const res = await change(student.id, t.world.users.caseworker.token, { bankName: '中国建设银行西宁城东支行', accountNumber: plain.accountNumber });
    expect(res.status).toBe(200);
    expect(await counts()).toEqual(before);
  });

  it('refuses bad input, another holder and an account in use, writing nothing', async () => {
    const { student } = await made();
    const taken = await made();
    const before = await counts();
    const bad = await change(student.id, t.world.users.caseworker.token, { accountNumber: '123' });
    expect(bad.status).toBe(400);
    expect(paths(bad.json.errors)).toContain('accountNumber');
    const noReason = await change(student.id, t.world.users.caseworker.token, { reason: undefined });
    expect(paths(noReason.json.errors)).toContain('reason');
    const holder = await change(student.id, t.world.users.caseworker.token, { holderName: '李雷' });
    expect(holder.status).toBe(422);
    expect(holder.json).toMatchObject({ code: 'account_holder_not_student', field: 'holderName' });
    const inUse = await change(student.id, t.world.users.caseworker.token, { accountNumber: taken.plain.accountNumber });
    expect(inUse.status).toBe(409);
    expect(inUse.json).toMatchObject({ code: 'bank_account_in_use', existingId: taken.student.id });
    expect(await counts()).toEqual(before);
    expect((await t.db.prisma.student.findUniqueOrThrow({ where: { id: student.id } })).bankAccountMasked).toBe(student.bankAccount.accountNumber);
  });

  it('only the department’s caseworkers: 403 for other roles, 404 outside the scope', async () => {
    const { student } = await made();
    const programme = await makeProgramme(t.world);
    await linkToProgramme(t.world, student.id, programme.id);
    const before = await counts();
    for (const [who, user] of Object.entries(t.world.users)) {
      if (who === 'caseworker') continue;
      const res = await change(student.id, user.token);
      expect({ who, status: res.status }).toEqual({ who, status: 403 });
    }
    expect((await change(student.id, otherCaseworker.token)).status).toBe(404);
    expect((await change(student.id, otherViewer.token)).status).toBe(404);
    expect((await change(crypto.randomUUID(), t.world.users.caseworker.token)).status).toBe(404);
    expect(await counts()).toEqual(before);
  });
});

describe('POST /students/{id}/contact', () => {
  const contact = (id: string, token: string, phone: unknown) => t.as(token).post(`/api/v1/students/${id}/contact`, { phone });

  it('replaces and removes the phone number, audited masked', async () => {
    const { student } = await made({ phone: null });
    clearValues.add('13700001111');
    const set = await contact(student.id, t.world.users.caseworker.token, '137-0000-1111');
    expect(set.status).toBe(200);
    expect(set.json.phone).toBe('137****1111');
    const cleared = await contact(student.id, t.world.users.caseworker.token, null);
    expect(cleared.json.phone).toBeNull();
    const audits = await t.db.prisma.auditEvent.findMany({ where: { recordId: student.id, action: 'student.update_contact' }, orderBy: { id: 'asc' } });
    expect(audits.map((a) => [a.before, a.after])).toEqual([
      [{ phone: null }, { phone: '137****1111' }],
      [{ phone: '137****1111' }, { phone: null }],
    ]);
  });

  it('refuses a malformed number (400), other roles (403) and other scopes (404), writing nothing', async () => {
    const { student } = await made();
    const before = await counts();
    const bad = await contact(student.id, t.world.users.caseworker.token, 'not a phone');
    expect(bad.status).toBe(400);
    expect(paths(bad.json.errors)).toContain('phone');
    const missing = await t.as.caseworker.post(`/api/v1/students/${student.id}/contact`, {});
    expect(paths(missing.json.errors)).toContain('phone');
    for (const [who, user] of Object.entries(t.world.users)) {
      if (who === 'caseworker' || who === 'foundationViewer') continue;
      expect({ who, status: (await contact(student.id, user.token, '13700002222')).status }).toEqual({ who, status: 403 });
    }
    expect((await contact(student.id, t.world.users.foundationViewer.token, '13700002222')).status).toBe(404);
    expect((await contact(student.id, otherCaseworker.token, '13700002222')).status).toBe(404);
    expect(await counts()).toEqual(before);
  });
});

describe('POST /students/{id}/name-correction', () => {
  const correct = (id: string, token: string, body: Record<string, unknown>) => t.as(token).post(`/api/v1/students/${id}/name-correction`, body);

  it('corrects the name with the reason: the page shows it masked, the audit keeps masked names only', async () => {
    const { student } = await made();
    clearValues.add('欧阳娜娜');
    const res = await correct(student.id, t.world.users.caseworker.token, { name: '欧阳娜娜', reason: '按新身份证更正' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.name).toBe('欧***');
    const vault = await testVault();
    const row = await t.db.prisma.student.findUniqueOrThrow({ where: { id: student.id } });
    expect(await vault.open('name', row.nameSealed)).toBe('欧阳娜娜');
    expect(row.nameHash).toBe(await vault.lookupHash('name', '欧阳娜娜'));
    const audit = await t.db.prisma.auditEvent.findFirstOrThrow({ where: { recordId: student.id, action: 'student.correct_name' } });
    expect(audit.after).toEqual({ name: '欧***', reason: '按新身份证更正' });
    // The same name again changes nothing.
    const again = await correct(student.id, t.world.users.caseworker.token, { name: '欧阳娜娜', reason: '按新身份证更正' });
    expect(again.status).toBe(200);
    expect(await t.db.prisma.auditEvent.count({ where: { recordId: student.id, action: 'student.correct_name' } })).toBe(1);
  });

  it('refuses a name no bank file can carry or no reason (400 naming the field), other roles (403) and other scopes (404), writing nothing', async () => {
    const { student } = await made();
    const before = await counts();
    const formula = await correct(student.id, t.world.users.caseworker.token, { name: '=1+1', reason: '更正' });
    expect(formula.status).toBe(400);
    expect(paths(formula.json.errors)).toEqual(['name']);
    const noReason = await correct(student.id, t.world.users.caseworker.token, { name: '李明' });
    expect(paths(noReason.json.errors)).toEqual(['reason']);
    for (const [who, user] of Object.entries(t.world.users)) {
      if (who === 'caseworker' || who === 'foundationViewer') continue;
      expect({ who, status: (await correct(student.id, user.token, { name: '李明', reason: '更正姓名' })).status }).toEqual({ who, status: 403 });
    }
    expect((await correct(student.id, t.world.users.foundationViewer.token, { name: '李明', reason: '更正姓名' })).status).toBe(404);
    expect((await correct(student.id, otherCaseworker.token, { name: '李明', reason: '更正姓名' })).status).toBe(404);
    expect(await counts()).toEqual(before);
  });
});

describe('personal data stays out of logs, rows and the audit trail', () => {
  it('the OpenAPI document lists the student endpoints with examples', async () => {
    const doc = (await t.anonymous.get('/openapi.json')).json;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/students',
        '/api/v1/students/{studentId}',
        '/api/v1/students/{studentId}/unmask',
        '/api/v1/students/{studentId}/bank-account',
        '/api/v1/students/{studentId}/contact',
        '/api/v1/students/{studentId}/name-correction',
      ]),
    );
    expect(doc.components.schemas.RegisterStudent.properties.identityNumber.example).toMatch(/^\d{17}[\dX]$/);
  });

  it('no log line carries an identity number, name, account or phone number sent in this file', async () => {
    expect(clearValues.size).toBeGreaterThan(20);
    expect(t.logs.lines.length).toBeGreaterThan(50);
    const joined = t.logs.lines.join('\n');
    for (const v of clearValues) expect(joined).not.toContain(v);
    expect(joined).not.toMatch(/\d{17}[\dX]/);
  });

  it('no student row or audit row carries them in clear', async () => {
    const rows = toJson(await t.db.prisma.student.findMany());
    const audits = toJson(await t.db.prisma.auditEvent.findMany());
    for (const v of clearValues) {
      expect(rows).not.toContain(v);
      expect(audits).not.toContain(v);
    }
  });
});
