import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import {
  GO_AHEAD_TIMEOUT_HOURS,
  REMEDIATION_COUNTERS,
  REMEDIATION_RUN_DEFAULTS,
  REMEDIATION_WAVE_CONCURRENCY,
} from '../../lambdas/root-access/remediation-progress';
import type { ApprovalConfig } from '../approvals/approval-config';
import { approvalSettings } from '../approvals/approval-settings';
import { decisionRecorded, readDecisionRecord, recordedDecider } from '../approvals/decision-record';
import { RUN_RECORD_SCHEMA_VERSION } from '../run-record-schema-version';
import { KEY_TEMPLATE, ORGANIZATION, planKey } from '../results-table-keys';
import { GO_AHEAD_EVENT, GO_AHEAD_STATE } from './go-ahead';
import { RESULT_EVENT, WORKFLOWS } from './names';
import { recordPosture } from './posture';
import { RUN_ATTRIBUTES, RunRecorder, runRecordUpdate, type Value } from './record-run';
import { retryDynamoDb, retryEventBridge } from './retry';
import type { DeletingWorkflowProps } from './secure-new-account';
import { invoke, startTheRun } from './steps';
import { WorkflowStateMachine } from './workflow-state-machine';

const { JsonPath } = sfn;
const at = (path: string): string => JsonPath.stringAt(path);
const S = (value: string): tasks.DynamoAttributeValue => tasks.DynamoAttributeValue.fromString(value);

/**
 * Remediate organization: executes a reviewed plan that `rootkeeper
 * remediate --execute` saved in the results table under the run's name
 * (PK PLAN#<run>, one item per planned account; docs/remediation.md).
 * Waves run one after the other; inside a wave at most
 * REMEDIATION_WAVE_CONCURRENCY accounts at once, each checked for
 * eligibility, then RemediatePlannedAccount runs exactly its planned
 * deletions in one root session, or refuses (SKIPPED) when its credentials
 * changed since the plan. Each account's run is recorded under its
 * account, like any run, and its outcome marked on its plan item. Between
 * waves: ProgressRemediation tallies the wave into the summary (PK
 * ORGANIZATION) and stops the run when its failure rate passes the
 * threshold; otherwise the run soaks for `soakSeconds`, or, when 0, waits
 * for `rootkeeper remediate --continue`. The go-ahead goes through the
 * Decide approval function, like an approval: it checks who gives it (with
 * `approvals.deleteRootCredentials` on, an approver other than the
 * requester), records it under APPROVAL#<execution> / GO_AHEAD#<wave> and
 * alone answers the task token; after the wait the run reads that record
 * and stops (STOPPED, saying why) on a go-ahead without one, i.e. a direct
 * SendTaskSuccess. With approvals on, a plan that deletes keys in use waits
 * for such a go-ahead before its first wave, and no key in use is deleted
 * before an approver's go-ahead (RemediatePlannedAccount refuses it).
 * The state carries one wave's account ids, never the plan.
 */
export type RemediationWorkflowProps = DeletingWorkflowProps & { readonly config: Partial<ApprovalConfig> };

export class RemediateOrganization extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: RemediationWorkflowProps) {
    super(scope, id);
    const { functions, table, config } = props;
    const workflow = WORKFLOWS.remediateOrganization.name;
    const approval = approvalSettings(
      config.approvals === undefined ? undefined : (config as ApprovalConfig),
      'deleteRootCredentials',
    );
    const recorder = new RunRecorder(this, {
      workflow,
      table,
      organization: true,
      counters: REMEDIATION_COUNTERS,
    });

    const start = startTheRun(this, workflow, {
      accountId: ORGANIZATION,
      soakSeconds: REMEDIATION_RUN_DEFAULTS.soakSeconds,
      failureThresholdPercent: REMEDIATION_RUN_DEFAULTS.failureThresholdPercent,
    });
    const note = new sfn.Pass(this, 'Note the request', {
      parameters: {
        input: JsonPath.objectAt('$.input'),
        defaults: JsonPath.objectAt('$.defaults'),
        run: JsonPath.objectAt('$.run'),
        pk: ORGANIZATION,
        request: JsonPath.jsonMerge(JsonPath.objectAt('$.defaults'), JsonPath.objectAt('$.input')),
        summaryKey: { PK: ORGANIZATION, SK: at('$.run.sk') },
        // Without approvals the requester's own confirmation covers keys in use; with them, an approver's go-ahead.
        keysInUseApproved: approval === undefined,
      },
    });
    const open = recorder.openSummary();

    const progress = (name: string, finishedWave: number | string): tasks.LambdaInvoke =>
      invoke(
        this,
        name,
        functions.progressRemediation,
        {
          planId: at('$.run.executionName'),
          finishedWave: typeof finishedWave === 'number' ? finishedWave : JsonPath.numberAt(finishedWave),
          failureThresholdPercent: JsonPath.objectAt('$.request.failureThresholdPercent'),
          soakSeconds: JsonPath.objectAt('$.request.soakSeconds'),
          summaryKey: JsonPath.objectAt('$.summaryKey'),
        },
        '$.progress',
      );
    const readPlan = progress('Read the saved plan', 0);
    const tally = progress('Tally the wave', '$.progress.next.wave');

    const wave = new sfn.Map(this, 'Remediate the wave', {
      itemsPath: '$.progress.next.accountIds',
      maxConcurrency: REMEDIATION_WAVE_CONCURRENCY,
      itemSelector: {
        request: {
          accountId: at('$$.Map.Item.Value'),
          requestedBy: at('$.request.requestedBy'),
          reason: at('$.request.reason'),
          ticket: at('$.request.ticket'),
        },
        planId: at('$.run.executionName'),
        wave: JsonPath.numberAt('$.progress.next.wave'),
        keyPrefix: at('$.progress.next.keyPrefix'),
        keysInUseApproved: JsonPath.objectAt('$.keysInUseApproved'),
        run: JsonPath.objectAt('$.run'),
      },
      resultPath: JsonPath.DISCARD,
    });
    wave.itemProcessor(this.plannedAccount(props));

    const finish = (name: string, outcome: string, reason: Value) =>
      recorder
        .note(name, {
          outcome,
          outcomeReason: reason,
          after: '$.progress.totals',
        })
        .next(recorder.record);
    const completed = finish('Note the run completed', 'COMPLETED', 'every wave ran');
    const stopped = finish('Note the run stopped', 'STOPPED', { path: '$.progress.stopReason' });
    const expired = finish(
      'Note the go ahead never came',
      'EXPIRED',
      `no go-ahead within ${GO_AHEAD_TIMEOUT_HOURS} hours`,
    );

    const askGoAhead = new tasks.EventBridgePutEvents(this, GO_AHEAD_STATE, {
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      entries: [
        {
          source: GO_AHEAD_EVENT.source,
          detailType: GO_AHEAD_EVENT.detailType,
          detail: sfn.TaskInput.fromObject({
            taskToken: JsonPath.taskToken,
            workflow,
            run: JsonPath.executionName,
            executionArn: at('$.run.executionArn'),
            requestedBy: at('$.request.requestedBy'),
            finishedWave: JsonPath.objectAt('$.progress.finished'),
            nextWave: JsonPath.numberAt('$.progress.next.wave'),
            // Read back by the Decide approval function: fixed at synth, not by the requester.
            approverRequired: approval !== undefined,
            approverPrincipals: [...(approval?.approverPrincipals ?? [])],
            deletesKeysInUse: JsonPath.objectAt('$.progress.deletesKeysInUse'),
            nextWaveAccounts: JsonPath.arrayLength(JsonPath.listAt('$.progress.next.accountIds')),
            totals: JsonPath.objectAt('$.progress.totals'),
            continueCommand: JsonPath.format('rootkeeper remediate --continue {}', JsonPath.executionName),
            statusCommand: JsonPath.format('rootkeeper remediate --status {}', JsonPath.executionName),
          }),
        },
      ],
      taskTimeout: sfn.Timeout.duration(Duration.hours(GO_AHEAD_TIMEOUT_HOURS)),
      // The callback's output is not evidence of anything: the go-ahead record is.
      resultPath: JsonPath.DISCARD,
    });
    retryEventBridge(askGoAhead);
    askGoAhead.addCatch(expired, { errors: [sfn.Errors.TIMEOUT], resultPath: '$.expiry' });
    const readGoAhead = readDecisionRecord(this, 'Read the go ahead decision', {
      table,
      sortKey: JsonPath.format(KEY_TEMPLATE.goAheadDecision, at('$.progress.next.wave')),
    });
    const noteGoAhead = new sfn.Pass(this, 'Note the go ahead', {
      resultPath: '$.goAhead',
      parameters: recordedDecider(),
    });
    const refused = finish(
      'Note a go ahead from outside the decide function',
      'STOPPED',
      'a go-ahead came without the Decide approval function (a direct SendTaskSuccess): refused, the run stops before the next wave',
    );

    const recordGoAhead = new tasks.DynamoUpdateItem(this, 'Record the go ahead', {
      table,
      key: { PK: S(ORGANIZATION), SK: S(at('$.run.sk')) },
      updateExpression: 'SET #goAheads = list_append(if_not_exists(#goAheads, :none), :goAhead)',
      expressionAttributeNames: { '#goAheads': 'goAheads' },
      expressionAttributeValues: {
        ':none': tasks.DynamoAttributeValue.fromList([]),
        ':goAhead': tasks.DynamoAttributeValue.fromList([
          S(
            JsonPath.format(
              '{} {}: wave {} by {} ({})',
              at('$.goAhead.at'),
              'go-ahead',
              at('$.progress.next.wave'),
              at('$.goAhead.by'),
              at('$.goAhead.reason'),
            ),
          ),
        ]),
      },
      resultPath: JsonPath.DISCARD,
    });
    retryDynamoDb(recordGoAhead);
    // Any go-ahead recorded by the function is, with approvals on, an approver's: it covers keys in use.
    const approveKeysInUse = new sfn.Pass(this, 'Note keys in use may go', {
      result: sfn.Result.fromBoolean(true),
      resultPath: '$.keysInUseApproved',
    });
    askGoAhead
      .next(readGoAhead)
      .next(
        new sfn.Choice(this, 'Did the go ahead come through the decide function?')
          .when(
            decisionRecorded('APPROVED'),
            noteGoAhead.next(recordGoAhead).next(approveKeysInUse).next(wave),
          )
          .otherwise(refused),
      );

    const soak = new sfn.Wait(this, 'Soak before the next wave', {
      time: sfn.WaitTime.secondsPath('$.request.soakSeconds'),
    });

    const next = new sfn.Choice(this, 'What after the wave?')
      .when(sfn.Condition.booleanEquals('$.progress.stop', true), stopped)
      .when(sfn.Condition.booleanEquals('$.progress.more', false), completed)
      .when(sfn.Condition.numberGreaterThan('$.request.soakSeconds', 0), soak.next(wave))
      .otherwise(askGoAhead);
    wave.next(tally).next(next);

    for (const step of [open, readPlan, wave, tally, askGoAhead, readGoAhead, recordGoAhead])
      recorder.catchProblems(step);

    const definition = start
      .next(note)
      .next(open)
      .next(readPlan)
      .next(
        new sfn.Choice(this, 'Is there a wave to run?')
          .when(
            sfn.Condition.and(
              sfn.Condition.booleanEquals('$.progress.more', true),
              sfn.Condition.booleanEquals('$.progress.deletesKeysInUse', true),
              sfn.Condition.booleanEquals('$.keysInUseApproved', false),
            ),
            askGoAhead,
          )
          .when(sfn.Condition.booleanEquals('$.progress.more', true), wave)
          .otherwise(completed),
      );
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', {
      definition,
      invokes: [
        functions.checkAccountEligibility,
        functions.remediatePlannedAccount,
        functions.progressRemediation,
      ],
      comment:
        'Remediate organization: run a saved remediation plan wave by wave, with a go-ahead or a soak between waves',
    }).stateMachine;
  }

  /**
   * One planned account: eligible now? → its planned deletions (or refused
   * as changed) → its posture, its run record, its result event → its
   * outcome on its plan item. A failure is recorded as the account's FAILED
   * run; the wave goes on.
   */
  private plannedAccount(props: RemediationWorkflowProps): sfn.IChainable {
    const { functions, table, config } = props;
    const eligibility = invoke(
      this,
      'Check the planned account is eligible',
      functions.checkAccountEligibility,
      { accountId: at('$.request.accountId') },
      '$.eligibility',
    );
    const remediate = invoke(
      this,
      'Remediate the planned account',
      functions.remediatePlannedAccount,
      {
        planId: at('$.planId'),
        wave: JsonPath.numberAt('$.wave'),
        accountId: at('$.request.accountId'),
        keyInUseDays: config.keyInUseDays,
        keysInUseApproved: JsonPath.objectAt('$.keysInUseApproved'),
      },
      '$.remediation',
    );
    const fields = (values: Record<string, string>) =>
      new sfn.Pass(this, values.name ?? '', {
        resultPath: '$.account',
        parameters: Object.fromEntries(Object.entries(values).filter(([key]) => key !== 'name')),
      });
    const remediated = fields({
      name: 'Note the planned account outcome',
      outcome: at('$.remediation.outcome'),
      outcomeReason: at('$.remediation.outcomeReason'),
      before: at('$.remediation.record.before'),
      actions: at('$.remediation.record.actions'),
      after: at('$.remediation.record.after'),
      sessionAccessKeyIds: at('$.remediation.record.sessionAccessKeyIds'),
      sessionsReopened: at('$.remediation.record.sessionsReopened'),
      keptKeys: at('$.remediation.record.keptKeys'),
      error: '',
      errorCause: '',
    });
    const refused = fields({
      name: 'Note the planned account was refused',
      outcome: 'SKIPPED',
      outcomeReason: at('$.eligibility.reason'),
      before: 'null',
      actions: '[]',
      after: 'null',
      sessionAccessKeyIds: '[]',
      sessionsReopened: '[]',
      keptKeys: '[]',
      error: '',
      errorCause: '',
    });
    const failed = fields({
      name: 'Note the planned account failed',
      outcome: 'FAILED',
      outcomeReason: at('$.error.Error'),
      before: 'null',
      actions: '[]',
      after: 'null',
      sessionAccessKeyIds: '[]',
      sessionsReopened: '[]',
      keptKeys: '[]',
      error: at('$.error.Error'),
      errorCause: at('$.error.Cause'),
    });
    eligibility.addCatch(failed, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    remediate.addCatch(failed, { errors: [sfn.Errors.ALL], resultPath: '$.error' });

    const posture = recordPosture(
      this,
      'Record the planned account posture',
      table,
      '$.remediation.after',
      '$$.State.EnteredTime',
    );
    const accountKey = JsonPath.format(KEY_TEMPLATE.account, at('$.request.accountId'));
    // Each planned account's run, recorded under its account like any run (inside the Map: no RunRecorder ending).
    const source: Record<(typeof RUN_ATTRIBUTES)[number], string> = {
      GSI1PK: JsonPath.format(KEY_TEMPLATE.outcome, at('$.account.outcome')),
      GSI1SK: JsonPath.format('{}#{}', at('$.run.startedAt'), at('$.request.accountId')),
      workflow: WORKFLOWS.remediateOrganization.name,
      schemaVersion: String(RUN_RECORD_SCHEMA_VERSION),
      target: '',
      outcome: at('$.account.outcome'),
      accountId: at('$.request.accountId'),
      outcomeReason: at('$.account.outcomeReason'),
      requestedBy: at('$.request.requestedBy'),
      reason: at('$.request.reason'),
      ticket: at('$.request.ticket'),
      before: at('$.account.before'),
      actions: at('$.account.actions'),
      after: at('$.account.after'),
      sessionAccessKeyIds: at('$.account.sessionAccessKeyIds'),
      sessionsReopened: at('$.account.sessionsReopened'),
      keptKeys: at('$.account.keptKeys'),
      error: at('$.account.error'),
      errorCause: at('$.account.errorCause'),
      executionArn: at('$.run.executionArn'),
      startedAt: at('$.run.startedAt'),
      finishedAt: at('$$.State.EnteredTime'),
    };
    const recordRun = runRecordUpdate(this, 'Record the planned account run', {
      table,
      key: { PK: accountKey, SK: at('$.run.sk') },
      value: (attribute) => source[attribute],
    });
    const announce = new tasks.EventBridgePutEvents(this, 'Announce the planned account result', {
      entries: [
        {
          source: RESULT_EVENT.source,
          detailType: RESULT_EVENT.detailType,
          detail: sfn.TaskInput.fromObject({
            workflow: WORKFLOWS.remediateOrganization.name,
            outcome: at('$.account.outcome'),
            accountId: at('$.request.accountId'),
            executionArn: at('$.run.executionArn'),
            runKey: { PK: accountKey, SK: at('$.run.sk') },
          }),
        },
      ],
      resultPath: JsonPath.DISCARD,
    });
    retryEventBridge(announce);
    const mark = new tasks.DynamoUpdateItem(this, 'Mark the planned account outcome', {
      table,
      key: {
        PK: S(JsonPath.format(`${planKey('')}{}`, at('$.planId'))),
        SK: S(JsonPath.format('{}{}', at('$.keyPrefix'), at('$.request.accountId'))),
      },
      updateExpression: 'SET #outcome = :outcome, #reason = :reason',
      expressionAttributeNames: { '#outcome': 'outcome', '#reason': 'outcomeReason' },
      expressionAttributeValues: {
        ':outcome': S(at('$.account.outcome')),
        ':reason': S(at('$.account.outcomeReason')),
      },
      resultPath: JsonPath.DISCARD,
    });
    retryDynamoDb(mark);

    recordRun.next(announce).next(mark);
    refused.next(recordRun);
    failed.next(recordRun);
    remediated.next(recordRun);
    return eligibility.next(
      new sfn.Choice(this, 'Is the planned account eligible?')
        .when(
          sfn.Condition.booleanEquals('$.eligibility.eligible', true),
          remediate.next(posture).next(remediated),
        )
        .otherwise(refused),
    );
  }
}
