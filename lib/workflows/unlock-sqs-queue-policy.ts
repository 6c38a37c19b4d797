import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { WORKFLOWS } from './names';
import type { WorkflowProps } from './secure-new-account';
import { unlockResourcePolicyDefinition } from './unlock-resource-policy';
import { WorkflowStateMachine } from './workflow-state-machine';

/** Unlock SQS queue policy: see unlockResourcePolicyDefinition. */
export class UnlockSqsQueuePolicy extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const definition = unlockResourcePolicyDefinition(this, props, {
      workflow: WORKFLOWS.unlockSqsQueuePolicy.name,
      validationTask: 'UNLOCK_SQS_QUEUE_POLICY',
      fn: props.functions.unlockSqsQueuePolicy,
      resourceField: 'queueUrl',
      resourceType: 'SQS_QUEUE',
      noun: 'queue policy',
    });
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', {
      definition,
      invokes: [
        props.functions.validateRequest,
        props.functions.checkAccountEligibility,
        props.functions.unlockSqsQueuePolicy,
      ],
      comment:
        'Unlock SQS queue policy: back up, then remove or replace a queue policy that locks everyone out',
    }).stateMachine;
  }
}
