// Malformed and boundary requests for one operation of the OpenAPI document, as fast-check
// arbitraries derived from the operation's own schemas: a plausible request (real ids of the
// world, the schema's examples) with one to three things broken — a path parameter, a query
// parameter, a body field (wrong type, boundary string, money and dates at their edges), a missing
// required field, the whole body, its JSON syntax, its content type or the Idempotency-Key.
// test/integration/openapi-fuzz.test.ts sends them; here they are only described.
import fc from 'fast-check';
import type { ApiWorld, JsonSchema, OpenApiDocument, Operation } from './api-world.ts';
import { resolveSchema } from './api-world.ts';
import { GRANT_YEAR } from './grants.ts';
import {
  MONEY_PATTERN,
  YEAR_PATTERN,
  UUID_OF_NOTHING,
  RawJson,
  BOUNDARY_STRINGS,
  WRONG_TYPES,
  MONEY_STRINGS,
  DATE_STRINGS,
  YEAR_STRINGS,
  UUID_STRINGS,
  NUMBER_VALUES,
  PATH_VALUES,
  QUERY_VALUES,
  MALFORMED_JSON,
  WRONG_CONTENT_TYPES,
  RAW_TEXT_BODIES,
} from './fuzz-values.ts';

/** A request as sent: path values and query pairs already percent-encoded, the body as text or a form. */
export interface FuzzRequest {
  pathOverride: Record<string, string>;
  query: [string, string][];
  contentType?: string;
  body?: string | FormData;
  /** 'fresh': a new key; 'reused': the same key for every request of the operation; else sent as is, or none. */
  idempotencyKey: 'fresh' | 'reused' | 'none' | string;
  /** What was broken, for the report. */
  broken: readonly string[];
}

/** Fields whose plausible value depends on another's: the example identity number is a woman's; a graduation follows an admission. */
const PLAUSIBLE_BY_NAME: Record<string, unknown> = { gender: 'female', admissionDate: '2026-09-01', expectedGraduation: '2030-06-30' };

/** The value a field would plausibly have: a real id of the world, the schema's example, a value in range. */
export function plausible(document: OpenApiDocument, world: ApiWorld, given: JsonSchema, name?: string, depth = 0): unknown {
  const schema = resolveSchema(document, given);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    const chosen = variants.map((v) => resolveSchema(document, v)).find((v) => v.type !== 'null') ?? {};
    return plausible(document, world, chosen, name, depth);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (schema.enum?.length) return schema.enum.includes(schema.example) ? schema.example : schema.enum[0];
  if (name && name in PLAUSIBLE_BY_NAME) return PLAUSIBLE_BY_NAME[name];
  if (type === 'array') {
    const item = plausible(document, world, schema.items ?? {}, name, depth + 1);
    return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => item);
  }
  if (type === 'object' || schema.properties) {
    if (depth > 4) return {};
    // The required fields, and the optional ones that name a record of the world.
    const required = new Set(schema.required ?? []);
    return Object.fromEntries(
      Object.entries(schema.properties ?? {})
        .filter(([key]) => required.has(key) || key in world.fieldIds)
        .map(([key, property]) => [key, plausible(document, world, property, key, depth + 1)]),
    );
  }
  if (type === 'integer' || type === 'number') return schema.minimum ?? 1;
  if (type === 'boolean') return false;
  if (schema.format === 'uuid') return (name && world.fieldIds[name]) ?? UUID_OF_NOTHING;
  if (schema.format === 'date') return '2026-09-01';
  if (schema.pattern === YEAR_PATTERN) return GRANT_YEAR;
  if (schema.pattern === MONEY_PATTERN) return '100.00';
  if (typeof schema.example === 'string') return schema.example;
  const text = '核对无误 checked by fuzz';
  return text.slice(0, schema.maxLength ?? text.length).padEnd(schema.minLength ?? 1, 'x');
}

/** The values that break or strain a field of this schema: its kind's edges, then wrong types. */
function hostileValues(document: OpenApiDocument, given: JsonSchema): unknown[] {
  const schema = resolveSchema(document, given);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  const own: unknown[] = [];
  if (schema.pattern === MONEY_PATTERN) own.push(...MONEY_STRINGS);
  if (schema.format === 'date') own.push(...DATE_STRINGS);
  if (schema.pattern === YEAR_PATTERN) own.push(...YEAR_STRINGS);
  if (schema.format === 'uuid') own.push(...UUID_STRINGS);
  if (type === 'integer' || type === 'number') own.push(...NUMBER_VALUES);
  if (schema.enum?.length) own.push(`${String(schema.enum[0])}\u0000`, String(schema.enum[0]).toUpperCase(), 'unknown');
  if (typeof schema.maxLength === 'number') own.push('y'.repeat(schema.maxLength + 1), '字'.repeat(schema.maxLength));
  if (type === 'array') own.push(Array.from({ length: (schema.maxItems ?? 10) + 1 }, () => 'x'));
  return [...own, ...BOUNDARY_STRINGS, ...WRONG_TYPES];
}

/** Every field of a body schema as a path (`bands.0.minAmount`), with its schema; nested three deep. */
function fieldsOf(document: OpenApiDocument, given: JsonSchema, prefix: string[] = [], depth = 0): { path: string[]; schema: JsonSchema; required: boolean }[] {
  const schema = resolveSchema(document, given);
  if (depth > 3) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([key, property]) => {
    const resolved = resolveSchema(document, property);
    const path = [...prefix, key];
    const inner =
      resolved.type === 'array' && resolved.items
        ? fieldsOf(document, resolved.items, [...path, '0'], depth + 1)
        : fieldsOf(document, resolved, path, depth + 1);
    return [{ path, schema: resolved, required: required.has(key) }, ...inner];
  });
}

/** A deep copy that keeps RawJson literals: the pools' arrays and objects are never changed by a request. */
function copyOf(value: unknown): unknown {
  if (value instanceof RawJson || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyOf);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copyOf(item)]));
}

function setAt(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node: any = target;
  for (const [i, key] of path.slice(0, -1).entries()) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = /^\d+$/.test(path[i + 1]!) ? [] : {};
    node = node[key];
  }
  node[path.at(-1)!] = copyOf(value);
}

function deleteAt(target: Record<string, unknown>, path: string[]): void {
  let node: any = target;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = node[key];
  }
  if (node !== null && typeof node === 'object') delete node[path.at(-1)!];
}

/** JSON text of a value holding RawJson literals. */
function jsonWithRaw(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_, v: unknown) => (v instanceof RawJson ? `__raw_${raws.push(v.text) - 1}__` : v));
  return text.replace(/"__raw_(\d+)__"/g, (_, i: string) => raws[Number(i)]!);
}

const short = (value: unknown): string => {
  const text = value instanceof RawJson ? value.text : typeof value === 'string' ? JSON.stringify(value) : jsonWithRaw(value);
  return text.length > 40 ? `${text.slice(0, 30)}…(${text.length} chars)` : text;
};

type Family = 'text' | 'money' | 'date' | 'year' | 'uuid' | 'number';

/** The kind of value a field holds, for changing every field of a kind at once; null for enums, objects, arrays. */
function familyOf(schema: JsonSchema): Family | null {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (schema.enum?.length || (type !== 'string' && type !== 'integer' && type !== 'number')) return null;
  if (type !== 'string') return 'number';
  if (schema.pattern === MONEY_PATTERN) return 'money';
  if (schema.format === 'date') return 'date';
  if (schema.pattern === YEAR_PATTERN) return 'year';
  if (schema.format === 'uuid') return 'uuid';
  return schema.format === undefined && schema.pattern === undefined ? 'text' : null;
}

/** Edge values by kind: one of them goes into every field of its kind, so that a field that lets it through is found in few runs. */
const FAMILY_VALUES: Record<Family, unknown[]> = {
  text: BOUNDARY_STRINGS,
  money: MONEY_STRINGS,
  date: DATE_STRINGS,
  year: YEAR_STRINGS,
  uuid: UUID_STRINGS,
  number: NUMBER_VALUES,
};

type BodyChange =
  | { kind: 'set'; path: string[]; value: unknown }
  | { kind: 'family'; family: Family; paths: string[][]; value: unknown }
  | { kind: 'drop'; path: string[] }
  | { kind: 'key'; key: string };

function jsonBodyArbitrary(document: OpenApiDocument, world: ApiWorld, schema: JsonSchema): fc.Arbitrary<Pick<FuzzRequest, 'contentType' | 'body' | 'broken'>> {
  const base = plausible(document, world, schema) as Record<string, unknown>;
  const fields = fieldsOf(document, schema);
  const changes: { weight: number; arbitrary: fc.Arbitrary<BodyChange> }[] = [
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('key' as const), key: fc.constantFrom('unknownField', '__proto__', 'constructor', 'x\u0000', '') }) },
  ];
  if (fields.length > 0) {
    changes.push({
      weight: 3,
      arbitrary: fc.constantFrom(...fields).chain((field) =>
        fc.record({
          kind: fc.constant('set' as const),
          path: fc.constant(field.path),
          value: fc.oneof(fc.constantFrom(...hostileValues(document, field.schema)), fc.constant(plausible(document, world, field.schema, field.path.at(-1)))),
        }),
      ),
    });
    const families = new Map<Family, string[][]>();
    for (const field of fields) {
      const family = familyOf(field.schema);
      if (family) families.set(family, [...(families.get(family) ?? []), field.path]);
    }
    if (families.size > 0) {
      const sameInEvery = (name: Family): fc.Arbitrary<BodyChange> =>
        fc.record({
          kind: fc.constant('family' as const),
          family: fc.constant(name),
          paths: fc.constant(families.get(name)!),
          value: fc.constantFrom(...FAMILY_VALUES[name]),
        });
      const family = fc.constantFrom(...families.keys()).chain(sameInEvery);
      changes.push({ weight: 4, arbitrary: family });
    }
    const required = fields.filter((f) => f.required);
    if (required.length > 0)
      changes.push({ weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), path: fc.constantFrom(...required.map((f) => f.path)) }) });
  }
  // Mostly one change, so that one refusal does not hide what another field would do.
  const lists = fc.oneof(
    { weight: 4, arbitrary: fc.oneof(...changes).map((change) => [change]) },
    { weight: 1, arbitrary: fc.array(fc.oneof(...changes), { minLength: 2, maxLength: 3 }) },
  );
  const changed = lists.map((list) => {
    const body = copyOf(base ?? {}) as Record<string, unknown>;
    const broken: string[] = [];
    for (const change of list) {
      if (change.kind === 'set') setAt(body, change.path, change.value);
      else if (change.kind === 'family') for (const path of change.paths) setAt(body, path, change.value);
      else if (change.kind === 'drop') deleteAt(body, change.path);
      else Object.defineProperty(body, change.key, { value: 'extra', enumerable: true, configurable: true, writable: true });
      broken.push(
        change.kind === 'set'
          ? `${change.path.join('.')}=${short(change.value)}`
          : change.kind === 'family'
            ? `every ${change.family} field (${change.paths.map((p) => p.join('.')).join(', ')})=${short(change.value)}`
            : change.kind === 'drop'
              ? `without ${change.path.join('.')}`
              : `extra key ${short(change.key)}`,
      );
    }
    return { contentType: 'application/json', body: jsonWithRaw(body), broken };
  });
  return fc.oneof(
    { weight: 8, arbitrary: changed },
    { weight: 1, arbitrary: fc.constant({ contentType: 'application/json', body: jsonWithRaw(base), broken: ['plausible body'] }) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(null, [], 'text', 0, true, [base])
        .map((whole) => ({ contentType: 'application/json', body: JSON.stringify(whole), broken: [`body=${short(whole)}`] })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...MALFORMED_JSON).map((text) => ({ contentType: 'application/json', body: text, broken: [`malformed JSON ${short(text)}`] })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...WRONG_CONTENT_TYPES)
        .map((type) => ({ contentType: type, body: jsonWithRaw(base), broken: [`Content-Type ${short(type)}`] })),
    },
  );
}

/** A multipart form with the declared fields, some hostile, files of hostile text. */
function formArbitrary(document: OpenApiDocument, world: ApiWorld, schema: JsonSchema): fc.Arbitrary<Pick<FuzzRequest, 'contentType' | 'body' | 'broken'>> {
  const resolved = resolveSchema(document, schema);
  const entries = Object.entries(resolved.properties ?? {}).map(([name, property]) => {
    const field = resolveSchema(document, property);
    const item = field.type === 'array' && field.items ? resolveSchema(document, field.items) : field;
    const isFile = item.format === 'binary';
    const values: fc.Arbitrary<string> = isFile
      ? fc.constantFrom(...RAW_TEXT_BODIES)
      : fc.oneof(
          fc.constant(String(plausible(document, world, item, name))),
          fc.constantFrom(...(item.enum ?? []).map(String), 'ledger,rules,bank', '', 'x\u0000', '\ud800', 'x'.repeat(3000), UUID_OF_NOTHING, 'not-a-uuid'),
        );
    return fc.option(
      fc.array(values, { minLength: 1, maxLength: 2 }).map((list) => ({ name, isFile, list })),
      { nil: undefined },
    );
  });
  const form = fc.tuple(...entries).map((chosen) => {
    const data = new FormData();
    const broken: string[] = [];
    for (const field of chosen) {
      if (!field) continue;
      for (const value of field.list) data.append(field.name, field.isFile ? new File([value], 'upload.txt') : value);
      broken.push(`${field.name}=${field.list.map(short).join('|')}`);
    }
    return { body: data as string | FormData, broken: broken.length ? broken : ['empty form'] } as Pick<FuzzRequest, 'contentType' | 'body' | 'broken'>;
  });
  const raw = fc
    .tuple(
      fc.constantFrom('multipart/form-data; boundary=xyz', 'multipart/form-data', 'application/json'),
      fc.constantFrom(...RAW_TEXT_BODIES, '--xyz\r\nContent-Disposition: form-data; name="checks"\r\n\r\nledger'),
    )
    .map(([type, text]) => ({ contentType: type, body: text, broken: [`Content-Type ${type}`, `body ${short(text)}`] }));
  return fc.oneof({ weight: 3, arbitrary: form }, { weight: 1, arbitrary: raw });
}

/** A file body (CSV, XML, XLSX) of hostile text, under its own or another content type. */
function rawBodyArbitrary(types: string[]): fc.Arbitrary<Pick<FuzzRequest, 'contentType' | 'body' | 'broken'>> {
  return fc
    .tuple(fc.constantFrom(...types, ...WRONG_CONTENT_TYPES), fc.constantFrom(...RAW_TEXT_BODIES))
    .map(([type, text]) => ({ contentType: type, body: text, broken: [`Content-Type ${short(type)}`, `body ${short(text)}`] }));
}

/** Arbitrary malformed and boundary requests for `op`. */
export function requestArbitrary(document: OpenApiDocument, world: ApiWorld, op: Operation): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(op.method);

  const brokenPath: fc.Arbitrary<Record<string, string>> =
    pathParams.length > 0
      ? fc
          .record({ name: fc.constantFrom(...pathParams.map((p) => p.name)), value: fc.constantFrom(...PATH_VALUES) })
          .map(({ name, value }) => ({ [name]: value }))
      : fc.constant({});
  // Each declared parameter: absent, plausible, hostile, or given twice.
  const eachParameter = (hostile: boolean): fc.Arbitrary<[string, string][]> =>
    fc
      .tuple(
        ...queryParams.map((p) => {
          const fine = fc.constant([encodeURIComponent(String(plausible(document, world, p.schema ?? {}, p.name)))]);
          const bad = fc.oneof(
            fc.constantFrom(...QUERY_VALUES).map((v) => [v]),
            fc.tuple(fc.constantFrom(...QUERY_VALUES), fc.constantFrom(...QUERY_VALUES)).map(([a, b]) => [a, b]),
          );
          return fc.option(hostile ? fc.oneof(fine, bad, bad) : fine, { nil: undefined, freq: 2 });
        }),
      )
      .map((chosen) => chosen.flatMap((values, i) => (values ?? []).map((v) => [queryParams[i]!.name, v] as [string, string])));
  // One hostile value in every parameter of a kind (all free-text ones, all dates…), the others
  // plausible: a parameter that lets it through is not hidden behind another's refusal.
  const byFamily = new Map<Family, string[]>();
  for (const p of queryParams) {
    const family = familyOf(resolveSchema(document, p.schema ?? {}));
    if (family) byFamily.set(family, [...(byFamily.get(family) ?? []), p.name]);
  }
  const sameInFamily: fc.Arbitrary<[string, string][]> =
    byFamily.size > 0
      ? fc
          .tuple(fc.constantFrom(...byFamily.keys()), fc.constantFrom(...QUERY_VALUES))
          .map(([family, value]) =>
            queryParams.map(
              (p) =>
                [p.name, byFamily.get(family)!.includes(p.name) ? value : encodeURIComponent(String(plausible(document, world, p.schema ?? {}, p.name)))] as [
                  string,
                  string,
                ],
            ),
          )
      : eachParameter(true);
  const queryOf = (hostile: boolean): fc.Arbitrary<[string, string][]> => (hostile ? fc.oneof(eachParameter(true), sameInFamily) : eachParameter(false));
  const types = Object.keys(op.bodies);
  let body: fc.Arbitrary<Pick<FuzzRequest, 'contentType' | 'body' | 'broken'>> = fc.constant({ broken: [] });
  if (types.includes('application/json')) body = jsonBodyArbitrary(document, world, op.bodies['application/json']!);
  else if (types.includes('multipart/form-data')) body = formArbitrary(document, world, op.bodies['multipart/form-data']!);
  else if (types.length > 0) body = rawBodyArbitrary(types);
  else if (hasBody)
    body = fc.oneof(
      fc.constant({ broken: [] }),
      fc.constantFrom(...MALFORMED_JSON).map((text) => ({ contentType: 'application/json', body: text, broken: [`unexpected body ${short(text)}`] })),
    );

  const key = hasBody
    ? fc.oneof(
        { weight: 6, arbitrary: fc.constant('fresh') },
        { weight: 1, arbitrary: fc.constantFrom('reused', 'none', 'short', 'k'.repeat(300), 'has space', 'tab\there') },
      )
    : fc.constant('none');

  const plain = fc.constant({ broken: [] } as Pick<FuzzRequest, 'contentType' | 'body' | 'broken'>);
  const plausibleBody = types.includes('application/json')
    ? fc.constant({ contentType: 'application/json', body: jsonWithRaw(plausible(document, world, op.bodies['application/json']!)), broken: [] })
    : plain;
  // One part broken at a time, so that a broken body is not hidden behind a broken path (each is
  // refused before the body is read); sometimes all at once.
  const parts = fc.oneof(
    ...[
      { weight: pathParams.length > 0 ? 2 : 0, arbitrary: fc.record({ path: brokenPath, query: queryOf(false), body: plausibleBody }) },
      { weight: queryParams.length > 0 ? 3 : 0, arbitrary: fc.record({ path: fc.constant({}), query: queryOf(true), body: plausibleBody }) },
      { weight: hasBody ? 5 : 0, arbitrary: fc.record({ path: fc.constant({}), query: queryOf(false), body }) },
      { weight: 1, arbitrary: fc.record({ path: brokenPath, query: queryOf(true), body }) },
    ].filter((choice) => choice.weight > 0),
  );

  return fc.record({ parts, key }).map(({ parts: { path: pathOverride, query: pairs, body: chosen }, key: idempotencyKey }) => ({
    pathOverride,
    query: pairs,
    ...(chosen.contentType !== undefined ? { contentType: chosen.contentType } : {}),
    ...(chosen.body !== undefined ? { body: chosen.body } : {}),
    idempotencyKey,
    broken: [
      ...Object.entries(pathOverride).map(([name, value]) => `{${name}}=${short(value)}`),
      ...pairs.map(([name, value]) => `?${name}=${short(value)}`),
      ...chosen.broken,
      ...(idempotencyKey === 'fresh' || !hasBody ? [] : [`Idempotency-Key ${short(idempotencyKey)}`]),
    ],
  }));
}
