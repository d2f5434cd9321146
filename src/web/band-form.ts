// The bands of a form, one row per enrolment level (`band.<level>.minAmount` / `.maxAmount`): the
// rows filled in become the use case's `bands` list, and what the use case says about `bands.<i>`
// is put back beside the row it came from.
import { ENROLMENT_LEVELS, type EnrolmentLevel } from '../domain/eligibility.ts';
import type { FormState } from './admin-forms.tsx';

export const BAND_FIELDS: readonly string[] = ENROLMENT_LEVELS.flatMap((level) => [`band.${level}.minAmount`, `band.${level}.maxAmount`]);

export interface FormBands {
  bands: { level: EnrolmentLevel; minAmount: string; maxAmount: string }[];
  /** The level of each band, by its place in `bands`. */
  levels: EnrolmentLevel[];
}

/** The levels whose row has an amount; a row left blank is a level without a band. */
export function bandsOf(values: Record<string, string>): FormBands {
  const rows = ENROLMENT_LEVELS.map((level) => ({
    level,
    minAmount: values[`band.${level}.minAmount`] ?? '',
    maxAmount: values[`band.${level}.maxAmount`] ?? '',
  }));
  const bands = rows.filter((r) => r.minAmount !== '' || r.maxAmount !== '');
  return { bands, levels: bands.map((b) => b.level) };
}

/** The form again, its `bands.<i>.…` messages moved to the row of the level they are about. */
export function besideTheirRows(form: FormState, levels: readonly EnrolmentLevel[], whole: string): FormState {
  const errors = form.refusal?.errors;
  if (!form.refusal || !errors) return form;
  const moved: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors)) {
    const m = /^bands\.(\d+)(?:\.(\w+))?$/.exec(path);
    const level = m ? levels[Number(m[1])] : undefined;
    if (!m || !level) moved[path] = message;
    else if (m[2] === 'academicYear') moved[whole] ??= message;
    else moved[`band.${level}.${m[2] === 'maxAmount' ? 'maxAmount' : 'minAmount'}`] = message;
  }
  return { ...form, refusal: { ...form.refusal, errors: moved } };
}
