import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { LocalStepFunctions, type LocalStepFunctionsOptions } from '../../../local/step-functions';
import type { TemplateJson } from '../../../local/template';
import { synthesizeTestStack, TEST_CATALOG } from './test-stack';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
export const TABLE = 'results-local';

export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

/** dynalite on loopback with a table keyed like the results table. */
export async function startDynalite(tableName = TABLE): Promise<LocalDynamo> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
    }),
  );
  return {
    endpoint,
    client,
    async close() {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function tableLogicalId(template: TemplateJson): string {
  const entry = Object.entries(template.Resources ?? {}).find(([, r]) => r.Type === 'AWS::DynamoDB::Table');
  if (entry === undefined) throw new Error('the test stack has no table');
  return entry[0];
}

let cached: TemplateJson | undefined;

/** The test stack's template (synthesized once per test file: synthesis takes a while). */
export function testTemplate(): TemplateJson {
  cached ??= synthesizeTestStack();
  return cached;
}

export function createRunner(
  dynamo: LocalDynamo,
  options: Partial<LocalStepFunctionsOptions> = {},
): LocalStepFunctions {
  const template = options.template ?? testTemplate();
  return new LocalStepFunctions({
    region: REGION,
    accountId: ACCOUNT,
    catalog: TEST_CATALOG,
    physicalNames: 'Resources' in template ? { [tableLogicalId(template)]: TABLE } : undefined,
    dynamodb: { endpoint: dynamo.endpoint },
    retryDelayMs: 5,
    ...options,
    template,
  });
}

/** A state machine's local ARN by the start of its logical id (CDK appends a hash). */
export function machineArn(runner: LocalStepFunctions, logicalIdPrefix: string): string {
  const machine = runner.template.stateMachines.find((m) => m.logicalId.startsWith(logicalIdPrefix));
  if (machine === undefined) throw new Error(`no state machine ${logicalIdPrefix}`);
  return machine.arn;
}
