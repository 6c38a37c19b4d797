import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as stepfunctions from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { acknowledgeWildcard, logicalIdOf, nagArnPrefix } from '../acknowledge';
import type { RootkeeperConfig } from '../config';
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

export interface AuditOrganizationProps extends WorkflowProps {
  readonly config: RootkeeperConfig;
  /** Started for accounts seen for the first time (and, with autoRemediate, found with credentials). */
  readonly secureNewAccount: sfn.IStateMachine;
}

/** The counters each shard adds to the summary run, from AuditAccountBatch's answer. */
const SHARD_COUNTERS: Readonly<Record<(typeof AUDIT_COUNTERS)[number], string>> = {
  audited: JsonPath.format('{}', at('$.batch.audited')),
  clean: JsonPath.format('{}', at('$.batch.clean')),
  withCredentials: JsonPath.format('{}', at('$.batch.withCredentials')),
  failed: JsonPath.format('{}', at('$.batch.failed')),
  firstSeen: JsonPath.format('{}', at('$.batch.firstSeen')),
  secureStarted: JsonPath.format('{}', JsonPath.arrayLength(JsonPath.listAt('$.batch.toSecure'))),
  failedShards: '0',
};

/**
 * Audit organization: list the eligible member accounts into inventory
 * shards (in the table, not in the payload), audit each shard in a child
 * execution of a Distributed Map (its own history, so 10,000 accounts fit),
 * start Secure new account for the accounts a shard says to secure, add each
 * shard's counts to the summary run with atomic counters, and finish the
 * summary. The Map keeps no results: the payload stays a few hundred bytes.
 */
export class AuditOrganization extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: AuditOrganizationProps) {
    super(scope, id);
    const { functions, table, config } = props;
    const workflow = WORKFLOWS.auditOrganization.name;
    const recorder = new RunRecorder(this, { workflow, table, organization: true });

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
        ...Object.fromEntries(
          AUDIT_COUNTERS.map((counter) => [counter, tasks.DynamoAttributeValue.fromNumber(0)]),
        ),
      },
      resultPath: JsonPath.DISCARD,
    });
    retryDynamoDb(open);

    const list = invoke(
      this,
      'List the member accounts',
      functions.listMemberAccounts,
      {
        inventoryId: JsonPath.executionName,
        shardSize: config.auditShardSize,
        accountIds: at('$.request.accountIds'),
      },
      '$.inventory',
    );

    // One shard, in a child execution of the Distributed Map.
    const auditShard = invoke(
      this,
      'Audit the accounts in the shard',
      functions.auditAccountBatch,
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

    const addToTotals = new tasks.DynamoUpdateItem(this, 'Add the shard to the totals', {
      table,
      key: { PK: S(at('$.summaryKey.PK')), SK: S(at('$.summaryKey.SK')) },
      updateExpression: `ADD ${AUDIT_COUNTERS.map((counter) => `${counter} :${counter}`).join(', ')}`,
      expressionAttributeValues: Object.fromEntries(
        AUDIT_COUNTERS.map((counter) => [
          `:${counter}`,
          tasks.DynamoAttributeValue.numberFromString(SHARD_COUNTERS[counter]),
        ]),
      ),
      resultPath: JsonPath.DISCARD,
    });
    retryDynamoDb(addToTotals);
    const countFailedShard = new tasks.DynamoUpdateItem(this, 'Count the failed shard', {
      table,
      key: { PK: S(at('$.summaryKey.PK')), SK: S(at('$.summaryKey.SK')) },
      updateExpression: 'ADD failedShards :one',
      expressionAttributeValues: { ':one': tasks.DynamoAttributeValue.fromNumber(1) },
      resultPath: JsonPath.DISCARD,
    });
    retryDynamoDb(countFailedShard);
    // A shard that fails after its retries is counted, and the other shards go on.
    auditShard.addCatch(countFailedShard, { errors: [stepfunctions.Errors.ALL], resultPath: '$.shardError' });
    secureEach.addCatch(countFailedShard, { errors: [stepfunctions.Errors.ALL], resultPath: '$.shardError' });

    const auditEach = new stepfunctions.DistributedMap(this, 'Audit each shard', {
      itemsPath: '$.inventory.shards',
      maxConcurrency: config.auditConcurrency,
      mapExecutionType: stepfunctions.StateMachineType.STANDARD,
      itemSelector: {
        inventoryId: at('$.inventory.inventoryId'),
        shard: JsonPath.numberAt('$$.Map.Item.Value'),
        executionId: at('$.run.executionName'),
        executionArn: at('$.run.executionArn'),
        secureFirstSeen: config.secureFirstSeenOnAudit,
        autoRemediate: JsonPath.objectAt('$.request.autoRemediate'),
        baseline: JsonPath.objectAt('$.inventory.baseline'),
        summaryKey: { PK: 'ORGANIZATION', SK: at('$.run.sk') },
      },
      resultPath: JsonPath.DISCARD,
    });
    auditEach.itemProcessor(auditShard.next(secureEach).next(addToTotals));

    const audited = recorder
      .note('Note the audit', {
        outcome: 'AUDITED',
        before: 'null',
        actions: '[]',
        after: '$.inventory',
      })
      .next(recorder.record);
    for (const step of [open, list, auditEach]) recorder.catchProblems(step);

    const definition = start.next(note).next(open).next(list).next(auditEach).next(audited);
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', {
      definition,
      invokes: [functions.listMemberAccounts, functions.auditAccountBatch],
      comment:
        'Audit organization: audit the root user of every eligible member account and record a summary',
    }).stateMachine;
    // The Distributed Map's own policy: start, describe and stop its child executions.
    const name = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalIdOf(this.stateMachine)}"}]}]}`;
    for (const suffix of [':*', '/*:*']) {
      acknowledgeWildcard(
        this.stateMachine,
        `${nagArnPrefix(this, 'states')}:execution:${name}${suffix}`,
        'The Distributed Map manages its child executions, whose names Step Functions chooses at run time.',
      );
    }
  }
}
