// RFC 9457 problem details: one body shape for every error, from both doors — zod validation
// failures (the OpenAPI default hook) and thrown errors (app.onError). Every `detail` is the error
// catalogue's message in both languages, `中文 (English)`, like the titles. No stack traces, SQL or
// personal data ever reach a client; 5xx are logged server-side with the request id.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { type ErrorCode, type Rendered, render, statusOf } from '../domain/error-catalogue.ts';
import { DomainError, type FieldProblem } from '../domain/errors.ts';
import { fieldProblemsOf } from '../services/validation.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const TYPE_BASE = 'https://scholarship-ledger.invalid/problems/';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  instance?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

/** Titles in Simplified Chinese for the officials who read them, English beside. */
const TITLES: Record<number, string> = {
  400: '请求无效 (Invalid request)',
  401: '未认证 (Unauthenticated)',
  403: '无权操作 (Forbidden)',
  404: '未找到 (Not found)',
  405: '方法不允许 (Method not allowed)',
  409: '冲突 (Conflict)',
  413: '请求过大 (Payload too large)',
  415: '不支持的媒体类型 (Unsupported media type)',
  422: '违反业务规则 (Rule violation)',
  429: '请求过多 (Too many requests)',
  500: '服务器内部错误 (Internal error)',
  503: '服务不可用 (Service unavailable)',
};

/** A problem's `detail` in both languages: the catalogue's (render()), an error's messageZh and message, or (rarely) a pair of its own. */
export type Detail = Pick<Rendered, 'zh' | 'en'>;

/**
 * `code` is a key of the error catalogue (src/domain/error-catalogue.ts), which also gives its status;
 * the detail is written `中文 (English)`.
 */
export function problem(status: number, code: ErrorCode, detail?: Detail, extra: Record<string, unknown> = {}): Problem {
  // Extensions first: a detail named like a standard member must never overwrite it.
  return { ...extra, type: TYPE_BASE + code, title: TITLES[status] ?? 'Error', status, code, ...(detail ? { detail: `${detail.zh} (${detail.en})` } : {}) };
}

export function problemResponse(c: Context, body: Problem): Response {
  return c.body(JSON.stringify({ ...body, instance: c.get('requestId') as string | undefined }), body.status as 400, {
    'Content-Type': PROBLEM_CONTENT_TYPE,
  });
}

export function zodProblem(error: ZodError, target: string): Problem {
  return problem(400, 'invalid_request', render('invalid_request', { part: target === 'json' ? 'body' : target }), { errors: fieldProblemsOf(error) });
}

/** Maps any thrown error to a problem; the second value says whether it must be logged (5xx). */
export function problemFromError(error: unknown): { body: Problem; unexpected: boolean } {
  if (error instanceof DomainError) {
    const status = statusOf(error.code);
    const extra: Record<string, unknown> = { ...error.details };
    if ('fields' in error && Array.isArray(error.fields)) extra.errors = error.fields;
    return { body: problem(status, error.code, { zh: error.messageZh, en: error.message }, extra), unexpected: false };
  }
  if (error instanceof HTTPException) {
    if (error.status === 400 && /Malformed JSON/i.test(error.message)) {
      return {
        body: problem(400, 'malformed_json', render('malformed_json'), { errors: [{ path: '(body)', message: 'malformed JSON' }] }),
        unexpected: false,
      };
    }
    const status = error.status;
    const codes: Record<number, 'unauthenticated' | 'payload_too_large' | 'unsupported_media_type'> = {
      401: 'unauthenticated',
      413: 'payload_too_large',
      415: 'unsupported_media_type',
    };
    const code = codes[status] ?? 'http_error';
    // Hono's own words in English, the catalogue's Chinese beside them (415: the catalogue's both).
    const detail = status === 415 ? render(code) : error.message ? { zh: render(code).zh, en: error.message } : undefined;
    return { body: problem(status, code, detail), unexpected: status >= 500 };
  }
  return { body: problem(500, 'internal_error', render('internal_error')), unexpected: true };
}
