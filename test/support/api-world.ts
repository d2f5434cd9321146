// A small world with one record of every kind the API names in its paths (a programme with money,
// a student with an approved grant in a sent and answered batch, a reconciliation run and job, a
// user with a token, an audit engagement), and the operations of the OpenAPI document with their
// paths filled in with those records' ids. As test/integration/route-matrix.test.ts builds its
// world, for the walks that need every path to reach a real record.
import { makeWaitingHandMatch } from './bank-line-matches.ts';
import { expect } from 'vitest';
import { todayInChina } from '../../src/domain/dates.ts';
import { approveGrant } from '../../src/services/grants.ts';
import { importBankResults } from '../../src/services/payouts/bank-results.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { camt054Text, chunksOf } from './bank-answers.ts';
import { type TestUser, makeEngagement, makeProgramme, makeUser } from './fixtures.ts';
import { GRANT_YEAR, fundProgramme, makeProposedGrant } from './grants.ts';
import { PROGRAMME_ACCOUNT, exportAndSendBatch } from './payouts.ts';
import { registerParticipation } from '../../src/services/participations.ts';
import { makeActivity, makeCoordinator } from './empowerment.ts';
import { makeReconciliationRun } from './reconciliation.ts';
import { JOBS, jobForm, waitForJob } from './reconciliation-jobs.ts';
import type { TestApp } from './test-app.ts';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** A JSON schema as the OpenAPI document writes it (the parts the walks read). */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: JsonSchema;
}

export interface Operation {
  /** `METHOD /api/v1/path`, as src/http/route-actions.ts keys it. */
  key: string;
  method: string;
  path: string;
  parameters: Parameter[];
  /** Request body schemas by content type. */
  bodies: Record<string, JsonSchema>;
  bodyRequired: boolean;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, JsonSchema>; parameters?: Record<string, Parameter> };
}

/** The app's own document and its operations. */
export async function openApiOperations(t: TestApp): Promise<{ document: OpenApiDocument; operations: Operation[] }> {
  const answer = await t.app.request('/openapi.json');
  expect(answer.status).toBe(200);
  const document = (await answer.json()) as OpenApiDocument;
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters = ((op.parameters ?? []) as (Parameter | { $ref: string })[]).map((p) =>
        '$ref' in p ? document.components.parameters![p.$ref.split('/').at(-1)!]! : p,
      );
      const content = (op.requestBody?.content ?? {}) as Record<string, { schema?: JsonSchema }>;
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters,
        bodies: Object.fromEntries(Object.entries(content).map(([type, c]) => [type, c.schema ?? {}])),
        bodyRequired: op.requestBody?.required === true,
      });
    }
  }
  return { document, operations };
}

/** A schema with its `$ref` followed. */
export function resolveSchema(document: OpenApiDocument, schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 10; hops++) current = document.components.schemas[current.$ref.split('/').at(-1)!] ?? {};
  return current;
}

export interface ApiWorld {
  /** Values of named path parameters ({programmeId}, {academicYear}…). */
  params: Record<string, string>;
  /** The value of `{id}` by the collection it follows (`/grants/{id}` → the grant's id). */
  idFor: Record<string, string>;
  /** Real ids for body and query fields that name a record, by field name (`remitterId`, `studentIds`…). */
  fieldIds: Record<string, string>;
  /** The foundation's coordinator, who made the activity the world's student is registered for. */
  coordinator: TestUser;
}

/**
 * Builds the world in `t`'s database: a programme with a payout account and money, a student with an
 * approved grant whose instalment is in a sent batch the bank answered, a reconciliation run and a
 * finished job, a caseworker with a token of its own (revoking it harms no caller) and a spare
 * engagement (ending it leaves the world's auditor its open engagement on all programmes).
 */
export async function makeApiWorld(t: TestApp): Promise<ApiWorld> {
  const programme = await makeProgramme(t.world, {
    payoutAccount: { accountNumber: PROGRAMME_ACCOUNT, accountName: '青海省民政厅', bankName: '中国建设银行西宁城西支行' },
  });
  const receipt = await fundProgramme(t.world, programme.id, '20000.00');
  const made = await makeProposedGrant(t.db.prisma, t.world, programme.id, '4000.00');
  const grant = await approveGrant({ ctx: t.world.users.approver.ctx, input: { id: made.grant.id } });
  const batch = await createPayoutBatch({ ctx: t.world.users.finance.ctx, input: { programmeId: programme.id, cutoffOn: todayInChina() } });
  await exportAndSendBatch(t.world.users.finance.ctx, batch.id);
  const payout = await t.db.prisma.payout.findFirstOrThrow({ where: { batchId: batch.id } });
  const answer = await camt054Text({ messageId: 'API-WORLD-1', account: PROGRAMME_ACCOUNT }, [
    { reference: payout.reference, amount: payout.amount.toFixed(2), kind: 'debit' },
  ]);
  const bankResult = await importBankResults({
    ctx: t.world.users.finance.ctx,
    input: { programmeId: programme.id, content: chunksOf(answer), format: 'auto' },
  });
  // A line without a reference, kept as an exception, and a hand match of it waiting for a checker.
  const handMatch = await makeWaitingHandMatch(t.db.prisma, t.world, programme.id, { id: payout.id, amount: payout.amount.toFixed(2) });
  const reconciliationRun = await makeReconciliationRun(t.db.prisma, { programmeId: programme.id });
  const started = await t.as.auditor.post(JOBS, undefined, { form: jobForm({ checks: ['ledger'], programmeId: programme.id }) });
  const reconciliationJob = await waitForJob(t.as.auditor, started.json.id);
  const tokenHolder = await makeUser(t.db.prisma, t.world.department, 'caseworker');
  const holderToken = await t.db.prisma.apiToken.findFirstOrThrow({ where: { userId: tokenHolder.actor.userId } });
  const spareEngagement = await makeEngagement(t.db.prisma, { auditorOrganisationId: t.world.auditOffice.id, createdById: t.world.users.admin.actor.userId });
  const coordinator = await makeCoordinator(t.world, t.db.prisma);
  const activity = await makeActivity(coordinator, programme.id);
  const participation = await registerParticipation({
    ctx: coordinator.ctx,
    input: { activityId: activity.id, studentId: made.student.id, registeredOn: '2026-11-01' },
  });

  return {
    params: {
      programmeId: programme.id,
      receiptId: receipt.id,
      transactionId: receipt.ledgerTransaction.id,
      studentId: made.student.id,
      enrolmentId: made.enrolment.id,
      academicYear: GRANT_YEAR,
      activityId: activity.id,
      // A quarter over on the suite's business date (2026-11-26): its disclosure report answers.
      quarter: '2026Q3',
    },
    idFor: {
      organisations: t.world.department.id,
      programmes: programme.id,
      students: made.student.id,
      eligibility: made.eligibility.id,
      grants: grant.id,
      'payout-batches': batch.id,
      'bank-results': bankResult.import.id,
      instalments: payout.instalmentId,
      'reconciliation-runs': reconciliationRun.id,
      'reconciliation-jobs': reconciliationJob.id,
      users: tokenHolder.actor.userId,
      tokens: holderToken.id,
      'audit-engagements': spareEngagement.id,
      'bank-line-matches': handMatch.id,
      'empowerment-activities': activity.id,
      participations: participation.id,
    },
    fieldIds: {
      programmeId: programme.id,
      programmeIds: programme.id,
      studentId: made.student.id,
      studentIds: made.student.id,
      remitterId: t.world.foundation.id,
      funderId: t.world.foundation.id,
      administratorId: t.world.department.id,
      organisationId: t.world.department.id,
      auditorOrganisationId: t.world.auditOffice.id,
      instalmentIds: payout.instalmentId,
      batchId: batch.id,
      userId: tokenHolder.actor.userId,
      actorId: t.world.users.caseworker.actor.userId,
      recordId: grant.id,
      activityId: activity.id,
    },
    coordinator,
  };
}

/**
 * The path of an operation with each parameter filled: `{id}` by the collection it follows, others
 * by name; `override` gives a parameter's value as it goes into the URL (already encoded).
 */
export function concretePath(world: ApiWorld, path: string, override: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string, offset: number) => {
    if (name in override) return override[name]!;
    if (name === 'id') {
      const collection = path.slice(0, offset).split('/').filter(Boolean).at(-1)!;
      const value = world.idFor[collection];
      if (!value) throw new Error(`no value for {id} after /${collection} in ${path}`);
      return value;
    }
    const value = world.params[name];
    if (!value) throw new Error(`no value for path parameter {${name}} in ${path}`);
    return value;
  });
}
