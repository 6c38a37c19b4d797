import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { APPROVAL_DENIED_ERROR } from '../../lambdas/root-access/approval';
import { APPROVAL_EVENT, APPROVAL_STATE } from '../approvals/approval-event';
import { DECISION, KEY_TEMPLATE } from '../results-table-keys';
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
 * expiry. Only the Decide approval function answers it (rootkeeper approve
 * and deny call that function): it checks the approver rules on the caller
 * AWS authenticated, records the decision under APPROVAL#<execution ARN>,
 * then sends SendTaskSuccess, or SendTaskFailure with ApprovalDeniedError.
 * states:SendTaskSuccess cannot be limited to a resource in IAM, so the
 * gate never trusts the callback itself: it reads the decision record
 * (strongly consistent) and applies only an APPROVED record. A callback
 * without one (someone calling SendTaskSuccess directly) is recorded as
 * REFUSED and the run ends DENIED, having changed nothing. The expiry is
 * States.Timeout. Every decision is written into the run record (attribute
 * `approval`: decision, who, when, why) as soon as it is known.
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
    // The callback's output is not evidence of anything: the decision record is.
    resultPath: sfn.JsonPath.DISCARD,
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

  // The decision the Decide approval function recorded for this run, if any.
  const readDecision = (name: string) => {
    const read = new tasks.DynamoGetItem(scope, name, {
      table: props.table,
      key: {
        PK: tasks.DynamoAttributeValue.fromString(
          sfn.JsonPath.format(KEY_TEMPLATE.approval, sfn.JsonPath.stringAt('$.run.executionArn')),
        ),
        SK: tasks.DynamoAttributeValue.fromString(DECISION),
      },
      // Written just before the callback: an eventually consistent read could miss it.
      consistentRead: true,
      resultSelector: { 'found.$': '$' },
      resultPath: '$.decisionRecord',
    });
    retryDynamoDb(read);
    recorder.catchProblems(read);
    return read;
  };
  const recorded = (decision: 'APPROVED' | 'DENIED') =>
    sfn.Condition.and(
      sfn.Condition.isPresent('$.decisionRecord.found.Item'),
      sfn.Condition.stringEquals('$.decisionRecord.found.Item.decision.S', decision),
    );
  const fromRecord = (name: string, decision: 'APPROVED' | 'DENIED') =>
    new sfn.Pass(scope, name, {
      resultPath: '$.approval',
      parameters: {
        decision,
        by: sfn.JsonPath.stringAt('$.decisionRecord.found.Item.by.S'),
        at: sfn.JsonPath.stringAt('$.decisionRecord.found.Item.at.S'),
        reason: sfn.JsonPath.stringAt('$.decisionRecord.found.Item.reason.S'),
      },
    });
  const outside = (name: string, decision: 'REFUSED' | 'DENIED', reason: string) =>
    new sfn.Pass(scope, name, {
      resultPath: '$.approval',
      parameters: { decision, by: '', at: sfn.JsonPath.stringAt('$$.State.EnteredTime'), reason },
    });

  const checkApproval = readDecision('Read the approval decision');
  checkApproval.next(
    new sfn.Choice(scope, 'Did the approval come through the decide function?')
      .when(recorded('APPROVED'), fromRecord('Note the approval', 'APPROVED').next(recordDecision))
      .otherwise(
        outside(
          'Note an approval from outside the decide function',
          'REFUSED',
          'approved without the Decide approval function (a direct SendTaskSuccess): refused, nothing applied',
        ).next(recordDecision),
      ),
  );
  const denied = readDecision('Read the denial decision');
  denied.next(
    new sfn.Choice(scope, 'Did the denial come through the decide function?')
      .when(recorded('DENIED'), fromRecord('Note the denial', 'DENIED').next(recordDecision))
      .otherwise(
        outside(
          'Note a denial from outside the decide function',
          'DENIED',
          'denied without the Decide approval function (a direct SendTaskFailure): the run stops, nothing applied',
        ).next(recordDecision),
      ),
  );
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
  expired.next(recordDecision);

  const unapproved = (decision: 'DENIED' | 'EXPIRED', name: string) =>
    recorder
      .note(name, {
        outcome: decision,
        outcomeReason: { path: '$.approval.reason' },
        before: props.before,
        actions: '[]',
        after: props.before,
        sessionAccessKeyIds: props.sessionAccessKeyIds,
      })
      .next(recorder.record);
  recordDecision.next(
    new sfn.Choice(scope, 'Was it approved?')
      .when(sfn.Condition.stringEquals('$.approval.decision', 'APPROVED'), whenApproved)
      .when(
        sfn.Condition.stringEquals('$.approval.decision', 'EXPIRED'),
        unapproved('EXPIRED', 'Note the request expired'),
      )
      // DENIED, or REFUSED (approved outside the Decide approval function): nothing is done.
      .otherwise(unapproved('DENIED', 'Note the request was denied')),
  );
  return ask.next(checkApproval);
}
