import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';

/** docs/run-record.schema.json, compiled once: every JSON document a test reads is checked against it. */

const schema = JSON.parse(
  readFileSync(path.resolve(__dirname, '..', '..', '..', 'docs', 'run-record.schema.json'), 'utf8'),
) as object;
const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);

/** The schema's complaints about a document, empty when it conforms. */
export function schemaErrors(document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
}
