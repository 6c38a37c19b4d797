import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { RootkeeperConfig } from '../config';
import type { FunctionKey } from '../function-catalog';
import { KEY_IN_USE_OUTCOME } from '../../lambdas/root-access/delete-credentials';
import { WORKFLOWS } from './names';
import { recordPosture } from './posture';
import { retryDynamoDb } from './retry';
import { accountRequestSteps, invoke } from './steps';
import { WorkflowStateMachine } from './workflow-state-machine';
import { CLAIM, KEY_TEMPLATE } from '../results-table-keys';

export interface WorkflowProps {
  readonly functions: Readonly<Record<FunctionKey, lambda.IFunction>>;
  readonly table: dynamodb.ITable;
}

/** The workflows that delete root credentials also need the key-in-use window. */
export interface DeletingWorkflowProps extends WorkflowProps {
  readonly config: Pick<RootkeeperConfig, 'keyInUseDays'>;
}

/**
 * Secure new account: claim the request (a duplicate event is recorded as
 * SKIPPED), validate, check eligibility (no root session for an ineligible
 * account), audit, delete the credentials when present (the delete verifies),
 * record the posture and the run, announce the result. An automatic path
 * (new accounts, the audit's remediation): root access keys used within
 * keyInUseDays are never deleted here; the run is recorded as KEY_IN_USE.
 */
export class SecureNewAccount extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: DeletingWorkflowProps) {
    super(scope, id);
    const { functions, table, config } = props;
    const steps = accountRequestSteps(this, props, WORKFLOWS.secureNewAccount.name, 'SECURE_ACCOUNT', {
      requestId: sfn.JsonPath.executionName,
      source: 'manual',
    });
    const { recorder } = steps;

    const claim = new tasks.DynamoPutItem(this, 'Claim the request', {
      table,
      item: {
        PK: tasks.DynamoAttributeValue.fromString(
          sfn.JsonPath.format(KEY_TEMPLATE.request, sfn.JsonPath.stringAt('$.request.requestId')),
        ),
        SK: tasks.DynamoAttributeValue.fromString(CLAIM),
        executionArn: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.run.executionArn')),
        accountId: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.request.accountId')),
        claimedAt: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.State.EnteredTime')),
      },
      // Our own earlier attempt (a retried put whose answer was lost) is not a duplicate.
      conditionExpression: 'attribute_not_exists(PK) OR executionArn = :executionArn',
      expressionAttributeValues: {
        ':executionArn': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.run.executionArn')),
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
    retryDynamoDb(claim);
    const duplicate = recorder
      .note('Note a duplicate request', { outcome: 'SKIPPED', outcomeReason: 'DUPLICATE_REQUEST' })
      .next(recorder.record);

    const audit = invoke(
      this,
      'Audit the root user',
      functions.auditRootCredentials,
      { accountId: sfn.JsonPath.stringAt('$.request.accountId') },
      '$.audit',
    );
    const remove = invoke(
      this,
      'Delete the root credentials',
      functions.deleteRootCredentials,
      {
        accountId: sfn.JsonPath.stringAt('$.request.accountId'),
        dryRun: false,
        keyInUseDays: config.keyInUseDays,
        includeKeysInUse: false,
      },
      '$.deletion',
    );
    const cleanPosture = recordPosture(
      this,
      'Record the clean posture',
      table,
      '$.audit.posture',
      '$.audit.auditedAt',
    );
    const remediatedPosture = recordPosture(
      this,
      'Record the posture after the deletion',
      table,
      '$.deletion.after',
      '$$.State.EnteredTime',
    );
    const clean = recorder
      .note('Note a clean account', {
        outcome: 'CLEAN',
        before: '$.audit.posture',
        actions: '[]',
        after: '$.audit.posture',
        sessionAccessKeyIds: ['$.audit.sessionAccessKeyId'],
      })
      .next(cleanPosture)
      .next(recorder.record);
    const deletion = {
      before: '$.deletion.before',
      actions: '$.deletion.actions',
      after: '$.deletion.after',
      sessionAccessKeyIds: ['$.audit.sessionAccessKeyId', '$.deletion.sessionAccessKeyId'],
      sessionsReopened: '$.deletion.sessionsReopened',
      keptKeys: '$.deletion.keptKeys',
    };
    const remediated = recorder
      .note('Note the remediation', { outcome: 'REMEDIATED', ...deletion })
      .next(remediatedPosture);
    const keyInUse = recorder
      .note('Note the keys in use kept', { outcome: KEY_IN_USE_OUTCOME, ...deletion })
      .next(remediatedPosture);
    remediatedPosture.next(recorder.record);

    for (const step of [
      steps.check,
      claim,
      steps.eligibilityCheck,
      audit,
      remove,
      cleanPosture,
      remediatedPosture,
    ]) {
      recorder.catchProblems(
        step,
        step === claim ? [{ errors: ['DynamoDB.ConditionalCheckFailedException'], next: duplicate }] : [],
      );
    }

    // The request is claimed right after it is noted, before the eligibility check.
    const definition = steps.definition(
      audit.next(
        new sfn.Choice(this, 'Are root credentials present?')
          .when(
            sfn.Condition.booleanEquals('$.audit.posture.credentialsPresent', true),
            remove.next(
              new sfn.Choice(this, 'Was a key in use kept?')
                .when(sfn.Condition.booleanEquals('$.deletion.keyInUse', true), keyInUse)
                .otherwise(remediated),
            ),
          )
          .otherwise(clean),
      ),
      [claim],
    );
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', {
      definition,
      invokes: [
        functions.validateRequest,
        functions.checkAccountEligibility,
        functions.auditRootCredentials,
        functions.deleteRootCredentials,
      ],
      comment:
        'Secure new account: audit the root user of a new member account and remove any root credentials',
    }).stateMachine;
  }
}
