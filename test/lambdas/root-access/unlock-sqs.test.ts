import { createHash } from 'node:crypto';
import {
  GetQueueAttributesCommand,
  QueueDoesNotExist,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import {
  InvalidInputError,
  PolicyChangedSinceBackupError,
  ResourceNotFoundError,
} from '../../../lambdas/root-access/errors';
import {
  applyQueuePolicyUnlock,
  locateQueue,
  queueArn,
  readQueuePolicy,
} from '../../../lambdas/root-access/unlock-sqs';
import { ACCOUNT_ID, OTHER_ACCOUNT_ID } from './aws-fakes';

const IN_AWS = { partition: 'aws' } as const;
const sqsMock = mockClient(SQSClient);
const sqs = new SQSClient({ region: 'eu-central-1' });

const QUEUE_URL = `https://sqs.eu-central-1.amazonaws.com/${ACCOUNT_ID}/orders`;
const POLICY = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"sqs:*","Resource":"arn:aws:sqs:eu-central-1:${ACCOUNT_ID}:orders"}]}`;
const POLICY_SHA = createHash('sha256').update(POLICY).digest('hex');
const REPLACEMENT = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"${ACCOUNT_ID}"},"Action":"sqs:SendMessage","Resource":"*"}]}`;

beforeEach(() => sqsMock.reset());

describe('locateQueue', () => {
  test('reads region, account and name from a queue URL', () => {
    expect(locateQueue(QUEUE_URL, ACCOUNT_ID, IN_AWS)).toEqual({
      queueUrl: QUEUE_URL,
      region: 'eu-central-1',
      accountId: ACCOUNT_ID,
      queueName: 'orders',
    });
  });

  test('reads the legacy URL form', () => {
    const legacy = `https://ap-southeast-2.queue.amazonaws.com/${ACCOUNT_ID}/jobs.fifo`;
    expect(locateQueue(legacy, ACCOUNT_ID, IN_AWS)).toMatchObject({
      region: 'ap-southeast-2',
      queueName: 'jobs.fifo',
    });
  });

  test('refuses a queue of another account, naming queueUrl', () => {
    const foreign = `https://sqs.eu-central-1.amazonaws.com/${OTHER_ACCOUNT_ID}/orders`;
    expect(() => locateQueue(foreign, ACCOUNT_ID, IN_AWS)).toThrow(InvalidInputError);
    expect(() => locateQueue(foreign, ACCOUNT_ID, IN_AWS)).toThrow(
      `queueUrl: belongs to account ${OTHER_ACCOUNT_ID}, not to the target account ${ACCOUNT_ID}`,
    );
  });

  test('accepts a loopback URL only when a local region is given', () => {
    const local = `http://127.0.0.1:4566/${ACCOUNT_ID}/orders`;
    expect(() => locateQueue(local, ACCOUNT_ID, IN_AWS)).toThrow(/^queueUrl: /);
    expect(locateQueue(local, ACCOUNT_ID, { partition: 'aws', loopbackRegion: 'us-east-1' })).toMatchObject({
      region: 'us-east-1',
    });
  });
});

describe('readQueuePolicy', () => {
  const queue = locateQueue(QUEUE_URL, ACCOUNT_ID, IN_AWS);

  test('returns the Policy attribute with its SHA-256 and the queue ARN', async () => {
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { Policy: POLICY } });
    await expect(readQueuePolicy(sqs, queue)).resolves.toEqual({
      resourceArn: `arn:aws:sqs:eu-central-1:${ACCOUNT_ID}:orders`,
      policy: POLICY,
      policySha256: POLICY_SHA,
    });
    expect(sqsMock).toHaveReceivedCommandWith(GetQueueAttributesCommand, {
      QueueUrl: QUEUE_URL,
      AttributeNames: ['Policy'],
    });
  });

  test.each([[{}], [{ Attributes: {} }], [{ Attributes: { Policy: '' } }]])(
    'no policy (%j) is null',
    async (response) => {
      sqsMock.on(GetQueueAttributesCommand).resolves(response);
      await expect(readQueuePolicy(sqs, queue)).resolves.toMatchObject({ policy: null, policySha256: null });
    },
  );

  test('a missing queue is named', async () => {
    sqsMock
      .on(GetQueueAttributesCommand)
      .rejects(new QueueDoesNotExist({ message: 'The specified queue does not exist.', $metadata: {} }));
    await expect(readQueuePolicy(sqs, queue)).rejects.toThrow(ResourceNotFoundError);
  });
});

describe('applyQueuePolicyUnlock', () => {
  const queue = locateQueue(QUEUE_URL, ACCOUNT_ID, IN_AWS);

  test('DELETE sets Policy to the empty string', async () => {
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { Policy: POLICY } });
    const outcome = await applyQueuePolicyUnlock(sqs, queue, {
      action: 'DELETE',
      expectedPolicySha256: POLICY_SHA,
    });
    expect(outcome).toBe('DELETED');
    expect(sqsMock).toHaveReceivedCommandWith(SetQueueAttributesCommand, {
      QueueUrl: QUEUE_URL,
      Attributes: { Policy: '' },
    });
  });

  test('DELETE without a policy has nothing to unlock', async () => {
    sqsMock.on(GetQueueAttributesCommand).resolves({});
    const outcome = await applyQueuePolicyUnlock(sqs, queue, {
      action: 'DELETE',
      expectedPolicySha256: null,
    });
    expect(outcome).toBe('NOTHING_TO_UNLOCK');
    expect(sqsMock).not.toHaveReceivedCommand(SetQueueAttributesCommand);
  });

  test('REPLACE sets the replacement document', async () => {
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { Policy: POLICY } });
    const outcome = await applyQueuePolicyUnlock(sqs, queue, {
      action: 'REPLACE',
      replacementPolicy: REPLACEMENT,
      expectedPolicySha256: POLICY_SHA,
    });
    expect(outcome).toBe('REPLACED');
    expect(sqsMock).toHaveReceivedCommandWith(SetQueueAttributesCommand, {
      Attributes: { Policy: REPLACEMENT },
    });
  });

  test('REPLACE on a queue with no policy (a restore after a delete) sets the document', async () => {
    sqsMock.on(GetQueueAttributesCommand).resolves({});
    const outcome = await applyQueuePolicyUnlock(sqs, queue, {
      action: 'REPLACE',
      replacementPolicy: REPLACEMENT,
      expectedPolicySha256: null,
    });
    expect(outcome).toBe('REPLACED');
    expect(sqsMock).toHaveReceivedCommandWith(SetQueueAttributesCommand, {
      Attributes: { Policy: REPLACEMENT },
    });
  });

  test('REPLACE expecting no policy refuses when a policy appeared', async () => {
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { Policy: POLICY } });
    await expect(
      applyQueuePolicyUnlock(sqs, queue, {
        action: 'REPLACE',
        replacementPolicy: REPLACEMENT,
        expectedPolicySha256: null,
      }),
    ).rejects.toThrow(PolicyChangedSinceBackupError);
    expect(sqsMock).not.toHaveReceivedCommand(SetQueueAttributesCommand);
  });

  test('refuses a policy changed since the backup', async () => {
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { Policy: `${POLICY} ` } });
    await expect(
      applyQueuePolicyUnlock(sqs, queue, { action: 'DELETE', expectedPolicySha256: POLICY_SHA }),
    ).rejects.toThrow(PolicyChangedSinceBackupError);
    expect(sqsMock).not.toHaveReceivedCommand(SetQueueAttributesCommand);
  });

  test('queue ARNs follow the partition', () => {
    expect(queueArn(queue, 'aws-cn')).toBe(`arn:aws-cn:sqs:eu-central-1:${ACCOUNT_ID}:orders`);
  });
});
