// problem.ts's problemResponse, typed as the problem+json answer every route of the JSON API declares
// (define-route.ts adds them to each), so that a handler returns it without a cast.
import type { z } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import type { ErrorCode } from '../domain/error-catalogue.ts';
import { type Detail, problem, problemResponse } from './problem.ts';
import type { ProblemSchema, errorResponses } from './schemas/common.ts';

/** The statuses of the shared problem responses. */
export type ProblemStatus = Extract<keyof typeof errorResponses, number>;

export type ProblemAnswer<S extends ProblemStatus> = Response & TypedResponse<JSONParsed<z.infer<typeof ProblemSchema>>, S, 'json'>;

/** Answers `problem(status, code, detail)` as problem+json. */
export function problemAnswer<S extends ProblemStatus>(c: Context, status: S, code: ErrorCode, detail?: Detail): ProblemAnswer<S> {
  return problemResponse(c, problem(status, code, detail)) as ProblemAnswer<S>;
}
