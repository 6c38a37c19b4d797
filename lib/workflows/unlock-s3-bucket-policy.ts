import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { WORKFLOWS } from './names';
import type { WorkflowProps } from './secure-new-account';
import { unlockResourcePolicyDefinition } from './unlock-resource-policy';
import { WorkflowStateMachine } from './workflow-state-machine';

/** Unlock S3 bucket policy: see unlockResourcePolicyDefinition. */
export class UnlockS3BucketPolicy extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const definition = unlockResourcePolicyDefinition(this, props, {
      workflow: WORKFLOWS.unlockS3BucketPolicy.name,
      validationTask: 'UNLOCK_S3_BUCKET_POLICY',
      fn: props.functions.unlockS3BucketPolicy,
      resourceField: 'bucketName',
      resourceType: 'S3_BUCKET',
      noun: 'bucket policy',
    });
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', {
      definition,
      invokes: [
        props.functions.validateRequest,
        props.functions.checkAccountEligibility,
        props.functions.unlockS3BucketPolicy,
      ],
      comment:
        'Unlock S3 bucket policy: back up, then delete or replace a bucket policy that locks everyone out',
    }).stateMachine;
  }
}
