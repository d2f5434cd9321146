// Refusals of an intake file as a whole (before any row is looked at). 400 through the ordinary
// error mapping (kind 'validation'), with a code of their own and errors[] naming the column or
// parameter, so a clerk knows what to fix in the file.
import { DomainError, type FieldProblem } from '../../domain/errors.ts';

/**
 * The file cannot be read as an intake list: not CSV, not UTF-8/GBK, a header without a required
 * column or with one twice, no rows, more rows than allowed. Fix the file; retrying as is will not help.
 * `code` is one of not_csv, unsupported_encoding, invalid_encoding, invalid_header, no_rows,
 * too_many_rows, file_too_large.
 */
export class ImportFileError extends DomainError {
  readonly kind = 'validation';
  readonly fields: FieldProblem[];
  constructor(code: string, message: string, path: string, fields?: FieldProblem[]) {
    super(code, message);
    this.fields = fields ?? [{ path, message }];
  }
}
