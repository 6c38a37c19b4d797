import { inspect } from 'node:util';
import { IAMClient } from '@aws-sdk/client-iam';
import { AssumeRootCommand, ExpiredTokenException, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import {
  FeatureNotEnabledError,
  InvalidInputError,
  RootAccessDeniedError,
  RootSessionExpiredError,
  TargetNotEligibleError,
  ThrottledError,
} from '../../../lambdas/root-access/errors';
import { DEFAULT_SESSION_SECONDS, openRootSession } from '../../../lambdas/root-access/root-session';
import type { RootTask } from '../../../lambdas/root-access/task-policies';
import { ACCOUNT_ID, ASSUME_ROOT_RESPONSE, SESSION_CREDENTIALS, awsError } from './aws-fakes';

const stsMock = mockClient(STSClient);
const sts = new STSClient({ region: 'eu-west-1' });

function open(task: RootTask = 'IAMAuditRootUserCredentials', extra: { durationSeconds?: number } = {}) {
  return openRootSession({
    sts,
    accountId: ACCOUNT_ID,
    task,
    partition: 'aws',
    region: 'eu-west-1',
    ...extra,
  });
}

beforeEach(() => {
  stsMock.reset();
  stsMock.on(AssumeRootCommand).resolves(ASSUME_ROOT_RESPONSE);
});

describe('openRootSession: the AssumeRoot request', () => {
  test('targets the account with the task policy ARN and the task default duration', async () => {
    // Act
    const session = await open('IAMDeleteRootUserCredentials');
    // Assess
    expect(stsMock).toHaveReceivedCommandTimes(AssumeRootCommand, 1);
    expect(stsMock).toHaveReceivedCommandWith(AssumeRootCommand, {
      TargetPrincipal: ACCOUNT_ID,
      TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials' },
      DurationSeconds: 600,
    });
    expect(session).toMatchObject({
      accountId: ACCOUNT_ID,
      task: 'IAMDeleteRootUserCredentials',
      accessKeyId: SESSION_CREDENTIALS.AccessKeyId,
      expiration: SESSION_CREDENTIALS.Expiration,
      durationSeconds: 600,
    });
  });

  test.each(Object.entries(DEFAULT_SESSION_SECONDS))(
    '%s defaults to %i seconds, within 900',
    async (task, seconds) => {
      await open(task as RootTask);
      expect(stsMock).toHaveReceivedCommandWith(AssumeRootCommand, { DurationSeconds: seconds });
      expect(seconds).toBeLessThanOrEqual(900);
    },
  );

  test('uses the configured duration, up to 900 seconds', async () => {
    await open('S3UnlockBucketPolicy', { durationSeconds: 900 });
    expect(stsMock).toHaveReceivedCommandWith(AssumeRootCommand, { DurationSeconds: 900 });
  });

  test.each([901, 0, 12.5, Number.NaN])('refuses %p seconds before calling STS', async (durationSeconds) => {
    // Act
    const opening = open('IAMAuditRootUserCredentials', { durationSeconds });
    // Assess
    await expect(opening).rejects.toThrow(InvalidInputError);
    await expect(opening).rejects.toThrow(/^durationSeconds: must be an integer from 1 to 900/);
    expect(stsMock.calls()).toHaveLength(0);
  });

  test('uses the partition of the region in the task policy ARN', async () => {
    await openRootSession({
      sts,
      accountId: ACCOUNT_ID,
      task: 'SQSUnlockQueuePolicy',
      partition: 'aws-us-gov',
      region: 'us-gov-west-1',
    });
    expect(stsMock).toHaveReceivedCommandWith(AssumeRootCommand, {
      TaskPolicyArn: { arn: 'arn:aws-us-gov:iam::aws:policy/root-task/SQSUnlockQueuePolicy' },
    });
  });
});

describe('openRootSession: clients and secrets', () => {
  test('builds clients that sign with the root-session credentials', async () => {
    const session = await open();
    const credentials = await session.iam().config.credentials();
    expect(credentials).toMatchObject({
      accessKeyId: SESSION_CREDENTIALS.AccessKeyId,
      secretAccessKey: SESSION_CREDENTIALS.SecretAccessKey,
      sessionToken: SESSION_CREDENTIALS.SessionToken,
    });
    expect(await session.iam().config.region()).toBe('eu-west-1');
    expect(session.iam()).toBe(session.iam());
  });

  test('keeps the secret key and session token off the session object', async () => {
    const session = await open();
    const surfaces = [
      JSON.stringify(session),
      inspect(session, { depth: 5, showHidden: true }),
      Object.values(session).join(' '),
    ];
    for (const surface of surfaces) {
      expect(surface).not.toContain(SESSION_CREDENTIALS.SecretAccessKey);
      expect(surface).not.toContain(SESSION_CREDENTIALS.SessionToken);
    }
    expect(JSON.stringify(session)).toContain(SESSION_CREDENTIALS.AccessKeyId);
  });

  test('passes the client config through, S3 options to S3 only', async () => {
    const session = await openRootSession({
      sts,
      accountId: ACCOUNT_ID,
      task: 'S3UnlockBucketPolicy',
      partition: 'aws',
      region: 'eu-west-1',
      clientConfig: { maxAttempts: 7, forcePathStyle: true },
    });
    const s3 = session.s3();
    expect(s3.config.forcePathStyle).toBe(true);
    expect(s3.config.followRegionRedirects).toBe(true);
    expect(await s3.config.maxAttempts()).toBe(7);
    expect(await s3.config.region()).toBe('eu-west-1');
    expect(await session.s3('ap-southeast-2').config.region()).toBe('ap-southeast-2');
    expect(await session.iam().config.maxAttempts()).toBe(7);
  });

  test('builds the SQS client for the queue region and never redirects to the URL host', async () => {
    const session = await open('SQSUnlockQueuePolicy');
    const sqs = session.sqs('us-west-2');
    expect(await sqs.config.region()).toBe('us-west-2');
    expect(sqs.config.useQueueUrlAsEndpoint).toBe(false);
    expect(session.sqs('us-west-2')).toBe(sqs);
    expect((await sqs.config.credentials()).accessKeyId).toBe(SESSION_CREDENTIALS.AccessKeyId);
  });

  test('dispose destroys every client it built', async () => {
    const session = await open();
    const destroy = jest.spyOn(IAMClient.prototype, 'destroy');
    session.iam();
    session.dispose();
    expect(destroy).toHaveBeenCalledTimes(1);
    destroy.mockRestore();
  });

  test('refuses a response without credentials', async () => {
    stsMock.on(AssumeRootCommand).resolves({});
    await expect(open()).rejects.toThrow(RootAccessDeniedError);
  });
});

describe('openRootSession: AWS errors become domain errors', () => {
  test.each([
    [
      'AccessDenied, feature not enabled',
      awsError(
        'AccessDenied',
        'Centralized root access is not enabled for your organization (RootCredentialsManagement)',
        { status: 403 },
      ),
      FeatureNotEnabledError,
    ],
    [
      'AccessDenied, not authorised',
      awsError('AccessDenied', 'User is not authorized to perform: sts:AssumeRoot', { status: 403 }),
      RootAccessDeniedError,
    ],
    [
      'ValidationError, management account',
      awsError('ValidationError', 'The management account cannot be the target principal'),
      TargetNotEligibleError,
    ],
    ['Throttling', awsError('Throttling', 'Rate exceeded'), ThrottledError],
    [
      'ExpiredToken',
      new ExpiredTokenException({
        message: 'The security token included in the request is expired',
        $metadata: {},
      }),
      RootSessionExpiredError,
    ],
  ])('%s', async (_label, error, expected) => {
    // Prepare
    stsMock.on(AssumeRootCommand).rejects(error);
    // Act
    const opening = open();
    // Assess
    await expect(opening).rejects.toBeInstanceOf(expected);
    await expect(opening).rejects.toThrow(/^sts:AssumeRoot: /);
  });
});
