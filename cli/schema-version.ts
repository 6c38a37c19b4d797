import { RUN_RECORD_SCHEMA_VERSION } from '../lib/run-record-schema-version';

/**
 * The version of every JSON document the command line prints: the same
 * number the workflows write into their run records (one constant).
 */
export const SCHEMA_VERSION = RUN_RECORD_SCHEMA_VERSION;
