import { InvalidInputError } from './errors';

/**
 * The JSON policy grammar of a resource policy (S3 bucket policy, SQS queue
 * policy), checked before any AWS call so that a typo in a replacement policy
 * is rejected with the exact element named, instead of after the original
 * policy was already backed up and is about to be replaced.
 */
export type ResourceType = 'S3_BUCKET' | 'SQS_QUEUE';

/**
 * Size limits of the stored document, in UTF-8 bytes: S3 bucket policies are
 * limited to 20 KB; the SQS policy quotas page lists 8,192 bytes for a queue
 * policy (architecture.md said 20,480; the smaller documented figure wins so
 * that AWS never refuses what we accepted).
 */
const POLICY_SIZE_LIMIT_BYTES: Readonly<Record<ResourceType, number>> = {
  S3_BUCKET: 20_480,
  SQS_QUEUE: 8_192,
};

const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'];
const TOP_LEVEL_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const PRINCIPAL_KEYS = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringOrNonEmptyStringArray(value: unknown): boolean {
  if (typeof value === 'string') return value !== '';
  return (
    Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string' && item !== '')
  );
}

/** Exactly one of a pair (Action/NotAction, Resource/NotResource, Principal/NotPrincipal). */
function checkExactlyOne(
  statement: Record<string, unknown>,
  field: string,
  key: string,
  notKey: string,
): void {
  const has = key in statement;
  const hasNot = notKey in statement;
  if (has && hasNot)
    throw new InvalidInputError(`${field}.${key}`, `use either ${key} or ${notKey}, not both`);
  if (!has && !hasNot) throw new InvalidInputError(`${field}.${key}`, `is required (or ${notKey})`);
}

function checkStringList(value: unknown, field: string): void {
  if (!isStringOrNonEmptyStringArray(value)) {
    throw new InvalidInputError(
      field,
      'must be a non-empty string or a non-empty array of non-empty strings',
    );
  }
}

function checkPrincipal(value: unknown, field: string): void {
  if (value === '*') return;
  if (!isPlainObject(value) || Object.keys(value).length === 0) {
    throw new InvalidInputError(
      field,
      'must be "*" or an object with AWS, Service, Federated or CanonicalUser',
    );
  }
  for (const [key, member] of Object.entries(value)) {
    if (!PRINCIPAL_KEYS.has(key)) throw new InvalidInputError(`${field}.${key}`, 'is not a principal type');
    checkStringList(member, `${field}.${key}`);
  }
}

function checkCondition(value: unknown, field: string): void {
  if (!isPlainObject(value)) throw new InvalidInputError(field, 'must be an object of condition operators');
  for (const [operator, block] of Object.entries(value)) {
    if (!isPlainObject(block) || Object.keys(block).length === 0) {
      throw new InvalidInputError(`${field}.${operator}`, 'must be a non-empty object of condition keys');
    }
    for (const [key, conditionValue] of Object.entries(block)) {
      const scalar = (item: unknown) => ['string', 'number', 'boolean'].includes(typeof item);
      const ok = scalar(conditionValue) || (Array.isArray(conditionValue) && conditionValue.every(scalar));
      if (!ok)
        throw new InvalidInputError(`${field}.${operator}.${key}`, 'must be a value or an array of values');
    }
  }
}

/**
 * A statement's problem names the statement by index (in the field) and by
 * its Sid when it has one: "replacementPolicy.Statement[1].Effect: must be
 * "Allow" or "Deny" (statement Sid "AllowOps")".
 */
function checkStatement(statement: unknown, field: string): void {
  try {
    checkStatementElements(statement, field);
  } catch (error) {
    const sid = isPlainObject(statement) ? statement.Sid : undefined;
    if (!(error instanceof InvalidInputError) || typeof sid !== 'string' || sid === '') throw error;
    const problem = error.message.slice(error.field.length + 2);
    throw new InvalidInputError(error.field, `${problem} (statement Sid ${JSON.stringify(sid)})`);
  }
}

function checkStatementElements(statement: unknown, field: string): void {
  if (!isPlainObject(statement)) throw new InvalidInputError(field, 'must be an object');
  for (const key of Object.keys(statement)) {
    if (!STATEMENT_KEYS.has(key))
      throw new InvalidInputError(`${field}.${key}`, 'is not a policy statement element');
  }
  if ('Sid' in statement && typeof statement.Sid !== 'string') {
    throw new InvalidInputError(`${field}.Sid`, 'must be a string');
  }
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') {
    throw new InvalidInputError(`${field}.Effect`, 'must be "Allow" or "Deny"');
  }
  // A resource policy must say whom it applies to.
  checkExactlyOne(statement, field, 'Principal', 'NotPrincipal');
  checkExactlyOne(statement, field, 'Action', 'NotAction');
  checkExactlyOne(statement, field, 'Resource', 'NotResource');
  for (const key of ['Principal', 'NotPrincipal'] as const) {
    if (key in statement) checkPrincipal(statement[key], `${field}.${key}`);
  }
  for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
    if (key in statement) checkStringList(statement[key], `${field}.${key}`);
  }
  if ('Condition' in statement) checkCondition(statement.Condition, `${field}.Condition`);
}

/**
 * Checks a resource policy document. Returns the text unchanged: the policy
 * is applied byte for byte as the caller wrote it.
 */
export function checkResourcePolicy(
  text: unknown,
  resourceType: ResourceType,
  field = 'replacementPolicy',
): string {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new InvalidInputError(field, 'must be a non-empty string holding a JSON policy document');
  }
  const limit = POLICY_SIZE_LIMIT_BYTES[resourceType];
  const size = Buffer.byteLength(text, 'utf8');
  if (size > limit) throw new InvalidInputError(field, `is ${size} bytes; the limit is ${limit} bytes`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(
      field,
      `is not valid JSON (${error instanceof Error ? error.message : 'parse error'})`,
    );
  }
  if (!isPlainObject(document)) throw new InvalidInputError(field, 'must be a JSON object');
  for (const key of Object.keys(document)) {
    if (!TOP_LEVEL_KEYS.has(key)) throw new InvalidInputError(`${field}.${key}`, 'is not a policy element');
  }
  if (typeof document.Version !== 'string' || !POLICY_VERSIONS.includes(document.Version)) {
    throw new InvalidInputError(`${field}.Version`, `must be one of ${POLICY_VERSIONS.join(', ')}`);
  }
  if ('Id' in document && typeof document.Id !== 'string') {
    throw new InvalidInputError(`${field}.Id`, 'must be a string');
  }
  const statements = document.Statement;
  if (Array.isArray(statements)) {
    if (statements.length === 0) throw new InvalidInputError(`${field}.Statement`, 'must not be empty');
    statements.forEach((statement, index) => checkStatement(statement, `${field}.Statement[${index}]`));
  } else if (isPlainObject(statements)) {
    checkStatement(statements, `${field}.Statement`);
  } else {
    throw new InvalidInputError(`${field}.Statement`, 'must be an object or a non-empty array of objects');
  }
  return text;
}
