import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { WORKFLOWS } from './names';
import { RunRecorder } from './record-run';
import type { WorkflowProps } from './secure-new-account';
import { checkEligibility, checkTheRequest, invoke, noteTheRequest, startTheRun } from './steps';
import { WorkflowStateMachine } from './workflow-state-machine';

/**
 * Enable account recovery: CreateLoginProfile without a password in a root
 * session, so that the root mailbox owner can use "Forgot password".
 */
export class EnableAccountRecovery extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const { functions, table } = props;
    const workflow = WORKFLOWS.enableAccountRecovery.name;
    const recorder = new RunRecorder(this, { workflow, table });
    const start = startTheRun(this, workflow, {});
    const check = checkTheRequest(this, functions.validateRequest, 'ENABLE_ACCOUNT_RECOVERY');
    const eligibility = checkEligibility(this, functions.checkAccountEligibility);
    const skipped = recorder
      .note('Note an ineligible account', {
        outcome: 'SKIPPED',
        outcomeReason: { path: '$.eligibility.reason' },
      })
      .next(recorder.record);
    const enable = invoke(
      this,
      'Enable account recovery',
      functions.enableAccountRecovery,
      { accountId: sfn.JsonPath.stringAt('$.request.accountId') },
      '$.recovery',
    );
    const enabled = recorder
      .note('Note the recovery', {
        outcome: { path: '$.recovery.outcome' },
        actions: '["CreateLoginProfile"]',
        after: '$.recovery',
        sessionAccessKeyIds: ['$.recovery.sessionAccessKeyId'],
      })
      .next(recorder.record);
    for (const step of [check, eligibility.check, enable]) recorder.catchProblems(step);

    const definition = start
      .next(check)
      .next(noteTheRequest(this))
      .next(eligibility.check)
      .next(eligibility.isEligible.when(eligibility.eligible, enable.next(enabled)).otherwise(skipped));
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', {
      definition,
      invokes: [
        functions.validateRequest,
        functions.checkAccountEligibility,
        functions.enableAccountRecovery,
      ],
      comment: 'Enable account recovery: let the root mailbox owner reset the root password',
    }).stateMachine;
  }
}
