// Typed errors the services throw. The HTTP layer maps each kind to one status and a
// problem+json body; nothing here knows about HTTP. Messages never carry personal data.

export interface FieldProblem {
  /** JSON path of the offending field, e.g. `amount` or `bands.0.minAmount`. */
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: 'validation' | 'not_found' | 'conflict' | 'rule' | 'forbidden' | 'unauthenticated';
  constructor(
    /** Stable, machine-readable: clients branch on it. */
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input is malformed (a field is missing, of the wrong form, or names nothing). Fix the request; do not retry as is. */
export class ValidationError extends DomainError {
  readonly kind = 'validation';
  constructor(readonly fields: FieldProblem[], message = 'The request has invalid fields.') {
    super('invalid_request', message);
  }
}

/** The record does not exist, or lies outside the caller's scope: both answer the same, so scope leaks nothing. */
export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
  constructor(readonly recordType: string) {
    super('not_found', `${recordType} not found`);
  }
}

/** The request collides with existing state (a duplicate, a reused idempotency key). Retrying the same request will not help. */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

/**
 * Fires when the database aborted the use case's transaction for a deadlock or a serialization
 * conflict with concurrent requests, and running it again a few times did not get through. Nothing
 * was written; the same request (with the same Idempotency-Key) may be sent again.
 */
export class TransientConflictError extends ConflictError {
  constructor() {
    super('concurrent_change', '其他操作正在同时修改相同记录，请稍后重试 (Concurrent requests changed the same records; nothing was written. Try again.)');
  }
}

/** A business rule refuses the request (insufficient fund, already reversed, …). `code` names the rule. */
export class RuleViolationError extends DomainError {
  readonly kind = 'rule';
}

/** The caller's role may not perform this action on a record it can see. */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  constructor(action: string) {
    super('forbidden', `This role may not ${action}.`);
  }
}

/** No valid credentials. Deliberately vague: details would help an attacker. */
export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
  constructor() {
    super('unauthenticated', 'A valid bearer token is required.');
  }
}
