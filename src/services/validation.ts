// Every use case parses its own input with its schema: whoever calls it (the JSON API, a page, a
// script, the CSV intake) gets the same checks, and a failure is a 400 naming each field.
import type { z } from 'zod';
import { type FieldProblem, ValidationError } from '../domain/errors.ts';
import { MALFORMED_TEXT, malformedTextPaths } from '../domain/text.ts';

/** The field problems of a failed parse: one per issue, unknown keys named one by one. */
export function fieldProblemsOf(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => ({ path: path ? `${path}.${k}` : k, message: 'unknown field' }));
    return [{ path: path || '(body)', message: issue.message }];
  });
}

/**
 * Runs checks beyond the schema that note each field problem; throws one ValidationError naming them
 * all when there are any, else gives what the checks gave.
 */
export function checkFields<T>(check: (problems: FieldProblem[]) => T): T {
  const problems: FieldProblem[] = [];
  const checked = check(problems);
  if (problems.length > 0) throw new ValidationError(problems);
  return checked;
}

/**
 * The input as the schema reads it (trimmed, defaults filled), or a ValidationError naming every bad
 * field. Before any schema: every string must be storable text (src/domain/text.ts), so that a NUL
 * or a lone surrogate is a 400 naming its field, never a database error.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const malformed = malformedTextPaths(input);
  if (malformed.length > 0) throw new ValidationError(malformed.map((path) => ({ path, message: MALFORMED_TEXT })));
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(fieldProblemsOf(result.error));
  return result.data;
}
