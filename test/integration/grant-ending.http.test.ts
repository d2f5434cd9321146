// Ending grants through the HTTP endpoints that cause it: enrolment graduated or
// withdrawn, eligibility revoked, enrolment suspended and resumed. Checks the instalments, the
// grant, the ledger transaction's entries, the balances, the audit events, and the database's own
// backstops (migration *_grant_ending).
//
// Payouts come later: an instalment is "sent" here by setting its status (an allowed
// transition, scheduled → sent) and posting Dr payable / Cr in_transit, as a payout batch will.
import { describe, expect, it } from 'vitest';
import { todayInChina } from '../../src/domain/dates.ts';
import { postings } from '../../src/domain/ledger-postings.ts';
import { formatMoney, money } from '../../src/domain/money.ts';
import { programmeBalances } from '../../src/ledger/balances.ts';
import { postTransaction } from '../../src/ledger/journal.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { approveGrant } from '../../src/services/grants.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { makeProgramme } from '../support/fixtures.ts';
import { fundProgramme, makeProposedGrant } from '../support/grants.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

const TODAY = todayInChina();

/** A fresh quarterly programme holding 10,000.00, and an approved 4,000.00 grant in it. */
async function approvedGrant(plan: 'quarterly' | 'semesters' = 'quarterly') {
  const programme = await makeProgramme(t.world, { instalmentPlan: plan });
  await fundProgramme(t.world, programme.id, '10000.00');
  const made = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
  const grant = await approveGrant({ ctx: t.world.users.approver.ctx, input: { id: made.grant.id } });
  return { ...made, programme, grant };
}

/** What a payout batch will do: the instalment is sent, Dr payable:<grant> / Cr in_transit. */
async function markSent(programme: ProgrammeView, grantId: string, sequence: number) {
  const inst = await t.db.prisma.instalment.update({ where: { grantId_sequence: { grantId, sequence } }, data: { status: 'sent' } });
  await t.db.prisma.$transaction((tx) =>
    postTransaction(tx, {
      programmeId: programme.id,
      kind: 'payout_sent',
      eventDate: TODAY,
      description: 'test payout',
      sourceType: 'instalment',
      sourceId: inst.id,
      actorId: t.world.users.finance.actor.userId,
      postings: postings.payoutSent(grantId, money(inst.amount.toString())),
    }),
  );
}

const balances = async (programmeId: string) => {
  const b = (await programmeBalances(t.db.prisma, [programmeId])).get(programmeId)!;
  return { fund: formatMoney(b.fund), payable: formatMoney(b.payable), inTransit: formatMoney(b.inTransit), bank: formatMoney(b.bank) };
};

const changeStatus = (
  s: { student: { id: string }; enrolment: { id: string } },
  status: string,
  reason = '状态变更测试',
  effectiveOn = TODAY,
  token = t.world.users.caseworker.token,
) => t.as(token).post(`/api/v1/students/${s.student.id}/enrolments/${s.enrolment.id}/status`, { status, effectiveOn, reason });
const revoke = (eligibilityId: string, reason = '经核查不再符合条件', effectiveOn = TODAY, token = t.world.users.approver.token) =>
  t.as(token).post(`/api/v1/eligibility/${eligibilityId}/revocation`, { reason, effectiveOn });
const getGrant = async (id: string) => (await t.as.auditor.get(`/api/v1/grants/${id}`)).json;
const statuses = (grant: { instalments: { status: string }[] }) => grant.instalments.map((i) => i.status);

async function counts() {
  return {
    ledger: await t.db.prisma.ledgerTransaction.count(),
    audits: await t.db.prisma.auditEvent.count(),
    events: await t.db.prisma.enrolmentStatusEvent.count(),
  };
}

async function expectLedgerOk() {
  const v = await verifyLedger(t.db.prisma);
  expect(v.firstProblem).toBeNull();
  expect(v.ok).toBe(true);
}

async function endingTransaction(id: string) {
  return t.db.prisma.ledgerTransaction.findUniqueOrThrow({ where: { id }, include: { entries: { include: { account: true }, orderBy: { line: 'asc' } } } });
}

describe('enrolment ends: unsent instalments cancelled, remainder back to the fund', () => {
  it('graduation: sent instalment untouched, the rest cancelled, Dr payable / Cr fund for their sum, grant ended', async () => {
    const s = await approvedGrant();
    expect(s.grant.instalments.map((i) => i.amount)).toEqual(['1000.00', '1000.00', '1000.00', '1000.00']);
    await markSent(s.programme, s.grant.id, 1);
    expect(await balances(s.programme.id)).toEqual({ fund: '6000.00', payable: '3000.00', inTransit: '1000.00', bank: '10000.00' });

    const res = await changeStatus(s, 'graduated', '提前毕业 (graduated early)');
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('graduated');

    const grant = await getGrant(s.grant.id);
    expect(grant.status).toBe('ended');
    expect(grant.ending).toMatchObject({ endedOn: TODAY, reason: 'enrolment ended (graduated): 提前毕业 (graduated early)' });
    expect(statuses(grant)).toEqual(['sent', 'cancelled', 'cancelled', 'cancelled']);
    expect(grant.instalments[0]).toMatchObject({ status: 'sent', statusReason: null, statusEffectiveOn: null });
    for (const i of grant.instalments.slice(1)) expect(i).toMatchObject({ statusReason: grant.ending.reason, statusEffectiveOn: TODAY });
    // Amounts never change; the plan still adds up to the grant.
    expect(grant.instalments.map((i: { amount: string }) => i.amount)).toEqual(['1000.00', '1000.00', '1000.00', '1000.00']);

    const tx = await endingTransaction(grant.ending.ledgerTransactionId);
    expect(tx).toMatchObject({ kind: 'remainder_cancelled', sourceType: 'grant', sourceId: s.grant.id, programmeId: s.programme.id });
    expect(tx.entries.map((e) => [e.direction, e.account.code, e.amount.toString()])).toEqual([
      ['debit', `payable:${s.grant.id}`, '3000'],
      ['credit', 'fund', '3000'],
    ]);
    expect(tx.description).toContain(TODAY);
    expect(await balances(s.programme.id)).toEqual({ fund: '9000.00', payable: '0.00', inTransit: '1000.00', bank: '10000.00' });

    const audit = await t.db.prisma.auditEvent.findFirstOrThrow({ where: { recordId: s.grant.id, action: 'grant.end' } });
    expect(audit).toMatchObject({
      actorId: t.world.users.caseworker.actor.userId,
      before: { status: 'approved' },
      after: {
        status: 'ended',
        cause: 'enrolment_graduated',
        enrolmentId: s.enrolment.id,
        endedOn: TODAY,
        returnedToFund: '3000.00',
        ledgerTransactionId: tx.id,
      },
    });
    await expectLedgerOk();

    // Again: the enrolment rules refuse a second change, and nothing is written twice.
    const before = await counts();
    const again = await changeStatus(s, 'withdrawn');
    expect(again.status).toBe(422);
    expect(again.json.code).toBe('enrolment_ended');
    expect(await counts()).toEqual(before);
    expect(await balances(s.programme.id)).toEqual({ fund: '9000.00', payable: '0.00', inTransit: '1000.00', bank: '10000.00' });
  });

  it('withdrawal with nothing sent returns the whole grant; payable back to 0.00, fund to what it was', async () => {
    const s = await approvedGrant('semesters');
    const res = await changeStatus(s, 'withdrawn', '本人申请退学');
    expect(res.status).toBe(200);
    const grant = await getGrant(s.grant.id);
    expect(grant.status).toBe('ended');
    expect(statuses(grant)).toEqual(['cancelled', 'cancelled']);
    const tx = await endingTransaction(grant.ending.ledgerTransactionId);
    expect(tx.entries.map((e) => [e.direction, e.account.code, e.amount.toString()])).toEqual([
      ['debit', `payable:${s.grant.id}`, '4000'],
      ['credit', 'fund', '4000'],
    ]);
    expect(await balances(s.programme.id)).toEqual({ fund: '10000.00', payable: '0.00', inTransit: '0.00', bank: '10000.00' });
    await expectLedgerOk();
  });

  it('a grant with everything already sent ends without a ledger transaction (nothing to return)', async () => {
    const s = await approvedGrant('semesters');
    await markSent(s.programme, s.grant.id, 1);
    await markSent(s.programme, s.grant.id, 2);
    const ledgerBefore = await t.db.prisma.ledgerTransaction.count();
    expect((await changeStatus(s, 'graduated')).status).toBe(200);
    const grant = await getGrant(s.grant.id);
    expect(grant).toMatchObject({ status: 'ended', ending: { endedOn: TODAY, ledgerTransactionId: null } });
    expect(statuses(grant)).toEqual(['sent', 'sent']);
    expect(await t.db.prisma.ledgerTransaction.count()).toBe(ledgerBefore);
    expect(await balances(s.programme.id)).toEqual({ fund: '6000.00', payable: '0.00', inTransit: '4000.00', bank: '10000.00' });
    await expectLedgerOk();
  });

  it('leaves proposed grants and other students’ grants alone', async () => {
    const s = await approvedGrant();
    const otherStudent = await makeProposedGrant(t.db.prisma, t.world, s.programme.id, '3000.00');
    await approveGrant({ ctx: t.world.users.approver.ctx, input: { id: otherStudent.grant.id } });
    const programme2 = await makeProgramme(t.world);
    const proposedOnly = await makeProposedGrant(t.db.prisma, t.world, programme2.id, '3500.00');
    expect((await changeStatus(s, 'withdrawn')).status).toBe(200);
    expect((await changeStatus(proposedOnly, 'withdrawn')).status).toBe(200);
    expect((await getGrant(otherStudent.grant.id)).status).toBe('approved');
    expect(statuses(await getGrant(otherStudent.grant.id)).every((x) => x === 'scheduled')).toBe(true);
    expect(await getGrant(proposedOnly.grant.id)).toMatchObject({ status: 'proposed', ending: null, instalments: [] });
    await expectLedgerOk();
  });

  it('a refused status change (wrong role) writes nothing, grants included', async () => {
    const s = await approvedGrant();
    const before = await counts();
    const res = await changeStatus(s, 'withdrawn', '本人申请退学', TODAY, t.world.users.approver.token);
    expect(res.status).toBe(403);
    expect(await counts()).toEqual(before);
    expect((await getGrant(s.grant.id)).status).toBe('approved');
  });
});

describe('suspension holds, resumption releases', () => {
  it('suspended → held (sent untouched); enrolled again → scheduled; suspended again, then graduated → held ones cancelled', async () => {
    const s = await approvedGrant();
    await markSent(s.programme, s.grant.id, 1);

    expect((await changeStatus(s, 'suspended', '因病休学')).status).toBe(200);
    let grant = await getGrant(s.grant.id);
    expect(grant.status).toBe('approved');
    expect(statuses(grant)).toEqual(['sent', 'held', 'held', 'held']);
    expect(grant.instalments[1]).toMatchObject({ statusReason: 'enrolment suspended: 因病休学', statusEffectiveOn: TODAY });
    expect(await t.db.prisma.auditEvent.count({ where: { recordId: s.grant.id, action: 'grant.hold_instalments' } })).toBe(1);
    // Holding moves no money.
    expect(await balances(s.programme.id)).toEqual({ fund: '6000.00', payable: '3000.00', inTransit: '1000.00', bank: '10000.00' });

    expect((await changeStatus(s, 'enrolled', '复学')).status).toBe(200);
    grant = await getGrant(s.grant.id);
    expect(statuses(grant)).toEqual(['sent', 'scheduled', 'scheduled', 'scheduled']);
    expect(grant.instalments[1]).toMatchObject({ statusReason: 'enrolment resumed: 复学', statusEffectiveOn: TODAY });
    expect(await t.db.prisma.auditEvent.count({ where: { recordId: s.grant.id, action: 'grant.release_instalments' } })).toBe(1);

    await markSent(s.programme, s.grant.id, 2);
    expect((await changeStatus(s, 'suspended', '再次休学')).status).toBe(200);
    expect(statuses(await getGrant(s.grant.id))).toEqual(['sent', 'sent', 'held', 'held']);

    expect((await changeStatus(s, 'graduated', '休学期间完成论文，准予毕业')).status).toBe(200);
    grant = await getGrant(s.grant.id);
    expect(grant.status).toBe('ended');
    expect(statuses(grant)).toEqual(['sent', 'sent', 'cancelled', 'cancelled']);
    const tx = await endingTransaction(grant.ending.ledgerTransactionId);
    expect(tx.entries.map((e) => [e.direction, e.account.code, e.amount.toString()])).toEqual([
      ['debit', `payable:${s.grant.id}`, '2000'],
      ['credit', 'fund', '2000'],
    ]);
    expect(await balances(s.programme.id)).toEqual({ fund: '8000.00', payable: '0.00', inTransit: '2000.00', bank: '10000.00' });
    await expectLedgerOk();
  });
});

describe('eligibility revoked', () => {
  it('cancels what is not sent, returns it to the fund, ends the grant; a second revocation is refused and writes nothing', async () => {
    const s = await approvedGrant();
    await markSent(s.programme, s.grant.id, 1);
    const res = await revoke(s.eligibility.id, '经核查监护人已恢复抚养能力');
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('revoked');
    const grant = await getGrant(s.grant.id);
    expect(grant).toMatchObject({ status: 'ended', ending: { endedOn: TODAY, reason: 'eligibility revoked: 经核查监护人已恢复抚养能力' } });
    expect(statuses(grant)).toEqual(['sent', 'cancelled', 'cancelled', 'cancelled']);
    const tx = await endingTransaction(grant.ending.ledgerTransactionId);
    expect(tx.entries.map((e) => [e.direction, e.account.code, e.amount.toString()])).toEqual([
      ['debit', `payable:${s.grant.id}`, '3000'],
      ['credit', 'fund', '3000'],
    ]);
    expect(await balances(s.programme.id)).toEqual({ fund: '9000.00', payable: '0.00', inTransit: '1000.00', bank: '10000.00' });
    expect(await t.db.prisma.auditEvent.findFirstOrThrow({ where: { recordId: s.grant.id, action: 'grant.end' } })).toMatchObject({
      actorId: t.world.users.approver.actor.userId,
      after: { cause: 'eligibility_revoked', eligibilityId: s.eligibility.id, returnedToFund: '3000.00' },
    });
    await expectLedgerOk();

    const before = await counts();
    const again = await revoke(s.eligibility.id);
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('already_revoked');
    expect(await counts()).toEqual(before);
    // The enrolment ending afterwards finds no approved grant left: nothing more is posted.
    expect((await changeStatus(s, 'withdrawn')).status).toBe(200);
    expect((await counts()).ledger).toBe(before.ledger);
    await expectLedgerOk();
  });

  it('a held grant is cancelled by revocation too', async () => {
    const s = await approvedGrant('semesters');
    expect((await changeStatus(s, 'suspended', '因病休学')).status).toBe(200);
    expect((await revoke(s.eligibility.id)).status).toBe(200);
    const grant = await getGrant(s.grant.id);
    expect(grant.status).toBe('ended');
    expect(statuses(grant)).toEqual(['cancelled', 'cancelled']);
    expect(await balances(s.programme.id)).toMatchObject({ fund: '10000.00', payable: '0.00' });
    await expectLedgerOk();
  });
});

describe('the database keeps the rules whatever path writes', () => {
  it('refuses cancelling an instalment of a grant that has not ended, touching a sent or cancelled one, and an ended grant with open instalments', async () => {
    const s = await approvedGrant('semesters');
    await markSent(s.programme, s.grant.id, 1);
    const sql = (text: string) =>
      t.db.prisma.$executeRawUnsafe(text).then(
        () => null,
        (e: Error) => e.message,
      );
    expect(
      await sql(
        `UPDATE "instalment" SET "status" = 'cancelled', "status_reason" = 'x', "status_effective_on" = '${TODAY}' WHERE "grant_id" = '${s.grant.id}' AND "sequence" = 2`,
      ),
    ).toMatch(/instalment_status_transition/);
    expect(
      await sql(
        `UPDATE "instalment" SET "status" = 'held', "status_reason" = 'x', "status_effective_on" = '${TODAY}' WHERE "grant_id" = '${s.grant.id}' AND "sequence" = 1`,
      ),
    ).toMatch(/instalment_status_transition/);
    expect(await sql(`UPDATE "instalment" SET "status" = 'held' WHERE "grant_id" = '${s.grant.id}' AND "sequence" = 2`)).toMatch(/instalment_status_reason/);
    // Ended without cancelling or returning anything: refused at commit.
    expect(await sql(`UPDATE "grant" SET "status" = 'ended', "ended_on" = '${TODAY}', "end_reason" = 'x' WHERE "id" = '${s.grant.id}'`)).toMatch(
      /grant_ended_with_open_instalments/,
    );
    // Cancelled without the money going back: refused at commit.
    const both = await t.db.prisma
      .$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`UPDATE "grant" SET "status" = 'ended', "ended_on" = '${TODAY}', "end_reason" = 'x' WHERE "id" = '${s.grant.id}'`);
        await tx.$executeRawUnsafe(
          `UPDATE "instalment" SET "status" = 'cancelled', "status_reason" = 'x', "status_effective_on" = '${TODAY}' WHERE "grant_id" = '${s.grant.id}' AND "sequence" = 2`,
        );
      })
      .then(
        () => null,
        (e: Error) => e.message,
      );
    expect(both).toMatch(/grant_remainder_not_returned/);
    expect((await getGrant(s.grant.id)).status).toBe('approved');

    // Once ended properly, cancelled is final and how it ended never changes.
    expect((await changeStatus(s, 'withdrawn')).status).toBe(200);
    expect(await sql(`UPDATE "instalment" SET "status" = 'scheduled' WHERE "grant_id" = '${s.grant.id}' AND "sequence" = 2`)).toMatch(
      /instalment_status_transition/,
    );
    expect(await sql(`UPDATE "grant" SET "end_reason" = 'rewritten' WHERE "id" = '${s.grant.id}'`)).toMatch(/grant_end_locked/);
    expect(await sql(`UPDATE "grant" SET "status" = 'approved' WHERE "id" = '${s.grant.id}'`)).toMatch(/grant_status_transition|grant_end_complete/);
    await expectLedgerOk();
  });
});

describe('approval follows the enrolment as it is at approval time', () => {
  it('refuses to commit money once the enrolment has ended, and writes nothing', async () => {
    const programme = await makeProgramme(t.world);
    await fundProgramme(t.world, programme.id, '10000.00');
    const made = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
    expect((await changeStatus(made, 'withdrawn', '本人申请退学')).status).toBe(200);
    const before = await counts();
    const res = await t.as.approver.post(`/api/v1/grants/${made.grant.id}/approval`, {}, { idempotencyKey: crypto.randomUUID() });
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('enrolment_ended');
    expect(await counts()).toEqual(before);
    expect(await balances(programme.id)).toMatchObject({ fund: '10000.00', payable: '0.00' });
  });

  it('holds every instalment of a grant approved while the enrolment is suspended', async () => {
    const programme = await makeProgramme(t.world);
    await fundProgramme(t.world, programme.id, '10000.00');
    const made = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
    expect((await changeStatus(made, 'suspended', '因病休学')).status).toBe(200);
    const res = await t.as.approver.post(`/api/v1/grants/${made.grant.id}/approval`, {}, { idempotencyKey: crypto.randomUUID() });
    expect(res.status).toBe(200);
    expect(new Set(statuses(res.json))).toEqual(new Set(['held']));
    expect(await balances(programme.id)).toMatchObject({ fund: '6000.00', payable: '4000.00' });
    expect((await changeStatus(made, 'enrolled', '复学')).status).toBe(200);
    expect(new Set(statuses(await getGrant(made.grant.id)))).toEqual(new Set(['scheduled']));
  });
});
