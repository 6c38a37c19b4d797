import { Duration } from 'aws-cdk-lib';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as stepfunctions from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { RootkeeperConfig } from '../config';
import { AuditOrganizationShard } from './audit-organization-shard';
import { WORKFLOWS } from './names';
import { AUDIT_COUNTERS, RunRecorder } from './record-run';
import { retryDynamoDb, retryStepFunctions } from './retry';
import type { WorkflowProps } from './secure-new-account';
import { invoke, startTheRun } from './steps';
import { WorkflowStateMachine } from './workflow-state-machine';
import { outcomeKey } from '../results-table-keys';

const { JsonPath } = stepfunctions;
const at = (path: string): string => JsonPath.stringAt(path);
const S = (value: string): tasks.DynamoAttributeValue => tasks.DynamoAttributeValue.fromString(value);

/**
 * Seconds between two reads of the summary's shard count while the audit
 * waits (for room under `auditConcurrency`, or for the last shards). Short
 * against a shard's audit (seconds), long against a read's cost: three
 * state transitions a poll.
 */
export const SHARD_POLL_SECONDS = 2;

/** Shard executions started at once by one listing step: StartExecution's bucket refills at 300/s. */
const SHARD_STARTS_AT_ONCE = 10;

export interface AuditOrganizationProps extends WorkflowProps {
  readonly config: RootkeeperConfig;
  /** Started for accounts seen for the first time (and, with autoRemediate, found with credentials). */
  readonly secureNewAccount: sfn.IStateMachine;
}

/**
 * Audit organization, as the pages arrive: a loop lists a chunk of
 * ListAccounts pages (ListMemberAccounts, from the NextToken kept in the
 * state, so a retried chunk resumes there), writes each full shard to the
 * table and returns its number; the workflow starts each new shard at once
 * as its own execution (AuditOrganizationShard, named after the audit and
 * the shard, so a second start is harmless), keeping at most
 * `auditConcurrency` shards running by reading the summary's shard count.
 * When the listing is done it waits until every shard is counted (audited,
 * or failed with its reason), then records the summary: AUDITED, or PARTIAL
 * when a shard failed. The state carries the cursor and shard numbers only.
 */
export class AuditOrganization extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly shardStateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: AuditOrganizationProps) {
    super(scope, id);
    const { functions, table, config } = props;
    const workflow = WORKFLOWS.auditOrganization.name;
    const recorder = new RunRecorder(this, { workflow, table, organization: true });
    this.shardStateMachine = new AuditOrganizationShard(this, 'Shard', {
      auditAccountBatch: functions.auditAccountBatch,
      table,
      secureNewAccount: props.secureNewAccount,
    }).stateMachine;

    const start = startTheRun(this, workflow, {
      // Empty: every eligible account (a path to null would stop the run).
      accountIds: [],
      autoRemediate: config.autoRemediateOnAudit,
      requestedBy: 'schedule',
    });
    const note = new stepfunctions.Pass(this, 'Note the request', {
      parameters: {
        input: JsonPath.objectAt('$.input'),
        defaults: JsonPath.objectAt('$.defaults'),
        run: JsonPath.objectAt('$.run'),
        request: JsonPath.jsonMerge(JsonPath.objectAt('$.defaults'), JsonPath.objectAt('$.input')),
        // Names this audit's shard executions: ≤ 80 characters whatever the audit's name.
        auditId: JsonPath.hash(at('$.run.executionArn'), 'MD5'),
        listing: { done: false },
      },
    });
    const summaryKey = { PK: S('ORGANIZATION'), SK: S(at('$.run.sk')) };
    const open = new tasks.DynamoPutItem(this, 'Open the summary run', {
      table,
      item: {
        ...summaryKey,
        GSI1PK: S(outcomeKey('RUNNING')),
        GSI1SK: S(JsonPath.format('{}#ORGANIZATION', at('$.run.startedAt'))),
        workflow: S(workflow),
        outcome: S('RUNNING'),
        accountId: S('ORGANIZATION'),
        requestedBy: S(JsonPath.format('{}', at('$.request.requestedBy'))),
        executionArn: S(at('$.run.executionArn')),
        startedAt: S(at('$.run.startedAt')),
        shardsCounted: tasks.DynamoAttributeValue.fromNumber(0),
        ...Object.fromEntries(
          AUDIT_COUNTERS.map((counter) => [counter, tasks.DynamoAttributeValue.fromNumber(0)]),
        ),
      },
      resultPath: JsonPath.DISCARD,
    });
    retryDynamoDb(open);

    const listChunk = invoke(
      this,
      'List a chunk of accounts',
      functions.listMemberAccounts,
      {
        inventoryId: JsonPath.executionName,
        shardSize: config.auditShardSize,
        concurrency: config.auditConcurrency,
        accountIds: at('$.request.accountIds'),
        // Absent on the first chunk: the listing starts at page 1.
        cursor: JsonPath.objectAt('$.listing.cursor'),
      },
      '$.listing',
    );
    const firstChunk = invoke(
      this,
      'List the first chunk of accounts',
      functions.listMemberAccounts,
      {
        inventoryId: JsonPath.executionName,
        shardSize: config.auditShardSize,
        concurrency: config.auditConcurrency,
        accountIds: at('$.request.accountIds'),
      },
      '$.listing',
    );

    const startShard = new tasks.StepFunctionsStartExecution(this, 'Start auditing the shard', {
      stateMachine: this.shardStateMachine,
      integrationPattern: stepfunctions.IntegrationPattern.REQUEST_RESPONSE,
      name: JsonPath.format('{}-shard-{}', at('$.auditId'), at('$.shardId')),
      input: stepfunctions.TaskInput.fromObject({
        inventoryId: at('$.inventoryId'),
        shard: JsonPath.numberAt('$.shard'),
        shardIds: JsonPath.array(at('$.shardId')),
        accountCount: JsonPath.numberAt('$.accountCount'),
        executionId: at('$.executionId'),
        executionArn: at('$.executionArn'),
        secureFirstSeen: JsonPath.objectAt('$.secureFirstSeen'),
        autoRemediate: JsonPath.objectAt('$.autoRemediate'),
        baseline: JsonPath.objectAt('$.baseline'),
        summaryKey: JsonPath.objectAt('$.summaryKey'),
      }),
      resultPath: JsonPath.DISCARD,
    });
    retryStepFunctions(startShard);
    // A retried start of a shard already running or finished: the same audit, nothing to do.
    startShard.addCatch(new stepfunctions.Pass(this, 'Note the shard was already started'), {
      errors: ['StepFunctions.ExecutionAlreadyExistsException'],
      resultPath: JsonPath.DISCARD,
    });
    const startNewShards = new stepfunctions.Map(this, 'Start the new shards', {
      itemsPath: '$.listing.newShards',
      maxConcurrency: SHARD_STARTS_AT_ONCE,
      itemSelector: {
        inventoryId: at('$.listing.inventoryId'),
        shard: JsonPath.numberAt('$$.Map.Item.Value.shard'),
        shardId: JsonPath.format('{}', at('$$.Map.Item.Value.shard')),
        accountCount: JsonPath.numberAt('$$.Map.Item.Value.accountCount'),
        auditId: at('$.auditId'),
        executionId: at('$.run.executionName'),
        executionArn: at('$.run.executionArn'),
        secureFirstSeen: config.secureFirstSeenOnAudit,
        autoRemediate: JsonPath.objectAt('$.request.autoRemediate'),
        baseline: JsonPath.objectAt('$.listing.baseline'),
        summaryKey: { PK: 'ORGANIZATION', SK: at('$.run.sk') },
      },
      resultPath: JsonPath.DISCARD,
    });
    startNewShards.itemProcessor(startShard);

    const readProgress = (name: string) => {
      const read = new tasks.DynamoGetItem(this, name, {
        table,
        key: summaryKey,
        consistentRead: true,
        projectionExpression: [
          new tasks.DynamoProjectionExpression().withAttribute('shardsCounted'),
          new tasks.DynamoProjectionExpression().withAttribute('failedShards'),
        ],
        resultSelector: {
          shardsCounted: JsonPath.stringToJson(at('$.Item.shardsCounted.N')),
          failedShards: JsonPath.stringToJson(at('$.Item.failedShards.N')),
        },
        resultPath: '$.progress',
      });
      retryDynamoDb(read);
      return read;
    };

    // Room for the new shards: at most auditConcurrency shards running (started, not counted).
    const readRoom = readProgress('Read how many shards are done');
    const waitForRoom = new stepfunctions.Wait(this, 'Wait for running shards to finish', {
      time: stepfunctions.WaitTime.duration(Duration.seconds(SHARD_POLL_SECONDS)),
    });
    const isThereRoom = new stepfunctions.Choice(this, 'Is there room for the new shards?')
      .when(stepfunctions.Condition.numberLessThanEquals('$.listing.startWhenCounted', 0), startNewShards)
      .otherwise(readRoom);
    readRoom.next(
      new stepfunctions.Choice(this, 'Are enough shards done?')
        .when(
          stepfunctions.Condition.numberGreaterThanEqualsJsonPath(
            '$.progress.shardsCounted',
            '$.listing.startWhenCounted',
          ),
          startNewShards,
        )
        .otherwise(waitForRoom.next(readRoom)),
    );

    // Every shard counted: the summary's outcome.
    const inventory = new stepfunctions.Pass(this, 'Note the inventory', {
      parameters: {
        inventoryId: at('$.listing.inventoryId'),
        shardCount: JsonPath.numberAt('$.listing.shardCount'),
        accountCount: JsonPath.numberAt('$.listing.accountCount'),
        pagesListed: JsonPath.numberAt('$.listing.cursor.pagesListed'),
        skipped: JsonPath.objectAt('$.listing.skipped'),
        baseline: JsonPath.objectAt('$.listing.baseline'),
      },
      resultPath: '$.inventory',
    });
    const readDone = readProgress('Read how many shards are counted');
    const waitForLast = new stepfunctions.Wait(this, 'Wait for the last shards', {
      time: stepfunctions.WaitTime.duration(Duration.seconds(SHARD_POLL_SECONDS)),
    });
    const audited = recorder.note('Note the audit', {
      outcome: 'AUDITED',
      before: 'null',
      actions: '[]',
      after: '$.inventory',
    });
    const partialNote = recorder.note('Note the partial audit', {
      outcome: 'PARTIAL',
      outcomeReason: { path: '$.partial.reason' },
      before: 'null',
      actions: '[]',
      after: '$.inventory',
    });
    partialNote.next(recorder.record);
    const partial = new stepfunctions.Pass(this, 'Describe the failed shards', {
      parameters: {
        reason: JsonPath.format(
          '{} of {} shards failed: their accounts were not audited (shardFailures in the summary run)',
          at('$.progress.failedShards'),
          at('$.inventory.shardCount'),
        ),
      },
      resultPath: '$.partial',
    });
    partial.next(partialNote);
    audited.next(recorder.record);
    const outcome = new stepfunctions.Choice(this, 'Did a shard fail?')
      .when(stepfunctions.Condition.numberGreaterThan('$.progress.failedShards', 0), partial)
      .otherwise(audited);
    const allCounted = new stepfunctions.Choice(this, 'Is every shard counted?')
      .when(
        stepfunctions.Condition.numberGreaterThanEqualsJsonPath(
          '$.progress.shardsCounted',
          '$.inventory.shardCount',
        ),
        outcome,
      )
      .otherwise(waitForLast.next(readDone));
    readDone.next(allCounted);

    const isListingDone = new stepfunctions.Choice(this, 'Is the listing done?')
      .when(stepfunctions.Condition.booleanEquals('$.listing.done', true), inventory.next(readDone))
      .otherwise(listChunk);
    startNewShards.next(isListingDone);
    listChunk.next(isThereRoom);
    firstChunk.next(isThereRoom);

    for (const step of [open, firstChunk, listChunk, startNewShards, readRoom, readDone]) {
      recorder.catchProblems(step);
    }

    const definition = start.next(note).next(open).next(firstChunk);
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', {
      definition,
      invokes: [functions.listMemberAccounts],
      comment:
        'Audit organization: audit the root user of every eligible member account and record a summary',
    }).stateMachine;
  }
}
