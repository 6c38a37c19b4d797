import { CreateLoginProfileCommand, EntityAlreadyExistsException, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { enableAccountRecovery } from '../../../lambdas/root-access/account-recovery';
import { FeatureNotEnabledError } from '../../../lambdas/root-access/errors';
import { awsError } from './aws-fakes';

const iamMock = mockClient(IAMClient);
const iam = new IAMClient({ region: 'us-east-1' });

beforeEach(() => iamMock.reset());

describe('enableAccountRecovery', () => {
  test('creates a login profile with neither user name nor password', async () => {
    iamMock
      .on(CreateLoginProfileCommand)
      .resolves({ LoginProfile: { UserName: undefined, CreateDate: new Date() } });
    await expect(enableAccountRecovery(iam)).resolves.toBe('ENABLED');
    expect(iamMock).toHaveReceivedCommandTimes(CreateLoginProfileCommand, 1);
    expect(iamMock.commandCalls(CreateLoginProfileCommand)[0]?.args[0].input).toEqual({});
  });

  test('recovery already enabled is reported, not failed', async () => {
    iamMock
      .on(CreateLoginProfileCommand)
      .rejects(new EntityAlreadyExistsException({ message: 'Login Profile for root exists', $metadata: {} }));
    await expect(enableAccountRecovery(iam)).resolves.toBe('ALREADY_ENABLED');
  });

  test('the feature being off is named', async () => {
    iamMock
      .on(CreateLoginProfileCommand)
      .rejects(awsError('AccessDenied', 'RootCredentialsManagement is not enabled', { status: 403 }));
    await expect(enableAccountRecovery(iam)).rejects.toThrow(FeatureNotEnabledError);
  });
});
