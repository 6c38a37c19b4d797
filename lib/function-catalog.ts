import type { RootTask } from '../lambdas/root-access/task-policies';

/**
 * Every Lambda function of the service: its construct id, its handler source
 * and the one root task it may assume (if any). The CDK constructs build the
 * functions from this list, and the local runner maps synthesized Task states
 * back to the handlers in process through the same list.
 */
export interface FunctionSpec {
  /** Construct id; never changes once deployed. */
  readonly id: string;
  /** Handler source, relative to the repository root; exports `handler`. */
  readonly entry: string;
  /** The only task policy this function may use with sts:AssumeRoot. */
  readonly rootTask?: RootTask;
  readonly description: string;
}

export const FUNCTION_CATALOG = {
  validateRequest: {
    id: 'ValidateRequest',
    entry: 'lambdas/handlers/validate-request.ts',
    description: 'Validates a workflow request before any AWS call',
  },
  checkAccountEligibility: {
    id: 'CheckAccountEligibility',
    entry: 'lambdas/handlers/check-account-eligibility.ts',
    description: 'Decides whether an account may be targeted (ACTIVE member, not management, not protected)',
  },
  listMemberAccounts: {
    id: 'ListMemberAccounts',
    entry: 'lambdas/handlers/list-member-accounts.ts',
    description: 'Enumerates the eligible member accounts into inventory shards in the results table',
  },
  auditRootCredentials: {
    id: 'AuditRootCredentials',
    entry: 'lambdas/handlers/audit-root-credentials.ts',
    rootTask: 'IAMAuditRootUserCredentials',
    description: 'Audits the root user credentials of one account',
  },
  auditAccountBatch: {
    id: 'AuditAccountBatch',
    entry: 'lambdas/handlers/audit-account-batch.ts',
    rootTask: 'IAMAuditRootUserCredentials',
    description: 'Audits one inventory shard of accounts and records each posture',
  },
  deleteRootCredentials: {
    id: 'DeleteRootCredentials',
    entry: 'lambdas/handlers/delete-root-credentials.ts',
    rootTask: 'IAMDeleteRootUserCredentials',
    description: 'Deletes the root user credentials of one account and verifies',
  },
  enableAccountRecovery: {
    id: 'EnableAccountRecovery',
    entry: 'lambdas/handlers/enable-account-recovery.ts',
    rootTask: 'IAMCreateRootUserPassword',
    description: 'Re-enables root account recovery (CreateLoginProfile without password)',
  },
  unlockS3BucketPolicy: {
    id: 'UnlockS3BucketPolicy',
    entry: 'lambdas/handlers/unlock-s3-bucket-policy.ts',
    rootTask: 'S3UnlockBucketPolicy',
    description: 'Reads, then deletes or replaces, an S3 bucket policy',
  },
  unlockSqsQueuePolicy: {
    id: 'UnlockSqsQueuePolicy',
    entry: 'lambdas/handlers/unlock-sqs-queue-policy.ts',
    rootTask: 'SQSUnlockQueuePolicy',
    description: 'Reads, then removes or replaces, an SQS queue policy',
  },
  remediatePlannedAccount: {
    id: 'RemediatePlannedAccount',
    entry: 'lambdas/handlers/remediate-planned-account.ts',
    rootTask: 'IAMDeleteRootUserCredentials',
    description:
      'Runs the planned deletions of one account of a remediation wave, refusing changed credentials',
  },
  progressRemediation: {
    id: 'ProgressRemediation',
    entry: 'lambdas/handlers/progress-remediation.ts',
    description: 'Tallies a remediation run by wave, judges the failure rate and names the next wave',
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionKey = keyof typeof FUNCTION_CATALOG;
