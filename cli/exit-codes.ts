import { CommanderError } from 'commander';
import { InvalidInputError } from '../lambdas/root-access/errors';
import { UNAPPROVED_OUTCOMES } from '../lib/approvals/approval-event';
import { AwsCallError, CliError, EXIT, UsageError } from './errors';
import { usageErrorFromInvalidInput } from './flags';

/**
 * Every failure becomes a CliError here, so that the exit code depends on
 * what went wrong and never on where it was thrown.
 */

/** Outcomes recorded by a workflow that did not do what was asked. */
export const NOT_REACHED_OUTCOMES: ReadonlySet<string> = new Set([
  'FAILED',
  'REJECTED',
  'SKIPPED',
  ...UNAPPROVED_OUTCOMES,
]);

/** Exit code of a finished execution: its status, then the outcome it recorded. */
export function exitCodeOfRun(
  status: string,
  outcome: string | undefined,
): typeof EXIT.DONE | typeof EXIT.NOT_REACHED {
  if (status !== 'SUCCEEDED') return EXIT.NOT_REACHED;
  if (outcome === undefined) return EXIT.DONE;
  return NOT_REACHED_OUTCOMES.has(outcome) ? EXIT.NOT_REACHED : EXIT.DONE;
}

interface SdkErrorShape {
  readonly name?: unknown;
  readonly Code?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: unknown;
  readonly $fault?: unknown;
}

function shape(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const ACCESS_DENIED =
  /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|AuthorizationError|UnauthorizedException)$/;
const BAD_CREDENTIALS =
  /^(UnrecognizedClientException|InvalidClientTokenId|ExpiredToken|ExpiredTokenException|InvalidSignatureException|SignatureDoesNotMatch)$/;
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ECONNRESET',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/** The IAM action AWS says is missing: "... is not authorized to perform: states:StartExecution on resource ...". */
export function missingPermissionIn(message: string): string | undefined {
  return /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/i.exec(message)?.[1];
}

/** Turns an AWS SDK failure of `operation` (e.g. "states:StartExecution") into exit code 3 with its words. */
export function toAwsCallError(error: unknown, operation?: string): AwsCallError {
  if (error instanceof AwsCallError) return error;
  const { name, Code, code, message } = shape(error);
  const errorCode = stringOf(Code) ?? stringOf(name) ?? stringOf(code);
  const text = stringOf(message) ?? String(error);
  const where = operation === undefined ? '' : `${operation}: `;
  if (errorCode === 'CredentialsProviderError') {
    return new AwsCallError(
      `${where}no AWS credentials found (${text}); use --profile, AWS_PROFILE or the usual AWS environment variables`,
      operation,
      errorCode,
      undefined,
    );
  }
  const networkCode = [stringOf(code), stringOf(name)].find(
    (candidate) => candidate && NETWORK_CODES.has(candidate),
  );
  if (networkCode !== undefined) {
    return new AwsCallError(
      `${where}cannot reach the AWS endpoint (${networkCode}): ${text}`,
      operation,
      networkCode,
      undefined,
    );
  }
  const named = missingPermissionIn(text);
  if (named !== undefined || (errorCode !== undefined && ACCESS_DENIED.test(errorCode))) {
    const missing = named ?? operation;
    return new AwsCallError(
      `${where}access denied${missing ? `: missing permission ${missing}` : ''} (${text})`,
      operation,
      errorCode,
      missing,
    );
  }
  if (errorCode !== undefined && BAD_CREDENTIALS.test(errorCode)) {
    return new AwsCallError(
      `${where}AWS did not accept the credentials (${errorCode}): ${text}`,
      operation,
      errorCode,
      undefined,
    );
  }
  return new AwsCallError(
    `${where}${errorCode ? `${errorCode}: ` : ''}${text}`,
    operation,
    errorCode,
    undefined,
  );
}

function isSdkError(error: unknown): boolean {
  const { $metadata, $fault, name } = shape(error);
  return $metadata !== undefined || $fault !== undefined || name === 'CredentialsProviderError';
}

function isNetworkError(error: unknown): boolean {
  const code = stringOf(shape(error).code);
  return code !== undefined && NETWORK_CODES.has(code);
}

/** Commander's own parse errors (unknown option, missing argument, conflicts) are usage errors. */
function fromCommander(error: CommanderError): CliError {
  const message = error.message.replace(/^error:\s*/, '');
  return new UsageError(undefined, message);
}

/**
 * The SDK's "Region is missing", met first by whichever call a command makes
 * (some through awsCall, some not): every command says the same thing.
 */
function isRegionMissing(error: unknown): boolean {
  return error instanceof Error && /Region is missing/i.test(error.message);
}

function regionMissingError(): UsageError {
  return new UsageError(
    '--region',
    'no AWS region configured: pass --region, set AWS_REGION, or give the profile a region',
  );
}

export function toCliError(error: unknown): CliError {
  if (isRegionMissing(error)) return regionMissingError();
  if (error instanceof CliError) return error;
  if (error instanceof InvalidInputError) return usageErrorFromInvalidInput(error);
  if (error instanceof CommanderError) return fromCommander(error);
  if (isSdkError(error) || isNetworkError(error)) return toAwsCallError(error);
  // Anything else is unexpected; it is most often the environment (a file, a
  // socket), so it shares the "AWS or environment" code rather than claim
  // that a workflow ran.
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(`unexpected error: ${message}`, EXIT.AWS, 'aws');
}
