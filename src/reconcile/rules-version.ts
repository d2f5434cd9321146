// The version of the reconciliation rules: what the checks test and how the report is built.
// Stated in every report, kept with every run. Change it whenever a check's meaning, a code, a
// figure or the report's layout changes, so that two reports of different versions are never
// compared as if they were alike.
export const RULES_VERSION = '2026.11';

/** Version of the JSON report's shape (`formatVersion`). */
export const REPORT_FORMAT_VERSION = 1;
