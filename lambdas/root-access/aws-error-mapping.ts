import {
  EntityTemporarilyUnmodifiableError,
  FeatureNotEnabledError,
  InvalidInputError,
  ResourceNotFoundError,
  RootAccessDeniedError,
  RootAccessError,
  RootSessionExpiredError,
  TargetNotEligibleError,
  ThrottledError,
  TransientAwsError,
} from './errors';

/**
 * The one place where AWS error codes become the named domain errors that
 * Step Functions retries or catches. Every domain function sends its AWS
 * errors through `toDomainError`, so a code is interpreted the same way
 * wherever it shows up.
 */

interface AwsErrorShape {
  readonly name?: unknown;
  readonly Code?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly $retryable?: { readonly throttling?: unknown };
}

function shapeOf(error: unknown): AwsErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

/**
 * The error codes an AWS SDK error carries, without the `Exception` suffix:
 * modelled errors are named `NoSuchEntityException` and keep the wire code
 * (`NoSuchEntity`) in `Code`; unmodelled ones (`AccessDenied`) are named by
 * the wire code; SQS's query-compatible codes (`AWS.SimpleQueueService.X`)
 * keep their last segment too.
 */
export function awsErrorCodes(error: unknown): string[] {
  const shape = shapeOf(error);
  const codes = new Set<string>();
  for (const raw of [shape.Code, shape.name, shape.code]) {
    if (typeof raw !== 'string' || raw === '') continue;
    codes.add(raw);
    codes.add(raw.replace(/Exception$/, ''));
    const lastSegment = raw.split('.').pop();
    if (lastSegment !== undefined) codes.add(lastSegment);
  }
  return [...codes];
}

/** Whether the error carries one of the given codes (with or without `Exception`). */
export function hasAwsErrorCode(error: unknown, ...codes: string[]): boolean {
  const found = awsErrorCodes(error);
  return codes.some((code) => found.includes(code));
}

function messageOf(error: unknown): string {
  const message = shapeOf(error).message;
  return typeof message === 'string' && message !== '' ? message : 'no message';
}

const THROTTLING_CODES = [
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
];
const TRANSIENT_CODES = [
  'ServiceFailure',
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ConcurrentModification',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
];
const ACCESS_DENIED_CODES = ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation'];
const EXPIRED_CODES = ['ExpiredToken', 'ExpiredTokenException'];
const NOT_FOUND_CODES = ['NoSuchBucket', 'QueueDoesNotExist', 'NonExistentQueue'];

/** AWS's words for "centralized root access is not turned on for this organization". */
const FEATURE_NOT_ENABLED =
  /not enabled|RootCredentialsManagement|RootSessions|centralized root|root access feature/i;
/** AWS's words for a target that can never receive a root session. */
const TARGET_NOT_ELIGIBLE =
  /management account|TargetPrincipal|target principal|not a member|target account/i;

function isServerFault(error: unknown): boolean {
  const shape = shapeOf(error);
  const status = shape.$metadata?.httpStatusCode;
  return shape.$fault === 'server' || (typeof status === 'number' && status >= 500);
}

function isThrottling(error: unknown): boolean {
  return hasAwsErrorCode(error, ...THROTTLING_CODES) || shapeOf(error).$retryable?.throttling === true;
}

function mapValidationError(error: unknown, text: string): RootAccessError {
  if (/duration/i.test(text)) return new InvalidInputError('durationSeconds', text);
  if (TARGET_NOT_ELIGIBLE.test(text)) return new TargetNotEligibleError(text, { cause: error });
  return new InvalidInputError('request', text);
}

/**
 * Turns an AWS SDK error into the named domain error that describes it.
 * Errors that are already domain errors, and AWS codes with no domain
 * meaning, are returned unchanged so their own name still reaches Step
 * Functions. `operation` (e.g. "iam:DeleteAccessKey") prefixes the message.
 */
export function toDomainError(error: unknown, operation: string): unknown {
  if (error instanceof RootAccessError) return error;
  const text = `${operation}: ${messageOf(error)}`;
  if (isThrottling(error)) return new ThrottledError(text, { cause: error });
  if (hasAwsErrorCode(error, ...EXPIRED_CODES)) return new RootSessionExpiredError(text, { cause: error });
  if (hasAwsErrorCode(error, 'EntityTemporarilyUnmodifiable')) {
    return new EntityTemporarilyUnmodifiableError(text, { cause: error });
  }
  if (hasAwsErrorCode(error, ...ACCESS_DENIED_CODES)) {
    if (FEATURE_NOT_ENABLED.test(text)) return new FeatureNotEnabledError(text, { cause: error });
    if (TARGET_NOT_ELIGIBLE.test(text)) return new TargetNotEligibleError(text, { cause: error });
    return new RootAccessDeniedError(text, { cause: error });
  }
  if (hasAwsErrorCode(error, 'RegionDisabled')) return new RootAccessDeniedError(text, { cause: error });
  if (hasAwsErrorCode(error, 'ValidationError')) return mapValidationError(error, text);
  if (hasAwsErrorCode(error, ...NOT_FOUND_CODES)) return new ResourceNotFoundError(text, { cause: error });
  if (hasAwsErrorCode(error, ...TRANSIENT_CODES) || isServerFault(error)) {
    return new TransientAwsError(text, { cause: error });
  }
  return error;
}

/** Runs one AWS call and rethrows its failure as a domain error. */
export async function callAws<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toDomainError(error, operation);
  }
}
