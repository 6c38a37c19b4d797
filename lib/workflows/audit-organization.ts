import { Duration } from 'aws-cdk-lib';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as stepfunctions from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { RootkeeperConfig } from '../config';
import { configuredBatchTimeoutSeconds, shardSilenceSeconds } from '../function-timeouts';
import { AuditOrganizationShard, COUNTING_CLOSED_BY, SHARD_NOT_COUNTED } from './audit-organization-shard';
import { WORKFLOWS } from './names';
import { RunRecorder } from './record-run';
import { retryDynamoDb, retryStepFunctions } from './retry';
import type { WorkflowProps } from './secure-new-account';
import { invoke, startTheRun } from './steps';
import { WorkflowStateMachine } from './workflow-state-machine';
import { ORGANIZATION } from '../results-table-keys';

const { JsonPath } = stepfunctions;
const at = (path: string): string => JsonPath.stringAt(path);
const S = (value: string): tasks.DynamoAttributeValue => tasks.DynamoAttributeValue.fromString(value);
const N = (path: string): tasks.DynamoAttributeValue =>
  tasks.DynamoAttributeValue.numberFromString(JsonPath.format('{}', at(path)));

/**
 * Seconds between two reads of the summary's shard count while the audit
 * waits (for room under `auditConcurrency`, or for the last shards). Short
 * against a shard's audit (seconds), long against a read's cost: three
 * state transitions a poll.
 */
const SHARD_POLL_SECONDS = 2;

/** Shard executions started at once by one listing step: StartExecution's bucket refills at 300/s. */
const SHARD_STARTS_AT_ONCE = 10;

export interface AuditOrganizationProps extends WorkflowProps {
  readonly config: RootkeeperConfig;
  /** Started for accounts seen for the first time (and, with autoRemediate, found with credentials). */
  readonly secureNewAccount: sfn.IStateMachine;
}

/** Reads of the summary without any shard counted after which the missing shards are counted as failed. */
export function silentReadsLimit(
  config: Pick<RootkeeperConfig, 'auditShardSize' | 'rootSessionDurationSeconds'>,
): number {
  return Math.ceil(shardSilenceSeconds(configuredBatchTimeoutSeconds(config)) / SHARD_POLL_SECONDS);
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
 * when a shard failed. A shard that never reports (its execution stopped by
 * hand, or failed without recording) does not hold the audit forever: once
 * no shard has been counted for longer than a live shard can take
 * (`silentReadsLimit`), the missing shards are counted as failed
 * (`ShardNotCounted`) and the audit ends PARTIAL. The state carries the
 * cursor and shard numbers only.
 */
export class AuditOrganization extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly shardStateMachine: sfn.StateMachine;
  private readonly recorder: RunRecorder;
  private readonly summaryKey: { PK: tasks.DynamoAttributeValue; SK: tasks.DynamoAttributeValue };

  constructor(scope: Construct, id: string, props: AuditOrganizationProps) {
    super(scope, id);
    const workflow = WORKFLOWS.auditOrganization.name;
    this.recorder = new RunRecorder(this, { workflow, table: props.table, organization: true });
    this.summaryKey = { PK: S(ORGANIZATION), SK: S(at('$.run.sk')) };
    this.shardStateMachine = new AuditOrganizationShard(this, 'Shard', {
      auditAccountBatch: props.functions.auditAccountBatch,
      table: props.table,
      secureNewAccount: props.secureNewAccount,
    }).stateMachine;

    const silentReads = silentReadsLimit(props.config);
    // RUNNING, every counter at 0, the shard counts too.
    const open = this.recorder.openSummary(['shardsCounted', 'accountsCounted']);
    const { first, next } = this.listChunkSteps(props);
    const startNewShards = this.startNewShards(props.config);
    const waitForRoom = this.waitForRoom(props, startNewShards, silentReads);
    const finish = this.waitForEveryShardThenRecord(props, silentReads);
    // Shards just started have a full silence ahead of them.
    const restartSilence = new stepfunctions.Pass(this, 'Note the shards just started', {
      parameters: { lastCounted: JsonPath.numberAt('$.silence.lastCounted'), reads: 0 },
      resultPath: '$.silence',
    });
    startNewShards
      .next(restartSilence)
      .next(
        new stepfunctions.Choice(this, 'Is the listing done?')
          .when(stepfunctions.Condition.booleanEquals('$.listing.done', true), finish)
          .otherwise(next),
      );
    next.next(waitForRoom);
    first.next(waitForRoom);
    for (const step of [open, first, next, startNewShards]) this.recorder.catchProblems(step);

    const definition = startTheRun(this, workflow, {
      // Empty: every eligible account (a path to null would stop the run).
      accountIds: [],
      autoRemediate: props.config.autoRemediateOnAudit,
      requestedBy: 'schedule',
    })
      .next(this.noteTheRequest())
      .next(open)
      .next(first);
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', {
      definition,
      invokes: [props.functions.listMemberAccounts],
      comment:
        'Audit organization: audit the root user of every eligible member account and record a summary',
    }).stateMachine;
  }

  private noteTheRequest(): sfn.Pass {
    return new stepfunctions.Pass(this, 'Note the request', {
      parameters: {
        input: JsonPath.objectAt('$.input'),
        defaults: JsonPath.objectAt('$.defaults'),
        run: JsonPath.objectAt('$.run'),
        request: JsonPath.jsonMerge(JsonPath.objectAt('$.defaults'), JsonPath.objectAt('$.input')),
        // Names this audit's shard executions: ≤ 80 characters whatever the audit's name.
        auditId: JsonPath.hash(at('$.run.executionArn'), 'MD5'),
        listing: { done: false },
        // Shards counted at the last read, and reads since one was counted.
        silence: { lastCounted: 0, reads: 0 },
      },
    });
  }

  /** ListMemberAccounts: the first chunk from page 1, the next ones from the cursor in the state. */
  private listChunkSteps(props: AuditOrganizationProps): {
    first: sfn.TaskStateBase;
    next: sfn.TaskStateBase;
  } {
    const { functions, config } = props;
    const payload = {
      inventoryId: JsonPath.executionName,
      shardSize: config.auditShardSize,
      concurrency: config.auditConcurrency,
      accountIds: at('$.request.accountIds'),
    };
    return {
      first: invoke(
        this,
        'List the first chunk of accounts',
        functions.listMemberAccounts,
        payload,
        '$.listing',
      ),
      next: invoke(
        this,
        'List a chunk of accounts',
        functions.listMemberAccounts,
        // Absent on the first chunk: the listing starts at page 1.
        { ...payload, cursor: JsonPath.objectAt('$.listing.cursor') },
        '$.listing',
      ),
    };
  }

  /** "Start the new shards": one execution each, named after the audit and the shard. */
  private startNewShards(config: RootkeeperConfig): stepfunctions.Map {
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
        summaryKey: { PK: ORGANIZATION, SK: at('$.run.sk') },
      },
      resultPath: JsonPath.DISCARD,
    });
    startNewShards.itemProcessor(startShard);
    return startNewShards;
  }

  /** A consistent read of the summary's shard counts into `$.progress`. */
  private readProgress(props: AuditOrganizationProps, name: string): tasks.DynamoGetItem {
    const read = new tasks.DynamoGetItem(this, name, {
      table: props.table,
      key: this.summaryKey,
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
    this.recorder.catchProblems(read);
    return read;
  }

  /**
   * While waiting: "Was a shard counted <when>?" since the last read resets
   * the silence; otherwise the silent read is counted, and after
   * `silentReads` of them in a row → `whenSilent`; else → `then`.
   */
  private watchForSilence(
    when: string,
    silentReads: number,
    then: sfn.IChainable,
    whenSilent: sfn.IChainable,
  ): sfn.Choice {
    const progressed = new stepfunctions.Pass(this, `Note the progress ${when}`, {
      parameters: { lastCounted: JsonPath.numberAt('$.progress.shardsCounted'), reads: 0 },
      resultPath: '$.silence',
    });
    const silent = new stepfunctions.Pass(this, `Note a silent read ${when}`, {
      parameters: {
        lastCounted: JsonPath.numberAt('$.silence.lastCounted'),
        reads: JsonPath.mathAdd(JsonPath.numberAt('$.silence.reads'), 1),
      },
      resultPath: '$.silence',
    });
    progressed.next(then);
    silent.next(
      new stepfunctions.Choice(this, `Is the silence too long ${when}?`)
        .when(stepfunctions.Condition.numberGreaterThanEquals('$.silence.reads', silentReads), whenSilent)
        .otherwise(then),
    );
    return new stepfunctions.Choice(this, `Was a shard counted ${when}?`)
      .when(
        stepfunctions.Condition.numberGreaterThanJsonPath(
          '$.progress.shardsCounted',
          '$.silence.lastCounted',
        ),
        progressed,
      )
      .otherwise(silent);
  }

  /**
   * Room for the new shards: at most auditConcurrency shards running
   * (started, not counted). Shards that stay silent too long are not
   * running any more: the new shards start without waiting for them.
   */
  private waitForRoom(
    props: AuditOrganizationProps,
    startNewShards: sfn.IChainable,
    silentReads: number,
  ): sfn.IChainable {
    const readRoom = this.readProgress(props, 'Read how many shards are done');
    const waitForRoom = new stepfunctions.Wait(this, 'Wait for running shards to finish', {
      time: stepfunctions.WaitTime.duration(Duration.seconds(SHARD_POLL_SECONDS)),
    });
    const keepWaiting = waitForRoom.next(readRoom);
    readRoom.next(
      new stepfunctions.Choice(this, 'Are enough shards done?')
        .when(
          stepfunctions.Condition.numberGreaterThanEqualsJsonPath(
            '$.progress.shardsCounted',
            '$.listing.startWhenCounted',
          ),
          startNewShards,
        )
        .otherwise(this.watchForSilence('while waiting for room', silentReads, keepWaiting, startNewShards)),
    );
    return new stepfunctions.Choice(this, 'Is there room for the new shards?')
      .when(stepfunctions.Condition.numberLessThanEquals('$.listing.startWhenCounted', 0), startNewShards)
      .otherwise(readRoom);
  }

  /** The listing is done: wait until every shard is counted, then AUDITED or PARTIAL. */
  private waitForEveryShardThenRecord(props: AuditOrganizationProps, silentReads: number): sfn.IChainable {
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
    const readDone = this.readProgress(props, 'Read how many shards are counted');
    const waitForLast = new stepfunctions.Wait(this, 'Wait for the last shards', {
      time: stepfunctions.WaitTime.duration(Duration.seconds(SHARD_POLL_SECONDS)),
    });
    const countMissing = this.countSilentShardsAsFailed(props, silentReads);
    countMissing.next(readDone);
    readDone.next(
      new stepfunctions.Choice(this, 'Is every shard counted?')
        .when(
          stepfunctions.Condition.numberGreaterThanEqualsJsonPath(
            '$.progress.shardsCounted',
            '$.inventory.shardCount',
          ),
          this.auditedOrPartial(),
        )
        .otherwise(
          this.watchForSilence('at the end', silentReads, waitForLast.next(readDone), countMissing.start),
        ),
    );
    return inventory.next(readDone);
  }

  /**
   * The shards still missing after the silence are counted as failed, in
   * two conditional updates (DynamoDB's SET takes one `+` or `-` a value):
   * the first closes the counting (a shard that reports later adds nothing)
   * and notes how many shards and accounts are missing; the second adds
   * them to the failed counters, once.
   */
  private countSilentShardsAsFailed(
    props: AuditOrganizationProps,
    silentReads: number,
  ): { start: sfn.IChainable; next(step: sfn.IChainable): void } {
    const executionArn = S(at('$.run.executionArn'));
    const close = new tasks.DynamoUpdateItem(this, 'Stop counting the silent shards', {
      table: props.table,
      key: this.summaryKey,
      // A retry of our own update (its answer lost) computes the same values.
      conditionExpression: `attribute_not_exists(${COUNTING_CLOSED_BY}) OR ${COUNTING_CLOSED_BY} = :by`,
      updateExpression:
        `SET ${COUNTING_CLOSED_BY} = :by, uncountedShards = :shardCount - shardsCounted, ` +
        'uncountedAccounts = :accountCount - accountsCounted',
      expressionAttributeValues: {
        ':by': executionArn,
        ':shardCount': N('$.inventory.shardCount'),
        ':accountCount': N('$.inventory.accountCount'),
      },
      resultPath: JsonPath.DISCARD,
    });
    retryDynamoDb(close);
    const count = new tasks.DynamoUpdateItem(this, 'Count the silent shards as failed', {
      table: props.table,
      key: this.summaryKey,
      conditionExpression: 'attribute_not_exists(uncountedAdded)',
      updateExpression:
        'SET failedShards = failedShards + uncountedShards, failedAccounts = failedAccounts + uncountedAccounts, ' +
        'shardsCounted = shardsCounted + uncountedShards, uncountedAdded = :by, ' +
        'shardFailures = list_append(if_not_exists(shardFailures, :none), :failure)',
      expressionAttributeValues: {
        ':by': executionArn,
        ':none': tasks.DynamoAttributeValue.fromList([]),
        ':failure': tasks.DynamoAttributeValue.fromList([
          tasks.DynamoAttributeValue.fromMap({
            shard: S('not counted'),
            error: S(SHARD_NOT_COUNTED),
            cause: S(
              `no shard was counted for ${silentReads * SHARD_POLL_SECONDS} s: the shards missing from the count ` +
                '(uncountedShards) were stopped, timed out or failed without recording',
            ),
          }),
        ]),
      },
      resultPath: JsonPath.DISCARD,
    });
    retryDynamoDb(count);
    const addedBefore = new stepfunctions.Pass(this, 'Note the silent shards were counted before');
    count.addCatch(addedBefore, {
      errors: ['DynamoDB.ConditionalCheckFailedException'],
      resultPath: JsonPath.DISCARD,
    });
    for (const step of [close, count]) this.recorder.catchProblems(step);
    close.next(count);
    return {
      start: close,
      next: (step) => {
        count.next(step);
        addedBefore.next(step);
      },
    };
  }

  /** "Did a shard fail?": PARTIAL with how many, or AUDITED; then the run is recorded. */
  private auditedOrPartial(): sfn.IChainable {
    const audited = this.recorder.note('Note the audit', {
      outcome: 'AUDITED',
      before: 'null',
      actions: '[]',
      after: '$.inventory',
    });
    const partialNote = this.recorder.note('Note the partial audit', {
      outcome: 'PARTIAL',
      outcomeReason: { path: '$.partial.reason' },
      before: 'null',
      actions: '[]',
      after: '$.inventory',
    });
    partialNote.next(this.recorder.record);
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
    audited.next(this.recorder.record);
    return new stepfunctions.Choice(this, 'Did a shard fail?')
      .when(stepfunctions.Condition.numberGreaterThan('$.progress.failedShards', 0), partial)
      .otherwise(audited);
  }
}
