// Refusals of an intake file as a whole (before any row is looked at). 400 through the ordinary
// error mapping (kind 'validation'), with a code of their own and errors[] naming the column or
// parameter, so a clerk knows what to fix in the file.
import { type ImportFileCode, type ParamsArg, render } from '../../domain/error-catalogue.ts';
import { DomainError, type FieldProblem } from '../../domain/errors.ts';

/**
 * The file cannot be read as an intake list: not CSV, not UTF-8/GBK, a header without a required
 * column or with one twice, no rows, more rows than allowed. Fix the file; retrying as is will not help.
 * `where` is the parameter or place to fix (its field problem then carries the message in both
 * languages, for the clerk who fixes the file), or the field problems themselves.
 */
export class ImportFileError<C extends ImportFileCode = ImportFileCode> extends DomainError {
  readonly kind = 'validation';
  readonly fields: FieldProblem[];
  constructor(code: C, where: string | FieldProblem[], ...params: ParamsArg<C>) {
    const rendered = render(code, ...params);
    super(code, rendered);
    this.fields = typeof where === 'string' ? [{ path: where, message: `${rendered.zh} (${rendered.en})` }] : where;
  }
}
