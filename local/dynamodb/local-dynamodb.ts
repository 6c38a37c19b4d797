import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { RESULTS_TABLE_SCHEMA } from '../../lib/results-table-schema';

export interface LocalDynamoDbOptions {
  /** 0 (default): any free port. */
  readonly port?: number;
  readonly tableName?: string;
  readonly region?: string;
}

export interface LocalResultsTable {
  readonly endpoint: string;
  readonly tableName: string;
  /** A client for this server, for tests and reports. */
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

/**
 * Credentials dynalite accepts: it checks that requests are signed, not by whom.
 * Fixed so that a client of the local table never picks up real AWS credentials.
 */
const LOCAL_DYNAMODB_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * dynalite on 127.0.0.1 with the results table created from the same schema
 * as the CDK construct. TTL is not emulated (dynalite has no
 * UpdateTimeToLive): items with expiresAt stay.
 */
export async function startLocalDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalResultsTable> {
  // Zero delays: the table is ACTIVE as soon as CreateTable answers.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const tableName = options.tableName ?? 'RootkeeperResults';
  const client = new DynamoDBClient({
    endpoint,
    region: options.region ?? 'us-east-1',
    credentials: LOCAL_DYNAMODB_CREDENTIALS,
  });
  const close = async (): Promise<void> => {
    client.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: RESULTS_TABLE_SCHEMA.KeySchema.map((key) => ({ ...key })),
        AttributeDefinitions: RESULTS_TABLE_SCHEMA.AttributeDefinitions.map((definition) => ({
          ...definition,
        })),
        GlobalSecondaryIndexes: RESULTS_TABLE_SCHEMA.GlobalSecondaryIndexes.map((index) => ({
          IndexName: index.IndexName,
          KeySchema: index.KeySchema.map((key) => ({ ...key })),
          Projection: { ...index.Projection },
        })),
        BillingMode: RESULTS_TABLE_SCHEMA.BillingMode,
      }),
    );
  } catch (error) {
    await close();
    throw error;
  }
  return { endpoint, tableName, client, close };
}
