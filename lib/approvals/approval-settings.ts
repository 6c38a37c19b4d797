import type { ApprovalConfig, ApprovalTask } from './approval-config';

/** A workflow's approval gate settings for one task, or undefined when the task needs no approval. */
export function approvalSettings(
  config: ApprovalConfig | undefined,
  task: ApprovalTask,
): { expirySeconds: number; approverPrincipals: readonly string[] } | undefined {
  if (config?.approvals[task] !== true) return undefined;
  return { expirySeconds: config.approvalExpirySeconds, approverPrincipals: config.approverPrincipals };
}
