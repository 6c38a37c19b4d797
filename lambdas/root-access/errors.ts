/**
 * Named domain errors. Each sets `name` to its class name, because Step
 * Functions matches Retry and Catch rules on the error name that a Lambda
 * function reports. The CDK code imports these names for its rules.
 */
export abstract class RootAccessError extends Error {
  /** Whether trying again later may succeed. */
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input: names the field; nothing was sent to AWS. */
export class InvalidInputError extends RootAccessError {
  readonly retryable = false;
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** RootCredentialsManagement or RootSessions is not enabled for the organization. */
export class FeatureNotEnabledError extends RootAccessError {
  readonly retryable = false;
}

/** The account may not be targeted: management account, not an ACTIVE member, protected. */
export class TargetNotEligibleError extends RootAccessError {
  readonly retryable = false;
}

/** AWS refused the call (AccessDenied and kin); the message carries AWS's words. */
export class RootAccessDeniedError extends RootAccessError {
  readonly retryable = false;
}

/** AWS throttled the call beyond what the SDK's own retries absorbed. */
export class ThrottledError extends RootAccessError {
  readonly retryable = true;
}

/** A transient AWS failure (ServiceFailure, 5xx) beyond the SDK's own retries. */
export class TransientAwsError extends RootAccessError {
  readonly retryable = true;
}

/** IAM answered EntityTemporarilyUnmodifiable: try again later. */
export class EntityTemporarilyUnmodifiableError extends RootAccessError {
  readonly retryable = true;
}

/** The root session expired before the task finished. */
export class RootSessionExpiredError extends RootAccessError {
  readonly retryable = true;
}

/** The policy changed between its backup and the change we were about to make. */
export class PolicyChangedSinceBackupError extends RootAccessError {
  readonly retryable = false;
}

/** The bucket or queue named in the request does not exist (NoSuchBucket, QueueDoesNotExist). */
export class ResourceNotFoundError extends RootAccessError {
  readonly retryable = false;
}

/** Credentials were still present after a delete run verified them. */
export class CredentialsStillPresentError extends RootAccessError {
  readonly retryable = true;
}

/** Error names that Step Functions retries with backoff. */
export const RETRYABLE_ERROR_NAMES = [
  'ThrottledError',
  'TransientAwsError',
  'EntityTemporarilyUnmodifiableError',
  'RootSessionExpiredError',
  'CredentialsStillPresentError',
] as const;

/** Error names that end a run without retry, each recorded with its message. */
export const TERMINAL_ERROR_NAMES = [
  'InvalidInputError',
  'FeatureNotEnabledError',
  'TargetNotEligibleError',
  'RootAccessDeniedError',
  'PolicyChangedSinceBackupError',
  'ResourceNotFoundError',
] as const;
