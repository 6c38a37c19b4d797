import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeWildcard, logicalIdOf, nagArnPrefix } from './acknowledge';

export interface ApproverAccessProps {
  /** The workflows that can wait for approval. */
  readonly stateMachines: readonly sfn.StateMachine[];
}

/**
 * The approvers' policy: list the waiting requests and answer them
 * (`pending`, `approve`, `deny`), nothing else: no StartExecution, so an
 * approver cannot ask and approve alone; keep it off the requesters'
 * permission set.
 *
 * SendTaskSuccess and SendTaskFailure have no resource type in IAM (the
 * Service Authorization Reference lists none): AWS authorizes them on `*`,
 * and the task token, unguessable and single-use, names the task.
 */
export class ApproverAccess extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ApproverAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const arn = (resource: string): string =>
      `arn:${Aws.PARTITION}:states:${stack.region}:${stack.account}:${resource}`;
    const names = props.stateMachines.map((stateMachine) => stateMachine.stateMachineName);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Rootkeeper approvers: list and decide the root actions waiting for approval',
      statements: [
        new iam.PolicyStatement({
          sid: 'ListWaitingRuns',
          actions: ['states:ListExecutions'],
          resources: props.stateMachines.map((stateMachine) => stateMachine.stateMachineArn),
        }),
        new iam.PolicyStatement({
          sid: 'ReadRequests',
          actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
          resources: names.map((name) => arn(`execution:${name}:*`)),
        }),
        new iam.PolicyStatement({
          sid: 'AnswerRequests',
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'ReadStackOutputs',
          actions: ['cloudformation:DescribeStacks'],
          resources: [stack.stackId],
        }),
      ],
    });
    const prefix = nagArnPrefix(this, 'states');
    for (const stateMachine of props.stateMachines) {
      acknowledgeWildcard(
        this.policy,
        `${prefix}:execution:<${logicalIdOf(stateMachine)}.Name>:*`,
        'Executions get their names at start: the wildcard stays within one of the workflows that ask for approval.',
      );
    }
    acknowledgeWildcard(
      this.policy,
      '*',
      'SendTaskSuccess and SendTaskFailure have no resource type in IAM: AWS authorizes them only on *.',
    );
  }
}
