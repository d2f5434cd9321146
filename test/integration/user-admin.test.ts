// An admin changes a user's role, disables and enables them, sees and ends their sessions. Nobody
// locks themselves out; another organisation's users are "not found" to a department's admin; each
// change is audited once, and a disabled user can neither sign in nor use a session or a token.
import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, RuleViolationError, UnauthenticatedError, ValidationError } from '../../src/domain/errors.ts';
import { SignInFailed, resumeSession, signIn } from '../../src/services/sessions.ts';
import { authenticate } from '../../src/services/tokens.ts';
import { changeUserRole, endUserSession, listUserSessions, setUserDisabled } from '../../src/services/user-admin.ts';
import { makeOrganisation, makeUser } from '../support/fixtures.ts';
import { PASSWORD, givePassword } from '../support/page-browser.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

const audits = (recordId: string, action: string) => t.db.prisma.auditEvent.count({ where: { recordId, action } });

async function signedIn(userId: string) {
  const username = await givePassword(t.db.prisma, userId);
  return { username, session: await signIn({ db: t.db.prisma, input: { username, password: PASSWORD } }) };
}

describe('changing a role', () => {
  it('gives a user another role of their organisation, audited once; the same role again writes nothing', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'caseworker');
    const changed = await changeUserRole({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId, role: 'approver' } });
    expect(changed.role).toBe('approver');
    await changeUserRole({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId, role: 'approver' } });
    expect(await audits(user.actor.userId, 'user.change_role')).toBe(1);
    // The new role applies at the next request: the actor is read from the user.
    expect((await authenticate(t.db.prisma, user.token)).role).toBe('approver');
  });

  it('refuses a role the organisation cannot hold, naming the field', async () => {
    const viewer = await makeUser(t.db.prisma, t.world.foundation, 'foundation_viewer');
    await expect(changeUserRole({ ctx: t.world.users.admin.ctx, input: { userId: viewer.actor.userId, role: 'finance' } })).rejects.toMatchObject({
      fields: [{ path: 'role' }],
    });
    expect((await t.db.prisma.appUser.findUniqueOrThrow({ where: { id: viewer.actor.userId } })).role).toBe('foundation_viewer');
  });

  it('refuses an admin taking the admin role from themselves (self_lockout), and writes nothing', async () => {
    const admin = await makeUser(t.db.prisma, t.world.department, 'admin');
    const refused = changeUserRole({ ctx: admin.ctx, input: { userId: admin.actor.userId, role: 'caseworker' } });
    await expect(refused).rejects.toBeInstanceOf(RuleViolationError);
    await expect(refused).rejects.toMatchObject({ code: 'self_lockout' });
    expect((await t.db.prisma.appUser.findUniqueOrThrow({ where: { id: admin.actor.userId } })).role).toBe('admin');
    expect(await audits(admin.actor.userId, 'user.change_role')).toBe(0);
  });

  it('lets another admin take the admin role away', async () => {
    const admin = await makeUser(t.db.prisma, t.world.department, 'admin');
    const colleague = await makeUser(t.db.prisma, t.world.department, 'admin');
    expect((await changeUserRole({ ctx: colleague.ctx, input: { userId: admin.actor.userId, role: 'finance' } })).role).toBe('finance');
  });

  it('is "not found" for a department admin acting on another organisation’s user, and forbidden to other roles', async () => {
    const admin = await makeUser(t.db.prisma, t.world.department, 'admin');
    const other = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs'), 'caseworker');
    await expect(changeUserRole({ ctx: admin.ctx, input: { userId: other.actor.userId, role: 'approver' } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(setUserDisabled({ ctx: admin.ctx, input: { userId: other.actor.userId, disabled: true } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(listUserSessions({ ctx: admin.ctx, input: { userId: other.actor.userId } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(changeUserRole({ ctx: t.world.users.caseworker.ctx, input: { userId: other.actor.userId, role: 'approver' } })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect((await t.db.prisma.appUser.findUniqueOrThrow({ where: { id: other.actor.userId } })).role).toBe('caseworker');
  });
});

describe('disabling and enabling', () => {
  it('a disabled user’s sessions end, sign-in and tokens are refused; enabled again, both work', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'finance');
    const { username, session } = await signedIn(user.actor.userId);
    expect(await resumeSession({ db: t.db.prisma, secret: session.secret })).not.toBeNull();

    const disabled = await setUserDisabled({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId, disabled: true } });
    expect(disabled.disabledAt).not.toBeNull();
    expect(await resumeSession({ db: t.db.prisma, secret: session.secret })).toBeNull();
    await expect(signIn({ db: t.db.prisma, input: { username, password: PASSWORD } })).rejects.toBeInstanceOf(SignInFailed);
    await expect(authenticate(t.db.prisma, user.token)).rejects.toBeInstanceOf(UnauthenticatedError);
    // Disabling again changes nothing and is not audited twice.
    await setUserDisabled({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId, disabled: true } });
    expect(await audits(user.actor.userId, 'user.disable')).toBe(1);

    const enabled = await setUserDisabled({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId, disabled: false } });
    expect(enabled.disabledAt).toBeNull();
    expect((await authenticate(t.db.prisma, user.token)).userId).toBe(user.actor.userId);
    expect((await signIn({ db: t.db.prisma, input: { username, password: PASSWORD } })).actor.userId).toBe(user.actor.userId);
    expect(await audits(user.actor.userId, 'user.enable')).toBe(1);
  });

  it('refuses an admin disabling themselves (self_lockout): their session lives on', async () => {
    const admin = await makeUser(t.db.prisma, t.world.department, 'admin');
    const { session } = await signedIn(admin.actor.userId);
    await expect(setUserDisabled({ ctx: admin.ctx, input: { userId: admin.actor.userId, disabled: true } })).rejects.toMatchObject({ code: 'self_lockout' });
    expect((await t.db.prisma.appUser.findUniqueOrThrow({ where: { id: admin.actor.userId } })).disabledAt).toBeNull();
    expect(await resumeSession({ db: t.db.prisma, secret: session.secret })).not.toBeNull();
    expect(await audits(admin.actor.userId, 'user.disable')).toBe(0);
  });

  it('names a value that is not true or false', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'finance');
    await expect(
      setUserDisabled({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId, disabled: 'yes' as unknown as boolean } }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('a user’s sessions', () => {
  it('lists the live ones and ends one, audited once; the user’s other session lives on', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'approver');
    const { username, session: first } = await signedIn(user.actor.userId);
    const second = await signIn({ db: t.db.prisma, input: { username, password: PASSWORD } });
    const listed = await listUserSessions({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId } });
    expect(listed.map((s) => s.id).sort()).toEqual([first.session.id, second.session.id].sort());
    expect(JSON.stringify(listed)).not.toContain(first.secret);

    await endUserSession({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId, sessionId: first.session.id } });
    await endUserSession({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId, sessionId: first.session.id } });
    expect(await resumeSession({ db: t.db.prisma, secret: first.secret })).toBeNull();
    expect(await resumeSession({ db: t.db.prisma, secret: second.secret })).not.toBeNull();
    expect(await audits(first.session.id, 'session.revoke')).toBe(1);
  });

  it('a session of another user is "not found"', async () => {
    const user = await makeUser(t.db.prisma, t.world.department, 'approver');
    const other = await makeUser(t.db.prisma, t.world.department, 'approver');
    const { session } = await signedIn(other.actor.userId);
    await expect(endUserSession({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId, sessionId: session.session.id } })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await resumeSession({ db: t.db.prisma, secret: session.secret })).not.toBeNull();
  });
});
