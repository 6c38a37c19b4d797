import type { Context } from 'aws-lambda';
import { createValidateRequestHandler, handler } from '../../../lambdas/handlers/validate-request';
import { queueUrlOptionsFromEnv } from '../../../lambdas/shared/env';
import { InvalidInputError } from '../../../lambdas/root-access/errors';

const ACCOUNT = '123456789012';
const context = { functionName: 'ValidateRequest', awsRequestId: 'req-1' } as Context;

describe('ValidateRequest handler', () => {
  // Lambda always sets AWS_REGION: the function checks queue URLs against its partition.
  const savedRegion = process.env.AWS_REGION;
  beforeAll(() => {
    process.env.AWS_REGION = 'eu-west-1';
  });
  afterAll(() => {
    if (savedRegion === undefined) delete process.env.AWS_REGION;
    else process.env.AWS_REGION = savedRegion;
  });

  test('returns the normalized request', async () => {
    await expect(
      handler(
        {
          task: 'ENABLE_ACCOUNT_RECOVERY',
          request: { accountId: ACCOUNT, requestedBy: ' bob ', reason: 'lost MFA' },
        },
        context,
      ),
    ).resolves.toEqual({ accountId: ACCOUNT, requestedBy: 'bob', reason: 'lost MFA' });
  });

  test('rejects with InvalidInputError, the name Step Functions matches', async () => {
    const call = handler({ task: 'DELETE_ROOT_CREDENTIALS', request: { accountId: '42' } }, context);
    await expect(call).rejects.toBeInstanceOf(InvalidInputError);
    await expect(call).rejects.toMatchObject({ name: 'InvalidInputError', field: 'accountId' });
  });

  test('a loopback queue URL is accepted only when the function talks to a loopback endpoint', async () => {
    const request = {
      accountId: ACCOUNT,
      requestedBy: 'bob',
      reason: 'queue locked',
      queueUrl: `http://127.0.0.1:4566/${ACCOUNT}/q`,
      action: 'DELETE',
    };
    const local = createValidateRequestHandler(() =>
      queueUrlOptionsFromEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_REGION: 'eu-west-1' }),
    );
    await expect(local({ task: 'UNLOCK_SQS_QUEUE_POLICY', request }, context)).resolves.toMatchObject({
      action: 'DELETE',
    });
    const inAws = createValidateRequestHandler(() => queueUrlOptionsFromEnv({ AWS_REGION: 'eu-west-1' }));
    await expect(inAws({ task: 'UNLOCK_SQS_QUEUE_POLICY', request }, context)).rejects.toThrow(/^queueUrl: /);
    expect(
      queueUrlOptionsFromEnv({ AWS_ENDPOINT_URL: 'https://proxy.example.com', AWS_REGION: 'eu-west-1' }),
    ).toEqual({ partition: 'aws' });
  });

  test('a queue URL of another partition than the function is refused', async () => {
    const request = {
      accountId: ACCOUNT,
      requestedBy: 'bob',
      reason: 'queue locked',
      queueUrl: `https://sqs.cn-north-1.amazonaws.com.cn/${ACCOUNT}/q`,
      action: 'DELETE',
    };
    const inAws = createValidateRequestHandler(() => queueUrlOptionsFromEnv({ AWS_REGION: 'eu-west-1' }));
    await expect(inAws({ task: 'UNLOCK_SQS_QUEUE_POLICY', request }, context)).rejects.toThrow(
      /^queueUrl: is in region cn-north-1 of partition aws-cn; this service runs in partition aws$/,
    );
    const inChina = createValidateRequestHandler(() =>
      queueUrlOptionsFromEnv({ AWS_REGION: 'cn-northwest-1' }),
    );
    await expect(inChina({ task: 'UNLOCK_SQS_QUEUE_POLICY', request }, context)).resolves.toMatchObject({
      queueUrl: request.queueUrl,
    });
  });
});
