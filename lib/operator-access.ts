import { Aws, Stack, Token } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeWildcard, logicalIdOf, nagArnPrefix } from './acknowledge';
import { KEY_PREFIX } from './results-table-keys';

export interface OperatorAccessProps {
  /** The workflows on-call engineers may start and watch. */
  readonly stateMachines: readonly sfn.StateMachine[];
  readonly table: dynamodb.ITable;
  /**
   * Where the organization's SCPs live (read by `rootkeeper guardrails
   * --check`). Default: this stack's account (deployed in the management account).
   */
  readonly managementAccountId?: string;
}

/**
 * The SCPs `guardrails --check` may describe: the organization's own
 * (arn:…:organizations::<management>:policy/o-…/service_control_policy/p-…)
 * and AWS's managed ones (…::aws:policy/service_control_policy/p-…), as the
 * Service Authorization Reference writes the policy resource type.
 */
function guardrailPolicyArns(partition: string, managementAccountId: string): string[] {
  return [
    `arn:${partition}:organizations::${managementAccountId}:policy/o-*/service_control_policy/*`,
    `arn:${partition}:organizations::aws:policy/service_control_policy/*`,
  ];
}

/**
 * The parents `remediate --ou` lists the children of: OUs and the root, as the
 * Service Authorization Reference writes the organizationalunit and root
 * resource types (arn:…:organizations::<management>:ou/o-…/ou-…, …:root/o-…/r-…).
 */
function organizationParentArns(partition: string, managementAccountId: string): string[] {
  return [
    `arn:${partition}:organizations::${managementAccountId}:ou/o-*/ou-*`,
    `arn:${partition}:organizations::${managementAccountId}:root/o-*/r-*`,
  ];
}

/**
 * A customer managed policy for the on-call permission set (the requesters):
 * start and watch the on-call workflows, read the results table, read this
 * stack's outputs and the feature status. Approving is another policy
 * (ApproverAccess): a requester cannot answer an approval request.
 * Nothing else: no StopExecution (a stopped run records nothing; see
 * docs/adr), no writes to the table but a remediation plan's items, no Lambda, no root session.
 */
export class OperatorAccess extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: OperatorAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const managementAccountId = props.managementAccountId ?? stack.account;
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Rootkeeper on-call: start and watch the workflows, read the results',
      statements: [
        ...workflowStatements(stack, props.stateMachines),
        ...tableStatements(props.table),
        ...organizationStatements(managementAccountId),
        new iam.PolicyStatement({
          sid: 'ReadStackOutputs',
          actions: ['cloudformation:DescribeStacks'],
          resources: [stack.stackId],
        }),
      ],
    });
    this.acknowledgeWildcards(props, managementAccountId);
  }

  /** Each wildcard the policy holds, with why it cannot be narrower (cdk-nag). */
  private acknowledgeWildcards(props: OperatorAccessProps, managementAccountId: string): void {
    const reason =
      'Executions get their names at start: the wildcard stays within one of this service’s state machines.';
    const prefix = nagArnPrefix(this, 'states');
    for (const stateMachine of props.stateMachines) {
      const name = `<${logicalIdOf(stateMachine)}.Name>`;
      acknowledgeWildcard(this.policy, `${prefix}:execution:${name}:*`, reason);
    }
    acknowledgeWildcard(
      this.policy,
      '*',
      'iam:ListOrganizationsFeatures, organizations:ListAWSServiceAccessForOrganization, organizations:ListPolicies, organizations:DescribeOrganization and organizations:ListAccounts have no resource type.',
    );
    const nagManagement = Token.isUnresolved(managementAccountId) ? '<AWS::AccountId>' : managementAccountId;
    for (const resource of organizationParentArns('<AWS::Partition>', nagManagement)) {
      acknowledgeWildcard(
        this.policy,
        resource,
        'remediate --ou lists the OUs below the given ones, unknown until listed; only OUs and the root.',
      );
    }
    for (const resource of guardrailPolicyArns('<AWS::Partition>', nagManagement)) {
      acknowledgeWildcard(
        this.policy,
        resource,
        'guardrails --check reads the SCPs by id, unknown until listed; only service control policies.',
      );
    }
    acknowledgeWildcard(
      this.policy,
      `<${logicalIdOf(props.table)}.Arn>/index/*`,
      'Reads the results table’s own index (GSI1): the organization posture and runs by outcome.',
    );
  }
}

/** Start the on-call workflows and watch their executions. */
function workflowStatements(stack: Stack, stateMachines: readonly sfn.StateMachine[]): iam.PolicyStatement[] {
  const arn = (resource: string): string =>
    `arn:${Aws.PARTITION}:states:${stack.region}:${stack.account}:${resource}`;
  const names = stateMachines.map((stateMachine) => stateMachine.stateMachineName);
  // No workflow has a Distributed Map: no child executions or map runs to watch.
  const executionArns = names.map((name) => arn(`execution:${name}:*`));
  return [
    new iam.PolicyStatement({
      sid: 'StartAndListWorkflows',
      actions: ['states:StartExecution', 'states:ListExecutions', 'states:DescribeStateMachine'],
      resources: stateMachines.map((stateMachine) => stateMachine.stateMachineArn),
    }),
    new iam.PolicyStatement({
      sid: 'WatchExecutions',
      actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
      resources: executionArns,
    }),
  ];
}

/** Read the results; write nothing but a remediation plan's items. */
function tableStatements(table: dynamodb.ITable): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ReadResults',
      actions: ['dynamodb:GetItem', 'dynamodb:Query'],
      resources: [table.tableArn, `${table.tableArn}/index/*`],
    }),
    new iam.PolicyStatement({
      // rootkeeper remediate --execute: the reviewed plan, saved under its run
      // (PLAN#<run> items, lib/results-table-keys.ts) and nowhere else in the table.
      sid: 'SaveRemediationPlans',
      actions: ['dynamodb:BatchWriteItem'],
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${KEY_PREFIX.plan}*`] } },
    }),
  ];
}

/** Read-only Organizations and IAM calls: feature status, guardrails, the accounts in scope. */
function organizationStatements(managementAccountId: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      // rootkeeper status: are trusted access and the two features on. No resource type in IAM.
      sid: 'ReadFeatureStatus',
      actions: ['iam:ListOrganizationsFeatures', 'organizations:ListAWSServiceAccessForOrganization'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      // rootkeeper guardrails --check. ListPolicies has no resource type in IAM.
      sid: 'ListGuardrailPolicies',
      actions: ['organizations:ListPolicies'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'ReadGuardrailPolicies',
      actions: ['organizations:DescribePolicy', 'organizations:ListTargetsForPolicy'],
      resources: guardrailPolicyArns(Aws.PARTITION, managementAccountId),
    }),
    new iam.PolicyStatement({
      // rootkeeper remediate: the accounts in scope. No resource type in IAM.
      sid: 'ListOrganizationAccounts',
      actions: ['organizations:DescribeOrganization', 'organizations:ListAccounts'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      // rootkeeper remediate --ou: the accounts below an OU (ListChildren also takes the root).
      sid: 'ListOrganizationalUnitMembers',
      actions: ['organizations:ListAccountsForParent', 'organizations:ListChildren'],
      resources: organizationParentArns(Aws.PARTITION, managementAccountId),
    }),
  ];
}
