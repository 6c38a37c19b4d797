import { GetAccountSummaryCommand, IAMClient, DeleteLoginProfileCommand } from '@aws-sdk/client-iam';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import type { Sandbox } from '../../sandbox';
import type { Credentials } from './helpers';
import { INVITED, LOCKED_BUCKET, assumeRoot, clients, startTestSandbox } from './helpers';

/** Ten attempts, 1 ms apart: the SDK's own retry logic with short delays. */
const retrying = (sandbox: Sandbox, credentials: Credentials = sandbox.managementCredentials) => ({
  endpoint: sandbox.endpoint,
  region: sandbox.region,
  credentials,
  retryStrategy: new ConfiguredRetryStrategy(10, () => 1),
});

describe('sandbox throttling and faults', () => {
  let sandbox: Sandbox;
  afterEach(() => sandbox.close());

  test('throttled answers make the SDK retry and succeed, for every service', async () => {
    sandbox = await startTestSandbox();
    const iamSession = await assumeRoot(sandbox, INVITED, 'IAMAuditRootUserCredentials');
    const s3Session = await assumeRoot(sandbox, INVITED, 'S3UnlockBucketPolicy');
    const sqsSession = await assumeRoot(sandbox, INVITED, 'SQSUnlockQueuePolicy');
    sandbox.setFaults({ seed: 11, throttle: 0.5 });
    const url = `https://sqs.us-east-1.amazonaws.com/${INVITED}/invited-queue`;
    const answers = [];
    for (let i = 0; i < 4; i += 1) {
      answers.push(
        await new STSClient(retrying(sandbox)).send(new GetCallerIdentityCommand({})),
        await new OrganizationsClient(retrying(sandbox)).send(new ListAccountsCommand({})),
        await new IAMClient(retrying(sandbox, iamSession)).send(new GetAccountSummaryCommand({})),
        await new S3Client(retrying(sandbox, s3Session)).send(
          new GetBucketPolicyCommand({ Bucket: LOCKED_BUCKET }),
        ),
        await new SQSClient(retrying(sandbox, sqsSession)).send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] }),
        ),
      );
    }
    expect(answers.some((a) => (a.$metadata.attempts ?? 1) > 1)).toBe(true);
    const throttled = sandbox.metrics.calls().filter((c) => c.outcome === 'throttled');
    expect(new Set(throttled.map((c) => c.code))).toEqual(
      new Set(['Throttling', 'TooManyRequestsException', 'SlowDown', 'RequestThrottled']),
    );
    const summary = sandbox.metrics.summary();
    expect(summary.throttled).toBeGreaterThan(0);
    expect(summary.ok).toBe(3 + 20);
  });

  test('each service answers its own throttling error to a client without retries', async () => {
    sandbox = await startTestSandbox({ faults: { throttle: { iam: 1, organizations: 1 } } });
    const { organizations } = clients(sandbox);
    await expect(organizations.send(new ListAccountsCommand({}))).rejects.toMatchObject({
      name: 'TooManyRequestsException',
    });
    const session = await assumeRoot(sandbox, INVITED, 'IAMAuditRootUserCredentials');
    await expect(clients(sandbox, session).iam.send(new GetAccountSummaryCommand({}))).rejects.toMatchObject({
      name: 'Throttling',
    });
    expect(sandbox.metrics.count({ outcome: 'throttled', cause: 'injected' })).toBe(2);
  });

  test('ServiceFailure (500) and EntityTemporarilyUnmodifiable are injected on IAM and retried or surfaced', async () => {
    sandbox = await startTestSandbox();
    const session = await assumeRoot(sandbox, INVITED, 'IAMDeleteRootUserCredentials');
    sandbox.setFaults({ seed: 3, entityTemporarilyUnmodifiable: 1 });
    await expect(clients(sandbox, session).iam.send(new DeleteLoginProfileCommand({}))).rejects.toMatchObject(
      {
        name: 'EntityTemporarilyUnmodifiableException',
      },
    );
    expect(sandbox.state.account(INVITED).rootCredentials.loginProfile).toBeDefined();
    sandbox.setFaults({ seed: 5, serviceFailure: 0.5 });
    const answer = await new IAMClient(retrying(sandbox, session)).send(new DeleteLoginProfileCommand({}));
    expect(answer.$metadata.httpStatusCode).toBe(200);
    expect(sandbox.state.account(INVITED).rootCredentials.loginProfile).toBeUndefined();
    expect(sandbox.metrics.count({ outcome: 'fault', code: 'EntityTemporarilyUnmodifiable' })).toBe(1);
  });

  test('a token-bucket quota per caller account throttles bursts; the clock refills it', async () => {
    sandbox = await startTestSandbox({ quotas: { sts: { ratePerSecond: 2, burst: 3 } } });
    const { sts } = clients(sandbox);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => sts.send(new GetCallerIdentityCommand({}))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(sandbox.metrics.count({ service: 'sts', outcome: 'throttled', cause: 'quota' })).toBe(2);
    sandbox.clock.advance(1_000);
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
  });

  test('latency follows the configured distribution', async () => {
    sandbox = await startTestSandbox({ latency: { sts: { fixedMs: 60 } } });
    const started = Date.now();
    await clients(sandbox).sts.send(new GetCallerIdentityCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });
});
