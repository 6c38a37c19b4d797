/**
 * The version of the run records the workflows write to the results table
 * and of every JSON document the command line prints
 * (docs/run-record.schema.json). Raise it when a field changes meaning or
 * goes away; adding a field does not need a new version.
 */
export const RUN_RECORD_SCHEMA_VERSION = 1;
