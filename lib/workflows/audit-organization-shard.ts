import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as stepfunctions from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { AUDIT_COUNTERS } from './record-run';
import { retryDynamoDb, retryStepFunctions } from './retry';
import { invoke } from './steps';
import { WorkflowStateMachine } from './workflow-state-machine';

const { JsonPath } = stepfunctions;
const at = (path: string): string => JsonPath.stringAt(path);
const S = (value: string): tasks.DynamoAttributeValue => tasks.DynamoAttributeValue.fromString(value);

export interface AuditOrganizationShardProps {
  readonly auditAccountBatch: lambda.IFunction;
  readonly table: dynamodb.ITable;
  /** Started for the accounts a shard says to secure. */
  readonly secureNewAccount: stepfunctions.IStateMachine;
}

/** The counters a shard adds to the summary run, from AuditAccountBatch's answer. */
const SHARD_COUNTERS: Readonly<Record<(typeof AUDIT_COUNTERS)[number], string>> = {
  audited: JsonPath.format('{}', at('$.batch.audited')),
  clean: JsonPath.format('{}', at('$.batch.clean')),
  withCredentials: JsonPath.format('{}', at('$.batch.withCredentials')),
  failed: JsonPath.format('{}', at('$.batch.failed')),
  firstSeen: JsonPath.format('{}', at('$.batch.firstSeen')),
  secureStarted: JsonPath.format('{}', JsonPath.arrayLength(JsonPath.listAt('$.batch.toSecure'))),
  failedShards: '0',
  failedAccounts: '0',
};

/**
 * The summary attribute the audit sets when it stops waiting for silent
 * shards and counts the missing ones as failed: a shard that reports after
 * that adds nothing.
 */
export const COUNTING_CLOSED_BY = 'countingClosedBy';

/** The error recorded in `shardFailures` for shards the audit stopped waiting for. */
export const SHARD_NOT_COUNTED = 'ShardNotCounted';

/**
 * Counted once: the shard's number joins the summary's `countedShards` set in
 * the same conditional update that adds its counts, so a repeated update (a
 * retry after a lost answer, a second execution of the shard) adds nothing;
 * nor does a shard that reports after the audit stopped waiting for it.
 */
const COUNT_ONCE = `attribute_exists(PK) AND NOT contains(countedShards, :shardId) AND attribute_not_exists(${COUNTING_CLOSED_BY})`;

/**
 * One shard of the organization audit, in its own execution (its own
 * history, so 100,000 accounts fit): audit the shard's accounts, start
 * Secure new account for those it says to secure, add its counts to the
 * summary run. A shard that fails is counted as failed, with the reason, and
 * the audit's other shards go on; the audit finishes when every shard is
 * counted either way.
 */
export class AuditOrganizationShard extends Construct {
  readonly stateMachine: stepfunctions.StateMachine;

  constructor(scope: Construct, id: string, props: AuditOrganizationShardProps) {
    super(scope, id);
    const { table } = props;
    const summaryKey = { PK: S(at('$.summaryKey.PK')), SK: S(at('$.summaryKey.SK')) };

    const auditShard = invoke(
      this,
      'Audit the accounts in the shard',
      props.auditAccountBatch,
      {
        inventoryId: at('$.inventoryId'),
        shard: JsonPath.numberAt('$.shard'),
        // The ARN: the batch records it as the postures' checkedBy and the runs'
        // executionArn, as the workflows do, and derives the run key's name from it.
        executionId: at('$.executionArn'),
        secureFirstSeen: JsonPath.objectAt('$.secureFirstSeen'),
        autoRemediate: JsonPath.objectAt('$.autoRemediate'),
        baseline: JsonPath.objectAt('$.baseline'),
      },
      '$.batch',
    );

    const secureName = JsonPath.format(
      'audit-{}-{}',
      at('$.accountId'),
      JsonPath.hash(at('$.executionId'), 'MD5'),
    );
    const startSecuring = new tasks.StepFunctionsStartExecution(this, 'Start securing the account', {
      stateMachine: props.secureNewAccount,
      integrationPattern: stepfunctions.IntegrationPattern.REQUEST_RESPONSE,
      // Derived from the account and this audit: a retried start is refused, not doubled.
      name: secureName,
      input: stepfunctions.TaskInput.fromObject({
        accountId: at('$.accountId'),
        requestId: secureName,
        source: 'manual',
        requestedBy: 'rootkeeper-audit',
        reason: 'Found by the organization audit: seen for the first time or with root credentials',
      }),
      resultPath: JsonPath.DISCARD,
    });
    retryStepFunctions(startSecuring);
    startSecuring.addCatch(new stepfunctions.Pass(this, 'Note it was already started'), {
      errors: ['StepFunctions.ExecutionAlreadyExistsException'],
      resultPath: JsonPath.DISCARD,
    });
    const secureEach = new stepfunctions.Map(this, 'Secure each account found', {
      itemsPath: '$.batch.toSecure',
      // Keeps StartExecution well under its token bucket.
      maxConcurrency: 10,
      itemSelector: {
        accountId: JsonPath.stringAt('$$.Map.Item.Value'),
        executionId: at('$.executionId'),
      },
      resultPath: JsonPath.DISCARD,
    });
    secureEach.itemProcessor(startSecuring);

    const counted = new stepfunctions.Succeed(this, 'The shard is counted');
    const countOnce = {
      ':one': tasks.DynamoAttributeValue.fromNumber(1),
      ':shardId': S(at('$.shardIds[0]')),
      ':shardIds': tasks.DynamoAttributeValue.fromStringSet(JsonPath.listAt('$.shardIds')),
      // Every shard counted adds its accounts, audited or failed: the audit's measure of what is missing.
      ':accounts': tasks.DynamoAttributeValue.numberFromString(JsonPath.format('{}', at('$.accountCount'))),
    };
    const addToTotals = new tasks.DynamoUpdateItem(this, 'Add the shard to the totals', {
      table,
      key: summaryKey,
      conditionExpression: COUNT_ONCE,
      updateExpression: `ADD ${AUDIT_COUNTERS.map((counter) => `${counter} :${counter}`).join(', ')}, shardsCounted :one, accountsCounted :accounts, countedShards :shardIds`,
      expressionAttributeValues: {
        ...Object.fromEntries(
          AUDIT_COUNTERS.map((counter) => [
            `:${counter}`,
            tasks.DynamoAttributeValue.numberFromString(SHARD_COUNTERS[counter]),
          ]),
        ),
        ...countOnce,
      },
      resultPath: JsonPath.DISCARD,
    });
    retryDynamoDb(addToTotals);

    const countFailedShard = new tasks.DynamoUpdateItem(this, 'Count the failed shard', {
      table,
      key: summaryKey,
      conditionExpression: COUNT_ONCE,
      updateExpression:
        'ADD failedShards :one, failedAccounts :accounts, shardsCounted :one, accountsCounted :accounts, countedShards :shardIds ' +
        'SET shardFailures = list_append(if_not_exists(shardFailures, :none), :failure)',
      expressionAttributeValues: {
        ...countOnce,
        ':none': tasks.DynamoAttributeValue.fromList([]),
        ':failure': tasks.DynamoAttributeValue.fromList([
          tasks.DynamoAttributeValue.fromMap({
            shard: S(at('$.shardIds[0]')),
            error: S(at('$.shardError.Error')),
            cause: S(at('$.shardError.Cause')),
          }),
        ]),
      },
      resultPath: JsonPath.DISCARD,
    });
    retryDynamoDb(countFailedShard);
    const countedBefore = {
      [addToTotals.node.id]: 'Note the shard was counted before',
      [countFailedShard.node.id]: 'Note the failure was counted before',
    };
    for (const update of [addToTotals, countFailedShard]) {
      // Counted before: by an earlier attempt of this update, or another execution of the shard.
      update.addCatch(
        new stepfunctions.Pass(this, countedBefore[update.node.id] ?? update.node.id).next(counted),
        {
          errors: ['DynamoDB.ConditionalCheckFailedException'],
          resultPath: JsonPath.DISCARD,
        },
      );
    }
    // A shard that fails after its retries is counted as failed, and the other shards go on.
    for (const step of [auditShard, secureEach, addToTotals]) {
      step.addCatch(countFailedShard, { errors: [stepfunctions.Errors.ALL], resultPath: '$.shardError' });
    }
    countFailedShard.next(counted);

    const definition = auditShard.next(secureEach).next(addToTotals).next(counted);
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', {
      definition,
      invokes: [props.auditAccountBatch],
      comment: 'Audit organization, one shard: audit its accounts and add their counts to the summary run',
      // One execution per 100 accounts, every day: at ALL their events were most of
      // the audit's CloudWatch Logs bill. Their histories stay in Step Functions
      // (90 days), the postures and run records in the table, and a failed
      // shard is logged and named in the summary (shardFailures).
      logLevel: stepfunctions.LogLevel.ERROR,
    }).stateMachine;
  }
}
