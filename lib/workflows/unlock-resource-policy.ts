import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { approvalGate } from './approval-gate';
import type { WorkflowName } from './names';
import { retryDynamoDb } from './retry';
import type { WorkflowProps } from './secure-new-account';
import type { RunRecorder } from './record-run';
import { accountRequestSteps, invoke, type ValidationTask } from './steps';
import { WorkflowStateMachine } from './workflow-state-machine';
import { BACKUP, KEY_TEMPLATE, PLANNED_OUTCOME } from '../results-table-keys';
import { PolicyChangedSincePlanError } from '../../lambdas/root-access/errors';
import { NO_POLICY } from '../../lambdas/root-access/validation';

export interface UnlockResourcePolicyOptions {
  readonly workflow: WorkflowName;
  readonly validationTask: ValidationTask;
  readonly fn: lambda.IFunction;
  /** The request field naming the resource: bucketName or queueUrl. */
  readonly resourceField: 'bucketName' | 'queueUrl';
  readonly resourceType: 'S3_BUCKET' | 'SQS_QUEUE';
  /** Plain words for the resource in state names: "bucket policy", "queue policy". */
  readonly noun: string;
  /** The state machine's comment. */
  readonly comment: string;
  /** When set, a second person approves the plan (the policy read and its replacement) first. */
  readonly approval?: { readonly expirySeconds: number; readonly approverPrincipals: readonly string[] };
}

/** An unlock workflow: the definition below in a WorkflowStateMachine. */
export class UnlockResourcePolicy extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: WorkflowProps, options: UnlockResourcePolicyOptions) {
    super(scope, id);
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', {
      definition: unlockResourcePolicyDefinition(this, props, options),
      invokes: [props.functions.validateRequest, props.functions.checkAccountEligibility, options.fn],
      comment: options.comment,
    }).stateMachine;
  }
}

/** What each step of an unlock definition needs. */
interface UnlockContext {
  readonly scope: Construct;
  readonly props: WorkflowProps;
  readonly options: UnlockResourcePolicyOptions;
  readonly recorder: RunRecorder;
  readonly accountId: string;
  readonly resource: string;
  readonly replaceWanted: sfn.Condition;
}

/**
 * The definition shared by the two unlock workflows: validate, check
 * eligibility, READ the policy in one root session, back it up in the table
 * (byte for byte), delete or replace it in a second session only if the policy is
 * still the one backed up (expectedPolicySha256), record. With no policy at
 * all, DELETE has nothing to unlock; REPLACE (e.g. restoring a deleted
 * policy) applies directly, expecting there is still no policy.
 */
function unlockResourcePolicyDefinition(
  scope: Construct,
  props: WorkflowProps,
  options: UnlockResourcePolicyOptions,
): sfn.IChainable {
  const { resourceField } = options;
  // replacementPolicy: "" for a DELETE, so the plan shown for approval always has the field;
  // expectedPolicySha256 and restoresBackup: "" when the request does not pin or restore.
  const steps = accountRequestSteps(
    scope,
    props,
    options.workflow,
    options.validationTask,
    { replacementPolicy: '', dryRun: false, expectedPolicySha256: '', restoresBackup: '' },
    { field: resourceField, words: resourceField === 'bucketName' ? 'bucket name' : 'queue url' },
  );
  const ctx: UnlockContext = {
    scope,
    props,
    options,
    recorder: steps.recorder,
    accountId: sfn.JsonPath.stringAt('$.request.accountId'),
    resource: sfn.JsonPath.stringAt(`$.request.${resourceField}`),
    replaceWanted: sfn.Condition.stringEquals('$.request.action', 'REPLACE'),
  };

  const read = invoke(
    scope,
    `Read the ${options.noun}`,
    options.fn,
    { operation: 'READ', accountId: ctx.accountId, [resourceField]: ctx.resource },
    '$.current',
  );
  const nothing = noteNothingToUnlock(ctx);
  const backup = backUpThePolicy(ctx);
  const { remove, replace } = changeThePolicy(ctx);
  for (const step of [steps.check, steps.eligibilityCheck, read, backup, remove, replace])
    ctx.recorder.catchProblems(step);

  const whatToDo = new sfn.Choice(scope, `Is there a ${options.noun}?`)
    // No policy now (e.g. restoring one that was deleted): nothing to
    // back up; the replace expects no policy (expectedPolicySha256 null).
    .when(sfn.Condition.and(sfn.Condition.isNull('$.current.policy'), ctx.replaceWanted), replace)
    .when(sfn.Condition.isNull('$.current.policy'), nothing)
    .otherwise(
      backup.next(
        new sfn.Choice(scope, 'Delete or replace it?').when(ctx.replaceWanted, replace).otherwise(remove),
      ),
    );
  const afterRead = planOrPinnedPolicy(ctx);
  if (options.approval === undefined) return steps.definition(read.next(afterRead(whatToDo)));
  return steps.definition(read.next(afterRead(approvedFirst(ctx, options.approval, nothing, whatToDo))));
}

function noteNothingToUnlock({ recorder }: UnlockContext): sfn.IChainable {
  return recorder
    .note('Note there is nothing to unlock', {
      outcome: 'NOTHING_TO_UNLOCK',
      before: '$.current',
      actions: '[]',
      after: '$.current',
      sessionAccessKeyIds: ['$.current.sessionAccessKeyId'],
    })
    .next(recorder.record);
}

/** The policy exactly as read, in the results table, before anything changes it. */
function backUpThePolicy({ scope, props, options, accountId, resource }: UnlockContext): tasks.DynamoPutItem {
  const backup = new tasks.DynamoPutItem(scope, `Back up the ${options.noun}`, {
    table: props.table,
    item: {
      PK: tasks.DynamoAttributeValue.fromString(
        sfn.JsonPath.format(KEY_TEMPLATE.resource, sfn.JsonPath.stringAt('$.current.resourceArn')),
      ),
      SK: tasks.DynamoAttributeValue.fromString(
        sfn.JsonPath.format(
          KEY_TEMPLATE.backupSort,
          sfn.JsonPath.stringAt('$$.State.EnteredTime'),
          sfn.JsonPath.executionName,
        ),
      ),
      GSI1PK: tasks.DynamoAttributeValue.fromString(
        sfn.JsonPath.format(KEY_TEMPLATE.backup, sfn.JsonPath.executionName),
      ),
      GSI1SK: tasks.DynamoAttributeValue.fromString(BACKUP),
      backupId: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.executionName),
      accountId: tasks.DynamoAttributeValue.fromString(accountId),
      resourceType: tasks.DynamoAttributeValue.fromString(options.resourceType),
      resourceArn: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.current.resourceArn')),
      [options.resourceField]: tasks.DynamoAttributeValue.fromString(resource),
      // The document exactly as read: restoring it must give back the same bytes.
      policy: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.current.policy')),
      policySha256: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.current.policySha256')),
      createdAt: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.State.EnteredTime')),
      executionArn: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.run.executionArn')),
    },
    resultPath: sfn.JsonPath.DISCARD,
  });
  retryDynamoDb(backup);
  return backup;
}

/** Delete or replace, in a second root session, then the run is noted as UNLOCKED or RESTORED. */
function changeThePolicy(ctx: UnlockContext): { remove: tasks.LambdaInvoke; replace: tasks.LambdaInvoke } {
  const { scope, options, recorder, accountId, resource } = ctx;
  const change = (verb: 'Delete' | 'Replace', extra: Record<string, unknown>): tasks.LambdaInvoke =>
    invoke(
      scope,
      `${verb} the ${options.noun}`,
      options.fn,
      {
        operation: 'APPLY',
        accountId,
        [options.resourceField]: resource,
        action: verb === 'Delete' ? 'DELETE' : 'REPLACE',
        // Only if the policy is still the one backed up (null: still none).
        expectedPolicySha256: sfn.JsonPath.stringAt('$.current.policySha256'),
        ...extra,
      },
      '$.change',
    );
  const remove = change('Delete', {});
  const replace = change('Replace', {
    replacementPolicy: sfn.JsonPath.stringAt('$.request.replacementPolicy'),
  });
  const changed = (outcome: 'UNLOCKED' | 'RESTORED') =>
    recorder
      .note(outcome === 'UNLOCKED' ? 'Note the unlock' : 'Note the restore', {
        outcome,
        outcomeReason: { path: '$.change.outcome' },
        before: '$.current',
        actions: '$.change',
        after: '$.change',
        sessionAccessKeyIds: ['$.current.sessionAccessKeyId', '$.change.sessionAccessKeyId'],
      })
      .next(recorder.record);
  // restore-policy names the backup it puts back: the run is a RESTORED one.
  const unlockedOrRestored = new sfn.Choice(scope, 'Was it a restore?')
    .when(sfn.Condition.stringEquals('$.request.restoresBackup', ''), changed('UNLOCKED'))
    .otherwise(changed('RESTORED'));
  replace.next(unlockedOrRestored);
  remove.next(unlockedOrRestored);
  return { remove, replace };
}

/**
 * After the read: a dry run stops there (the plan, the policy as read, is
 * recorded as PLANNED); a request pinned to the policy its requester was
 * shown goes on only when the policy read is that one.
 */
function planOrPinnedPolicy({
  scope,
  options,
  recorder,
}: UnlockContext): (next: sfn.IChainable) => sfn.IChainable {
  const planned = recorder
    .note('Note the plan', {
      outcome: PLANNED_OUTCOME,
      before: '$.current',
      actions: '[]',
      after: '$.current',
      sessionAccessKeyIds: ['$.current.sessionAccessKeyId'],
    })
    .next(recorder.record);
  // By SHA-256; NO_POLICY when none was shown.
  const expected = '$.request.expectedPolicySha256';
  const asShown = sfn.Condition.or(
    sfn.Condition.stringEquals(expected, ''),
    sfn.Condition.and(
      sfn.Condition.isNull('$.current.policySha256'),
      sfn.Condition.stringEquals(expected, NO_POLICY),
    ),
    sfn.Condition.and(
      sfn.Condition.isString('$.current.policySha256'),
      sfn.Condition.stringEqualsJsonPath('$.current.policySha256', expected),
    ),
  );
  const notAsShown = recorder.fail(
    'Note the policy is not the one shown',
    PolicyChangedSincePlanError.name,
    `the ${options.noun} changed after it was shown for confirmation: nothing was changed; look at it again and run the command again`,
  );
  return (next) =>
    new sfn.Choice(scope, 'Is it a dry run?')
      .when(sfn.Condition.booleanEquals('$.request.dryRun', true), planned)
      .otherwise(
        new sfn.Choice(scope, `Is it the ${options.noun} shown?`).when(asShown, next).otherwise(notAsShown),
      );
}

/**
 * With approvals on: the plan is what was just read, so the approver sees
 * the very policy the run will back up and replace, and the change applies
 * only if the policy is still that one (expectedPolicySha256), otherwise it
 * is refused and recorded as FAILED (PolicyChangedSinceBackupError).
 */
function approvedFirst(
  { scope, props, recorder, replaceWanted }: UnlockContext,
  approval: NonNullable<UnlockResourcePolicyOptions['approval']>,
  nothing: sfn.IChainable,
  whatToDo: sfn.IChainable,
): sfn.IChainable {
  const gate = approvalGate(
    scope,
    {
      table: props.table,
      recorder,
      ...approval,
      before: '$.current',
      sessionAccessKeyIds: ['$.current.sessionAccessKeyId'],
      plan: {
        action: sfn.JsonPath.stringAt('$.request.action'),
        resourceArn: sfn.JsonPath.stringAt('$.current.resourceArn'),
        currentPolicy: sfn.JsonPath.stringAt('$.current.policy'),
        currentPolicySha256: sfn.JsonPath.stringAt('$.current.policySha256'),
        replacementPolicy: sfn.JsonPath.stringAt('$.request.replacementPolicy'),
      },
    },
    whatToDo,
  );
  return new sfn.Choice(scope, 'Is there anything to do?')
    .when(
      sfn.Condition.and(sfn.Condition.isNull('$.current.policy'), sfn.Condition.not(replaceWanted)),
      nothing,
    )
    .otherwise(gate);
}
