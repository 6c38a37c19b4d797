/** Shared setup for the sandbox conformance tests: a small declarative organization and SDK clients. */
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRootCommand, STSClient } from '@aws-sdk/client-sts';
import type {
  OrganizationFixture,
  RootTask,
  Sandbox,
  SandboxConnection,
  SandboxOptions,
} from '../../sandbox';
import { denyAllPolicy, startSandbox } from '../../sandbox';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const MANAGEMENT = '111111111111';
export const INVITED = '222222222222';
export const CLEAN = '333333333333';
export const SUSPENDED = '444444444444';
export const VIRTUAL_MFA = `arn:aws:iam::${INVITED}:mfa/root-account-mfa-device`;
export const LOCKED_BUCKET = 'invited-locked-bucket';
export const LOCKED_POLICY = denyAllPolicy(`arn:aws:s3:::${LOCKED_BUCKET}/*`);
export const QUEUE_POLICY = denyAllPolicy(`arn:aws:sqs:us-east-1:${INVITED}:invited-queue`);

export function fixture(overrides: Partial<OrganizationFixture> = {}): OrganizationFixture {
  return {
    managementAccount: { id: MANAGEMENT, name: 'management' },
    organizationalUnits: [{ name: 'Workloads' }, { name: 'Prod', parent: 'Workloads' }],
    accounts: [
      {
        id: INVITED,
        name: 'invited',
        parent: 'Prod',
        joinedMethod: 'INVITED',
        rootCredentials: {
          loginProfile: true,
          accessKeys: [
            {
              accessKeyId: 'AKIAINVITED000000001',
              lastUsed: { date: '2025-06-01T00:00:00Z', serviceName: 's3', region: 'us-east-1' },
            },
            { accessKeyId: 'AKIAINVITED000000002' },
          ],
          signingCertificates: [{ certificateId: 'CERTINVITED00000000000001' }],
          mfaDevices: [{ serialNumber: VIRTUAL_MFA, type: 'virtual' }],
        },
        buckets: [{ name: LOCKED_BUCKET, policy: LOCKED_POLICY }, { name: 'invited-open-bucket' }],
        queues: [{ name: 'invited-queue', policy: QUEUE_POLICY }],
      },
      {
        id: CLEAN,
        name: 'clean',
        parent: 'Workloads',
        buckets: [{ name: 'clean-bucket', policy: '{"Statement":[]}' }],
        queues: [{ name: 'clean-queue' }],
      },
      { id: SUSPENDED, name: 'suspended', status: 'SUSPENDED' },
    ],
    features: { rootCredentialsManagement: true, rootSessions: true },
    trustedAccess: ['iam.amazonaws.com'],
    ...overrides,
  };
}

export const startTestSandbox = (options: SandboxOptions = {}): Promise<Sandbox> =>
  startSandbox({ organization: fixture(), ...options });

const config = (sandbox: SandboxConnection, credentials?: Credentials) => ({
  endpoint: sandbox.endpoint,
  region: sandbox.region,
  credentials: credentials ?? sandbox.managementCredentials,
  maxAttempts: 1,
});

export const clients = (sandbox: SandboxConnection, credentials?: Credentials) => ({
  sts: new STSClient(config(sandbox, credentials)),
  iam: new IAMClient(config(sandbox, credentials)),
  organizations: new OrganizationsClient(config(sandbox, credentials)),
  s3: new S3Client(config(sandbox, credentials)),
  sqs: new SQSClient(config(sandbox, credentials)),
});

export const taskArn = (task: RootTask, partition = 'aws'): string =>
  `arn:${partition}:iam::aws:policy/root-task/${task}`;

/** Assumes a root session with the management account's credentials and returns its credentials. */
export async function assumeRoot(
  sandbox: SandboxConnection,
  account: string,
  task: RootTask,
): Promise<Credentials> {
  const { Credentials } = await clients(sandbox).sts.send(
    new AssumeRootCommand({ TargetPrincipal: account, TaskPolicyArn: { arn: taskArn(task) } }),
  );
  if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey || !Credentials.SessionToken) {
    throw new Error('AssumeRoot answered without credentials');
  }
  return {
    accessKeyId: Credentials.AccessKeyId,
    secretAccessKey: Credentials.SecretAccessKey,
    sessionToken: Credentials.SessionToken,
  };
}
