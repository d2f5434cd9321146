// The approver's queue and decisions on a selection, as services: only the roles that decide read
// the queue; another department's proposals are not in it; document numbers are masked even for
// an approver (who may unmask a student elsewhere, for a stated purpose); a grant shows the rules of
// the eligibility it rests on; a selection is checked whole before anything is decided, a proposal
// named twice is decided once, and a refusal carries the refusing rule's details.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../../src/domain/errors.ts';
import { dateFromIso } from '../../src/domain/dates.ts';
import { decideProposals } from '../../src/services/approval-decisions.ts';
import { approvalItem, approvalQueue } from '../../src/services/approval-queue.ts';
import { proposeEligibility } from '../../src/services/eligibility.ts';
import { makeEligibleStudent } from '../support/eligibility-fixtures.ts';
import { makeOrganisation, makeProgramme, makeUser } from '../support/fixtures.ts';
import { GRANT_YEAR, fundProgramme, makeProposedGrant } from '../support/grants.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

async function fundedProgramme(amount: string) {
  const programme = await makeProgramme(t.world);
  await fundProgramme(t.world, programme.id, amount);
  return programme;
}

describe('approvalQueue and approvalItem', () => {
  it('a caseworker may not read the queue, nor one proposal as its decider', async () => {
    const programme = await fundedProgramme('5000.00');
    const { grant } = await makeProposedGrant(t.db.prisma, t.world, programme.id);
    await expect(approvalQueue({ ctx: t.world.users.caseworker.ctx, input: {} })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(approvalItem({ ctx: t.world.users.caseworker.ctx, input: { kind: 'grant', id: grant.id } })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('another department’s approver sees none of it: the queue leaves it out, the item is not found', async () => {
    const programme = await fundedProgramme('5000.00');
    const { grant } = await makeProposedGrant(t.db.prisma, t.world, programme.id);
    const outsider = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs'), 'approver');
    const queue = await approvalQueue({ ctx: outsider.ctx, input: {} });
    expect([...queue.eligibility!.items, ...queue.grants!.items]).toEqual([]);
    await expect(approvalItem({ ctx: outsider.ctx, input: { kind: 'grant', id: grant.id } })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('masks document numbers, names the proposer, and gives a grant the rules of its eligibility and the fund', async () => {
    const programme = await fundedProgramme('5000.00');
    const made = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
    await t.db.prisma.recognitionEvidence.create({
      data: {
        id: randomUUID(),
        recognitionId: made.recognition!.id,
        documentType: '残疾证',
        documentNumber: '63010219800101123411',
        issuer: '西宁市残联',
        issuedOn: dateFromIso('2016-05-01'),
      },
    });
    const item = await approvalItem({ ctx: t.world.users.approver.ctx, input: { kind: 'grant', id: made.grant.id } });
    expect(item.basis.recognition!.evidence).toEqual([
      { documentType: '残疾证', documentNumberMasked: '****************3411', issuer: '西宁市残联', issuedOn: '2016-05-01' },
    ]);
    expect(JSON.stringify(item)).not.toContain('63010219800101123411');
    expect(item.basis.proposer.id).toBe(t.world.users.caseworker.actor.userId);
    expect(item.basis.proposer.name).toMatch(/^caseworker-/);
    expect(item.basis.ruleResults.map((r) => r.rule)).toEqual(made.eligibility.ruleResults.map((r) => r.rule));
    expect(item.basis.uncommittedFund).toBe('5000.00');
  });

  it('narrows to one kind: the other is null', async () => {
    const queue = await approvalQueue({ ctx: t.world.users.approver.ctx, input: { kind: 'eligibility' } });
    expect(queue.grants).toBeNull();
    expect(queue.eligibility).not.toBeNull();
  });
});

describe('decideProposals', () => {
  it('checks the selection whole before deciding anything: a rejection needs a reason, a selection at least one item', async () => {
    const programme = await fundedProgramme('5000.00');
    const { grant } = await makeProposedGrant(t.db.prisma, t.world, programme.id);
    const ctx = t.world.users.approver.ctx;
    const audits = await t.db.prisma.auditEvent.count();
    await expect(decideProposals({ ctx, input: { decision: 'reject', items: [{ kind: 'grant', id: grant.id }] } })).rejects.toMatchObject({
      fields: [{ path: 'reason', message: 'state the reason' }],
    });
    const empty = await decideProposals({ ctx, input: { decision: 'approve', items: [] } }).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(ValidationError);
    expect((empty as ValidationError).fields).toEqual([{ path: 'items', message: 'choose at least one proposal' }]);
    expect(await t.db.prisma.auditEvent.count()).toBe(audits);
  });

  it('a role that does not decide is refused whole, and nothing is written', async () => {
    const programme = await fundedProgramme('5000.00');
    const { grant } = await makeProposedGrant(t.db.prisma, t.world, programme.id);
    await expect(
      decideProposals({ ctx: t.world.users.caseworker.ctx, input: { decision: 'approve', items: [{ kind: 'grant', id: grant.id }] } }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect((await t.db.prisma.grant.findUniqueOrThrow({ where: { id: grant.id } })).status).toBe('proposed');
  });

  it('decides a proposal named twice once; a refusal carries its rule’s details (the amount missing)', async () => {
    const programme = await fundedProgramme('5000.00');
    const first = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
    const second = await makeProposedGrant(t.db.prisma, t.world, programme.id, '3000.00');
    const outcomes = await decideProposals({
      ctx: t.world.users.approver.ctx,
      input: {
        decision: 'approve',
        items: [
          { kind: 'grant', id: first.grant.id },
          { kind: 'grant', id: first.grant.id },
          { kind: 'grant', id: second.grant.id },
        ],
      },
    });
    expect(outcomes.map((o) => [o.id, o.decided])).toEqual([
      [first.grant.id, true],
      [second.grant.id, false],
    ]);
    expect(outcomes[1]).toMatchObject({ code: 'insufficient_fund', details: { available: '1000.00', needed: '3000.00', missing: '2000.00' } });
    expect(await t.db.prisma.ledgerTransaction.count({ where: { programmeId: programme.id, kind: 'grant_approved' } })).toBe(1);
  });

  it('an eligibility proposed by the decider is refused by maker-checker and stays proposed', async () => {
    const programme = await fundedProgramme('5000.00');
    const maker = await makeUser(t.db.prisma, t.world.department, 'caseworker');
    const made = await makeEligibleStudent(t.db.prisma, { departmentId: t.world.department.id, caseworkerId: maker.actor.userId });
    const own = await proposeEligibility({ ctx: maker.ctx, input: { studentId: made.student.id, programmeId: programme.id, academicYear: GRANT_YEAR } });
    await t.db.prisma.appUser.update({ where: { id: maker.actor.userId }, data: { role: 'approver' } });
    const checker = { ...maker.ctx, actor: { ...maker.actor, role: 'approver' as const } };
    const [outcome] = await decideProposals({ ctx: checker, input: { decision: 'approve', items: [{ kind: 'eligibility', id: own.id }] } });
    expect(outcome).toMatchObject({ decided: false, code: 'maker_checker', item: { proposal: { id: own.id, status: 'proposed' } } });
  });
});
