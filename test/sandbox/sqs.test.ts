import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  QueueDoesNotExist,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import { CLEAN, INVITED, QUEUE_POLICY, assumeRoot, clients, fixture, startTestSandbox } from './helpers';

const QUEUE_URL = `https://sqs.us-east-1.amazonaws.com/${INVITED}/invited-queue`;

describe('sandbox SQS (JSON protocol) in an SQSUnlockQueuePolicy session', () => {
  let sandbox: Sandbox;
  let sqs: SQSClient;
  beforeEach(async () => {
    sandbox = await startTestSandbox();
    sqs = clients(sandbox, await assumeRoot(sandbox, INVITED, 'SQSUnlockQueuePolicy')).sqs;
  });
  afterEach(() => sandbox.close());

  test('queue URLs are shaped like AWS and the client with `endpoint` still calls the sandbox', async () => {
    expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls).toEqual([QUEUE_URL]);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'invited-queue' }))).QueueUrl).toBe(QUEUE_URL);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: QUEUE_URL, AttributeNames: ['All'] }),
    );
    expect(Attributes?.QueueArn).toBe(`arn:aws:sqs:us-east-1:${INVITED}:invited-queue`);
    expect(sandbox.metrics.count({ service: 'sqs', action: 'GetQueueAttributes', outcome: 'ok' })).toBe(1);
  });

  test('get and set Policy; "" removes it', async () => {
    const got = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: QUEUE_URL, AttributeNames: ['Policy'] }),
    );
    expect(got.Attributes).toEqual({ Policy: QUEUE_POLICY });
    const open = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"${INVITED}"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:${INVITED}:invited-queue"}]}`;
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: QUEUE_URL, Attributes: { Policy: open } }));
    expect(sandbox.state.queue(INVITED, 'invited-queue')?.attributes.Policy).toBe(open);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: QUEUE_URL, Attributes: { Policy: '' } }));
    expect(sandbox.state.queue(INVITED, 'invited-queue')?.attributes.Policy).toBeUndefined();
    const after = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: QUEUE_URL, AttributeNames: ['Policy'] }),
    );
    expect(after.Attributes).toBeUndefined();
  });

  test('a Policy SQS refuses is InvalidAttributeValue and changes nothing', async () => {
    const missingPrincipal = `{"Statement":[{"Effect":"Deny","Action":"sqs:*","Resource":"arn:aws:sqs:us-east-1:${INVITED}:invited-queue"}]}`;
    await expect(
      sqs.send(
        new SetQueueAttributesCommand({ QueueUrl: QUEUE_URL, Attributes: { Policy: missingPrincipal } }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidAttributeValue', $metadata: { httpStatusCode: 400 } });
    expect(sandbox.state.queue(INVITED, 'invited-queue')?.attributes.Policy).toBe(QUEUE_POLICY);
  });

  test('a queue URL of another region or partition than the endpoint is InvalidAddress', async () => {
    for (const QueueUrl of [
      `https://sqs.eu-west-1.amazonaws.com/${INVITED}/invited-queue`,
      `https://sqs.us-east-1.amazonaws.com.cn/${INVITED}/invited-queue`,
    ]) {
      await expect(
        sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] })),
      ).rejects.toMatchObject({ name: 'InvalidAddress', $metadata: { httpStatusCode: 400 } });
    }
  });

  test('an unknown queue is QueueDoesNotExist', async () => {
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' }))).rejects.toBeInstanceOf(
      QueueDoesNotExist,
    );
  });

  test("a session cannot touch another account's queue", async () => {
    const other = `https://sqs.us-east-1.amazonaws.com/${CLEAN}/clean-queue`;
    await expect(
      sqs.send(new GetQueueAttributesCommand({ QueueUrl: other, AttributeNames: ['Policy'] })),
    ).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    await expect(
      sqs.send(new SetQueueAttributesCommand({ QueueUrl: other, Attributes: { Policy: '' } })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(
      sqs.send(new GetQueueUrlCommand({ QueueName: 'clean-queue', QueueOwnerAWSAccountId: CLEAN })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});

describe('sandbox SQS queue URLs for clients configured by AWS_ENDPOINT_URL only', () => {
  test("sqsQueueUrls 'endpoint' answers URLs on the sandbox, which such clients follow", async () => {
    const sandbox = await startSandbox({ organization: fixture(), sqsQueueUrls: 'endpoint' });
    try {
      const session = await assumeRoot(sandbox, INVITED, 'SQSUnlockQueuePolicy');
      // No `endpoint` option: the client resolves AWS and follows the queue URL's host, as with AWS_ENDPOINT_URL.
      const warnings: string[] = [];
      const logger = {
        debug: () => {},
        info: () => {},
        error: () => {},
        warn: (m: string) => warnings.push(m),
      };
      const sqs = new SQSClient({ region: 'us-east-1', credentials: session, maxAttempts: 1, logger });
      const url = `${sandbox.endpoint}/${INVITED}/invited-queue`;
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] }),
      );
      expect(Attributes?.Policy).toBe(QUEUE_POLICY);
      expect(warnings.join()).toContain('using QueueUrl host as endpoint');
    } finally {
      await sandbox.close();
    }
  });
});
