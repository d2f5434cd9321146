// Field checks that several use cases share, answered as 400 naming the field.
import { type AcademicYear, parseAcademicYear } from '../domain/academic-year.ts';
import { ValidationError } from '../domain/errors.ts';

/** An academic year written like 2025-2026, or a validation error naming `path`. */
export function academicYearField(text: string, path = 'academicYear'): AcademicYear {
  const parsed = parseAcademicYear(text);
  if (!parsed.ok) throw new ValidationError([{ path, message: 'must be an academic year written like 2025-2026' }]);
  return parsed.value;
}
