/**
 * The five AWS managed root-task policies. A root session opened with
 * sts:AssumeRoot is scoped by exactly one of them. The CDK code imports these
 * names so that IAM conditions (sts:TaskPolicyArn) use the very values the
 * functions send.
 */
export const ROOT_TASKS = [
  'IAMAuditRootUserCredentials',
  'IAMCreateRootUserPassword',
  'IAMDeleteRootUserCredentials',
  'S3UnlockBucketPolicy',
  'SQSUnlockQueuePolicy',
] as const;

export type RootTask = (typeof ROOT_TASKS)[number];

export const PARTITIONS = ['aws', 'aws-us-gov', 'aws-cn'] as const;
export type Partition = (typeof PARTITIONS)[number];

/** The actions each task policy allows (its ceiling), from the AWS managed policies. */
export const TASK_POLICY_ACTIONS: Readonly<Record<RootTask, readonly string[]>> = {
  IAMAuditRootUserCredentials: [
    'iam:GetAccountSummary',
    'iam:GetUser',
    'iam:GetLoginProfile',
    'iam:ListAccessKeys',
    'iam:GetAccessKeyLastUsed',
    'iam:ListSigningCertificates',
    'iam:ListMFADevices',
  ],
  IAMCreateRootUserPassword: ['iam:CreateLoginProfile', 'iam:GetLoginProfile'],
  IAMDeleteRootUserCredentials: [
    'iam:DeleteLoginProfile',
    'iam:DeleteAccessKey',
    'iam:DeleteSigningCertificate',
    'iam:DeactivateMFADevice',
    'iam:DeleteVirtualMFADevice',
    'iam:GetLoginProfile',
    'iam:ListAccessKeys',
    'iam:ListSigningCertificates',
    'iam:ListMFADevices',
    'iam:GetUser',
    'iam:GetAccessKeyLastUsed',
  ],
  S3UnlockBucketPolicy: [
    's3:GetBucketPolicy',
    's3:PutBucketPolicy',
    's3:DeleteBucketPolicy',
    's3:ListAllMyBuckets',
  ],
  SQSUnlockQueuePolicy: [
    'sqs:GetQueueAttributes',
    'sqs:SetQueueAttributes',
    'sqs:ListQueues',
    'sqs:GetQueueUrl',
  ],
};

/**
 * The feature that must be enabled in the organization for a task:
 * RootCredentialsManagement for the IAM tasks, RootSessions for S3 and SQS.
 */
export const TASK_FEATURE: Readonly<Record<RootTask, 'RootCredentialsManagement' | 'RootSessions'>> = {
  IAMAuditRootUserCredentials: 'RootCredentialsManagement',
  IAMCreateRootUserPassword: 'RootCredentialsManagement',
  IAMDeleteRootUserCredentials: 'RootCredentialsManagement',
  S3UnlockBucketPolicy: 'RootSessions',
  SQSUnlockQueuePolicy: 'RootSessions',
};

export function taskPolicyArn(task: RootTask, partition: Partition = 'aws'): string {
  return `arn:${partition}:iam::aws:policy/root-task/${task}`;
}

export function isRootTask(value: unknown): value is RootTask {
  return typeof value === 'string' && (ROOT_TASKS as readonly string[]).includes(value);
}

/**
 * The partition of a region: task policy ARNs, root ARNs and the endpoints a
 * root session can reach depend on it (China regions start with cn-, GovCloud
 * with us-gov-).
 */
export function partitionOfRegion(region: string): Partition {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

export function isPartition(value: unknown): value is Partition {
  return typeof value === 'string' && (PARTITIONS as readonly string[]).includes(value);
}
