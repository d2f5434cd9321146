// Sign-in, passwords and user administration raced on a real PostgreSQL server (PGlite runs one
// transaction at a time and hides races). The password is derived (slowly) before the transaction
// that acts on it, so each of these use cases checks first and writes later; the user's row, held
// to commit, is what makes the write rest on what is still true (README, "Check-then-act"). Each test
// starts several calls on each of TRIES users at the same moment, all through CLIENTS connections.
import { describe, expect, it, vi } from 'vitest';
import { verifyPassword } from '../../src/domain/password-hash.ts';
import { verifyAuditTrail } from '../../src/services/audit-events.ts';
import { changePassword, createPerson, issuePasswordSetup } from '../../src/services/credentials.ts';
import { revokeToken } from '../../src/services/token-admin.ts';
import { endSession, signIn } from '../../src/services/sessions.ts';
import { changeUserRole, setUserDisabled } from '../../src/services/user-admin.ts';
import { makeUser, type TestUser } from '../support/fixtures.ts';
import { PASSWORD, givePassword } from '../support/page-browser.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';
import { outcomes, race } from './support/concurrency.ts';

// The derivation's cost is not what is raced: every password here is derived with the floor's
// iterations (the stored parameters travel with each hash, so verification follows), which keeps
// 250 derivations to well under a second instead of half a minute on two cores.
vi.mock(import('../../src/domain/password-hash.ts'), async (original) => {
  const real = await original();
  return { ...real, hashPassword: (password: string, iterations = 1_000) => real.hashPassword(password, iterations) };
});

const CLIENTS = 24;
const TRIES = 50;

/** Starts `racers` calls on every subject at the same moment; results grouped per subject, in subject order. */
async function raceOn<S>(subjects: S[], racers: number, call: (subject: S, racer: number) => Promise<unknown>) {
  const results = await race(subjects.length * racers, (i) => call(subjects[Math.floor(i / racers)]!, i % racers));
  return subjects.map((subject, s) => ({ subject, results: results.slice(s * racers, (s + 1) * racers) }));
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('sign-in, passwords and user administration, raced (PostgreSQL)', () => {
  const t = usePgTestDatabase(CLIENTS);

  async function users(count: number, role: 'caseworker' | 'approver' = 'caseworker'): Promise<TestUser[]> {
    const made = [];
    for (let i = 0; i < count; i++) made.push(await makeUser(t.db.prisma, t.world.department, role));
    return made;
  }

  async function expectTrailVerifies(): Promise<void> {
    expect((await verifyAuditTrail({ ctx: t.world.users.auditor.ctx })).ok).toBe(true);
  }

  it(`a sign-in with the password raced by two changes of it, ${TRIES} tries: one change wins, and no session signed in with the old password outlives it`, {
    timeout: 180_000,
  }, async () => {
    const people: { user: TestUser; username: string }[] = [];
    for (const user of await users(TRIES)) people.push({ user, username: await givePassword(t.db.prisma, user.actor.userId) });
    const newPassword = (racer: number) => `新的密码 new password ${racer}`;
    // The sign-in starts a little later in each try (0, 1 or 2 ms), so that in some tries it reads the
    // password before a change commits and writes its session after.
    const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const tries = await raceOn(people, 3, async (p, racer) =>
      racer === 0
        ? later(people.indexOf(p) % 3).then(() => signIn({ db: t.db.prisma, input: { username: p.username, password: PASSWORD } }))
        : changePassword({ ctx: p.user.ctx, input: { currentPassword: PASSWORD, password: newPassword(racer), confirmation: newPassword(racer) } }),
    );
    let signedIn = 0;
    let refused = 0;
    for (const { subject, results } of tries) {
      const [signing, ...changes] = results;
      outcomes([signing!], ['sign_in_failed']);
      if (signing!.status === 'fulfilled') signedIn++;
      else refused++;
      // Both changes gave the same current password; only one of them may find it still current.
      expect(outcomes(changes, ['invalid_request'])).toEqual({ ok: 1, refused: { invalid_request: 1 } });
      const winner = changes.findIndex((r) => r.status === 'fulfilled') + 1;
      const stored = await t.db.prisma.appUser.findUniqueOrThrow({ where: { id: subject.user.actor.userId } });
      expect(await verifyPassword(newPassword(winner), stored.passwordHash!)).toBe(true);
      // Signed in before the change: ended by it. After it: refused. Never a session left open.
      expect(await t.db.prisma.webSession.count({ where: { userId: subject.user.actor.userId, endedAt: null } })).toBe(0);
    }
    console.info(`[credential-races] sign-ins: ${signedIn} came before the change and were ended by it, ${refused} came after and were refused`);
    await expectTrailVerifies();
  });

  it(`one session signed out three times at once (three tabs), ${TRIES} tries: ended once, audited once`, { timeout: 120_000 }, async () => {
    const sessions = [];
    for (const user of await users(TRIES)) {
      const username = await givePassword(t.db.prisma, user.actor.userId);
      const signed = await signIn({ db: t.db.prisma, input: { username, password: PASSWORD } });
      sessions.push({ user, sessionId: signed.session.id });
    }
    const tries = await raceOn(sessions, 3, (s) => endSession({ ctx: s.user.ctx, input: { sessionId: s.sessionId } }));
    for (const { subject, results } of tries) {
      expect(outcomes(results, [])).toEqual({ ok: 3, refused: {} });
      expect(await t.db.prisma.auditEvent.count({ where: { action: 'session.sign_out', recordId: subject.sessionId } })).toBe(1);
      expect((await t.db.prisma.webSession.findUniqueOrThrow({ where: { id: subject.sessionId } })).endedAt).not.toBeNull();
    }
    await expectTrailVerifies();
  });

  it(`one user name given to three new people at once, ${TRIES} tries: one person, the others duplicate_username`, { timeout: 120_000 }, async () => {
    const names = Array.from({ length: TRIES }, (_, i) => `race.${Date.now().toString(36)}.${i}`);
    const tries = await raceOn(names, 3, (username, racer) =>
      createPerson({
        ctx: t.world.users.admin.ctx,
        input: { organisationId: t.world.department.id, displayName: `王芳 ${racer}`, role: 'caseworker', username },
      }),
    );
    for (const { subject, results } of tries) {
      expect(outcomes(results, ['duplicate_username'])).toEqual({ ok: 1, refused: { duplicate_username: 2 } });
      expect(await t.db.prisma.appUser.count({ where: { username: subject } })).toBe(1);
    }
    await expectTrailVerifies();
  });

  it(`one token revoked three times at once, ${TRIES} tries: revoked once, audited once`, { timeout: 120_000 }, async () => {
    const tokens = [];
    for (const user of await users(TRIES)) tokens.push(await t.db.prisma.apiToken.findFirstOrThrow({ where: { userId: user.actor.userId } }));
    const tries = await raceOn(tokens, 3, (token) => revokeToken({ ctx: t.world.users.admin.ctx, input: { id: token.id } }));
    for (const { subject, results } of tries) {
      expect(outcomes(results, [])).toEqual({ ok: 3, refused: {} });
      expect(results.filter((r) => r.status === 'fulfilled' && !(r.value as { alreadyRevoked: boolean }).alreadyRevoked)).toHaveLength(1);
      expect(await t.db.prisma.auditEvent.count({ where: { action: 'token.revoke', recordId: subject.id } })).toBe(1);
    }
    await expectTrailVerifies();
  });

  it(`three set-password links issued at once for one user, ${TRIES} tries: only one link stays usable`, { timeout: 120_000 }, async () => {
    const made = await users(TRIES);
    const tries = await raceOn(made, 3, (user) =>
      issuePasswordSetup({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId, username: `link.${user.actor.userId}` } }),
    );
    for (const { subject, results } of tries) {
      expect(outcomes(results, [])).toEqual({ ok: 3, refused: {} });
      const usable = await t.db.prisma.passwordSetup.count({ where: { userId: subject.actor.userId, usedAt: null, expiresAt: { gt: new Date() } } });
      expect(usable).toBe(1);
    }
    await expectTrailVerifies();
  });

  it(`two disables and two role changes of one user at once, ${TRIES} tries: disabled once, and each role change recorded against the role the last one left`, {
    timeout: 120_000,
  }, async () => {
    const made = await users(TRIES);
    const roleOf = (racer: number) => (racer === 2 ? 'approver' : 'finance');
    const tries = await raceOn(made, 4, (user, racer) =>
      racer < 2
        ? setUserDisabled({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId, disabled: true } })
        : changeUserRole({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId, role: roleOf(racer) } }),
    );
    for (const { subject, results } of tries) {
      expect(outcomes(results, [])).toEqual({ ok: 4, refused: {} });
      const events = await t.db.prisma.auditEvent.findMany({ where: { recordId: subject.actor.userId }, orderBy: { chain: { seq: 'asc' } } });
      expect(events.filter((e) => e.action === 'user.disable')).toHaveLength(1);
      const roleChanges = events.filter((e) => e.action === 'user.change_role');
      let role: string = 'caseworker';
      for (const e of roleChanges) {
        expect((e.before as { role: string }).role).toBe(role);
        role = (e.after as { role: string }).role;
      }
      const stored = await t.db.prisma.appUser.findUniqueOrThrow({ where: { id: subject.actor.userId } });
      expect(stored.role).toBe(role);
      expect(stored.disabledAt).not.toBeNull();
    }
    await expectTrailVerifies();
  });
});
