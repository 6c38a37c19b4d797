import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeWildcard, logicalIdOf, nagArnPrefix } from '../acknowledge';
import { DECIDE_APPROVAL_FUNCTION } from '../function-catalog';
import { FunctionWithDefaults } from '../lambda-defaults';
import { GO_AHEAD_STATE_MACHINES_VARIABLE } from '../workflows/go-ahead';
import { GATED_STATE_MACHINES_VARIABLE } from './approval-event';

export interface ApprovalDecisionsProps {
  readonly table: dynamodb.ITable;
  /** The workflows that can wait for approval. */
  readonly stateMachines: readonly sfn.StateMachine[];
  /** The workflows that wait for a go-ahead between waves (Remediate organization): given here too. */
  readonly goAheadStateMachines?: readonly sfn.StateMachine[];
}

/**
 * The Decide approval function and its function URL (AuthType AWS_IAM):
 * the one path by which a waiting approval is answered. Lambda authenticates
 * every request by its SigV4 signature and authorizes it with IAM
 * (lambda:InvokeFunctionUrl, and since October 2025 lambda:InvokeFunction,
 * which the approver policy grants) before the function runs; the function
 * then applies the approver rules to the authenticated caller. Only this
 * function's role holds states:SendTaskSuccess and SendTaskFailure. The
 * go-ahead between the waves of a remediation is given the same way.
 */
export class ApprovalDecisions extends Construct {
  readonly function: lambda.Function;
  readonly url: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: ApprovalDecisionsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const goAhead = props.goAheadStateMachines ?? [];
    const fn = new FunctionWithDefaults(this, DECIDE_APPROVAL_FUNCTION.id, {
      spec: DECIDE_APPROVAL_FUNCTION,
      timeout: Duration.seconds(30),
      environment: {
        RESULTS_TABLE_NAME: props.table.tableName,
        [GATED_STATE_MACHINES_VARIABLE]: props.stateMachines
          .map((stateMachine) => stateMachine.stateMachineArn)
          .join(','),
        [GO_AHEAD_STATE_MACHINES_VARIABLE]: goAhead
          .map((stateMachine) => stateMachine.stateMachineArn)
          .join(','),
      },
    });
    this.function = fn.function;
    this.url = fn.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });

    const names = [...props.stateMachines, ...goAhead].map((stateMachine) => stateMachine.stateMachineName);
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadWaitingRequests',
        actions: ['states:GetExecutionHistory'],
        resources: names.map(
          (name) => `arn:${Aws.PARTITION}:states:${stack.region}:${stack.account}:execution:${name}:*`,
        ),
      }),
    );
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AnswerWaitingRequests',
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        resources: ['*'],
      }),
    );
    // One decision per run: a conditional PutItem on the table itself (not its index), nothing else.
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RecordTheDecision',
        actions: ['dynamodb:PutItem'],
        resources: [props.table.tableArn],
      }),
    );

    const prefix = nagArnPrefix(this, 'states');
    for (const stateMachine of [...props.stateMachines, ...goAhead]) {
      acknowledgeWildcard(
        fn.role,
        `${prefix}:execution:<${logicalIdOf(stateMachine)}.Name>:*`,
        'Executions get their names at start: the wildcard stays within one of the workflows that ask for approval or a go-ahead.',
      );
    }
    Validations.of(fn.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'SendTaskSuccess and SendTaskFailure have no resource type in IAM (wildcard only), nor have the X-Ray PutTraceSegments/PutTelemetryRecords calls.',
    });
    Validations.of(fn.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Invoked synchronously through its function URL only; the caller sees every failure in the answer.',
    });
    Validations.of(fn.function).acknowledge({
      id: 'Serverless-LambdaAsyncFailureDestination',
      reason: 'Never invoked asynchronously: its function URL invokes it synchronously.',
    });
  }
}
