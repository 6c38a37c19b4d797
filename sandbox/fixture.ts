/** The declarative organization a sandbox starts from. Dates may be ISO strings or Date objects. */

export type AccountStatus = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
/** Account.State of the current Organizations model. */
export type AccountLifecycleState =
  'ACTIVE' | 'SUSPENDED' | 'PENDING_ACTIVATION' | 'PENDING_CLOSURE' | 'CLOSED';
export type DateInput = string | Date;

export interface AccessKeyFixture {
  accessKeyId: string;
  status?: 'Active' | 'Inactive';
  createDate?: DateInput;
  /**
   * The key's last use: at `date`, or `daysAgo` days before the sandbox clock's
   * start (a key "used recently" stays recent whenever the sandbox runs).
   */
  lastUsed?: ({ date: DateInput; daysAgo?: undefined } | { daysAgo: number; date?: undefined }) & {
    serviceName: string;
    region: string;
  };
}

export interface SigningCertificateFixture {
  certificateId: string;
  status?: 'Active' | 'Inactive';
  uploadDate?: DateInput;
  body?: string;
}

export interface MfaDeviceFixture {
  /** Virtual: arn:aws:iam::<account>:mfa/<name>; hardware: a serial such as GAHT12345678. */
  serialNumber: string;
  type: 'virtual' | 'hardware';
  enableDate?: DateInput;
}

export interface RootCredentialsFixture {
  /** true (or a creation date) when the root user has a password (a login profile). */
  loginProfile?: boolean | { createDate: DateInput };
  accessKeys?: AccessKeyFixture[];
  signingCertificates?: SigningCertificateFixture[];
  mfaDevices?: MfaDeviceFixture[];
}

export interface BucketFixture {
  name: string;
  region?: string;
  creationDate?: DateInput;
  /** The bucket policy exactly as stored (bytes are kept). */
  policy?: string;
}

export interface QueueFixture {
  name: string;
  region?: string;
  policy?: string;
  attributes?: Record<string, string>;
}

export interface AccountFixture {
  id: string;
  name?: string;
  email?: string;
  status?: AccountStatus;
  state?: AccountLifecycleState;
  /** Name or id of the parent OU; the root when absent. */
  parent?: string;
  joinedMethod?: 'CREATED' | 'INVITED';
  joinedTimestamp?: DateInput;
  rootCredentials?: RootCredentialsFixture;
  buckets?: BucketFixture[];
  queues?: QueueFixture[];
}

export interface OrganizationalUnitFixture {
  /** Generated when absent (ou-<root>-<8 chars>). */
  id?: string;
  name: string;
  /** Name or id of the parent OU; the root when absent. */
  parent?: string;
}

export interface CredentialsFixture {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface OrganizationFixture {
  organizationId?: string;
  rootId?: string;
  partition?: string;
  managementAccount: {
    id: string;
    name?: string;
    email?: string;
    /** Long-term credentials of an IAM user in the management account (generated when absent). */
    credentials?: CredentialsFixture;
  };
  /** Member accounts (the management account is added to ListAccounts by itself). */
  accounts: AccountFixture[];
  organizationalUnits?: OrganizationalUnitFixture[];
  features?: { rootCredentialsManagement?: boolean; rootSessions?: boolean };
  /** Service principals with trusted access, e.g. iam.amazonaws.com. */
  trustedAccess?: string[];
  /**
   * A member account registered as delegated administrator for iam.amazonaws.com, with long-term
   * credentials of an IAM user there (generated when absent).
   */
  delegatedAdministrator?: { accountId: string; credentials?: CredentialsFixture };
  /** Service control policies besides AWS's FullAWSAccess (which is attached everywhere). */
  serviceControlPolicies?: ServiceControlPolicyFixture[];
}

export interface ServiceControlPolicyFixture {
  /** Generated when absent (p-<8 chars>). */
  id?: string;
  name: string;
  description?: string;
  /** The document: an object, or the JSON text as given. */
  content: string | Record<string, unknown>;
  /** Where it is attached: `root` (or the root's id), an OU's name or id, an account id. */
  targets?: string[];
}

export interface GenerateOptions {
  accounts: number;
  seed?: number;
  /** Default true: trusted access for IAM and both features enabled. */
  featuresEnabled?: boolean;
  /** Trusted access for iam.amazonaws.com; default: as featuresEnabled. */
  trustedAccess?: boolean;
  /** Register an ACTIVE member account as delegated administrator for iam.amazonaws.com. */
  delegatedAdministrator?: boolean;
  /** At least this many SUSPENDED member accounts (more are marked after the seeded draw). */
  suspendedAccounts?: number;
  /** At least this many ACTIVE accounts that joined by invitation and keep root credentials. */
  invitedAccounts?: number;
  /**
   * At least this many ACTIVE accounts whose root access key was used in the
   * last days (by a forgotten job): the first ones of the draw with a key get
   * a recent last use, then clean ones get a password and such a key.
   */
  keysInUseAccounts?: number;
}
