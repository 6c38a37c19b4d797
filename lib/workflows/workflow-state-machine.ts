import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { acknowledgeWildcard, logicalIdOf } from '../acknowledge';

export interface WorkflowStateMachineProps {
  readonly definition: sfn.IChainable;
  readonly comment: string;
  /** The functions its Lambda steps invoke (CDK grants each function and its versions). */
  readonly invokes: readonly lambda.IFunction[];
  /**
   * What goes to CloudWatch Logs (default ALL, with execution data). A
   * Standard workflow keeps its full execution history for 90 days whatever
   * the level (console, GetExecutionHistory), so a lower level only drops
   * the copy in CloudWatch Logs: ERROR keeps the failures, time-outs and
   * aborts (docs/performance.md, "Logging levels").
   */
  readonly logLevel?: sfn.LogLevel;
}

/**
 * A Standard state machine with the service's defaults: logging to its own
 * log group, at level ALL unless the workflow says otherwise (payloads
 * never hold credentials, so execution data may be logged), and X-Ray
 * tracing.
 */
export class WorkflowStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WorkflowStateMachineProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const level = props.logLevel ?? sfn.LogLevel.ALL;
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(props.definition),
      comment: props.comment,
      tracingEnabled: true,
      logs: {
        destination: this.logGroup,
        level,
        includeExecutionData: true,
      },
    });
    if (level !== sfn.LogLevel.ALL)
      Validations.of(this.stateMachine).acknowledge({
        id: 'AwsSolutions-SF1',
        reason: `Logs at level ${level}, not ALL: a Standard workflow keeps its full execution history in Step Functions for 90 days whatever the level, and its results are in the table; the level only drops the CloudWatch Logs copy of its events (docs/performance.md, "Logging levels").`,
      });
    const role = this.stateMachine.role;
    acknowledgeWildcard(
      role,
      '*',
      'X-Ray (PutTraceSegments, GetSamplingRules...) and CloudWatch Logs delivery (CreateLogDelivery...) support no resource-level permissions.',
    );
    for (const fn of new Set(props.invokes)) {
      acknowledgeWildcard(
        role,
        `<${logicalIdOf(fn)}.Arn>:*`,
        'LambdaInvoke grants the function and its versions; the wildcard is the version qualifier of this one function.',
      );
    }
  }
}
