import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Template } from 'aws-cdk-lib/assertions';
import { WITHOUT_APPROVALS } from '../../lib/approvals/approval-config';
import { buildRootkeeperApp } from '../../lib/build-app';
import type { RootkeeperConfig } from '../../lib/config';
import { WORKFLOWS, type WorkflowKey } from '../../lib/workflows/names';
import { startLocalDynamoDb, type LocalResultsTable } from '../../local/dynamodb/local-dynamodb';
import { LocalStepFunctions, type ExecutionRecord } from '../../local/step-functions';
import type { TemplateJson } from '../../local/template';

export const REGION = 'us-east-1';
export const MANAGEMENT_ACCOUNT = '111111111111';
export const TABLE = 'results';

type Item = Record<string, unknown>;

/**
 * The real service, locally: the synthesized template of lib/ run by the
 * local runner, its Lambda states calling the real handlers in process,
 * its DynamoDB states and the handlers' table calls going to dynalite.
 */
export class WorkflowHarness {
  private constructor(
    readonly runner: LocalStepFunctions,
    readonly table: DynamoDBDocumentClient,
    private readonly dynamo: LocalResultsTable,
    private readonly shardLogicalId: string,
  ) {}

  static async start(config: Partial<RootkeeperConfig> = {}): Promise<WorkflowHarness> {
    // Approvals have their own tests (approvals.test.ts); elsewhere nothing waits for one.
    const { stack } = buildRootkeeperApp({ config: { approvals: WITHOUT_APPROVALS, ...config } });
    const template = Template.fromStack(stack).toJSON() as TemplateJson;
    // The table from the very schema the CDK construct uses.
    const dynamo = await startLocalDynamoDb({ tableName: TABLE, region: REGION });
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
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      },
    });
    const shardLogicalId =
      Object.entries(template.Resources ?? {}).find(
        ([id, resource]) =>
          resource.Type === 'AWS::StepFunctions::StateMachine' &&
          id.startsWith('WorkflowsAuditOrganizationShard'),
      )?.[0] ?? 'no shard workflow';
    return new WorkflowHarness(runner, DynamoDBDocumentClient.from(dynamo.client), dynamo, shardLogicalId);
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

  /** Every execution's history and the whole table, as one text to search for secrets. */
  async everythingRecorded(): Promise<string> {
    const executions = this.runner.store.all();
    return JSON.stringify({ executions, table: await this.scanTable(), events: this.runner.publishedEvents });
  }

  async close(): Promise<void> {
    await this.runner.dispose();
    await this.dynamo.close();
  }
}
