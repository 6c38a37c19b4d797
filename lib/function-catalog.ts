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
  /** Opens one short root session per account: the session length does not bound the call. */
  readonly sessionPerAccount?: boolean;
  /** MB, when the default (lib/lambda-defaults.ts) does not fit. */
  readonly memorySize?: number;
}

export const FUNCTION_CATALOG = {
  validateRequest: {
    id: 'ValidateRequest',
    entry: 'lambdas/handlers/validate-request.ts',
    description: 'Validates a workflow request before any AWS call',
    memorySize: 256,
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
    sessionPerAccount: true,
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

/**
 * The function behind the approvers' function URL (lib/approvals/approval-decisions.ts):
 * built after the workflows, which it answers; no workflow invokes it.
 */
export const DECIDE_APPROVAL_FUNCTION: FunctionSpec = {
  id: 'DecideApproval',
  entry: 'lambdas/handlers/decide-approval.ts',
  description:
    'Applies the approver rules to the authenticated caller, records the decision, answers the workflow',
};

/** Every function spec of the stack, for the local runner's mapping back to handlers. */
export const ALL_FUNCTION_SPECS: readonly FunctionSpec[] = [
  ...Object.values(FUNCTION_CATALOG),
  DECIDE_APPROVAL_FUNCTION,
];
