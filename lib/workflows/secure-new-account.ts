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
import { RunRecorder } from './record-run';
import { retryDynamoDb } from './retry';
import { checkEligibility, checkTheRequest, invoke, noteTheRequest, startTheRun } from './steps';
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

const DUPLICATE_CLAIM = 'DynamoDB.ConditionalCheckFailedException';

/**
 * Secure new account: claim the request and check the account's eligibility
 * at the same time (a Parallel state: one round trip, not two), then, unless
 * the request is a duplicate (SKIPPED DUPLICATE_REQUEST) or the account is
 * not eligible (SKIPPED with the reason, no root session), audit, delete the
 * credentials when present (the delete verifies), record the posture and the
 * run, announce the result.
 *
 * A clean account's path from the event to its recorded posture is four
 * sequential round trips: [claim ∥ DescribeAccount ∥ ListParents],
 * AssumeRoot, GetAccountSummary, the posture write (bench: the JSON
 * report's `newAccount.sequentialRoundTrips`).
 *
 * An automatic path (new accounts, the audit's remediation): root access keys
 * used within keyInUseDays are never deleted here; the run is recorded as
 * KEY_IN_USE.
 */
export class SecureNewAccount extends Construct {
  readonly stateMachine: sfn.StateMachine;
  private readonly recorder: RunRecorder;

  constructor(scope: Construct, id: string, props: DeletingWorkflowProps) {
    super(scope, id);
    this.recorder = new RunRecorder(this, { workflow: WORKFLOWS.secureNewAccount.name, table: props.table });
    const checkRequest = checkTheRequest(this, props.functions.validateRequest, 'SECURE_ACCOUNT');
    const eligibility = checkEligibility(this, props.functions.checkAccountEligibility);
    const claimAndCheck = this.claimWhileCheckingEligibility(props, eligibility.check);
    const afterChecks = this.skipIneligible(eligibility, this.auditAndRemediate(props));
    this.recorder.catchProblems(checkRequest);

    const definition = startTheRun(this, WORKFLOWS.secureNewAccount.name, {
      requestId: sfn.JsonPath.executionName,
      source: 'manual',
    })
      .next(checkRequest)
      .next(noteTheRequest(this))
      .next(claimAndCheck)
      .next(afterChecks);
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', {
      definition,
      invokes: [
        props.functions.validateRequest,
        props.functions.checkAccountEligibility,
        props.functions.auditRootCredentials,
        props.functions.deleteRootCredentials,
      ],
      comment:
        'Secure new account: audit the root user of a new member account and remove any root credentials',
    }).stateMachine;
  }

  /**
   * "Claim the request" (a conditional put on the CloudTrail event id) and
   * "Check the account is eligible", side by side. A duplicate claim fails
   * the Parallel with ConditionalCheckFailed, which the run notes as a
   * duplicate; its result is `$.eligibility`, as the single check's was.
   */
  private claimWhileCheckingEligibility(props: WorkflowProps, check: tasks.LambdaInvoke): sfn.IChainable {
    const claim = new tasks.DynamoPutItem(this, 'Claim the request', {
      table: props.table,
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
    const both = new sfn.Parallel(this, 'Claim the request and check the account', {
      // Only the eligibility answer is kept: the claim returns nothing worth a byte of state.
      resultSelector: { 'eligibility.$': '$[1].eligibility' },
      resultPath: '$.checks',
    });
    both.branch(claim).branch(check);
    this.recorder.catchProblems(both, [{ errors: [DUPLICATE_CLAIM], next: this.noteDuplicate() }]);
    return both.next(
      new sfn.Pass(this, 'Note the eligibility', {
        inputPath: '$.checks.eligibility',
        resultPath: '$.eligibility',
      }),
    );
  }

  private noteDuplicate(): sfn.IChainable {
    return this.recorder
      .note('Note a duplicate request', { outcome: 'SKIPPED', outcomeReason: 'DUPLICATE_REQUEST' })
      .next(this.recorder.record);
  }

  /** "Is the account eligible?": eligible → `whenEligible`; otherwise SKIPPED with the reason. */
  private skipIneligible(
    eligibility: ReturnType<typeof checkEligibility>,
    whenEligible: sfn.IChainable,
  ): sfn.Choice {
    const skipped = this.recorder
      .note('Note an ineligible account', {
        outcome: 'SKIPPED',
        outcomeReason: { path: '$.eligibility.reason' },
      })
      .next(this.recorder.record);
    return eligibility.isEligible.when(eligibility.eligible, whenEligible).otherwise(skipped);
  }

  /** Audit; credentials present → delete them (REMEDIATED), else CLEAN; the posture and the run recorded. */
  private auditAndRemediate(props: DeletingWorkflowProps): sfn.IChainable {
    const { functions, table } = props;
    const account = { accountId: sfn.JsonPath.stringAt('$.request.accountId') };
    const audit = invoke(this, 'Audit the root user', functions.auditRootCredentials, account, '$.audit');
    const remove = invoke(
      this,
      'Delete the root credentials',
      functions.deleteRootCredentials,
      { ...account, dryRun: false, keyInUseDays: props.config.keyInUseDays, includeKeysInUse: false },
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
    for (const step of [audit, remove, cleanPosture, remediatedPosture]) this.recorder.catchProblems(step);
    const clean = this.recorder
      .note('Note a clean account', {
        outcome: 'CLEAN',
        before: '$.audit.posture',
        actions: '[]',
        after: '$.audit.posture',
        sessionAccessKeyIds: ['$.audit.sessionAccessKeyId'],
      })
      .next(cleanPosture)
      .next(this.recorder.record);
    const deletion = {
      before: '$.deletion.before',
      actions: '$.deletion.actions',
      after: '$.deletion.after',
      sessionAccessKeyIds: ['$.audit.sessionAccessKeyId', '$.deletion.sessionAccessKeyId'],
      sessionsReopened: '$.deletion.sessionsReopened',
      keptKeys: '$.deletion.keptKeys',
    };
    const remediated = this.recorder
      .note('Note the remediation', { outcome: 'REMEDIATED', ...deletion })
      .next(remediatedPosture);
    const keyInUse = this.recorder
      .note('Note the keys in use kept', { outcome: KEY_IN_USE_OUTCOME, ...deletion })
      .next(remediatedPosture);
    remediatedPosture.next(this.recorder.record);
    return audit.next(
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
    );
  }
}
