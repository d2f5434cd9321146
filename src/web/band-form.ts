// The bands of a form, one row per enrolment level (`band.<level>.minAmount` / `.maxAmount`): the
// rows filled in become the use case's `bands` list, and what the use case says about `bands.<i>`
// is put back beside the row it came from.
import { ENROLMENT_LEVELS, type EnrolmentLevel } from '../domain/eligibility.ts';
import { type FormState, renameErrors } from './admin-forms.tsx';

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

/** The form again, its `bands.<i>.…` messages moved beside the row of the level they are about; a band's year is the form's `year` field. */
export function besideTheirRows(form: FormState, levels: readonly EnrolmentLevel[], year: string): FormState {
  return renameErrors(form, (path) => {
    const m = /^bands\.(\d+)(?:\.(\w+))?$/.exec(path);
    const level = m ? levels[Number(m[1])] : undefined;
    if (!m || !level) return path;
    if (m[2] === 'academicYear') return year;
    return `band.${level}.${m[2] === 'maxAmount' ? 'maxAmount' : 'minAmount'}`;
  });
}
