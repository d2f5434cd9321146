// Typed errors the services throw. Every code comes from the error catalogue
// (src/domain/error-catalogue.ts), with its messages in Chinese and English; each class takes only
// the codes of its kind (a RuleViolationError a rule's, 422), so a typo or a wrong kind does not
// compile. The HTTP layer maps a code to its status; nothing here knows about HTTP. Messages never
// carry personal data.
import { type ConflictCode, type ErrorCode, type ParamsArg, type ParamsOf, type RecordType, type Rendered, type RuleCode, render } from './error-catalogue.ts';

export interface FieldProblem {
  /** JSON path of the offending field, e.g. `amount` or `bands.0.minAmount`. */
  path: string;
  message: string;
}

export type ErrorKind = 'validation' | 'not_found' | 'conflict' | 'rule' | 'forbidden' | 'unauthenticated';

/**
 * An English message given by the caller instead of the catalogue's (the catalogue's Chinese
 * stays): allowed only for codes whose messages take no params. Prefer the catalogue's words.
 */
type ExplicitMessage<C extends ErrorCode> = object extends ParamsOf<C> ? string : never;

function renderArgs(code: ErrorCode, args: unknown[]): Rendered {
  const [first, details] = args;
  if (typeof first !== 'string') return render(code as 'concurrent_change', first as object);
  return { ...render(code as 'concurrent_change'), en: first, details: (details as Record<string, unknown> | undefined) ?? {} };
}

export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
  /** The catalogue's Chinese message, for pages; `message` is the English one. The problem's `detail` is both: `messageZh (message)`. */
  readonly messageZh: string;
  /** The problem body's own members (e.g. `existingId`, `field`): clients and pages read them. */
  readonly details: Record<string, unknown>;
  constructor(
    /** Stable, machine-readable: clients branch on it. Always a key of the catalogue. */
    readonly code: ErrorCode,
    rendered: Rendered,
  ) {
    super(rendered.en);
    this.messageZh = rendered.zh;
    this.details = rendered.details;
    this.name = new.target.name;
  }
}

/** The input is malformed (a field is missing, of the wrong form, or names nothing). Fix the request; do not retry as is. */
export class ValidationError extends DomainError {
  readonly kind = 'validation';
  constructor(
    readonly fields: FieldProblem[],
    /** Which part of the request, when it is not the whole: `body`, `query`, … */
    part?: string,
  ) {
    super('invalid_request', render('invalid_request', part ? { part } : {}));
  }
}

/**
 * The record does not exist, or lies outside the caller's scope: both answer the same, so scope
 * leaks nothing. When the id came in the request body, `fields` names it (`errors[]`).
 */
export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
  declare readonly fields?: FieldProblem[];
  constructor(
    readonly recordType: RecordType,
    fields?: FieldProblem[],
  ) {
    super('not_found', render('not_found', { record: recordType }));
    if (fields) this.fields = fields;
  }
}

/** The request collides with existing state (a duplicate, a reused idempotency key). Retrying the same request will not help. */
export class ConflictError<C extends ConflictCode = ConflictCode> extends DomainError {
  readonly kind = 'conflict';
  constructor(code: C, ...params: ParamsArg<C>);
  constructor(code: C, message: ExplicitMessage<C>, details?: Record<string, unknown>);
  constructor(code: C, ...args: unknown[]) {
    super(code, renderArgs(code, args));
  }
}

/**
 * Fires when the database aborted the use case's transaction for a deadlock or a serialization
 * conflict with concurrent requests, and running it again a few times did not get through. Nothing
 * was written; the same request (with the same Idempotency-Key) may be sent again.
 */
export class TransientConflictError extends ConflictError<'concurrent_change'> {
  constructor() {
    super('concurrent_change');
  }
}

/** A business rule refuses the request (insufficient fund, already reversed, …). `code` names the rule. */
export class RuleViolationError<C extends RuleCode = RuleCode> extends DomainError {
  readonly kind = 'rule';
  constructor(code: C, ...params: ParamsArg<C>);
  constructor(code: C, message: ExplicitMessage<C>, details?: Record<string, unknown>);
  constructor(code: C, ...args: unknown[]) {
    super(code, renderArgs(code, args));
  }
}

/** An upload is larger than the route takes; `fields` names each file over its limit (413). Split it; never retry as is. */
export class PayloadTooLargeError extends DomainError {
  readonly kind = 'validation';
  constructor(readonly fields: FieldProblem[]) {
    super('payload_too_large', render('payload_too_large'));
  }
}

/** The caller's role may not perform this action on a record it can see. */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  constructor(action: string) {
    super('forbidden', render('forbidden', { action }));
  }
}

/** No valid credentials. Deliberately vague: details would help an attacker. */
export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
  constructor() {
    super('unauthenticated', render('unauthenticated'));
  }
}
