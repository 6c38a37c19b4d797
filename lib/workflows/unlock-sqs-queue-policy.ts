import type { Construct } from 'constructs';
import { WORKFLOWS } from './names';
import type { ApprovalConfig } from '../approvals/approval-config';
import { approvalSettings } from '../approvals/approval-settings';
import type { WorkflowProps } from './secure-new-account';
import { UnlockResourcePolicy } from './unlock-resource-policy';

/** Unlock SQS queue policy: see unlockResourcePolicyDefinition. */
export class UnlockSqsQueuePolicy extends UnlockResourcePolicy {
  constructor(scope: Construct, id: string, props: WorkflowProps & { readonly config?: ApprovalConfig }) {
    super(scope, id, props, {
      workflow: WORKFLOWS.unlockSqsQueuePolicy.name,
      validationTask: 'UNLOCK_SQS_QUEUE_POLICY',
      fn: props.functions.unlockSqsQueuePolicy,
      resourceField: 'queueUrl',
      resourceType: 'SQS_QUEUE',
      noun: 'queue policy',
      approval: approvalSettings(props.config, 'unlockSqs'),
      comment:
        'Unlock SQS queue policy: back up, then remove or replace a queue policy that locks everyone out',
    });
  }
}
