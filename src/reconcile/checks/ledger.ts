// Check `ledger`: the journal is what DESIGN.md §3 says it must be.
// - balanced transactions, gapless sequence, hash chain from genesis, and no negative balance
//   ever: src/ledger/verify.ts recomputes every transaction from seq 1, recomputes each account's
//   running balance in sequence order, compares it with each entry's stored `balance_after`, and
//   reports a fund, payable or in-transit balance that goes below zero at any point in history;
// - balances as the service reports them (src/ledger/balances.ts `programmeBalances`, which reads
//   each account's newest `balance_after`) equal the balances summed from the entries themselves.
//
// The chain links transactions of every programme, so it is always verified whole. With
// `programmeId`, problems at transactions of other programmes are counted, not described: the
// report of one programme says the shared chain is broken without telling another programme's story.
import type { CheckResult, Exception, Figure } from '../check-types.ts';
import { type Money, ZERO, formatMoney, money } from '../../domain/money.ts';
import { programmeBalances, type ProgrammeBalances } from '../../ledger/balances.ts';
import { type VerificationProblem, verifyLedger } from '../../ledger/verify.ts';
import { type CheckOptions, type ReconcileDb, programmesInScope, silentProgress, sortExceptions } from './support.ts';

/** What a verifier problem is, as a stable code with its label. */
const PROBLEM_KINDS: { test: RegExp; code: string; label: string }[] = [
  { test: /^sequence gap/, code: 'sequence_gap', label: '序号缺失 (sequence gap)' },
  { test: /^sequence repeats/, code: 'sequence_repeated', label: '序号重复 (sequence repeated)' },
  { test: /^prev_hash does not match/, code: 'hash_chain_broken', label: '哈希链断开 (hash chain broken)' },
  { test: /^hash does not match/, code: 'hash_mismatch', label: '交易哈希不符 (transaction hash mismatch)' },
  { test: /^unbalanced|entries; at least two/, code: 'unbalanced_transaction', label: '借贷不平衡 (unbalanced transaction)' },
  { test: /running balance is/, code: 'running_balance_differs', label: '分录余额与重算不符 (running balance differs from recomputation)' },
  { test: /goes below zero/, code: 'negative_balance', label: '余额为负 (balance below zero)' },
];

const BALANCE_KINDS = [
  ['bank', '银行 (bank)'],
  ['fund', '基金 (fund)'],
  ['payable', '应付 (payable)'],
  ['inTransit', '在途 (in transit)'],
] as const satisfies readonly (readonly [keyof ProgrammeBalances, string])[];

/** The verifier keeps at most this many problems (src/ledger/verify.ts MAX_PROBLEMS). */
const VERIFIER_PROBLEM_LIMIT = 100;

function classify(problem: VerificationProblem): Exception {
  const kind = PROBLEM_KINDS.find((k) => k.test.test(problem.problem)) ?? { code: 'ledger_invariant', label: '账本规则不符 (ledger invariant broken)' };
  return { code: kind.code, message: `${kind.label}: seq ${problem.seq} — ${problem.problem}`, subject: { seq: Number(problem.seq) } };
}

interface RecomputedRow {
  programme_id: string;
  kind: 'bank' | 'fund' | 'payable' | 'in_transit';
  balance: string;
}

/** Each programme's balances by account kind, summed from every entry on the account's normal side. */
async function recomputedBalances(db: ReconcileDb, programmeIds: string[]): Promise<Map<string, ProgrammeBalances>> {
  const result = new Map<string, ProgrammeBalances>();
  for (const id of programmeIds) result.set(id, { bank: ZERO, fund: ZERO, inTransit: ZERO, payable: ZERO });
  if (programmeIds.length === 0) return result;
  const rows = await db.$queryRaw<RecomputedRow[]>`
    SELECT a."programme_id"::text AS programme_id, a."kind"::text AS kind,
           coalesce(sum(CASE WHEN (a."kind" = 'bank') = (e."direction" = 'debit') THEN e."amount" ELSE -e."amount" END), 0)::text AS balance
    FROM "ledger_account" a LEFT JOIN "ledger_entry" e ON e."account_id" = a."id"
    WHERE a."programme_id" = ANY(${programmeIds}::uuid[])
    GROUP BY a."programme_id", a."kind"`;
  for (const row of rows) {
    const b = result.get(row.programme_id);
    if (!b) continue;
    const value = money(row.balance);
    if (row.kind === 'bank') b.bank = value;
    else if (row.kind === 'fund') b.fund = value;
    else if (row.kind === 'in_transit') b.inTransit = value;
    else b.payable = value;
  }
  return result;
}

export async function runLedgerCheck(db: ReconcileDb, options: CheckOptions = {}): Promise<CheckResult> {
  const progress = options.progress ?? silentProgress;
  const total = await db.ledgerTransaction.count();
  progress.start('账本 ledger', total);
  let reported = 0;
  let verification;
  try {
    verification = await verifyLedger(db, (checked) => {
      progress.tick(checked - reported);
      reported = checked;
    });
  } finally {
    progress.stop();
  }

  const programmes = await programmesInScope(db, options.programmeId);
  const exceptions: Exception[] = [];

  // Chain problems: all of them for an all-programme run; for one programme, those at its own
  // transactions and those at sequence numbers no transaction holds (a gap names no programme).
  let elsewhere = 0;
  let problems = verification.problems;
  if (options.programmeId) {
    const seqs = [...new Set(problems.map((p) => p.seq))].filter((s) => /^\d+$/.test(s));
    const owners = seqs.length
      ? await db.$queryRaw<{ seq: bigint; programme_id: string }[]>`
          SELECT "seq", "programme_id"::text AS programme_id FROM "ledger_transaction" WHERE "seq" = ANY(${seqs}::bigint[])`
      : [];
    const ownerOf = new Map(owners.map((o) => [o.seq.toString(), o.programme_id]));
    problems = problems.filter((p) => {
      const owner = ownerOf.get(p.seq);
      const mine = owner === undefined || owner === options.programmeId;
      if (!mine) elsewhere++;
      return mine;
    });
  }
  for (const p of problems) exceptions.push(classify(p));
  if (elsewhere > 0) {
    exceptions.push({
      code: 'chain_broken_elsewhere',
      message: `共享账本链在其他项目的交易处有问题 (the shared chain has problems at other programmes' transactions): ${elsewhere}`,
      subject: { problems: elsewhere },
    });
  }
  if (verification.problems.length >= VERIFIER_PROBLEM_LIMIT) {
    exceptions.push({
      code: 'problems_not_all_listed',
      message: `核验器只列出前 ${VERIFIER_PROBLEM_LIMIT} 个问题 (the verifier lists the first ${VERIFIER_PROBLEM_LIMIT} problems only; later ones may follow from them)`,
      subject: { limit: VERIFIER_PROBLEM_LIMIT },
    });
  }

  // Balances: as the service reports them, against the entries summed.
  const ids = programmes.map((p) => p.id);
  const reportedBalances = await programmeBalances(db, ids);
  const recomputed = await recomputedBalances(db, ids);
  const rows: (string | number)[][] = [];
  for (const programme of programmes) {
    const service = reportedBalances.get(programme.id) as ProgrammeBalances;
    const fromEntries = recomputed.get(programme.id) as ProgrammeBalances;
    for (const [kind, label] of BALANCE_KINDS) {
      const a: Money = service[kind];
      const b: Money = fromEntries[kind];
      rows.push([programme.code, label, formatMoney(a), formatMoney(b), a.equals(b) ? '一致 (equal)' : '不符 (differs)']);
      if (!a.equals(b)) {
        exceptions.push({
          code: 'balance_differs',
          message: `服务报告的余额与分录重算不符 (balance reported by the service differs from the entries): ${programme.code} ${label} ${formatMoney(a)} ≠ ${formatMoney(b)}`,
          subject: { programme: programme.code, account: kind },
          amount: formatMoney(a.minus(b).abs()),
        });
      }
    }
  }

  const figures: Figure[] = [
    { key: 'transactions_checked', label: '已核验交易 (transactions checked)', value: verification.transactionsChecked },
    { key: 'entries_checked', label: '已核验分录 (entries checked)', value: verification.entriesChecked },
    { key: 'verified_head_seq', label: '核验至序号 (verified up to seq)', value: verification.head.seq },
    { key: 'verified_head_hash', label: '核验链头哈希 (verified head hash)', value: verification.head.hash },
    { key: 'chain_problems', label: '账本链问题 (chain problems found)', value: verification.problems.length },
    { key: 'programmes_checked', label: '核对余额的项目 (programmes whose balances were compared)', value: programmes.length },
  ];
  const sorted = sortExceptions(exceptions);
  return {
    check: 'ledger',
    status: sorted.length === 0 ? 'clean' : 'breaks',
    figures,
    exceptions: sorted,
    tables: [
      {
        title: '余额核对 (balances: as the service reports them vs. recomputed from entries)',
        columns: ['项目 (programme)', '账户 (account)', '服务报告 (service)', '分录重算 (recomputed)', '结果 (result)'],
        rows,
      },
    ],
  };
}
