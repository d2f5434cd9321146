// No input gives a 500 (issue 19): every operation of the OpenAPI document, sent malformed and
// boundary requests derived from its own schemas (test/support/fuzz-inputs.ts) by fast-check with a
// fixed seed, as each role the operation's action permits (so that the inputs reach the services,
// not only the 403), with the real ids of a small world (test/support/api-world.ts).
//
// For each request: never a 5xx; no log line with a stack trace or at level error; and a refused
// request (4xx) writes nothing — the row count of every table is the same before and after it.
// The seed is FUZZ_SEED mixed with the operation's key, so each operation's requests are the same
// from run to run and do not change when another operation is added.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, type Role } from '../../src/domain/roles.ts';
import { ROUTE_ACTIONS, type RouteAction } from '../../src/http/route-actions.ts';
import { type ApiWorld, type OpenApiDocument, type Operation, concretePath, makeApiWorld, openApiOperations } from '../support/api-world.ts';
import type { TestUser } from '../support/fixtures.ts';
import { type FuzzRequest, requestArbitrary } from '../support/fuzz-inputs.ts';
import { newKey } from '../support/http.ts';
import { waitForJob } from '../support/reconciliation-jobs.ts';
import { useTestApp } from '../support/test-app.ts';

/** Fixed, so that every run sends the same requests; FUZZ_SEED and FUZZ_RUNS explore further by hand. */
const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_219);
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 25);

/**
 * Tables a refused request may write by design: a refusal is kept under its Idempotency-Key so that
 * the same request sent again replays it (src/http/idempotency.ts). Migrations are not the API's.
 */
const WRITTEN_BY_REFUSALS = new Set(['idempotency_record', '_prisma_migrations']);

const t = useTestApp();
let document: OpenApiDocument;
let operations: Operation[];
let world: ApiWorld;
let tables: string[];

beforeAll(async () => {
  world = await makeApiWorld(t);
  ({ document, operations } = await openApiOperations(t));
  const rows = await t.db.prisma.$queryRawUnsafe<{ name: string }[]>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  tables = rows.map((r) => r.name).filter((name) => !WRITTEN_BY_REFUSALS.has(name));
  expect(tables).toEqual(expect.arrayContaining(['ledger_transaction', 'ledger_entry', 'audit_event', 'grant', 'payout', 'funding_receipt', 'student']));
});

/** Row counts of every table, in one statement. */
async function rowCounts(): Promise<Record<string, number>> {
  const select = tables.map((name) => `(SELECT count(*) FROM "${name}")::int AS "${name}"`).join(', ');
  const [row] = await t.db.prisma.$queryRawUnsafe<Record<string, number>[]>(`SELECT ${select}`);
  return row!;
}

/** The world's users by the roles an operation's action permits ('authenticated': every role). */
function callersOf(action: RouteAction): TestUser[] {
  const users = t.world.users;
  const byRole: Record<Role, TestUser> = {
    caseworker: users.caseworker,
    approver: users.approver,
    finance: users.finance,
    foundation_viewer: users.foundationViewer,
    coordinator: world.coordinator,
    auditor: users.auditor,
    admin: users.admin,
  };
  const roles = action === 'authenticated' ? (Object.keys(byRole) as Role[]) : (PERMISSIONS[action] as readonly Role[]);
  return roles.map((role) => byRole[role]);
}

/** A stable 32-bit number for an operation: its requests do not depend on the others'. */
function seedOf(key: string): number {
  let hash = FUZZ_SEED;
  for (const char of key) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

async function send(op: Operation, request: FuzzRequest, caller: TestUser, reusedKey: string) {
  const headers: Record<string, string> = { Authorization: `Bearer ${caller.token}` };
  const key = request.idempotencyKey === 'fresh' ? newKey() : request.idempotencyKey === 'reused' ? reusedKey : request.idempotencyKey;
  if (key !== 'none') headers['Idempotency-Key'] = key;
  if (request.contentType !== undefined && request.contentType !== '') headers['Content-Type'] = request.contentType;
  const query = request.query.map(([name, value]) => `${name}=${value}`).join('&');
  const url = concretePath(world, op.path, request.pathOverride) + (query ? `?${query}` : '');
  const response = await t.app.request(url, { method: op.method, headers, ...(request.body !== undefined ? { body: request.body } : {}) });
  return { status: response.status, text: await response.text(), url };
}

const statusCounts: Record<number, number> = {};
let sent = 0;

describe('the OpenAPI document fuzzed', () => {
  it(`answers every operation's malformed and boundary requests without a 5xx, a stack trace or a write by a refusal (seed ${FUZZ_SEED})`, {
    timeout: 15_000 * RUNS_PER_OPERATION,
  }, async () => {
    const failures: string[] = [];
    for (const op of operations) {
      const action = (ROUTE_ACTIONS as Record<string, RouteAction>)[op.key];
      if (!action) throw new Error(`${op.key} has no entry in src/http/route-actions.ts`);
      const reusedKey = `fuzz-reused-${newKey()}`;
      const property = fc.asyncProperty(requestArbitrary(document, world, op), fc.constantFrom(...callersOf(action)), async (request, caller) => {
        const before = await rowCounts();
        const logged = t.logs.lines.length;
        const { status, text, url } = await send(op, request, caller, reusedKey);
        sent++;
        statusCounts[status] = (statusCounts[status] ?? 0) + 1;
        const where = `${op.method} ${url.slice(0, 160)} as ${caller.actor.role} [${request.broken.join('; ')}]: ${status}`;
        // The log line of an unexpected error names its class and message: the cause, in the report.
        const traced = t.logs.lines.slice(logged).filter((line) => line.includes('"stack"') || line.includes('"level":"error"'));
        if (status >= 500) throw new Error(`${where} — server error ${text.slice(0, 300)} ${traced[0]?.slice(0, 600) ?? ''}`);
        if (traced.length > 0) throw new Error(`${where} — logged ${traced[0]!.slice(0, 600)}`);
        if (status >= 400) {
          const after = await rowCounts();
          const written = tables.filter((name) => after[name] !== before[name]).map((name) => `${name} ${before[name]} → ${after[name]}`);
          if (written.length > 0) throw new Error(`${where} — a refused request wrote ${written.join(', ')}`);
        }
        // A reconciliation started runs in the background: let it end, so that its writes are not
        // taken for those of the next request.
        if (status === 202 && op.key === 'POST /api/v1/reconciliation-runs') await waitForJob(t.as.auditor, JSON.parse(text).id);
      });
      const details = await fc.check(property, {
        seed: seedOf(op.key),
        numRuns: op.parameters.some((p) => p.in !== 'header') || Object.keys(op.bodies).length > 0 ? RUNS_PER_OPERATION : 3,
        endOnFailure: true,
      });
      if (details.failed)
        failures.push(
          `${op.key} (seed ${details.seed}, path ${details.counterexamplePath}): ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
        );
    }
    console.log(`openapi fuzz: ${sent} requests over ${operations.length} operations (seed ${FUZZ_SEED}); statuses ${JSON.stringify(statusCounts)}`);
    expect(failures).toEqual([]);
  });
});
