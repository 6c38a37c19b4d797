/**
 * The five AWS managed root-task policies, written from aws-facts.md (the sandbox's own copy:
 * it never imports the product's).
 */
import type { RootTask } from './model';

export const TASK_ACTIONS: Record<RootTask, readonly string[]> = {
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

const ROOT_TASKS = Object.keys(TASK_ACTIONS) as RootTask[];

const TASK_ARN =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::aws:policy\/root-task\/([A-Za-z0-9]+)$/;

/**
 * The task named by a task policy ARN of `partition`, or undefined when it is not one of the five
 * there (an ARN of another partition names no policy this organization can use).
 */
export function parseTaskPolicyArn(arn: string, partition: string): RootTask | undefined {
  const match = TASK_ARN.exec(arn);
  if (match?.[1] !== partition) return undefined;
  const name = match[2];
  return ROOT_TASKS.find((task) => task === name);
}

/** Which organization feature a task needs before AssumeRoot grants it. */
export const requiredFeature = (task: RootTask): 'rootCredentialsManagement' | 'rootSessions' =>
  task.startsWith('IAM') ? 'rootCredentialsManagement' : 'rootSessions';
