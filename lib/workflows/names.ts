/**
 * The workflows: the `workflow` attribute of their run records and result
 * events, their construct ids (never change: a new id replaces the state
 * machine) and the stack output of their ARN (docs/architecture.md).
 */
export const WORKFLOWS = {
  secureNewAccount: { name: 'SecureNewAccount', output: 'SecureNewAccountStateMachineArn' },
  auditOrganization: { name: 'AuditOrganization', output: 'AuditOrganizationStateMachineArn' },
  deleteRootCredentials: { name: 'DeleteRootCredentials', output: 'DeleteRootCredentialsStateMachineArn' },
  unlockS3BucketPolicy: { name: 'UnlockS3BucketPolicy', output: 'UnlockS3BucketPolicyStateMachineArn' },
  unlockSqsQueuePolicy: { name: 'UnlockSqsQueuePolicy', output: 'UnlockSqsQueuePolicyStateMachineArn' },
  enableAccountRecovery: { name: 'EnableAccountRecovery', output: 'EnableAccountRecoveryStateMachineArn' },
  remediateOrganization: {
    name: 'RemediateOrganization',
    output: 'RemediateOrganizationStateMachineArn',
  },
} as const;

export type WorkflowKey = keyof typeof WORKFLOWS;
export type WorkflowName = (typeof WORKFLOWS)[WorkflowKey]['name'];

/** The workflows on-call engineers start by hand (the operator policy allows these). */
export const ON_CALL_WORKFLOWS: readonly WorkflowKey[] = [
  'secureNewAccount',
  'auditOrganization',
  'deleteRootCredentials',
  'unlockS3BucketPolicy',
  'unlockSqsQueuePolicy',
  'enableAccountRecovery',
  'remediateOrganization',
];

/** The result event every run puts on the default bus. */
export const RESULT_EVENT = { source: 'rootkeeper', detailType: 'Rootkeeper Run Result' } as const;

/**
 * Workflows that record a run for every account they sweep (the
 * organization audit): reports list them per account, not run by run.
 */
export const SWEEP_WORKFLOWS: ReadonlySet<string> = new Set([WORKFLOWS.auditOrganization.name]);
