import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RootkeeperConfig } from '../config';
import { AuditOrganization } from './audit-organization';
import { DeleteRootCredentials } from './delete-root-credentials';
import { EnableAccountRecovery } from './enable-account-recovery';
import type { WorkflowKey } from './names';
import { RemediateOrganization } from './remediate-organization';
import { SecureNewAccount, type WorkflowProps } from './secure-new-account';
import { UnlockS3BucketPolicy } from './unlock-s3-bucket-policy';
import { UnlockSqsQueuePolicy } from './unlock-sqs-queue-policy';

export interface WorkflowsProps extends WorkflowProps {
  readonly config: RootkeeperConfig;
}

/** The workflows; construct ids never change (a new id replaces a state machine). */
export class Workflows extends Construct {
  readonly stateMachines: Readonly<Record<WorkflowKey, sfn.StateMachine>>;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    const secureNewAccount = new SecureNewAccount(this, 'SecureNewAccount', props).stateMachine;
    this.stateMachines = {
      secureNewAccount,
      auditOrganization: new AuditOrganization(this, 'AuditOrganization', { ...props, secureNewAccount })
        .stateMachine,
      deleteRootCredentials: new DeleteRootCredentials(this, 'DeleteRootCredentials', props).stateMachine,
      unlockS3BucketPolicy: new UnlockS3BucketPolicy(this, 'UnlockS3BucketPolicy', props).stateMachine,
      unlockSqsQueuePolicy: new UnlockSqsQueuePolicy(this, 'UnlockSqsQueuePolicy', props).stateMachine,
      enableAccountRecovery: new EnableAccountRecovery(this, 'EnableAccountRecovery', props).stateMachine,
      remediateOrganization: new RemediateOrganization(this, 'RemediateOrganization', props).stateMachine,
    };
  }
}
