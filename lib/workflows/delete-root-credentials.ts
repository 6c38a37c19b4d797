import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CredentialsChangedSincePlanError } from '../../lambdas/root-access/errors';
import type { ApprovalConfig } from '../approvals/approval-config';
import { approvalSettings } from '../approvals/approval-settings';
import { approvalGate } from './approval-gate';
import { WORKFLOWS } from './names';
import { recordPosture } from './posture';
import type { DeletingWorkflowProps } from './secure-new-account';
import { KEY_IN_USE_OUTCOME } from '../../lambdas/root-access/delete-credentials';
import { PLANNED_OUTCOME } from '../results-table-keys';
import type { Catchable, RunRecorder } from './record-run';
import { accountRequestSteps, invoke } from './steps';
import { WorkflowStateMachine } from './workflow-state-machine';

/** Why a run recorded SKIPPED when the credentials changed between the approved plan and the delete. */
const CREDENTIALS_CHANGED_SINCE_PLAN = 'CREDENTIALS_CHANGED_SINCE_PLAN';

/**
 * Delete root credentials of one account, on request: validate, check
 * eligibility, delete and verify (or plan only, with dryRun), record. Access
 * keys used within keyInUseDays are kept (KEY_IN_USE) unless the request says
 * includeKeysInUse, which the command line asks its own confirmation for.
 *
 * With approvals on for this task (`approvals.deleteRootCredentials`), a
 * request that is not a dry run first audits the root user in a read-only
 * root session (IAMAuditRootUserCredentials), shows those credentials and
 * their credentialsDigest as the plan, waits for a second person's decision,
 * and then deletes in a second session only if the credentials are still
 * exactly those (otherwise SKIPPED, CREDENTIALS_CHANGED_SINCE_PLAN, nothing
 * deleted). Deletes of new accounts run in Secure new account and never wait.
 */
export class DeleteRootCredentials extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(
    scope: Construct,
    id: string,
    props: DeletingWorkflowProps & { readonly config: Partial<ApprovalConfig> },
  ) {
    super(scope, id);
    const { functions, config } = props;
    const approval = approvalSettings(
      config.approvals === undefined ? undefined : (config as ApprovalConfig),
      'deleteRootCredentials',
    );
    const steps = accountRequestSteps(
      this,
      props,
      WORKFLOWS.deleteRootCredentials.name,
      'DELETE_ROOT_CREDENTIALS',
      { dryRun: false, includeKeysInUse: false },
    );
    const ctx: DeleteContext = {
      scope: this,
      props,
      recorder: steps.recorder,
      accountId: sfn.JsonPath.stringAt('$.request.accountId'),
    };
    const remove = invoke(
      this,
      'Delete the root credentials',
      functions.deleteRootCredentials,
      {
        accountId: ctx.accountId,
        dryRun: sfn.JsonPath.stringAt('$.request.dryRun'),
        keyInUseDays: config.keyInUseDays,
        includeKeysInUse: sfn.JsonPath.stringAt('$.request.includeKeysInUse'),
      },
      '$.deletion',
    );
    const afterDeletion = noteTheDeletion(ctx, approval !== undefined, [
      steps.check,
      steps.eligibilityCheck,
      remove,
    ]);
    remove.next(afterDeletion);
    const whenEligible =
      approval === undefined ? remove : approvedPlanFirst(ctx, approval, remove, afterDeletion);

    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', {
      definition: steps.definition(whenEligible),
      invokes: [
        functions.validateRequest,
        functions.checkAccountEligibility,
        ...(approval === undefined ? [] : [functions.auditRootCredentials]),
        functions.deleteRootCredentials,
      ],
      comment:
        'Delete root credentials: remove the root password, access keys, signing certificates and MFA devices',
    }).stateMachine;
  }
}

/** What each step of the delete definition needs. */
interface DeleteContext {
  readonly scope: Construct;
  readonly props: DeletingWorkflowProps & { readonly config: Partial<ApprovalConfig> };
  readonly recorder: RunRecorder;
  readonly accountId: string;
}

/**
 * After a delete (or its dry run): the run noted as PLANNED, KEY_IN_USE,
 * REMEDIATED or CLEAN, with the posture recorded. `catching`: the steps
 * before, whose problems the run records too.
 */
function noteTheDeletion(
  { scope, props, recorder }: DeleteContext,
  afterApproval: boolean,
  catching: Catchable[],
): sfn.Choice {
  const deletion = {
    before: '$.deletion.before',
    actions: '$.deletion.actions',
    after: '$.deletion.after',
    sessionAccessKeyIds: ['$.deletion.sessionAccessKeyId'],
    sessionsReopened: '$.deletion.sessionsReopened',
    keptKeys: '$.deletion.keptKeys',
  };
  // With approvals, a deletion follows a plan read in a session of its own (a dry run does not).
  const approvedDeletion = {
    ...deletion,
    sessionAccessKeyIds: [
      ...(afterApproval ? ['$.audit.sessionAccessKeyId'] : []),
      '$.deletion.sessionAccessKeyId',
    ],
  };
  const cleanPosture = recordPosture(
    scope,
    'Record the clean posture',
    props.table,
    '$.deletion.after',
    '$$.State.EnteredTime',
  );
  const remediatedPosture = recordPosture(
    scope,
    'Record the posture after the deletion',
    props.table,
    '$.deletion.after',
    '$$.State.EnteredTime',
  );
  const planned = recorder
    .note('Note the plan', { outcome: PLANNED_OUTCOME, ...deletion })
    .next(recorder.record);
  const remediated = recorder
    .note('Note the remediation', { outcome: 'REMEDIATED', ...approvedDeletion })
    .next(remediatedPosture);
  const keyInUse = recorder
    .note('Note the keys in use kept', { outcome: KEY_IN_USE_OUTCOME, ...approvedDeletion })
    .next(remediatedPosture);
  remediatedPosture.next(recorder.record);
  const clean = recorder
    .note('Note a clean account', { outcome: 'CLEAN', ...deletion })
    .next(cleanPosture)
    .next(recorder.record);
  for (const step of [...catching, cleanPosture, remediatedPosture]) recorder.catchProblems(step);

  return new sfn.Choice(scope, 'Was it a dry run?')
    .when(sfn.Condition.booleanEquals('$.request.dryRun', true), planned)
    .otherwise(
      new sfn.Choice(scope, 'Were root credentials present?')
        .when(sfn.Condition.booleanEquals('$.deletion.keyInUse', true), keyInUse)
        .when(sfn.Condition.booleanEquals('$.deletion.before.credentialsPresent', true), remediated)
        .otherwise(clean),
    );
}

/**
 * With approvals on: read the credentials in a read-only session, show them
 * as the plan, wait for the decision, then delete exactly those. A dry run
 * changes nothing and needs no approval (`remove` as without approvals).
 */
function approvedPlanFirst(
  { scope, props, recorder, accountId }: DeleteContext,
  approval: NonNullable<ReturnType<typeof approvalSettings>>,
  remove: sfn.IChainable,
  afterDeletion: sfn.IChainable,
): sfn.IChainable {
  const { functions, table, config } = props;
  const audit = invoke(
    scope,
    'Read the root credentials',
    functions.auditRootCredentials,
    { accountId, details: true },
    '$.audit',
  );
  // Exactly the approved plan: the delete compares the credentials it
  // lists with the plan's digest before deleting anything.
  const removeApproved = invoke(
    scope,
    'Delete the approved root credentials',
    functions.deleteRootCredentials,
    {
      accountId,
      dryRun: false,
      keyInUseDays: config.keyInUseDays,
      includeKeysInUse: sfn.JsonPath.stringAt('$.request.includeKeysInUse'),
      expectedCredentialsDigest: sfn.JsonPath.stringAt('$.audit.credentialsDigest'),
    },
    '$.deletion',
  );
  removeApproved.next(afterDeletion);
  const changed = recorder
    .note('Note the credentials changed since the plan', {
      outcome: 'SKIPPED',
      outcomeReason: CREDENTIALS_CHANGED_SINCE_PLAN,
      before: '$.audit.posture',
      actions: '[]',
      sessionAccessKeyIds: ['$.audit.sessionAccessKeyId'],
      error: { path: '$.error.Error' },
      errorCause: { path: '$.error.Cause' },
    })
    .next(recorder.record);
  const auditedPosture = recordPosture(
    scope,
    'Record the audited posture',
    table,
    '$.audit.posture',
    '$.audit.auditedAt',
  );
  const nothingToDelete = recorder
    .note('Note nothing to delete', {
      outcome: 'CLEAN',
      before: '$.audit.posture',
      actions: '[]',
      after: '$.audit.posture',
      sessionAccessKeyIds: ['$.audit.sessionAccessKeyId'],
    })
    .next(auditedPosture)
    .next(recorder.record);
  for (const step of [audit, auditedPosture]) recorder.catchProblems(step);
  recorder.catchProblems(removeApproved, [
    { errors: [CredentialsChangedSincePlanError.name], next: changed },
  ]);
  const gate = approvalGate(
    scope,
    {
      table,
      recorder,
      ...approval,
      before: '$.audit.posture',
      sessionAccessKeyIds: ['$.audit.sessionAccessKeyId'],
      plan: {
        action: 'Delete root credentials',
        credentials: sfn.JsonPath.objectAt('$.audit.posture.details'),
        credentialsDigest: sfn.JsonPath.stringAt('$.audit.credentialsDigest'),
        auditedAt: sfn.JsonPath.stringAt('$.audit.auditedAt'),
      },
    },
    removeApproved,
  );
  return new sfn.Choice(scope, 'Is it a dry run?')
    .when(sfn.Condition.booleanEquals('$.request.dryRun', true), remove)
    .otherwise(
      audit.next(
        new sfn.Choice(scope, 'Are there root credentials to delete?')
          .when(sfn.Condition.booleanEquals('$.audit.posture.credentialsPresent', true), gate)
          .otherwise(nothingToDelete),
      ),
    );
}
