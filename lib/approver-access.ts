import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeWildcard, logicalIdOf, nagArnPrefix } from './acknowledge';

export interface ApproverAccessProps {
  /** The workflows that can wait for approval. */
  readonly stateMachines: readonly sfn.StateMachine[];
  /** The Decide approval function: its URL is the only way to answer a request. */
  readonly decideApproval: lambda.IFunction;
  /** Workflows that wait for a go-ahead between waves (`rootkeeper remediate --continue`, given through the same function). */
  readonly goAheadStateMachines?: readonly sfn.StateMachine[];
}

/**
 * The approvers' policy: list the waiting requests and answer them
 * (`pending`, `approve`, `deny`), nothing else: no StartExecution, so an
 * approver cannot ask and approve alone; keep it off the requesters'
 * permission set.
 *
 * Answering is invoking the Decide approval function's URL (AuthType
 * AWS_IAM), which checks the approver rules on the caller AWS authenticated
 * and alone calls SendTaskSuccess / SendTaskFailure. Those two actions have
 * no resource type in IAM (wildcard only), so granting them here would let
 * an approver answer any task token, past the rules: this policy does not.
 * Function URLs created since October 2025 need both lambda:InvokeFunctionUrl
 * and lambda:InvokeFunction; each is limited to the URL path by a condition.
 *
 * The remediation's go-ahead between waves goes through the same function
 * (`rootkeeper remediate --continue`): this policy reads the waiting runs of
 * those workflows too, and answers nothing itself.
 */
export class ApproverAccess extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ApproverAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const arn = (resource: string): string =>
      `arn:${Aws.PARTITION}:states:${stack.region}:${stack.account}:${resource}`;
    const goAhead = props.goAheadStateMachines ?? [];
    const names = [...props.stateMachines, ...goAhead].map((stateMachine) => stateMachine.stateMachineName);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Rootkeeper approvers: list and decide the root actions waiting for approval',
      statements: [
        new iam.PolicyStatement({
          sid: 'ListWaitingRuns',
          actions: ['states:ListExecutions'],
          resources: [...props.stateMachines, ...goAhead].map((stateMachine) => stateMachine.stateMachineArn),
        }),
        new iam.PolicyStatement({
          sid: 'ReadRequests',
          actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
          resources: names.map((name) => arn(`execution:${name}:*`)),
        }),
        new iam.PolicyStatement({
          sid: 'DecideThroughTheFunctionUrl',
          actions: ['lambda:InvokeFunctionUrl'],
          resources: [props.decideApproval.functionArn],
          conditions: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
        }),
        new iam.PolicyStatement({
          sid: 'InvokeOnlyViaTheFunctionUrl',
          actions: ['lambda:InvokeFunction'],
          resources: [props.decideApproval.functionArn],
          conditions: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } },
        }),
        new iam.PolicyStatement({
          sid: 'ReadStackOutputs',
          actions: ['cloudformation:DescribeStacks'],
          resources: [stack.stackId],
        }),
      ],
    });
    const prefix = nagArnPrefix(this, 'states');
    for (const stateMachine of [...props.stateMachines, ...goAhead]) {
      acknowledgeWildcard(
        this.policy,
        `${prefix}:execution:<${logicalIdOf(stateMachine)}.Name>:*`,
        'Executions get their names at start: the wildcard stays within one of the workflows that ask for approval.',
      );
    }
  }
}
