import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ApprovalConfig } from '../approvals/approval-config';
import { approvalSettings } from '../approvals/approval-settings';
import { approvalGate } from './approval-gate';
import { WORKFLOWS } from './names';
import type { WorkflowProps } from './secure-new-account';
import { accountRequestSteps, invoke } from './steps';
import { WorkflowStateMachine } from './workflow-state-machine';

/**
 * Enable account recovery: CreateLoginProfile without a password in a root
 * session, so that the root mailbox owner can use "Forgot password".
 */
export class EnableAccountRecovery extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: WorkflowProps & { readonly config?: ApprovalConfig }) {
    super(scope, id);
    const { functions } = props;
    const steps = accountRequestSteps(
      this,
      props,
      WORKFLOWS.enableAccountRecovery.name,
      'ENABLE_ACCOUNT_RECOVERY',
    );
    const { recorder } = steps;
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
    for (const step of [steps.check, steps.eligibilityCheck, enable]) recorder.catchProblems(step);

    enable.next(enabled);
    // The plan needs no root session: what will be created is fixed (a login
    // profile without password, for the root mailbox owner's "Forgot password").
    const approval = approvalSettings(props.config, 'enableRecovery');
    const definition = steps.definition(
      approval === undefined
        ? enable
        : approvalGate(
            this,
            {
              table: props.table,
              recorder,
              ...approval,
              plan: {
                action: 'CreateLoginProfile (no password)',
                accountId: sfn.JsonPath.stringAt('$.request.accountId'),
              },
            },
            enable,
          ),
    );
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
