// Public surface of the bank statement CSV reader.
export { readCsvStatement, type ReadCsvStatementOptions } from './read-csv-statement.ts';
export { collectCsvStatement } from './collect.ts';
export { csvPreset, resolveCsvMapping } from './config.ts';
export { CSV_PRESETS, CSV_PRESET_NAMES } from './presets.ts';
export { CsvMappingError, CsvStatementError, type CsvStatementErrorCode } from './errors.ts';
export {
  COLUMN_FIELDS,
  DEFAULT_REFERENCE_PATTERN,
  LABEL_KEYS,
  type CsvColumnField,
  type CsvLabelKey,
  type CsvMapping,
  type CsvMappingConfig,
} from './mapping.ts';
export type * from './types.ts';
