import { CreateLoginProfileCommand, EntityAlreadyExistsException, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRootCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createEnableAccountRecoveryHandler } from '../../../lambdas/handlers/enable-account-recovery';
import { ACCOUNT_ID, ASSUME_ROOT_RESPONSE, SESSION_CREDENTIALS } from '../root-access/aws-fakes';
import { fakeContext, testRuntime } from './handler-fakes';

const stsMock = mockClient(STSClient);
const iamMock = mockClient(IAMClient);
const handler = createEnableAccountRecoveryHandler(() => testRuntime());

beforeEach(() => {
  stsMock.reset();
  iamMock.reset();
  stsMock.on(AssumeRootCommand).resolves(ASSUME_ROOT_RESPONSE);
});

describe('EnableAccountRecovery handler', () => {
  test('enables recovery with the create-password task policy', async () => {
    iamMock
      .on(CreateLoginProfileCommand)
      .resolves({ LoginProfile: { UserName: undefined, CreateDate: new Date() } });
    await expect(handler({ accountId: ACCOUNT_ID }, fakeContext)).resolves.toEqual({
      accountId: ACCOUNT_ID,
      sessionAccessKeyId: SESSION_CREDENTIALS.AccessKeyId,
      outcome: 'ENABLED',
    });
    expect(stsMock).toHaveReceivedCommandWith(AssumeRootCommand, {
      TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword' },
      DurationSeconds: 300,
    });
  });

  test('reports recovery already enabled', async () => {
    iamMock
      .on(CreateLoginProfileCommand)
      .rejects(new EntityAlreadyExistsException({ message: 'exists', $metadata: {} }));
    await expect(handler({ accountId: ACCOUNT_ID }, fakeContext)).resolves.toMatchObject({
      outcome: 'ALREADY_ENABLED',
    });
  });
});
