// From a preset name or a JSON config to the CsvMapping the reader uses. The config is
// validated strictly (an unknown key is an error, so a typo like "colums" cannot silently fall
// back to defaults), then laid over its "extends" preset, then over the defaults. Reading a
// config file from disk is Node's business: ../node/load-csv-mapping.ts.
import { z } from 'zod';
import { CsvMappingError } from './errors.ts';
import {
  COLUMN_FIELDS,
  DEFAULT_DIRECTION_VALUES,
  DEFAULT_HEADER_SEARCH_LINES,
  DEFAULT_LABELS,
  DEFAULT_REFERENCE_PATTERN,
  DEFAULT_SUMMARY_WORDS,
  DELIMITER_CHOICES,
  ENCODING_CHOICES,
  LABEL_KEYS,
  type Aliases,
  type CsvColumnField,
  type CsvLabelKey,
  type CsvMapping,
  type CsvMappingConfig,
} from './mapping.ts';
import { CSV_PRESETS, CSV_PRESET_NAMES } from './presets.ts';

const text = z.string().trim().min(1, 'must not be empty');
const aliases = z.union([text, z.array(text).min(1, 'must list at least one name')]);

function optionalShape<K extends string, S extends z.ZodType>(keys: readonly K[], schema: S): Record<K, z.ZodOptional<S>> {
  return Object.fromEntries(keys.map((k) => [k, schema.optional()])) as Record<K, z.ZodOptional<S>>;
}

const configSchema = z.strictObject({
  name: text.optional(),
  extends: text.optional(),
  description: z.string().optional(),
  encoding: z.enum(ENCODING_CHOICES).optional(),
  delimiter: z.enum(DELIMITER_CHOICES).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as CNY')
    .optional(),
  columns: z.strictObject(optionalShape(COLUMN_FIELDS, aliases)).optional(),
  required: z.array(z.enum(COLUMN_FIELDS)).optional(),
  directionValues: z.strictObject({ debit: z.array(text).min(1), credit: z.array(text).min(1) }).optional(),
  referencePattern: text.optional(),
  labels: z.strictObject(optionalShape(LABEL_KEYS, aliases)).optional(),
  summaryWords: z.strictObject({ total: z.array(text).optional(), subtotal: z.array(text).optional() }).optional(),
  negativeIsReversal: z.boolean().optional(),
  checkFooter: z.boolean().optional(),
  headerSearchLines: z.number().int().min(1).max(1000).optional(),
  account: z
    .string()
    .trim()
    .regex(/^[0-9][0-9 -]{5,38}[0-9]$/, 'must be an account number (digits, spaces and hyphens allowed)')
    .optional(),
});

/** The preset of that name, resolved. Throws CsvMappingError naming the presets when unknown. */
export function csvPreset(name: string): CsvMapping {
  const config = CSV_PRESETS[name];
  if (config === undefined) {
    throw new CsvMappingError(`no CSV mapping preset "${name}" (presets: ${CSV_PRESET_NAMES.join(', ')})`);
  }
  return resolveCsvMapping(config, `preset ${name}`);
}

/**
 * Validates a config (parsed JSON or a preset object) and resolves it. `source` names it in
 * errors; `defaultName` is used when the config has no name (and no preset to inherit one from).
 */
export function resolveCsvMapping(config: unknown, source: string, defaultName?: string): CsvMapping {
  return resolve(config, source, defaultName, []);
}

function resolve(config: unknown, source: string, defaultName: string | undefined, chain: string[]): CsvMapping {
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) {
    throw new CsvMappingError(
      `CSV mapping ${source} is not valid`,
      parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(top level)'}: ${i.message}`),
    );
  }
  const c = parsed.data as CsvMappingConfig;
  let base: CsvMapping | undefined;
  if (c.extends !== undefined) {
    const preset = CSV_PRESETS[c.extends];
    if (preset === undefined) {
      throw new CsvMappingError(`CSV mapping ${source} extends "${c.extends}", which is not a preset (presets: ${CSV_PRESET_NAMES.join(', ')})`);
    }
    if (chain.includes(c.extends)) throw new CsvMappingError(`CSV mapping ${source}: "extends" loops through ${[...chain, c.extends].join(' → ')}`);
    base = resolve(preset, `preset ${c.extends}`, c.extends, [...chain, c.extends]);
  }

  const columns: Partial<Record<CsvColumnField, readonly string[]>> = { ...base?.columns };
  for (const [field, names] of Object.entries(c.columns ?? {}) as [CsvColumnField, Aliases | undefined][]) {
    if (names !== undefined) columns[field] = toList(names);
  }
  const labels: Record<CsvLabelKey, readonly string[]> = { ...(base?.labels ?? DEFAULT_LABELS) };
  for (const [key, names] of Object.entries(c.labels ?? {}) as [CsvLabelKey, Aliases | undefined][]) {
    if (names !== undefined) labels[key] = toList(names);
  }

  const problems: string[] = [];
  if (columns.bookingDate === undefined) problems.push('columns.bookingDate: the booking date column is required');
  const hasSplit = columns.debit !== undefined && columns.credit !== undefined;
  if (!hasSplit && columns.amount === undefined) {
    problems.push('columns: give "debit" and "credit" (借方发生额/贷方发生额), or "amount" (交易金额, signed or with a "direction" column)');
  }
  if ((columns.debit === undefined) !== (columns.credit === undefined) && columns.amount === undefined) {
    problems.push('columns: "debit" and "credit" go together');
  }
  const required = c.required ?? base?.required ?? [];
  for (const field of required) {
    if (columns[field] === undefined) problems.push(`required: "${field}" is required but columns.${field} names no header`);
  }
  const patternSource = c.referencePattern ?? base?.referencePattern.source ?? DEFAULT_REFERENCE_PATTERN;
  let referencePattern: RegExp | undefined;
  try {
    referencePattern = new RegExp(patternSource, 'gu');
    if (new RegExp(`^(?:${patternSource})$`, 'u').test('')) problems.push('referencePattern: must not match the empty string');
  } catch (err) {
    problems.push(`referencePattern: not a valid regular expression: ${(err as Error).message}`);
  }
  if (problems.length > 0 || referencePattern === undefined) throw new CsvMappingError(`CSV mapping ${source} is not usable`, problems);

  return {
    name: c.name ?? base?.name ?? defaultName ?? source,
    encoding: c.encoding ?? base?.encoding ?? 'auto',
    delimiter: c.delimiter ?? base?.delimiter ?? 'auto',
    currency: c.currency ?? base?.currency ?? 'CNY',
    columns,
    required,
    directionValues: c.directionValues ?? base?.directionValues ?? DEFAULT_DIRECTION_VALUES,
    referencePattern,
    labels,
    summaryWords: {
      total: c.summaryWords?.total ?? base?.summaryWords.total ?? DEFAULT_SUMMARY_WORDS.total,
      subtotal: c.summaryWords?.subtotal ?? base?.summaryWords.subtotal ?? DEFAULT_SUMMARY_WORDS.subtotal,
    },
    negativeIsReversal: c.negativeIsReversal ?? base?.negativeIsReversal ?? true,
    checkFooter: c.checkFooter ?? base?.checkFooter ?? true,
    headerSearchLines: c.headerSearchLines ?? base?.headerSearchLines ?? DEFAULT_HEADER_SEARCH_LINES,
    ...((c.account ?? base?.account) !== undefined ? { account: (c.account ?? base?.account) as string } : {}),
  };
}

function toList(names: Aliases): readonly string[] {
  return typeof names === 'string' ? [names] : names;
}
