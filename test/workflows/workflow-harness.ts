import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Template } from 'aws-cdk-lib/assertions';
import dynalite from 'dynalite';
import { buildRootkeeperApp } from '../../lib/build-app';
import type { RootkeeperConfig } from '../../lib/config';
import { RESULTS_TABLE_SCHEMA } from '../../lib/results-table-schema';
import { WORKFLOWS, type WorkflowKey } from '../../lib/workflows/names';
import { LocalStepFunctions, type ExecutionRecord } from '../../local/step-functions';
import type { TemplateJson } from '../../local/template';

export const REGION = 'us-east-1';
export const MANAGEMENT_ACCOUNT = '111111111111';
const TABLE = 'results';

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
    private readonly server: Server,
    private readonly client: DynamoDBClient,
  ) {}

  static async start(config: Partial<RootkeeperConfig> = {}): Promise<WorkflowHarness> {
    const { stack } = buildRootkeeperApp({ config });
    const template = Template.fromStack(stack).toJSON() as TemplateJson;
    const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new DynamoDBClient({
      endpoint,
      region: REGION,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    // The table from the very schema the CDK construct uses.
    await client.send(
      new CreateTableCommand({ TableName: TABLE, ...structuredClone(RESULTS_TABLE_SCHEMA) } as never),
    );
    const tableLogicalId = Object.entries(template.Resources ?? {}).find(
      ([, resource]) => resource.Type === 'AWS::DynamoDB::Table',
    )?.[0];
    const runner = new LocalStepFunctions({
      template,
      region: REGION,
      accountId: MANAGEMENT_ACCOUNT,
      physicalNames: tableLogicalId === undefined ? {} : { [tableLogicalId]: TABLE },
      dynamodb: client,
      retryDelayMs: 1,
      environment: {
        // The handlers' own DynamoDB clients reach dynalite; STS, IAM and
        // Organizations are answered by aws-sdk-client-mock.
        AWS_ENDPOINT_URL_DYNAMODB: endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      },
    });
    return new WorkflowHarness(runner, DynamoDBDocumentClient.from(client), server, client);
  }

  arn(workflow: WorkflowKey): string {
    return this.runner.stateMachineArn(WORKFLOWS[workflow].output);
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
    this.client.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
