// Sign-in for people: one-time set-password links, sign-in with a neutral failure, sessions with
// idle and absolute limits, sign-out, change of password ending every session; every step audited,
// no secret in the audit trail.
import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError, ValidationError } from '../../src/domain/errors.ts';
import { changePassword, issuePasswordSetup, passwordSetupIsUsable, setPasswordWithLink } from '../../src/services/credentials.ts';
import {
  SESSION_IDLE_MS,
  SESSION_LIFETIME_MS,
  SignInFailed,
  UNKNOWN_ACTOR,
  endSession,
  listOwnSessions,
  resumeSession,
  signIn,
} from '../../src/services/sessions.ts';
import { makeOrganisation, makeUser, type TestUser } from '../support/fixtures.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

const PASSWORD = '青海湖 spring 2027!';
let counter = 0;

/** A new user of the world's department, with a user name and a password set through a link. */
async function personWithPassword(role: TestUser['actor']['role'] = 'caseworker', password = PASSWORD) {
  const user = await makeUser(t.db.prisma, t.world.department, role);
  const username = `person.${++counter}`;
  const issued = await issuePasswordSetup({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId, username } });
  await setPasswordWithLink({ db: t.db.prisma, input: { secret: issued.link.split('/').pop()!, password, confirmation: password } });
  return { user, username };
}

const secretOf = (link: string) => link.split('/').pop()!;

/** Audit rows as text (their ids are BigInt), to search for what must never be in them. */
const auditText = (rows: { id: bigint }[]) => JSON.stringify(rows.map((r) => ({ ...r, id: String(r.id) })));

describe('set-password links', () => {
  it('an admin issues a one-time link; the person sets a password with it; the link is then used up', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'approver');
    const issued = await issuePasswordSetup({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId, username: '  Wang.Fang ' } });
    expect(issued).toMatchObject({
      userId: user.actor.userId,
      username: 'wang.fang',
      link: expect.stringMatching(/^\/password\/setup\/ps_[A-Za-z0-9_-]{43}$/),
    });
    expect(await passwordSetupIsUsable({ db: t.db.prisma, secret: secretOf(issued.link) })).toEqual({ username: 'wang.fang' });
    await setPasswordWithLink({ db: t.db.prisma, input: { secret: secretOf(issued.link), password: PASSWORD, confirmation: PASSWORD } });
    expect(await passwordSetupIsUsable({ db: t.db.prisma, secret: secretOf(issued.link) })).toBeNull();
    await expect(
      setPasswordWithLink({ db: t.db.prisma, input: { secret: secretOf(issued.link), password: PASSWORD, confirmation: PASSWORD } }),
    ).rejects.toMatchObject({ code: 'password_link_invalid' });
    const row = await t.db.prisma.appUser.findUniqueOrThrow({ where: { id: user.actor.userId } });
    expect(row.passwordHash).toMatch(/^pbkdf2-sha256\$600000\$/);
    // Neither the link nor the password nor the hash is in the audit trail.
    const events = auditText(await t.db.prisma.auditEvent.findMany({ where: { recordId: user.actor.userId } }));
    expect(events).toContain('user.issue_password_setup');
    expect(events).toContain('user.set_password');
    for (const secret of [secretOf(issued.link), PASSWORD, row.passwordHash!]) expect(events).not.toContain(secret);
  });

  it('a new link replaces the older one; an expired link is refused', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'finance');
    const first = await issuePasswordSetup({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId, username: `finance.${++counter}` } });
    const second = await issuePasswordSetup({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId } });
    expect(await passwordSetupIsUsable({ db: t.db.prisma, secret: secretOf(first.link) })).toBeNull();
    expect(await passwordSetupIsUsable({ db: t.db.prisma, secret: secretOf(second.link) })).not.toBeNull();
    const later = new Date(Date.parse(second.expiresAt) + 1);
    await expect(
      setPasswordWithLink({ db: t.db.prisma, input: { secret: secretOf(second.link), password: PASSWORD, confirmation: PASSWORD }, now: later }),
    ).rejects.toBeInstanceOf(RuleViolationError);
  });

  it('bad input: a weak password, two entries that differ, a user name of the wrong form, one that is taken', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'caseworker');
    const issued = await issuePasswordSetup({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId, username: `case.${++counter}` } });
    const set = (password: string, confirmation = password) =>
      setPasswordWithLink({ db: t.db.prisma, input: { secret: secretOf(issued.link), password, confirmation } });
    await expect(set('short')).rejects.toMatchObject({ fields: [{ path: 'password', message: expect.stringContaining('至少12个字符') }] });
    await expect(set(PASSWORD, `${PASSWORD}x`)).rejects.toMatchObject({ fields: [{ path: 'confirmation' }] });
    await expect(issuePasswordSetup({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId, username: '王芳' } })).rejects.toBeInstanceOf(
      ValidationError,
    );
    const other = await makeUser(t.db.prisma, t.world.department, 'caseworker');
    await expect(issuePasswordSetup({ ctx: t.world.users.admin.ctx, input: { userId: other.actor.userId, username: issued.username } })).rejects.toBeInstanceOf(
      ConflictError,
    );
    // The refused attempts left the link usable.
    expect(await passwordSetupIsUsable({ db: t.db.prisma, secret: secretOf(issued.link) })).not.toBeNull();
  });

  it('only admins issue links, and only for users of their own organisation (another answers 404)', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'caseworker');
    await expect(
      issuePasswordSetup({ ctx: t.world.users.approver.ctx, input: { userId: user.actor.userId, username: `x.${++counter}` } }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const foreignAdmin = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs'), 'admin');
    await expect(issuePasswordSetup({ ctx: foreignAdmin.ctx, input: { userId: user.actor.userId, username: `y.${++counter}` } })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('sign-in and sessions', () => {
  it('signs in with the right password: a session whose actor is the user’s, with a CSRF token; audited', async () => {
    const { user, username } = await personWithPassword('approver');
    const signed = await signIn({ db: t.db.prisma, input: { username: username.toUpperCase(), password: PASSWORD, userAgent: 'Mozilla/5.0 test' } });
    expect(signed.actor).toEqual(user.actor);
    expect(signed.secret).toMatch(/^ss_/);
    expect(signed.csrfToken.length).toBeGreaterThanOrEqual(43);
    const resumed = await resumeSession({ db: t.db.prisma, secret: signed.secret });
    expect(resumed).toMatchObject({ actor: user.actor, sessionId: signed.session.id, csrfToken: signed.csrfToken, username });
    const stored = await t.db.prisma.webSession.findUniqueOrThrow({ where: { id: signed.session.id } });
    expect(stored.secretHash).not.toContain(signed.secret);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'session.sign_in', recordId: signed.session.id } })).toBe(1);
  });

  it('a wrong password, an unknown user and a user without a password all get the same neutral refusal, each audited without what was typed', async () => {
    const { username } = await personWithPassword();
    const noPassword = await makeUser(t.db.prisma, t.world.department, 'caseworker');
    await t.db.prisma.appUser.update({ where: { id: noPassword.actor.userId }, data: { username: `nopass.${++counter}` } });
    const attempts = [
      { username, password: 'wrong password 123' },
      { username: 'nobody.here', password: PASSWORD },
      { username: `nopass.${counter}`, password: PASSWORD },
      { username: PASSWORD, password: PASSWORD },
    ];
    for (const input of attempts) {
      const error = await signIn({ db: t.db.prisma, input }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SignInFailed);
      expect(error).toMatchObject({ code: 'sign_in_failed', message: 'The user name or password is not correct.', messageZh: '用户名或密码不正确' });
    }
    const failures = await t.db.prisma.auditEvent.findMany({ where: { action: 'session.sign_in_failed' }, orderBy: { id: 'desc' }, take: 4 });
    expect(failures.map((f) => (f.after as { reason: string }).reason).sort()).toEqual(['no_password_set', 'unknown_user', 'unknown_user', 'wrong_password']);
    expect(failures.filter((f) => f.actorId === UNKNOWN_ACTOR)).toHaveLength(2);
    expect(auditText(failures)).not.toContain(PASSWORD);
    expect(auditText(failures)).not.toContain('nobody.here');
  });

  it('a session ends after 30 minutes without a request, and 12 hours after sign-in whatever the activity', async () => {
    const { username } = await personWithPassword();
    const start = new Date('2026-11-26T01:00:00Z');
    const signed = await signIn({ db: t.db.prisma, input: { username, password: PASSWORD }, now: start });
    const at = (ms: number) => new Date(start.getTime() + ms);
    expect(await resumeSession({ db: t.db.prisma, secret: signed.secret, now: at(SESSION_IDLE_MS - 1000) })).not.toBeNull();
    // Active every 20 minutes: alive until the absolute limit.
    for (let ms = 20 * 60_000; ms < SESSION_LIFETIME_MS; ms += 20 * 60_000) {
      expect(await resumeSession({ db: t.db.prisma, secret: signed.secret, now: at(ms) }), `at ${ms / 60_000} min`).not.toBeNull();
    }
    expect(await resumeSession({ db: t.db.prisma, secret: signed.secret, now: at(SESSION_LIFETIME_MS) })).toBeNull();
    const idle = await signIn({ db: t.db.prisma, input: { username, password: PASSWORD }, now: start });
    expect(await resumeSession({ db: t.db.prisma, secret: idle.secret, now: at(SESSION_IDLE_MS + 1000) })).toBeNull();
  });

  it('sign-out ends the session (audited); another user cannot end it; changing the password ends every session', async () => {
    const { user, username } = await personWithPassword('finance');
    const a = await signIn({ db: t.db.prisma, input: { username, password: PASSWORD } });
    const b = await signIn({ db: t.db.prisma, input: { username, password: PASSWORD } });
    expect((await listOwnSessions({ ctx: user.ctx, currentSessionId: a.session.id })).map((s) => [s.id, s.current])).toEqual(
      expect.arrayContaining([
        [a.session.id, true],
        [b.session.id, false],
      ]),
    );
    await expect(endSession({ ctx: t.world.users.finance.ctx, input: { sessionId: a.session.id } })).rejects.toBeInstanceOf(NotFoundError);
    await endSession({ ctx: user.ctx, input: { sessionId: a.session.id } });
    expect(await resumeSession({ db: t.db.prisma, secret: a.secret })).toBeNull();
    expect(await resumeSession({ db: t.db.prisma, secret: b.secret })).not.toBeNull();
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'session.sign_out', recordId: a.session.id } })).toBe(1);

    await expect(
      changePassword({
        ctx: user.ctx,
        input: { currentPassword: 'not the password', password: '新的密码 new one 2027', confirmation: '新的密码 new one 2027' },
      }),
    ).rejects.toMatchObject({
      fields: [{ path: 'currentPassword' }],
    });
    await changePassword({ ctx: user.ctx, input: { currentPassword: PASSWORD, password: '新的密码 new one 2027', confirmation: '新的密码 new one 2027' } });
    expect(await resumeSession({ db: t.db.prisma, secret: b.secret })).toBeNull();
    await expect(signIn({ db: t.db.prisma, input: { username, password: PASSWORD } })).rejects.toBeInstanceOf(SignInFailed);
    await expect(signIn({ db: t.db.prisma, input: { username, password: '新的密码 new one 2027' } })).resolves.toMatchObject({ actor: user.actor });
  });

  it('a cookie that is not a session, or a forged one, resumes nothing', async () => {
    for (const secret of ['', 'ss_', 'ss_forged-value-that-was-never-issued', 'sl_a-token-is-not-a-session', 'x'.repeat(500)]) {
      expect(await resumeSession({ db: t.db.prisma, secret })).toBeNull();
    }
  });

  it('the database refuses a user name of the wrong form and a password hash of another scheme', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'caseworker');
    await expect(t.db.prisma.appUser.update({ where: { id: user.actor.userId }, data: { username: 'Has Space' } })).rejects.toThrow(/app_user_username_form/);
    await expect(t.db.prisma.appUser.update({ where: { id: user.actor.userId }, data: { passwordHash: 'plain-text' } })).rejects.toThrow(
      /app_user_password_hash_form/,
    );
  });
});
