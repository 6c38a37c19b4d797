import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  ListBucketsCommand,
  NoSuchBucket,
  PutBucketPolicyCommand,
} from '@aws-sdk/client-s3';
import type { Sandbox } from '../../sandbox';
import {
  CLEAN,
  INVITED,
  LOCKED_BUCKET,
  LOCKED_POLICY,
  assumeRoot,
  clients,
  startTestSandbox,
} from './helpers';

describe('sandbox S3 in an S3UnlockBucketPolicy session', () => {
  let sandbox: Sandbox;
  let s3: ReturnType<typeof clients>['s3'];
  beforeEach(async () => {
    sandbox = await startTestSandbox();
    s3 = clients(sandbox, await assumeRoot(sandbox, INVITED, 'S3UnlockBucketPolicy')).s3;
  });
  afterEach(() => sandbox.close());

  test('ListBuckets lists the session account buckets only', async () => {
    const { Buckets } = await s3.send(new ListBucketsCommand({}));
    expect(Buckets?.map((b) => b.Name).sort()).toEqual(['invited-locked-bucket', 'invited-open-bucket']);
  });

  test('get, put and delete the bucket policy, byte for byte; NoSuchBucketPolicy after', async () => {
    const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket: LOCKED_BUCKET }));
    expect(Policy).toBe(LOCKED_POLICY);
    const replacement = `{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Principal": {"AWS": "${INVITED}"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${LOCKED_BUCKET}/*"}]\n}`;
    await s3.send(new PutBucketPolicyCommand({ Bucket: LOCKED_BUCKET, Policy: replacement }));
    expect(sandbox.state.bucket(LOCKED_BUCKET)?.policy).toBe(replacement);
    const deleted = await s3.send(new DeleteBucketPolicyCommand({ Bucket: LOCKED_BUCKET }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(sandbox.state.bucket(LOCKED_BUCKET)?.policy).toBeUndefined();
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: LOCKED_BUCKET }))).rejects.toMatchObject({
      name: 'NoSuchBucketPolicy',
      $metadata: { httpStatusCode: 404 },
    });
  });

  test('an invalid policy is MalformedPolicy and leaves the old one', async () => {
    await expect(
      s3.send(new PutBucketPolicyCommand({ Bucket: LOCKED_BUCKET, Policy: 'not json' })),
    ).rejects.toMatchObject({ name: 'MalformedPolicy', $metadata: { httpStatusCode: 400 } });
    expect(sandbox.state.bucket(LOCKED_BUCKET)?.policy).toBe(LOCKED_POLICY);
  });

  test('a policy S3 refuses (empty Statement, another bucket) is MalformedPolicy, 400', async () => {
    for (const Policy of [
      '{"Version":"2012-10-17","Statement":[]}',
      '{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::elsewhere/*"}}',
    ]) {
      await expect(
        s3.send(new PutBucketPolicyCommand({ Bucket: LOCKED_BUCKET, Policy })),
      ).rejects.toMatchObject({
        name: 'MalformedPolicy',
        $metadata: { httpStatusCode: 400 },
      });
    }
    expect(sandbox.state.bucket(LOCKED_BUCKET)?.policy).toBe(LOCKED_POLICY);
  });

  test('an unknown bucket is NoSuchBucket', async () => {
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: 'nobody-has-this' }))).rejects.toBeInstanceOf(
      NoSuchBucket,
    );
  });

  test("a session cannot touch another account's bucket", async () => {
    await expect(s3.send(new DeleteBucketPolicyCommand({ Bucket: 'clean-bucket' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    expect(sandbox.state.bucket('clean-bucket')?.policy).toBe('{"Statement":[]}');
  });

  test('an IAM task session cannot call S3', async () => {
    const iamSession = await assumeRoot(sandbox, CLEAN, 'IAMAuditRootUserCredentials');
    await expect(
      clients(sandbox, iamSession).s3.send(new GetBucketPolicyCommand({ Bucket: 'clean-bucket' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
