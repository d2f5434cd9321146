// A payee no bank file can carry is found when the batch is made, with a reason that names the
// field and never the value.
import { describe, expect, it } from 'vitest';
import { payeeHoldReason, payeeProblem } from '../../src/bank/outgoing/payee-check.ts';
import { heldReasonZh } from '../../src/web/finance-labels.ts';

const good = { name: '李明', account: '6217000012345678901', bankName: '中国建设银行西宁城中支行' };

describe('payeeProblem', () => {
  it('passes a payee every format carries, a GBK-less character included (pain.001 and UTF-8 carry it)', () => {
    expect(payeeProblem(good)).toBeNull();
    expect(payeeProblem({ ...good, name: '李䶮' })).toBeNull();
  });

  it('names the field and the problem, never the value', () => {
    const cases: [Partial<typeof good>, string, RegExp][] = [
      [{ name: '=HYPERLINK("x")' }, 'payeeName', /starts with =, \+, - or @/],
      [{ name: '李\u200b明' }, 'payeeName', /control, invisible or unpaired/],
      [{ name: ' 李明' }, 'payeeName', /white space/],
      [{ name: '' }, 'payeeName', /is empty/],
      [{ name: '李'.repeat(141) }, 'payeeName', /141 characters, at most 140/],
      [{ account: '6217 0000 1234' }, 'payeeAccount', /not 1-34 digits or letters/],
      [{ bankName: '@银行' }, 'payeeBank', /starts with =, \+, - or @/],
    ];
    for (const [change, field, says] of cases) {
      const problem = payeeProblem({ ...good, ...change });
      expect(problem?.field).toBe(field);
      expect(problem?.reason).toMatch(says);
      expect(problem?.reason).not.toContain('HYPERLINK');
      expect(problem?.reason).not.toContain('6217');
    }
  });

  it('gives a hold reason finance reads in Chinese', () => {
    const reason = payeeHoldReason(payeeProblem({ ...good, name: '+86李明' })!);
    expect(reason).toMatch(/^bank file cannot carry the payee: the payee's name starts with/);
    expect(heldReasonZh(reason)).toMatch(/^收款户名无法写入银行文件，请更正学生档案/);
    expect(heldReasonZh(payeeHoldReason(payeeProblem({ ...good, account: 'x y' })!))).toMatch(/^收款账号无法写入银行文件/);
  });
});
