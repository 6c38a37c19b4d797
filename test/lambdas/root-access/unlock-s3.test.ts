import { createHash } from 'node:crypto';
import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  NoSuchBucket,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import {
  InvalidInputError,
  PolicyChangedSinceBackupError,
  ResourceNotFoundError,
  RootAccessDeniedError,
} from '../../../lambdas/root-access/errors';
import { applyBucketPolicyUnlock, bucketArn, readBucketPolicy } from '../../../lambdas/root-access/unlock-s3';
import { awsError } from './aws-fakes';

const s3Mock = mockClient(S3Client);
const s3 = new S3Client({ region: 'eu-west-1' });

const BUCKET = 'locked-out-bucket';
// Whitespace kept on purpose: the digest is of the exact stored bytes.
const POLICY =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::locked-out-bucket/*"}]}\n';
const POLICY_SHA = createHash('sha256').update(POLICY).digest('hex');
const REPLACEMENT =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::locked-out-bucket"}]}';

const noPolicy = () => awsError('NoSuchBucketPolicy', 'The bucket policy does not exist', { status: 404 });

beforeEach(() => s3Mock.reset());

describe('readBucketPolicy', () => {
  test('returns the policy byte for byte with its SHA-256', async () => {
    s3Mock.on(GetBucketPolicyCommand).resolves({ Policy: POLICY });
    await expect(readBucketPolicy(s3, BUCKET)).resolves.toEqual({
      resourceArn: 'arn:aws:s3:::locked-out-bucket',
      policy: POLICY,
      policySha256: POLICY_SHA,
    });
    expect(s3Mock).toHaveReceivedCommandWith(GetBucketPolicyCommand, { Bucket: BUCKET });
  });

  test('no bucket policy is null, not an error', async () => {
    s3Mock.on(GetBucketPolicyCommand).rejects(noPolicy());
    await expect(readBucketPolicy(s3, BUCKET, 'aws-cn')).resolves.toEqual({
      resourceArn: 'arn:aws-cn:s3:::locked-out-bucket',
      policy: null,
      policySha256: null,
    });
  });

  test('a missing bucket is named', async () => {
    s3Mock
      .on(GetBucketPolicyCommand)
      .rejects(new NoSuchBucket({ message: 'The specified bucket does not exist', $metadata: {} }));
    await expect(readBucketPolicy(s3, BUCKET)).rejects.toThrow(ResourceNotFoundError);
  });

  test('a refusal is named', async () => {
    s3Mock.on(GetBucketPolicyCommand).rejects(awsError('AccessDenied', 'Access Denied', { status: 403 }));
    await expect(readBucketPolicy(s3, BUCKET)).rejects.toThrow(RootAccessDeniedError);
  });
});

describe('applyBucketPolicyUnlock', () => {
  test('DELETE removes the policy that was backed up', async () => {
    s3Mock.on(GetBucketPolicyCommand).resolves({ Policy: POLICY });
    const outcome = await applyBucketPolicyUnlock(s3, BUCKET, {
      action: 'DELETE',
      expectedPolicySha256: POLICY_SHA,
    });
    expect(outcome).toBe('DELETED');
    expect(s3Mock).toHaveReceivedCommandWith(DeleteBucketPolicyCommand, { Bucket: BUCKET });
  });

  test('DELETE with no bucket policy has nothing to unlock', async () => {
    s3Mock.on(GetBucketPolicyCommand).rejects(noPolicy());
    const outcome = await applyBucketPolicyUnlock(s3, BUCKET, {
      action: 'DELETE',
      expectedPolicySha256: null,
    });
    expect(outcome).toBe('NOTHING_TO_UNLOCK');
    expect(s3Mock).not.toHaveReceivedCommand(DeleteBucketPolicyCommand);
  });

  test('REPLACE puts the replacement document as given', async () => {
    s3Mock.on(GetBucketPolicyCommand).resolves({ Policy: POLICY });
    const outcome = await applyBucketPolicyUnlock(s3, BUCKET, {
      action: 'REPLACE',
      replacementPolicy: REPLACEMENT,
      expectedPolicySha256: POLICY_SHA,
    });
    expect(outcome).toBe('REPLACED');
    expect(s3Mock).toHaveReceivedCommandWith(PutBucketPolicyCommand, { Bucket: BUCKET, Policy: REPLACEMENT });
    expect(s3Mock).not.toHaveReceivedCommand(DeleteBucketPolicyCommand);
  });

  test('REPLACE on a bucket with no policy (a restore after a delete) puts the document', async () => {
    s3Mock.on(GetBucketPolicyCommand).rejects(noPolicy());
    const outcome = await applyBucketPolicyUnlock(s3, BUCKET, {
      action: 'REPLACE',
      replacementPolicy: REPLACEMENT,
      expectedPolicySha256: null,
    });
    expect(outcome).toBe('REPLACED');
    expect(s3Mock).toHaveReceivedCommandWith(PutBucketPolicyCommand, { Bucket: BUCKET, Policy: REPLACEMENT });
  });

  test('REPLACE expecting no policy refuses when a policy appeared', async () => {
    s3Mock.on(GetBucketPolicyCommand).resolves({ Policy: POLICY });
    const apply = applyBucketPolicyUnlock(s3, BUCKET, {
      action: 'REPLACE',
      replacementPolicy: REPLACEMENT,
      expectedPolicySha256: null,
    });
    await expect(apply).rejects.toThrow(PolicyChangedSinceBackupError);
    expect(s3Mock).not.toHaveReceivedCommand(PutBucketPolicyCommand);
  });

  test.each([
    ['the policy was edited', { Policy: POLICY.replace('Deny', 'Allow') }, POLICY_SHA],
    ['a policy appeared', { Policy: POLICY }, null],
  ])('refuses when %s since the backup', async (_label, current, expected) => {
    s3Mock.on(GetBucketPolicyCommand).resolves(current);
    const apply = applyBucketPolicyUnlock(s3, BUCKET, { action: 'DELETE', expectedPolicySha256: expected });
    await expect(apply).rejects.toThrow(PolicyChangedSinceBackupError);
    await expect(apply).rejects.toThrow(
      /^arn:aws:s3:::locked-out-bucket: the policy changed since it was backed up/,
    );
    expect(s3Mock).not.toHaveReceivedCommand(DeleteBucketPolicyCommand);
  });

  test('refuses when the backed-up policy is gone', async () => {
    s3Mock.on(GetBucketPolicyCommand).rejects(noPolicy());
    const apply = applyBucketPolicyUnlock(s3, BUCKET, { action: 'DELETE', expectedPolicySha256: POLICY_SHA });
    await expect(apply).rejects.toThrow(PolicyChangedSinceBackupError);
  });

  test.each([
    [
      'REPLACE without a document',
      { action: 'REPLACE' as const, expectedPolicySha256: POLICY_SHA },
      'replacementPolicy',
    ],
    ['an unknown action', { action: 'PURGE' as 'DELETE', expectedPolicySha256: POLICY_SHA }, 'action'],
    [
      'a malformed digest',
      { action: 'DELETE' as const, expectedPolicySha256: 'abc' },
      'expectedPolicySha256',
    ],
  ])('rejects %s before any S3 call', async (_label, input, field) => {
    const apply = applyBucketPolicyUnlock(s3, BUCKET, input);
    await expect(apply).rejects.toThrow(InvalidInputError);
    await expect(apply).rejects.toMatchObject({ field });
    expect(s3Mock.calls()).toHaveLength(0);
  });

  test('bucket ARNs follow the partition', () => {
    expect(bucketArn('b-1')).toBe('arn:aws:s3:::b-1');
    expect(bucketArn('b-1', 'aws-us-gov')).toBe('arn:aws-us-gov:s3:::b-1');
  });
});
