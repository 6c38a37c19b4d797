import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { RESULTS_TABLE_SCHEMA } from '../../lib/results-table-schema';

export interface LocalDynamoDbOptions {
  /** 0 (default): any free port. */
  readonly port?: number;
  readonly tableName?: string;
  readonly region?: string;
  /**
   * Run dynalite in its own worker thread: the table's CPU then has a core
   * of its own, instead of the caller's event loop (the benchmark, whose
   * runner, handlers and sandbox share one). Default false: in process.
   */
  readonly inWorker?: boolean;
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
/** Zero delays: the table is ACTIVE as soon as CreateTable answers. */
const DYNALITE_OPTIONS = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };

/** dynalite on 127.0.0.1 in this thread: its port and how to stop it. */
async function serveInProcess(port: number): Promise<{ port: number; stop: () => Promise<void> }> {
  const server = dynalite(DYNALITE_OPTIONS);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The worker's code (plain JavaScript: it runs without the TypeScript loader). */
const DYNALITE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const server = require(workerData.dynalite)(workerData.options);
server.listen(workerData.port, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

/** dynalite on 127.0.0.1 in a worker thread: its port and how to stop it. */
async function serveInWorker(port: number): Promise<{ port: number; stop: () => Promise<void> }> {
  const worker = new Worker(DYNALITE_WORKER, {
    eval: true,
    workerData: { dynalite: require.resolve('dynalite'), options: DYNALITE_OPTIONS, port },
  });
  const listening = await new Promise<number>((resolve, reject) => {
    worker.once('message', (message: unknown) => resolve(Number(message)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the dynalite worker exited with code ${code}`)));
  });
  return {
    port: listening,
    stop: async () => {
      await worker.terminate();
    },
  };
}

export async function startLocalDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalResultsTable> {
  const served = await (options.inWorker ? serveInWorker : serveInProcess)(options.port ?? 0);
  const endpoint = `http://127.0.0.1:${served.port}`;
  const tableName = options.tableName ?? 'RootkeeperResults';
  const client = new DynamoDBClient({
    endpoint,
    region: options.region ?? 'us-east-1',
    credentials: LOCAL_DYNAMODB_CREDENTIALS,
  });
  const close = async (): Promise<void> => {
    client.destroy();
    await served.stop();
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
