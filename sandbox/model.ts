/** The sandbox's live organization: what the handlers change and the state API reads back. */
import type { AccountLifecycleState, AccountStatus } from './fixture';

export interface AccessKey {
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  createDate: Date;
  lastUsed?: { date: Date; serviceName: string; region: string };
}

export interface SigningCertificate {
  certificateId: string;
  status: 'Active' | 'Inactive';
  uploadDate: Date;
  body: string;
}

export interface MfaDevice {
  serialNumber: string;
  type: 'virtual' | 'hardware';
  enableDate: Date;
  /** Listed by ListMFADevices and counted in AccountMFAEnabled; a deactivated virtual device is not. */
  assigned: boolean;
}

export interface RootCredentials {
  loginProfile?: { createDate: Date; passwordResetRequired: boolean };
  accessKeys: AccessKey[];
  signingCertificates: SigningCertificate[];
  mfaDevices: MfaDevice[];
}

export interface Bucket {
  name: string;
  account: string;
  region: string;
  creationDate: Date;
  policy?: string;
}

export interface Queue {
  name: string;
  account: string;
  region: string;
  createdTimestamp: Date;
  attributes: Record<string, string>;
}

export interface Account {
  id: string;
  name: string;
  email: string;
  status: AccountStatus;
  state: AccountLifecycleState;
  parentId: string;
  joinedMethod: 'CREATED' | 'INVITED';
  joinedTimestamp: Date;
  rootCredentials: RootCredentials;
}

export interface OrganizationalUnit {
  id: string;
  name: string;
  parentId: string;
}

export type RootTask =
  | 'IAMAuditRootUserCredentials'
  | 'IAMCreateRootUserPassword'
  | 'IAMDeleteRootUserCredentials'
  | 'S3UnlockBucketPolicy'
  | 'SQSUnlockQueuePolicy';

export interface RootSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  task: RootTask;
  taskPolicyArn: string;
  issuedAt: Date;
  expiration: Date;
  /** The caller that assumed it. */
  issuedTo: string;
}

export interface Organization {
  id: string;
  rootId: string;
  partition: string;
  managementAccountId: string;
  features: { rootCredentialsManagement: boolean; rootSessions: boolean };
  trustedAccess: Map<string, Date>;
  /** Delegated administrators for iam.amazonaws.com. */
  delegatedAdministrators: Set<string>;
  /** The organization's own SCPs (AWS's FullAWSAccess is implied: organizations-policies.ts). */
  serviceControlPolicies: ServiceControlPolicy[];
}

export interface ServiceControlPolicy {
  id: string;
  name: string;
  description: string;
  /** The policy document, as DescribePolicy returns it (a JSON string). */
  content: string;
  awsManaged: boolean;
  /** Root, OU and account ids it is attached to. */
  targets: string[];
}

export interface World {
  organization: Organization;
  /** Every account of the organization, the management account included, in ListAccounts order. */
  accounts: Map<string, Account>;
  organizationalUnits: Map<string, OrganizationalUnit>;
  /** Buckets by name (a global namespace, as in S3). */
  buckets: Map<string, Bucket>;
  /** Queues by `<account>/<region>/<name>`. */
  queues: Map<string, Queue>;
  /** Long-term credentials: access key id → secret and owning account. */
  credentials: Map<string, { secretAccessKey: string; accountId: string; userName: string }>;
  sessions: Map<string, RootSession>;
}

export const queueKey = (account: string, region: string, name: string): string =>
  `${account}/${region}/${name}`;
