import {
  EntityTemporarilyUnmodifiableException,
  NoSuchEntityException,
  ServiceFailureException,
} from '@aws-sdk/client-iam';
import { NoSuchBucket } from '@aws-sdk/client-s3';
import { QueueDoesNotExist } from '@aws-sdk/client-sqs';
import { RegionDisabledException } from '@aws-sdk/client-sts';
import {
  awsErrorCodes,
  callAws,
  hasAwsErrorCode,
  toDomainError,
} from '../../../lambdas/root-access/aws-error-mapping';
import {
  EntityTemporarilyUnmodifiableError,
  FeatureNotEnabledError,
  InvalidInputError,
  PolicyChangedSinceBackupError,
  ResourceNotFoundError,
  RootAccessDeniedError,
  TargetNotEligibleError,
  ThrottledError,
  TransientAwsError,
} from '../../../lambdas/root-access/errors';
import { awsError } from './aws-fakes';

const metadata = { $metadata: {} };

describe('toDomainError', () => {
  test.each([
    ['Throttling', awsError('Throttling', 'Rate exceeded'), ThrottledError],
    ['ThrottlingException', awsError('ThrottlingException', 'Rate exceeded'), ThrottledError],
    ['TooManyRequestsException', awsError('TooManyRequestsException', 'slow down'), ThrottledError],
    ['RequestLimitExceeded', awsError('RequestLimitExceeded', 'limit'), ThrottledError],
    [
      'SDK throttling flag',
      Object.assign(awsError('Whatever', 'x'), { $retryable: { throttling: true } }),
      ThrottledError,
    ],
    ['ServiceFailure', new ServiceFailureException({ message: 'failure', ...metadata }), TransientAwsError],
    ['InternalError 500', awsError('InternalError', 'oops', { status: 500 }), TransientAwsError],
    ['any 503', awsError('SomethingNew', 'unavailable', { status: 503 }), TransientAwsError],
    [
      'ConcurrentModification',
      awsError('ConcurrentModificationException', 'busy', { code: 'ConcurrentModification' }),
      TransientAwsError,
    ],
    ['network reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), TransientAwsError],
    [
      'EntityTemporarilyUnmodifiable',
      new EntityTemporarilyUnmodifiableException({ message: 'try later', ...metadata }),
      EntityTemporarilyUnmodifiableError,
    ],
    [
      'AccessDenied, RootSessions off',
      awsError('AccessDenied', 'RootSessions is not enabled'),
      FeatureNotEnabledError,
    ],
    [
      'AccessDenied, management account',
      awsError('AccessDenied', 'cannot target the management account'),
      TargetNotEligibleError,
    ],
    ['AccessDeniedException', awsError('AccessDeniedException', 'denied by SCP'), RootAccessDeniedError],
    [
      'RegionDisabled',
      new RegionDisabledException({ message: 'STS is not activated in this region', ...metadata }),
      RootAccessDeniedError,
    ],
    [
      'ValidationError, target',
      awsError('ValidationError', 'Invalid TargetPrincipal'),
      TargetNotEligibleError,
    ],
    [
      'NoSuchBucket',
      new NoSuchBucket({ message: 'The specified bucket does not exist', ...metadata }),
      ResourceNotFoundError,
    ],
    [
      'SQS query-compatible code',
      Object.assign(new QueueDoesNotExist({ message: 'no queue', ...metadata }), {
        Code: 'AWS.SimpleQueueService.NonExistentQueue',
      }),
      ResourceNotFoundError,
    ],
  ])('%s', (_label, error, expected) => {
    // Act
    const mapped = toDomainError(error, 'svc:Op');
    // Assess
    expect(mapped).toBeInstanceOf(expected);
    expect((mapped as Error).name).toBe(expected.name);
    expect((mapped as Error).message).toMatch(/^svc:Op: /);
    expect((mapped as Error).cause).toBe(error);
  });

  test('a ValidationError about the duration names durationSeconds', () => {
    const mapped = toDomainError(
      awsError('ValidationError', 'DurationSeconds exceeds 900'),
      'sts:AssumeRoot',
    );
    expect(mapped).toBeInstanceOf(InvalidInputError);
    expect((mapped as InvalidInputError).field).toBe('durationSeconds');
  });

  test('any other ValidationError is invalid input', () => {
    const mapped = toDomainError(awsError('ValidationError', 'bad TaskPolicyArn'), 'sts:AssumeRoot');
    expect(mapped).toBeInstanceOf(InvalidInputError);
    expect((mapped as Error).message).toBe('request: sts:AssumeRoot: bad TaskPolicyArn');
  });

  test('codes without domain meaning, domain errors and non-errors pass through unchanged', () => {
    const conflict = awsError('DeleteConflictException', 'deactivate first');
    const domain = new PolicyChangedSinceBackupError('changed');
    expect(toDomainError(conflict, 'iam:X')).toBe(conflict);
    expect(toDomainError(domain, 'iam:X')).toBe(domain);
    expect(toDomainError('boom', 'iam:X')).toBe('boom');
    expect(toDomainError(null, 'iam:X')).toBeNull();
  });

  test('an error without a message still gets a readable one', () => {
    const mapped = toDomainError(awsError('Throttling', ''), 'iam:ListAccessKeys');
    expect((mapped as Error).message).toBe('iam:ListAccessKeys: no message');
  });
});

describe('error codes', () => {
  test('match with or without the Exception suffix, and by wire code', () => {
    const error = new NoSuchEntityException({ message: 'none', ...metadata });
    Object.assign(error, { Code: 'NoSuchEntity' });
    expect(awsErrorCodes(error)).toEqual(expect.arrayContaining(['NoSuchEntity', 'NoSuchEntityException']));
    expect(hasAwsErrorCode(error, 'NoSuchEntity')).toBe(true);
    expect(hasAwsErrorCode(error, 'EntityAlreadyExists')).toBe(false);
    expect(awsErrorCodes(undefined)).toEqual([]);
  });
});

describe('callAws', () => {
  test('returns the result, or throws the mapped error', async () => {
    await expect(callAws('iam:X', () => Promise.resolve(42))).resolves.toBe(42);
    await expect(
      callAws('iam:X', () => Promise.reject(awsError('Throttling', 'Rate exceeded'))),
    ).rejects.toThrow(ThrottledError);
  });
});
