/**
 * Input validation against the constraints of AWS's published service models
 * (service-constraints.json, extracted by scripts/extract-service-constraints.ts), answered with
 * the error each protocol uses for it: query (STS, IAM) `ValidationError` 400 with the framework's
 * "N validation errors detected: Value … at '…' failed to satisfy constraint: …" message;
 * Organizations `InvalidInputException` 400 with its `Reason`; SQS `MissingParameter` /
 * `InvalidParameterValue` 400.
 */
import { ApiError } from './protocol';
import models from './service-constraints.json';

/** A member's constraints, with nested members for structures and lists. */
export interface MemberConstraints {
  type: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  required?: string[];
  members?: Record<string, MemberConstraints>;
  member?: MemberConstraints;
}

export type ModelledService = 'sts' | 'iam' | 'organizations' | 'sqs' | 's3';

type OrganizationsReason =
  | 'INPUT_REQUIRED'
  | 'MAX_LENGTH_EXCEEDED'
  | 'MIN_LENGTH_EXCEEDED'
  | 'MAX_VALUE_EXCEEDED'
  | 'MIN_VALUE_EXCEEDED'
  | 'INVALID_PATTERN'
  | 'INVALID_ENUM';

export interface Violation {
  /** Member path as the AWS framework writes it: lower camel case, dots for nesting. */
  path: string;
  value: unknown;
  constraint: string;
  reason: OrganizationsReason;
}

const operations = models as unknown as Record<ModelledService, Record<string, MemberConstraints>>;

const camel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/** Java regular expressions of the models → JavaScript (\uXXXXX code points need the u flag). */
const patternCache = new Map<string, RegExp>();
function javaPattern(pattern: string): RegExp {
  let regexp = patternCache.get(pattern);
  if (!regexp) {
    const source = pattern.replace(/\\u([0-9A-Fa-f]{4,6})/g, (_m, hex: string) => `\\u{${hex}}`);
    regexp = new RegExp(`^(?:${source})$`, 'u');
    patternCache.set(pattern, regexp);
  }
  return regexp;
}

function check(shape: MemberConstraints, value: unknown, path: string, out: Violation[]): void {
  const add = (constraint: string, reason: OrganizationsReason): void => {
    out.push({ path, value, constraint, reason });
  };
  if (shape.type === 'string' && typeof value === 'string') {
    const length = [...value].length;
    if (shape.min !== undefined && length < shape.min) {
      add(`Member must have length greater than or equal to ${shape.min}`, 'MIN_LENGTH_EXCEEDED');
    }
    if (shape.max !== undefined && length > shape.max) {
      add(`Member must have length less than or equal to ${shape.max}`, 'MAX_LENGTH_EXCEEDED');
    }
    if (shape.pattern !== undefined && !javaPattern(shape.pattern).test(value)) {
      add(`Member must satisfy regular expression pattern: ${shape.pattern}`, 'INVALID_PATTERN');
    }
    if (shape.enum && !shape.enum.includes(value)) {
      add(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`, 'INVALID_ENUM');
    }
  }
  if (shape.type === 'integer' || shape.type === 'long') {
    const number = typeof value === 'number' ? value : Number(value);
    if (!Number.isInteger(number)) return add('Member must be an integer', 'INVALID_PATTERN');
    if (shape.min !== undefined && number < shape.min) {
      add(`Member must have value greater than or equal to ${shape.min}`, 'MIN_VALUE_EXCEEDED');
    }
    if (shape.max !== undefined && number > shape.max) {
      add(`Member must have value less than or equal to ${shape.max}`, 'MAX_VALUE_EXCEEDED');
    }
  }
  if (shape.type === 'structure' && typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const name of shape.required ?? []) {
      if (record[name] === undefined) {
        out.push({
          path: path ? `${path}.${camel(name)}` : camel(name),
          value: null,
          constraint: 'Member must not be null',
          reason: 'INPUT_REQUIRED',
        });
      }
    }
    for (const [name, member] of Object.entries(shape.members ?? {})) {
      if (record[name] !== undefined)
        check(member, record[name], path ? `${path}.${camel(name)}` : camel(name), out);
    }
  }
  if (shape.type === 'list' && Array.isArray(value) && shape.member) {
    value.forEach((item, index) =>
      check(shape.member as MemberConstraints, item, `${path}.${index + 1}.member`, out),
    );
  }
}

/** Query-protocol form parameters → the operation's input structure (nested `A.b`, lists `A.member.N`). */
function fromQuery(shape: MemberConstraints, params: URLSearchParams, prefix = ''): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(shape.members ?? {})) {
    const key = `${prefix}${name}`;
    if (member.type === 'structure') {
      const nested = fromQuery(member, params, `${key}.`);
      if (Object.keys(nested).length > 0) input[name] = nested;
    } else if (member.type === 'list') {
      const items = [...params.keys()].filter((k) => new RegExp(`^${key}\\.member\\.\\d+$`).test(k));
      if (items.length > 0) input[name] = items.map((k) => params.get(k));
    } else if (params.has(key)) {
      input[name] = params.get(key);
    }
  }
  return input;
}

/** Violations of `operation`'s input constraints (none for an operation the models do not list). */
export function violations(service: ModelledService, operation: string, input: unknown): Violation[] {
  const shape = operations[service][operation];
  if (!shape) return [];
  const out: Violation[] = [];
  const value = input instanceof URLSearchParams ? fromQuery(shape, input) : input;
  check(shape, value ?? {}, '', out);
  return out;
}

const quoted = (value: unknown): string => {
  if (value === null) return 'null';
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
  return `'${text}'`;
};

/** The protocol's validation error for these violations. */
function validationError(service: ModelledService, found: Violation[]): ApiError {
  const [first] = found;
  if (!first) throw new Error('validationError needs at least one violation');
  if (service === 'organizations') {
    return new ApiError('InvalidInputException', `${first.constraint} (${first.path})`, 400, {
      fields: { Reason: first.reason },
    });
  }
  if (service === 'sqs') {
    const name = first.path.charAt(0).toUpperCase() + first.path.slice(1);
    const missing = first.reason === 'INPUT_REQUIRED';
    const code = missing ? 'MissingParameter' : 'InvalidParameterValue';
    const message = missing
      ? `The request must contain the parameter ${name}.`
      : `Value ${quoted(first.value)} for parameter ${name} is invalid. Reason: ${first.constraint}.`;
    return new ApiError(`com.amazonaws.sqs#${code}`, message, 400, { queryCode: code });
  }
  const count = found.length === 1 ? '1 validation error' : `${found.length} validation errors`;
  const details = found.map(
    (v) => `Value ${quoted(v.value)} at '${v.path}' failed to satisfy constraint: ${v.constraint}`,
  );
  return new ApiError('ValidationError', `${count} detected: ${details.join('; ')}`, 400);
}

/** Throws the protocol's validation error when `input` breaks the model's constraints. */
export function validateInput(service: ModelledService, operation: string, input: unknown): void {
  const found = violations(service, operation, input);
  if (found.length > 0) throw validationError(service, found);
}
