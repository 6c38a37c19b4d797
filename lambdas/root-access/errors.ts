/**
 * Named domain errors. Each sets `name` to its class name, because Step
 * Functions matches Retry and Catch rules on the error name that a Lambda
 * function reports. The CDK code imports these names for its rules.
 */
export abstract class RootAccessError extends Error {
  /** Whether trying again later may succeed: a class's own, read by the Step Functions Retry rules. */
  static readonly retryable: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  get retryable(): boolean {
    return (this.constructor as typeof RootAccessError).retryable;
  }
}

/** Bad input: names the field; nothing was sent to AWS. */
export class InvalidInputError extends RootAccessError {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** RootCredentialsManagement or RootSessions is not enabled for the organization. */
export class FeatureNotEnabledError extends RootAccessError {}

/** The account may not be targeted: management account, not an ACTIVE member, protected. */
export class TargetNotEligibleError extends RootAccessError {}

/** AWS refused the call (AccessDenied and kin); the message carries AWS's words. */
export class RootAccessDeniedError extends RootAccessError {}

/** AWS throttled the call beyond what the SDK's own retries absorbed. */
export class ThrottledError extends RootAccessError {
  static override readonly retryable = true;
}

/** A transient AWS failure (ServiceFailure, 5xx) beyond the SDK's own retries. */
export class TransientAwsError extends RootAccessError {
  static override readonly retryable = true;
}

/** IAM answered EntityTemporarilyUnmodifiable: try again later. */
export class EntityTemporarilyUnmodifiableError extends RootAccessError {
  static override readonly retryable = true;
}

/** The root session expired before the task finished. */
export class RootSessionExpiredError extends RootAccessError {
  static override readonly retryable = true;
}

/** The policy changed between its backup and the change we were about to make. */
export class PolicyChangedSinceBackupError extends RootAccessError {}

/**
 * The policy read by the run is not the one the requester was shown before
 * confirming (the request's expectedPolicySha256): nothing was changed.
 * The unlock workflow records it itself (a Choice, not a thrown error).
 */
export class PolicyChangedSincePlanError extends RootAccessError {}

/**
 * The root credentials differ from the plan a second person approved
 * (credentialsDigest): nothing is deleted, a new plan must be approved.
 */
export class CredentialsChangedSincePlanError extends RootAccessError {}

/** The bucket or queue named in the request does not exist (NoSuchBucket, QueueDoesNotExist). */
export class ResourceNotFoundError extends RootAccessError {}

/** Credentials were still present after a delete run verified them. */
export class CredentialsStillPresentError extends RootAccessError {
  static override readonly retryable = true;
}

/** Every named domain error a function may throw. */
export const DOMAIN_ERRORS = [
  InvalidInputError,
  FeatureNotEnabledError,
  TargetNotEligibleError,
  RootAccessDeniedError,
  ThrottledError,
  TransientAwsError,
  EntityTemporarilyUnmodifiableError,
  RootSessionExpiredError,
  PolicyChangedSinceBackupError,
  CredentialsChangedSincePlanError,
  ResourceNotFoundError,
  CredentialsStillPresentError,
] as const;

/** Error names that Step Functions retries with backoff: the classes marked retryable. */
export const RETRYABLE_ERROR_NAMES: readonly string[] = DOMAIN_ERRORS.filter(
  (errorClass) => errorClass.retryable,
).map((errorClass) => errorClass.name);
