import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { APPROVAL_DENIED_ERROR } from '../../lambdas/root-access/approval';
import { APPROVAL_EVENT, APPROVAL_STATE } from '../approvals/approval-event';
import { DECISION } from '../results-table-keys';
import { decisionRecorded, readDecisionRecord, recordedDecider } from '../approvals/decision-record';
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
  const ask = askForApproval(scope, props);
  const recordDecision = recordTheDecision(scope, props);
  const checkApproval = decisionFromTheRecord(scope, props, recordDecision, {
    read: 'Read the approval decision',
    choice: 'Did the approval come through the decide function?',
    decision: 'APPROVED',
    note: 'Note the approval',
    outside: {
      name: 'Note an approval from outside the decide function',
      decision: 'REFUSED',
      reason:
        'approved without the Decide approval function (a direct SendTaskSuccess): refused, nothing applied',
    },
  });
  const denied = decisionFromTheRecord(scope, props, recordDecision, {
    read: 'Read the denial decision',
    choice: 'Did the denial come through the decide function?',
    decision: 'DENIED',
    note: 'Note the denial',
    outside: {
      name: 'Note a denial from outside the decide function',
      decision: 'DENIED',
      reason:
        'denied without the Decide approval function (a direct SendTaskFailure): the run stops, nothing applied',
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
  expired.next(recordDecision);
  recordDecision.next(goOnIfApproved(scope, props, whenApproved));
  return ask.next(checkApproval);
}

/** The Approval Requested event, waiting for its task token up to the expiry. */
function askForApproval(scope: Construct, props: ApprovalGateProps): tasks.EventBridgePutEvents {
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
  return ask;
}

/** The decision (`$.approval`) written into the run record as soon as it is known. */
function recordTheDecision(scope: Construct, props: ApprovalGateProps): tasks.DynamoUpdateItem {
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
  return recordDecision;
}

interface RecordedDecisionStates {
  /** The state reading the decision record. */
  readonly read: string;
  /** The choice between the record and a callback from outside. */
  readonly choice: string;
  /** The decision the record must hold for the callback to count. */
  readonly decision: 'APPROVED' | 'DENIED';
  readonly note: string;
  /** What the run notes when the record does not hold it. */
  readonly outside: {
    readonly name: string;
    readonly decision: 'REFUSED' | 'DENIED';
    readonly reason: string;
  };
}

/**
 * The decision the Decide approval function recorded for this run, if any:
 * a callback counts only when the record holds that decision.
 */
function decisionFromTheRecord(
  scope: Construct,
  props: ApprovalGateProps,
  recordDecision: sfn.IChainable,
  states: RecordedDecisionStates,
): tasks.DynamoGetItem {
  const read = readDecisionRecord(scope, states.read, { table: props.table, sortKey: DECISION });
  props.recorder.catchProblems(read);
  const fromRecord = new sfn.Pass(scope, states.note, {
    resultPath: '$.approval',
    parameters: { decision: states.decision, ...recordedDecider() },
  });
  const outside = new sfn.Pass(scope, states.outside.name, {
    resultPath: '$.approval',
    parameters: {
      decision: states.outside.decision,
      by: '',
      at: sfn.JsonPath.stringAt('$$.State.EnteredTime'),
      reason: states.outside.reason,
    },
  });
  read.next(
    new sfn.Choice(scope, states.choice)
      .when(decisionRecorded(states.decision), fromRecord.next(recordDecision))
      .otherwise(outside.next(recordDecision)),
  );
  return read;
}

/** Approved: on to the change; denied, refused or expired: noted, nothing done. */
function goOnIfApproved(
  scope: Construct,
  props: ApprovalGateProps,
  whenApproved: sfn.IChainable,
): sfn.Choice {
  const unapproved = (decision: 'DENIED' | 'EXPIRED', name: string) =>
    props.recorder
      .note(name, {
        outcome: decision,
        outcomeReason: { path: '$.approval.reason' },
        before: props.before,
        actions: '[]',
        after: props.before,
        sessionAccessKeyIds: props.sessionAccessKeyIds,
      })
      .next(props.recorder.record);
  return (
    new sfn.Choice(scope, 'Was it approved?')
      .when(sfn.Condition.stringEquals('$.approval.decision', 'APPROVED'), whenApproved)
      .when(
        sfn.Condition.stringEquals('$.approval.decision', 'EXPIRED'),
        unapproved('EXPIRED', 'Note the request expired'),
      )
      // DENIED, or REFUSED (approved outside the Decide approval function): nothing is done.
      .otherwise(unapproved('DENIED', 'Note the request was denied'))
  );
}
