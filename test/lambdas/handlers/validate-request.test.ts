import type { Context } from 'aws-lambda';
import {
  createValidateRequestHandler,
  handler,
  queueUrlOptionsFromEnv,
} from '../../../lambdas/handlers/validate-request';
import { InvalidInputError } from '../../../lambdas/root-access/errors';

const ACCOUNT = '123456789012';
const context = { functionName: 'ValidateRequest', awsRequestId: 'req-1' } as Context;

describe('ValidateRequest handler', () => {
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
    const local = createValidateRequestHandler(
      queueUrlOptionsFromEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_REGION: 'eu-west-1' }),
    );
    await expect(local({ task: 'UNLOCK_SQS_QUEUE_POLICY', request })).resolves.toMatchObject({
      action: 'DELETE',
    });
    const inAws = createValidateRequestHandler(queueUrlOptionsFromEnv({ AWS_REGION: 'eu-west-1' }));
    await expect(inAws({ task: 'UNLOCK_SQS_QUEUE_POLICY', request })).rejects.toThrow(/^queueUrl: /);
    expect(queueUrlOptionsFromEnv({ AWS_ENDPOINT_URL: 'https://proxy.example.com' })).toEqual({});
  });
});
