import {
  CreateLoginProfileCommand,
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteSigningCertificateCommand,
  DeleteVirtualMFADeviceCommand,
  EnableOrganizationsRootSessionsCommand,
  EntityAlreadyExistsException,
  GetAccessKeyLastUsedCommand,
  GetAccountSummaryCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListOrganizationsFeaturesCommand,
  ListSigningCertificatesCommand,
  NoSuchEntityException,
  ServiceAccessNotEnabledException,
} from '@aws-sdk/client-iam';
import { EnableAWSServiceAccessCommand } from '@aws-sdk/client-organizations';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import { CLEAN, INVITED, VIRTUAL_MFA, assumeRoot, clients, fixture } from './helpers';

describe('sandbox IAM in root sessions', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await startSandbox({ organization: fixture() });
  });
  afterEach(() => sandbox.close());

  const iamFor = async (account: string, task: Parameters<typeof assumeRoot>[2]) =>
    clients(sandbox, await assumeRoot(sandbox, account, task)).iam;

  test('an audit session reads the whole posture', async () => {
    const iam = await iamFor(INVITED, 'IAMAuditRootUserCredentials');
    const { SummaryMap } = await iam.send(new GetAccountSummaryCommand({}));
    expect(SummaryMap).toMatchObject({
      AccountPasswordPresent: 1,
      AccountAccessKeysPresent: 1,
      AccountSigningCertificatesPresent: 1,
      AccountMFAEnabled: 1,
    });
    const keys = await iam.send(new ListAccessKeysCommand({}));
    expect(keys.AccessKeyMetadata?.map((k) => k.AccessKeyId)).toEqual([
      'AKIAINVITED000000001',
      'AKIAINVITED000000002',
    ]);
    const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIAINVITED000000001' }));
    expect(used.AccessKeyLastUsed).toMatchObject({ ServiceName: 's3', Region: 'us-east-1' });
    expect(used.AccessKeyLastUsed?.LastUsedDate?.toISOString()).toBe('2025-06-01T00:00:00.000Z');
    const certs = await iam.send(new ListSigningCertificatesCommand({}));
    expect(certs.Certificates?.map((c) => c.CertificateId)).toEqual(['CERTINVITED00000000000001']);
    const mfa = await iam.send(new ListMFADevicesCommand({}));
    expect(mfa.MFADevices?.map((d) => d.SerialNumber)).toEqual([VIRTUAL_MFA]);
    const user = await iam.send(new GetUserCommand({}));
    expect(user.User?.Arn).toBe(`arn:aws:iam::${INVITED}:root`);
    expect((await iam.send(new GetLoginProfileCommand({}))).LoginProfile?.CreateDate).toBeInstanceOf(Date);
  });

  test('an audit session cannot delete (AccessDenied) and nothing changes', async () => {
    const iam = await iamFor(INVITED, 'IAMAuditRootUserCredentials');
    await expect(iam.send(new DeleteLoginProfileCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      iam.send(new DeleteAccessKeyCommand({ AccessKeyId: 'AKIAINVITED000000001' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(sandbox.state.account(INVITED).rootCredentials.loginProfile).toBeDefined();
    expect(sandbox.state.account(INVITED).rootCredentials.accessKeys).toHaveLength(2);
  });

  test('the delete task may not call GetAccountSummary', async () => {
    const iam = await iamFor(INVITED, 'IAMDeleteRootUserCredentials');
    await expect(iam.send(new GetAccountSummaryCommand({}))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  test('the delete session removes every credential; the state shows them gone', async () => {
    const iam = await iamFor(INVITED, 'IAMDeleteRootUserCredentials');
    await iam.send(new DeleteLoginProfileCommand({}));
    await iam.send(new DeleteAccessKeyCommand({ AccessKeyId: 'AKIAINVITED000000001' }));
    await iam.send(new DeleteAccessKeyCommand({ AccessKeyId: 'AKIAINVITED000000002' }));
    await iam.send(new DeleteSigningCertificateCommand({ CertificateId: 'CERTINVITED00000000000001' }));
    await expect(
      iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: VIRTUAL_MFA })),
    ).rejects.toMatchObject({
      name: 'DeleteConflictException',
      $metadata: { httpStatusCode: 409 },
    });
    await iam.send(new DeactivateMFADeviceCommand({ SerialNumber: VIRTUAL_MFA }));
    expect((await iam.send(new ListMFADevicesCommand({}))).MFADevices).toEqual([]);
    await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: VIRTUAL_MFA }));
    expect(sandbox.state.account(INVITED).rootCredentials).toEqual({
      accessKeys: [],
      signingCertificates: [],
      mfaDevices: [],
    });
  });

  test('NoSuchEntity arrives as the SDK NoSuchEntityException', async () => {
    const iam = await iamFor(CLEAN, 'IAMDeleteRootUserCredentials');
    const error: unknown = await iam.send(new GetLoginProfileCommand({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoSuchEntityException);
    expect(error).toMatchObject({ name: 'NoSuchEntityException', $metadata: { httpStatusCode: 404 } });
    await expect(
      iam.send(new DeleteAccessKeyCommand({ AccessKeyId: 'AKIANOPE000000000000' })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
  });

  test('CreateLoginProfile creates a password once, then EntityAlreadyExists', async () => {
    const iam = await iamFor(CLEAN, 'IAMCreateRootUserPassword');
    const created = await iam.send(new CreateLoginProfileCommand({}));
    expect(created.LoginProfile?.CreateDate).toBeInstanceOf(Date);
    expect(sandbox.state.account(CLEAN).rootCredentials.loginProfile).toBeDefined();
    await expect(iam.send(new CreateLoginProfileCommand({}))).rejects.toBeInstanceOf(
      EntityAlreadyExistsException,
    );
    await expect(
      iam.send(new CreateLoginProfileCommand({ Password: 'Hunter2!Hunter2!' })),
    ).rejects.toMatchObject({
      name: 'InvalidInputException',
    });
  });

  test('a root session acts on the root user only (UserName is refused)', async () => {
    const iam = await iamFor(INVITED, 'IAMAuditRootUserCredentials');
    await expect(iam.send(new GetLoginProfileCommand({ UserName: 'alice' }))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });

  test('a session past its expiry gets ExpiredToken', async () => {
    const iam = await iamFor(INVITED, 'IAMAuditRootUserCredentials');
    await iam.send(new GetAccountSummaryCommand({}));
    sandbox.clock.advance(901_000);
    await expect(iam.send(new GetAccountSummaryCommand({}))).rejects.toMatchObject({
      name: 'ExpiredToken',
      $metadata: { httpStatusCode: 403 },
    });
  });

  test("the management account's own credentials cannot make root-user calls", async () => {
    await expect(clients(sandbox).iam.send(new ListAccessKeysCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });
});

describe('sandbox IAM organization features', () => {
  test('features need trusted access for iam.amazonaws.com, then can be enabled', async () => {
    const sandbox = await startSandbox({ organization: fixture({ features: {}, trustedAccess: [] }) });
    try {
      const { iam, organizations } = clients(sandbox);
      await expect(iam.send(new ListOrganizationsFeaturesCommand({}))).rejects.toBeInstanceOf(
        ServiceAccessNotEnabledException,
      );
      await organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'iam.amazonaws.com' }));
      expect((await iam.send(new ListOrganizationsFeaturesCommand({}))).EnabledFeatures).toEqual([]);
      const enabled = await iam.send(new EnableOrganizationsRootSessionsCommand({}));
      expect(enabled.EnabledFeatures).toEqual(['RootSessions']);
      expect(sandbox.state.organization().features).toEqual({
        rootCredentialsManagement: false,
        rootSessions: true,
      });
    } finally {
      await sandbox.close();
    }
  });
});
