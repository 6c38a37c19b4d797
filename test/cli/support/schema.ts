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

/** A schema of docs/, compiled: its complaints about a document, empty when it conforms. */
function docsSchema(file: string): (document: unknown) => string[] {
  const schema = JSON.parse(
    readFileSync(path.resolve(__dirname, '..', '..', '..', 'docs', file), 'utf8'),
  ) as object;
  const check = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
  return (document) =>
    check(document)
      ? []
      : (check.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
}

/** docs/remediation-plan.schema.json's complaints about a plan document, empty when it conforms. */
export const planSchemaErrors = docsSchema('remediation-plan.schema.json');

/** docs/remediation-status.schema.json's complaints about a `remediate --status` document. */
export const statusSchemaErrors = docsSchema('remediation-status.schema.json');
