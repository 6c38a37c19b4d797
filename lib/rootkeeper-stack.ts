import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Alarms } from './alarms';
import { Dashboard } from './dashboard';
import type { RootkeeperConfig } from './config';
import { ApprovalDecisions } from './approvals/approval-decisions';
import { DECIDE_APPROVAL_URL_OUTPUT } from './approvals/approval-event';
import { ApproverAccess } from './approver-access';
import { OperatorAccess } from './operator-access';
import { SetupAccess } from './setup-access';
import { ResultsTable } from './results-table';
import { RootTaskFunctions } from './root-task-functions';
import { Triggers } from './triggers';
import { ON_CALL_WORKFLOWS, WORKFLOWS, type WorkflowKey } from './workflows/names';
import { Workflows } from './workflows/workflows';

export interface RootkeeperStackProps extends StackProps {
  readonly config: RootkeeperConfig;
}

/** Wiring only: each capability is its own construct. */
export class RootkeeperStack extends Stack {
  readonly config: RootkeeperConfig;
  readonly results: ResultsTable;
  readonly functions: RootTaskFunctions;
  readonly workflows: Workflows;
  readonly triggers: Triggers;
  readonly alarms: Alarms;
  readonly operatorAccess: OperatorAccess;

  constructor(scope: Construct, id: string, props: RootkeeperStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.config = config;
    this.results = new ResultsTable(this, 'Results');
    const table = this.results.table;
    this.functions = new RootTaskFunctions(this, 'Functions', { config, table });
    this.workflows = new Workflows(this, 'Workflows', { config, functions: this.functions.functions, table });
    const stateMachines = this.workflows.stateMachines;
    this.triggers = new Triggers(this, 'Triggers', {
      config,
      secureNewAccount: stateMachines.secureNewAccount,
      auditOrganization: stateMachines.auditOrganization,
    });
    this.alarms = new Alarms(this, 'Alarms', {
      stateMachines,
      functions: this.functions.functions,
      deadLetterQueues: [this.triggers.deadLetterQueue],
      ...(config.notificationEmail === undefined ? {} : { notificationEmail: config.notificationEmail }),
    });
    new Dashboard(this, 'Dashboard', { alarms: this.alarms.alarms });
    this.operatorAccess = new OperatorAccess(this, 'OperatorAccess', {
      stateMachines: ON_CALL_WORKFLOWS.map((key) => stateMachines[key]),
      table,
      ...(config.managementAccountId === undefined
        ? {}
        : { managementAccountId: config.managementAccountId }),
    });

    new CfnOutput(this, 'ResultsTableName', { value: table.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.triggers.eventBus.eventBusName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'OperatorPolicyArn', { value: this.operatorAccess.policy.managedPolicyArn });
    const gated = [
      stateMachines.deleteRootCredentials,
      stateMachines.unlockS3BucketPolicy,
      stateMachines.unlockSqsQueuePolicy,
      stateMachines.enableAccountRecovery,
    ];
    const goAhead = [stateMachines.remediateOrganization];
    const decisions = new ApprovalDecisions(this, 'ApprovalDecisions', {
      table,
      stateMachines: gated,
      goAheadStateMachines: goAhead,
    });
    new CfnOutput(this, DECIDE_APPROVAL_URL_OUTPUT, { value: decisions.url.url });
    const approvers = new ApproverAccess(this, 'ApproverAccess', {
      stateMachines: gated,
      decideApproval: decisions.function,
      goAheadStateMachines: goAhead,
    });
    new CfnOutput(this, 'ApproverPolicyArn', { value: approvers.policy.managedPolicyArn });
    new CfnOutput(this, 'SetupPolicyArn', {
      value: new SetupAccess(this, 'SetupAccess').policy.managedPolicyArn,
    });
    for (const key of Object.keys(WORKFLOWS) as WorkflowKey[]) {
      new CfnOutput(this, WORKFLOWS[key].output, { value: stateMachines[key].stateMachineArn });
    }
  }
}
