import { createHash } from 'node:crypto';
import { GetQueueAttributesCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRootCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createUnlockSqsHandler } from '../../../lambdas/handlers/unlock-sqs-queue-policy';
import { InvalidInputError } from '../../../lambdas/root-access/errors';
import {
  ACCOUNT_ID,
  ASSUME_ROOT_RESPONSE,
  OTHER_ACCOUNT_ID,
  SESSION_CREDENTIALS,
} from '../root-access/aws-fakes';
import { fakeContext, testRuntime } from './handler-fakes';

const stsMock = mockClient(STSClient);
const sqsMock = mockClient(SQSClient);
const handler = createUnlockSqsHandler(() => testRuntime());

const QUEUE_URL = `https://sqs.ap-northeast-1.amazonaws.com/${ACCOUNT_ID}/orders`;
const POLICY =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"sqs:*","Resource":"*"}]}';
const POLICY_SHA = createHash('sha256').update(POLICY).digest('hex');

beforeEach(() => {
  stsMock.reset();
  sqsMock.reset();
  stsMock.on(AssumeRootCommand).resolves(ASSUME_ROOT_RESPONSE);
  sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { Policy: POLICY } });
});

describe('UnlockSqsQueuePolicy handler', () => {
  test('READ uses an SQS client in the queue region and returns the queue ARN', async () => {
    // Act
    const result = await handler(
      { operation: 'READ', accountId: ACCOUNT_ID, queueUrl: QUEUE_URL },
      fakeContext,
    );
    // Assess
    expect(result).toEqual({
      accountId: ACCOUNT_ID,
      queueUrl: QUEUE_URL,
      resourceArn: `arn:aws:sqs:ap-northeast-1:${ACCOUNT_ID}:orders`,
      policy: POLICY,
      policySha256: POLICY_SHA,
      sessionAccessKeyId: SESSION_CREDENTIALS.AccessKeyId,
    });
    const client = sqsMock.call(0).thisValue as SQSClient;
    expect(await client.config.region()).toBe('ap-northeast-1');
    expect(stsMock).toHaveReceivedCommandWith(AssumeRootCommand, {
      TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/SQSUnlockQueuePolicy' },
    });
  });

  test('APPLY DELETE sets an empty Policy', async () => {
    const event = {
      operation: 'APPLY',
      accountId: ACCOUNT_ID,
      queueUrl: QUEUE_URL,
      action: 'DELETE',
      expectedPolicySha256: POLICY_SHA,
    };
    await expect(handler(event, fakeContext)).resolves.toEqual({
      accountId: ACCOUNT_ID,
      queueUrl: QUEUE_URL,
      outcome: 'DELETED',
      sessionAccessKeyId: SESSION_CREDENTIALS.AccessKeyId,
    });
    expect(sqsMock).toHaveReceivedCommandWith(SetQueueAttributesCommand, { Attributes: { Policy: '' } });
  });

  test('a queue URL of another account is rejected before any AWS call', async () => {
    // Prepare
    const foreign = `https://sqs.ap-northeast-1.amazonaws.com/${OTHER_ACCOUNT_ID}/orders`;
    // Act
    const run = handler({ operation: 'READ', accountId: ACCOUNT_ID, queueUrl: foreign }, fakeContext);
    // Assess
    await expect(run).rejects.toThrow(InvalidInputError);
    await expect(run).rejects.toThrow(
      `queueUrl: belongs to account ${OTHER_ACCOUNT_ID}, not to the target account ${ACCOUNT_ID}`,
    );
    expect(stsMock.calls()).toHaveLength(0);
    expect(sqsMock.calls()).toHaveLength(0);
  });

  test.each([
    ['the China partition', `https://sqs.cn-north-1.amazonaws.com.cn/${ACCOUNT_ID}/orders`, 'aws-cn'],
    ['GovCloud', `https://sqs.us-gov-east-1.amazonaws.com/${ACCOUNT_ID}/orders`, 'aws-us-gov'],
  ])('a queue URL of %s is rejected before any AWS call', async (_name, queueUrl, partition) => {
    // Act
    const run = handler({ operation: 'READ', accountId: ACCOUNT_ID, queueUrl }, fakeContext);
    // Assess
    await expect(run).rejects.toThrow(InvalidInputError);
    await expect(run).rejects.toThrow(
      new RegExp(`^queueUrl: .* of partition ${partition}; .* partition aws$`),
    );
    expect(stsMock.calls()).toHaveLength(0);
    expect(sqsMock.calls()).toHaveLength(0);
  });

  test('a loopback queue URL is accepted only with a local endpoint', async () => {
    const local = `http://127.0.0.1:4566/${ACCOUNT_ID}/orders`;
    await expect(
      handler({ operation: 'READ', accountId: ACCOUNT_ID, queueUrl: local }, fakeContext),
    ).rejects.toThrow(InvalidInputError);
    const localHandler = createUnlockSqsHandler(() => testRuntime({ loopbackRegion: 'eu-west-1' }));
    await expect(
      localHandler({ operation: 'READ', accountId: ACCOUNT_ID, queueUrl: local }, fakeContext),
    ).resolves.toMatchObject({ resourceArn: `arn:aws:sqs:eu-west-1:${ACCOUNT_ID}:orders` });
  });
});
