import { adviceFor } from './advice';

/**
 * A failed run in plain words: the error's name, its message without the
 * Lambda runtime's wrapping (errorType, errorMessage, trace) and what to do.
 * The raw cause, stack included, is kept apart for --debug.
 */

export interface PlainError {
  readonly name: string;
  readonly message: string;
  readonly advice: string;
  /** The name the workflow recorded, when the command line reads it more precisely (WrongAccountError). */
  readonly recordedName?: string;
}

export interface FailureTarget {
  readonly accountId?: string;
  readonly bucketName?: string;
  readonly queueUrl?: string;
}

export interface Failure {
  readonly error: PlainError;
  /** The recorded cause as AWS and the runtime gave it (stack traces included): --debug only. */
  readonly raw: string | undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** `{"errorType","errorMessage","trace"}` (a Lambda function's error) → its name and message. */
function unwrapCause(cause: string | undefined): { name?: string; message?: string } {
  if (cause === undefined) return {};
  try {
    const parsed = JSON.parse(cause) as Record<string, unknown>;
    if (typeof parsed === 'object' && parsed !== null) {
      return {
        ...(typeof parsed.errorType === 'string' ? { name: parsed.errorType } : {}),
        ...(typeof parsed.errorMessage === 'string' ? { message: parsed.errorMessage } : {}),
      };
    }
  } catch {
    // Not JSON: the cause is the message.
  }
  return { message: cause.split('\n')[0] };
}

/**
 * An S3 unlock reads the policy as the account's own root user, which S3
 * always lets read its own bucket's policy: a refusal of that read means the
 * bucket belongs to another account, not that an SCP is in the way.
 */
function wrongAccount(name: string, message: string, target: FailureTarget): PlainError | undefined {
  if (name !== 'RootAccessDeniedError' || target.bucketName === undefined) return undefined;
  if (!/s3:GetBucketPolicy/.test(message)) return undefined;
  const account = target.accountId ?? 'the account given';
  return {
    name: 'WrongAccountError',
    recordedName: name,
    message: `bucket ${target.bucketName} is not in account ${account}: that account's own root user was refused s3:GetBucketPolicy`,
    advice: adviceFor('WrongAccountError'),
  };
}

export function failureOf(
  record:
    { readonly error?: unknown; readonly errorCause?: unknown; readonly outcomeReason?: unknown } | undefined,
  execution: { readonly error?: string; readonly cause?: string },
  target: FailureTarget = {},
): Failure | undefined {
  const raw = nonEmpty(record?.errorCause) ?? nonEmpty(execution.cause);
  const unwrapped = unwrapCause(raw);
  const name =
    nonEmpty(record?.error) ?? unwrapped.name ?? nonEmpty(execution.error) ?? nonEmpty(record?.outcomeReason);
  if (name === undefined) return undefined;
  const message = unwrapped.message ?? nonEmpty(record?.outcomeReason) ?? name;
  const error = wrongAccount(name, message, target) ?? { name, message, advice: adviceFor(name) };
  return { error, raw };
}
