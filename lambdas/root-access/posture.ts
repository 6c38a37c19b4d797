/**
 * The root posture of an account, as recorded in the results table and
 * returned by the audit and delete functions (architecture.md, "Posture").
 * Dates are ISO strings so the value travels through Step Functions and
 * DynamoDB unchanged.
 */
export interface AccessKeyDetail {
  readonly accessKeyId: string;
  readonly status: string;
  readonly createDate?: string;
  readonly lastUsedDate?: string;
  readonly lastUsedService?: string;
}

export interface SigningCertificateDetail {
  readonly certificateId: string;
  readonly status: string;
}

export interface MfaDeviceDetail {
  readonly serialNumber: string;
  /** Virtual devices can be deleted; hardware and FIDO devices only deactivated. */
  readonly virtual: boolean;
  readonly enableDate?: string;
}

export interface PostureDetails {
  /** createDate is absent only if IAM omitted it; never invented. */
  readonly password?: { readonly createDate?: string };
  readonly accessKeys: readonly AccessKeyDetail[];
  readonly signingCertificates: readonly SigningCertificateDetail[];
  readonly mfaDevices: readonly MfaDeviceDetail[];
}

export interface Posture {
  readonly credentialsPresent: boolean;
  readonly passwordPresent: boolean;
  readonly accessKeysPresent: boolean;
  readonly signingCertificatesPresent: boolean;
  readonly mfaEnabled: boolean;
  readonly details?: PostureDetails;
}

/** A posture whose flags are derived from its details, so the two never disagree. */
export function postureFromDetails(details: PostureDetails): Posture {
  const flags = {
    passwordPresent: details.password !== undefined,
    accessKeysPresent: details.accessKeys.length > 0,
    signingCertificatesPresent: details.signingCertificates.length > 0,
    mfaEnabled: details.mfaDevices.length > 0,
  };
  return { credentialsPresent: Object.values(flags).some(Boolean), ...flags, details };
}

/**
 * A virtual MFA device's serial number is its ARN, `arn:<partition>:iam::<account>:mfa/<name>`;
 * hardware tokens have a plain serial and FIDO keys an `...:u2f/...` ARN.
 */
export function isVirtualMfaSerial(serialNumber: string): boolean {
  return /^arn:[^:]+:iam::\d*:mfa\//.test(serialNumber);
}

/** What is still present, in words, for error messages and logs. */
export function describePresent(posture: Posture): string {
  const present = [
    posture.passwordPresent && 'password',
    posture.accessKeysPresent && 'access keys',
    posture.signingCertificatesPresent && 'signing certificates',
    posture.mfaEnabled && 'MFA devices',
  ].filter((item): item is string => typeof item === 'string');
  return present.length > 0 ? present.join(', ') : 'nothing';
}
