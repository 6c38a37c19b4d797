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

export type Partition = 'aws' | 'aws-us-gov' | 'aws-cn';

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
