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

const planSchema = JSON.parse(
  readFileSync(path.resolve(__dirname, '..', '..', '..', 'docs', 'remediation-plan.schema.json'), 'utf8'),
) as object;
const validatePlan = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(planSchema);

/** docs/remediation-plan.schema.json's complaints about a plan document, empty when it conforms. */
export function planSchemaErrors(document: unknown): string[] {
  if (validatePlan(document)) return [];
  return (validatePlan.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
}
