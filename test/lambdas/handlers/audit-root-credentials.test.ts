import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRootCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createAuditHandler } from '../../../lambdas/handlers/audit-root-credentials';
import { FeatureNotEnabledError, InvalidInputError } from '../../../lambdas/root-access/errors';
import { ACCOUNT_ID, ASSUME_ROOT_RESPONSE, SESSION_CREDENTIALS, awsError } from '../root-access/aws-fakes';
import { fakeContext, testRuntime } from './handler-fakes';

const stsMock = mockClient(STSClient);
const iamMock = mockClient(IAMClient);

const CLEAN = {
  SummaryMap: {
    AccountPasswordPresent: 0,
    AccountAccessKeysPresent: 0,
    AccountSigningCertificatesPresent: 0,
    AccountMFAEnabled: 0,
  },
};

beforeEach(() => {
  stsMock.reset();
  iamMock.reset();
  stsMock.on(AssumeRootCommand).resolves(ASSUME_ROOT_RESPONSE);
  iamMock.on(GetAccountSummaryCommand).resolves(CLEAN);
});

describe('AuditRootCredentials handler', () => {
  test('a clean account: two AWS calls, AssumeRoot and GetAccountSummary', async () => {
    // Prepare
    const handler = createAuditHandler(() => testRuntime());
    // Act
    const result = await handler({ accountId: ACCOUNT_ID }, fakeContext);
    // Assess
    expect(result).toEqual({
      accountId: ACCOUNT_ID,
      auditedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown,
      sessionAccessKeyId: SESSION_CREDENTIALS.AccessKeyId,
      credentialsDigest: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      posture: {
        credentialsPresent: false,
        passwordPresent: false,
        accessKeysPresent: false,
        signingCertificatesPresent: false,
        mfaEnabled: false,
      },
    });
    expect(stsMock.calls()).toHaveLength(1);
    expect(iamMock.calls()).toHaveLength(1);
    expect(stsMock).toHaveReceivedCommandWith(AssumeRootCommand, {
      TargetPrincipal: ACCOUNT_ID,
      TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials' },
      DurationSeconds: 60, // an audit makes a handful of calls: a short session
    });
  });

  test('the configured session duration is used', async () => {
    const handler = createAuditHandler(() => testRuntime({ durationSeconds: 120 }));
    await handler({ accountId: ACCOUNT_ID }, fakeContext);
    expect(stsMock).toHaveReceivedCommandWith(AssumeRootCommand, { DurationSeconds: 120 });
  });

  test('the feature being off reaches Step Functions by name', async () => {
    stsMock.on(AssumeRootCommand).rejects(
      awsError('AccessDenied', 'RootCredentialsManagement is not enabled for this organization', {
        status: 403,
      }),
    );
    const handler = createAuditHandler(() => testRuntime());
    await expect(handler({ accountId: ACCOUNT_ID }, fakeContext)).rejects.toMatchObject({
      name: 'FeatureNotEnabledError',
    });
    await expect(handler({ accountId: ACCOUNT_ID }, fakeContext)).rejects.toBeInstanceOf(
      FeatureNotEnabledError,
    );
  });

  test('a bad account id is refused before any AWS call', async () => {
    const handler = createAuditHandler(() => testRuntime());
    await expect(handler({ accountId: 111122223333 }, fakeContext)).rejects.toThrow(InvalidInputError);
    expect(stsMock.calls()).toHaveLength(0);
  });
});
