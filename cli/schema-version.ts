/**
 * The version of every JSON document the command line prints
 * (docs/run-record.schema.json). Raise it when a field changes meaning or
 * goes away; adding a field does not need a new version.
 */
export const SCHEMA_VERSION = 1;
