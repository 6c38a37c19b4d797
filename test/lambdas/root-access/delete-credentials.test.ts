import {
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteSigningCertificateCommand,
  DeleteVirtualMFADeviceCommand,
  EntityTemporarilyUnmodifiableException,
  GetAccessKeyLastUsedCommand,
  GetAccountSummaryCommand,
  IAMClient,
  ListAccessKeysCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { deleteRootCredentials } from '../../../lambdas/root-access/delete-credentials';
import {
  CredentialsStillPresentError,
  EntityTemporarilyUnmodifiableError,
  ThrottledError,
} from '../../../lambdas/root-access/errors';
import {
  HARDWARE_MFA,
  VIRTUAL_MFA,
  awsError,
  givenRootUserListings,
  type RootUserFixture,
} from './aws-fakes';

const iamMock = mockClient(IAMClient);
const iam = new IAMClient({ region: 'us-east-1' });

const KEY_1 = 'AKIAROOTKEY000000001';
const KEY_2 = 'AKIAROOTKEY000000002';
const CERT = 'CERTIFICATEID0000001';
const MUTATING = [
  DeleteLoginProfileCommand,
  DeleteAccessKeyCommand,
  DeleteSigningCertificateCommand,
  DeactivateMFADeviceCommand,
  DeleteVirtualMFADeviceCommand,
];

const noSuchEntity = () =>
  new NoSuchEntityException({ message: 'The user with name root cannot be found.', $metadata: {} });

/** The root user lists as `first` in the first listing, and as `then` in every later one. */
const givenRootUser = (first: RootUserFixture, then: RootUserFixture = {}): void =>
  givenRootUserListings(iamMock, first, then);

/** The mutating calls, in the order they were sent, as `Command target`. */
function mutatingCalls(): string[] {
  return iamMock
    .calls()
    .map((call) => call.args[0])
    .filter((command) => MUTATING.some((type) => command instanceof type))
    .map((command) => {
      const input = command.input as { AccessKeyId?: string; CertificateId?: string; SerialNumber?: string };
      const target = input.AccessKeyId ?? input.CertificateId ?? input.SerialNumber;
      return [command.constructor.name.replace(/Command$/, ''), target].filter(Boolean).join(' ');
    });
}

beforeEach(() => iamMock.reset());

describe('deleteRootCredentials', () => {
  test('removes password, keys, certificate and a virtual MFA device in order, then verifies', async () => {
    // Prepare
    givenRootUser({
      password: true,
      accessKeys: [KEY_1, KEY_2],
      certificates: [CERT],
      mfaDevices: [VIRTUAL_MFA],
    });
    // Act
    const result = await deleteRootCredentials(iam, { dryRun: false });
    // Assess
    expect(mutatingCalls()).toEqual([
      'DeleteLoginProfile',
      `DeleteAccessKey ${KEY_1}`,
      `DeleteAccessKey ${KEY_2}`,
      `DeleteSigningCertificate ${CERT}`,
      `DeactivateMFADevice ${VIRTUAL_MFA}`,
      `DeleteVirtualMFADevice ${VIRTUAL_MFA}`,
    ]);
    expect(result.actions).toEqual([
      { action: 'DeleteLoginProfile', result: 'DONE' },
      { action: 'DeleteAccessKey', target: KEY_1, result: 'DONE' },
      { action: 'DeleteAccessKey', target: KEY_2, result: 'DONE' },
      { action: 'DeleteSigningCertificate', target: CERT, result: 'DONE' },
      { action: 'DeactivateMFADevice', target: VIRTUAL_MFA, result: 'DONE' },
      { action: 'DeleteVirtualMFADevice', target: VIRTUAL_MFA, result: 'DONE' },
    ]);
    expect(result.before).toMatchObject({
      credentialsPresent: true,
      passwordPresent: true,
      mfaEnabled: true,
    });
    expect(result.after).toMatchObject({ credentialsPresent: false });
    expect(iamMock).toHaveReceivedCommandTimes(ListAccessKeysCommand, 2);
    expect(iamMock).not.toHaveReceivedCommand(GetAccountSummaryCommand);
    for (const call of iamMock.calls()) expect(call.args[0].input).not.toHaveProperty('UserName');
  });

  test('a hardware MFA device is deactivated, never deleted', async () => {
    givenRootUser({ mfaDevices: [HARDWARE_MFA] });
    const result = await deleteRootCredentials(iam, { dryRun: false });
    expect(result.actions).toEqual([{ action: 'DeactivateMFADevice', target: HARDWARE_MFA, result: 'DONE' }]);
    expect(iamMock).toHaveReceivedCommandWith(DeactivateMFADeviceCommand, { SerialNumber: HARDWARE_MFA });
    expect(iamMock).not.toHaveReceivedCommand(DeleteVirtualMFADeviceCommand);
  });

  test('credentials removed by someone else meanwhile count as ALREADY_GONE', async () => {
    // Prepare
    givenRootUser({ password: true, accessKeys: [KEY_1, KEY_2], mfaDevices: [VIRTUAL_MFA] });
    iamMock.on(DeleteLoginProfileCommand).rejects(noSuchEntity());
    iamMock.on(DeleteAccessKeyCommand, { AccessKeyId: KEY_1 }).rejects(noSuchEntity());
    iamMock.on(DeactivateMFADeviceCommand).rejects(noSuchEntity());
    iamMock.on(DeleteVirtualMFADeviceCommand).rejects(noSuchEntity());
    // Act
    const result = await deleteRootCredentials(iam, { dryRun: false });
    // Assess
    expect(result.actions.map(({ action, result: outcome }) => `${action} ${outcome}`)).toEqual([
      'DeleteLoginProfile ALREADY_GONE',
      'DeleteAccessKey ALREADY_GONE',
      'DeleteAccessKey DONE',
      'DeactivateMFADevice ALREADY_GONE',
      'DeleteVirtualMFADevice ALREADY_GONE',
    ]);
    expect(result.after.credentialsPresent).toBe(false);
  });

  test('a key a concurrent run deleted between ListAccessKeys and GetAccessKeyLastUsed is gone, not a failure', async () => {
    // Prepare: the other run deletes KEY_1 after our listing saw it.
    givenRootUser({ accessKeys: [KEY_1, KEY_2] });
    iamMock.on(GetAccessKeyLastUsedCommand, { AccessKeyId: KEY_1 }).rejects(noSuchEntity());
    // Act
    const result = await deleteRootCredentials(iam, { dryRun: false });
    // Assess: only the key still there is deleted, and the run succeeds clean.
    expect(result.before.details?.accessKeys.map(({ accessKeyId }) => accessKeyId)).toEqual([KEY_2]);
    expect(mutatingCalls()).toEqual([`DeleteAccessKey ${KEY_2}`]);
    expect(result.after.credentialsPresent).toBe(false);
  });

  test('EntityTemporarilyUnmodifiable stops the run with a retryable named error', async () => {
    givenRootUser({ password: true, accessKeys: [KEY_1] });
    iamMock
      .on(DeleteLoginProfileCommand)
      .rejects(new EntityTemporarilyUnmodifiableException({ message: 'try again later', $metadata: {} }));
    const run = deleteRootCredentials(iam, { dryRun: false });
    await expect(run).rejects.toThrow(EntityTemporarilyUnmodifiableError);
    await expect(run).rejects.toMatchObject({ name: 'EntityTemporarilyUnmodifiableError', retryable: true });
    expect(iamMock).not.toHaveReceivedCommand(DeleteAccessKeyCommand);
  });

  test('throttling on a delete becomes ThrottledError', async () => {
    givenRootUser({ accessKeys: [KEY_1] });
    iamMock.on(DeleteAccessKeyCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    const run = deleteRootCredentials(iam, { dryRun: false });
    await expect(run).rejects.toThrow(ThrottledError);
    await expect(run).rejects.toThrow('iam:DeleteAccessKey: Rate exceeded');
  });

  test('a dry run plans every action and calls no delete or deactivate API', async () => {
    // Prepare
    givenRootUser({
      password: true,
      accessKeys: [KEY_1],
      certificates: [CERT],
      mfaDevices: [VIRTUAL_MFA, HARDWARE_MFA],
    });
    // Act
    const result = await deleteRootCredentials(iam, { dryRun: true });
    // Assess
    expect(iamMock).not.toHaveReceivedCommand(DeleteLoginProfileCommand);
    expect(iamMock).not.toHaveReceivedCommand(DeleteAccessKeyCommand);
    expect(iamMock).not.toHaveReceivedCommand(DeleteSigningCertificateCommand);
    expect(iamMock).not.toHaveReceivedCommand(DeactivateMFADeviceCommand);
    expect(iamMock).not.toHaveReceivedCommand(DeleteVirtualMFADeviceCommand);
    expect(result.actions.map(({ action, result: outcome }) => `${action} ${outcome}`)).toEqual([
      'DeleteLoginProfile PLANNED',
      'DeleteAccessKey PLANNED',
      'DeleteSigningCertificate PLANNED',
      'DeactivateMFADevice PLANNED',
      'DeleteVirtualMFADevice PLANNED',
      'DeactivateMFADevice PLANNED',
    ]);
    expect(result.after).toBe(result.before);
  });

  test('a clean account needs no action and no second listing', async () => {
    givenRootUser({});
    const result = await deleteRootCredentials(iam, { dryRun: false });
    expect(result.actions).toEqual([]);
    expect(result.after.credentialsPresent).toBe(false);
    expect(iamMock).toHaveReceivedCommandTimes(ListAccessKeysCommand, 1);
    expect(mutatingCalls()).toEqual([]);
  });

  test('credentials still listed after the run fail the verification', async () => {
    givenRootUser({ accessKeys: [KEY_1] }, { accessKeys: [KEY_1] });
    const run = deleteRootCredentials(iam, { dryRun: false });
    await expect(run).rejects.toThrow(CredentialsStillPresentError);
    await expect(run).rejects.toThrow('root credentials still present after 1 actions: access keys');
  });

  describe('keys in use', () => {
    const NOW = new Date('2026-11-29T12:00:00Z');
    const keep = { days: 90, now: NOW };
    /** KEY_1 was used `daysAgo` days before NOW by `service`. */
    const givenKeyUsed = (daysAgo: number, service = 's3') =>
      iamMock.on(GetAccessKeyLastUsedCommand, { AccessKeyId: KEY_1 }).resolves({
        AccessKeyLastUsed: {
          LastUsedDate: new Date(NOW.getTime() - daysAgo * 24 * 3600 * 1000),
          ServiceName: service,
          Region: 'us-east-1',
        },
      });

    test('a key used within the window is kept and listed; everything else is deleted', async () => {
      // Prepare: KEY_1 used 3 days ago, KEY_2 never used.
      givenRootUser(
        { password: true, accessKeys: [KEY_1, KEY_2], mfaDevices: [VIRTUAL_MFA] },
        { accessKeys: [KEY_1] },
      );
      givenKeyUsed(3, 'ec2');
      // Act
      const result = await deleteRootCredentials(iam, { dryRun: false, keepKeysInUse: keep });
      // Assess
      expect(mutatingCalls()).toEqual([
        'DeleteLoginProfile',
        `DeleteAccessKey ${KEY_2}`,
        `DeactivateMFADevice ${VIRTUAL_MFA}`,
        `DeleteVirtualMFADevice ${VIRTUAL_MFA}`,
      ]);
      expect(result.keptKeys).toEqual([
        { accessKeyId: KEY_1, lastUsedDate: '2026-11-26T12:00:00.000Z', lastUsedService: 'ec2' },
      ]);
      expect(result.after.accessKeysPresent).toBe(true);
    });

    test('a key last used before the window is deleted like any other', async () => {
      givenRootUser({ accessKeys: [KEY_1] }, {});
      givenKeyUsed(91);
      const result = await deleteRootCredentials(iam, { dryRun: false, keepKeysInUse: keep });
      expect(mutatingCalls()).toEqual([`DeleteAccessKey ${KEY_1}`]);
      expect(result.keptKeys).toEqual([]);
    });

    test('without keepKeysInUse (keys in use included) a key used yesterday is deleted', async () => {
      givenRootUser({ accessKeys: [KEY_1] }, {});
      givenKeyUsed(1);
      const result = await deleteRootCredentials(iam, { dryRun: false });
      expect(mutatingCalls()).toEqual([`DeleteAccessKey ${KEY_1}`]);
      expect(result.keptKeys).toEqual([]);
    });

    test('an account whose only credential is a key in use needs no call and lists it', async () => {
      givenRootUser({ accessKeys: [KEY_1] });
      givenKeyUsed(0);
      const result = await deleteRootCredentials(iam, { dryRun: false, keepKeysInUse: keep });
      expect(mutatingCalls()).toEqual([]);
      expect(result.keptKeys.map((key) => key.accessKeyId)).toEqual([KEY_1]);
    });

    test('a dry run does not plan the deletion of a key in use', async () => {
      givenRootUser({ password: true, accessKeys: [KEY_1] });
      givenKeyUsed(10);
      const result = await deleteRootCredentials(iam, { dryRun: true, keepKeysInUse: keep });
      expect(result.actions).toEqual([{ action: 'DeleteLoginProfile', result: 'PLANNED' }]);
      expect(result.keptKeys).toHaveLength(1);
    });

    test('another credential still listed next to the kept key fails the verification', async () => {
      givenRootUser({ password: true, accessKeys: [KEY_1] }, { password: true, accessKeys: [KEY_1] });
      givenKeyUsed(3);
      const run = deleteRootCredentials(iam, { dryRun: false, keepKeysInUse: keep });
      await expect(run).rejects.toThrow(CredentialsStillPresentError);
    });
  });
});
