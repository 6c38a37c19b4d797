import {
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteVirtualMFADeviceCommand,
  GetAccessKeyLastUsedCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRootCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createDeleteHandler } from '../../../lambdas/handlers/delete-root-credentials';
import { EntityTemporarilyUnmodifiableError, InvalidInputError } from '../../../lambdas/root-access/errors';
import {
  ACCOUNT_ID,
  ASSUME_ROOT_RESPONSE,
  SESSION_CREDENTIALS,
  VIRTUAL_MFA,
  awsError,
  givenRootUserListings,
} from '../root-access/aws-fakes';
import { captureOutput, fakeContext, testRuntime } from './handler-fakes';

const stsMock = mockClient(STSClient);
const iamMock = mockClient(IAMClient);
const handler = createDeleteHandler(() => testRuntime());

const KEYS = ['AKIAROOTKEY000000001', 'AKIAROOTKEY000000002'];

function givenPasswordTwoKeysAndVirtualMfa(): void {
  givenRootUserListings(iamMock, { password: true, accessKeys: KEYS, mfaDevices: [VIRTUAL_MFA] }, {});
}

beforeEach(() => {
  stsMock.reset();
  iamMock.reset();
  stsMock.on(AssumeRootCommand).resolves(ASSUME_ROOT_RESPONSE);
});

describe('DeleteRootCredentials handler', () => {
  test('a full delete run returns before/actions/after and never shows the session secrets', async () => {
    // Prepare
    givenPasswordTwoKeysAndVirtualMfa();
    const output = captureOutput();
    // Act
    let result: Awaited<ReturnType<typeof handler>>;
    try {
      result = await handler({ accountId: ACCOUNT_ID, dryRun: false }, fakeContext);
    } finally {
      output.restore();
    }
    // Assess
    expect(result).toMatchObject({
      accountId: ACCOUNT_ID,
      dryRun: false,
      sessionAccessKeyId: SESSION_CREDENTIALS.AccessKeyId,
      before: { credentialsPresent: true, passwordPresent: true, accessKeysPresent: true, mfaEnabled: true },
      after: { credentialsPresent: false },
    });
    expect(result.actions.map(({ action }) => action)).toEqual([
      'DeleteLoginProfile',
      'DeleteAccessKey',
      'DeleteAccessKey',
      'DeactivateMFADevice',
      'DeleteVirtualMFADevice',
    ]);
    expect(stsMock).toHaveReceivedCommandWith(AssumeRootCommand, {
      TargetPrincipal: ACCOUNT_ID,
      TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials' },
      DurationSeconds: 600,
    });
    const logs = output.text();
    expect(logs).toContain(SESSION_CREDENTIALS.AccessKeyId);
    const returned = JSON.stringify(result);
    for (const secret of [SESSION_CREDENTIALS.SecretAccessKey, SESSION_CREDENTIALS.SessionToken]) {
      expect(logs).not.toContain(secret);
      expect(returned).not.toContain(secret);
    }
  });

  test('a failing run logs the error name without the session secrets and rethrows it', async () => {
    // Prepare
    givenPasswordTwoKeysAndVirtualMfa();
    iamMock.on(DeleteLoginProfileCommand).rejects(
      awsError('EntityTemporarilyUnmodifiableException', 'try later', {
        code: 'EntityTemporarilyUnmodifiable',
      }),
    );
    const output = captureOutput();
    // Act
    const run = handler({ accountId: ACCOUNT_ID }, fakeContext);
    await expect(run).rejects.toThrow(EntityTemporarilyUnmodifiableError);
    output.restore();
    // Assess
    const logs = output.text();
    expect(logs).toContain('EntityTemporarilyUnmodifiableError');
    expect(logs).not.toContain(SESSION_CREDENTIALS.SecretAccessKey);
    expect(logs).not.toContain(SESSION_CREDENTIALS.SessionToken);
  });

  test('a root session that expires mid-delete is reopened once, and both key ids and the reason are returned', async () => {
    // Prepare: the first session expires on its second delete call.
    givenPasswordTwoKeysAndVirtualMfa();
    const second = { ...SESSION_CREDENTIALS, AccessKeyId: 'ASIAROOTSESSION00002' };
    stsMock
      .on(AssumeRootCommand)
      .resolvesOnce(ASSUME_ROOT_RESPONSE)
      .resolves({ ...ASSUME_ROOT_RESPONSE, Credentials: second });
    iamMock
      .on(DeleteAccessKeyCommand)
      .rejectsOnce(awsError('ExpiredToken', 'The security token included in the request is expired'));
    // Act
    const result = await handler({ accountId: ACCOUNT_ID, dryRun: false }, fakeContext);
    // Assess
    expect(stsMock.commandCalls(AssumeRootCommand)).toHaveLength(2);
    expect(result.sessionAccessKeyId).toBe(SESSION_CREDENTIALS.AccessKeyId);
    expect(result.sessionsReopened).toEqual([
      {
        expiredSessionAccessKeyId: SESSION_CREDENTIALS.AccessKeyId,
        sessionAccessKeyId: second.AccessKeyId,
        reason: expect.stringMatching(/^RootSessionExpiredError: /) as unknown,
      },
    ]);
    expect(result.after.credentialsPresent).toBe(false);
  });

  test('an ordinary delete opens one session and reopens none', async () => {
    givenPasswordTwoKeysAndVirtualMfa();
    const result = await handler({ accountId: ACCOUNT_ID, dryRun: false }, fakeContext);
    expect(stsMock.commandCalls(AssumeRootCommand)).toHaveLength(1);
    expect(result.sessionsReopened).toEqual([]);
  });

  test('dryRun plans without deleting', async () => {
    givenPasswordTwoKeysAndVirtualMfa();
    const result = await handler({ accountId: ACCOUNT_ID, dryRun: true }, fakeContext);
    expect(result.dryRun).toBe(true);
    expect(result.actions.every(({ result: outcome }) => outcome === 'PLANNED')).toBe(true);
    expect(iamMock).not.toHaveReceivedCommand(DeleteLoginProfileCommand);
    expect(iamMock).not.toHaveReceivedCommand(DeleteAccessKeyCommand);
    expect(iamMock).not.toHaveReceivedCommand(DeactivateMFADeviceCommand);
    expect(iamMock).not.toHaveReceivedCommand(DeleteVirtualMFADeviceCommand);
  });

  describe('keys in use', () => {
    const [inUse, unused] = KEYS as [string, string];
    const usedYesterday = () =>
      iamMock.on(GetAccessKeyLastUsedCommand, { AccessKeyId: inUse }).resolves({
        AccessKeyLastUsed: {
          LastUsedDate: new Date(Date.now() - 24 * 3600 * 1000),
          ServiceName: 'sts',
          Region: 'us-east-1',
        },
      });
    /** The value of the RootKeysInUseKept metric in the EMF line the handler printed. */
    const keysInUseKept = (logs: string): unknown =>
      logs
        .split('\n')
        .filter((line) => line.includes('"_aws"'))
        .map((line) => (JSON.parse(line) as Record<string, unknown>).RootKeysInUseKept)[0];

    test('an event that says nothing keeps a key used yesterday, says so and counts it for the alarm', async () => {
      // Prepare
      givenRootUserListings(iamMock, { password: true, accessKeys: KEYS }, { accessKeys: [inUse] });
      usedYesterday();
      const output = captureOutput();
      // Act
      let result: Awaited<ReturnType<typeof handler>>;
      try {
        result = await handler({ accountId: ACCOUNT_ID, dryRun: false }, fakeContext);
      } finally {
        output.restore();
      }
      // Assess
      expect(iamMock).toHaveReceivedCommandWith(DeleteAccessKeyCommand, { AccessKeyId: unused });
      expect(iamMock).not.toHaveReceivedCommandWith(DeleteAccessKeyCommand, { AccessKeyId: inUse });
      expect(result.keyInUse).toBe(true);
      expect(result.keptKeys).toEqual([
        { accessKeyId: inUse, lastUsedDate: expect.any(String) as unknown, lastUsedService: 'sts' },
      ]);
      expect(keysInUseKept(output.text())).toBe(1);
    });

    test('a window shorter than the last use lets the key go', async () => {
      givenRootUserListings(iamMock, { accessKeys: [inUse] }, {});
      iamMock.on(GetAccessKeyLastUsedCommand, { AccessKeyId: inUse }).resolves({
        AccessKeyLastUsed: {
          LastUsedDate: new Date(Date.now() - 10 * 24 * 3600 * 1000),
          ServiceName: 's3',
          Region: 'us-east-1',
        },
      });
      const result = await handler({ accountId: ACCOUNT_ID, keyInUseDays: 7 }, fakeContext);
      expect(iamMock).toHaveReceivedCommandWith(DeleteAccessKeyCommand, { AccessKeyId: inUse });
      expect(result.keyInUse).toBe(false);
    });

    test('includeKeysInUse deletes the key used yesterday', async () => {
      givenRootUserListings(iamMock, { accessKeys: [inUse] }, {});
      usedYesterday();
      const result = await handler({ accountId: ACCOUNT_ID, includeKeysInUse: true }, fakeContext);
      expect(iamMock).toHaveReceivedCommandWith(DeleteAccessKeyCommand, { AccessKeyId: inUse });
      expect(result).toMatchObject({ keyInUse: false, keptKeys: [] });
    });
  });

  test.each([
    [{ accountId: '12345' }, 'accountId'],
    [{ accountId: ACCOUNT_ID, dryRun: 'yes' }, 'dryRun'],
    [{ accountId: ACCOUNT_ID, keyInUseDays: 0 }, 'keyInUseDays'],
    [{ accountId: ACCOUNT_ID, includeKeysInUse: 'true' }, 'includeKeysInUse'],
    ['not an object', 'event'],
  ])('rejects %j before assuming root', async (event, field) => {
    const run = handler(event, fakeContext);
    await expect(run).rejects.toThrow(InvalidInputError);
    await expect(run).rejects.toMatchObject({ field });
    expect(stsMock.calls()).toHaveLength(0);
  });
});
