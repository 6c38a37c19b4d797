import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Template } from 'aws-cdk-lib/assertions';
import { WITHOUT_APPROVALS } from '../../lib/approvals/approval-config';
import { buildRootkeeperApp } from '../../lib/build-app';
import type { RootkeeperConfig } from '../../lib/config';
import { WORKFLOWS, type WorkflowKey } from '../../lib/workflows/names';
import { startLocalDynamoDb, type LocalResultsTable } from '../../local/dynamodb/local-dynamodb';
import { LocalStepFunctions, type ExecutionRecord } from '../../local/step-functions';
import type { TemplateJson } from '../../local/template';
import { OutputCapture } from '../support/output-capture';

export const REGION = 'us-east-1';
export const MANAGEMENT_ACCOUNT = '111111111111';
export const TABLE = 'results';
/** For beforeAll: a synth and a dynalite start take seconds, and much longer on a loaded machine. */
export const HARNESS_START_TIMEOUT_MS = 180_000;

type Item = Record<string, unknown>;

/**
 * The real service, locally: the synthesized template of lib/ run by the
 * local runner, its Lambda states calling the real handlers in process,
 * its DynamoDB states and the handlers' table calls going to dynalite.
 * Everything the handlers log (stdout, stderr, the console: the Powertools
 * logger at DEBUG) is captured, not shown, for the secret scan.
 */
export class WorkflowHarness {
  private constructor(
    readonly runner: LocalStepFunctions,
    readonly table: DynamoDBDocumentClient,
    private readonly dynamo: LocalResultsTable,
    private readonly shardLogicalId: string,
    private readonly capture: OutputCapture,
  ) {}

  /** Every start of this test file, finished or not: closeAll() waits for each and closes it. */
  private static readonly starts: Promise<WorkflowHarness>[] = [];

  static start(config: Partial<RootkeeperConfig> = {}): Promise<WorkflowHarness> {
    const starting = WorkflowHarness.open(config);
    WorkflowHarness.starts.push(starting);
    return starting;
  }

  /**
   * For afterAll: closes every harness this file started, waiting for a
   * start still under way (a beforeAll that timed out), and ignoring a start
   * that failed. Nothing stays open, so jest exits even when beforeAll failed.
   */
  static async closeAll(): Promise<void> {
    const starts = WorkflowHarness.starts.splice(0);
    const started = await Promise.all(starts.map((start) => start.catch(() => undefined)));
    for (const harness of started) await harness?.close();
  }

  private static async open(config: Partial<RootkeeperConfig>): Promise<WorkflowHarness> {
    // Approvals have their own tests (approvals.test.ts); elsewhere nothing waits for one.
    const { stack } = buildRootkeeperApp({ config: { approvals: WITHOUT_APPROVALS, ...config } });
    const template = Template.fromStack(stack).toJSON() as TemplateJson;
    // The table from the very schema the CDK construct uses.
    const dynamo = await startLocalDynamoDb({ tableName: TABLE, region: REGION });
    const capture = new OutputCapture().start();
    try {
      return WorkflowHarness.build(template, dynamo, capture);
    } catch (error) {
      // Nothing left open when the start fails: an open server would keep jest from exiting.
      capture.stop();
      await dynamo.close();
      throw error;
    }
  }

  private static build(
    template: TemplateJson,
    dynamo: LocalResultsTable,
    capture: OutputCapture,
  ): WorkflowHarness {
    const tableLogicalId = Object.entries(template.Resources ?? {}).find(
      ([, resource]) => resource.Type === 'AWS::DynamoDB::Table',
    )?.[0];
    const runner = new LocalStepFunctions({
      template,
      region: REGION,
      accountId: MANAGEMENT_ACCOUNT,
      physicalNames: tableLogicalId === undefined ? {} : { [tableLogicalId]: TABLE },
      dynamodb: dynamo.client,
      retryDelayMs: 1,
      // The audit's polls of its shard count: short, so tests do not wait seconds.
      waitOverrideMs: 20,
      environment: {
        // The handlers' own DynamoDB clients reach dynalite; STS, IAM and
        // Organizations are answered by aws-sdk-client-mock.
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        // Every line a handler can log, so that the secret scan reads them all.
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
        // EMF lines carry no request data; they would only slow the scan.
        POWERTOOLS_METRICS_DISABLED: 'true',
      },
    });
    const shardLogicalId =
      Object.entries(template.Resources ?? {}).find(
        ([id, resource]) =>
          resource.Type === 'AWS::StepFunctions::StateMachine' &&
          id.startsWith('WorkflowsAuditOrganizationShard'),
      )?.[0] ?? 'no shard workflow';
    return new WorkflowHarness(
      runner,
      DynamoDBDocumentClient.from(dynamo.client),
      dynamo,
      shardLogicalId,
      capture,
    );
  }

  arn(workflow: WorkflowKey): string {
    return this.runner.stateMachineArn(WORKFLOWS[workflow].output);
  }

  /** The organization audit's shard workflow (no stack output: only the audit starts it). */
  shardArn(): string {
    return this.runner.stateMachineArn(this.shardLogicalId);
  }

  async run(workflow: WorkflowKey, input: unknown, name?: string): Promise<ExecutionRecord> {
    const record = await this.runner.runExecution(this.arn(workflow), { input: input as never, name });
    await this.runner.waitForIdle();
    return record;
  }

  async scanTable(): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.table.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: start }));
      items.push(...((page.Items ?? []) as Item[]));
      start = page.LastEvaluatedKey as Item | undefined;
    } while (start !== undefined);
    return items;
  }

  async query(pk: string, skPrefix = ''): Promise<Item[]> {
    const page = await this.table.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
        ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
      }),
    );
    return (page.Items ?? []) as Item[];
  }

  /** What the handlers have logged since the harness started. */
  get logs(): string {
    return this.capture.text;
  }

  /** Forgets what a test wrote on purpose (a secret planted to prove the scan finds it). */
  forgetLogged(text: string): void {
    this.capture.withdraw(text);
  }

  /** Every place a secret could end up, each as one text to search: histories, the table, events, logs. */
  async everythingRecorded(): Promise<Record<string, string>> {
    await this.runner.waitForIdle();
    return {
      'execution histories': JSON.stringify(this.runner.store.all()),
      'results table': JSON.stringify(await this.scanTable()),
      'result events': JSON.stringify(this.runner.publishedEvents),
      'handler logs': this.capture.text,
    };
  }

  private closed = false;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.capture.stop();
    try {
      await this.runner.dispose();
    } finally {
      await this.dynamo.close();
    }
  }
}
