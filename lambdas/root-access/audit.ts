import {
  GetAccessKeyLastUsedCommand,
  GetAccountSummaryCommand,
  GetLoginProfileCommand,
  paginateListAccessKeys,
  paginateListMFADevices,
  paginateListSigningCertificates,
  type AccessKeyMetadata,
  type IAMClient,
  type MFADevice,
  type SigningCertificate,
} from '@aws-sdk/client-iam';
import { callAws, hasAwsErrorCode, toDomainError } from './aws-error-mapping';
import {
  isVirtualMfaSerial,
  postureFromDetails,
  type AccessKeyDetail,
  type MfaDeviceDetail,
  type Posture,
  type PostureDetails,
  type SigningCertificateDetail,
} from './posture';

/*
 * Every call below omits UserName: inside a root session that means the
 * account's root user, and the task policies allow nothing else.
 */

const SUMMARY_KEYS = [
  'AccountPasswordPresent',
  'AccountAccessKeysPresent',
  'AccountSigningCertificatesPresent',
  'AccountMFAEnabled',
] as const;

export interface AuditOptions {
  /** List the credentials even when the summary says there are none. */
  readonly details?: boolean;
}

/**
 * The root posture of the account in the session (task
 * IAMAuditRootUserCredentials). A clean account costs one IAM call,
 * GetAccountSummary; the credentials are listed only when something is
 * present, when details are asked for, or when the summary lacks a key
 * (then it cannot prove the account clean).
 */
export async function auditRootCredentials(iam: IAMClient, options: AuditOptions = {}): Promise<Posture> {
  const summary = await callAws('iam:GetAccountSummary', () => iam.send(new GetAccountSummaryCommand({})));
  const map = summary.SummaryMap ?? {};
  const values = SUMMARY_KEYS.map((key) => map[key]);
  const known = values.every((value) => typeof value === 'number');
  const clean = known && values.every((value) => value === 0);
  if (clean && options.details !== true) {
    return {
      credentialsPresent: false,
      passwordPresent: false,
      accessKeysPresent: false,
      signingCertificatesPresent: false,
      mfaEnabled: false,
    };
  }
  return listRootCredentials(iam);
}

/**
 * The same posture built from the listings alone, without GetAccountSummary,
 * which the delete task policy does not allow. Always carries details.
 */
export async function listRootCredentials(iam: IAMClient): Promise<Posture> {
  const [password, accessKeys, signingCertificates, mfaDevices] = await Promise.all([
    readPassword(iam),
    listAccessKeys(iam),
    listSigningCertificates(iam),
    listMfaDevices(iam),
  ]);
  const details: PostureDetails = {
    ...(password ? { password } : {}),
    accessKeys,
    signingCertificates,
    mfaDevices,
  };
  return postureFromDetails(details);
}

async function readPassword(iam: IAMClient): Promise<{ createDate?: string } | undefined> {
  try {
    const response = await iam.send(new GetLoginProfileCommand({}));
    const createDate = isoDate(response.LoginProfile?.CreateDate);
    return createDate ? { createDate } : {};
  } catch (error) {
    // No password is the normal, clean answer, not a failure.
    if (hasAwsErrorCode(error, 'NoSuchEntity')) return undefined;
    throw toDomainError(error, 'iam:GetLoginProfile');
  }
}

async function collect<T>(operation: string, pages: AsyncIterable<T>): Promise<T[]> {
  return callAws(operation, async () => {
    const all: T[] = [];
    for await (const page of pages) all.push(page);
    return all;
  });
}

async function listAccessKeys(iam: IAMClient): Promise<AccessKeyDetail[]> {
  const pages = await collect('iam:ListAccessKeys', paginateListAccessKeys({ client: iam }, {}));
  const keys = pages.flatMap((page) => page.AccessKeyMetadata ?? []).filter(hasAccessKeyId);
  const described = await Promise.all(keys.map((key) => describeAccessKey(iam, key)));
  return described.filter((key): key is AccessKeyDetail => key !== undefined);
}

function hasAccessKeyId(key: AccessKeyMetadata): key is AccessKeyMetadata & { AccessKeyId: string } {
  return typeof key.AccessKeyId === 'string' && key.AccessKeyId !== '';
}

async function describeAccessKey(
  iam: IAMClient,
  key: AccessKeyMetadata & { AccessKeyId: string },
): Promise<AccessKeyDetail | undefined> {
  let response;
  try {
    response = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }));
  } catch (error) {
    // Deleted between the listing and this call (a concurrent delete run):
    // gone is gone here too, as in the delete step itself.
    if (hasAwsErrorCode(error, 'NoSuchEntity')) return undefined;
    throw toDomainError(error, 'iam:GetAccessKeyLastUsed');
  }
  const lastUsed = response.AccessKeyLastUsed;
  const createDate = isoDate(key.CreateDate);
  const lastUsedDate = isoDate(lastUsed?.LastUsedDate);
  // IAM answers "N/A" for a key that was never used.
  const service = lastUsed?.ServiceName;
  const lastUsedService = service && service !== 'N/A' ? service : undefined;
  return {
    accessKeyId: key.AccessKeyId,
    status: key.Status ?? 'Unknown',
    ...(createDate ? { createDate } : {}),
    ...(lastUsedDate ? { lastUsedDate } : {}),
    ...(lastUsedService ? { lastUsedService } : {}),
  };
}

async function listSigningCertificates(iam: IAMClient): Promise<SigningCertificateDetail[]> {
  const pages = await collect(
    'iam:ListSigningCertificates',
    paginateListSigningCertificates({ client: iam }, {}),
  );
  return pages
    .flatMap((page) => page.Certificates ?? [])
    .filter((certificate): certificate is SigningCertificate & { CertificateId: string } =>
      Boolean(certificate.CertificateId),
    )
    .map((certificate) => ({
      certificateId: certificate.CertificateId,
      status: certificate.Status ?? 'Unknown',
    }));
}

async function listMfaDevices(iam: IAMClient): Promise<MfaDeviceDetail[]> {
  const pages = await collect('iam:ListMFADevices', paginateListMFADevices({ client: iam }, {}));
  return pages
    .flatMap((page) => page.MFADevices ?? [])
    .filter((device): device is MFADevice & { SerialNumber: string } => Boolean(device.SerialNumber))
    .map((device) => {
      const enableDate = isoDate(device.EnableDate);
      return {
        serialNumber: device.SerialNumber,
        virtual: isVirtualMfaSerial(device.SerialNumber),
        ...(enableDate ? { enableDate } : {}),
      };
    });
}

function isoDate(value: Date | undefined): string | undefined {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : undefined;
}
