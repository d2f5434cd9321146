// Why an instalment was held out of a batch, as the batch page says it: each reason the batch
// service records, in Chinese; the caseworker's own words kept as written.
import { describe, expect, it } from 'vitest';
import { heldReasonZh } from '../../src/web/finance-labels.ts';

describe('heldReasonZh', () => {
  it('says a suspension with the caseworker’s reason', () => {
    expect(heldReasonZh('enrolment suspended: 因病休学')).toBe('学生休学，该期暂缓：因病休学');
  });

  it('says a suspension already in force when the grant was approved', () => {
    expect(heldReasonZh('enrolment suspended (休学) when the grant was approved')).toBe('批准资助时学生正在休学');
  });

  it('says the eligibility and enrolment status that stop a payment', () => {
    expect(heldReasonZh('eligibility revoked')).toBe('资格认定状态为“已撤销”，不能发放');
    expect(heldReasonZh('enrolment withdrawn')).toBe('学籍状态为“退学”，不能发放');
    expect(heldReasonZh('enrolment unknown')).toBe('学籍状态为“未登记”，不能发放');
    expect(heldReasonZh('instalment held')).toBe('该期已暂缓发放');
  });

  it('keeps a reason it does not know as it was written', () => {
    expect(heldReasonZh('学校核查中')).toBe('学校核查中');
  });
});
