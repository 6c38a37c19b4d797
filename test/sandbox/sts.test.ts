import { AssumeRootCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Sandbox } from '../../sandbox';
import { CLEAN, INVITED, MANAGEMENT, SUSPENDED, assumeRoot, clients, fixture, taskArn } from './helpers';
import { startSandbox } from '../../sandbox';

describe('sandbox STS', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ organization: fixture() });
  });
  afterAll(() => sandbox.close());

  const assume = (target: string, arn: string, duration?: number) =>
    clients(sandbox).sts.send(
      new AssumeRootCommand({
        TargetPrincipal: target,
        TaskPolicyArn: { arn },
        ...(duration === undefined ? {} : { DurationSeconds: duration }),
      }),
    );

  test('AssumeRoot returns temporary credentials that expire after DurationSeconds (default 900)', async () => {
    const before = Date.now();
    const { Credentials } = await assume(INVITED, taskArn('IAMAuditRootUserCredentials'));
    expect(Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(Credentials?.SecretAccessKey).toHaveLength(40);
    expect(Credentials?.SessionToken).toBeTruthy();
    const expiresIn = (Credentials?.Expiration?.getTime() ?? 0) - before;
    expect(expiresIn).toBeGreaterThan(895_000);
    expect(expiresIn).toBeLessThanOrEqual(901_000);
    expect(sandbox.state.sessions().at(-1)).toMatchObject({
      accountId: INVITED,
      task: 'IAMAuditRootUserCredentials',
    });
  });

  test("a task policy ARN of another partition than the organization's is a ValidationError", async () => {
    await expect(assume(INVITED, taskArn('IAMAuditRootUserCredentials', 'aws-us-gov'))).rejects.toMatchObject(
      {
        name: 'ValidationError',
        $metadata: { httpStatusCode: 400 },
      },
    );
  });

  test("in an aws-us-gov organization, that partition's task policy ARNs are the valid ones", async () => {
    const gov = await startSandbox({
      organization: fixture({ partition: 'aws-us-gov' }),
      region: 'us-gov-west-1',
    });
    try {
      const { Credentials } = await clients(gov).sts.send(
        new AssumeRootCommand({
          TargetPrincipal: INVITED,
          TaskPolicyArn: { arn: taskArn('IAMAuditRootUserCredentials', 'aws-us-gov') },
        }),
      );
      expect(Credentials?.AccessKeyId).toMatch(/^ASIA/);
    } finally {
      await gov.close();
    }
  });

  test('credentials signed for a region of another partition are unknown there (InvalidClientTokenId)', async () => {
    const china = new STSClient({
      endpoint: sandbox.endpoint,
      region: 'cn-north-1',
      credentials: sandbox.managementCredentials,
      maxAttempts: 1,
    });
    await expect(china.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      $metadata: { httpStatusCode: 403 },
    });
  });

  test('DurationSeconds 901 is a ValidationError', async () => {
    await expect(assume(INVITED, taskArn('IAMAuditRootUserCredentials'), 901)).rejects.toMatchObject({
      name: 'ValidationError',
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('a policy other than the five root-task policies is a ValidationError', async () => {
    await expect(assume(INVITED, 'arn:aws:iam::aws:policy/AdministratorAccess')).rejects.toMatchObject({
      name: 'ValidationError',
    });
    await expect(assume(INVITED, 'arn:aws:iam::aws:policy/root-task/RootEverything')).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });

  test('the management account as target is AccessDenied', async () => {
    await expect(assume(MANAGEMENT, taskArn('IAMAuditRootUserCredentials'))).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
  });

  test('an account outside the organization is AccessDenied', async () => {
    await expect(assume('999999999999', taskArn('IAMAuditRootUserCredentials'))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });

  test('a SUSPENDED account is AccessDenied', async () => {
    await expect(assume(SUSPENDED, taskArn('IAMAuditRootUserCredentials'))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });

  test('a root session cannot call AssumeRoot', async () => {
    const session = await assumeRoot(sandbox, INVITED, 'IAMAuditRootUserCredentials');
    await expect(
      clients(sandbox, session).sts.send(
        new AssumeRootCommand({
          TargetPrincipal: CLEAN,
          TaskPolicyArn: { arn: taskArn('S3UnlockBucketPolicy') },
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  test('GetCallerIdentity of a root session answers the account root', async () => {
    const session = await assumeRoot(sandbox, INVITED, 'SQSUnlockQueuePolicy');
    const identity = await clients(sandbox, session).sts.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: INVITED, Arn: `arn:aws:iam::${INVITED}:root` });
  });

  test('GetCallerIdentity of the management credentials answers an IAM user of the management account', async () => {
    const identity = await clients(sandbox).sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(MANAGEMENT);
    expect(identity.Arn).toMatch(new RegExp(`^arn:aws:iam::${MANAGEMENT}:user/`));
  });

  test('an unknown access key is InvalidClientTokenId', async () => {
    const stranger = { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x'.repeat(40) };
    await expect(clients(sandbox, stranger).sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject(
      {
        name: 'InvalidClientTokenId',
        $metadata: { httpStatusCode: 403 },
      },
    );
  });

  test('a root-session key without its session token is InvalidClientTokenId', async () => {
    const session = await assumeRoot(sandbox, INVITED, 'IAMAuditRootUserCredentials');
    const keyOnly = { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey };
    await expect(clients(sandbox, keyOnly).sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
    });
  });
});

describe('sandbox STS features', () => {
  test('without RootSessions the S3 unlock AssumeRoot is AccessDenied, the IAM tasks still work', async () => {
    const sandbox = await startSandbox({
      organization: fixture({ features: { rootCredentialsManagement: true, rootSessions: false } }),
    });
    try {
      const sts = clients(sandbox).sts;
      await expect(
        sts.send(
          new AssumeRootCommand({
            TargetPrincipal: INVITED,
            TaskPolicyArn: { arn: taskArn('S3UnlockBucketPolicy') },
          }),
        ),
      ).rejects.toMatchObject({ name: 'AccessDenied' });
      await expect(assumeRoot(sandbox, INVITED, 'IAMDeleteRootUserCredentials')).resolves.toBeDefined();
    } finally {
      await sandbox.close();
    }
  });

  test('without RootCredentialsManagement the IAM tasks are AccessDenied', async () => {
    const sandbox = await startSandbox({
      organization: fixture({ features: { rootCredentialsManagement: false, rootSessions: true } }),
    });
    try {
      await expect(assumeRoot(sandbox, INVITED, 'IAMAuditRootUserCredentials')).rejects.toMatchObject({
        name: 'AccessDenied',
      });
      await expect(assumeRoot(sandbox, INVITED, 'SQSUnlockQueuePolicy')).resolves.toBeDefined();
    } finally {
      await sandbox.close();
    }
  });
});
