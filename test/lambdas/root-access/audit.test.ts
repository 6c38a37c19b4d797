import {
  GetAccessKeyLastUsedCommand,
  GetAccountSummaryCommand,
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { auditRootCredentials, listRootCredentials } from '../../../lambdas/root-access/audit';
import {
  FeatureNotEnabledError,
  RootAccessDeniedError,
  ThrottledError,
} from '../../../lambdas/root-access/errors';
import {
  HARDWARE_MFA,
  PASSWORD_CREATED,
  VIRTUAL_MFA,
  awsError,
  givenRootUserListings,
  type RootUserFixture,
} from './aws-fakes';

const iamMock = mockClient(IAMClient);
const iam = new IAMClient({ region: 'us-east-1' });

const CLEAN_SUMMARY = {
  SummaryMap: {
    AccountPasswordPresent: 0,
    AccountAccessKeysPresent: 0,
    AccountSigningCertificatesPresent: 0,
    AccountMFAEnabled: 0,
    Users: 3,
  },
};

function summary(fixture: RootUserFixture) {
  return {
    SummaryMap: {
      ...CLEAN_SUMMARY.SummaryMap,
      AccountPasswordPresent: fixture.password ? 1 : 0,
      AccountAccessKeysPresent: fixture.accessKeys?.length ? 1 : 0,
      AccountSigningCertificatesPresent: fixture.certificates?.length ? 1 : 0,
      AccountMFAEnabled: fixture.mfaDevices?.length ? 1 : 0,
    },
  };
}

function givenRootUser(fixture: RootUserFixture): void {
  iamMock.on(GetAccountSummaryCommand).resolves(summary(fixture));
  givenRootUserListings(iamMock, fixture);
}

function expectNoUserNameSent(): void {
  for (const call of iamMock.calls()) {
    expect(call.args[0].input).not.toHaveProperty('UserName');
  }
}

beforeEach(() => iamMock.reset());

describe('auditRootCredentials', () => {
  test('a clean account costs exactly one IAM call, GetAccountSummary', async () => {
    // Prepare
    givenRootUser({});
    // Act
    const posture = await auditRootCredentials(iam);
    // Assess
    expect(posture).toEqual({
      credentialsPresent: false,
      passwordPresent: false,
      accessKeysPresent: false,
      signingCertificatesPresent: false,
      mfaEnabled: false,
    });
    expect(iamMock.calls()).toHaveLength(1);
    expect(iamMock).toHaveReceivedCommandTimes(GetAccountSummaryCommand, 1);
  });

  test('a clean account with details asked lists everything and finds nothing', async () => {
    givenRootUser({});
    const posture = await auditRootCredentials(iam, { details: true });
    expect(posture.credentialsPresent).toBe(false);
    expect(posture.details).toEqual({ accessKeys: [], signingCertificates: [], mfaDevices: [] });
    expect(iamMock).toHaveReceivedCommandTimes(GetLoginProfileCommand, 1);
    expectNoUserNameSent();
  });

  test('a summary without the root keys cannot prove the account clean: it lists', async () => {
    givenRootUser({});
    iamMock.on(GetAccountSummaryCommand).resolves({ SummaryMap: { Users: 3 } });
    const posture = await auditRootCredentials(iam);
    expect(posture.details).toBeDefined();
    expect(iamMock).toHaveReceivedCommand(ListAccessKeysCommand);
  });

  test('a password is reported with its creation date', async () => {
    givenRootUser({ password: true });
    const posture = await auditRootCredentials(iam);
    expect(posture).toMatchObject({
      credentialsPresent: true,
      passwordPresent: true,
      accessKeysPresent: false,
    });
    expect(posture.details?.password).toEqual({ createDate: PASSWORD_CREATED.toISOString() });
    expectNoUserNameSent();
  });

  test('several access keys are reported with their last use', async () => {
    // Prepare
    givenRootUser({ accessKeys: ['AKIAROOTKEY000000001', 'AKIAROOTKEY000000002'] });
    iamMock.on(GetAccessKeyLastUsedCommand, { AccessKeyId: 'AKIAROOTKEY000000001' }).resolves({
      AccessKeyLastUsed: {
        LastUsedDate: new Date('2026-11-01T08:00:00Z'),
        ServiceName: 's3',
        Region: 'eu-west-1',
      },
    });
    // Act
    const posture = await auditRootCredentials(iam);
    // Assess
    expect(posture.accessKeysPresent).toBe(true);
    expect(posture.details?.accessKeys).toEqual([
      {
        accessKeyId: 'AKIAROOTKEY000000001',
        status: 'Active',
        createDate: '2020-01-01T00:00:00.000Z',
        lastUsedDate: '2026-11-01T08:00:00.000Z',
        lastUsedService: 's3',
      },
      { accessKeyId: 'AKIAROOTKEY000000002', status: 'Inactive', createDate: '2020-01-01T00:00:00.000Z' },
    ]);
    expect(iamMock).toHaveReceivedCommandTimes(GetAccessKeyLastUsedCommand, 2);
  });

  test('a signing certificate is reported', async () => {
    givenRootUser({ certificates: ['CERTIFICATEID0000001'] });
    const posture = await auditRootCredentials(iam);
    expect(posture).toMatchObject({ credentialsPresent: true, signingCertificatesPresent: true });
    expect(posture.details?.signingCertificates).toEqual([
      { certificateId: 'CERTIFICATEID0000001', status: 'Active' },
    ]);
  });

  test('virtual and hardware MFA devices are told apart', async () => {
    givenRootUser({ mfaDevices: [VIRTUAL_MFA, HARDWARE_MFA] });
    const posture = await auditRootCredentials(iam);
    expect(posture).toMatchObject({ credentialsPresent: true, mfaEnabled: true, passwordPresent: false });
    expect(posture.details?.mfaDevices).toEqual([
      { serialNumber: VIRTUAL_MFA, virtual: true, enableDate: '2021-06-01T00:00:00.000Z' },
      { serialNumber: HARDWARE_MFA, virtual: false, enableDate: '2021-06-01T00:00:00.000Z' },
    ]);
  });

  test('follows listing pages', async () => {
    givenRootUser({});
    iamMock
      .on(ListAccessKeysCommand)
      .resolvesOnce({ AccessKeyMetadata: [{ AccessKeyId: 'AKIAPAGE1' }], IsTruncated: true, Marker: 'm1' })
      .resolves({ AccessKeyMetadata: [{ AccessKeyId: 'AKIAPAGE2' }], IsTruncated: false });
    const posture = await listRootCredentials(iam);
    expect(posture.details?.accessKeys.map((key) => key.accessKeyId)).toEqual(['AKIAPAGE1', 'AKIAPAGE2']);
    expect(iamMock).toHaveReceivedNthSpecificCommandWith(2, ListAccessKeysCommand, { Marker: 'm1' });
    expect(posture.details?.accessKeys[0]?.status).toBe('Unknown');
  });

  test('AccessDenied because the feature is off becomes FeatureNotEnabledError', async () => {
    iamMock.on(GetAccountSummaryCommand).rejects(
      awsError('AccessDenied', 'RootCredentialsManagement is not enabled for the organization', {
        status: 403,
      }),
    );
    await expect(auditRootCredentials(iam)).rejects.toThrow(FeatureNotEnabledError);
  });

  test('throttling beyond the SDK retries becomes ThrottledError', async () => {
    givenRootUser({ password: true });
    iamMock.on(ListAccessKeysCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    const audit = auditRootCredentials(iam);
    await expect(audit).rejects.toThrow(ThrottledError);
    await expect(audit).rejects.toThrow('iam:ListAccessKeys: Rate exceeded');
  });

  test('a refused GetLoginProfile is not mistaken for "no password"', async () => {
    givenRootUser({ password: true });
    iamMock.on(GetLoginProfileCommand).rejects(awsError('AccessDenied', 'denied by an SCP', { status: 403 }));
    await expect(auditRootCredentials(iam)).rejects.toThrow(RootAccessDeniedError);
  });
});

describe('listRootCredentials', () => {
  test('never calls GetAccountSummary, which the delete task policy does not allow', async () => {
    givenRootUser({ password: true, accessKeys: ['AKIAROOTKEY000000001'], mfaDevices: [VIRTUAL_MFA] });
    const posture = await listRootCredentials(iam);
    expect(iamMock).not.toHaveReceivedCommand(GetAccountSummaryCommand);
    expect(posture).toMatchObject({
      credentialsPresent: true,
      passwordPresent: true,
      accessKeysPresent: true,
      signingCertificatesPresent: false,
      mfaEnabled: true,
    });
    expectNoUserNameSent();
  });

  test('a login profile without a creation date is reported without one', async () => {
    givenRootUser({});
    iamMock
      .on(GetLoginProfileCommand)
      .resolves({ LoginProfile: { UserName: undefined, CreateDate: undefined } });
    const posture = await listRootCredentials(iam);
    expect(posture.passwordPresent).toBe(true);
    expect(posture.details?.password).toEqual({});
  });
});
