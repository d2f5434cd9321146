import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type AccountKind, type AccountRef, accountCode, mustStayNonNegative, normalSide, parseAccountCode } from '../../src/domain/ledger-accounts.ts';
import { type Posting, balanceEffect, checkPostings, findShortfall, mirror, postings } from '../../src/domain/ledger-postings.ts';
import { type Money, money } from '../../src/domain/money.ts';

const GRANT = '0f8fad5b-d9cb-469f-a165-70867728950e';
const PAYABLE = `payable:${GRANT}`;

/** A posting list as plain data: [direction, account code, amount]. */
const shape = (entries: Posting[]) => entries.map((p) => [p.direction, accountCode(p.account), p.amount.toFixed(2)]);

const bank: AccountRef = { kind: 'bank' };
const fund: AccountRef = { kind: 'fund' };
const inTransit: AccountRef = { kind: 'in_transit' };
const payable: AccountRef = { kind: 'payable', grantId: GRANT };
const line = (account: AccountRef, direction: 'debit' | 'credit', amount: string): Posting => ({ account, direction, amount: money(amount) });

describe('posting templates (DESIGN.md §3)', () => {
  const amount = money('3500.00');
  it.each([
    ['funding received', postings.fundingReceived(amount), 'bank', 'fund'],
    ['grant approved', postings.grantApproved(GRANT, amount), 'fund', PAYABLE],
    ['payout sent', postings.payoutSent(GRANT, amount), PAYABLE, 'in_transit'],
    ['payout settled', postings.payoutSettled(amount), 'in_transit', 'bank'],
    ['payout failed or returned before it settled', postings.payoutFailed(GRANT, amount), 'in_transit', PAYABLE],
    ['payout returned after it settled', postings.payoutReturnedAfterSettlement(GRANT, amount), 'bank', PAYABLE],
    ['unpaid remainder cancelled', postings.remainderCancelled(GRANT, amount), PAYABLE, 'fund'],
  ])('%s: Dr %s / Cr %s', (_event, entries, debit, credit) => {
    expect(shape(entries)).toEqual([
      ['debit', debit, '3500.00'],
      ['credit', credit, '3500.00'],
    ]);
    expect(checkPostings(entries)).toBeNull();
  });

  it('names the grant in its payable account', () => {
    const other = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    expect(accountCode(postings.grantApproved(other, amount)[1]!.account)).toBe(`payable:${other}`);
  });

  it('every template balances for every fen amount', () => {
    const templates: ((m: Money) => Posting[])[] = [
      (m) => postings.fundingReceived(m),
      (m) => postings.grantApproved(GRANT, m),
      (m) => postings.payoutSent(GRANT, m),
      (m) => postings.payoutSettled(m),
      (m) => postings.payoutFailed(GRANT, m),
      (m) => postings.payoutReturnedAfterSettlement(GRANT, m),
      (m) => postings.remainderCancelled(GRANT, m),
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: templates.length - 1 }), fc.bigInt({ min: 1n, max: 99_999_999_999_999n }), (i, fen) => {
        const entries = templates[i]!(money(fen.toString()).dividedBy(100));
        expect(checkPostings(entries)).toBeNull();
        const debits = entries.filter((e) => e.direction === 'debit').reduce((s, e) => s.plus(e.amount), money(0));
        const credits = entries.filter((e) => e.direction === 'credit').reduce((s, e) => s.plus(e.amount), money(0));
        expect(debits.equals(credits)).toBe(true);
      }),
    );
  });
});

describe('mirror (corrections)', () => {
  it('swaps debit and credit and keeps accounts and amounts', () => {
    const original = postings.grantApproved(GRANT, money('1200.50'));
    expect(shape(mirror(original))).toEqual([
      ['credit', 'fund', '1200.50'],
      ['debit', PAYABLE, '1200.50'],
    ]);
    expect(checkPostings(mirror(original))).toBeNull();
  });

  it('does not modify the postings it mirrors', () => {
    const original = postings.fundingReceived(money('10'));
    mirror(original);
    expect(shape(original)).toEqual([
      ['debit', 'bank', '10.00'],
      ['credit', 'fund', '10.00'],
    ]);
  });

  const arbitraryPosting = fc.record({
    account: fc.oneof(
      fc.constant(bank),
      fc.constant(fund),
      fc.constant(inTransit),
      fc.uuid().map((grantId): AccountRef => ({ kind: 'payable', grantId })),
    ),
    direction: fc.constantFrom('debit' as const, 'credit' as const),
    amount: fc.bigInt({ min: 1n, max: 99_999_999_999_999n }).map((f) => money(f.toString()).dividedBy(100)),
  });

  it('mirror(mirror(x)) = x, and mirror flips every line', () => {
    fc.assert(
      fc.property(fc.array(arbitraryPosting, { maxLength: 8 }), (entries) => {
        const once = mirror(entries);
        expect(once.map((p) => p.direction)).toEqual(entries.map((p) => (p.direction === 'debit' ? 'credit' : 'debit')));
        expect(shape(mirror(once))).toEqual(shape(entries));
        expect(mirror(once).map((p) => p.account)).toEqual(entries.map((p) => p.account));
      }),
    );
  });

  it('the mirror of a balanced transaction is balanced, and together they net every account to zero', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 99_999_999_999_999n }), (fen) => {
        const original = postings.payoutSent(GRANT, money(fen.toString()).dividedBy(100));
        const correction = mirror(original);
        expect(checkPostings(correction)).toBeNull();
        const net = new Map<string, Money>();
        for (const p of [...original, ...correction]) {
          const code = accountCode(p.account);
          net.set(code, (net.get(code) ?? money(0)).plus(balanceEffect(p.account.kind, p.direction, p.amount)));
        }
        for (const value of net.values()) expect(value.isZero()).toBe(true);
      }),
    );
  });
});

describe('checkPostings', () => {
  it('accepts a balanced transaction of more than two lines', () => {
    expect(checkPostings([line(bank, 'debit', '100.00'), line(fund, 'credit', '60.00'), line(inTransit, 'credit', '40.00')])).toBeNull();
  });

  it('refuses fewer than two entries', () => {
    expect(checkPostings([])).toEqual({ code: 'too_few_entries' });
    expect(checkPostings([line(bank, 'debit', '1.00')])).toEqual({ code: 'too_few_entries' });
  });

  it.each(['0', '0.00', '-1.00'])('refuses an amount that is not positive (%s), naming the line', (amount) => {
    expect(checkPostings([line(bank, 'debit', '1.00'), line(fund, 'credit', amount)])).toEqual({ code: 'not_positive', line: 1 });
    expect(checkPostings([line(bank, 'debit', amount), line(fund, 'credit', '1.00')])).toEqual({ code: 'not_positive', line: 0 });
  });

  it('refuses a fraction of a fen, naming the line', () => {
    expect(checkPostings([line(bank, 'debit', '1.005'), line(fund, 'credit', '1.005')])).toEqual({ code: 'sub_fen', line: 0 });
    expect(checkPostings([line(bank, 'debit', '1.00'), line(fund, 'credit', '0.001'), line(inTransit, 'credit', '0.999')])).toEqual({
      code: 'sub_fen',
      line: 1,
    });
  });

  it('refuses unbalanced entries and reports both totals', () => {
    const problem = checkPostings([line(bank, 'debit', '100.00'), line(fund, 'credit', '99.99')]);
    expect(problem?.code).toBe('unbalanced');
    if (problem?.code !== 'unbalanced') return;
    expect(problem.debits.toFixed(2)).toBe('100.00');
    expect(problem.credits.toFixed(2)).toBe('99.99');
  });

  it('refuses a transaction with only debits', () => {
    expect(checkPostings([line(bank, 'debit', '1.00'), line(fund, 'debit', '1.00')])?.code).toBe('unbalanced');
  });

  it('refuses one fen of imbalance on large amounts (no float rounding)', () => {
    const problem = checkPostings([line(bank, 'debit', '999999999999.99'), line(fund, 'credit', '999999999999.98'), line(inTransit, 'credit', '0.02')]);
    expect(problem?.code).toBe('unbalanced');
    expect(checkPostings([line(bank, 'debit', '0.30'), line(fund, 'credit', '0.10'), line(inTransit, 'credit', '0.20')])).toBeNull();
  });

  it('refuses the same account twice in one transaction', () => {
    expect(checkPostings([line(bank, 'debit', '1.00'), line(bank, 'credit', '1.00')])).toEqual({ code: 'account_repeated', account: 'bank' });
    expect(checkPostings([line(payable, 'debit', '2.00'), line(fund, 'credit', '1.00'), line(payable, 'credit', '1.00')])).toEqual({
      code: 'account_repeated',
      account: PAYABLE,
    });
  });

  it('treats the payable accounts of two grants as different accounts', () => {
    const other: AccountRef = { kind: 'payable', grantId: '6ba7b810-9dad-11d1-80b4-00c04fd430c8' };
    expect(checkPostings([line(payable, 'debit', '1.00'), line(other, 'credit', '1.00')])).toBeNull();
  });
});

describe('accounts', () => {
  it('bank is debit-normal; fund, payable and in_transit are credit-normal', () => {
    expect(normalSide('bank')).toBe('debit');
    expect(normalSide('fund')).toBe('credit');
    expect(normalSide('payable')).toBe('credit');
    expect(normalSide('in_transit')).toBe('credit');
  });

  it('only bank may go below zero', () => {
    expect(mustStayNonNegative('bank')).toBe(false);
    for (const kind of ['fund', 'payable', 'in_transit'] as const) expect(mustStayNonNegative(kind)).toBe(true);
  });

  it('account codes round-trip', () => {
    for (const ref of [bank, fund, inTransit, payable]) expect(parseAccountCode(accountCode(ref))).toEqual(ref);
    expect(() => parseAccountCode('cash')).toThrow(/not an account code/);
  });
});

describe('balanceEffect', () => {
  it.each<[AccountKind, 'debit' | 'credit', string]>([
    ['bank', 'debit', '5.00'],
    ['bank', 'credit', '-5.00'],
    ['fund', 'credit', '5.00'],
    ['fund', 'debit', '-5.00'],
    ['payable', 'credit', '5.00'],
    ['payable', 'debit', '-5.00'],
    ['in_transit', 'credit', '5.00'],
    ['in_transit', 'debit', '-5.00'],
  ])('%s %s 5.00 moves the balance by %s', (kind, direction, expected) => {
    expect(balanceEffect(kind, direction, money('5.00')).toFixed(2)).toBe(expected);
  });
});

describe('findShortfall', () => {
  const balances = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([k, v]) => [k, money(v)]));

  it('lets bank go below zero', () => {
    expect(findShortfall(postings.payoutSettled(money('100')), balances({ in_transit: '100' }))).toBeNull();
    expect(findShortfall([line(bank, 'credit', '100'), line(fund, 'debit', '100')], balances({ fund: '100' }))).toBeNull();
  });

  it('refuses a grant beyond the fund', () => {
    expect(findShortfall(postings.grantApproved(GRANT, money('100.01')), balances({ fund: '100.00' }))).toEqual({
      account: 'fund',
      balance: money('100.00'),
      needed: money('100.01'),
    });
    expect(findShortfall(postings.grantApproved(GRANT, money('100.00')), balances({ fund: '100.00' }))).toBeNull();
  });

  it('treats an account without entries as zero', () => {
    expect(findShortfall(postings.grantApproved(GRANT, money('0.01')), new Map())).toMatchObject({ account: 'fund', balance: money(0) });
    expect(findShortfall(postings.fundingReceived(money('0.01')), new Map())).toBeNull();
  });

  it('refuses a payout beyond its grant (payable)', () => {
    expect(findShortfall(postings.payoutSent(GRANT, money('3500.01')), balances({ [PAYABLE]: '3500.00' }))).toMatchObject({ account: PAYABLE });
    expect(findShortfall(postings.payoutSent(GRANT, money('3500.00')), balances({ [PAYABLE]: '3500.00' }))).toBeNull();
  });

  it('refuses a settlement of what was not sent (in_transit)', () => {
    expect(findShortfall(postings.payoutSettled(money('1')), balances({ in_transit: '0.99' }))).toMatchObject({ account: 'in_transit' });
    expect(findShortfall(postings.payoutFailed(GRANT, money('1')), new Map())).toMatchObject({ account: 'in_transit' });
  });

  it('refuses a cancellation beyond the payable, and a reversal of a receipt already granted', () => {
    expect(findShortfall(postings.remainderCancelled(GRANT, money('10')), balances({ [PAYABLE]: '9.99' }))).toMatchObject({ account: PAYABLE });
    expect(findShortfall(mirror(postings.fundingReceived(money('300'))), balances({ bank: '300', fund: '299.99' }))).toMatchObject({ account: 'fund' });
  });

  it('is the same rule as "balance plus effect is not negative", for every account and amount', () => {
    const kinds: AccountRef[] = [bank, fund, inTransit, payable];
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.constantFrom('debit' as const, 'credit' as const),
        fc.bigInt({ min: 0n, max: 1_000_000n }),
        fc.bigInt({ min: 1n, max: 1_000_000n }),
        (account, direction, balanceFen, amountFen) => {
          const balance = money(balanceFen.toString()).dividedBy(100);
          const amount = money(amountFen.toString()).dividedBy(100);
          const counter: AccountRef = account.kind === 'bank' ? fund : bank;
          const entries = [line(account, direction, amount.toFixed(2)), line(counter, direction === 'debit' ? 'credit' : 'debit', amount.toFixed(2))];
          // Give the counter account plenty, so only the first line can fall short.
          const result = findShortfall(
            entries,
            new Map([
              [accountCode(account), balance],
              [accountCode(counter), money('1e12')],
            ]),
          );
          const after = balance.plus(balanceEffect(account.kind, direction, amount));
          const expectShortfall = account.kind !== 'bank' && after.isNegative();
          expect(result === null ? null : result.account).toBe(expectShortfall ? accountCode(account) : null);
        },
      ),
    );
  });
});
