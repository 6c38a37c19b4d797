/**
 * S3 inputs checked as S3 does: the general purpose bucket naming rules (S3 User Guide, "General
 * purpose bucket naming rules") → InvalidBucketName 400; the model's required Policy of
 * PutBucketPolicy → MissingRequestBodyError 400; ExpectedBucketOwner → AccessDenied 403.
 */
import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import type { Sandbox } from '../../sandbox';
import { bucketNameProblem } from '../../sandbox/s3-validation';
import { INVITED, LOCKED_BUCKET, LOCKED_POLICY, assumeRoot, clients, startTestSandbox } from './helpers';

describe('general purpose bucket naming rules', () => {
  test.each([
    // "Bucket names must be between 3 (min) and 63 (max) characters long."
    ['ab', 'between 3 and 63'],
    ['a'.repeat(64), 'between 3 and 63'],
    // "Bucket names can consist only of lowercase letters, numbers, periods (.), and hyphens (-)."
    ['Not_A_Bucket', 'lowercase letters'],
    ['under_score', 'lowercase letters'],
    // "Bucket names must begin and end with a letter or number."
    ['-leading', 'begin and end'],
    ['trailing.', 'begin and end'],
    // "Bucket names must not contain two adjacent periods."
    ['two..periods', 'adjacent periods'],
    // "Bucket names must not be formatted as an IP address (for example, 192.168.5.4)."
    ['192.168.5.4', 'IP address'],
    // "Bucket names must not start with the prefix xn--."
    ['xn--bucket', 'prefix xn--'],
    // "Bucket names must not start with the prefix sthree-." (and sthree-configurator)
    ['sthree-configurator', 'prefix sthree-'],
    // "Bucket names must not start with the prefix amzn-s3-demo-."
    ['amzn-s3-demo-bucket', 'prefix amzn-s3-demo-'],
    // "Bucket names must not end with the suffix -s3alias. This suffix is reserved for access point alias names."
    ['my-bucket-s3alias', 'suffix -s3alias'],
    // "Bucket names must not end with the suffix --ol-s3. This suffix is reserved for Object Lambda Access Point alias names."
    ['my-bucket--ol-s3', 'suffix --ol-s3'],
    // "Bucket names must not end with the suffix .mrap. This suffix is reserved for Multi-Region Access Point names."
    ['my-bucket.mrap', 'suffix .mrap'],
  ])('%s is refused (%s)', (name, rule) => {
    expect(bucketNameProblem(name)).toContain(rule);
  });

  test.each([
    'abc',
    'a'.repeat(63),
    'docexamplebucket1',
    'log-delivery-march-2020',
    'my.bucket.example',
    '1.2.3',
  ])('%s is accepted', (name) => expect(bucketNameProblem(name)).toBeUndefined());
});

describe('S3 input errors on the wire', () => {
  let sandbox: Sandbox;
  let s3: ReturnType<typeof clients>['s3'];
  let session: Awaited<ReturnType<typeof assumeRoot>>;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    session = await assumeRoot(sandbox, INVITED, 'S3UnlockBucketPolicy');
    s3 = clients(sandbox, session).s3;
  });
  afterAll(() => sandbox.close());

  /** A request the SDK would not send (it fills required members): signed headers, signature unchecked. */
  const raw = (method: string, path: string, body?: string) =>
    fetch(`${sandbox.endpoint}${path}`, {
      method,
      body,
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${session.accessKeyId}/20260101/${sandbox.region}/s3/aws4_request, SignedHeaders=host, Signature=0`,
        'x-amz-security-token': session.sessionToken ?? '',
      },
    });

  test('an invalid bucket name is InvalidBucketName 400, before NoSuchBucket', async () => {
    for (const Bucket of ['Not_A_Bucket', 'xn--punycode', 'ab']) {
      await expect(s3.send(new GetBucketPolicyCommand({ Bucket }))).rejects.toMatchObject({
        name: 'InvalidBucketName',
        $metadata: { httpStatusCode: 400 },
      });
    }
    const response = await raw('DELETE', '/192.168.5.4?policy');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>InvalidBucketName</Code>');
  });

  // S3 error codes: "MissingRequestBodyError — You sent an empty XML document as a request. 400 Bad Request";
  // the model marks PutBucketPolicy's Policy as required.
  test('PutBucketPolicy without a body is MissingRequestBodyError 400 and keeps the policy', async () => {
    const response = await raw('PUT', `/${LOCKED_BUCKET}?policy`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>MissingRequestBodyError</Code>');
    expect(sandbox.state.bucket(LOCKED_BUCKET)?.policy).toBe(LOCKED_POLICY);
  });

  // The model (ExpectedBucketOwner): "If the account ID that you provide does not match the actual owner
  // of the bucket, the request fails with the HTTP status code 403 Forbidden (access denied)."
  test('ExpectedBucketOwner of another account is AccessDenied 403 and deletes nothing', async () => {
    await expect(
      s3.send(new DeleteBucketPolicyCommand({ Bucket: LOCKED_BUCKET, ExpectedBucketOwner: '999999999999' })),
    ).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect(sandbox.state.bucket(LOCKED_BUCKET)?.policy).toBe(LOCKED_POLICY);
    await expect(
      s3.send(new GetBucketPolicyCommand({ Bucket: LOCKED_BUCKET, ExpectedBucketOwner: INVITED })),
    ).resolves.toMatchObject({ Policy: LOCKED_POLICY });
  });

  // The model: ListBuckets MaxBuckets 1..10000 (S3 answers a bad argument with InvalidArgument 400).
  test('ListBuckets MaxBuckets out of the model range is InvalidArgument 400', async () => {
    await expect(s3.send(new ListBucketsCommand({ MaxBuckets: 10001 }))).rejects.toMatchObject({
      name: 'InvalidArgument',
      $metadata: { httpStatusCode: 400 },
    });
  });
});
