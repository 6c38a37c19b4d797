import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { RootkeeperConfig } from './config';
import {
  bindOrganizationsReader,
  bindResultsTable,
  bindRootTask,
  bindSecurityHubFindings,
  type EligibilitySettings,
} from './function-bindings';
import { FUNCTION_CATALOG, type FunctionKey, type FunctionSpec } from './function-catalog';
import { FunctionWithDefaults } from './lambda-defaults';
import { configuredBatchTimeoutSeconds, listingChunkTimeoutSeconds } from './function-timeouts';

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
  auditAccountBatch: Duration.seconds(configuredBatchTimeoutSeconds(config)),
  deleteRootCredentials: SINGLE_ACCOUNT_TIMEOUT,
  enableAccountRecovery: SINGLE_ACCOUNT_TIMEOUT,
  unlockS3BucketPolicy: SINGLE_ACCOUNT_TIMEOUT,
  unlockSqsQueuePolicy: SINGLE_ACCOUNT_TIMEOUT,
  remediatePlannedAccount: SINGLE_ACCOUNT_TIMEOUT,
  // Reads a whole saved plan (thousands of small items, a few query pages).
  progressRemediation: Duration.seconds(60),
});

const ELIGIBILITY_ACTIONS: `organizations:${string}`[] = [
  'organizations:DescribeAccount',
  'organizations:ListParents',
  'organizations:DescribeOrganization',
];
const LISTING_ACTIONS: `organizations:${string}`[] = [
  'organizations:ListAccounts',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListAccountsForParent',
  'organizations:DescribeOrganization',
];

/**
 * The deploying account is never a target, whatever the configuration says.
 * In delegated-admin mode it is a member account like the others, so it is
 * protected by id; in management mode it is the management account, which
 * the eligibility check refuses as such (recorded MANAGEMENT_ACCOUNT).
 */
function eligibilitySettings(config: RootkeeperConfig, deployingAccount: string): EligibilitySettings {
  return {
    protectedAccountIds: [
      ...new Set([
        ...config.protectedAccountIds,
        ...(config.deployment === 'delegated-admin' ? [deployingAccount] : []),
      ]),
    ],
    protectedOuIds: config.protectedOuIds,
    ...(config.managementAccountId === undefined ? {} : { managementAccountId: config.managementAccountId }),
  };
}

/**
 * One function per catalog entry, each with exactly the permissions it
 * needs, bound by lib/function-bindings.ts (each binding sets the variable
 * the handler reads together with its grant).
 */
export class RootTaskFunctions extends Construct {
  readonly functions: Readonly<Record<FunctionKey, lambda.Function>>;

  constructor(scope: Construct, id: string, props: RootTaskFunctionsProps) {
    super(scope, id);
    const { config, table } = props;
    const built = {} as Record<FunctionKey, lambda.Function>;
    const timeouts = timeoutsFor(config);
    for (const [key, spec] of Object.entries(FUNCTION_CATALOG) as [FunctionKey, FunctionSpec][]) {
      const fn = new FunctionWithDefaults(this, spec.id, {
        spec,
        timeout: timeouts[key],
        // A batch opens one session per account: its session length does not bound the call.
        ...(spec.rootTask === undefined || spec.sessionPerAccount === true
          ? {}
          : { rootSessionDurationSeconds: config.rootSessionDurationSeconds }),
        ...(spec.memorySize === undefined ? {} : { memorySize: spec.memorySize }),
      });
      if (spec.rootTask !== undefined) bindRootTask(fn, spec.rootTask, config.rootSessionDurationSeconds);
      built[key] = fn.function;
      acknowledgeDefaults(fn);
    }

    const eligibility = eligibilitySettings(config, Stack.of(this).account);
    bindOrganizationsReader(
      built.checkAccountEligibility,
      { sid: 'ReadAccountEligibility', actions: ELIGIBILITY_ACTIONS },
      eligibility,
    );
    bindOrganizationsReader(
      built.listMemberAccounts,
      { sid: 'ListMemberAccounts', actions: LISTING_ACTIONS },
      eligibility,
    );
    // Exactly the calls each makes: ListMemberAccounts queries for a completed
    // audit, batch-writes the inventory shards and reads the protected OU
    // members it wrote on the first chunk; AuditAccountBatch reads its
    // shard and the known postures, and batch-writes postures and runs.
    bindResultsTable(built.listMemberAccounts, table, [
      'dynamodb:Query',
      'dynamodb:BatchWriteItem',
      'dynamodb:GetItem',
    ]);
    bindResultsTable(built.auditAccountBatch, table, [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
    ]);
    // A planned account reads its own saved plan item; the progress reads the
    // plan's items and writes the run's summary.
    bindResultsTable(built.remediatePlannedAccount, table, ['dynamodb:GetItem']);
    bindResultsTable(built.progressRemediation, table, ['dynamodb:Query', 'dynamodb:UpdateItem']);
    if (config.securityHubFindings) bindSecurityHubFindings(built.auditAccountBatch);
    this.functions = built;
  }
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
