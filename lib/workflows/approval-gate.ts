import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { APPROVAL_DENIED_ERROR } from '../../lambdas/root-access/approval';
import { APPROVAL_EVENT, APPROVAL_STATE } from '../approvals/approval-event';
import type { RunRecorder } from './record-run';
import { retryDynamoDb, retryEventBridge } from './retry';

export interface ApprovalGateProps {
  readonly table: dynamodb.ITable;
  readonly recorder: RunRecorder;
  readonly expirySeconds: number;
  readonly approverPrincipals: readonly string[];
  /** What the approver approves, shown in the request: paths of the run's state. */
  readonly plan: Record<string, unknown>;
  /** Paths of what the run records as "before" when it stops unapproved. */
  readonly before?: string;
  /** Paths of the access key ids of the root sessions the plan was read in. */
  readonly sessionAccessKeyIds?: readonly string[];
}

/**
 * The approval gate: "Ask for approval" puts an Approval Requested event on
 * the default bus (the plan, who asked and why, the commands to decide) and
 * waits for its task token (events:putEvents.waitForTaskToken) up to the
 * expiry. `rootkeeper approve` answers SendTaskSuccess, `rootkeeper deny`
 * SendTaskFailure with ApprovalDeniedError; the expiry is States.Timeout.
 * Every decision is written into the run record (attribute `approval`: who,
 * when, why) as soon as it is known; a denied or expired request then ends
 * the run as DENIED or EXPIRED, having changed nothing.
 */
export function approvalGate(
  scope: Construct,
  props: ApprovalGateProps,
  whenApproved: sfn.IChainable,
): sfn.Chain {
  const { recorder } = props;
  const ask = new tasks.EventBridgePutEvents(scope, APPROVAL_STATE, {
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    entries: [
      {
        source: APPROVAL_EVENT.source,
        detailType: APPROVAL_EVENT.detailType,
        detail: sfn.TaskInput.fromObject({
          taskToken: sfn.JsonPath.taskToken,
          workflow: sfn.JsonPath.stringAt('$.run.workflow'),
          run: sfn.JsonPath.executionName,
          executionArn: sfn.JsonPath.stringAt('$.run.executionArn'),
          accountId: sfn.JsonPath.stringAt('$.request.accountId'),
          requestedBy: sfn.JsonPath.stringAt('$.request.requestedBy'),
          reason: sfn.JsonPath.stringAt('$.request.reason'),
          ticket: sfn.JsonPath.stringAt('$.request.ticket'),
          plan: props.plan,
          approverPrincipals: [...props.approverPrincipals],
          expiresInSeconds: props.expirySeconds,
          approveCommand: sfn.JsonPath.format(
            'rootkeeper approve {} --reason "<why>"',
            sfn.JsonPath.executionName,
          ),
          denyCommand: sfn.JsonPath.format('rootkeeper deny {} --reason "<why>"', sfn.JsonPath.executionName),
        }),
      },
    ],
    taskTimeout: sfn.Timeout.duration(Duration.seconds(props.expirySeconds)),
    // Whatever the approver's output, the run keeps only who, when and why.
    resultSelector: {
      decision: 'APPROVED',
      by: sfn.JsonPath.stringAt('$.by'),
      at: sfn.JsonPath.stringAt('$.at'),
      reason: sfn.JsonPath.stringAt('$.reason'),
    },
    resultPath: '$.approval',
  });
  retryEventBridge(ask);

  const recordDecision = new tasks.DynamoUpdateItem(scope, 'Record the approval decision', {
    table: props.table,
    key: {
      PK: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.pk')),
      SK: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.run.sk')),
    },
    updateExpression: 'SET #approval = :approval',
    expressionAttributeNames: { '#approval': 'approval' },
    expressionAttributeValues: {
      ':approval': tasks.DynamoAttributeValue.fromString(
        sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$.approval')),
      ),
    },
    resultPath: sfn.JsonPath.DISCARD,
  });
  retryDynamoDb(recordDecision);

  const denied = new sfn.Pass(scope, 'Note the denial', {
    resultPath: '$.approval',
    parameters: {
      decision: 'DENIED',
      'detail.$': 'States.StringToJson($.denial.Cause)',
    },
  });
  const flatDenial = new sfn.Pass(scope, 'Note who denied it', {
    resultPath: '$.approval',
    parameters: {
      decision: 'DENIED',
      by: sfn.JsonPath.stringAt('$.approval.detail.by'),
      at: sfn.JsonPath.stringAt('$.approval.detail.at'),
      reason: sfn.JsonPath.stringAt('$.approval.detail.reason'),
    },
  });
  const expired = new sfn.Pass(scope, 'Note the expiry', {
    resultPath: '$.approval',
    parameters: {
      decision: 'EXPIRED',
      by: '',
      at: sfn.JsonPath.stringAt('$$.State.EnteredTime'),
      reason: `nobody decided within ${props.expirySeconds} seconds`,
    },
  });
  ask.addCatch(denied, { errors: [APPROVAL_DENIED_ERROR], resultPath: '$.denial' });
  ask.addCatch(expired, { errors: [sfn.Errors.TIMEOUT], resultPath: '$.expiry' });
  recorder.catchProblems(ask);
  recorder.catchProblems(recordDecision);
  denied.next(flatDenial).next(recordDecision);
  expired.next(recordDecision);

  const unapproved = (decision: 'DENIED' | 'EXPIRED') =>
    recorder
      .note(decision === 'DENIED' ? 'Note the request was denied' : 'Note the request expired', {
        outcome: decision,
        outcomeReason: { path: '$.approval.reason' },
        before: props.before,
        actions: '[]',
        after: props.before,
        sessionAccessKeyIds: props.sessionAccessKeyIds,
      })
      .next(recorder.record);
  return ask
    .next(recordDecision)
    .next(
      new sfn.Choice(scope, 'Was it approved?')
        .when(sfn.Condition.stringEquals('$.approval.decision', 'DENIED'), unapproved('DENIED'))
        .when(sfn.Condition.stringEquals('$.approval.decision', 'EXPIRED'), unapproved('EXPIRED'))
        .otherwise(whenApproved),
    );
}
