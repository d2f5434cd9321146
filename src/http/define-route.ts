// Routes as data (STYLE.md habit 2): one definition per route of the JSON API holds what the OpenAPI
// document says of it (method, path, tags, summary, request, success responses), the action of the
// permission table it performs, whether it needs an Idempotency-Key, and what answers it. From it come
// the createRoute config — bearer security and the shared problem responses added once, the
// Idempotency-Key header added when idempotent — and its row of the route → action table
// (route-actions.ts). The services still check the permission and decide the scope; the table is
// what test/integration/route-matrix.test.ts holds them to.
//
// The routes of a part of the API share a group (its OpenAPI tags); each is a row
//   post(path, action, { summary, request, responses }).runs(recordEnrolment)
// `.runs(useCase)` derives the handler: the use case gets the query, the JSON body and the path
// parameters as one input, and its result is answered as JSON with the route's one success status
// (through runIdempotent when the route is idempotent). The compiler holds the use case to the route:
// it must take that input and give what the response schema says; where its input names a path
// parameter otherwise, the row passes a small adapter. `.downloads(useCase)` answers the file a use
// case gives (a CSV list). A route that answers otherwise (a file with headers of its own, a raw
// body, a status of its choosing) gives a handler typed from its doc: `.answers(async (c) => …)`.
import { type RouteConfig, type RouteHandler, createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { Action } from '../domain/roles.ts';
import type { UseCaseCall } from '../services/context.ts';
import { serviceContext } from './context.ts';
import type { AppEnv } from './env.ts';
import { fileAnswer } from './files.ts';
import { runIdempotent } from './idempotency.ts';
import { IdempotencyKeyHeader, errorResponses, security } from './schemas/common.ts';

/** What a route asks of the caller's role: an action of src/domain/roles.ts, or only a valid token. */
export type RouteAction = Action | 'authenticated';

/**
 * An idempotent route's use case: the Idempotency-Key is bound to `operation` and the record it acts
 * on, the path's last parameter (`funding_receipt.reverse:<receipt id>`), and to the body.
 */
export interface Idempotency {
  operation: string;
  /** A longer transaction limit for use cases that grow with a batch (see BATCH_TRANSACTION_TIMEOUT_MS). */
  timeoutMs?: number;
}

export interface RouteSpec<P extends string = string> {
  method: 'get' | 'post' | 'put';
  /** Below /api/v1, with `{name}` parameters, as the OpenAPI document spells it. */
  path: P;
  tags: string[];
  action: RouteAction;
  /** Requires the Idempotency-Key header; the use case runs through runIdempotent (idempotency.ts). */
  idempotent?: Idempotency;
  summary: string;
  description?: string;
  request?: Pick<NonNullable<RouteConfig['request']>, 'params' | 'query' | 'body'>;
  /** The route's own answers; the shared problem responses (400–500) are added to them. */
  responses: RouteConfig['responses'];
  /** Runs before the request is validated. */
  middleware?: MiddlewareHandler<AppEnv>;
}

/** What a route states besides its method, path and action; the group gives its tags unless it names its own. */
export type RouteDoc = Omit<RouteSpec, 'method' | 'path' | 'action' | 'tags'> & { tags?: string[] };

/** `{}` adds nothing to an intersection: a route without a request part, or not idempotent. */
// biome-ignore lint/complexity/noBannedTypes: the empty object type is the identity of `&` here
type NoPart = {};
type RequestOf<S extends RouteSpec> = (S extends { request: infer R } ? R : NoPart) &
  (S extends { idempotent: Idempotency } ? { headers: typeof IdempotencyKeyHeader } : NoPart);

/**
 * The createRoute config of a spec, as precise as the spec, so that handlers are typed from it. A type
 * literal, not an interface: RouteConfig admits `x-…` members, which only a type literal matches.
 */
export type RouteOf<S extends RouteSpec> = {
  method: S['method'];
  path: S['path'];
  tags: string[];
  security: typeof security;
  summary: string;
  description?: string;
  request: RequestOf<S>;
  responses: Omit<typeof errorResponses, keyof S['responses']> & S['responses'];
  middleware?: MiddlewareHandler<AppEnv>;
};

/** A route as the list of the API's routes holds it: its handler is typed by its own definition only. */
export interface DefinedRoute {
  route: RouteConfig;
  handler: unknown;
  action: RouteAction;
}

/** A use case of src/services: `verbNoun({ ctx, input })`. */
export type UseCase<I, O> = (call: UseCaseCall<I>) => Promise<O>;

type JsonSchemaOf<C> = C extends { content: { 'application/json': { schema: infer Z extends z.ZodType } } } ? Z : never;
type PartOf<S extends RouteSpec, K extends 'params' | 'query'> = S extends { request: { [P in K]: infer Z extends z.ZodType } } ? z.output<Z> : NoPart;
/** A body that may be left out gives none of its fields. */
type BodyOf<S extends RouteSpec> = S extends { request: { body: infer B } }
  ? B extends { required: true }
    ? z.output<JsonSchemaOf<B>>
    : Partial<z.output<JsonSchemaOf<B>>>
  : NoPart;

/** What a use-case route hands its use case: the query, the JSON body and the path parameters, as one input. */
export type InputOf<S extends RouteSpec> = PartOf<S, 'query'> & BodyOf<S> & PartOf<S, 'params'>;

type SuccessStatus = 200 | 201;
/** What the route's one success status answers in JSON (an object): what its use case must give. */
export type AnswerOf<S extends RouteSpec> = z.infer<JsonSchemaOf<S['responses'][Extract<keyof S['responses'], SuccessStatus>]>> & object;

type Method = RouteSpec['method'];
type SpecOf<M extends Method, P extends string, D extends RouteDoc> = D & { method: M; path: P; tags: string[]; action: RouteAction };

/** A file a use case gives for download: its name and media type, and its bytes or its chunks. */
export type Download = { filename: string; contentType: string } & ({ bytes: Uint8Array } | { chunks(): AsyncIterable<Uint8Array> });

/**
 * A route of a group whose doc is given: `.runs(useCase)`, `.downloads(useCase)` or
 * `.answers(handler)` makes it a route of the API.
 */
export interface DocumentedRoute<S extends RouteSpec> {
  /** Runs the use case on the query, the JSON body and the path parameters, and answers its result as JSON. */
  runs(useCase: UseCase<InputOf<S>, AnswerOf<S>>): DefinedRoute;
  /** Runs the use case on the same input, and answers the file it gives as an attachment (200). */
  downloads(useCase: UseCase<InputOf<S>, Download>): DefinedRoute;
  /** Answers with a handler of its own: a file, a raw body, a status of its choosing. */
  answers(handler: RouteHandler<RouteOf<S>, AppEnv>): DefinedRoute;
}

type RouteMaker<M extends Method> = <P extends string, D extends RouteDoc>(path: P, action: RouteAction, doc: D) => DocumentedRoute<SpecOf<M, P, D>>;

/** The routes of one part of the API, sharing their OpenAPI tags: `const { get, post } = routeGroup({ tags: ['Grants'] })`. */
export function routeGroup(group: { tags: string[] }): { [M in Method]: RouteMaker<M> } {
  const maker =
    <M extends Method>(method: M): RouteMaker<M> =>
    (path, action, doc) => {
      const spec = { ...doc, method, path, tags: doc.tags ?? group.tags, action };
      const route = routeConfig(spec);
      return {
        runs: (useCase) => ({ route, handler: useCaseHandler(spec, { run: useCase }), action }),
        downloads: (useCase) => ({ route, handler: downloadHandler({ run: useCase }), action }),
        answers: (handler) => ({ route, handler, action }),
      };
    };
  return { get: maker('get'), post: maker('post'), put: maker('put') };
}

/**
 * A use case as the derived handler holds it, whatever its input. `.runs()` has checked it against the
 * route (its input and its answer); a method's parameter is compared both ways, so it fits here as is.
 */
interface HeldUseCase {
  run(call: UseCaseCall<unknown>): Promise<object>;
}

/** The validated parts of a request as a use-case route reads them; each is absent where the route has none. */
type RequestParts = {
  out: { query: object | undefined; json: object | undefined; param: Record<string, string> | undefined; header: { 'idempotency-key': string } };
};

/** A use case's input: the query, the body and the path parameters, which no body can override. */
function inputOf(c: Context<AppEnv, string, RequestParts>) {
  return { ...c.req.valid('query'), ...c.req.valid('json'), ...c.req.valid('param') };
}

/** Runs the use case and answers its result as JSON with the route's success status, once per Idempotency-Key when idempotent. */
function useCaseHandler(spec: RouteSpec, useCase: HeldUseCase) {
  const status = successStatusOf(spec);
  const { idempotent } = spec;
  const record = [...spec.path.matchAll(/\{(\w+)\}/g)].at(-1)?.[1];
  return async (c: Context<AppEnv, string, RequestParts>) => {
    const body = c.req.valid('json');
    const params = c.req.valid('param');
    const input = inputOf(c);
    if (!idempotent) return c.json(await useCase.run({ ctx: serviceContext(c), input }), status);
    return runIdempotent(c, {
      operation: record === undefined ? idempotent.operation : `${idempotent.operation}:${params?.[record]}`,
      body: body ?? {},
      run: (ctx) => useCase.run({ ctx, input }),
      present: (result) => ({ status, body: result }),
      ...(idempotent.timeoutMs === undefined ? {} : { timeoutMs: idempotent.timeoutMs }),
    });
  };
}

/**
 * A use case whose download the derived handler answers. `.downloads()` has checked its input; the
 * parameter of a method is compared both ways, so it fits here as is.
 */
interface HeldDownload {
  run(call: UseCaseCall<unknown>): Promise<Download>;
}

function downloadHandler(useCase: HeldDownload) {
  return async (c: Context<AppEnv, string, RequestParts>) => {
    const file = await useCase.run({ ctx: serviceContext(c), input: inputOf(c) });
    return fileAnswer(c, 'bytes' in file ? file.bytes : file.chunks(), { contentType: file.contentType, name: file.filename });
  };
}

function successStatusOf(spec: RouteSpec): SuccessStatus {
  const statuses = Object.keys(spec.responses)
    .map(Number)
    .filter((status): status is SuccessStatus => status === 200 || status === 201);
  if (statuses.length !== 1) throw new Error(`${spec.method} ${spec.path}: a route that runs a use case answers with one success status`);
  return statuses[0]!;
}

/** The createRoute config: the operation's members in the document's order (tags, security, summary, description). */
function routeConfig(spec: RouteSpec): RouteConfig {
  const { method, path, tags, idempotent, summary, description, request, responses, middleware } = spec;
  const parts = idempotent ? { ...request, headers: IdempotencyKeyHeader } : request;
  return createRoute({
    method,
    path,
    tags,
    security,
    summary,
    ...(description === undefined ? {} : { description }),
    ...(parts === undefined ? {} : { request: parts }),
    responses: { ...errorResponses, ...responses },
    ...(middleware === undefined ? {} : { middleware }),
  });
}

/** `METHOD /api/v1/path`, as the OpenAPI document lists the route: the key of the route → action table. */
export function routeKey(prefix: string, route: Pick<RouteConfig, 'method' | 'path'>): string {
  return `${route.method.toUpperCase()} ${prefix}${route.path}`;
}

/** A required JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } } as const;
}

/** A JSON request body that may be left out. */
export function optionalJsonBody<T extends z.ZodType>(schema: T) {
  return { required: false, content: { 'application/json': { schema } } } as const;
}

/** An answer in JSON. */
export function jsonResponse<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } };
}

const fileText = z.string();

/** A file answered as it is (CSV, XML, text), in any of the media types listed. */
export function fileResponse<M extends string>(description: string, ...mediaTypes: M[]) {
  return { description, content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: fileText }])) as Record<M, { schema: typeof fileText }> };
}
