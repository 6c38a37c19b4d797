import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { WORKFLOWS } from './names';
import { recordPosture } from './posture';
import type { DeletingWorkflowProps } from './secure-new-account';
import { KEY_IN_USE_OUTCOME } from '../../lambdas/root-access/delete-credentials';
import { accountRequestSteps, invoke } from './steps';
import { WorkflowStateMachine } from './workflow-state-machine';

/**
 * Delete root credentials of one account, on request: validate, check
 * eligibility, delete and verify (or plan only, with dryRun), record. Access
 * keys used within keyInUseDays are kept (KEY_IN_USE) unless the request says
 * includeKeysInUse, which the command line asks its own confirmation for.
 */
export class DeleteRootCredentials extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: DeletingWorkflowProps) {
    super(scope, id);
    const { functions, table, config } = props;
    const steps = accountRequestSteps(
      this,
      props,
      WORKFLOWS.deleteRootCredentials.name,
      'DELETE_ROOT_CREDENTIALS',
      { dryRun: false, includeKeysInUse: false },
    );
    const { recorder } = steps;
    const remove = invoke(
      this,
      'Delete the root credentials',
      functions.deleteRootCredentials,
      {
        accountId: sfn.JsonPath.stringAt('$.request.accountId'),
        dryRun: sfn.JsonPath.stringAt('$.request.dryRun'),
        keyInUseDays: config.keyInUseDays,
        includeKeysInUse: sfn.JsonPath.stringAt('$.request.includeKeysInUse'),
      },
      '$.deletion',
    );
    const deletion = {
      before: '$.deletion.before',
      actions: '$.deletion.actions',
      after: '$.deletion.after',
      sessionAccessKeyIds: ['$.deletion.sessionAccessKeyId'],
      sessionsReopened: '$.deletion.sessionsReopened',
      keptKeys: '$.deletion.keptKeys',
    };
    const cleanPosture = recordPosture(
      this,
      'Record the clean posture',
      table,
      '$.deletion.after',
      '$$.State.EnteredTime',
    );
    const remediatedPosture = recordPosture(
      this,
      'Record the posture after the deletion',
      table,
      '$.deletion.after',
      '$$.State.EnteredTime',
    );
    const planned = recorder.note('Note the plan', { outcome: 'PLANNED', ...deletion }).next(recorder.record);
    const remediated = recorder
      .note('Note the remediation', { outcome: 'REMEDIATED', ...deletion })
      .next(remediatedPosture);
    const keyInUse = recorder
      .note('Note the keys in use kept', { outcome: KEY_IN_USE_OUTCOME, ...deletion })
      .next(remediatedPosture);
    remediatedPosture.next(recorder.record);
    const clean = recorder
      .note('Note a clean account', { outcome: 'CLEAN', ...deletion })
      .next(cleanPosture)
      .next(recorder.record);
    for (const step of [steps.check, steps.eligibilityCheck, remove, cleanPosture, remediatedPosture])
      recorder.catchProblems(step);

    const definition = steps.definition(
      remove.next(
        new sfn.Choice(this, 'Was it a dry run?')
          .when(sfn.Condition.booleanEquals('$.request.dryRun', true), planned)
          .otherwise(
            new sfn.Choice(this, 'Were root credentials present?')
              .when(sfn.Condition.booleanEquals('$.deletion.keyInUse', true), keyInUse)
              .when(sfn.Condition.booleanEquals('$.deletion.before.credentialsPresent', true), remediated)
              .otherwise(clean),
          ),
      ),
    );
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', {
      definition,
      invokes: [
        functions.validateRequest,
        functions.checkAccountEligibility,
        functions.deleteRootCredentials,
      ],
      comment:
        'Delete root credentials: remove the root password, access keys, signing certificates and MFA devices',
    }).stateMachine;
  }
}
