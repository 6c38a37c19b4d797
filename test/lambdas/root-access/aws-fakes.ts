import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  IAMServiceException,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListSigningCertificatesCommand,
  NoSuchEntityException,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/**
 * AWS errors as the SDK builds them: modelled ones are instances of the
 * client's exception classes (constructed by the tests); unmodelled ones
 * (AccessDenied, Throttling, NoSuchBucketPolicy) are the service's base
 * exception named by the wire code, which is what this builds.
 */
export function awsError(
  name: string,
  message: string,
  options: { status?: number; fault?: 'client' | 'server'; code?: string } = {},
): Error {
  const status = options.status ?? 400;
  const error = new IAMServiceException({
    name,
    message,
    $fault: options.fault ?? (status >= 500 ? 'server' : 'client'),
    $metadata: { httpStatusCode: status },
  });
  return options.code === undefined ? error : Object.assign(error, { Code: options.code });
}

export const ACCOUNT_ID = '111122223333';
export const OTHER_ACCOUNT_ID = '444455556666';

/** Root-session credentials as AssumeRoot returns them; the secret parts must never be seen again. */
export const SESSION_CREDENTIALS = {
  AccessKeyId: 'ASIAROOTSESSION00001',
  SecretAccessKey: 'sEcReT/root/session/key/NEVER-LOG-ME-0123456789',
  SessionToken: 'SeSsIoN-TOKEN-root-session-NEVER-LOG-ME-abcdefghijklmnopqrstuvwxyz',
  Expiration: new Date('2026-11-24T12:45:00Z'),
};

export const ASSUME_ROOT_RESPONSE = { Credentials: SESSION_CREDENTIALS, SourceIdentity: undefined };

export const VIRTUAL_MFA = `arn:aws:iam::${ACCOUNT_ID}:mfa/root-account-mfa-device`;
export const HARDWARE_MFA = 'GAHT12345678';
export const PASSWORD_CREATED = new Date('2019-03-01T10:00:00Z');

export interface RootUserFixture {
  readonly password?: boolean;
  readonly accessKeys?: readonly string[];
  readonly certificates?: readonly string[];
  readonly mfaDevices?: readonly string[];
}

/** IAM listing responses describing a root user, as a root session sees it. */
function listingResponses(fixture: RootUserFixture) {
  return {
    loginProfile: fixture.password
      ? { LoginProfile: { UserName: undefined, CreateDate: PASSWORD_CREATED, PasswordResetRequired: false } }
      : undefined,
    accessKeys: {
      AccessKeyMetadata: (fixture.accessKeys ?? []).map((AccessKeyId, index) => ({
        AccessKeyId,
        Status: index === 0 ? ('Active' as const) : ('Inactive' as const),
        CreateDate: new Date('2020-01-01T00:00:00Z'),
      })),
      IsTruncated: false,
    },
    certificates: {
      Certificates: (fixture.certificates ?? []).map((CertificateId) => ({
        CertificateId,
        UserName: undefined,
        CertificateBody: '-----BEGIN CERTIFICATE-----',
        Status: 'Active' as const,
      })),
      IsTruncated: false,
    },
    mfaDevices: {
      MFADevices: (fixture.mfaDevices ?? []).map((SerialNumber) => ({
        SerialNumber,
        UserName: undefined,
        EnableDate: new Date('2021-06-01T00:00:00Z'),
      })),
      IsTruncated: false,
    },
  };
}

const noLoginProfile = () =>
  new NoSuchEntityException({ message: 'The user with name root cannot be found.', $metadata: {} });

/**
 * Answers the root user's IAM reads (GetLoginProfile, the three listings,
 * GetAccessKeyLastUsed) as `first` describes it. With `then`, each read
 * answers as `first` once, then as `then` (the root user after a deletion);
 * without, the answers are plain, so a test may replace one with its own.
 */
export function givenRootUserListings(
  iam: AwsClientStub<IAMClient>,
  first: RootUserFixture,
  then?: RootUserFixture,
): void {
  const before = listingResponses(first);
  const later = listingResponses(then ?? first);
  const twice = then !== undefined;
  const login = iam.on(GetLoginProfileCommand);
  const loginThen = !twice
    ? login
    : before.loginProfile
      ? login.resolvesOnce(before.loginProfile)
      : login.rejectsOnce(noLoginProfile());
  if (later.loginProfile) loginThen.resolves(later.loginProfile);
  else loginThen.rejects(noLoginProfile());
  const keys = iam.on(ListAccessKeysCommand);
  (twice ? keys.resolvesOnce(before.accessKeys) : keys).resolves(later.accessKeys);
  const certificates = iam.on(ListSigningCertificatesCommand);
  (twice ? certificates.resolvesOnce(before.certificates) : certificates).resolves(later.certificates);
  const mfaDevices = iam.on(ListMFADevicesCommand);
  (twice ? mfaDevices.resolvesOnce(before.mfaDevices) : mfaDevices).resolves(later.mfaDevices);
  iam.on(GetAccessKeyLastUsedCommand).resolves({ AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
}
