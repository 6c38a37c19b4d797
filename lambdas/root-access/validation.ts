import { InvalidInputError } from './errors';
import { isAccountId } from './id-patterns';
import { isLoopbackHost } from './loopback';
import { partitionOfRegion, type Partition } from './task-policies';
import { checkResourcePolicy, type ResourceType } from './policy-grammar';

/**
 * Request validation: pure, no AWS call. Every failure is an
 * InvalidInputError whose message starts with the field name, so that a
 * rejected run tells the on-call engineer exactly what to fix.
 */

export type { ResourceType } from './policy-grammar';

export const TASKS = [
  'SECURE_ACCOUNT',
  'DELETE_ROOT_CREDENTIALS',
  'ENABLE_ACCOUNT_RECOVERY',
  'UNLOCK_S3_BUCKET_POLICY',
  'UNLOCK_SQS_QUEUE_POLICY',
] as const;
export type Task = (typeof TASKS)[number];

export const SECURE_ACCOUNT_SOURCES = [
  'aws.organizations',
  'aws.controltower',
  'rootkeeper.vending',
  'manual',
] as const;
export type SecureAccountSource = (typeof SECURE_ACCOUNT_SOURCES)[number];

export const UNLOCK_ACTIONS = ['DELETE', 'REPLACE'] as const;
export type UnlockAction = (typeof UNLOCK_ACTIONS)[number];

/** requestedBy of a request that did not say (an event started it). */
const UNKNOWN_REQUESTER = 'unknown';

const REASON_MIN = 3;
const REASON_MAX = 500;
const TICKET_MAX = 64;
const REQUESTED_BY_MAX = 256;
const REQUEST_ID_MAX = 256;

// Control characters would corrupt logs, tables and terminals.
const PRINTABLE = /^[^\p{Cc}]*$/u;

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string')
    throw new InvalidInputError(field, `must be a string, got ${describe(value)}`);
  return value.trim();
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/**
 * An account id is exactly twelve ASCII digits, taken as given: not trimmed,
 * because an id that arrives with whitespace or control characters around it
 * is not the id its sender checked, and every key built from it must match
 * the one the CLI and the events use.
 */
export function validateAccountId(value: unknown, field = 'accountId'): string {
  // A number would have lost leading zeros already: only strings are accepted.
  if (typeof value !== 'string')
    throw new InvalidInputError(field, `must be a string, got ${describe(value)}`);
  if (!isAccountId(value)) {
    throw new InvalidInputError(field, `must be exactly 12 digits, got ${JSON.stringify(value)}`);
  }
  return value;
}

const BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const BUCKET_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** The naming rules of S3 general purpose buckets. */
export function validateBucketName(value: unknown, field = 'bucketName'): string {
  const name = requireString(value, field);
  if (name.length < 3 || name.length > 63) {
    throw new InvalidInputError(field, `must be 3 to 63 characters long, got ${name.length}`);
  }
  if (!/^[a-z0-9.-]+$/.test(name)) {
    throw new InvalidInputError(field, 'may hold only lowercase letters, digits, dots and hyphens');
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    throw new InvalidInputError(field, 'must begin and end with a letter or digit');
  }
  if (name.includes('..')) throw new InvalidInputError(field, 'must not contain two adjacent dots');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) {
    throw new InvalidInputError(field, 'must not be formatted as an IP address');
  }
  const prefix = BUCKET_PREFIXES.find((reserved) => name.startsWith(reserved));
  if (prefix !== undefined)
    throw new InvalidInputError(field, `must not begin with the reserved prefix "${prefix}"`);
  const suffix = BUCKET_SUFFIXES.find((reserved) => name.endsWith(reserved));
  if (suffix !== undefined)
    throw new InvalidInputError(field, `must not end with the reserved suffix "${suffix}"`);
  return name;
}

export interface QueueLocation {
  readonly region: string;
  readonly accountId: string;
  readonly queueName: string;
}

export interface QueueUrlOptions {
  /**
   * The partition of the caller. A root session opened there reaches only
   * that partition's endpoints, so a queue of another partition is refused
   * before any call instead of after AssumeRoot.
   */
  readonly partition: Partition;
  /**
   * When set, loopback URLs `http://127.0.0.1:<port>/<account>/<name>` (the
   * local sandbox) are accepted and located in this region. Never set in AWS.
   */
  readonly loopbackRegion?: string;
}

const REGION = '[a-z]{2,4}(?:-[a-z]+)+-\\d{1,2}';
const QUEUE_HOSTS: readonly RegExp[] = [
  new RegExp(`^sqs\\.(${REGION})\\.amazonaws\\.com$`),
  /^sqs\.(cn-[a-z]+-\d{1,2})\.amazonaws\.com\.cn$/,
  new RegExp(`^(${REGION})\\.queue\\.amazonaws\\.com$`),
];
const QUEUE_NAME = /^(?:[A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{1,75}\.fifo)$/;

/** The SQS endpoint host of a region: `sqs.<region>.amazonaws.com`, `.amazonaws.com.cn` in China (AWS General Reference, SQS endpoints). */
function queueHostOf(region: string): string {
  return partitionOfRegion(region) === 'aws-cn'
    ? `sqs.${region}.amazonaws.com.cn`
    : `sqs.${region}.amazonaws.com`;
}

/**
 * A queue ARN, `arn:<partition>:sqs:<region>:<account>:<name>`, as the
 * queue URL of that partition's endpoint (the form the unlock workflow
 * takes). The URL is then checked as any other (validateQueueUrl).
 */
export function queueUrlOfArn(value: string, field = 'queueUrl'): string {
  const match = /^arn:(aws|aws-cn|aws-us-gov):sqs:([^:]+):([^:]+):([^:]+)$/.exec(value.trim());
  const [, partition, region, accountId, name] = match ?? [];
  if (partition === undefined || region === undefined || accountId === undefined || name === undefined) {
    throw new InvalidInputError(
      field,
      `"${value}" is not a queue ARN (arn:<partition>:sqs:<region>:<account>:<name>)`,
    );
  }
  if (!new RegExp(`^${REGION}$`).test(region)) {
    throw new InvalidInputError(field, `region "${region}" in the ARN is not an AWS region name`);
  }
  if (partitionOfRegion(region) !== partition) {
    throw new InvalidInputError(field, `region ${region} is not in partition ${partition}`);
  }
  return `https://${queueHostOf(region)}/${accountId}/${name}`;
}

function regionOfQueueHost(host: string): string | undefined {
  for (const pattern of QUEUE_HOSTS) {
    const region = pattern.exec(host)?.[1];
    if (region !== undefined) return region;
  }
  return undefined;
}

/**
 * Checks a queue URL and that it belongs to the target account: a root
 * session acts in one account only, and the queue's region picks the client.
 */
export function validateQueueUrl(
  value: unknown,
  accountId: string,
  options: QueueUrlOptions,
  field = 'queueUrl',
): QueueLocation {
  const text = requireString(value, field);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidInputError(field, `is not a URL: "${text}"`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new InvalidInputError(field, 'must not carry credentials, a query or a fragment');
  }
  let region: string | undefined;
  if (options.loopbackRegion !== undefined && url.protocol === 'http:' && isLoopbackHost(url.hostname)) {
    region = options.loopbackRegion;
  } else {
    if (url.protocol !== 'https:') throw new InvalidInputError(field, 'must use https');
    if (url.port !== '') throw new InvalidInputError(field, 'must not name a port');
    region = regionOfQueueHost(url.hostname);
    if (region === undefined) {
      throw new InvalidInputError(
        field,
        `host "${url.hostname}" is not an SQS endpoint (expected sqs.<region>.amazonaws.com)`,
      );
    }
    if (partitionOfRegion(region) !== options.partition) {
      throw new InvalidInputError(
        field,
        `is in region ${region} of partition ${partitionOfRegion(region)}; this service runs in partition ${options.partition}`,
      );
    }
  }
  const match = /^\/([^/]+)\/([^/]+)$/.exec(url.pathname);
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new InvalidInputError(field, 'path must be /<account id>/<queue name>');
  }
  const [, urlAccountId, queueName] = match;
  if (!isAccountId(urlAccountId)) {
    throw new InvalidInputError(field, `account "${urlAccountId}" in the URL is not a 12-digit account id`);
  }
  if (urlAccountId !== accountId) {
    throw new InvalidInputError(
      field,
      `belongs to account ${urlAccountId}, not to the target account ${accountId}`,
    );
  }
  if (!QUEUE_NAME.test(queueName)) {
    throw new InvalidInputError(
      field,
      `queue name "${queueName}" must be 1 to 80 letters, digits, hyphens or underscores (optionally ending in .fifo)`,
    );
  }
  return { region, accountId: urlAccountId, queueName };
}

/** A replacement resource policy: JSON policy grammar and the service's size limit. */
export function validateReplacementPolicy(
  text: unknown,
  resourceType: ResourceType,
  field = 'replacementPolicy',
): string {
  return checkResourcePolicy(text, resourceType, field);
}

export function validateReason(
  value: unknown,
  { required }: { required: boolean },
  field = 'reason',
): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw new InvalidInputError(field, 'is required: say why this root action is needed');
    return undefined;
  }
  const reason = requireString(value, field);
  if (!required && reason === '') return undefined;
  if (reason.length < REASON_MIN || reason.length > REASON_MAX) {
    throw new InvalidInputError(
      field,
      `must be ${REASON_MIN} to ${REASON_MAX} characters, got ${reason.length}`,
    );
  }
  if (!PRINTABLE.test(reason)) throw new InvalidInputError(field, 'must not contain control characters');
  return reason;
}

function optionalPrintable(value: unknown, field: string, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = requireString(value, field);
  if (text === '') return undefined;
  if (text.length > max)
    throw new InvalidInputError(field, `must be at most ${max} characters, got ${text.length}`);
  if (!PRINTABLE.test(text)) throw new InvalidInputError(field, 'must not contain control characters');
  return text;
}

export function validateTicket(value: unknown, field = 'ticket'): string | undefined {
  return optionalPrintable(value, field, TICKET_MAX);
}

/** Who asked. Required for on-call tasks; events may omit it. */
export function validateRequestedBy(
  value: unknown,
  { required }: { required: boolean } = { required: false },
  field = 'requestedBy',
): string | undefined {
  const requestedBy = optionalPrintable(value, field, REQUESTED_BY_MAX);
  if (requestedBy === undefined && required) throw new InvalidInputError(field, 'is required: say who asks');
  return requestedBy;
}

function validateBoolean(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new InvalidInputError(field, `must be true or false, got ${describe(value)}`);
  return value;
}

function validateEnum<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  const text = requireString(value, field);
  const found = allowed.find((item) => item === text);
  if (found === undefined)
    throw new InvalidInputError(field, `must be one of ${allowed.join(', ')}, got "${text}"`);
  return found;
}

export interface SecureAccountRequest {
  readonly accountId: string;
  readonly requestedBy: string;
  readonly requestId?: string;
  readonly source?: SecureAccountSource;
  readonly reason?: string;
  readonly ticket?: string;
}

interface OnCallRequest {
  readonly accountId: string;
  readonly requestedBy: string;
  readonly reason: string;
  readonly ticket?: string;
}

export interface DeleteRootCredentialsRequest extends OnCallRequest {
  readonly dryRun: boolean;
  /** Delete root access keys used within keyInUseDays too (the command line confirms it separately). */
  readonly includeKeysInUse: boolean;
}

export type EnableAccountRecoveryRequest = OnCallRequest;

interface UnlockRequest extends OnCallRequest {
  readonly action: UnlockAction;
  /** Present iff action is REPLACE; the caller's text, unchanged. */
  readonly replacementPolicy?: string;
  /** Read the policy and record the plan (PLANNED); change nothing. */
  readonly dryRun: boolean;
  /**
   * The policy the requester was shown (its SHA-256, or NO_POLICY): the run
   * refuses to go on when the policy read is another one. Absent: not pinned.
   */
  readonly expectedPolicySha256?: string;
  /** The backup this request puts back (restore-policy): the run is recorded as RESTORED. */
  readonly restoresBackup?: string;
}

export interface UnlockS3BucketPolicyRequest extends UnlockRequest {
  readonly bucketName: string;
}

export interface UnlockSqsQueuePolicyRequest extends UnlockRequest {
  readonly queueUrl: string;
}

export interface RequestOfTask {
  SECURE_ACCOUNT: SecureAccountRequest;
  DELETE_ROOT_CREDENTIALS: DeleteRootCredentialsRequest;
  ENABLE_ACCOUNT_RECOVERY: EnableAccountRecoveryRequest;
  UNLOCK_S3_BUCKET_POLICY: UnlockS3BucketPolicyRequest;
  UNLOCK_SQS_QUEUE_POLICY: UnlockSqsQueuePolicyRequest;
}

export type ValidatedRequest = RequestOfTask[Task];

const ON_CALL_FIELDS = ['accountId', 'requestedBy', 'reason', 'ticket'];
const UNLOCK_FIELDS = ['action', 'replacementPolicy', 'dryRun', 'expectedPolicySha256', 'restoresBackup'];
const ALLOWED_FIELDS: Readonly<Record<Task, ReadonlySet<string>>> = {
  SECURE_ACCOUNT: new Set([...ON_CALL_FIELDS, 'requestId', 'source']),
  DELETE_ROOT_CREDENTIALS: new Set([...ON_CALL_FIELDS, 'dryRun', 'includeKeysInUse']),
  ENABLE_ACCOUNT_RECOVERY: new Set(ON_CALL_FIELDS),
  UNLOCK_S3_BUCKET_POLICY: new Set([...ON_CALL_FIELDS, 'bucketName', ...UNLOCK_FIELDS]),
  UNLOCK_SQS_QUEUE_POLICY: new Set([...ON_CALL_FIELDS, 'queueUrl', ...UNLOCK_FIELDS]),
};

function isTask(value: unknown): value is Task {
  return typeof value === 'string' && (TASKS as readonly string[]).includes(value);
}

/** Drops undefined members so the JSON handed to Step Functions has no null-like holes. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}

function onCallFields(request: Record<string, unknown>): OnCallRequest {
  const accountId = validateAccountId(request.accountId);
  const requestedBy = validateRequestedBy(request.requestedBy, { required: true }) ?? UNKNOWN_REQUESTER;
  const reason = validateReason(request.reason, { required: true }) ?? '';
  const ticket = validateTicket(request.ticket);
  return compact({ accountId, requestedBy, reason, ticket });
}

/** expectedPolicySha256 of a request pinned to "there was no policy" when it was shown. */
export const NO_POLICY = 'NO_POLICY';
const POLICY_SHA256 = /^[0-9a-f]{64}$/;
// Backup ids are execution names: Step Functions allows 1..80 of these characters.
const BACKUP_ID = /^[A-Za-z0-9_-]{1,80}$/;

function validateExpectedPolicySha256(value: unknown, field = 'expectedPolicySha256'): string | undefined {
  if (value === undefined) return undefined;
  const text = requireString(value, field);
  if (text !== NO_POLICY && !POLICY_SHA256.test(text)) {
    throw new InvalidInputError(
      field,
      `must be a 64-hex-digit SHA-256 or ${NO_POLICY}, got ${JSON.stringify(text)}`,
    );
  }
  return text;
}

function validateBackupId(value: unknown, field = 'restoresBackup'): string | undefined {
  if (value === undefined) return undefined;
  const text = requireString(value, field);
  if (!BACKUP_ID.test(text))
    throw new InvalidInputError(
      field,
      `must be a backup id (an execution name), got ${JSON.stringify(text)}`,
    );
  return text;
}

function unlockFields(request: Record<string, unknown>, resourceType: ResourceType) {
  const action = validateEnum(request.action, UNLOCK_ACTIONS, 'action');
  const common = compact({
    dryRun: validateBoolean(request.dryRun, 'dryRun', false),
    expectedPolicySha256: validateExpectedPolicySha256(request.expectedPolicySha256),
    restoresBackup: validateBackupId(request.restoresBackup),
  });
  if (action === 'REPLACE') {
    return {
      action,
      replacementPolicy: validateReplacementPolicy(request.replacementPolicy, resourceType),
      ...common,
    };
  }
  if (request.replacementPolicy !== undefined) {
    throw new InvalidInputError('replacementPolicy', 'is only allowed with action REPLACE');
  }
  return { action, ...common };
}

/**
 * Validates and normalizes the request of a workflow: strings trimmed,
 * defaults filled (requestedBy "unknown" for events, dryRun false), absent
 * optional fields left out, unknown fields rejected.
 */
export function validateRequest<T extends Task>(
  task: T,
  request: unknown,
  options: QueueUrlOptions,
): RequestOfTask[T];
export function validateRequest(task: unknown, request: unknown, options: QueueUrlOptions): ValidatedRequest;
export function validateRequest(task: unknown, request: unknown, options: QueueUrlOptions): ValidatedRequest {
  if (!isTask(task))
    throw new InvalidInputError('task', `must be one of ${TASKS.join(', ')}, got "${String(task)}"`);
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new InvalidInputError('request', `must be an object, got ${describe(request)}`);
  }
  const fields = request as Record<string, unknown>;
  const allowed = ALLOWED_FIELDS[task];
  const unknownField = Object.keys(fields).find((key) => !allowed.has(key));
  if (unknownField !== undefined)
    throw new InvalidInputError(unknownField, `is not a field of a ${task} request`);

  switch (task) {
    case 'SECURE_ACCOUNT': {
      const accountId = validateAccountId(fields.accountId);
      const secure: SecureAccountRequest = {
        accountId,
        requestedBy: validateRequestedBy(fields.requestedBy) ?? UNKNOWN_REQUESTER,
        requestId: optionalPrintable(fields.requestId, 'requestId', REQUEST_ID_MAX),
        source:
          fields.source === undefined
            ? undefined
            : validateEnum(fields.source, SECURE_ACCOUNT_SOURCES, 'source'),
        reason: validateReason(fields.reason, { required: false }),
        ticket: validateTicket(fields.ticket),
      };
      return compact(secure);
    }
    case 'DELETE_ROOT_CREDENTIALS':
      return {
        ...onCallFields(fields),
        dryRun: validateBoolean(fields.dryRun, 'dryRun', false),
        includeKeysInUse: validateBoolean(fields.includeKeysInUse, 'includeKeysInUse', false),
      };
    case 'ENABLE_ACCOUNT_RECOVERY':
      return onCallFields(fields);
    case 'UNLOCK_S3_BUCKET_POLICY': {
      const base = onCallFields(fields);
      return {
        ...base,
        bucketName: validateBucketName(fields.bucketName),
        ...unlockFields(fields, 'S3_BUCKET'),
      };
    }
    case 'UNLOCK_SQS_QUEUE_POLICY': {
      const base = onCallFields(fields);
      validateQueueUrl(fields.queueUrl, base.accountId, options);
      const queueUrl = requireString(fields.queueUrl, 'queueUrl');
      return { ...base, queueUrl, ...unlockFields(fields, 'SQS_QUEUE') };
    }
  }
}
