/**
 * Model constraints (sandbox/service-constraints.json, extracted from AWS's published service models)
 * enforced on the wire, with each protocol's validation error, through the unmodified AWS SDK.
 */
import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { ListAccountsCommand, ListParentsCommand } from '@aws-sdk/client-organizations';
import { GetQueueAttributesCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { AssumeRootCommand } from '@aws-sdk/client-sts';
import type { Sandbox } from '../../sandbox';
import { violations } from '../../sandbox/constraints';
import { INVITED, assumeRoot, clients, startTestSandbox, taskArn } from './helpers';

describe('constraints of the service models', () => {
  test('come from the models: AssumeRoot DurationSeconds 0..900, TargetPrincipal 12..2048 characters', () => {
    const params = new URLSearchParams({
      TargetPrincipal: '12345',
      'TaskPolicyArn.arn': 'x'.repeat(20),
      DurationSeconds: '901',
    });
    expect(violations('sts', 'AssumeRoot', params).map((v) => [v.path, v.constraint])).toEqual([
      ['targetPrincipal', 'Member must have length greater than or equal to 12'],
      ['durationSeconds', 'Member must have value less than or equal to 900'],
    ]);
  });

  test('nested query members are read as AWS serializes them (TaskPolicyArn.arn)', () => {
    const params = new URLSearchParams({ TargetPrincipal: INVITED, 'TaskPolicyArn.arn': 'short' });
    expect(violations('sts', 'AssumeRoot', params)).toMatchObject([
      { path: 'taskPolicyArn.arn', constraint: 'Member must have length greater than or equal to 20' },
    ]);
  });

  test('patterns of the models are Java regular expressions, read with code points', () => {
    expect(violations('iam', 'ListAccessKeys', new URLSearchParams({ UserName: 'has space' }))).toMatchObject(
      [{ path: 'userName', reason: 'INVALID_PATTERN' }],
    );
    expect(violations('iam', 'ListAccessKeys', new URLSearchParams({ UserName: 'root.user@x' }))).toEqual([]);
  });
});

describe('validation errors on the wire, per protocol', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox.close());

  test('query (STS): ValidationError 400 naming every member, and no session is issued', async () => {
    const error: unknown = await clients(sandbox)
      .sts.send(
        new AssumeRootCommand({
          TargetPrincipal: '1234',
          TaskPolicyArn: { arn: taskArn('S3UnlockBucketPolicy') },
          DurationSeconds: 1000,
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toBe(
      "2 validation errors detected: Value '1234' at 'targetPrincipal' failed to satisfy constraint: Member must have length greater than or equal to 12; " +
        "Value '1000' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 900",
    );
    expect(sandbox.state.sessions()).toEqual([]);
  });

  test('query (IAM): a UserName breaking the pattern is ValidationError 400', async () => {
    const session = await assumeRoot(sandbox, INVITED, 'IAMAuditRootUserCredentials');
    await expect(
      clients(sandbox, session).iam.send(new ListAccessKeysCommand({ UserName: 'a b' })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('JSON (Organizations): InvalidInputException with its Reason', async () => {
    const organizations = clients(sandbox).organizations;
    await expect(organizations.send(new ListAccountsCommand({ MaxResults: 0 }))).rejects.toMatchObject({
      name: 'InvalidInputException',
      Reason: 'MIN_VALUE_EXCEEDED',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(organizations.send(new ListParentsCommand({ ChildId: 'not-an-id' }))).rejects.toMatchObject({
      name: 'InvalidInputException',
      Reason: 'INVALID_PATTERN',
    });
  });

  test('SQS: MissingParameter when a required member is absent', async () => {
    const session = await assumeRoot(sandbox, INVITED, 'SQSUnlockQueuePolicy');
    const sqs = clients(sandbox, session).sqs;
    await expect(sqs.send(new GetQueueAttributesCommand({ QueueUrl: undefined }))).rejects.toMatchObject({
      name: 'MissingParameter',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(sqs.send(new ListQueuesCommand({}))).resolves.toBeDefined();
  });
});
