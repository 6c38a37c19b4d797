import { createHash } from 'node:crypto';
import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRootCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createUnlockS3Handler } from '../../../lambdas/handlers/unlock-s3-bucket-policy';
import { InvalidInputError, PolicyChangedSinceBackupError } from '../../../lambdas/root-access/errors';
import { ACCOUNT_ID, ASSUME_ROOT_RESPONSE, SESSION_CREDENTIALS, awsError } from '../root-access/aws-fakes';
import { fakeContext, testRuntime } from './handler-fakes';

const stsMock = mockClient(STSClient);
const s3Mock = mockClient(S3Client);
const handler = createUnlockS3Handler(() => testRuntime());

const BUCKET = 'locked-out-bucket';
const POLICY =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}';
const POLICY_SHA = createHash('sha256').update(POLICY).digest('hex');
const REPLACEMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: `arn:aws:s3:::${BUCKET}` },
  ],
});

beforeEach(() => {
  stsMock.reset();
  s3Mock.reset();
  stsMock.on(AssumeRootCommand).resolves(ASSUME_ROOT_RESPONSE);
});

async function regionOfLastS3Call(): Promise<string> {
  const client = s3Mock.calls().at(-1)?.thisValue as S3Client;
  return client.config.region();
}

describe('UnlockS3BucketPolicy handler', () => {
  test('READ returns the policy, its digest and the bucket ARN', async () => {
    // Prepare
    s3Mock.on(GetBucketPolicyCommand).resolves({ Policy: POLICY });
    // Act
    const result = await handler(
      { operation: 'READ', accountId: ACCOUNT_ID, bucketName: BUCKET },
      fakeContext,
    );
    // Assess
    expect(result).toEqual({
      accountId: ACCOUNT_ID,
      bucketName: BUCKET,
      resourceArn: `arn:aws:s3:::${BUCKET}`,
      policy: POLICY,
      policySha256: POLICY_SHA,
      sessionAccessKeyId: SESSION_CREDENTIALS.AccessKeyId,
    });
    expect(stsMock).toHaveReceivedCommandWith(AssumeRootCommand, {
      TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy' },
    });
    expect(await regionOfLastS3Call()).toBe('eu-west-1');
  });

  test('READ of a bucket without a policy returns nulls', async () => {
    s3Mock
      .on(GetBucketPolicyCommand)
      .rejects(awsError('NoSuchBucketPolicy', 'The bucket policy does not exist', { status: 404 }));
    const result = await handler(
      { operation: 'READ', accountId: ACCOUNT_ID, bucketName: BUCKET, bucketRegion: 'us-west-2' },
      fakeContext,
    );
    expect(result).toMatchObject({ policy: null, policySha256: null });
    expect(await regionOfLastS3Call()).toBe('us-west-2');
  });

  test('APPLY DELETE removes the backed-up policy', async () => {
    s3Mock.on(GetBucketPolicyCommand).resolves({ Policy: POLICY });
    const event = {
      operation: 'APPLY',
      accountId: ACCOUNT_ID,
      bucketName: BUCKET,
      action: 'DELETE',
      expectedPolicySha256: POLICY_SHA,
    };
    await expect(handler(event, fakeContext)).resolves.toEqual({
      accountId: ACCOUNT_ID,
      bucketName: BUCKET,
      outcome: 'DELETED',
      sessionAccessKeyId: SESSION_CREDENTIALS.AccessKeyId,
    });
    expect(s3Mock).toHaveReceivedCommandTimes(DeleteBucketPolicyCommand, 1);
  });

  test('APPLY REPLACE puts the validated replacement', async () => {
    s3Mock.on(GetBucketPolicyCommand).resolves({ Policy: POLICY });
    const event = {
      operation: 'APPLY',
      accountId: ACCOUNT_ID,
      bucketName: BUCKET,
      action: 'REPLACE',
      replacementPolicy: REPLACEMENT,
      expectedPolicySha256: POLICY_SHA,
    };
    await expect(handler(event, fakeContext)).resolves.toMatchObject({ outcome: 'REPLACED' });
    expect(s3Mock).toHaveReceivedCommandWith(PutBucketPolicyCommand, { Bucket: BUCKET, Policy: REPLACEMENT });
  });

  test('APPLY refuses a policy that changed since the backup', async () => {
    s3Mock.on(GetBucketPolicyCommand).resolves({ Policy: `${POLICY} ` });
    const event = {
      operation: 'APPLY',
      accountId: ACCOUNT_ID,
      bucketName: BUCKET,
      action: 'DELETE',
      expectedPolicySha256: POLICY_SHA,
    };
    await expect(handler(event, fakeContext)).rejects.toThrow(PolicyChangedSinceBackupError);
    expect(s3Mock).not.toHaveReceivedCommand(DeleteBucketPolicyCommand);
  });

  test.each([
    [{ operation: 'WRITE', accountId: ACCOUNT_ID, bucketName: BUCKET }, 'operation'],
    [{ operation: 'READ', accountId: ACCOUNT_ID, bucketName: 'Bad_Bucket' }, 'bucketName'],
    [
      { operation: 'READ', accountId: ACCOUNT_ID, bucketName: BUCKET, bucketRegion: 'moon-1' },
      'bucketRegion',
    ],
    [
      { operation: 'APPLY', accountId: ACCOUNT_ID, bucketName: BUCKET, action: 'DELETE' },
      'expectedPolicySha256',
    ],
    [
      {
        operation: 'APPLY',
        accountId: ACCOUNT_ID,
        bucketName: BUCKET,
        action: 'REPLACE',
        expectedPolicySha256: null,
      },
      'replacementPolicy',
    ],
    [
      {
        operation: 'APPLY',
        accountId: ACCOUNT_ID,
        bucketName: BUCKET,
        action: 'REPLACE',
        replacementPolicy: '{"Statement":',
        expectedPolicySha256: null,
      },
      'replacementPolicy',
    ],
    [
      {
        operation: 'APPLY',
        accountId: ACCOUNT_ID,
        bucketName: BUCKET,
        action: 'DELETE',
        replacementPolicy: REPLACEMENT,
        expectedPolicySha256: null,
      },
      'replacementPolicy',
    ],
  ])('rejects %j before assuming root', async (event, field) => {
    const run = handler(event, fakeContext);
    await expect(run).rejects.toThrow(InvalidInputError);
    await expect(run).rejects.toMatchObject({ field });
    expect(stsMock.calls()).toHaveLength(0);
    expect(s3Mock.calls()).toHaveLength(0);
  });
});
