// Routes as data (STYLE.md habit 2): one definition per route of the JSON API holds what the OpenAPI
// document says of it (method, path, tags, summary, request, success responses), the action of the
// permission table it performs, whether it needs an Idempotency-Key, and its handler. From it come
// the createRoute config — bearer security and the shared problem responses added once, the
// Idempotency-Key header added when idempotent — and its row of the route → action table
// (route-actions.ts). The services still check the permission and decide the scope; the table is
// what test/integration/route-matrix.test.ts holds them to.
import { type RouteConfig, type RouteHandler, createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Action } from '../domain/roles.ts';
import type { AppEnv } from './env.ts';
import { IdempotencyKeyHeader, errorResponses, security } from './schemas/common.ts';

/** What a route asks of the caller's role: an action of src/domain/roles.ts, or only a valid token. */
export type RouteAction = Action | 'authenticated';

export interface RouteSpec<P extends string = string> {
  method: 'get' | 'post' | 'put';
  /** Below /api/v1, with `{name}` parameters, as the OpenAPI document spells it. */
  path: P;
  tags: string[];
  action: RouteAction;
  /** Requires the Idempotency-Key header: only such a route's handler can answer through runIdempotent (idempotency.ts). */
  idempotent?: boolean;
  summary: string;
  description?: string;
  request?: Pick<NonNullable<RouteConfig['request']>, 'params' | 'query' | 'body'>;
  /** The route's own answers; the shared problem responses (400–500) are added to them. */
  responses: RouteConfig['responses'];
  /** Runs before the request is validated. */
  middleware?: MiddlewareHandler<AppEnv>;
}

/** `{}` adds nothing to an intersection: a route without a request part, or not idempotent. */
// biome-ignore lint/complexity/noBannedTypes: the empty object type is the identity of `&` here
type NoPart = {};
type RequestOf<S extends RouteSpec> = (S extends { request: infer R } ? R : NoPart) &
  (S extends { idempotent: true } ? { headers: typeof IdempotencyKeyHeader } : NoPart);

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

export interface ApiRoute<R extends RouteConfig = RouteConfig> {
  route: R;
  handler: RouteHandler<R, AppEnv>;
  action: RouteAction;
}

/** A route as a list holds it: its handler is typed by its own definition only. */
export interface DefinedRoute {
  route: RouteConfig;
  handler: unknown;
  action: RouteAction;
}

/** Defines a route of the JSON API; its handler is typed from the spec's request and responses. */
export function defineRoute<P extends string, S extends RouteSpec<P>>(spec: S & { path: P }, handler: RouteHandler<RouteOf<S>, AppEnv>): ApiRoute<RouteOf<S>> {
  const { method, path, tags, action, idempotent, summary, description, request, responses, middleware } = spec;
  const parts = idempotent ? { ...request, headers: IdempotencyKeyHeader } : request;
  // The operation's members in the document's order: tags, security, summary, description.
  const route = createRoute({
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
  // createRoute returns what it was given; only its type is the generic one.
  return { route: route as unknown as RouteOf<S>, handler, action };
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
